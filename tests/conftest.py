"""Shared fixtures: offscreen Qt, isolated settings/logs/keyring, local servers, thread checks."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from tests.servers import LocalServer, Responder

if TYPE_CHECKING:
    from enroll_viewer.store.connection import Connection
    from enroll_viewer.store.keystore import KeyStore
    from enroll_viewer.store.preferences import Preferences
    from enroll_viewer.ui.main_window import MainWindow


class MemoryKeyring:
    """An in-memory keyring backend so tests never touch a real OS keychain."""

    priority = 1
    name = "Memory keyring (tests)"

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.store:
            raise PasswordDeleteError("No such password!")
        del self.store[(service, username)]


@pytest.fixture(autouse=True)
def _isolate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the user's real settings, logs, keyring and environment."""
    for name in (
        "ENROLL_VIEWER_API_KEY",
        "ENROLL_VIEWER_BASE_URL",
        "HTTPS_PROXY",
        "HTTP_PROXY",
        "https_proxy",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    # The one place that keeps every test off the user's real files, on every platform.
    monkeypatch.setenv("ENROLL_VIEWER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ENROLL_VIEWER_CONFIG", str(tmp_path / "system-config.ini"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("NO_PROXY", "*")
    monkeypatch.setenv("TZ", "UTC")


@pytest.fixture(scope="session", autouse=True)
def _ctrl_c_reaches_children() -> Iterator[None]:
    """Children that tests stop with SIGINT (Ctrl+C) must not inherit it ignored.

    A shell without job control starts a background job (``cmd &`` in a script, ``nohup``)
    with SIGINT ignored; an ignored signal stays ignored across exec, and Python then never
    installs its Ctrl+C handler, so such a child would not stop. A handler of our own is reset
    to the default at exec instead, so children start as they would from a terminal.
    """
    import signal

    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        yield
        return
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.fixture(autouse=True)
def _no_leftover_threads() -> Iterator[None]:
    """Fail a test that leaves a thread of its own running."""
    before = set(threading.enumerate())
    yield
    import time

    deadline = time.monotonic() + 3
    while True:
        extra = [
            t
            for t in threading.enumerate()
            if t not in before and t.is_alive() and not t.name.startswith(("Dummy", "pydevd"))
        ]
        if not extra or time.monotonic() > deadline:
            break
        threading.Event().wait(0.02)
    assert not extra, f"threads left running: {[t.name for t in extra]}"


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def serve() -> Iterator[Callable[..., LocalServer]]:
    """Start local servers with a responder; all are stopped after the test."""
    servers: list[LocalServer] = []

    def start(responder: Responder, tls: Any = None) -> LocalServer:
        server = LocalServer(responder, tls).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(autouse=True)
def opened_urls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A test that opens a real modal dialog fails instead of hanging; URLs the app would open
    in the browser are collected here instead."""
    from enroll_viewer.ui.widgets import dialogs

    opened: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"a modal dialog was opened: {args[1:3]}")

    monkeypatch.setattr(dialogs, "show_info", refuse)
    monkeypatch.setattr(dialogs, "show_error", refuse)
    monkeypatch.setattr(dialogs, "ask_save_path", refuse)
    monkeypatch.setattr(dialogs, "ask_open_path", refuse, raising=False)
    monkeypatch.setattr(dialogs, "ask_print", refuse)
    monkeypatch.setattr(dialogs, "open_url", opened.append)
    return opened


@pytest.fixture
def prefs(tmp_path: Path) -> Preferences:
    from PySide6.QtCore import QSettings

    from enroll_viewer.store.preferences import Preferences

    return Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def make_window(
    qtbot, prefs: Preferences, memory_keyring: MemoryKeyring
) -> Iterator[Callable[..., MainWindow]]:
    """Windows on a connection, shown, their key state known; closed (threads joined) after."""
    from enroll_viewer.store.connections import load
    from enroll_viewer.store.keystore import KeyStore
    from enroll_viewer.ui.app import DemoHost, create_window

    windows: list[MainWindow] = []
    hosts: list[DemoHost] = []

    def make(
        connection: Connection, keystore: KeyStore | None = None, workers: int | None = None
    ) -> MainWindow:
        host = DemoHost()
        hosts.append(host)
        window = create_window(
            keystore or KeyStore(memory_keyring, environ={}),
            prefs,
            connection,
            load(),
            host,
            workers,
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        with qtbot.waitSignal(window.key_state_changed, timeout=5000):
            window.finish_setup()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
    for host in hosts:
        host.stop()


@pytest.fixture
def demo() -> Iterator[Any]:
    from enroll_viewer.demo.server import DemoServer

    with DemoServer() as server:
        yield server


@pytest.fixture
def demo_window(demo: Any, make_window: Callable[..., MainWindow]) -> MainWindow:
    """A window on the Demo connection at a running demo API, its key state known."""
    from tests.helpers import demo_connection

    return make_window(demo_connection(demo))
