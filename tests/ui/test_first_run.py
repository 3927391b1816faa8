"""The first-run screen: no key for the active connection, and no Settings popping up."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QWidget

from enroll_viewer.store.connections import load
from tests.helpers import local_connection, named, store_key
from tests.servers import record_responder


def test_no_key_shows_the_first_run_screen_instead_of_settings(
    qtbot, make_window, serve
) -> None:
    server = serve(record_responder)
    window = make_window(local_connection(server.base_url, 10))
    guide = window.first_run
    assert guide.showing and window.settings_dialog is None
    screen = guide.screen
    assert screen.isVisible()
    intro = named(window, "What the app does").text()
    assert "looks up your organisation's class enrollments" in intro
    assert "TMS administrator" in named(window, "Where to get a key").text()
    assert "Test server" in named(window, "Connection without a key").text()
    # Keyboard first: the main button has the focus; every control has a name.
    assert screen.add_key.hasFocus()
    for widget in screen.findChildren(QWidget):
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus or isinstance(widget, QAbstractButton):
            assert widget.accessibleName(), widget
    qtbot.keyClick(screen.add_key, Qt.Key.Key_Space)
    qtbot.waitUntil(
        lambda: window.settings_dialog is not None and window.settings_dialog.isVisible(),
        timeout=2000,
    )
    dialog = window.settings_dialog
    assert dialog is not None and dialog.focusWidget() is dialog.key
    assert dialog.name.text() == "Test server"
    dialog.reject()


def test_try_it_with_sample_data_switches_to_the_demo(qtbot, make_window, serve) -> None:
    server = serve(record_responder)
    window = make_window(local_connection(server.base_url, 10))
    assert window.first_run.showing
    with qtbot.waitSignal(window.key_state_changed, timeout=5000):
        qtbot.mouseClick(window.first_run.screen.try_demo, Qt.MouseButton.LeftButton)
    assert window.connection.is_demo and "DEMO" in window.windowTitle()
    assert not window.first_run.showing
    assert window.lookup.stack.currentWidget() is not window.first_run.screen
    assert "Sample enrollments" in window.lookup.empty.text() or window.lookup.empty.ids


def test_a_key_saved_puts_the_page_back(qtbot, make_window, memory_keyring, serve) -> None:
    server = serve(record_responder)
    connection = local_connection(server.base_url, 10)
    window = make_window(connection)
    assert window.first_run.showing
    store_key(memory_keyring, connection)
    window.keys.retry()
    qtbot.waitUntil(lambda: not window.first_run.showing, timeout=3000)


def test_a_connection_it_set_up_is_named(
    qtbot, make_window, serve, monkeypatch, tmp_path: Path
) -> None:
    server = serve(record_responder)
    config = tmp_path / "it.ini"
    config.write_text(f"[api]\nname = Acme TMS\nbase_url = {server.base_url}\n", encoding="utf-8")
    monkeypatch.setenv("ENROLL_VIEWER_CONFIG", str(config))
    connections = load()
    acme = connections.get("Acme TMS")
    window = make_window(acme)
    assert window.first_run.showing and window.settings_dialog is None
    note = named(window, "Connection without a key").text()
    assert note.startswith("Your IT department set up the connection Acme TMS")


def test_the_demo_never_shows_it(qtbot, make_window, demo) -> None:
    from tests.helpers import demo_connection

    window = make_window(demo_connection(demo))
    assert not window.first_run.showing


def test_the_connection_badge_does_not_look_editable(qtbot, make_window, demo) -> None:
    from tests.helpers import demo_connection

    window = make_window(demo_connection(demo))
    badge = named(window, "Connection address")
    assert badge.cursor().shape() == Qt.CursorShape.ArrowCursor  # no I-beam over it
    flags = badge.textInteractionFlags()
    assert flags & Qt.TextInteractionFlag.TextSelectableByMouse  # still copyable
    assert not flags & Qt.TextInteractionFlag.TextSelectableByKeyboard  # no caret on click
    qtbot.mouseClick(badge, Qt.MouseButton.LeftButton)
    assert badge.selectedText() == ""
