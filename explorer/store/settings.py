"""The user's settings: each declared once, with its type, default and description.

Kept as one small JSON file in the config folder. Unknown keys in the file are kept (a
newer version may have written them); a value of the wrong type is replaced by the
default rather than trusted. Secrets never go here: they live in the keyring.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from explorer.errors import StoreError
from explorer.store._files import config_dir, read_json_object, write_atomic

__all__ = ["SETTINGS", "Setting", "Settings"]


@dataclass(frozen=True)
class Setting:
    """One setting: a dotted name, its Python type, default and a sentence for people."""

    name: str
    type: type
    default: Any
    description: str

    def accepts(self, value: Any) -> bool:
        if self.type is float:
            return isinstance(value, int | float) and not isinstance(value, bool)
        if self.type is list:
            return isinstance(value, list) and all(isinstance(v, str) for v in value)
        return isinstance(value, self.type) and not (self.type is int and isinstance(value, bool))


SETTINGS: tuple[Setting, ...] = (
    Setting("general.last_spec", str, "", "The document opened last; reopened at start."),
    Setting("general.recent_specs", list, [], "Recently opened documents, newest first."),
    Setting("general.recent_limit", int, 10, "How many recent documents to remember."),
    Setting("request.timeout", float, 30.0, "Seconds before a request gives up."),
    Setting("request.follow_redirects", bool, True, "Follow 3xx redirects."),
    Setting("request.verify_tls", bool, True, "Check server certificates."),
    Setting("window.geometry", str, "", "Window size and position (Qt, base64)."),
    Setting("window.state", str, "", "Splitter and panel layout (Qt, base64)."),
    Setting("window.code_panel", bool, True, "Show the code panel beside the request."),
    Setting(
        "code.language",
        str,
        "curl",
        "The language of the code panel, and the first of Copy as (a snippet language name).",
    ),
    Setting("code.curl_long_flags", bool, False, "Spell curl's options long (--header)."),
    Setting("history.enabled", bool, True, "Keep every request sent in the history."),
    Setting("history.max_entries", int, 5000, "How many requests the history keeps (0: no limit)."),
    Setting(
        "history.max_days", int, 30, "How many days the history keeps a request (0: no limit)."
    ),
    Setting("collections.open", list, [], "The collection folders open in the Collections panel."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


class Settings:
    """Typed access to the settings file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or (config_dir() / "settings.json")
        self._values: dict[str, Any] = {}
        raw, self.problem = read_json_object(self.path, "settings")
        """A sentence for the user when the file was damaged (moved aside) or unreadable."""
        # A file that is there but could not be read is never written over.
        self._writable = raw is not None or not self.path.exists()
        if raw is not None:
            self._values = raw

    @staticmethod
    def declaration(name: str) -> Setting:
        try:
            return _BY_NAME[name]
        except KeyError:
            raise KeyError(f"no setting named {name!r}") from None

    def get(self, name: str) -> Any:
        setting = self.declaration(name)
        value = self._values.get(name, setting.default)
        if not setting.accepts(value):
            return setting.default
        return value

    def set(self, name: str, value: Any) -> None:
        setting = self.declaration(name)
        if setting.type is float and isinstance(value, int):
            value = float(value)
        if not setting.accepts(value):
            raise TypeError(f"{name} takes {setting.type.__name__}, not {type(value).__name__}")
        self._values[name] = value

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        return ((s.name, self.get(s.name)) for s in SETTINGS)

    def as_dict(self) -> Mapping[str, Any]:
        return dict(self)

    def add_recent(self, source: str) -> None:
        recent = [s for s in self.get("general.recent_specs") if s != source]
        recent.insert(0, source)
        self.set("general.recent_specs", recent[: self.get("general.recent_limit")])

    def save(self) -> None:
        """Write the file atomically; raises StoreError."""
        if not self._writable:
            raise StoreError("the settings file could not be read, so it is left as it is")
        write_atomic(self.path, orjson.dumps(self._values, option=orjson.OPT_INDENT_2))

    def try_save(self) -> str:
        """Save, returning an error message instead of raising (for shutdown paths)."""
        with contextlib.suppress(StoreError):
            self.save()
            return ""
        return f"could not save settings to {self.path}"
