"""The window paints before the rest of the app is built: what it shows then, and that keys
typed (and an Enter pressed) before the rest is ready are not lost."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from enroll_viewer.store.connection import demo as demo_connection
from enroll_viewer.store.connections import load
from enroll_viewer.store.keystore import KeyStore
from enroll_viewer.store.preferences import Preferences, ShownConnection
from enroll_viewer.ui.app import DemoHost, Startup, attach
from enroll_viewer.ui.connection_bar import DEMO_SHOWN
from enroll_viewer.ui.main_window import MainWindow


@pytest.fixture
def first_paint(
    qtbot, prefs: Preferences
) -> Iterator[Callable[[ShownConnection | None], MainWindow]]:
    """Windows as the first paint shows them (not attached), focused; closed after."""
    windows: list[MainWindow] = []

    def make(shown: ShownConnection | None) -> MainWindow:
        window = MainWindow(prefs, shown)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=2000)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


@pytest.fixture
def demo_host() -> Iterator[DemoHost]:
    host = DemoHost()
    yield host
    host.stop()


def attach_demo(window: MainWindow, host: DemoHost, memory_keyring) -> None:
    connection = host.start(demo_connection())
    attach(window, KeyStore(memory_keyring, environ={}), connection, load(), host)


def test_keys_typed_and_enter_pressed_before_attach_look_up(
    qtbot, first_paint, prefs, demo_host, memory_keyring
) -> None:
    window = first_paint(DEMO_SHOWN)
    field = window.bar.id_field
    assert field.hasFocus()
    qtbot.keyClicks(field, "10")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert not window.ready and field.text() == "10"

    attach_demo(window, demo_host, memory_keyring)
    with qtbot.waitSignal(window.lookup.lookup_done, timeout=5000) as done:
        pass
    assert done.args[0].error is None
    assert window.lookup.record is not None and window.lookup.record.id == 10
    assert field.text() == "10" and field.hasFocus()
    assert window.pages.currentWidget() is window.lookup


def test_keys_typed_before_attach_stay_without_a_lookup(
    qtbot, first_paint, prefs, demo_host, memory_keyring
) -> None:
    window = first_paint(DEMO_SHOWN)
    qtbot.keyClicks(window.bar.id_field, "12")
    attach_demo(window, demo_host, memory_keyring)
    assert window.bar.id_field.text() == "12" and window.bar.id_field.hasFocus()
    assert not window.lookup.is_busy and window.lookup.record is None
    qtbot.keyClicks(window.bar.id_field, "3")  # typing goes on where it was
    assert window.bar.id_field.text() == "123"
    with qtbot.waitSignal(window.lookup.lookup_done, timeout=5000):
        qtbot.keyClick(window.bar.id_field, Qt.Key.Key_Return)


def test_an_id_clicked_in_the_empty_state_before_attach_is_looked_up(
    qtbot, first_paint, prefs, demo_host, memory_keyring
) -> None:
    window = first_paint(DEMO_SHOWN)
    window.empty.chosen.emit("11")
    attach_demo(window, demo_host, memory_keyring)
    with qtbot.waitSignal(window.lookup.lookup_done, timeout=5000):
        pass
    assert window.lookup.record is not None and window.lookup.record.id == 11


def test_the_first_paint_shows_the_connection_shown_last_time(first_paint, prefs) -> None:
    prefs.set_active_connection(ShownConnection("test", "Test", "test.example.com"))
    prefs.add_recent_id("test", 42)
    window = first_paint(prefs.shown_connection())
    assert window.connection_bar.box.currentText() == "Test"
    assert window.connection_bar.badge.text() == "test.example.com"
    assert window.empty.ids == ["42"] and "Test" in window.windowTitle()
    assert window.pages.count() == 3 and window.pages.currentIndex() == 0
    assert window.menus.edit_menu.isEmpty()  # the actions come with the rest of the window
    window.focus_id()  # Ctrl+L works before attach too
    assert window.bar.id_field.hasFocus()


def test_a_first_start_paints_without_a_connection_name(first_paint) -> None:
    window = first_paint(None)
    assert window.connection_bar.badge.text() == "" and window.empty.ids == []
    assert window.bar.id_field.hasFocus()


def test_startup_after_the_first_paint_attaches_and_remembers_the_connection(
    qtbot, first_paint, prefs, monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # Startup installs its own
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = first_paint(prefs.shown_connection())
    qtbot.keyClicks(window.bar.id_field, "10")
    qtbot.keyClick(window.bar.id_field, Qt.Key.Key_Return)
    startup = Startup(app, window, demo=False, report=False)
    try:
        startup.finish()
        assert window.ready and window.connection.name == "Production"
        assert prefs.shown_connection() == ShownConnection(
            "production", "Production", "lms.learnondemand.net"
        )
        # No key on Production: the lookup asked for one instead of going out without it.
        with qtbot.waitSignal(window.lookup.lookup_done, timeout=5000) as done:
            pass
        assert done.args[0].error is not None
    finally:
        window.close()
        startup.stop()


def test_the_first_paint_imports_nothing_of_the_network_side() -> None:
    """What ``enroll-viewer`` imports before the window is shown."""
    code = (
        "import sys\n"
        "from enroll_viewer.launch import main\n"
        "import enroll_viewer.ui.app\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=True,
    )
    loaded = set(result.stdout.split())
    late = {
        "requests",
        "urllib3",
        "keyring",
        "logging.handlers",
        "json",
        "enroll_viewer.cli.main",  # (PySide6 itself imports argparse)
        "enroll_viewer.store.connection",
        "enroll_viewer.store.connections",
        "enroll_viewer.store.keystore",
        "enroll_viewer.api.records",
        "enroll_viewer.work.runner",
        "enroll_viewer.work.jobs",
        "enroll_viewer.ui.pages.lookup",
        "enroll_viewer.ui.pages.record_view",
        "enroll_viewer.ui.pages.batch",
        "enroll_viewer.ui.pages.search",
        "enroll_viewer.ui.settings.dialog",
    }
    assert not loaded & late, sorted(loaded & late)


def test_batch_and_search_are_built_when_first_shown(make_window, demo) -> None:
    from enroll_viewer.ui.pages.batch import BatchPage
    from enroll_viewer.ui.pages.search import SearchPage

    window = make_window(demo_connection().with_base_url(demo.base_url, demo.site_url))
    assert [type(p).__name__ for p in window.all_pages] == ["LookupPage"]
    assert not isinstance(window.pages.widget(1), BatchPage)
    window.pages.setCurrentIndex(2)  # as a click on the tab does
    assert isinstance(window.pages.widget(2), SearchPage) and window.pages.currentIndex() == 2
    assert window.current_page() is window.search and window.search.isVisible()
    assert window.search.connection.base_url == window.connection.base_url
    assert len(window.all_pages) == 2
