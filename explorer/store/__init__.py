"""What lasts between runs: settings, drafts (and later collections, history, secrets).
No Qt here."""

from explorer.store._files import config_dir, data_dir, write_atomic
from explorer.store.drafts import Drafts
from explorer.store.settings import SETTINGS, Setting, Settings

__all__ = ["SETTINGS", "Drafts", "Setting", "Settings", "config_dir", "data_dir", "write_atomic"]
