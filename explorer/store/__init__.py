"""What lasts between runs: settings, drafts, secrets (in the OS keyring only), and later
collections and history. No Qt here."""

from explorer.store._files import config_dir, data_dir, write_atomic
from explorer.store.drafts import Drafts
from explorer.store.secrets import SecretStore
from explorer.store.settings import SETTINGS, Setting, Settings

__all__ = [
    "SETTINGS",
    "Drafts",
    "SecretStore",
    "Setting",
    "Settings",
    "config_dir",
    "data_dir",
    "write_atomic",
]
