"""What other starts ask of the window (``enroll-viewer 12345``, an enrollment link, a second
double-click), and what this start's own command line asked: come to the front, and look up.

Requests arrive as the command line gave them (a target and a connection name) and are checked
here again with the command line's own rules (:mod:`enroll_viewer.api.app_links`): a refused
one shows why in the Lookup page's banner and looks nothing up. A request never changes
settings; it may switch to a connection that exists, as picking it in the Connection box does.
Requests that arrive before the window is whole wait for it; the last one wins.

This start listens for others once its window has painted (QtNetwork is loaded then, not
before the first paint); until then other starts wait for its lock
(:mod:`enroll_viewer.ui.single_instance`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from enroll_viewer.api.records import LookupKey
    from enroll_viewer.ui.instance_server import InstanceServer
    from enroll_viewer.ui.main_window import MainWindow
    from enroll_viewer.ui.single_instance import Claim
    from enroll_viewer.work.runner import Outcome

log = logging.getLogger(__name__)

FROM_OUTSIDE = "from another start"
FROM_COMMAND_LINE = "from the command line"
_LISTEN = QEvent.Type(QEvent.registerEventType())  # "listen now", posted at the first paint


class LinkApplication(QApplication):
    """The app, which also passes on the links macOS hands over as events rather than as
    arguments (a link clicked while the app runs, and the one that started it).

    Signals:
        link_opened(str): a link (or a file) was opened with the app, percent-encoded.
    """

    link_opened = Signal(str)

    def event(self, event: QEvent) -> bool:
        # Only events sent to the app itself come here (an event filter on the app would see
        # every event of every widget, in Python).
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            self.link_opened.emit(bytes(event.url().toEncoded().data()).decode("ascii"))
            return True
        return super().event(event)


class OpenRequests(QObject):
    """Brings ``window`` to the front and carries out requests once it is ready.

    With ``claim``, it listens for other starts after the window's first paint, and stops as
    soon as the window starts closing, so that a start meanwhile opens a window of its own
    instead of waiting on this one.
    """

    def __init__(self, window: MainWindow, claim: Claim | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._claim = claim
        self.server: InstanceServer | None = None
        self._posted = False
        self._pending: tuple[str, str | None, str] | None = None
        self._awaiting: tuple[LookupKey, str] | None = None
        window.installEventFilter(self)
        app = QCoreApplication.instance()
        if isinstance(app, LinkApplication):
            app.link_opened.connect(self._on_link_opened)

    @Slot(str, object)
    def open(self, target: str, connection: str | None) -> None:
        """Another start asks: come to the front and look ``target`` up (on ``connection``,
        when named)."""
        self.bring_to_front()
        self._ask(target, connection, FROM_OUTSIDE)

    @Slot(str)
    def _on_link_opened(self, link: str) -> None:
        self.open(link, None)

    def start_with(self, target: str, connection: str | None) -> None:
        """This start's own command line asks (before the window is shown)."""
        self._ask(target, connection, FROM_COMMAND_LINE)

    def _ask(self, target: str, connection: str | None, source: str) -> None:
        if not (target or connection):
            return  # a plain start: the window at the front is all it asks
        if self._window.ready:
            self._carry_out(target, connection, source)
        else:
            self._pending = (target, connection, source)

    def window_ready(self) -> None:
        """The window is whole: listen (if not yet), carry out what arrived meanwhile."""
        self.listen()
        if self.server is not None:  # said here: the log is set up by now
            log.info("listening for other starts")
        self._window.lookup.lookup_done.connect(self._on_lookup_done)
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self._carry_out(*pending)

    def bring_to_front(self) -> None:
        """Un-minimize, raise and activate the window (the window manager has the last word:
        some only flash the taskbar entry)."""
        window = self._window
        state = window.windowState()
        if state & Qt.WindowState.WindowMinimized:
            window.setWindowState(state & ~Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()

    def _carry_out(self, target: str, connection: str | None, source: str) -> None:
        from enroll_viewer.api.app_links import NOTHING, parse_target  # noqa: PLC0415
        from enroll_viewer.api.errors import InvalidInput  # noqa: PLC0415

        window = self._window
        window.pages.setCurrentWidget(window.lookup)
        try:
            request = parse_target(target, connection)
        except InvalidInput as exc:
            log.info("refused a request %s: %s", source, exc.title)
            self._refuse(exc.title, exc.message)
            return
        if request.connection is not None:
            found = window.connections.find(request.connection)
            if found is None:
                known = ", ".join(item.name for item in window.connections.items)
                self._refuse(
                    "Unknown connection",
                    f"There is no connection called {request.connection!r} here "
                    f"(known: {known}). {NOTHING}",
                )
                log.info("refused a request %s: unknown connection", source)
                return
            if found.id != window.connection.id:
                window.switch_connection(found)
        if request.key is not None:
            log.info("looking up %s (%s)", request.key.describe(), source)
            self._awaiting = (request.key, source)
            window.lookup.look_up_text(request.key.value)

    def _refuse(self, title: str, message: str) -> None:
        from enroll_viewer.ui.widgets.messages import BannerSpec  # noqa: PLC0415
        from enroll_viewer.ui.widgets.tone import Tone  # noqa: PLC0415

        self._window.lookup.show_banner(BannerSpec(title, message, Tone.BAD))

    @Slot(object)
    def _on_lookup_done(self, outcome: Outcome) -> None:
        if self._awaiting is None or outcome.job.key != self._awaiting[0]:
            return
        source = self._awaiting[1]
        self._awaiting = None
        result = "shown" if outcome.error is None else f"failed ({outcome.error.title})"
        log.info("%s %s (%s)", outcome.job.key.describe(), result, source)

    @Slot()
    def listen(self) -> None:
        """Listen for other starts now (after the first paint, or once the window is whole,
        whichever comes first)."""
        claim, self._claim = self._claim, None
        if claim is not None:
            self.server = claim.listen(self)
            if self.server is not None:
                self.server.requested.connect(self.open)

    def customEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == _LISTEN:
            self.listen()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.Paint and self._claim is not None and not self._posted:
            # Once this paint is on screen, and before the rest of the window is built (also
            # posted at this paint, at normal priority): other starts wait for the lock.
            self._posted = True
            priority = Qt.EventPriority.HighEventPriority.value
            QCoreApplication.postEvent(self, QEvent(_LISTEN), priority)
        elif kind == QEvent.Type.Close:
            if self._claim is not None:
                self._claim.release()
                self._claim = None
            if self.server is not None:
                self.server.close()
        return False
