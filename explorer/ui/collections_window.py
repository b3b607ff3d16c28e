"""Saved requests in the window: the Collections panel's side of the tabs.

    saved = SavedRequests(window)        # makes the panel; the window adds it to the sidebar
    saved.save()                         # Ctrl+S: to the tab's file, else "Save request"
    saved.save(as_new=True)              # Ctrl+Shift+S
    saved.open_link(link)                # a saved request in a tab (the panel asks)

A tab opened from (or saved to) a file is linked to it (`RequestSession.saved`): it shows
the request's name, a dot while it differs from the file, and follows the file when the
panel renames or moves it. When the collection is read again (a change on disk), a linked
tab without edits of its own takes the file's new version; one with edits keeps them and
says the file changed (Reload / Keep mine). The open collections are remembered in the
settings (`collections.open`) and opened again after the first paint.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from explorer.ui.collections import CollectionsPanel, Loaded
from explorer.workbench.saved import (
    SavedLink,
    SaveResult,
    operation_for,
    saved_from_state,
    state_from_saved,
    unchanged,
)
from explorer.workbench.session import RequestSession

if TYPE_CHECKING:
    from explorer.ui.collection_runner import CollectionRunner
    from explorer.ui.collections_save import SaveChoice, SaveRequestDialog
    from explorer.ui.main_window import MainWindow
    from explorer.ui.request_tab import RequestTab

__all__ = ["SavedRequests"]

SETTING = "collections.open"


class SavedRequests(QObject):
    """See the module docstring."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.panel = CollectionsPanel()
        self.dialog: SaveRequestDialog | None = None
        self._last_place: tuple[Path, tuple[str, ...]] | None = None
        panel = self.panel
        panel.open_requested.connect(self.open_link)
        panel.reloaded.connect(self._reloaded)
        panel.moved.connect(self._moved)
        panel.collections_changed.connect(self._remember)
        panel.open_dialog_requested.connect(self.choose_collection)
        panel.new_dialog_requested.connect(self.choose_new_collection)
        panel.run_requested.connect(self.run_collection)
        self.runners: dict[str, CollectionRunner] = {}
        """The runner of each collection run in this window (kept to run again)."""
        panel.import_dialog_requested.connect(self.choose_import)
        panel.export_dialog_requested.connect(self.choose_export)
        QTimer.singleShot(0, self._open_remembered)  # after the first paint

    # -- the open collections -------------------------------------------------------------

    def _open_remembered(self) -> None:
        roots = self.window.services.settings.get(SETTING)
        if roots:
            self.panel.open_later([r for r in roots if Path(r).is_dir()])

    def _remember(self, roots: list[str]) -> None:
        self.window.services.settings.set(SETTING, roots)

    def choose_collection(self) -> None:
        """File > Open collection…: a folder with collection.yaml."""
        from PySide6.QtWidgets import QFileDialog

        path = QFileDialog.getExistingDirectory(self.window, "Open a collection folder")
        if path:
            self.window.sidebar.show_page("Collections")
            self.window._spawn(self.panel.open_collection(Path(path)))

    def choose_new_collection(self) -> None:
        """File > New collection…: an empty (or new) folder becomes a collection."""
        from PySide6.QtWidgets import QFileDialog

        path = QFileDialog.getExistingDirectory(
            self.window, "Choose an empty folder for the new collection"
        )
        if path:
            self.window.sidebar.show_page("Collections")
            self.window._spawn(self._new_collection(Path(path)))

    def run_collection(self, root: Path | str) -> CollectionRunner:
        """A collection's Run collection…: its runner (made once), shown; the environments
        are the open document's, the one in use chosen."""
        from explorer.ui.collection_runner import CollectionRunner

        key = str(root)
        runner = self.runners.get(key)
        if runner is None:
            loaded = self.panel.loaded(root)
            name = loaded.collection.name if loaded is not None else Path(root).name
            creds = self.window.credentials
            envs = [e.name for e in creds.envs.environments] if creds is not None else []
            current = creds.env.name if creds is not None else ""
            runner = CollectionRunner(
                Path(root), name, envs, current, self.window.services.secret_store(), self.window
            )
            self.runners[key] = runner
        runner.show()
        runner.raise_()
        return runner

    async def aclose(self) -> None:
        """Stop the runs in progress."""
        for runner in list(self.runners.values()):
            await runner.aclose()

    def choose_import(self) -> None:
        """File > Import collection…: a file of another tool (or an OpenAPI document), then
        the folder the new collection goes into."""
        from PySide6.QtWidgets import QFileDialog

        source, _ = QFileDialog.getOpenFileName(
            self.window,
            "Import a collection",
            "",
            "Collections (*.json *.yaml *.yml *.har *.sh *.txt *.curl);;All files (*)",
        )
        if not source:
            return
        where = QFileDialog.getExistingDirectory(
            self.window,
            "Where the collection goes (an empty folder, or one to make it a folder in)",
        )
        if where:
            self.window.sidebar.show_page("Collections")
            self.window._spawn(self.panel.import_collection(Path(source), Path(where)))

    def choose_export(self, root: Path, fmt: str) -> None:
        """A collection's Export as: the file to write."""
        from PySide6.QtWidgets import QFileDialog

        from explorer.ui.collections import EXPORT_LABELS, EXPORT_SUFFIXES

        loaded = self.panel.loaded(root)
        name = loaded.collection.name if loaded is not None else Path(root).name
        suffix = EXPORT_SUFFIXES[fmt]
        default = str(Path(root).parent / (Path(root).name + suffix))
        target, _ = QFileDialog.getSaveFileName(
            self.window, f"Export {name} as {EXPORT_LABELS[fmt]}", default
        )
        if target:
            self.window._spawn(self.panel.export_collection(root, fmt, Path(target)))

    async def _new_collection(self, root: Path) -> None:
        if await self.panel.new_collection(root) and self.dialog is not None:
            self.dialog.set_collections(self.panel.collections(), root.absolute())

    # -- tabs and files -------------------------------------------------------------------

    def attach(self, tab: RequestTab) -> None:
        """Wire a new tab's requests (its disk bar, its messages)."""
        tab.message.connect(self.window.set_status)
        tab.reload_file_requested.connect(self._reload_tab)
        tab.keep_mine_requested.connect(self._keep_mine)

    def _tab_of(self, session: RequestSession) -> RequestTab | None:
        return next((t for t in self.window.tabs() if t.session is session), None)

    def linked_tabs(self) -> list[RequestTab]:
        return [t for t in self.window.tabs() if t.session.saved is not None]

    def open_link(self, link: SavedLink) -> RequestTab | None:
        """Show a saved request in a tab (the one that shows it already, else a new one)."""
        window = self.window
        if window.api is None or link.request is None:
            window.set_status("Open an API document first: a saved request opens for it")
            return None
        for tab in self.linked_tabs():
            if link.same_file(tab.session.saved):
                window.tab_widget.setCurrentWidget(tab)
                return tab
        op = operation_for(link.request, window.api)
        session = window.bench.open(RequestSession(op_key=op.key if op is not None else None))
        session.saved = link
        tab = window._add_tab(session, state_from_saved(link.request, op, self._variables()))
        tab.ensure_built()
        window._decorate(tab)
        window.set_status(f"Opened “{link.request.name}” ({_shown_path(link)})")
        return tab

    def _refill(self, tab: RequestTab, link: SavedLink) -> None:
        """Show the file's version of the request in the tab (its edits dropped)."""
        window = self.window
        if window.api is None or link.request is None:
            return
        op = operation_for(link.request, window.api)
        tab.session.op_key = op.key if op is not None else None
        tab.session.saved = link
        tab.session.saved_state = None  # the fill takes the file's state as saved
        state = state_from_saved(link.request, op, self._variables())
        tab.load(window.api, window.preferred_server, state)
        tab.disk_bar.hide()
        tab.pending_file = None
        window._decorate(tab)
        if tab is window.current_tab():
            window._show_slots(tab)
            window.refresh_code()

    def restore_links(self) -> None:
        """Tabs that come back linked to a file (a restart): read each file again; a tab
        without edits of its own shows what the file holds now."""
        for tab in self.linked_tabs():
            link = tab.session.saved
            if link is None or link.request is not None:
                continue
            from explorer.collection.store import read_request  # YAML: only when needed

            request, _problems = read_request(link.path)
            if request is None:
                if not link.path.exists():
                    tab.disk_bar.say(f"{link.path} is not there any more.", choices=False)
                continue
            fresh = replace(link, request=request)
            if tab.session.unsaved:
                tab.session.saved = fresh
            else:
                self._refill(tab, fresh)

    def _reloaded(self, loaded: Loaded) -> None:
        """A collection was read again: its tabs follow their files."""
        for tab in self.linked_tabs():
            link = tab.session.saved
            if link is None or Path(link.root) != loaded.root:
                continue
            request = loaded.request(link.folder, link.file)
            if request is None:
                if not link.path.exists():
                    tab.disk_bar.say(
                        f"The file of “{tab.title()}” was deleted or moved; Ctrl+S writes it "
                        "again.",
                        choices=False,
                    )
                continue
            if unchanged(request, link.request):
                continue
            fresh = replace(link, request=request)
            if tab.session.unsaved:
                tab.pending_file = fresh
                tab.disk_bar.say(
                    f"“{request.name}” changed on disk ({_shown_path(link)}). Reload it, or "
                    "keep your changes (Ctrl+S writes them over it)?"
                )
            else:
                self._refill(tab, fresh)
                self.window.set_status(f"“{request.name}” changed on disk: reloaded")

    def _reload_tab(self, session: RequestSession) -> None:
        tab = self._tab_of(session)
        fresh = tab.pending_file if tab is not None else None
        if tab is not None and fresh is not None:
            self._refill(tab, fresh)
        elif tab is not None:
            tab.disk_bar.hide()

    def _keep_mine(self, session: RequestSession) -> None:
        """Keep the tab's edits; the next save starts from the file as it is now."""
        tab = self._tab_of(session)
        if tab is None:
            return
        fresh = tab.pending_file
        if fresh is not None and session.saved is not None:
            session.saved = replace(session.saved, request=fresh.request)
        tab.disk_bar.hide()

    def _moved(self, old: Path, new: Path) -> None:
        """A file or folder was renamed or moved in the panel: linked tabs follow."""
        loaded = self.panel.find_root(new)
        if loaded is None:
            return
        for tab in self.linked_tabs():
            link = tab.session.saved
            if link is None:
                continue
            path = link.path
            if path == old:
                moved = new
            elif path.is_relative_to(old):
                moved = new / path.relative_to(old)
            else:
                continue
            rel = moved.relative_to(loaded.root)
            tab.session.saved = replace(
                link, root=str(loaded.root), folder=tuple(rel.parts[:-1]), file=moved.stem
            )
            self.window._decorate(tab)

    # -- saving ---------------------------------------------------------------------------

    def save(self, tab: RequestTab | None = None, *, as_new: bool = False) -> None:
        """Ctrl+S: the tab's request to its file; the first time (or Save as…), ask where."""
        window = self.window
        tab = tab or window.current_tab()
        if tab is None:
            window.set_status("Nothing to save: open a request first")
            return
        tab.ensure_built()
        tab.sync_state()
        link = tab.session.saved
        if link is not None and not as_new and Path(link.root).is_dir():
            self._write(tab, link)
        else:
            self._ask(tab)

    def _variables(self) -> dict[str, str]:
        """The environment's variables (what `{{baseUrl}}` is in this run)."""
        creds = self.window.credentials
        return creds.variables() if creds is not None else {}

    def _convert(self, tab: RequestTab, name: str, previous: SavedLink | None) -> SaveResult:
        from explorer.workbench.redact import password_names

        op = tab.operation()
        return saved_from_state(
            tab.session.state,
            op,
            base_url=tab.editor.request_input().base_url,
            variables=self._variables(),
            name=name,
            passwords=password_names(op),
            previous=previous.request if previous is not None else None,
        )

    def _write(self, tab: RequestTab, link: SavedLink) -> None:
        from explorer.collection.store import save_request
        from explorer.errors import StoreError

        name = link.request.name if link.request is not None else ""
        result = self._convert(tab, name, link)
        request = replace(result.request, file=link.file)
        try:
            save_request(Path(link.root), link.folder, request)
        except (StoreError, OSError) as exc:
            self.window.set_status(f"Could not save “{request.name}”: {exc}")
            return
        self._saved(tab, replace(link, request=request), result)

    def _saved(self, tab: RequestTab, link: SavedLink, result: SaveResult) -> None:
        tab.session.mark_saved(link)
        tab.disk_bar.hide()
        tab.pending_file = None
        self.window._decorate(tab)
        note = f" (left out: {', '.join(result.left_out)})" if result.left_out else ""
        self.window.set_status(f"Saved “{result.request.name}” to {_shown_path(link)}{note}")
        self.panel.reload_later(link.root)

    def _ask(self, tab: RequestTab) -> SaveRequestDialog:
        """The "Save request" dialog for the tab (window-modal; saves when accepted)."""
        from explorer.ui.collections_save import SaveRequestDialog

        result = self._convert(tab, "", None)
        root, folder = self._last_place or (None, ())
        link = tab.session.saved
        if link is not None:
            root, folder = Path(link.root), link.folder
        dialog = SaveRequestDialog(
            self.panel.collections(),
            name=result.request.name,
            left_out=result.left_out,
            root=root,
            folder=folder,
            parent=self.window,
        )
        dialog.new_collection_requested.connect(self.choose_new_collection)
        dialog.accepted.connect(lambda: self._save_chosen(tab, dialog.choice()))
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: SaveRequestDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        self.window.activateWindow()  # back to the window's keys (not every platform does it)

    def _save_chosen(self, tab: RequestTab, choice: SaveChoice | None) -> None:
        if choice is None or tab not in self.window.tabs():
            return
        loaded = self.panel.loaded(choice.root)
        if loaded is None:
            self.window.set_status("That collection is not open any more")
            return
        folder: tuple[str, ...] | None = choice.folder
        if choice.new_folders:
            folder = self.panel.make_folders(loaded, list(choice.new_folders))
        if folder is None:
            return
        tab.sync_state()
        result = self._convert(tab, choice.name, None)
        saved = self.panel.save_new(loaded, folder, result.request)
        if saved is None:
            self.window.set_status(self.panel.message.text())
            return
        self._last_place = (loaded.root, folder)
        self._saved(tab, SavedLink(str(loaded.root), folder, saved.file, saved), result)


def _shown_path(link: SavedLink) -> str:
    """Where a request is saved, as a person reads it: "collection/folder/file.yaml"."""
    return str(Path(Path(link.root).name).joinpath(*link.folder, link.file + ".yaml"))
