"""The real window, driven with pytest-qt against the demo API and misbehaving servers."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget

from enroll_viewer.api.export import record_fields_csv
from enroll_viewer.store.connection import production
from enroll_viewer.store.connections import load
from enroll_viewer.store.keystore import KeySource, KeyStore, keyring_entry
from enroll_viewer.store.preferences import Preferences
from enroll_viewer.ui.app import create_window
from enroll_viewer.ui.main_window import MainWindow
from enroll_viewer.ui.widgets import dialogs
from enroll_viewer.ui.widgets.tone import Tone
from enroll_viewer.ui.widgets.tones import background, contrast_ratio, dark_palette, foreground
from tests.conftest import MemoryKeyring
from tests.helpers import (
    KEY,
    local_connection,
    look_up,
    named,
    not_waiting_for_a_cpu,
    server_window,
    store_key,
    text_of,
)
from tests.servers import Handler, envelope, record_responder

VALUE_NAMES = [
    "External ID",
    "User ID",
    "Class ID",
    "Enrollment status",
    "Completion status",
    "Late cancel",
    "Retake",
    "Location type",
    "Classroom ID",
    "Hours spent",
    "Grade",
]




def test_found_record_fills_every_field(qtbot, demo_window: MainWindow) -> None:
    look_up(qtbot, demo_window, "10")
    expected = [
        "E3G5YZFREFEQ9371",
        "897615",
        "4421",
        "Enroll",
        "Unknown",
        "No",
        "No",
        "To Be Determined",
        "3456",
        "20",
        "10",
    ]
    assert [text_of(named(demo_window, n)) for n in VALUE_NAMES] == expected
    table = named(demo_window, "Custom fields")
    assert table.model().rowCount() == 3  # type: ignore[attr-defined]
    assert "Enrollment 10" in demo_window.lookup.record_view.title.text()
    raw = json.loads(demo_window.lookup.record_view.raw.toPlainText())
    assert raw["ExternalId"] == "E3G5YZFREFEQ9371"
    assert demo_window.lookup.record_view.raw.isReadOnly()
    assert not demo_window.lookup.banner.isVisible()


def test_nulls_show_a_dash_with_not_set(qtbot, demo_window: MainWindow) -> None:
    look_up(qtbot, demo_window, "40")
    for name in ("External ID", "Location type", "Classroom ID", "Hours spent", "Grade"):
        widget = named(demo_window, name)
        assert text_of(widget) == "—"
        assert widget.toolTip() == "not set"


def test_unknown_codes_and_markup_stay_plain(qtbot, demo_window: MainWindow) -> None:
    look_up(qtbot, demo_window, "70")
    assert text_of(named(demo_window, "Enrollment status")) == "Unknown (70)"
    assert text_of(named(demo_window, "External ID")) == "<b>not bold</b>"
    assert text_of(named(demo_window, "Retake")) == "Yes"
    for label in demo_window.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText or not label.text().startswith("<")


@pytest.mark.parametrize(
    ("ident", "start", "action"),
    [
        ("404", "Enrollment 404 not found", None),
        ("401", "Invalid API key", "Change API key…"),
        ("500", "The API reported an error. Demo:", None),
    ],
)
def test_error_banners(
    qtbot, demo_window: MainWindow, ident: str, start: str, action: str | None
) -> None:
    look_up(qtbot, demo_window, "10")
    look_up(qtbot, demo_window, ident)
    banner = named(demo_window, "Message")
    assert demo_window.lookup.banner.isVisible()
    assert text_of(banner).startswith(start)
    assert demo_window.lookup.record is None  # the old record is not left on screen
    assert not demo_window.lookup.record_view.isVisible()
    assert demo_window.lookup.banner.action.isVisible() == (action is not None)
    if action:
        assert demo_window.lookup.banner.action.text() == action


def test_invalid_key_banner_offers_settings(qtbot, demo_window: MainWindow) -> None:
    look_up(qtbot, demo_window, "401")
    qtbot.mouseClick(demo_window.lookup.banner.action, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: demo_window.settings_dialog is not None and demo_window.settings_dialog.isVisible(),
        timeout=2000,
    )
    demo_window.settings_dialog.reject()  # type: ignore[union-attr]


def test_unreachable_banner_says_which_and_retry_works(qtbot, make_window, memory_keyring) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}/api/2.0"
    connection = local_connection(base, 5)
    store_key(memory_keyring, connection)
    window = make_window(connection)
    look_up(qtbot, window, "5")
    assert window.lookup.banner.text.startswith("Cannot reach the server: Connection refused")
    assert window.lookup.banner.action.text() == "&Retry"
    with qtbot.waitSignal(window.lookup.lookup_done, timeout=5000):
        qtbot.mouseClick(window.lookup.banner.action, Qt.MouseButton.LeftButton)
    assert window.lookup.banner.isVisible()


def test_timeout_banner(qtbot, make_window, memory_keyring, serve) -> None:
    server = serve(lambda h: h.wait(30))
    window = server_window(make_window, memory_keyring, server, timeout=1)
    look_up(qtbot, window, "5", timeout=4000)
    assert window.lookup.banner.text.startswith("Cannot reach the server: Timed out")


def test_slow_first_then_fast_second_shows_the_second(
    qtbot, make_window, memory_keyring, serve
) -> None:
    def responder(h: Handler) -> None:
        if h.path.endswith("/1"):
            h.wait(1.0)
        record_responder(h)

    server = serve(responder)
    window = server_window(make_window, memory_keyring, server)
    window.id_field.setText("1")
    window.look_up()
    qtbot.waitUntil(lambda: len(server.seen.paths) == 1, timeout=3000)
    with qtbot.waitSignal(window.lookup.record_shown, timeout=5000) as shown:
        look_up(qtbot, window, "2")
    assert shown.args == [2]
    with qtbot.assertNotEmitted(window.lookup.record_shown, wait=1500):
        pass  # the first server answer (after 1 s) must not replace the second
    assert window.lookup.record is not None and window.lookup.record.id == 2
    assert text_of(named(window, "User ID")) == "897615"


def test_escape_during_hung_lookup_is_idle_within_200_ms(
    qtbot, make_window, memory_keyring, serve
) -> None:
    server = serve(lambda h: h.wait(30) if h.path.endswith("/1") else record_responder(h))
    window = server_window(make_window, memory_keyring, server, timeout=30)
    window.id_field.setText("1")
    window.look_up()
    qtbot.waitUntil(lambda: len(server.seen.paths) == 1, timeout=3000)
    page = window.lookup
    assert page.lookup_button.text() == "Cancel" and page.busy.isVisible()
    qtbot.keyClick(window.id_field, Qt.Key.Key_Escape)
    # Idle as soon as the key is handled, without waiting for the worker (so well within
    # 200 ms, whatever the machine's load): nothing is left for the event loop to do.
    assert not page.is_busy and page.lookup_button.text() == "Look up"
    assert not page.busy.isVisible()
    look_up(qtbot, window, "2")
    assert page.record is not None and page.record.id == 2


def test_cancel_button_during_lookup(qtbot, make_window, memory_keyring, serve) -> None:
    server = serve(lambda h: h.wait(30))
    window = server_window(make_window, memory_keyring, server, timeout=30)
    window.id_field.setText("1")
    window.look_up()
    qtbot.waitUntil(lambda: bool(server.seen.paths), timeout=3000)
    with qtbot.assertNotEmitted(window.lookup.lookup_done, wait=300):
        qtbot.mouseClick(window.lookup.lookup_button, Qt.MouseButton.LeftButton)
    assert window.lookup.lookup_button.text() == "Look up"


def test_closing_during_hung_lookup_exits_within_a_second(
    qtbot, make_window, memory_keyring, serve
) -> None:
    server = serve(lambda h: h.wait(30))
    window = server_window(make_window, memory_keyring, server, timeout=30)
    window.id_field.setText("1")
    window.look_up()
    qtbot.waitUntil(lambda: bool(server.seen.paths), timeout=3000)
    started = time.perf_counter()
    window.close()
    assert time.perf_counter() - started < 1.0
    assert window.runner.alive_workers() == 0


def test_window_repaints_while_a_lookup_waits(qtbot, make_window, memory_keyring, serve) -> None:
    server = serve(lambda h: h.wait(30))
    window = server_window(make_window, memory_keyring, server, timeout=30)
    window.id_field.setText("1")
    window.look_up()
    qtbot.waitUntil(lambda: bool(server.seen.paths), timeout=3000)
    gaps = []
    last = not_waiting_for_a_cpu()
    end = time.perf_counter() + 0.5
    while time.perf_counter() < end:
        QApplication.processEvents()
        window.repaint()
        now = not_waiting_for_a_cpu()
        gaps.append(now - last)
        last = now
    assert max(gaps) < 0.1  # work or blocking on the GUI thread, not other processes' turns
    window.lookup.cancel()


def test_custom_fields_model_passes_qtmodeltester(qtmodeltester, demo_window, qtbot) -> None:
    look_up(qtbot, demo_window, "50")
    qtmodeltester.check(demo_window.lookup.record_view.model, force_py=True)
    qtmodeltester.check(demo_window.lookup.record_view.proxy, force_py=True)


def test_thousand_custom_fields_sort_filter_and_copy(qtbot, demo_window: MainWindow) -> None:
    look_up(qtbot, demo_window, "51")
    view = demo_window.lookup.record_view
    assert view.proxy.rowCount() == 1000
    view.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert view.proxy.index(0, 2).data() == "7000"
    view.filter.setText("field 000")
    assert view.proxy.rowCount() == 9
    view.table.setFocus()
    view.table.selectAll()
    qtbot.keySequence(view.table, "Ctrl+C")
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0] == "Name\tValue\tField ID"
    assert len(lines) == 10 and lines[1].startswith("Field 0009\t")


def test_shortcuts(qtbot, demo_window: MainWindow) -> None:
    look_up(qtbot, demo_window, "10")
    demo_window.lookup.lookup_button.setFocus()
    qtbot.keySequence(demo_window, "Ctrl+L")
    assert demo_window.id_field.hasFocus() and demo_window.id_field.selectedText() == "10"
    qtbot.keySequence(demo_window, "Ctrl+Shift+C")
    assert QGuiApplication.clipboard().text().startswith("Enrollment 10\n")
    qtbot.keySequence(demo_window, "Ctrl+,")
    qtbot.waitUntil(
        lambda: demo_window.settings_dialog is not None and demo_window.settings_dialog.isVisible(),
        timeout=2000,
    )
    demo_window.settings_dialog.reject()  # type: ignore[union-attr]
    demo_window.id_field.setFocus()
    demo_window.id_field.selectAll()
    qtbot.keySequence(demo_window.id_field, "Ctrl+C")
    assert QGuiApplication.clipboard().text() == "10"


def test_values_are_selectable_and_copyable(qtbot, demo_window: MainWindow) -> None:
    look_up(qtbot, demo_window, "10")
    user = named(demo_window, "User ID")
    assert isinstance(user, QLineEdit) and user.isReadOnly()
    user.setFocus()
    user.selectAll()
    qtbot.keySequence(user, "Ctrl+C")
    assert QGuiApplication.clipboard().text() == "897615"
    badge = named(demo_window, "Enrollment status")
    assert badge.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByKeyboard


def test_id_field_trims_pastes_and_refuses_control_characters(
    qtbot, demo_window: MainWindow
) -> None:
    field = demo_window.id_field
    field.setFocus()
    qtbot.keyClicks(field, "12a b")
    assert field.text() == "12a b"  # letters and inner spaces: an external id
    field.clear()
    field.insert("  34 \n")  # a paste with whitespace and a line break
    field.textEdited.emit(field.text())
    assert field.text() == "34"
    hint = demo_window.lookup.hint
    assert hint.isVisible() and "control characters" in hint.text()
    field.clear()
    field.insert(" 1 234 ")  # a number copied from a report
    field.textEdited.emit(field.text())
    assert field.text() == "1234"
    field.setText("99999999999")
    demo_window.look_up()
    assert "between 1 and" in hint.text()
    field.setText("x" * 101)
    demo_window.look_up()
    assert "at most 100" in hint.text()


def test_focusable_widgets_have_accessible_names(qtbot, demo_window: MainWindow) -> None:
    look_up(qtbot, demo_window, "10")
    for name in ["Enrollment ID", "Look up", "Message", "Custom fields", *VALUE_NAMES]:
        named(demo_window, name)
    missing = []
    for widget in demo_window.findChildren(QWidget):
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or not widget.isVisibleTo(demo_window):
            continue
        buddy = any(
            isinstance(lab, QLabel) and lab.buddy() is widget
            for lab in demo_window.findChildren(QLabel)
        )
        # A label's own text is its name (one given a name would hide its text).
        spoken = isinstance(widget, QLabel) and bool(widget.text())
        if not widget.accessibleName() and not buddy and not spoken:
            missing.append(f"{type(widget).__name__} {widget.objectName()}")
    assert not missing


def test_tab_order_starts_at_the_id_field(qtbot, demo_window: MainWindow) -> None:
    demo_window.activateWindow()
    qtbot.waitUntil(demo_window.isActiveWindow, timeout=2000)
    assert demo_window.id_field.hasFocus()
    order = []
    for _ in range(6):
        widget = QApplication.focusWidget()
        assert widget is not None
        order.append(widget.accessibleName() or widget.objectName())
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    # The reading order: the id field, its button, the ids to try, then round to the top: the
    # connection, the page tabs, and the id field again (the address beside the connection is
    # read with it, not a stop of its own).
    assert order == [
        "Enrollment ID",
        "Look up",
        "Ids to try",
        "Connection",
        "Pages",
        "Enrollment ID",
    ]


def test_history_keeps_ids_only_and_clears(qtbot, demo_window: MainWindow, prefs, tmp_path) -> None:
    look_up(qtbot, demo_window, "10")
    look_up(qtbot, demo_window, "21")
    assert prefs.recent_ids("demo") == [21, 10]
    prefs.sync()
    stored = (tmp_path / "prefs.ini").read_text()
    assert "AXY12345" not in stored and "897615" not in stored
    demo_window.menus.clear_history.trigger()
    assert prefs.recent_ids("demo") == []


def test_export_json_and_csv(qtbot, demo_window: MainWindow, monkeypatch, tmp_path) -> None:
    look_up(qtbot, demo_window, "10")
    target = tmp_path / "out"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: str(target))
    demo_window.menus.export_json.trigger()
    assert json.loads((tmp_path / "out.json").read_text())["EnrollmentStatus"] == "Enroll"
    demo_window.menus.export_csv.trigger()
    csv_text = (tmp_path / "out.csv").read_text()
    assert "Enrollment status,Enroll," in csv_text and "Unique Text,AXY12345,5089" in csv_text


def test_csv_cells_cannot_become_formulas() -> None:
    from enroll_viewer.api.records import ClassEnrollment, CustomField

    record = ClassEnrollment(
        1,
        "=cmd()",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        (CustomField("+x", "@y", 1),),
    )
    text = record_fields_csv(record)
    assert "'=cmd()" in text and "'+x,'@y" in text


def test_about_says_where_the_key_is(qtbot, demo_window: MainWindow, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: shown.append(text))
    demo_window.menus.about.trigger()
    assert "0.1.0" in shown[0] and "API keys: kept in" in shown[0]


def test_demo_marker(demo_window: MainWindow) -> None:
    assert "DEMO" in demo_window.windowTitle()
    assert named(demo_window, "Connection").currentText() == "Demo"
    assert named(demo_window, "Connection address").text().startswith("DEMO")


def test_production_caption() -> None:
    assert production().caption == "Production · lms.learnondemand.net"


# --- key handling ------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["keyring.backends.null", "keyring.backends.fail"])
def test_no_secure_keyring_gives_session_only_mode(
    qtbot, make_window, serve, backend: str, tmp_path: Path
) -> None:
    import importlib

    server = serve(record_responder)
    keystore = KeyStore(importlib.import_module(backend).Keyring(), environ={})
    window = make_window(local_connection(server.base_url, 10), keystore)
    assert window.first_run.showing and window.settings_dialog is None  # no dialog by itself
    qtbot.mouseClick(window.first_run.screen.add_key, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.settings_dialog is not None and window.settings_dialog.isVisible(),
        timeout=2000,
    )
    dialog = window.settings_dialog
    assert dialog is not None
    assert dialog.key.echoMode() == QLineEdit.EchoMode.Password
    dialog.key.setText(KEY)
    qtbot.mouseClick(dialog.reveal, Qt.MouseButton.LeftButton)
    assert dialog.key.echoMode() == QLineEdit.EchoMode.Normal
    with qtbot.waitSignal(window.key_state_changed, timeout=3000) as state:
        dialog.accept()
    assert state.args[0].source is KeySource.SESSION
    assert window.notice.isVisible() and window.notice.text.startswith("Key not saved")
    look_up(qtbot, window, "7")
    assert window.lookup.record is not None and window.lookup.record.id == 7
    assert server.seen.headers[-1]["api_key"] == KEY
    window.close()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_key_saved_in_keyring_and_forgotten(qtbot, make_window, memory_keyring, serve) -> None:
    server = serve(record_responder)
    connection = local_connection(server.base_url, 10)
    window = make_window(connection)
    assert window.first_run.showing and window.settings_dialog is None  # no dialog by itself
    qtbot.mouseClick(window.first_run.screen.add_key, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.settings_dialog is not None and window.settings_dialog.isVisible(),
        timeout=2000,
    )
    assert window.notice.text.startswith("No API key")
    dialog = window.settings_dialog
    assert dialog is not None
    assert dialog.name.text() == "Test server"  # the dialog opens on the active connection
    dialog.key.setText(f"  {KEY}  ")
    with qtbot.waitSignal(window.key_state_changed, timeout=3000) as state:
        dialog.accept()
    assert state.args[0].source is KeySource.KEYRING
    assert memory_keyring.store[keyring_entry(connection)] == KEY
    assert not window.notice.isVisible()
    window.open_settings()
    dialog = window.settings_dialog
    assert dialog is not None and dialog.key.text() == ""  # a stored key is never shown
    qtbot.mouseClick(dialog.forget, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.key_state_changed, timeout=3000) as state:
        dialog.accept()
    assert state.args[0].source is KeySource.NONE
    assert memory_keyring.store == {}


def test_settings_refuse_http_base_url(qtbot, make_window, memory_keyring, serve) -> None:
    server = serve(record_responder)
    window = server_window(make_window, memory_keyring, server)
    window.open_settings()
    dialog = window.settings_dialog
    assert dialog is not None
    dialog.base_url.setText("http://tms.example.org/api/2.0")
    dialog.accept()
    assert dialog.isVisible() and "https" in dialog.error.text()
    dialog.reject()


def test_a_refused_environment_base_url_looks_nothing_up(
    qtbot, make_window, memory_keyring, serve, monkeypatch
) -> None:
    server = serve(record_responder)
    monkeypatch.setenv("ENROLL_VIEWER_BASE_URL", "http://tms.example.org/api/2.0")
    monkeypatch.setenv("ENROLL_VIEWER_API_KEY", KEY)
    window = server_window(make_window, memory_keyring, server)
    window.id_field.setText("12")
    with qtbot.waitSignal(window.lookup.lookup_done, timeout=5000):
        qtbot.keyClick(window.id_field, Qt.Key.Key_Return)
    assert window.lookup.record is None
    assert "ENROLL_VIEWER_BASE_URL is not used: " in window.lookup.banner.text
    assert server.seen.paths == []


def test_environment_key_counts_as_available(qtbot, make_window, serve, monkeypatch) -> None:
    server = serve(record_responder)
    monkeypatch.setenv("ENROLL_VIEWER_BASE_URL", server.base_url)
    connections = load()
    connection = connections.default_connection
    assert connection.name == "Environment" and connection.locked
    keystore = KeyStore(
        MemoryKeyring(),
        environ={"ENROLL_VIEWER_API_KEY": KEY},
        env_key_for=connections.env_key_target,
    )
    window = make_window(connection, keystore)
    assert window.key_state is not None
    assert window.key_state.source is KeySource.ENVIRONMENT
    assert window.settings_dialog is None
    look_up(qtbot, window, "3")
    assert window.lookup.record is not None
    assert server.seen.headers[-1]["api_key"] == KEY


def test_locked_keyring_does_not_freeze_the_window(qtbot, make_window, serve) -> None:
    import threading

    release = threading.Event()
    answered = threading.Event()

    class SlowLocked(MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            release.wait(30)  # a keyring waiting on an unlock prompt, until the test says
            answered.set()
            return None

    server = serve(record_responder)
    keystore = KeyStore(SlowLocked(), environ={})
    window = create_window(
        keystore, Preferences(QSettings()), local_connection(server.base_url, 10), load()
    )
    qtbot.addWidget(window)
    window.show()
    window.finish_setup()
    for _ in range(20):
        QApplication.processEvents()
    # The window is up and handling events while the keyring still has not answered: it did
    # not wait for it (however long building the window takes on a busy machine).
    assert window.isVisible() and not answered.is_set()
    assert window.key_state is None  # not read on the GUI thread, even with a time limit
    release.set()
    qtbot.waitUntil(lambda: window.key_state is not None, timeout=5000)
    window.close()


# --- looks ---------------------------------------------------------------------------------


@pytest.mark.parametrize("palette_name", ["light", "dark"])
def test_badge_and_banner_contrast(palette_name: str, qapp) -> None:
    palette = dark_palette() if palette_name == "dark" else QPalette(QColor("#efefef"))
    for tone in Tone:
        ratio = contrast_ratio(foreground(palette), background(palette, tone))
        assert ratio >= 4.5, (palette_name, tone, ratio)


def test_dark_palette_window_reads(qtbot, demo_window: MainWindow) -> None:
    QApplication.setPalette(dark_palette())
    try:
        look_up(qtbot, demo_window, "27")
        badge = named(demo_window, "Completion status")
        ratio = contrast_ratio(
            badge.palette().color(QPalette.ColorRole.Text), background(badge.palette(), badge.tone)
        )  # type: ignore[attr-defined]
        assert ratio >= 4.5
        assert not demo_window.grab().isNull()
    finally:
        QApplication.setPalette(QApplication.style().standardPalette())


def test_diagnostics_for_it(qtbot, make_window, memory_keyring, serve, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: shown.append(text))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    server = serve(record_responder)
    window = server_window(make_window, memory_keyring, server)
    window.menus.diagnostics.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    text = shown[0]
    for expected in (
        "Keyring",
        "Memory keyring (tests)",
        "API key",
        "saved in the keyring",
        "Proxy",
        "this computer, direct",
        "Certificates",
        "REQUESTS_CA_BUNDLE (set, not used)",
        "Qt",
    ):
        assert expected in text
    assert KEY not in text


def test_settings_proxy_choice(qtbot, make_window, memory_keyring, serve, prefs) -> None:
    server = serve(record_responder)
    window = server_window(make_window, memory_keyring, server)
    window.open_settings()
    dialog = window.settings_dialog
    assert dialog is not None
    assert not dialog.proxy_url.isEnabled()
    dialog.proxy_mode.setCurrentIndex(2)  # Manual
    assert dialog.proxy_url.isEnabled()
    dialog.proxy_url.setText("proxy-without-scheme:8080")
    dialog.accept()
    assert dialog.isVisible() and "proxy" in dialog.error.text().lower()
    dialog.proxy_url.setText("http://proxy.example.edu:8080")
    with qtbot.waitSignal(window.key_state_changed, timeout=3000):
        dialog.accept()
    assert load().get("Test server").proxy == "http://proxy.example.edu:8080"
    assert window.connection.proxy == "http://proxy.example.edu:8080"


def test_fast_lookup_after_a_hung_one_never_waits_for_it_50_times(
    qtbot, make_window, memory_keyring, serve
) -> None:
    """With one worker, the fast lookup can only run once the hung one is really cancelled,
    whatever state it was in: queued, reading its key, connecting or waiting for the answer.
    A hung one that is not cancelled holds the worker for 30 s (the server's wait and the
    connection's timeout), so any answer within 10 s shows the cancel worked; the time a busy
    machine takes to hand over the worker is not what this is about (the benchmark times it)."""
    server = serve(lambda h: h.wait(30) if h.path.endswith("/1") else record_responder(h))
    window = server_window(make_window, memory_keyring, server, timeout=30, workers=1)
    assert window.runner.size == 1
    for n in range(50):
        hung_before = sum(p.endswith("/1") for p in server.seen.paths)
        window.id_field.setText("1")
        window.look_up()
        if n % 2:  # half the time once the server has the hung request, half at once

            def reached(before: int = hung_before) -> bool:
                return sum(p.endswith("/1") for p in server.seen.paths) > before

            qtbot.waitUntil(reached, timeout=2000)
        with qtbot.waitSignal(window.lookup.record_shown, timeout=10000) as shown:
            window.id_field.setText("2")
            window.look_up()
        assert shown.args == [2], n


# --- bugs a registrar hit ------------------------------------------------------------------


def test_a_new_lookup_clears_the_old_banner(qtbot, demo_window: MainWindow) -> None:
    look_up(qtbot, demo_window, "404")
    assert demo_window.lookup.banner.isVisible()
    demo_window.id_field.setText("3000")  # answers after 3 s
    demo_window.look_up()
    assert not demo_window.lookup.banner.isVisible()  # the banner belonged to the 404
    qtbot.keyClick(demo_window.id_field, Qt.Key.Key_Escape)
    assert not demo_window.lookup.is_busy and not demo_window.lookup.banner.isVisible()


def test_demo_settings_do_not_claim_an_environment_variable(qtbot, demo_window) -> None:
    demo_window.open_settings()
    dialog = demo_window.settings_dialog
    assert dialog is not None
    texts = [w.text() for w in dialog.findChildren(QLabel)]
    assert not any("ENROLL_VIEWER_BASE_URL" in t for t in texts)
    assert dialog.name.text() == "Production"  # the demo itself has nothing to set
    dialog.reject()


def test_empty_state_offers_demo_ids_that_look_up(qtbot, demo_window: MainWindow) -> None:
    empty = demo_window.lookup.empty
    ids = named(demo_window, "Ids to try")
    assert ids.isVisible() and "10" in empty.ids and "3000" in empty.ids
    assert "reference page" in empty.text()
    spoken = [ids.item(row).data(Qt.ItemDataRole.AccessibleTextRole) for row in range(ids.count())]
    assert "Look up 10: Enroll, Unknown, To Be Determined" in spoken
    assert "Look up 3000: slow: 3 s (try Esc)" in spoken
    row = next(r for r in range(ids.count()) if ids.item(r).text().startswith("21 "))
    ids.setFocus()
    ids.setCurrentRow(row)
    with qtbot.waitSignal(demo_window.lookup.record_shown, timeout=5000) as shown:
        qtbot.keyClick(ids, Qt.Key.Key_Return)  # the keyboard alone, as with a screen reader
    assert shown.args == [21] and not empty.isVisible()
    for name in VALUE_NAMES:  # the form keeps its accessible names
        named(demo_window, name)


def test_empty_state_lists_recent_ids_of_the_connection(
    qtbot, make_window, memory_keyring, serve, prefs
) -> None:
    def responder(h: Handler) -> None:
        if "ByExternalId" in h.path:
            h.send_json(envelope(status=20))
        else:
            record_responder(h)

    server = serve(responder)
    window = server_window(make_window, memory_keyring, server)
    empty = window.lookup.empty
    assert empty.ids == [] and "No enrollment shown" in empty.text()
    look_up(qtbot, window, "12")
    look_up(qtbot, window, "NOPE-1")  # not found: back to the empty state
    assert empty.isVisible() and empty.ids == ["12"]
    assert prefs.recent_ids("demo") == []  # another connection's history is its own


def test_forget_key_that_the_keyring_refuses_says_so(qtbot, make_window, serve) -> None:
    class Refusing(MemoryKeyring):
        def delete_password(self, service: str, username: str) -> None:
            from keyring.errors import KeyringLocked

            raise KeyringLocked("locked")

    server = serve(record_responder)
    connection = local_connection(server.base_url)
    backend = Refusing()
    backend.set_password(*keyring_entry(connection), KEY)
    window = make_window(connection, KeyStore(backend, environ={}))
    assert window.key_state is not None and window.key_state.source is KeySource.KEYRING
    window.open_settings()
    dialog = window.settings_dialog
    assert dialog is not None
    qtbot.mouseClick(dialog.forget, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.key_state_changed, timeout=3000) as state:
        dialog.accept()
    assert state.args[0].source is KeySource.KEYRING  # still shown as stored
    assert window.notice.isVisible() and "locked" in window.notice.text
    assert backend.store[keyring_entry(connection)] == KEY
