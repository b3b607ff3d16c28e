"""A big JSON response shown in the real ResponseView, offscreen, with an event-loop probe.

Run on demand:  .venv/bin/python tests/benchmarks/bench_response.py [MB]
Target (PRODUCT.md / issue 4): the event loop never stalls for more than 50 ms while a
20 MB JSON response is shown.

A QTimer fires every 5 ms into Python (as every slot of the app does) and records the
longest gap between two ticks. Measured in the same run:
- baseline: the probe with the view idle (what the loop's own jitter is);
- show_result() itself (the one synchronous step);
- 20 MB minified JSON, Pretty: time to the first text on screen, to the first coloured
  lines, to the end of the rendering (the preview, as past 10 MB only the first 1 MB of
  the pretty text is shown), and the longest stall over the whole period;
- the same body, "Show all" (all of the ~30 MB pretty text into the BigTextView), with the
  time spent in the view itself (taking pieces, painting) apart from re-indenting;
- find near the end of it, and a jump to the last line;
- the same body, Raw (this first drops the 1.3 million lines "Show all" left, which in a
  QTextDocument was a 240-490 ms stall; Raw stays "all", as Show all was pressed);
- 1 MB JSON: time to coloured text (the whole body is shown).
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))

from response_samples import result

from explorer.ui.response.view import ResponseView


def make_json(target_bytes: int) -> bytes:
    """A list response like an API's: objects with strings, numbers, nesting."""
    rnd = random.Random(7)
    items = []
    size = 0
    i = 0
    while size < target_bytes:
        item = {
            "id": f"c_{i:07d}",
            "name": f"Contact {i}",
            "email": f"contact{i}@example.com",
            "phone": f"+49 30 {rnd.randrange(10**7):07d}",
            "company": {"id": rnd.randrange(1000), "name": "Acme GmbH", "vat": "DE123456789"},
            "tags": ["lead", "newsletter"][: rnd.randrange(3)],
            "active": rnd.random() > 0.3,
            "score": round(rnd.random() * 100, 2),
            "notes": None if i % 3 else "Met at the fair; follow up in spring.",
            "createdAt": "2026-11-28T15:00:00Z",
        }
        items.append(item)
        size += 280
        i += 1
    return json.dumps({"data": items, "total": len(items)}, separators=(",", ":")).encode()


