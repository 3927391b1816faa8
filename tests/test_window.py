"""The real window, driven with pytest-qt against the demo API and misbehaving servers."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget

from enroll_viewer.app import create_window
from enroll_viewer.connection import Connection
from enroll_viewer.demo_data import DEMO_KEY
from enroll_viewer.keystore import KeyStore
from enroll_viewer.settings import Preferences
from enroll_viewer.ui import dialogs
from enroll_viewer.ui.main_window import MainWindow, record_csv
from enroll_viewer.ui.tones import Tone, background, contrast_ratio, dark_palette, foreground
from tests.conftest import MemoryKeyring
from tests.helpers import KEY, look_up, named, server_window, text_of
from tests.servers import Handler, record_responder

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


@pytest.fixture
def demo_window(demo, make_window) -> MainWindow:
    return make_window(Connection.demo(demo.base_url, DEMO_KEY))


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
    assert "Enrollment 10" in demo_window.record_view.title.text()
    raw = json.loads(demo_window.record_view.raw.toPlainText())
    assert raw["ExternalId"] == "E3G5YZFREFEQ9371"
    assert demo_window.record_view.raw.isReadOnly()
    assert not demo_window.banner.isVisible()


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
    assert demo_window.banner.isVisible()
    assert text_of(banner).startswith(start)
    assert demo_window.record_view.record is None  # the old record is not left on screen
    assert demo_window.banner.action.isVisible() == (action is not None)
    if action:
        assert demo_window.banner.action.text() == action


def test_invalid_key_banner_offers_settings(qtbot, demo_window: MainWindow) -> None:
    look_up(qtbot, demo_window, "401")
    qtbot.mouseClick(demo_window.banner.action, Qt.MouseButton.LeftButton)
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
    memory_keyring.set_password(KeyStore.service_for(base), base, KEY)
    window = make_window(Connection.for_base_url(base, 5))
    look_up(qtbot, window, "5")
    assert window.banner.text.startswith("Cannot reach the server: Connection refused")
    assert window.banner.action.text() == "&Retry"
    with qtbot.waitSignal(window.controller.result, timeout=5000):
        qtbot.mouseClick(window.banner.action, Qt.MouseButton.LeftButton)
    assert window.banner.isVisible()


def test_timeout_banner(qtbot, make_window, memory_keyring, serve) -> None:
    server = serve(lambda h: h.wait(30))
    window = server_window(make_window, memory_keyring, server, timeout=1)
    look_up(qtbot, window, "5", timeout=4000)
    assert window.banner.text.startswith("Cannot reach the server: Timed out")


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
    with qtbot.waitSignal(window.record_shown, timeout=5000) as shown:
        look_up(qtbot, window, "2")
    assert shown.args == [2]
    with qtbot.assertNotEmitted(window.record_shown, wait=1500):
        pass  # the first server answer (after 1 s) must not replace the second
    assert window.record_view.record is not None and window.record_view.record.id == 2
    assert text_of(named(window, "User ID")) == "897615"


def test_escape_during_hung_lookup_is_idle_within_200_ms(
    qtbot, make_window, memory_keyring, serve
) -> None:
    server = serve(lambda h: h.wait(30) if h.path.endswith("/1") else record_responder(h))
    window = server_window(make_window, memory_keyring, server, timeout=30)
    window.id_field.setText("1")
    window.look_up()
    qtbot.waitUntil(lambda: len(server.seen.paths) == 1, timeout=3000)
    assert window.lookup_button.text() == "Cancel" and window.busy.isVisible()
    started = time.perf_counter()
    qtbot.keyClick(window.id_field, Qt.Key.Key_Escape)
    qtbot.waitUntil(
        lambda: not window.controller.busy and window.lookup_button.text() == "Look up", timeout=200
    )
    assert time.perf_counter() - started < 0.2
    assert not window.busy.isVisible()
    look_up(qtbot, window, "2")
    assert window.record_view.record is not None and window.record_view.record.id == 2


def test_cancel_button_during_lookup(qtbot, make_window, memory_keyring, serve) -> None:
    server = serve(lambda h: h.wait(30))
    window = server_window(make_window, memory_keyring, server, timeout=30)
    window.id_field.setText("1")
    window.look_up()
    qtbot.waitUntil(lambda: bool(server.seen.paths), timeout=3000)
    with qtbot.assertNotEmitted(window.controller.result, wait=300):
        qtbot.mouseClick(window.lookup_button, Qt.MouseButton.LeftButton)
    assert window.lookup_button.text() == "Look up"


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
    assert not window.controller._thread.isRunning()


def test_window_repaints_while_a_lookup_waits(qtbot, make_window, memory_keyring, serve) -> None:
    server = serve(lambda h: h.wait(30))
    window = server_window(make_window, memory_keyring, server, timeout=30)
    window.id_field.setText("1")
    window.look_up()
    qtbot.waitUntil(lambda: bool(server.seen.paths), timeout=3000)
    gaps = []
    last = time.perf_counter()
    end = last + 0.5
    while time.perf_counter() < end:
        QApplication.processEvents()
        window.repaint()
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    assert max(gaps) < 0.1
    window.cancel()


def test_custom_fields_model_passes_qtmodeltester(qtmodeltester, demo_window, qtbot) -> None:
    look_up(qtbot, demo_window, "50")
    qtmodeltester.check(demo_window.record_view.model, force_py=True)
    qtmodeltester.check(demo_window.record_view.proxy, force_py=True)


def test_thousand_custom_fields_sort_filter_and_copy(qtbot, demo_window: MainWindow) -> None:
    look_up(qtbot, demo_window, "51")
    view = demo_window.record_view
    assert view.proxy.rowCount() == 1000
    view.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert view.proxy.index(0, 2).data() == "7000"
    view.filter.setText("field 000")
    assert view.proxy.rowCount() == 9
    view.table.setFocus()
    view.table.select_all_rows()
    qtbot.keySequence(view.table, "Ctrl+C")
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0] == "Name\tValue\tField ID"
    assert len(lines) == 10 and lines[1].startswith("Field 0009\t")


def test_shortcuts(qtbot, demo_window: MainWindow) -> None:
    look_up(qtbot, demo_window, "10")
    demo_window.lookup_button.setFocus()
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
    assert demo_window.hint.isVisible() and "control characters" in demo_window.hint.text()
    field.clear()
    field.insert(" 1 234 ")  # a number copied from a report
    field.textEdited.emit(field.text())
    assert field.text() == "1234"
    field.setText("99999999999")
    demo_window.look_up()
    assert "between 1 and" in demo_window.hint.text()
    field.setText("x" * 101)
    demo_window.look_up()
    assert "at most 100" in demo_window.hint.text()


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
        if not widget.accessibleName() and not buddy:
            missing.append(f"{type(widget).__name__} {widget.objectName()}")
    assert not missing


def test_tab_order_starts_at_the_id_field(qtbot, demo_window: MainWindow) -> None:
    demo_window.activateWindow()
    qtbot.waitUntil(demo_window.isActiveWindow, timeout=2000)
    assert demo_window.id_field.hasFocus()
    order = []
    for _ in range(4):
        widget = QApplication.focusWidget()
        assert widget is not None
        order.append(widget.accessibleName())
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    assert order[:3] == ["Enrollment ID", "Look up", "Connection"]


def test_history_keeps_ids_only_and_clears(qtbot, demo_window: MainWindow, prefs, tmp_path) -> None:
    look_up(qtbot, demo_window, "10")
    look_up(qtbot, demo_window, "21")
    assert prefs.recent_ids() == [21, 10]
    prefs.sync()
    stored = (tmp_path / "prefs.ini").read_text()
    assert "AXY12345" not in stored and "897615" not in stored
    demo_window.clear_history_action.trigger()
    assert prefs.recent_ids() == []


def test_export_json_and_csv(qtbot, demo_window: MainWindow, monkeypatch, tmp_path) -> None:
    look_up(qtbot, demo_window, "10")
    target = tmp_path / "out"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: str(target))
    demo_window.export_json_action.trigger()
    assert json.loads((tmp_path / "out.json").read_text())["EnrollmentStatus"] == "Enroll"
    demo_window.export_csv_action.trigger()
    csv_text = (tmp_path / "out.csv").read_text()
    assert "Enrollment status,Enroll," in csv_text and "Unique Text,AXY12345,5089" in csv_text


def test_csv_cells_cannot_become_formulas() -> None:
    from enroll_viewer.records import ClassEnrollment, CustomField

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
    text = record_csv(record)
    assert "'=cmd()" in text and "'+x,'@y" in text


def test_about_says_where_the_key_is(qtbot, demo_window: MainWindow, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: shown.append(text))
    demo_window.about_action.trigger()
    assert "0.1.0" in shown[0] and "API key: kept in" in shown[0]


def test_demo_marker(demo_window: MainWindow) -> None:
    assert "DEMO" in demo_window.windowTitle()
    assert named(demo_window, "Connection").text().startswith("DEMO")  # type: ignore[attr-defined]


def test_production_caption() -> None:
    connection = Connection.for_base_url("https://lms.learnondemand.net/api/2.0")
    assert connection.caption == "Production · lms.learnondemand.net"


# --- key handling ------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["keyring.backends.null", "keyring.backends.fail"])
def test_no_secure_keyring_gives_session_only_mode(
    qtbot, make_window, serve, backend: str, tmp_path: Path
) -> None:
    import importlib

    server = serve(record_responder)
    keystore = KeyStore(importlib.import_module(backend).Keyring(), environ={})
    window = make_window(Connection.for_base_url(server.base_url, 10), keystore)
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
    with qtbot.waitSignal(window.controller.key_state, timeout=3000) as state:
        dialog.accept()
    assert state.args[0].where == "session"
    assert window.notice.isVisible() and window.notice.text.startswith("Key not saved")
    look_up(qtbot, window, "7")
    assert window.record_view.record is not None and window.record_view.record.id == 7
    assert server.seen.headers[-1]["api_key"] == KEY
    window.close()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_key_saved_in_keyring_and_forgotten(qtbot, make_window, memory_keyring, serve) -> None:
    server = serve(record_responder)
    window = make_window(Connection.for_base_url(server.base_url, 10))
    qtbot.waitUntil(
        lambda: window.settings_dialog is not None and window.settings_dialog.isVisible(),
        timeout=2000,
    )
    assert window.banner.text.startswith("No API key")
    dialog = window.settings_dialog
    assert dialog is not None
    dialog.key.setText(f"  {KEY}  ")
    with qtbot.waitSignal(window.controller.key_state, timeout=3000) as state:
        dialog.accept()
    assert state.args[0].where == "keyring"
    assert memory_keyring.store[(KeyStore.service_for(server.base_url), server.base_url)] == KEY
    assert not window.banner.isVisible()
    window.open_settings()
    dialog = window.settings_dialog
    assert dialog is not None and dialog.key.text() == ""  # a stored key is never shown
    qtbot.mouseClick(dialog.forget, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.controller.key_state, timeout=3000) as state:
        dialog.accept()
    assert state.args[0].where == "none"
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


def test_environment_key_counts_as_available(qtbot, make_window, serve) -> None:
    server = serve(record_responder)
    keystore = KeyStore(MemoryKeyring(), environ={"ENROLL_VIEWER_API_KEY": KEY})
    window = make_window(Connection.for_base_url(server.base_url, 10), keystore)
    assert window.controller.last_key_state is not None
    assert window.controller.last_key_state.where == "environment"
    assert window.settings_dialog is None
    look_up(qtbot, window, "3")
    assert window.record_view.record is not None


def test_locked_keyring_does_not_freeze_the_window(qtbot, make_window, serve) -> None:
    import threading

    release = threading.Event()

    class SlowLocked(MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            release.wait(5)  # a keyring waiting on an unlock prompt
            return None

    server = serve(record_responder)
    prefs_window_started = time.perf_counter()
    keystore = KeyStore(SlowLocked(), environ={})
    window = create_window(
        keystore, Preferences(QSettings()), Connection.for_base_url(server.base_url, 10)
    )
    qtbot.addWidget(window)
    window.show()
    window.controller.start()
    for _ in range(20):
        QApplication.processEvents()
    assert time.perf_counter() - prefs_window_started < 1.0
    release.set()
    qtbot.waitUntil(lambda: window.controller.last_key_state is not None, timeout=5000)
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
    window.diagnostics_action.trigger()
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
    with qtbot.waitSignal(window.controller.key_state, timeout=3000):
        dialog.accept()
    assert prefs.proxy() == "http://proxy.example.edu:8080"
    assert window.controller.connection.proxy == "http://proxy.example.edu:8080"
