"""The collection runner in the window: `explorer run` for one collection, with its lines
appearing as each request ends (the same run, checks and words as the command line:
explorer.collection.run and explorer.collection.report), in an environment chosen here.

Not modal: the window keeps working while a collection runs; Stop (or closing the
runner) cancels the run, and what ran so far stays listed. The lines are plain text (a
server's words are in them). A JUnit report of the last run can be saved for a CI.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.workbench.tasks import TaskSlot

if TYPE_CHECKING:
    from explorer.collection.report import RequestReport, RunReport
    from explorer.store.secrets import SecretStore

__all__ = ["CollectionRunner"]

COLLECTION_DEFAULT = "(the collection's own)"


class CollectionRunner(QDialog):
    """See the module docstring."""

    def __init__(
        self,
        root: Path,
        name: str,
        environments: list[str],
        current: str,
        secrets: SecretStore | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("collectionRunner")
        self.setWindowTitle(f"Run {name}")
        self.root = root
        self.secrets = secrets
        self.report: RunReport | None = None
        self._task = TaskSlot(f"run {name}")
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Environment"))
        self.environment = QComboBox(self)
        self.environment.addItem(COLLECTION_DEFAULT, None)
        for env in environments:
            self.environment.addItem(env, env)
        index = self.environment.findData(current) if current else -1
        self.environment.setCurrentIndex(max(0, index))
        bar.addWidget(self.environment, 1)
        self.run_button = QPushButton("Run", self)
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.start)
        self.stop_button = QPushButton("Stop", self)
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        self.junit_button = QPushButton("Save JUnit…", self)
        self.junit_button.setEnabled(False)
        self.junit_button.setToolTip("The last run as a JUnit XML report (what a CI reads)")
        self.junit_button.clicked.connect(self._ask_junit)
        for button in (self.run_button, self.stop_button, self.junit_button):
            bar.addWidget(button)
        layout.addLayout(bar)
        self.lines = QListWidget(self)
        self.lines.setObjectName("runnerLines")
        self.lines.setUniformItemSizes(True)
        layout.addWidget(self.lines, 1)
        self.summary = QLabel("Press Run: each request is sent in order and checked.", self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.resize(760, 460)

    @property
    def running(self) -> bool:
        return self._task.running

    def start(self) -> None:
        """Run the collection (again), in the environment chosen."""
        self.lines.clear()
        self.report = None
        self.junit_button.setEnabled(False)
        self.run_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.summary.setText("Running…")
        self._task.start(self._run(self.environment.currentData()))

    def stop(self) -> None:
        if self._task.running:
            self._task.cancel()
            self.summary.setText("Stopped: the requests above ran.")
        self._idle()

    def _idle(self) -> None:
        self.run_button.setEnabled(True)
        self.stop_button.setEnabled(False)

    async def _run(self, environment: str | None) -> None:
        from explorer.collection.report import summary_line
        from explorer.collection.run import RunOptions, UsageError, run_collection

        try:
            report = await run_collection(
                RunOptions(self.root, environment=environment),
                progress=self._progress,
                secrets=self.secrets,
                environ=os.environ,
            )
        except UsageError as exc:
            self.summary.setText(f"Could not run: {exc}")
            self._idle()
            return
        self.report = report
        self.summary.setText(summary_line(report))
        self.summary.setStyleSheet(f"color: {'#2b8a3e' if report.passed else '#c92a2a'};")
        self.junit_button.setEnabled(True)
        self._idle()

    def _progress(self, r: RequestReport) -> None:
        from explorer.collection.report import progress_lines

        for i, line in enumerate(progress_lines(r)):
            item = QListWidgetItem(line)  # plain text
            if i == 0 and r.failed:
                item.setForeground(QColor("#c92a2a"))
            elif i == 0 and not r.skipped:
                item.setForeground(QColor("#2b8a3e"))
            self.lines.addItem(item)
        self.lines.scrollToBottom()

    def _ask_junit(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        target, _ = QFileDialog.getSaveFileName(
            self, "Save the run as JUnit XML", str(self.root.parent / "junit.xml")
        )
        if target:
            self.save_junit(Path(target))

    def save_junit(self, target: Path) -> bool:
        """Write the last run's JUnit report (atomically); False with why when it failed."""
        from explorer.collection.report import junit_xml
        from explorer.errors import StoreError
        from explorer.store._files import write_atomic

        if self.report is None:
            return False
        try:
            write_atomic(target, junit_xml(self.report).encode("utf-8"))
        except StoreError as exc:
            self.summary.setText(f"Could not save the report: {exc}")
            return False
        self.summary.setText(f"{self.summary.text()} · JUnit report saved to {target}")
        return True

    async def aclose(self) -> None:
        """Stop a run in progress and wait for it to end."""
        task = self._task.task
        self._task.cancel()
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop()
        super().closeEvent(event)
