"""The composition root: builds the app, the window and what they need, and runs it."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from enroll_viewer import APP_ID, APP_NAME, ORG_NAME
from enroll_viewer import connections as connection_store
from enroll_viewer.connection import Connection, Connections
from enroll_viewer.connection import demo as demo_connection
from enroll_viewer.keystore import KeyStore
from enroll_viewer.logs import RedactingFilter, log_dir, setup_logging
from enroll_viewer.request_runner import RequestRunner
from enroll_viewer.resources import resource_path
from enroll_viewer.settings import Preferences
from enroll_viewer.ui import dialogs
from enroll_viewer.ui.main_window import MainWindow

if TYPE_CHECKING:
    from enroll_viewer.demo_server import DemoServer

log = logging.getLogger(__name__)


def guard_streams() -> None:
    """Windowed builds have ``sys.stdout``/``sys.stderr`` = None; give them somewhere to go."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            stream: TextIO = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
            setattr(sys, name, stream)


def install_excepthook(redactor: RedactingFilter, parent: QWidget | None) -> None:
    """Log unexpected exceptions and show a dialog; never a silent abort."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        text = redactor.redact("".join(traceback.format_exception(kind, value, tb)))
        log.error("unexpected error\n%s", text)
        try:
            dialogs.show_error(
                parent,
                f"{APP_NAME}: unexpected problem",
                "Something unexpected went wrong. The app may keep working; if it does not, "
                "restart it. The details are in the log (Help → Open log folder).",
                redactor.redact(f"{kind.__name__}: {value}"),
            )
        except Exception:
            log.exception("could not show the error dialog")

    sys.excepthook = hook


def app_icon() -> QIcon:
    """The window icon, from the SVG."""
    return QIcon(str(resource_path("icon.svg")))


def create_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication with its names set (QSettings location depends on them)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    return app


class DemoHost:
    """Starts the embedded demo API the first time the Demo connection is used."""

    def __init__(self) -> None:
        self._server: DemoServer | None = None

    def start(self, connection: Connection) -> Connection:
        """``connection`` (Demo) at the running demo API's address."""
        if self._server is None:
            from enroll_viewer.demo_server import DemoServer  # noqa: PLC0415

            self._server = DemoServer().start()
        return connection.with_base_url(self._server.base_url, self._server.site_url)

    def stop(self) -> None:
        """Stop the demo API, if it was started."""
        if self._server is not None:
            self._server.stop()
            self._server = None


def load_connections(prefs: Preferences) -> Connections:
    """The connections; on the first start after the update, the old base URL, timeout,
    proxy and history move over (keys move lazily, on first read)."""
    path = connection_store.user_file_path()
    base_url, timeout, proxy = prefs.legacy_connection()
    if not path.exists() and (base_url or timeout != 20 or proxy != "system"):
        try:
            migrated = connection_store.migrate(path, base_url, timeout, proxy)
        except OSError as exc:
            log.warning("could not write %s: %s", path, exc)
        else:
            if migrated is not None:
                prefs.adopt_legacy_history(migrated.default_connection.id)
    return connection_store.load(path)


def create_window(
    keystore: KeyStore,
    prefs: Preferences,
    connection: Connection,
    connections: Connections | None = None,
    demo_host: DemoHost | None = None,
    workers: int | None = None,
) -> MainWindow:
    """The main window with its request runner (whose threads start on the first request)."""
    connections = connections or connection_store.load()
    runner = RequestRunner(keystore, workers or prefs.workers())
    window = MainWindow(
        runner,
        prefs,
        connections,
        connection,
        demo_host.start if demo_host is not None else None,
        log_folder=log_dir(),
    )
    runner.setParent(window)
    return window


class AfterFirstPaint(QObject):
    """Runs ``then`` once the watched window has painted for the first time.

    The worker thread (and with it ``requests`` and ``keyring``) starts only then, so nothing
    competes with the first paint for the interpreter.
    """

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._then = then
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False


def _report_paint_and_quit(app: QApplication) -> None:
    if sys.stdout is not None:
        sys.stdout.write("first-paint\n")
        sys.stdout.flush()
    app.quit()


def run_gui(demo: bool = False, self_test: bool = False) -> int:
    """Open the window (on the demo API with ``demo``); returns the exit code."""
    guard_streams()
    if self_test:
        from enroll_viewer.self_test import run_self_test  # noqa: PLC0415

        return int(run_self_test())
    redactor = setup_logging()
    app = create_app()
    prefs = Preferences(QSettings())
    connections = load_connections(prefs)
    keystore = KeyStore(env_key_for=connections.env_key_target)
    demo_host = DemoHost()
    if demo:
        connection = demo_connection()
    else:
        active = prefs.active_connection()
        found = next((c for c in connections.items if c.id == active), None)
        connection = found or connections.default_connection
    if connection.is_demo:
        connection = demo_host.start(connection)
    window = create_window(keystore, prefs, connection, connections, demo_host)
    install_excepthook(redactor, window)
    if connections.problem:
        window.status_text.setText(connections.problem)
    if os.environ.get("ENROLL_VIEWER_EXIT_AFTER_PAINT"):  # start-up benchmarks, smoke tests
        AfterFirstPaint(window, lambda: _report_paint_and_quit(app))
    else:
        AfterFirstPaint(window, window.finish_setup)
    window.show()
    log.info("started (%s)", connection.name)
    try:
        return int(app.exec())
    finally:
        window.runner.shutdown(1.0)
        demo_host.stop()
