"""The Search page, driven as a registrar would, against the demo API and local servers."""

from __future__ import annotations

import csv
import io
import json

import pytest
from PySide6.QtCore import QDate, Qt

from enroll_viewer.api.export import UTF8_BOM
from enroll_viewer.ui.main_window import MainWindow
from enroll_viewer.ui.widgets import dialogs
from tests.helpers import column, demo_connection, named, server_window
from tests.servers import Handler, sample


@pytest.fixture
def window(demo, make_window) -> MainWindow:
    made = make_window(demo_connection(demo))
    made.pages.setCurrentWidget(made.search)
    return made


def search(qtbot, window: MainWindow, timeout: int = 15000) -> str:
    with qtbot.waitSignal(window.search.finished, timeout=timeout) as done:
        qtbot.mouseClick(named(window, "Search"), Qt.MouseButton.LeftButton)
    return str(done.args[0])


def test_a_class_roster_fills_page_by_page(qtbot, window: MainWindow) -> None:
    for name in ("Search class ID", "Search learner", "Search status", "Search results"):
        named(window, name)
    named(window, "Search class ID").setText("4421")
    summary = search(qtbot, window)
    assert summary == "265 enrollments in class 4421 · Azure Fundamentals (AZ-900)"
    assert named(window, "Search summary").text() == summary
    assert len(column(window.search, "Enrollment ID")) == 265
    assert column(window.search, "Class")[0] == "Azure Fundamentals (AZ-900)"  # names on
    assert set(column(window.search, "Enrollment status")) >= {"Waitlist", "Enroll", "Request"}


def test_a_learner_search_names_the_learner(qtbot, window: MainWindow) -> None:
    named(window, "Search learner").setText("ada.lovelace@example.edu")
    status = named(window, "Search status")
    status.setCurrentIndex(status.findText("Enroll"))
    summary = search(qtbot, window)
    assert summary.startswith("9 enrollments of Ada Lovelace with status Enroll")
    found = named(window, "Learner found")
    assert found.isVisible() and "Ada Lovelace · ada.lovelace@example.edu" in found.text()
    assert set(column(window.search, "Enrollment status")) == {"Enroll"}


def test_nothing_to_search_by_says_so(qtbot, window: MainWindow) -> None:
    qtbot.mouseClick(named(window, "Search"), Qt.MouseButton.LeftButton)
    banner = window.search.banner
    assert banner.isVisible() and banner.text.startswith("Nothing to search by")


def test_dates_and_status_on_the_wire(qtbot, make_window, memory_keyring, serve) -> None:
    def respond(h: Handler) -> None:
        if "SearchClassEnrollments" in h.path:
            h.send_json({"Status": 0, "Results": [sample(5)], "TotalCount": 1})
        else:
            h.send_json({"Status": 0, "Results": [{"Id": 4421, "Name": "A class"}]})

    server = serve(respond)
    window = server_window(make_window, memory_keyring, server)
    window.pages.setCurrentWidget(window.search)
    named(window, "Search class ID").setText("4421")
    status = named(window, "Search status")
    status.setCurrentIndex(status.findText("Waitlist"))
    named(window, "Created after").setDate(QDate(2026, 3, 1))
    search(qtbot, window)
    asked = next(p for p in server.seen.paths if "SearchClassEnrollments" in p)
    assert "classId=4421" in asked and "enrollmentStatusId=20" in asked
    assert "createdAfter=1772323200" in asked and "createdBefore" not in asked


def test_escape_stops_paging(qtbot, make_window, memory_keyring, serve) -> None:
    def slow_pages(h: Handler) -> None:
        if "SearchClassEnrollments" in h.path:
            index = int(h.path.split("pageIndex=")[1].split("&")[0])
            if index:
                h.wait(5)
            rows = [sample(100 * index + n) for n in range(1, 101)]
            h.send_json({"Status": 0, "Results": rows})
        else:
            h.send_json({"Status": 20, "Results": []})

    server = serve(slow_pages)
    window = server_window(make_window, memory_keyring, server)
    window.pages.setCurrentWidget(window.search)
    named(window, "Search class ID").setText("7")
    qtbot.mouseClick(named(window, "Search"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.search.model.rowCount() == 100, timeout=5000)
    with qtbot.waitSignal(window.search.finished, timeout=1000) as done:
        qtbot.keyClick(named(window, "Search class ID"), Qt.Key.Key_Escape)
    assert str(done.args[0]).startswith("Stopped: 100 enrollments")
    with qtbot.assertNotEmitted(window.search.finished, wait=500):
        pass
    assert window.search.model.rowCount() == 100


def test_export_and_double_click(qtbot, window: MainWindow, monkeypatch, tmp_path) -> None:
    named(window, "Search learner").setText("897617")
    search(qtbot, window)
    target = tmp_path / "found"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: str(target))
    window.menus.export_csv.trigger()
    text = (tmp_path / "found.csv").read_text(encoding="utf-8")
    assert text.startswith(UTF8_BOM)
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [r["Id"] for r in rows] == ["42"] and "Input" not in rows[0]
    window.menus.export_json.trigger()
    data = json.loads((tmp_path / "found.json").read_text(encoding="utf-8"))
    assert data["Count"] == 1 and data["Results"][0]["Id"] == 42
    table = named(window, "Search results")
    cell = table.visualRect(window.search.proxy.index(0, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    with qtbot.waitSignal(window.lookup.record_shown, timeout=5000) as shown:
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert shown.args == [42]


def test_filter_results(qtbot, window: MainWindow) -> None:
    named(window, "Search class ID").setText("4423")
    search(qtbot, window)
    everything = len(column(window.search, "Enrollment ID"))
    named(window, "Filter results").setText("waitlist")
    kept = column(window.search, "Enrollment status")
    assert 0 < len(kept) < everything and set(kept) == {"Waitlist"}
