"""Requests that another thread can abort, whatever state they are in.

A request's :class:`Attempt` knows its sockets: aborting it (cancel, or a deadline from the
shared :class:`Watchdog`) shuts them down, which makes a blocked read return at once. A
connect() in progress waits on a wake-up socket as well as its own, so it can be aborted too;
urllib3's pools are given connection classes that register with the attempt in flight.
"""

from __future__ import annotations

import _socket
import errno
import heapq
import itertools
import os
import select
import socket
import sys
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from enum import Enum
from typing import Any

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

# What connect_ex() returns for a connect still in progress (Windows: WSAEWOULDBLOCK).
IN_PROGRESS = {0, errno.EINPROGRESS, errno.EWOULDBLOCK, getattr(errno, "WSAEWOULDBLOCK", 10035)}


class Abort(Enum):
    """Why a request was aborted."""

    CANCEL = "cancel"
    DEADLINE = "deadline"


class Attempt:
    """One request in flight: the sockets it uses and whether it was aborted (and why)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reason: Abort | None = None
        self.sockets: set[socket.socket] = set()
        self.woken = threading.Event()
        # Wakes a connect() in progress; made only when a new connection is opened, so requests
        # on a pooled connection do not pay for it.
        self._wake: tuple[socket.socket, socket.socket] | None = None

    def wake_reader(self) -> socket.socket:
        """The socket a connect() waits on besides its own (readable once aborted)."""
        with self.lock:
            if self._wake is None:
                self._wake = socket.socketpair()
                if self.reason is not None:
                    self._wake[1].send(b"x")
            return self._wake[0]

    def abort(self, reason: Abort) -> None:
        with self.lock:
            if self.reason is not None:
                return
            self.reason = reason
            sockets = list(self.sockets)
            wake = self._wake
        self.woken.set()
        if wake is not None:
            with suppress(OSError):
                wake[1].send(b"x")
        for sock in sockets:
            shutdown_socket(sock)

    def attach(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self.lock:
            aborted = self.reason is not None
            self.sockets.add(sock)
        if aborted:
            shutdown_socket(sock)

    def detach(self, sock: socket.socket | None) -> None:
        if sock is not None:
            with self.lock:
                self.sockets.discard(sock)

    def close(self) -> None:
        with self.lock:
            wake, self._wake = self._wake, None
        if wake is not None:
            wake[0].close()
            wake[1].close()


def shutdown_socket(sock: socket.socket) -> None:
    """Make a recv blocked on ``sock`` in another thread return now."""
    # socket.socket.shutdown, not SSLSocket.shutdown: the latter drops the SSL object under the
    # reading thread's feet; a plain shutdown just makes its blocked recv return (Linux, macOS).
    with suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    if sys.platform == "win32":
        # Windows (and Wine) do not wake a blocked recv on shutdown(); closing the socket does
        # (closesocket is documented to end blocking calls on it). The low-level close leaves
        # the SSL object to its owner, which finds the socket closed and gives up.
        with suppress(OSError):
            _socket.socket.close(sock)


class Watchdog:
    """Runs deadline callbacks on one shared thread (a timer thread per request would cost a
    thread start per lookup in a batch). The thread ends as soon as nothing is scheduled."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, list[Any]]] = []
        self._count = itertools.count()
        self._thread: threading.Thread | None = None

    def schedule(self, delay: float, callback: Callable[[], None]) -> Callable[[], None]:
        """Run ``callback`` after ``delay`` seconds unless the returned function is called."""
        entry: list[Any] = [callback]
        with self._cond:
            heapq.heappush(self._heap, (time.monotonic() + delay, next(self._count), entry))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="enroll-viewer-deadlines", daemon=True
                )
                self._thread.start()
            else:
                self._cond.notify()

        def cancel() -> None:
            with self._cond:
                entry[0] = None
                self._cond.notify()

        return cancel

    def _run(self) -> None:
        with self._cond:
            while True:
                while self._heap and self._heap[0][2][0] is None:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._thread = None
                    return
                when, _n, entry = self._heap[0]
                delay = when - time.monotonic()
                if delay > 0:
                    self._cond.wait(delay)
                    continue
                heapq.heappop(self._heap)
                callback, entry[0] = entry[0], None
                self._cond.release()
                try:
                    callback()
                finally:
                    self._cond.acquire()


