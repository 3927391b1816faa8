"""The results tables in a registrar's words: headers, default orders, columns shown, hidden,
moved and remembered, badge tones, sorting with the filter, copy, and exports unchanged."""

from __future__ import annotations

import csv
import io

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from enroll_viewer.api.export import ENROLLMENT_COLUMNS
from enroll_viewer.ui.main_window import MainWindow
from enroll_viewer.ui.pages.enrollment_table import TONE_ROLE
from enroll_viewer.ui.pages.table import TablePage
from enroll_viewer.ui.widgets import dialogs
from enroll_viewer.ui.widgets.tone import Tone
from tests.helpers import column, demo_connection, named, roster, run_batch

SEARCH_FIRST = ["Learner", "Email", "Enrollment status", "Completion status", "Enrollment ID"]
BATCH_FIRST = ["Input", "Outcome", "Learner", "Class", "Enrollment status", "Completion status"]
WORDS = {
    "Enrollment ID", "External ID", "Learner", "Email", "Class", "Enrollment status",
    "Completion status", "Late cancel", "Retake", "Location", "Classroom ID", "Hours spent",
    "Grade", "Custom fields", "User ID", "Class ID",
}  # fmt: skip


@pytest.fixture
def window(demo, make_window) -> MainWindow:
    return make_window(demo_connection(demo))


def shown_headers(page: TablePage) -> list[str]:
    model = page.proxy
    return [
        str(model.headerData(c, Qt.Orientation.Horizontal)) for c in page.table.visible_columns()
    ]


def test_search_headers_in_words_people_first(qtbot, window: MainWindow, qtmodeltester) -> None:
    roster(qtbot, window)
    headers = shown_headers(window.search)
    assert headers[:5] == SEARCH_FIRST
    assert set(headers) == WORDS
    model = window.search.model
    for section in range(model.columnCount()):  # what a screen reader reads: the words
        words = model.headerData(section, Qt.Orientation.Horizontal)
        assert words in WORDS
        tip = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert "in CSV and JSON exports" in tip
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(window.search.proxy, force_py=True)


def test_batch_order_and_the_error_column_only_with_errors(qtbot, window: MainWindow) -> None:
    run_batch(qtbot, window, "10\n404")
    headers = shown_headers(window.batch)
    assert headers[:6] == BATCH_FIRST and "Error" not in headers
    run_batch(qtbot, window, "10\n500")
    headers = shown_headers(window.batch)
    assert headers[:7] == [*BATCH_FIRST, "Error"]
    assert column(window.batch, "Error")[1]
    run_batch(qtbot, window, "11")
    assert "Error" not in shown_headers(window.batch)


def test_status_cells_carry_the_badge_tone_and_the_word(qtbot, window: MainWindow) -> None:
    run_batch(qtbot, window, "17\n14\n404")
    model = window.batch.proxy
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    status, outcome = headers.index("Enrollment status"), headers.index("Outcome")
    assert model.index(0, status).data() == "Enroll"
    assert model.index(0, status).data(TONE_ROLE) is Tone.GOOD
    assert model.index(1, status).data(TONE_ROLE) is Tone.GOOD  # Approve
    assert model.index(2, outcome).data() == "Not found"
    assert model.index(2, outcome).data(TONE_ROLE) is Tone.WARN
    assert model.index(2, status).data(TONE_ROLE) is None  # no record, no badge
    assert not window.batch.table.grab().isNull()  # the delegate paints without a warning


def test_sorting_ids_as_numbers_with_the_filter(qtbot, window: MainWindow) -> None:
    run_batch(qtbot, window, "100002\n9\n100\n11\n10")
    table = window.batch.table
    headers = [window.batch.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(20)]
    table.sortByColumn(headers.index("Input"), Qt.SortOrder.AscendingOrder)
    assert column(window.batch, "Input") == ["9", "10", "11", "100", "100002"]
    table.sortByColumn(headers.index("Enrollment ID"), Qt.SortOrder.DescendingOrder)
    assert column(window.batch, "Enrollment ID")[:3] == ["100002", "11", "10"]
    roster(qtbot, window)
    table = window.search.table
    headers = [window.search.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(20)]
    table.sortByColumn(headers.index("Enrollment ID"), Qt.SortOrder.AscendingOrder)
    ids = [int(i) for i in column(window.search, "Enrollment ID")]
    assert ids == sorted(ids) and len(ids) == 265
    named(window, "Filter results").setText("waitlist")
    kept = [int(i) for i in column(window.search, "Enrollment ID")]
    assert 0 < len(kept) < 265 and kept == sorted(kept)
    assert set(column(window.search, "Enrollment status")) == {"Waitlist"}


