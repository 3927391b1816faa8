"""Helpers for driving the window in tests."""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from enroll_viewer.demo.server import DemoServer
from enroll_viewer.store.connection import Connection, demo
from enroll_viewer.store.keystore import keyring_entry
from enroll_viewer.ui.main_window import MainWindow
from enroll_viewer.ui.pages.table import TablePage
from tests.servers import LocalServer

KEY = "Window-Test-Key-0042"


def local_connection(base_url: str, timeout: float = 10, name: str = "Test server") -> Connection:
    """A user connection to a local server, saved in the connections file as a user would add
    it (its id, and keyring user name, is ``test-server``)."""
    from dataclasses import replace

    from enroll_viewer.store import connections as store

    current = store.load()
    existing = current.find(name)
    if existing is None:
        current = store.add(current, name, base_url, timeout=timeout)
    else:
        current = store.update(current, replace(existing, base_url=base_url, timeout=timeout))
    # The file keeps 5 to 120 s (as Settings does); tests may want a shorter one in memory.
    return replace(current.get(name), timeout=timeout)


def demo_connection(server: DemoServer) -> Connection:
    """The Demo connection at a running demo API."""
    return demo().with_base_url(server.base_url, server.site_url)


def store_key(memory_keyring: Any, connection: Connection, key: str = KEY) -> None:
    service, user = keyring_entry(connection)
    memory_keyring.set_password(service, user, key)


def server_window(
    make_window: Any, memory_keyring: Any, server: LocalServer, timeout: float = 10, **kw: Any
) -> MainWindow:
    connection = local_connection(server.base_url, timeout)
    store_key(memory_keyring, connection)
    return make_window(connection, **kw)


def look_up(qtbot: Any, window: MainWindow, text: str, timeout: int = 5000) -> None:
    window.id_field.setFocus()
    window.id_field.setText(text)
    with qtbot.waitSignal(window.lookup.lookup_done, timeout=timeout):
        qtbot.keyClick(window.id_field, Qt.Key.Key_Return)


def run_batch(qtbot: Any, window: MainWindow, text: str, timeout: int = 15000) -> str:
    """Look ``text``'s ids up on the Batch page; its summary."""
    window.pages.setCurrentWidget(window.batch)
    named(window, "Batch ids").setPlainText(text)
    with qtbot.waitSignal(window.batch.finished, timeout=timeout) as done:
        qtbot.mouseClick(named(window, "Look up all"), Qt.MouseButton.LeftButton)
    return str(done.args[0])


def roster(qtbot: Any, window: MainWindow, class_id: str = "4421") -> None:
    """Search the class ``class_id`` on the Search page, to the last row."""
    window.pages.setCurrentWidget(window.search)
    named(window, "Search class ID").setText(class_id)
    with qtbot.waitSignal(window.search.finished, timeout=20000):
        qtbot.mouseClick(named(window, "Search"), Qt.MouseButton.LeftButton)


def column(page: TablePage, header: str) -> list[str]:
    """The cells of the column headed ``header`` on ``page``, as sorted and filtered."""
    model = page.proxy
    at = next(
        c for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == header
    )  # fmt: skip
    return [model.index(r, at).data() for r in range(model.rowCount())]


def named(window: QWidget, name: str) -> Any:
    """The one widget with accessible name ``name``, or (for labels that keep their text as their
    name, and badges that add their word) with that object name."""
    found = [w for w in window.findChildren(QWidget) if w.accessibleName() == name]
    if not found:
        found = [w for w in window.findChildren(QWidget) if w.objectName() == name]
    assert len(found) == 1, f"{name!r}: {len(found)} widgets"
    return found[0]


def not_waiting_for_a_cpu() -> float:
    """A clock for the calling thread that stops while the thread is ready to run but waiting for
    a CPU (seconds: wall-clock time minus the run-queue wait Linux counts in schedstat).

    Gaps measured with it are the thread's own work and blocking (a lock, a socket, the GIL),
    not the turns a loaded machine gives to other processes; so a test can bound how long the
    GUI thread goes without handling events and not fail because CI is busy. Without schedstat
    it is the wall clock.
    """
    import time

    try:
        with open("/proc/thread-self/schedstat", encoding="ascii") as stats:
            waited_ns = int(stats.read().split()[1])
    except (OSError, IndexError, ValueError):
        waited_ns = 0
    return time.perf_counter() - waited_ns / 1e9


def text_of(widget: QWidget) -> str:
    assert isinstance(widget, (QLabel, QLineEdit))
    return widget.text()


# Ctrl+C for a child process: SIGINT on POSIX; on Windows, CTRL_BREAK_EVENT to a process
# group of its own (Ctrl+C cannot be sent to one), which the command line treats the same.
NEW_GROUP: dict[str, Any] = (
    {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if sys.platform == "win32" else {}
)


def interrupt(process: subprocess.Popen[Any]) -> None:
    """Press Ctrl+C in ``process`` (started with ``**NEW_GROUP``)."""
    process.send_signal(signal.CTRL_BREAK_EVENT if sys.platform == "win32" else signal.SIGINT)


def _under_wine() -> bool:
    """True in a Windows Python running under Wine (its ntdll exports ``wine_get_version``)."""
    if sys.platform != "win32":
        return False
    import ctypes

    return hasattr(ctypes.WinDLL("ntdll"), "wine_get_version")


UNDER_WINE = _under_wine()


def wine_limit(reason: str) -> pytest.MarkDecorator:
    """Skip a test under Wine only, for a limit of Wine's own (never on a real Windows)."""
    return pytest.mark.skipif(UNDER_WINE, reason=f"Wine's limit: {reason}")


# Ctrl+C (CTRL_BREAK_EVENT) cannot reach a child under Wine: a program it starts with pipes has
# no console, and GenerateConsoleCtrlEvent then fails with WinError 12 (AllocConsole too).
NO_CONSOLE_UNDER_WINE = wine_limit(
    "a program started with pipes has no console, so CTRL_BREAK_EVENT cannot be sent "
    "(GenerateConsoleCtrlEvent: WinError 12)"
)
