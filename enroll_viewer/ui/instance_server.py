"""The Qt local-socket ends of "one window per user session" (they load QtNetwork, so they
are imported only once the window has painted, or on Windows to hand over): the running
window's server, which reads one request line per connection and answers it, and the client
that Windows starts use to hand over (pipes; on Unix a plain socket does, without Qt:
:func:`enroll_viewer.ui.handoff.quick_offer`).
"""

from __future__ import annotations

import logging
import sys
import time

from PySide6.QtCore import QByteArray, QObject, QTimer, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from enroll_viewer.ui.handoff import (
    ANSWER_MS,
    CONNECT_MS,
    MAX_MESSAGE,
    NO,
    OK,
    Answer,
    decode_message,
)

log = logging.getLogger(__name__)

READ_MS = 1000  # the server waits this long for a client's whole line
MAX_CLIENTS = 8


def listen(name: str, parent: QObject | None = None) -> InstanceServer | None:
    """Listen on ``name`` for other starts; None (with a line in the log) when that fails."""
    server = QLocalServer(parent)
    if sys.platform == "win32":
        # Pipes are machine-wide: only this user may connect. (On Unix the option would make
        # Qt rename the socket file into place, replacing another's; the runtime folder is
        # private anyway.)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
    server.setMaxPendingConnections(MAX_CLIENTS)
    if not server.listen(name):
        log.warning("not listening for other starts: %s", server.errorString())
        server.deleteLater()
        return None
    return InstanceServer(server)


def offer(name: str, message: bytes) -> Answer:
    """Send ``message`` to the window listening on ``name`` and wait for its answer (blocking,
    bounded by :data:`CONNECT_MS` + :data:`ANSWER_MS`; no event loop is needed)."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_MS):
        error = socket.error()
        gone = (
            QLocalSocket.LocalSocketError.ServerNotFoundError,
            QLocalSocket.LocalSocketError.ConnectionRefusedError,
        )
        return Answer.NOBODY if error in gone else Answer.SILENT
    deadline = time.monotonic() + ANSWER_MS / 1000
    socket.write(QByteArray(message))
    socket.waitForBytesWritten(ANSWER_MS)
    answer = b""
    while b"\n" not in answer and len(answer) < 16:
        left = int((deadline - time.monotonic()) * 1000)
        if left <= 0 or not socket.waitForReadyRead(left):
            break
        answer += bytes(socket.readAll().data())
    socket.abort()
    return Answer.HANDED if answer.startswith(OK) else Answer.SILENT


class InstanceServer(QObject):
    """The running window's end: reads one request line per connection and answers it.

    Signals:
        requested(str, object): a target (id, link or "") and a connection name (or None),
            as another start sent them (the format checked, the contents not yet).
    """

    requested = Signal(str, object)

    def __init__(self, server: QLocalServer) -> None:
        super().__init__(server)
        self.server = server
        self._clients: set[_Client] = set()
        server.newConnection.connect(self._on_new_connection)

    @Slot()
    def _on_new_connection(self) -> None:
        while (socket := self.server.nextPendingConnection()) is not None:
            if len(self._clients) >= MAX_CLIENTS:
                socket.abort()
                socket.deleteLater()
                continue
            client = _Client(socket, self)
            self._clients.add(client)
            client.done.connect(self._on_client_done)

    @Slot(object)
    def _on_client_done(self, client: _Client) -> None:
        self._clients.discard(client)
        client.deleteLater()

    def close(self) -> None:
        """Stop listening (the window is closing): the next start opens a window of its own
        instead of waiting on this one."""
        if self.server.isListening():
            self.server.close()


class _Client(QObject):
    """One connection: at most one line, read within :data:`READ_MS`, then one answer."""

    done = Signal(object)

    def __init__(self, socket: QLocalSocket, owner: InstanceServer) -> None:
        super().__init__(owner)
        self._owner = owner
        self._socket = socket
        socket.setParent(self)
        self._buffer = b""
        self._answered = False
        self._finished = False
        # Whatever happens (a client that sends nothing, or never reads the answer), the
        # connection is dropped after READ_MS.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._finish)
        self._timer.start(READ_MS)
        socket.readyRead.connect(self._on_ready_read)
        socket.disconnected.connect(self._finish)
        self._on_ready_read()  # what arrived before the connection was taken

    @Slot()
    def _on_ready_read(self) -> None:
        if self._answered:
            return
        self._buffer += bytes(self._socket.read(MAX_MESSAGE + 1 - len(self._buffer)).data())
        line, newline, _ = self._buffer.partition(b"\n")
        if not newline and len(self._buffer) <= MAX_MESSAGE:
            return  # more to come
        try:
            target, connection = decode_message(line + newline)
        except ValueError as exc:
            log.warning("refused a message from another start: %s", exc)
            self._reply(NO)
            return
        self._reply(OK)
        self._owner.requested.emit(target, connection)

    def _reply(self, answer: bytes) -> None:
        self._answered = True
        self._socket.write(QByteArray(answer))
        self._socket.flush()  # now, so the other start exits before this window gets busy
        self._socket.disconnectFromServer()  # once the answer is written; then disconnected

    @Slot()
    def _finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        self._timer.stop()
        if self._socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            self._socket.abort()
        self.done.emit(self)
