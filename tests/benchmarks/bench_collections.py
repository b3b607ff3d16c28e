"""Collections benchmark (run on demand): python tests/benchmarks/bench_collections.py [N]

A collection of N saved requests (default 1,000) in 20 folders: written by the store,
read back (`load_collection`, what the panel does off the event loop), and shown in the
Collections panel's tree (`CollectionModel.show` and one paint: the time the event loop is
held when a collection changes on disk). The baseline, measured in the same run, is a
QStandardItemModel of the same number of plain text rows shown in the same view.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QTreeView

from explorer.collection.model import Body, Check, Collection, Folder, SavedRequest
from explorer.collection.store import load_collection, write_collection
from explorer.ui.collections_model import CollectionModel


def collection(n: int) -> Collection:
    per = max(1, n // 20)
    folders = [
        Folder(
            f"Folder {i}",
            [
                SavedRequest(
                    f"Request {i}-{j}",
                    ("GET", "POST", "PUT", "DELETE")[j % 4],
                    f"{{{{baseUrl}}}}/things/{i}/{{thingId}}",
                    operation="GET /things/{i}/{thingId}",
                    path=(("thingId", f"t_{j}"),),
                    query=(("limit", 10), ("q", "ünïcode")),
                    body=Body("application/json", '{\n  "name": "x",\n  "n": 1\n}\n'),
                    checks=(Check("status", value=200),),
                    description="What this one is for.",
                )
                for j in range(per)
            ],
        )
        for i in range(20)
    ]
    return Collection("Bench", root=Folder("", list(folders)))


def timed(fn: object, runs: int = 7) -> float:
    took = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        took.append(time.perf_counter() - start)
    return statistics.median(took)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    app = QApplication.instance() or QApplication([])
    root = Path(tempfile.mkdtemp(prefix="bench-col-")) / "c"
    start = time.perf_counter()
    write_collection(root, collection(n))
    print(f"write {n:,} requests: {time.perf_counter() - start:.2f} s")
    loaded = timed(lambda: load_collection(root), 3)
    col, problems = load_collection(root)
    assert not problems
    print(f"load_collection (worker thread in the window): {loaded * 1000:.0f} ms")

    view = QTreeView()
    model = CollectionModel()
    view.setModel(model)
    view.resize(320, 800)
    view.show()

    def show() -> None:
        model.show([(str(root), col, [])])
        view.expandAll()
        app.processEvents()

    plain = QStandardItemModel()

    def baseline() -> None:
        plain.clear()
        for folder in col.root.items:
            item = QStandardItem(folder.name)
            for req in getattr(folder, "items", []):
                item.appendRow(QStandardItem(req.name))
            plain.appendRow(item)
        view.setModel(plain)
        view.expandAll()
        app.processEvents()
        view.setModel(model)

    ours = timed(show)
    base = timed(baseline)
    print(f"tree shown (event loop held): {ours * 1000:.1f} ms")
    print(f"baseline, plain rows in the same view: {base * 1000:.1f} ms")
    print(f"ratio: {ours / base:.2f}x")


if __name__ == "__main__":
    main()
