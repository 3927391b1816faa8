"""The window at work: Enter to painted record, and the longest event-loop gaps during a slow
lookup, a 1,000-field record and a batch of 1,000 ids filling the Batch page."""

from __future__ import annotations

import itertools
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import Figure, median, p95


def measure(runs: int) -> dict[str, Any]:
    """Runs in a child: the real window on the demo API, offscreen."""
    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from enroll_viewer.store.connection import demo, one_off
    from enroll_viewer.store.keystore import KeyStore
    from enroll_viewer.store.preferences import Preferences
    from enroll_viewer.ui.app import DemoHost, create_app, create_window
    from tests.servers import LocalServer, record_responder

    app = create_app([sys.argv[0]])
    folder = Path(tempfile.mkdtemp())
    prefs = Preferences(QSettings(str(folder / "p.ini"), QSettings.Format.IniFormat))
    host = DemoHost()
    demo_connection = host.start(demo())
    slow = LocalServer(lambda h: (h.wait(2.0), record_responder(h))).start()
    slow_connection = one_off(slow.base_url, 10)
    keystore = KeyStore(environ={"ENROLL_VIEWER_API_KEY": "k"}, env_key_for=slow_connection.id)
    window = create_window(keystore, prefs, demo_connection, None, host)
    window.show()
    app.processEvents()
    window.finish_setup()

    def wait_until(condition: Any, seconds: float = 30) -> None:
        end = time.perf_counter() + seconds
        while not condition():
            app.processEvents()
            if time.perf_counter() > end:
                raise RuntimeError("timed out")

    def enter_to_paint(ident: int) -> float:
        shown: list[int] = []
        window.lookup.record_shown.connect(shown.append)
        window.id_field.setText(str(ident))
        started = time.perf_counter()
        window.look_up()
        wait_until(lambda: bool(shown))
        window.repaint()  # the paint of the new record, synchronously
        elapsed = (time.perf_counter() - started) * 1000
        window.lookup.record_shown.disconnect(shown.append)
        return elapsed

    enter_to_paint(10)  # warm-up
    typical = [enter_to_paint(10 if i % 2 else 21) for i in range(runs)]
    large = [enter_to_paint(51 if i % 2 else 50) for i in range(max(5, runs // 2))]

    def longest_gap(action: Any, until: Any, seconds: float) -> float:
        # The longest wait between turns of the event loop (a 1 ms timer's ticks).
        stamps: list[float] = []
        clock = QElapsedTimer()
        clock.start()
        timer = QTimer()
        timer.setInterval(1)
        timer.timeout.connect(lambda: stamps.append(clock.nsecsElapsed() / 1e6))
        timer.start()
        action()
        end = time.perf_counter() + seconds
        while not until() and time.perf_counter() < end:
            app.processEvents()
            QApplication.sendPostedEvents()
        timer.stop()
        return max(b - a for a, b in itertools.pairwise(stamps)) if stamps else 0.0

    window.switch_connection(slow_connection)
    window.id_field.setText("5")
    started = time.perf_counter()
    gap_slow = longest_gap(window.look_up, lambda: time.perf_counter() - started > 2.3, 3)
    window.switch_connection(demo_connection)
    window.id_field.setText("51")
    started = time.perf_counter()
    gap_large = longest_gap(window.look_up, lambda: time.perf_counter() - started > 0.8, 1)
    finished: list[str] = []
    window.batch.finished.connect(finished.append)
    ids = [str(n) for n in range(100000, 101003) if n not in (100250, 100500, 100750)]
    window.batch.ids.setPlainText("\n".join(ids))
    window.pages.setCurrentWidget(window.batch)
    started = time.perf_counter()
    gap_batch = longest_gap(window.batch.start, lambda: bool(finished), 60)
    batch_seconds = time.perf_counter() - started
    window.close()
    slow.stop()
    host.stop()
    return {
        "typical_ms": typical,
        "large_ms": large,
        "gap_slow_ms": gap_slow,
        "gap_large_ms": gap_large,
        "gap_batch_ms": gap_batch,
        "batch_s": batch_seconds,
        "batch_rows": window.batch.model.rowCount(),
    }


def figures(data: dict[str, Any]) -> list[Figure]:
    """The rows for the table."""
    typical, large = data["typical_ms"], data["large_ms"]
    return [
        Figure("Enter → painted record, typical (median)", median(typical), None, "ms", "< 30",
               median(typical) < 30),
        Figure("Enter → painted record, typical (p95)", p95(typical), None, "ms", "< 30",
               p95(typical) < 30),
        Figure("Enter → painted record, 1,000 fields (median)", median(large), None, "ms",
               "< 100", median(large) < 100),
        Figure("Enter → painted record, 1,000 fields (p95)", p95(large), None, "ms", "< 100",
               p95(large) < 100),
        Figure("Longest event-loop gap, 2 s slow lookup", data["gap_slow_ms"], None, "ms",
               "< 50", data["gap_slow_ms"] < 50),
        Figure("Longest event-loop gap, 1,000-field record", data["gap_large_ms"], None, "ms",
               "< 50", data["gap_large_ms"] < 50),
        Figure(f"Longest event-loop gap, Batch page, {data['batch_rows']:,} rows arriving",
               data["gap_batch_ms"], None, "ms", "< 50", data["gap_batch_ms"] < 50),
        Figure("Batch page, 1,000 ids with names (3 workers)", data["batch_s"], None, "s"),
    ]  # fmt: skip
