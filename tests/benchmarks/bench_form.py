"""Selecting an endpoint to a built form: `RequestEditor.set_operation()` over every
operation of a spec, offscreen, with baselines measured in the same run.

Run on demand:  .venv/bin/python tests/benchmarks/bench_form.py [--freeze] [SPEC]
Default SPEC: GitHub's REST description at .bench/package/generated/api.github.com.json.
Target (PRODUCT.md / issue 4): under 30 ms per selection.

Measured per operation, in a shown 1000x700 editor:
- cold: the first selection (includes the spec engine's lazy `$ref` resolution of that
  operation's parameters and body);
- warm: a later selection of the same operation (what switching between endpoints costs);
- paint: the first `processEvents()` after a warm selection (layout and painting).
With --freeze, `gc.freeze()` runs after the spec is loaded (as an app can do once a spec
is open): Python's full garbage collections then no longer walk the spec's objects, which
otherwise shows as rare 100+ ms spikes in the tail, whatever the widget does.
Baselines: set_operation() on an operation with no parameters and no body, and building a
plain QWidget grid with as many QLabel+QLineEdit rows as the biggest operation has
parameters, set into the editor's Params scroll area (the bare cost of that many Qt widgets).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

ROOT = Path(__file__).resolve().parents[2]
GITHUB = ROOT / ".bench" / "package" / "generated" / "api.github.com.json"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def line(name: str, values: list[float], base: float | None = None) -> str:
    p50, p99, mx = pct(values, 50), pct(values, 99), max(values)
    text = f"{name:<34} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms   max {mx:7.2f} ms"
    if base:
        text += f"   (p50 {p50 / base:5.1f}x baseline)"
    return text


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--freeze"]
    freeze = "--freeze" in sys.argv[1:]
    path = Path(args[0]) if args else GITHUB
    app = QApplication(sys.argv[:1])
    from explorer import spec
    from explorer.ui.request import RequestEditor

    t = time.perf_counter()
    api = spec.load(path)
    print(
        f"{path.name}: {len(api.operations)} operations, loaded in {time.perf_counter() - t:.2f} s"
    )
    if freeze:
        import gc

        gc.collect()
        gc.freeze()
        print("gc.freeze() after loading")
    editor = RequestEditor()
    editor.resize(1000, 700)
    editor.show()
    app.processEvents()

    ops = list(api.operations)
    cold: list[float] = []
    for op in ops:
        start = time.perf_counter()
        editor.set_operation(api, op)
        cold.append((time.perf_counter() - start) * 1000)
        app.processEvents()

    warm: list[float] = []
    paint: list[float] = []
    by_op: list[tuple[float, str, int]] = []
    for op in ops:
        start = time.perf_counter()
        editor.set_operation(api, op)
        mid = time.perf_counter()
        app.processEvents()
        end = time.perf_counter()
        warm.append((mid - start) * 1000)
        paint.append((end - mid) * 1000)
        by_op.append(((mid - start) * 1000, op.key, len(op.parameters)))

    # the same with the Body tab shown (editor text filled and highlighted)
    with_body = [o for o in ops if o.request_body is not None]
    editor.tabs.setCurrentIndex(1)
    body_times: list[float] = []
    for op in with_body:
        start = time.perf_counter()
        editor.set_operation(api, op)
        body_times.append((time.perf_counter() - start) * 1000)
        app.processEvents()
    editor.tabs.setCurrentIndex(0)

    # baseline 1: an operation with nothing to build
    empty = next((o for o in ops if not o.parameters and o.request_body is None), None)
    base_empty: list[float] = []
    if empty is not None:
        for _ in range(50):
            start = time.perf_counter()
            editor.set_operation(api, empty)
            base_empty.append((time.perf_counter() - start) * 1000)
            app.processEvents()

    # baseline 2: as many bare label + line edit rows as the biggest operation has
    # parameters, set into the editor's own Params scroll area (same window, same size)
    biggest = max(ops, key=lambda o: len(o.parameters))
    n = len(biggest.parameters)
    other = empty or ops[0]
    base_widgets: list[float] = []
    big_warm: list[float] = []
    for _ in range(30):
        editor.set_operation(api, other)
        app.processEvents()
        scroll = editor.params_scroll
        scroll.show()
        start = time.perf_counter()
        w = QWidget()
        grid = QGridLayout(w)
        for i in range(n):
            grid.addWidget(QLabel(f"param{i}", w), i, 0)
            grid.addWidget(QLineEdit(w), i, 1)
        old = scroll.takeWidget()
        scroll.setWidget(w)
        base_widgets.append((time.perf_counter() - start) * 1000)
        if old is not None:
            old.deleteLater()
        app.processEvents()
        editor.set_operation(api, other)
        app.processEvents()
        start = time.perf_counter()
        editor.set_operation(api, biggest)
        big_warm.append((time.perf_counter() - start) * 1000)
        app.processEvents()

    be = statistics.median(base_empty) if base_empty else None
    bw = statistics.median(base_widgets)
    print()
    print(line("set_operation, cold (all ops)", cold, be))
    print(line("set_operation, warm (all ops)", warm, be))
    print(line("first paint after it", paint))
    print(line(f"Body tab shown ({len(with_body)} ops)", body_times, be))
    if base_empty:
        print(line(f"baseline: empty op ({empty.key if empty else ''})", base_empty))
    print(line(f"baseline: {n} bare label+edit rows", base_widgets))
    print(line(f"biggest: {biggest.key} ({n} params)", big_warm, bw))
    print()
    print("slowest warm selections:")
    for ms, key, count in sorted(by_op, reverse=True)[:5]:
        print(f"  {ms:7.2f} ms  {key}  ({count} params)")
    within = sum(1 for v in warm if v < 30) / len(warm) * 100
    print(f"\nwarm selections under 30 ms: {within:.1f}%   target: all under 30 ms")
    editor.shutdown()


if __name__ == "__main__":
    main()