WATCHDOG = Watchdog()


class Watch:
    """The attempt in flight on one transport, so pooled connections can register their
    sockets with it (a transport serves one thread at a time)."""

    def __init__(self) -> None:
        self.current: Attempt | None = None

    def attach(self, conn: Any) -> None:
        attempt = self.current
        if attempt is not None:
            attempt.attach(getattr(conn, "sock", None))

    def detach(self, conn: Any) -> None:
        attempt = self.current
        if attempt is not None and conn is not None:
            attempt.detach(getattr(conn, "sock", None))

    def connect(self, conn: HTTPConnection) -> socket.socket:
        """Open a TCP connection that cancel can interrupt (a blocking connect cannot be)."""
        attempt = self.current
        if attempt is not None and attempt.reason is not None:
            raise NewConnectionError(conn, "request aborted before connecting")
        host, port = conn._dns_host, conn.port
        timeout = conn.timeout if isinstance(conn.timeout, (int, float)) else None
        try:
            infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise NameResolutionError(host, conn, exc) from exc
        last: OSError | None = None
        for family, kind, proto, _name, address in infos:
            sock = socket.socket(family, kind, proto)
            try:
                sock.setblocking(False)
                code = sock.connect_ex(address)
                if code not in IN_PROGRESS:
                    raise OSError(code, os.strerror(code))
                if code != 0:
                    waiting = [attempt.wake_reader()] if attempt else []
                    # Windows reports a failed connect in the exception set, never as writable:
                    # without it a refused port would wait out the whole connect timeout.
                    _r, writable, failed = select.select(waiting, [sock], [sock], timeout)
                    if attempt is not None and attempt.reason is not None:
                        raise OSError(errno.ECANCELED, "request aborted")
                    if not writable and not failed:
                        raise ConnectTimeoutError(
                            conn, f"Connection to {host} timed out. (connect timeout={timeout})"
                        )
                    code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    if code:
                        raise OSError(code, os.strerror(code))
                sock.setblocking(True)
                sock.settimeout(timeout)
                for opt in conn.socket_options or []:
                    sock.setsockopt(*opt)
                if attempt is not None:
                    attempt.attach(sock)
                return sock
            except ConnectTimeoutError:
                sock.close()
                raise
            except OSError as exc:
                sock.close()
                last = exc
        # The cause is kept so the failure can be told apart by type (refused, unreachable).
        raise NewConnectionError(conn, f"Failed to establish a new connection: {last}") from last


def pool_classes(watch: Watch) -> dict[str, type[HTTPConnectionPool]]:
    class TrackedHTTPConnection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            return watch.connect(self)

    class TrackedHTTPSConnection(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            return watch.connect(self)

        def connect(self) -> None:
            super().connect()
            watch.attach(self)  # the TLS-wrapped socket replaces the raw one

    class Tracking:
        """Registers a pooled connection's socket with the attempt that borrows it."""

        def _get_conn(self, timeout: float | None = None) -> Any:
            conn = super()._get_conn(timeout)  # type: ignore[misc]
            watch.attach(conn)
            return conn

        def _put_conn(self, conn: Any) -> None:
            watch.detach(conn)
            super()._put_conn(conn)  # type: ignore[misc]

    class TrackedHTTPPool(Tracking, HTTPConnectionPool):
        ConnectionCls = TrackedHTTPConnection

    class TrackedHTTPSPool(Tracking, HTTPSConnectionPool):
        ConnectionCls = TrackedHTTPSConnection

    return {"http": TrackedHTTPPool, "https": TrackedHTTPSPool}