def test_copy_uses_the_visible_headers_in_their_order(qtbot, window: MainWindow) -> None:
    roster(qtbot, window)
    layout = window.search.columns
    assert layout is not None
    for key in list(c.key for c in layout.state)[3:]:
        layout.set_shown(key, False)
    layout.move("email", -1)  # Email, Learner, Enrollment status
    table = window.search.table
    table.setFocus()
    table.selectRow(0)
    qtbot.keySequence(table, "Ctrl+C")
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0] == "Email\tLearner\tEnrollment status"
    assert lines[1].split("\t")[1] == column(window.search, "Learner")[0]
    assert len(lines) == 2


def test_columns_are_remembered_per_page_and_reset(
    qtbot, window: MainWindow, make_window, demo, prefs
) -> None:
    roster(qtbot, window, "4425")
    search = window.search
    layout = search.columns
    assert layout is not None
    menu = layout.menu()
    toggles = {a.text(): a for a in menu.actions() if a.isCheckable()}
    assert list(toggles)[:5] == SEARCH_FIRST
    toggles["Email"].setChecked(False)  # as the header's right-click menu does
    layout.move("id", -4)
    header = search.table.horizontalHeader()
    header.resizeSection(search.model.column_keys().index("learner"), 333)
    assert prefs.columns("search") is not None and prefs.columns("batch") is None
    window.close()
    again = make_window(demo_connection(demo))
    roster(qtbot, again, "4423")
    headers = shown_headers(again.search)
    assert headers[:4] == ["Enrollment ID", "Learner", "Enrollment status", "Completion status"]
    assert "Email" not in headers
    learner = again.search.model.column_keys().index("learner")
    assert again.search.table.horizontalHeader().sectionSize(learner) == 333
    assert shown_headers(again.batch)[:2] == ["Input", "Outcome"]  # the other page: defaults
    reset = next(a for a in again.search.columns.menu().actions() if a.text() == "Reset columns")
    reset.trigger()
    assert shown_headers(again.search)[:5] == SEARCH_FIRST
    assert prefs.columns("search") is None


def test_the_columns_dialog_with_the_keyboard(qtbot, window: MainWindow) -> None:
    roster(qtbot, window)
    qtbot.mouseClick(named(window, "Choose columns"), Qt.MouseButton.LeftButton)
    layout = window.search.columns
    assert layout is not None
    dialog = layout.dialog
    assert dialog is not None and dialog.isVisible()
    listed = dialog.list
    assert [listed.item(i).text() for i in range(5)] == SEARCH_FIRST
    listed.setCurrentRow(1)
    listed.item(1).setCheckState(Qt.CheckState.Unchecked)  # Space on the item
    assert "Email" not in shown_headers(window.search)
    listed.setCurrentRow(4)
    qtbot.mouseClick(dialog.up, Qt.MouseButton.LeftButton)
    assert shown_headers(window.search)[:4] == [
        "Learner", "Enrollment status", "Enrollment ID", "Completion status",
    ]  # fmt: skip
    assert listed.currentRow() == 3
    qtbot.mouseClick(dialog.reset, Qt.MouseButton.LeftButton)
    assert shown_headers(window.search)[:5] == SEARCH_FIRST
    dialog.reject()


def test_exports_keep_their_machine_names(qtbot, window: MainWindow, monkeypatch, tmp_path) -> None:
    roster(qtbot, window, "4423")
    window.search.columns.set_shown("email", False)  # the window's choice, not the export's
    target = tmp_path / "roster"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: str(target))
    window.menus.export_csv.trigger()
    text = (tmp_path / "roster.csv").read_text(encoding="utf-8")[1:]
    head = next(csv.reader(io.StringIO(text)))
    assert head[:12] == list(ENROLLMENT_COLUMNS[:-1])
    assert head[-3:] == ["Learner", "Email", "Class"]
    run_batch(qtbot, window, "10\n404")
    target = tmp_path / "batch"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: str(target))
    window.menus.export_csv.trigger()
    text = (tmp_path / "batch.csv").read_text(encoding="utf-8")[1:]
    head = next(csv.reader(io.StringIO(text)))
    assert head[:4] == ["Input", "Outcome", "Error", "Id"]


def test_right_click_on_a_header_offers_the_columns(qtbot, window: MainWindow, monkeypatch) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QMenu

    roster(qtbot, window, "4425")
    shown: list[QMenu] = []
    # The offscreen platform warns on real popups (it cannot grab the keyboard).
    monkeypatch.setattr(QMenu, "popup", lambda menu, *a: shown.append(menu))
    window.search.table.horizontalHeader().customContextMenuRequested.emit(QPoint(5, 5))
    assert len(shown) == 1
    texts = [a.text() for a in shown[0].actions() if a.text()]
    assert texts[:5] == SEARCH_FIRST and texts[-2:] == ["Columns…", "Reset columns"]