class Probe:
    """Records the longest gap between 5 ms timer ticks."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.max_gap = 0.0
        self.ticks = 0

    def start(self) -> None:
        self.last = time.perf_counter()
        self.max_gap = 0.0
        self.ticks = 0
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        self._tick()
        return self.max_gap

    def _tick(self) -> None:
        now = time.perf_counter()
        self.max_gap = max(self.max_gap, now - self.last)
        self.last = now
        self.ticks += 1


async def until(predicate: Callable[[], bool], timeout: float = 300) -> float:
    start = time.perf_counter()
    while not predicate():
        if time.perf_counter() - start > timeout:
            raise TimeoutError
        await asyncio.sleep(0.001)
    return time.perf_counter()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


async def main(mb: float) -> None:
    view = ResponseView()
    view.resize(900, 700)
    view.show()
    body = view.body
    probe = Probe()
    await asyncio.sleep(0.2)

    probe.start()
    await asyncio.sleep(2.0)
    baseline = probe.stop()
    print(f"baseline (idle view, 2 s):          max stall {ms(baseline)}")

    big = make_json(int(mb * 1024 * 1024))
    small = make_json(1024 * 1024)
    first = make_json(300_000)
    print(f"body: {len(big) / 1024 / 1024:.1f} MB minified JSON")

    def lines() -> int:
        return body.big.line_count() if body.showing_big else body.text.document().blockCount()

    async def show(res: object, label: str) -> None:
        highlighted: list[float] = []

        def on_highlight() -> None:
            if not highlighted:
                highlighted.append(time.perf_counter())

        body.text.highlighted.connect(on_highlight)
        body.big.highlighted.connect(on_highlight)
        gc.collect()  # not the benchmark's own garbage (making the bodies) in the figures
        probe.start()
        t0 = time.perf_counter()
        view.show_result(res)  # type: ignore[arg-type]
        t_call = time.perf_counter() - t0
        t_text = await until(
            lambda: body.big.line_count() > 1 or body.text.document().characterCount() > 1
        )
        t_done = await until(lambda: not body.rendering)
        await asyncio.sleep(0.3)
        stall = probe.stop()
        body.text.highlighted.disconnect(on_highlight)
        body.big.highlighted.disconnect(on_highlight)
        hl = f"{ms(highlighted[0] - t0)}" if highlighted else "   (none)"
        print(
            f"{label:34s} show_result() {ms(t_call)} | text {ms(t_text - t0)} | "
            f"coloured {hl} | done {ms(t_done - t0)} | max stall {ms(stall)}"
            f" | {lines():,} lines{' (BigTextView)' if body.showing_big else ''}"
        )

    await show(result(200, first, reason="OK"), "300 KB (first response, cold):")
    res = result(200, big, reason="OK")
    await show(res, f"{mb:g} MB pretty (preview):")

    # Show all: the whole pretty text into the BigTextView. The time spent in the view
    # itself (taking pieces, painting) is measured apart from the re-indenting.
    big = body.big
    spent = [0.0, 0.0]
    original_append, original_paint = big.append_text, big.paintEvent

    def timed_append(piece: str) -> None:
        t = time.perf_counter()
        original_append(piece)
        spent[0] += time.perf_counter() - t

    def timed_paint(e: object) -> None:
        t = time.perf_counter()
        original_paint(e)  # type: ignore[arg-type]
        spent[1] += time.perf_counter() - t

    big.append_text = timed_append  # type: ignore[method-assign]
    big.paintEvent = timed_paint  # type: ignore[method-assign,assignment]
    gc.collect()
    probe.start()
    t0 = time.perf_counter()
    body.show_all()
    t_call = time.perf_counter() - t0
    await until(lambda: big.line_count() > 50)
    t_text = time.perf_counter()
    await until(lambda: not body.rendering, 600)
    t_done = time.perf_counter()
    await asyncio.sleep(0.3)
    stall = probe.stop()
    big.append_text, big.paintEvent = original_append, original_paint  # type: ignore[method-assign]
    print(
        f"{mb:g} MB pretty, Show all:            show_all() {ms(t_call)} | text "
        f"{ms(t_text - t0)} | done {ms(t_done - t0)} | max stall {ms(stall)}"
        f" | {big.line_count():,} lines"
    )
    print(
        f"   of which in the view:            taking the text {ms(spent[0])}"
        f" | painting {ms(spent[1])} (the rest is re-indenting, time-sliced)"
    )

    # Find near the end of the whole text.
    bar = body.find_bar
    needle = f"c_{int(big.text().rsplit('c_', 1)[1][:7]) - 5:07d}"
    bar.show()
    bar.edit.setText(needle)
    probe.start()
    t0 = time.perf_counter()
    bar.search()
    await until(lambda: bar.match_count > 0, 60)
    t_found = time.perf_counter()
    await asyncio.sleep(0.1)
    stall = probe.stop()
    print(
        f"{mb:g} MB pretty, find near the end:   {ms(t_found - t0)} | max stall {ms(stall)}"
        f" | {bar.count_label.text()}"
    )
    bar.close_bar()

    # Key navigation to the end.
    t0 = time.perf_counter()
    big.verticalScrollBar().setValue(big.verticalScrollBar().maximum())
    big.repaint()
    print(f"{mb:g} MB pretty, jump to the end:     {ms(time.perf_counter() - t0)} (repaint)")

    probe.start()
    t0 = time.perf_counter()
    body.set_pretty(False)
    print(f"{mb:g} MB leaving Show all (to Raw):  set_pretty() {ms(time.perf_counter() - t0)}")
    await until(lambda: body.big.line_count() > 1)
    t_text = time.perf_counter()
    await until(lambda: not body.rendering, 600)
    await asyncio.sleep(0.3)
    stall = probe.stop()
    print(
        f"{mb:g} MB raw (all, as Show all is on): text {ms(t_text - t0)} | "
        f"max stall {ms(stall)} | {body.big.line_count():,} lines"
    )
    probe.start()
    t0 = time.perf_counter()
    body.set_pretty(True)
    await until(lambda: not body.rendering, 600)
    t_done = time.perf_counter()
    await asyncio.sleep(0.3)
    stall = probe.stop()
    print(
        f"{mb:g} MB pretty again (kept text):    done {ms(t_done - t0)} | max stall {ms(stall)}"
        f" | {body.big.line_count():,} lines"
    )

    await show(result(200, small, reason="OK"), "1 MB pretty (whole):")
    view.close()


if __name__ == "__main__":
    size = float(sys.argv[1]) if len(sys.argv) > 1 else 20.0
    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(main(size))
