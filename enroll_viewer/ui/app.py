"""The composition root: builds the app, the window and what they need, and runs it.

The window is shown in two steps (see :mod:`enroll_viewer.ui.main_window`): what the first
paint needs is imported here at module level; connections, the keyring, the request runner,
logging and the demo API are imported and built right after the first paint.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from enroll_viewer import APP_ID, APP_NAME, ORG_NAME
from enroll_viewer.store.preferences import Preferences, open_settings
from enroll_viewer.ui.connection_bar import DEMO_SHOWN, as_shown
from enroll_viewer.ui.main_window import MainWindow
from enroll_viewer.ui.open_requests import LinkApplication, OpenRequests
from enroll_viewer.ui.platform_check import xcb_problem

if TYPE_CHECKING:
    from enroll_viewer.demo.server import DemoServer
    from enroll_viewer.store.connection import Connection, Connections
    from enroll_viewer.store.keystore import KeyStore
    from enroll_viewer.store.logs import RedactingFilter
    from enroll_viewer.ui.single_instance import Claim

log = logging.getLogger(__name__)


def guard_streams() -> None:
    """Windowed builds have ``sys.stdout``/``sys.stderr`` = None; give them somewhere to go."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            stream: TextIO = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
            setattr(sys, name, stream)


def install_excepthook(redactor: RedactingFilter, parent: QWidget | None) -> None:
    """Log unexpected exceptions and show a dialog; never a silent abort."""

    from enroll_viewer.ui.widgets import dialogs  # noqa: PLC0415 - after the first paint

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


def set_app_icon(app: QApplication) -> None:
    """The window icon, from the SVG (after the first paint: on X11 it loads the SVG plugin)."""
    from PySide6.QtGui import QIcon  # noqa: PLC0415

    from enroll_viewer.resources import resource_path  # noqa: PLC0415

    app.setWindowIcon(QIcon(str(resource_path("icon.svg"))))


def create_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication with its names set (QSettings location depends on them)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else LinkApplication(argv or sys.argv)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    return app


class DemoHost:
    """Starts the embedded demo API the first time the Demo connection is used."""

    def __init__(self) -> None:
        self._server: DemoServer | None = None

    def start(self, connection: Connection) -> Connection:
        """``connection`` (Demo) at the running demo API's address."""
        if self._server is None:
            from enroll_viewer.demo.server import DemoServer  # noqa: PLC0415

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
    from enroll_viewer.store import connections as connection_store  # noqa: PLC0415

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
    """The main window, whole, with its request runner (whose threads start on the first
    request). The app shows the window before :meth:`MainWindow.attach`; tests need not."""
    window = MainWindow(prefs, as_shown(connection))
    attach(window, keystore, connection, connections, demo_host, workers)
    return window


def attach(
    window: MainWindow,
    keystore: KeyStore,
    connection: Connection,
    connections: Connections | None = None,
    demo_host: DemoHost | None = None,
    workers: int | None = None,
) -> None:
    """Give ``window`` its request runner, connections and demo API."""
    from enroll_viewer.store import connections as connection_store  # noqa: PLC0415
    from enroll_viewer.store.logs import log_dir  # noqa: PLC0415
    from enroll_viewer.ui.request_runner import RequestRunner  # noqa: PLC0415

    connections = connections or connection_store.load()
    workers = workers or window.prefs.workers()
    runner = RequestRunner(keystore, workers, refusal=connections.refusal())
    runner.setParent(window)
    window.attach(
        runner,
        connections,
        connection,
        demo_host.start if demo_host is not None else None,
        log_dir(),
    )


class AfterFirstPaint(QObject):
    """Runs ``then`` once the watched window has painted for the first time (``painting`` at
    its first paint event, as the floor benchmark reports it)."""

    def __init__(
        self, window: QWidget, then: Callable[[], None], painting: Callable[[], None]
    ) -> None:
        super().__init__(window)
        self._then = then
        self._painting = painting
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self._painting()
            QTimer.singleShot(0, self._then)
        return False


