"""The Batch page, driven as a registrar would, against the demo API and local servers."""

from __future__ import annotations

import csv
import io
import itertools
import json
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from enroll_viewer.api.export import UTF8_BOM
from enroll_viewer.ui.main_window import MainWindow
from enroll_viewer.ui.widgets import dialogs
from enroll_viewer.work.batch import RowOutcome
from tests.helpers import column, demo_connection, named, run_batch, server_window
from tests.servers import Handler, record_responder


@pytest.fixture
def window(demo, make_window) -> MainWindow:
    made = make_window(demo_connection(demo))
    made.pages.setCurrentWidget(made.batch)
    return made


def test_a_batch_fills_the_table_in_input_order(qtbot, window: MainWindow) -> None:
    for name in ("Batch ids", "Look up all", "Batch progress", "Batch results", "Open ids file"):
        named(window, name)
    summary = run_batch(qtbot, window, "10\n404\n0\n11\n10\nE3G5YZFREFEQ9371\n500")
    assert summary.startswith("7 looked up · 4 found · 1 not found · 1 invalid · 1 error · ")
    inputs = ["10", "404", "0", "11", "10", "E3G5YZFREFEQ9371", "500"]
    assert column(window.batch, "Input") == inputs
    assert column(window.batch, "Outcome") == [
        "Found", "Not found", "Invalid", "Found", "Found", "Found", "Error",
    ]  # fmt: skip
    assert column(window.batch, "Enrollment status")[:4] == ["Enroll", "", "", "Request"]
    assert column(window.batch, "Learner")[0] == "Ada Lovelace"  # names on: learner and class
    progress = named(window, "Batch progress")
    assert progress.value() == progress.maximum() == 7  # a finished batch: full
    assert named(window, "Batch summary").text() == summary


def test_filter_double_click_and_a_new_batch_replaces_the_table(qtbot, window: MainWindow) -> None:
    run_batch(qtbot, window, "10\n404\n21")
    window.batch.filter.setCurrentIndex(window.batch.filter.findData(RowOutcome.NOT_FOUND))
    assert column(window.batch, "Input") == ["404"]
    window.batch.filter.setCurrentIndex(0)
    table = named(window, "Batch results")
    table.setFocus()
    table.setCurrentIndex(window.batch.proxy.index(2, 0))
    with qtbot.waitSignal(window.lookup.record_shown, timeout=5000) as shown:
        qtbot.keyClick(table, Qt.Key.Key_Return)  # the keyboard opens a row too
    assert shown.args == [21] and window.pages.currentWidget() is window.lookup
    window.pages.setCurrentWidget(window.batch)
    run_batch(qtbot, window, "12")
    assert column(window.batch, "Input") == ["12"]


def test_thousand_ids_with_flaky_ones_in_the_window(
    qtbot, window: MainWindow, qtmodeltester
) -> None:
    ids = "\n".join(str(n) for n in range(100000, 101000))
    summary = run_batch(qtbot, window, ids, timeout=60000)
    assert summary.startswith("1,000 looked up · 992 found · 8 not found · 0 errors")
    assert column(window.batch, "Input") == [str(n) for n in range(100000, 101000)]
    qtmodeltester.check(window.batch.model, force_py=True)
    qtmodeltester.check(window.batch.proxy, force_py=True)


def test_export_csv_for_excel_and_json(qtbot, window: MainWindow, monkeypatch, tmp_path) -> None:
    run_batch(qtbot, window, "100001\n404\n10")
    target = tmp_path / "out"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: str(target))
    window.menus.export_csv.trigger()
    text = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert text.startswith(UTF8_BOM)
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [r["Input"] for r in rows] == ["100001", "404", "10"]
    assert rows[0]["Région"] == "Bayern" and rows[2]["Unique Text"] == "AXY12345"
    assert rows[0]["Learner"] and rows[1]["Outcome"] == "not_found"
    window.menus.export_json.trigger()
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [i["Outcome"] for i in data["Items"]] == ["found", "not_found", "found"]
    assert data["Items"][0]["Enrollment"]["Links"]["Enrollment"].endswith("/100001")


def test_a_dropped_file_fills_the_box(qtbot, window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_bytes("\ufeffName,EnrollmentId\r\nAda,10\r\nGrace,11\r\n".encode())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    window.batch.dropEvent(event)
    assert named(window, "Batch ids").toPlainText() == "10\n11"


def test_escape_cancels_and_a_lookup_still_goes_through(
    qtbot, make_window, memory_keyring, serve
) -> None:
    held = threading.Event()  # batch answers wait for it; the lookup's does not

    def held_batch(h: Handler) -> None:
        if not h.path.endswith("/7"):
            while not (held.is_set() or h.wait(0.02)):
                pass
        record_responder(h)

    server = serve(held_batch)
    window = server_window(make_window, memory_keyring, server)
    window.pages.setCurrentWidget(window.batch)
    named(window, "Batch ids").setPlainText("\n".join(str(n) for n in range(100, 140)))
    qtbot.mouseClick(named(window, "Look up all"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(server.seen.paths) >= 3, timeout=3000)
    window.lookup.look_up_text("7")  # one worker is kept free for the Lookup page
    # Every batch request is held until the test lets it go: the lookup can only be answered
    # on a free worker (without one it would wait for the held batch), however slow the machine.
    qtbot.waitUntil(lambda: window.lookup.record is not None, timeout=10000)
    assert not held.is_set() and window.batch.model.rowCount() == 0
    window.pages.setCurrentWidget(window.batch)
    qtbot.keyClick(named(window, "Batch ids"), Qt.Key.Key_Escape)
    assert window.batch.run is not None and window.batch.run.cancelled
    assert named(window, "Batch summary").text().startswith("Cancelled: ")
    rows = window.batch.model.rowCount()
    held.set()  # the batch requests in flight are answered now, after the cancel
    with qtbot.assertNotEmitted(window.batch.finished, wait=800):
        pass
    assert window.batch.model.rowCount() == rows  # nothing arrives after a cancel
    assert named(window, "Look up all").isEnabled()


def test_window_repaints_while_a_thousand_rows_arrive(qtbot, window: MainWindow) -> None:
    from PySide6.QtCore import QTimer

    stamps: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: stamps.append(time.thread_time()))
    timer.start()
    run_batch(qtbot, window, "\n".join(str(n) for n in range(100000, 101000)), timeout=60000)
    timer.stop()
    # The GUI thread's own CPU time between two ticks: the work it does before it gets back to
    # the event loop (rows are added a few at a time). Wall-clock gaps also count the turns a
    # busy machine gives to other processes and threads; the benchmark reports those.
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert len(stamps) > 10 and max(gaps) < 0.1


def test_switching_connection_clears_the_batch(qtbot, window: MainWindow) -> None:
    run_batch(qtbot, window, "10")
    production = window.connections.get("Production")
    window.switch_connection(production)
    assert window.batch.model.rowCount() == 0 and not window.batch.can_export()
    assert not window.menus.export_csv.isEnabled()
