"""Every keyboard shortcut of the window, declared once.

The main window makes one QAction per entry (in its menu, with its keys, window-wide);
no widget claims one of these keys for itself, so Qt never sees two claimants ("ambiguous
shortcut overload") and fires neither. Help > Keyboard shortcuts shows this table, and a
test checks that no key sequence is claimed twice and that each works from every place in
the window. Keys that belong to one widget (Copy in a table, Ctrl+F in a response body)
are listed in `LOCAL` for the help page only.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QKeySequence

__all__ = ["LOCAL", "SHORTCUTS", "Shortcut", "by_name", "key_text"]


@dataclass(frozen=True)
class Shortcut:
    """One window action: its name (for code), menu, menu text, keys and what it does."""

    name: str
    menu: str
    text: str
    keys: tuple[str, ...]
    description: str


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("open", "File", "&Open document…", ("Ctrl+O",), "Open an OpenAPI document"),
    Shortcut("open_url", "File", "Open &URL…", ("Ctrl+Shift+O",), "Open a document by URL"),
    Shortcut("open_demo", "File", "Open the ECOSIRE &demo", (), "Open the bundled demo API"),
    Shortcut("open_collection", "File", "Open &collection…", (), "Open a folder of saved requests"),
    Shortcut("new_collection", "File", "New co&llection…", (), "Start a collection in a folder"),
    Shortcut(
        "import_collection",
        "File",
        "&Import collection…",
        (),
        "A Postman, Insomnia, HAR, curl or OpenAPI file as a collection",
    ),
    Shortcut("quit", "File", "&Quit", ("Ctrl+Q",), "Quit (open tabs come back next time)"),
    Shortcut("new_tab", "Tabs", "&New tab", ("Ctrl+T",), "A new ad-hoc request"),
    Shortcut("close_tab", "Tabs", "&Close tab", ("Ctrl+W",), "Close the current tab"),
    Shortcut(
        "reopen_tab", "Tabs", "&Reopen closed tab", ("Ctrl+Shift+T",), "Bring back a closed tab"
    ),
    Shortcut(
        "next_tab", "Tabs", "Ne&xt tab", ("Ctrl+Tab", "Ctrl+PgDown"), "Go to the tab on the right"
    ),
    Shortcut(
        "previous_tab",
        "Tabs",
        "&Previous tab",
        ("Ctrl+Shift+Tab", "Ctrl+PgUp"),
        "Go to the tab on the left",
    ),
    Shortcut("endpoints", "View", "&Endpoints", ("Ctrl+1",), "Show the endpoint tree"),
    Shortcut("collections", "View", "C&ollections", ("Ctrl+2",), "Show the saved requests"),
    Shortcut("find_endpoint", "View", "&Find endpoint", ("Ctrl+K",), "Filter the endpoint tree"),
    Shortcut(
        "palette",
        "View",
        "Command &palette…",
        ("Ctrl+Shift+P",),
        "Every command by name: copy as, environments, endpoints",
    ),
    Shortcut("focus_url", "View", "Go to the &address", ("Ctrl+L",), "Edit the method and URL"),
    Shortcut("code_panel", "View", "&Code panel", ("Ctrl+Shift+C",), "Show or hide the code panel"),
    Shortcut(
        "webhooks",
        "View",
        "&Webhooks",
        ("Ctrl+Shift+H",),
        "Webhook events: sign, send, verify, and a local receiver",
    ),
    Shortcut(
        "history",
        "View",
        "&History",
        ("Ctrl+H",),
        "Every request sent: search it, open one again, copy it as curl",
    ),
    Shortcut("send", "Request", "&Send", ("Ctrl+Return", "Ctrl+Enter"), "Send the request"),
    Shortcut("cancel", "Request", "&Cancel", ("Escape",), "Cancel the request in flight"),
    Shortcut(
        "save",
        "Request",
        "Sa&ve",
        ("Ctrl+S",),
        "Save the request to its collection file (asks where the first time)",
    ),
    Shortcut(
        "save_as",
        "Request",
        "Save &as…",
        ("Ctrl+Shift+S",),
        "Save the request as a new one, in a collection and folder you choose",
    ),
    Shortcut("shortcuts", "Help", "&Keyboard shortcuts", ("F1",), "This list"),
    Shortcut("warnings", "Help", "Document &warnings", (), "What looked odd in the document"),
)

LOCAL: tuple[tuple[str, str, str], ...] = (
    ("Enter", "in the address bar", "Send the request"),
    ("Ctrl+F", "in a response body", "Find in the body"),
    ("Ctrl+C", "in a table", "Copy the selected rows"),
    ("Enter", "in the endpoint filter", "Open the first match"),
    ("Down", "in the endpoint filter", "Go into the tree"),
    ("Middle click", "on a tab", "Close it"),
    ("Enter", "in the history", "Open the request in a new tab"),
    ("Delete", "in the history", "Forget the request"),
    ("Enter", "in the collections", "Open the saved request in a tab"),
    ("F2", "in the collections", "Rename"),
    ("Delete", "in the collections", "Delete (Ctrl+Z brings it back)"),
    ("Ctrl+Z", "in the collections", "Undo the last delete, rename or move"),
    ("Ctrl+V", "in the address bar", "A curl command pasted becomes the request"),
)
"""Keys of one widget (not window actions): shown on the help page only."""

_BY_NAME = {s.name: s for s in SHORTCUTS}


def by_name(name: str) -> Shortcut:
    return _BY_NAME[name]


def key_text(keys: tuple[str, ...]) -> str:
    """The keys as the platform writes them (Qt's native text: "⌘↩" on macOS)."""
    return ", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