class Startup:
    """What runs after the first paint: logging, the excepthook, connections, the keyring,
    the request runner and (for the demo) the demo API; then the window is attached.

    With ``report`` (start-up benchmarks, smoke tests) it prints ``first-paint`` and
    ``ready`` as they happen, and quits when ready.
    """

    def __init__(
        self,
        app: QApplication,
        window: MainWindow,
        demo: bool,
        report: bool,
        on_ready: Callable[[], None] | None = None,
    ) -> None:
        self._app = app
        self._window = window
        self._demo = demo
        self._report = report
        self._on_ready = on_ready  # after finish_setup: what other starts asked meanwhile
        self.demo_host = DemoHost()

    def finish(self) -> None:
        """Build and attach the rest of the window (a smoke test that fails here exits 1
        instead of waiting on the error dialog)."""
        try:
            self._finish()
        except Exception:
            if not self._report:
                raise
            traceback.print_exc()
            self._app.exit(1)

    def _finish(self) -> None:
        from enroll_viewer.store.connection import demo as demo_connection  # noqa: PLC0415
        from enroll_viewer.store.keystore import KeyStore  # noqa: PLC0415
        from enroll_viewer.store.logs import setup_logging  # noqa: PLC0415

        window, prefs = self._window, self._window.prefs
        set_app_icon(self._app)
        install_excepthook(setup_logging(), window)
        connections = load_connections(prefs)
        keystore = KeyStore(env_key_for=connections.env_key_target)
        if self._demo:
            connection = demo_connection()
        else:
            active = prefs.active_connection()
            found = next((c for c in connections.items if c.id == active), None)
            connection = found or connections.default_connection
            prefs.set_active_connection(as_shown(connection))
        if connection.is_demo:
            connection = self.demo_host.start(connection)
        attach(window, keystore, connection, connections, self.demo_host)
        if connections.problem:
            window.status_text.setText(connections.problem)
        refusal = connections.refusal()
        if refusal is not None:
            from enroll_viewer.ui.widgets.tone import Tone  # noqa: PLC0415

            window.notice.show_message(refusal.title, refusal.message, Tone.BAD)
        log.info("started (%s)", connection.name)
        if self._report:
            self._say("ready")
            self._app.quit()
        else:
            window.finish_setup()
            if self._on_ready is not None:
                self._on_ready()

    def painting(self) -> None:
        """The window's first paint event."""
        self._say("first-paint")

    def _say(self, line: str) -> None:
        if self._report and sys.stdout is not None:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    def stop(self) -> None:
        """After the event loop: stop the workers and the demo API."""
        if self._window.ready:
            self._window.runner.shutdown(1.0)
        self.demo_host.stop()


def run_gui(
    demo: bool = False, claim: Claim | None = None, target: str = "", connection: str | None = None
) -> int:
    """Open the window (on the demo API with ``demo``); returns the exit code (1, with one
    sentence on stderr, when Qt's X11 libraries are missing).

    ``claim`` (see :mod:`enroll_viewer.ui.single_instance`) makes the window listen for other
    starts; ``target`` and ``connection`` are what to look up once it is ready.
    """
    guard_streams()
    problem = xcb_problem(os.environ)
    if problem is not None:
        if sys.stderr is not None:
            print(problem, file=sys.stderr)
        if claim is not None:
            claim.release()
        return 1
    app = create_app()
    prefs = Preferences(open_settings())
    window = MainWindow(prefs, DEMO_SHOWN if demo else prefs.shown_connection())
    requests = OpenRequests(window, claim)  # listens for other starts after the first paint
    requests.start_with(target, connection)
    report = bool(os.environ.get("ENROLL_VIEWER_EXIT_AFTER_PAINT"))
    startup = Startup(app, window, demo, report, requests.window_ready)
    AfterFirstPaint(window, startup.finish, startup.painting)
    window.show()
    try:
        return int(app.exec())
    finally:
        startup.stop()
