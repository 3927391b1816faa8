"""Learner and class names beside the ids: GetUser and GetClass fetched in the background.

Two workers, each on its own QThread with its own connection, so the two fetches run in
parallel. Answers are cached for the session (by id); a new lookup cancels the fetches of the
old one, and an answer for an old lookup is dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal, Slot

from enroll_viewer.connection import Connection
from enroll_viewer.errors import AppError, Cancelled
from enroll_viewer.records import ClassDetails, UserDetails

if TYPE_CHECKING:
    from enroll_viewer.client import ApiClient
    from enroll_viewer.keystore import KeyStore

log = logging.getLogger(__name__)

USER, CLASS = "user", "class"


@dataclass(frozen=True)
class DetailRequest:
    """Fetch ``kind`` (``user`` or ``class``) ``ident`` for the lookup numbered ``seq``."""

    seq: int
    kind: str
    ident: int


@dataclass(frozen=True)
class DetailResult:
    """A fetched learner or class, or the error that stopped it."""

    seq: int
    kind: str
    ident: int
    details: UserDetails | ClassDetails | None
    error: AppError | None


class DetailWorker(QObject):
    """Fetches one kind of detail in its own thread.

    Signals:
        fetched(DetailResult): one fetch ended.
    """

    fetched = Signal(object)

    def __init__(self, keystore: KeyStore) -> None:
        super().__init__()
        self._keystore = keystore
        self._connection: Connection | None = None
        self._client: ApiClient | None = None
        self._latest = 0

    def supersede(self, seq: int) -> None:
        """Requests older than ``seq`` are skipped (thread-safe)."""
        self._latest = seq

    def cancel_current(self) -> None:
        """Abort the fetch in flight (thread-safe)."""
        client = self._client
        if client is not None:
            client.cancel()

    @Slot(object)
    def configure(self, connection: Connection) -> None:
        """Use ``connection`` from now on."""
        self._close()
        self._connection = connection

    @Slot(object)
    def fetch(self, request: DetailRequest) -> None:
        """Fetch and emit :attr:`fetched`."""
        if request.seq < self._latest:
            self.fetched.emit(
                DetailResult(
                    request.seq, request.kind, request.ident, None, Cancelled("Superseded.")
                )
            )
            return
        details: UserDetails | ClassDetails | None = None
        error: AppError | None = None
        try:
            client = self._client_for_fetch()
            if request.kind == USER:
                details = client.get_user(request.ident)
            else:
                details = client.get_class(request.ident)
        except AppError as exc:
            error = exc
        except Exception as exc:
            log.exception("unexpected failure fetching %s %d", request.kind, request.ident)
            error = AppError(f"Unexpected problem ({type(exc).__name__}).")
        self.fetched.emit(DetailResult(request.seq, request.kind, request.ident, details, error))

    def _client_for_fetch(self) -> ApiClient:
        if self._client is None:
            from enroll_viewer.client import ApiClient, ClientOptions  # noqa: PLC0415

            connection = self._connection
            if connection is None:
                raise AppError("No server is configured.")
            key = connection.demo_key or self._keystore.get(connection.base_url)
            timeout = connection.timeout
            self._client = ApiClient(
                connection.base_url,
                key,
                ClientOptions.for_deadline(timeout, retries=0, proxy=connection.proxy),
            )
        return self._client

    @Slot()
    def shut_down(self) -> None:
        """Close connections before the thread stops."""
        self._close()

    def _close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


class _Lane(QObject):
    """One worker on one thread, with the signals that drive it."""

    request = Signal(object)
    configure = Signal(object)
    shut_down = Signal()

    def __init__(self, keystore: KeyStore, name: str) -> None:
        super().__init__()
        self.qthread = QThread()
        self.qthread.setObjectName(name)
        self.worker = DetailWorker(keystore)
        self.worker.moveToThread(self.qthread)
        self.request.connect(self.worker.fetch)
        self.configure.connect(self.worker.configure)
        self.shut_down.connect(self.worker.shut_down)
        self.qthread.finished.connect(self.worker.deleteLater)


class DetailsController(QObject):
    """Fetches the learner and the class of each shown enrollment; owns both threads.

    Signals:
        ready(DetailResult): a detail for the current lookup arrived (or failed).
    """

    ready = Signal(object)

    def __init__(self, keystore: KeyStore, connection: Connection) -> None:
        super().__init__()
        self.enabled = True
        self._connection = connection
        self._seq = 0
        self._cache: dict[tuple[str, int], UserDetails | ClassDetails] = {}
        self._lanes = {
            USER: _Lane(keystore, "details-user"),
            CLASS: _Lane(keystore, "details-class"),
        }
        for lane in self._lanes.values():
            lane.worker.fetched.connect(self._on_fetched)
        self._started = False

    def set_connection(self, connection: Connection) -> None:
        """Another server: forget the cache (ids belong to a server) and reconfigure."""
        self.drop_current()
        self._connection = connection
        self._cache.clear()
        if self._started:
            for lane in self._lanes.values():
                lane.configure.emit(connection)

    def _start(self) -> None:
        if not self._started:
            for lane in self._lanes.values():
                lane.qthread.start()
                lane.configure.emit(self._connection)
            self._started = True

    def fetch(self, seq: int, user_id: int | None, class_id: int | None) -> None:
        """Fetch details for the lookup numbered ``seq``; older fetches are cancelled."""
        self.cancel()
        self._seq = seq
        if not self.enabled:
            return
        for kind, ident in ((USER, user_id), (CLASS, class_id)):
            if ident is None:
                continue
            cached = self._cache.get((kind, ident))
            if cached is not None:
                self.ready.emit(DetailResult(seq, kind, ident, cached, None))
                continue
            self._start()
            lane = self._lanes[kind]
            lane.worker.supersede(seq)
            lane.request.emit(DetailRequest(seq, kind, ident))

    def cancel(self) -> None:
        """Abort the fetches in flight (their answers come back as Cancelled)."""
        for lane in self._lanes.values():
            lane.worker.cancel_current()

    def drop_current(self) -> None:
        """Make every answer in flight stale (a new lookup started, nothing shown yet)."""
        self._seq = -1
        self.cancel()

    @Slot(object)
    def _on_fetched(self, result: DetailResult) -> None:
        if result.seq != self._seq or isinstance(result.error, Cancelled):
            return  # stale: possibly from a server no longer in use, so not cached either
        if result.details is not None:
            self._cache[(result.kind, result.ident)] = result.details
        self.ready.emit(result)

    def shutdown(self, wait_ms: int = 1000) -> None:
        """Cancel and stop both threads (bounded wait)."""
        self.drop_current()
        if not self._started:
            return
        for lane in self._lanes.values():
            lane.shut_down.emit()
            lane.qthread.quit()
        for lane in self._lanes.values():
            if not lane.qthread.wait(wait_ms):
                log.warning("details thread %s did not stop", lane.qthread.objectName())
        self._started = False
