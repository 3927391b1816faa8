"""Lookups off the GUI thread: one QObject worker moved to a QThread, owned by one controller.

The worker imports the HTTP client and the keyring lazily, in its own thread, so neither is on
the path to the first paint and a slow or locked keyring never freezes the window.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal, Slot

from enroll_viewer.connection import Connection
from enroll_viewer.errors import AppError, Cancelled, InvalidInput
from enroll_viewer.records import ClassEnrollment, LookupKey

if TYPE_CHECKING:
    from enroll_viewer.client import ApiClient
    from enroll_viewer.keystore import KeyStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeyState:
    """Whether a key is available for the connection, and where it is kept.

    ``where`` is ``environment``, ``keyring``, ``session``, ``demo`` or ``none``.
    """

    base_url: str
    where: str
    problem: str | None = None
    secure_storage: bool = True
    storage: str = "the OS keyring"

    @property
    def available(self) -> bool:
        """True when lookups can be made."""
        return self.where != "none"


@dataclass(frozen=True)
class Diagnostics:
    """Facts for IT and support: how keys are stored and how the network is reached."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class LookupRequest:
    """One lookup: a sequence number and what to look up."""

    seq: int
    key: LookupKey


@dataclass(frozen=True)
class LookupResult:
    """The outcome of one lookup: exactly one of ``record`` and ``error`` is set."""

    seq: int
    key: LookupKey
    record: ClassEnrollment | None
    error: AppError | None
    elapsed_ms: float


@dataclass(frozen=True)
class KeyChange:
    """A change to the key from Settings: a new key, or ``None`` to forget it."""

    base_url: str
    key: str | None


@dataclass(frozen=True)
class Reconfigure:
    """Switch to ``connection``, applying ``key`` (a change to the stored key) first if set."""

    connection: Connection
    key: KeyChange | None = None


class LookupWorker(QObject):
    """Runs lookups and key-store calls in the worker thread.

    Signals:
        finished(LookupResult): a lookup ended, found or not.
        key_state(KeyState): what is known about the key after loading or changing it.
        diagnostics(Diagnostics): the answer to :meth:`diagnose`.
    """

    finished = Signal(object)
    key_state = Signal(object)
    diagnostics = Signal(object)

    def __init__(self, keystore: KeyStore) -> None:
        super().__init__()
        self._keystore = keystore
        self._connection: Connection | None = None
        self._client: ApiClient | None = None
        self._latest = 0  # written by the controller; read here to skip superseded requests

    def cancel_current(self) -> None:
        """Abort the request in flight (called from the GUI thread; thread-safe)."""
        client = self._client
        if client is not None:
            client.cancel()

    def supersede(self, seq: int) -> None:
        """Note the newest sequence number; older queued requests are skipped."""
        self._latest = seq

    @Slot(object)
    def configure(self, change: Reconfigure) -> None:
        """Use a connection from now on (saving or forgetting a key first, if asked) and report
        once whether a key is available for it."""
        if self._client is not None:
            self._client.close()
            self._client = None
        self._connection = change.connection
        problem = self._apply_key(change.key) if change.key is not None else None
        state = self._load_key(change.connection)
        self.key_state.emit(replace(state, problem=problem or state.problem))
        # Import the HTTP stack now, in this thread, so the first lookup does not pay for it.
        import enroll_viewer.client  # noqa: F401, PLC0415

    def _apply_key(self, change: KeyChange) -> str | None:
        # Keyring writes may block (an unlock prompt); they happen here, not in the GUI thread.
        try:
            if change.key is None:
                self._keystore.delete(change.base_url)
            else:
                self._keystore.set(change.base_url, change.key)
        except AppError as exc:
            return exc.message
        return None

    def _load_key(self, connection: Connection) -> KeyState:
        if connection.is_demo:  # the demo has its own key: no need to load the keyring at all
            return KeyState(
                connection.base_url, "demo", None, True, "nowhere (the demo needs none)"
            )
        secure = self._keystore.is_secure
        storage = self._keystore.backend_name if secure else "memory, for this session only"
        try:
            key = self._keystore.get(connection.base_url)
        except AppError as exc:
            return KeyState(connection.base_url, "none", exc.message, secure, storage)
        if self._keystore.from_environment():
            where = "environment"
        elif key and self._keystore.session_only(connection.base_url):
            where = "session"
        else:
            where = "keyring" if key else "none"
        return KeyState(connection.base_url, where, self._keystore.last_problem, secure, storage)

    @Slot()
    def diagnose(self) -> None:
        """Gather keyring and network facts (here: they import keyring and requests)."""
        from enroll_viewer.client import network_diagnostics  # noqa: PLC0415

        connection = self._connection
        rows: list[tuple[str, str]] = []
        if connection is not None:
            state = self._load_key(connection)
            rows += [
                ("Keyring", self._keystore.backend_name),
                ("Secure storage", "yes" if self._keystore.is_secure else "no (session only)"),
                (
                    "API key",
                    {
                        "environment": "from ENROLL_VIEWER_API_KEY",
                        "keyring": "saved in the keyring",
                        "session": "kept for this session only",
                        "demo": "not needed (demo)",
                        "none": "not set",
                    }.get(state.where, state.where),
                ),
            ]
            rows += network_diagnostics(connection.base_url, connection.proxy)
        self.diagnostics.emit(Diagnostics(tuple(rows)))

    @Slot(object)
    def lookup(self, request: LookupRequest) -> None:
        """Look up one enrollment and emit :attr:`finished` (unless superseded already)."""
        started = time.perf_counter()
        if request.seq != self._latest:
            self._emit(request, None, Cancelled("Superseded by a newer lookup."), started)
            return
        try:
            record = self._client_for_lookup().lookup(request.key)
        except AppError as exc:
            self._emit(request, None, exc, started)
            return
        except Exception as exc:
            log.exception("unexpected failure in lookup")
            error = AppError(f"An unexpected problem stopped the lookup ({type(exc).__name__}).")
            self._emit(request, None, error, started)
            return
        self._emit(request, record, None, started)

    def _emit(
        self,
        request: LookupRequest,
        record: ClassEnrollment | None,
        error: AppError | None,
        started: float,
    ) -> None:
        elapsed = (time.perf_counter() - started) * 1000
        self.finished.emit(LookupResult(request.seq, request.key, record, error, elapsed))

    def _client_for_lookup(self) -> ApiClient:
        if self._client is None:
            from enroll_viewer.client import ApiClient, ClientOptions  # noqa: PLC0415

            connection = self._connection
            if connection is None:
                raise InvalidInput("No server is configured.", "No server")
            key = connection.demo_key or self._keystore.get(connection.base_url)
            timeout = connection.timeout
            options = ClientOptions.for_deadline(timeout, proxy=connection.proxy)
            self._client = ApiClient(connection.base_url, key, options)
        return self._client

    @Slot()
    def shut_down(self) -> None:
        """Close connections; runs in the worker thread just before it stops."""
        if self._client is not None:
            self._client.close()
            self._client = None


