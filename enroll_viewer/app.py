"""The composition root: builds the app, the window and what they need, and runs it."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from enroll_viewer import APP_ID, APP_NAME, ORG_NAME
from enroll_viewer.config import base_url_locked, resolve_base_url
from enroll_viewer.connection import Connection
from enroll_viewer.details import DetailsController
from enroll_viewer.keystore import KeyStore
from enroll_viewer.logs import RedactingFilter, log_dir, setup_logging
from enroll_viewer.resources import resource_path
from enroll_viewer.settings import Preferences
from enroll_viewer.ui import dialogs
from enroll_viewer.ui.main_window import MainWindow
from enroll_viewer.worker import LookupController

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


def create_window(keystore: KeyStore, prefs: Preferences, connection: Connection) -> MainWindow:
    """The main window with its controllers (their threads start after the first paint)."""
    controller = LookupController(keystore, connection)
    details = DetailsController(keystore, connection)
    window = MainWindow(
        controller,
        details,
        prefs,
        log_folder=log_dir(),
        base_url_locked=base_url_locked(),
    )
    controller.setParent(window)
    details.setParent(window)
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
    keystore = KeyStore()
    demo_server = None
    if demo:
        from enroll_viewer.demo_data import DEMO_KEY  # noqa: PLC0415
        from enroll_viewer.demo_server import DemoServer  # noqa: PLC0415

        demo_server = DemoServer().start()
        connection = Connection.demo(demo_server.base_url, DEMO_KEY)
    else:
        base_url = resolve_base_url(None, prefs.base_url())
        connection = Connection.for_base_url(base_url, prefs.timeout(), prefs.proxy())
    window = create_window(keystore, prefs, connection)
    install_excepthook(redactor, window)
    if os.environ.get("ENROLL_VIEWER_EXIT_AFTER_PAINT"):  # start-up benchmarks, smoke tests
        AfterFirstPaint(window, lambda: _report_paint_and_quit(app))
    else:
        AfterFirstPaint(window, window.controller.start)
    window.show()
    log.info("started (%s)", "demo" if demo else connection.host)
    try:
        return int(app.exec())
    finally:
        window.controller.shutdown(1000)
        if demo_server is not None:
            demo_server.stop()
