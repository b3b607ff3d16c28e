"""The "Save request" dialog: a name, the collection and the folder to save a tab's request
in, and a note of what stays out of the file (secrets).

    dialog = SaveRequestDialog(panel.collections(), name="List contacts",
                               left_out=["header Authorization"], parent=window)
    dialog.accepted.connect(lambda: save(dialog.choice()))
    dialog.open()                                  # window-modal, not exec()-ed

The folder box lists the collection's folders ("Contacts / Active"); a path typed there
that is not one of them is made ("Orders / Drafts": the folders that are missing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.collections import Loaded
from explorer.ui.safe_text import cut, tooltip

__all__ = ["SaveChoice", "SaveRequestDialog"]

TOP_LEVEL = "(top level)"


@dataclass(frozen=True)
class SaveChoice:
    """Where to save: the collection's folder, a folder path that exists (directory
    names), or names of folders to make (`new_folders`, below `folder`), and the name."""

    root: Path
    folder: tuple[str, ...]
    new_folders: tuple[str, ...]
    name: str


class SaveRequestDialog(QDialog):
    """See the module docstring."""

    new_collection_requested = Signal()
    """"New collection…": the window asks for a folder, then calls `set_collections`."""

    def __init__(
        self,
        collections: Sequence[Loaded],
        *,
        name: str,
        left_out: Sequence[str] = (),
        root: Path | None = None,
        folder: tuple[str, ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("saveRequestDialog")
        self.setWindowTitle("Save request")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._collections: list[Loaded] = []
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.name_edit = QLineEdit(name, self)
        self.name_edit.setObjectName("saveName")
        self.name_edit.selectAll()
        self.name_edit.textChanged.connect(lambda _t: self._update())
        self.collection_combo = QComboBox(self)
        self.collection_combo.setObjectName("saveCollection")
        self.collection_combo.currentIndexChanged.connect(lambda _i: self._fill_folders())
        new_button = QPushButton("New collection…", self)
        new_button.setObjectName("saveNewCollection")
        new_button.setAutoDefault(False)
        new_button.clicked.connect(self.new_collection_requested)
        row = QHBoxLayout()
        row.addWidget(self.collection_combo, 1)
        row.addWidget(new_button)
        self.folder_combo = QComboBox(self)
        self.folder_combo.setObjectName("saveFolder")
        self.folder_combo.setEditable(True)
        self.folder_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.folder_combo.setToolTip(
            "A folder of the collection; type a new one (“Orders / Drafts”) to make it"
        )
        form.addRow("Name", self.name_edit)
        form.addRow("Collection", row)
        form.addRow("Folder", self.folder_combo)
        layout.addLayout(form)
        self.note = QLabel(self)
        self.note.setObjectName("saveNote")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #b35c00;")
        if left_out:
            text = (
                "Not written to the file (secrets stay in the keyring and the environment): "
                + ", ".join(left_out)
                + ". Use {{variables}} and the environment's credentials instead."
            )
            self.note.setText(cut(text, 600))
            self.note.setToolTip(tooltip(text))
        self.note.setVisible(bool(left_out))
        layout.addWidget(self.note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(480, self.sizeHint().height())
        self.set_collections(collections, root, folder)

    def set_collections(
        self,
        collections: Sequence[Loaded],
        root: Path | None = None,
        folder: tuple[str, ...] = (),
    ) -> None:
        """List the open collections (`root` chosen, else the first) and its folders."""
        self._collections = list(collections)
        self._want_folder = folder
        self.collection_combo.blockSignals(True)
        self.collection_combo.clear()
        for loaded in self._collections:
            self.collection_combo.addItem(loaded.collection.name or loaded.root.name)
            self.collection_combo.setItemData(
                self.collection_combo.count() - 1,
                tooltip(str(loaded.root)),
                Qt.ItemDataRole.ToolTipRole,
            )
        roots = [c.root for c in self._collections]
        if root is not None and root in roots:
            self.collection_combo.setCurrentIndex(roots.index(root))
        self.collection_combo.blockSignals(False)
        self._fill_folders()

    def _fill_folders(self) -> None:
        self.folder_combo.clear()
        loaded = self.collection()
        self.folder_combo.addItem(TOP_LEVEL, ())
        if loaded is not None:
            for path, shown in loaded.folders():
                self.folder_combo.addItem(shown, path)
            index = self.folder_combo.findData(self._want_folder)
            self.folder_combo.setCurrentIndex(max(index, 0))
        self._update()

    def _update(self) -> None:
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if save is not None:
            save.setEnabled(bool(self.name_edit.text().strip()) and self.collection() is not None)

    def collection(self) -> Loaded | None:
        index = self.collection_combo.currentIndex()
        return self._collections[index] if 0 <= index < len(self._collections) else None

    def choose_folder(self, text: str) -> None:
        """Pick a folder by the text shown ("Contacts / Active"), or type a new one."""
        index = self.folder_combo.findText(text)
        if index >= 0:
            self.folder_combo.setCurrentIndex(index)
        else:
            self.folder_combo.setEditText(text)

    def choice(self) -> SaveChoice | None:
        """What the user chose (None: no collection to save in)."""
        loaded = self.collection()
        if loaded is None:
            return None
        name = " ".join(self.name_edit.text().split())
        text = self.folder_combo.currentText().strip()
        index = self.folder_combo.findText(text)
        if index >= 0:
            data = self.folder_combo.itemData(index)
            folder = tuple(data) if isinstance(data, tuple | list) else ()
            return SaveChoice(loaded.root, folder, (), name)
        parts = tuple(p.strip() for p in text.replace("\\", "/").split("/") if p.strip())
        return SaveChoice(loaded.root, (), parts, name)