class LookupController(QObject):
    """Owns the worker thread. The window talks to this object only.

    Each lookup gets a sequence number; only the newest lookup's result reaches the window, and
    a cancelled lookup's result never does.

    Signals:
        result(LookupResult): the newest lookup finished (found or failed).
        busy_changed(bool): a lookup started (True) or ended / was cancelled (False).
        key_state(KeyState): key availability for the current connection.
        diagnostics(Diagnostics): the answer to :meth:`request_diagnostics`.
    """

    result = Signal(object)
    busy_changed = Signal(bool)
    key_state = Signal(object)
    diagnostics = Signal(object)

    _lookup = Signal(object)
    _configure = Signal(object)
    _shut_down = Signal()
    _diagnose = Signal()

    def __init__(self, keystore: KeyStore, connection: Connection) -> None:
        super().__init__()
        self.connection = connection
        self._seq = 0
        self._busy_seq: int | None = None
        self._last_state: KeyState | None = None
        self._thread = QThread()
        self._thread.setObjectName("lookup-worker")
        self._worker = LookupWorker(keystore)
        self._worker.moveToThread(self._thread)
        self._lookup.connect(self._worker.lookup)
        self._configure.connect(self._worker.configure)
        self._shut_down.connect(self._worker.shut_down)
        self._worker.finished.connect(self._on_finished)
        self._worker.key_state.connect(self._on_key_state)
        self._diagnose.connect(self._worker.diagnose)
        self._worker.diagnostics.connect(self.diagnostics)
        self._thread.finished.connect(self._worker.deleteLater)
        self._started = False

    @property
    def busy(self) -> bool:
        """True while the newest lookup is in flight."""
        return self._busy_seq is not None

    @property
    def last_key_state(self) -> KeyState | None:
        """The latest key state reported by the worker."""
        return self._last_state

    def start(self) -> None:
        """Start the worker thread and load the key for the connection (off the GUI thread)."""
        if not self._started:
            self._thread.start()
            self._started = True
            self._configure.emit(Reconfigure(self.connection))

    def request_diagnostics(self) -> None:
        """Ask the worker for :class:`Diagnostics` (answered by :attr:`diagnostics`)."""
        self.start()
        self._diagnose.emit()

    def set_connection(self, connection: Connection, key: KeyChange | None = None) -> None:
        """Switch server or timeout, and save or forget a key; an in-flight lookup is
        cancelled. One :attr:`key_state` follows."""
        self.cancel()
        self.connection = connection
        self.start()
        self._configure.emit(Reconfigure(connection, key))

    def lookup(self, key: LookupKey) -> int:
        """Start a lookup, superseding any other; returns its sequence number."""
        self.start()
        if self._busy_seq is not None:
            self._worker.cancel_current()
        self._seq += 1
        self._worker.supersede(self._seq)
        self._busy_seq = self._seq
        self._lookup.emit(LookupRequest(self._seq, key))
        self.busy_changed.emit(True)
        return self._seq

    def cancel(self) -> None:
        """Cancel the lookup in flight: the window is idle at once, its result is dropped."""
        if self._busy_seq is None:
            return
        self._seq += 1  # nothing issued so far can match any more
        self._worker.supersede(self._seq)
        self._worker.cancel_current()
        self._busy_seq = None
        self.busy_changed.emit(False)

    @Slot(object)
    def _on_finished(self, result: LookupResult) -> None:
        if result.seq != self._busy_seq:
            log.debug("dropped stale result %d", result.seq)
            return
        self._busy_seq = None
        self.busy_changed.emit(False)
        self.result.emit(result)

    @Slot(object)
    def _on_key_state(self, state: KeyState) -> None:
        if state.base_url == self.connection.base_url:
            self._last_state = state
            self.key_state.emit(state)

    def shutdown(self, wait_ms: int = 1000) -> bool:
        """Cancel, stop the thread and wait for it (bounded); True when it stopped."""
        self._busy_seq = None
        self._seq += 1
        self._worker.supersede(self._seq)
        self._worker.cancel_current()
        if not self._started:
            return True
        self._shut_down.emit()
        self._thread.quit()
        stopped = self._thread.wait(wait_ms)
        if not stopped:
            log.warning("lookup thread did not stop within %d ms", wait_ms)
        self._started = False
        return bool(stopped)
