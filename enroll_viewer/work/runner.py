"""The one request runner: a small pool of worker threads running typed jobs.

Qt-free, so the window (through :mod:`enroll_viewer.ui.request_runner`) and the command line use
the same code. Each worker keeps its own connection to the API. Every job has its own cancel
token; jobs belong to a :class:`Group` (a lookup with its details, a batch, a search) that is
cancelled or superseded as one. Cancel reaches a job in every state: queued (it never starts),
taken by a worker but not yet connected, connecting, or reading. Each submitted job gives
exactly one :class:`Outcome`, delivered on a worker thread to ``on_done``.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol

from enroll_viewer.api.cancel import CancelToken
from enroll_viewer.api.errors import AppError, Cancelled
from enroll_viewer.api.limits import DEFAULT_WORKERS, MAX_WORKERS

if TYPE_CHECKING:
    from enroll_viewer.api.tms_api import TmsApi
    from enroll_viewer.store.connection import Connection
    from enroll_viewer.store.keystore import KeyStore

log = logging.getLogger(__name__)


class GroupKind(Enum):
    """What a group of jobs is for; the value is its priority (lower runs first)."""

    SETTINGS = 0  # key changes from Settings (not superseded)
    KEYS = 1  # the active connection's key state, diagnostics
    LOOKUP = 2  # one lookup and its two detail fetches
    SEARCH = 3  # search pages
    BATCH = 4  # many lookups


@dataclass(frozen=True, eq=False)
class Group:
    """A set of jobs cancelled or superseded as one (compared by identity)."""

    kind: GroupKind
    serial: int
    token: CancelToken = field(default_factory=CancelToken)

    @property
    def cancelled(self) -> bool:
        """True once the group was cancelled or superseded."""
        return self.token.cancelled


@dataclass(frozen=True, eq=False)
class Ticket:
    """One submitted job: its number, its group and its own cancel token."""

    serial: int
    group: Group
    token: CancelToken

    @property
    def cancelled(self) -> bool:
        """True when the job or its group was cancelled (its outcome is then not wanted)."""
        return self.token.cancelled or self.group.token.cancelled


class Job(Protocol):
    """A typed unit of work; frozen dataclasses in :mod:`enroll_viewer.work.jobs`."""

    def run(self, context: WorkerContext, token: CancelToken) -> object:
        """Do the work on a worker thread; raise an :class:`AppError` to fail."""
        ...


@dataclass(frozen=True)
class Outcome:
    """What became of one job: exactly one of ``value`` and ``error`` is meaningful."""

    ticket: Ticket
    job: Any
    value: Any
    error: AppError | None
    elapsed_ms: float

    @property
    def ok(self) -> bool:
        """True when the job succeeded."""
        return self.error is None


class WorkerContext:
    """What a worker thread keeps between jobs: the key store and one API client (its own
    connection), rebuilt when the connection or its key changes."""

    def __init__(self, keystore: KeyStore, refusal: AppError | None = None) -> None:
        self.keystore = keystore
        self.refusal = refusal
        self._api: TmsApi | None = None
        self._api_for: tuple[Connection, str] | None = None

    def api(self, connection: Connection, token: CancelToken) -> TmsApi:
        """The API client for ``connection`` with its key (read through the key store).

        Raises:
            KeyProblem: no key (or the keyring could not say); Cancelled; the runner's
            ``refusal`` (an administrator's setting that is wrong: nothing may be sent).
        """
        if self.refusal is not None:
            raise self.refusal
        from enroll_viewer.api.http_options import ClientOptions  # noqa: PLC0415
        from enroll_viewer.api.tms_api import TmsApi  # noqa: PLC0415

        key = self.keystore.require(connection, token)
        if self._api is None or self._api_for != (connection, key):
            self.close()
            options = ClientOptions.for_deadline(connection.timeout, proxy=connection.proxy)
            self._api = TmsApi(connection.base_url, key, options)
            self._api_for = (connection, key)
        return self._api

    def close(self) -> None:
        """Close the API client's connection."""
        if self._api is not None:
            self._api.close()
            self._api, self._api_for = None, None


@dataclass(order=True)
class _Queued:
    priority: int
    serial: int
    ticket: Ticket = field(compare=False)
    job: Any = field(compare=False)


class Runner:
    """A pool of ``workers`` threads (started on first use) running jobs in priority order.

    ``on_done`` is called on a worker thread with each :class:`Outcome`, also for cancelled jobs
    (whose error is :class:`Cancelled`), so every ticket is accounted for. With ``refusal``
    set, every job that would reach a server fails with it instead: nothing is sent.
    """

    def __init__(
        self,
        keystore: KeyStore,
        on_done: Callable[[Outcome], None],
        workers: int = DEFAULT_WORKERS,
        name: str = "enroll-viewer-worker",
        refusal: AppError | None = None,
    ) -> None:
        self._keystore = keystore
        self._refusal = refusal
        self._on_done = on_done
        self.size = max(1, min(MAX_WORKERS, workers))
        self._name = name
        self._cond = threading.Condition()
        self._queue: list[_Queued] = []
        self._serial = itertools.count(1)
        self._current: dict[GroupKind, Group] = {}
        self._running: dict[int, Ticket] = {}
        self._threads: list[threading.Thread] = []
        self._stopping = False

    # --- groups --------------------------------------------------------------------------------

    def begin(self, kind: GroupKind) -> Group:
        """A new group of ``kind``; the previous one of that kind is cancelled (superseded)."""
        with self._cond:
            previous = self._current.get(kind)
            group = Group(kind, next(self._serial))
            self._current[kind] = group
        if previous is not None:
            self.cancel_group(previous)
        return group

    def current(self, kind: GroupKind) -> Group | None:
        """The newest group of ``kind`` (possibly cancelled)."""
        with self._cond:
            return self._current.get(kind)

    def cancel(self, kind: GroupKind) -> None:
        """Cancel the newest group of ``kind``, if any."""
        group = self.current(kind)
        if group is not None:
            self.cancel_group(group)

    def cancel_group(self, group: Group) -> None:
        """Cancel every job of ``group``: queued ones never start, running ones are aborted."""
        group.token.cancel()
        with self._cond:
            running = [t for t in self._running.values() if t.group is group]
            queued = [q.ticket for q in self._queue if q.ticket.group is group]
        for ticket in running + queued:
            ticket.token.cancel()

    def cancel_all(self) -> None:
        """Cancel every group."""
        with self._cond:
            groups = list(self._current.values())
        for group in groups:
            self.cancel_group(group)

    # --- jobs ----------------------------------------------------------------------------------

    def submit(self, job: Job, group: Group) -> Ticket:
        """Queue ``job`` in ``group``; its outcome comes to ``on_done`` (Cancelled if the group
        is cancelled before it runs)."""
        ticket = Ticket(next(self._serial), group, CancelToken())
        if group.cancelled:
            ticket.token.cancel()
        with self._cond:
            stopping = self._stopping
            if not stopping:
                heapq.heappush(self._queue, _Queued(group.kind.value, ticket.serial, ticket, job))
                self._start_workers()
                self._cond.notify()
        if stopping:  # no worker will take it: account for it here
            ticket.token.cancel()
            self._on_done(Outcome(ticket, job, None, Cancelled("The app is closing."), 0.0))
        return ticket

    def pending(self, group: Group) -> int:
        """Jobs of ``group`` queued or running."""
        with self._cond:
            queued = sum(1 for q in self._queue if q.ticket.group is group)
            return queued + sum(1 for t in self._running.values() if t.group is group)

    def _start_workers(self) -> None:
        while len(self._threads) < self.size:
            thread = threading.Thread(
                target=self._work, name=f"{self._name}-{len(self._threads) + 1}", daemon=True
            )
            self._threads.append(thread)
            thread.start()

    def _work(self) -> None:
        context = WorkerContext(self._keystore, self._refusal)
        try:
            while True:
                with self._cond:
                    while not self._queue and not self._stopping:
                        self._cond.wait()
                    if not self._queue:
                        return
                    item = heapq.heappop(self._queue)
                    self._running[item.ticket.serial] = item.ticket
                try:
                    self._on_done(self._run(item, context))
                except Exception:  # a broken on_done must not kill the worker
                    log.exception("delivering an outcome failed")
                finally:
                    with self._cond:
                        self._running.pop(item.ticket.serial, None)
        finally:
            context.close()

    def _run(self, item: _Queued, context: WorkerContext) -> Outcome:
        ticket = item.ticket
        started = time.perf_counter()
        value: Any = None
        error: AppError | None = None
        if ticket.cancelled:
            error = Cancelled("Cancelled before it started.")
        else:
            # A group cancelled from now on cancels this job's own token too (cancel_group sees
            # it in _running), so the job only needs to watch its own token.
            try:
                value = item.job.run(context, ticket.token)
            except AppError as exc:
                error = exc
            except Exception as exc:
                log.exception("unexpected failure in %s", type(item.job).__name__)
                error = AppError(
                    f"An unexpected problem stopped the request ({type(exc).__name__})."
                )
            if ticket.cancelled and not isinstance(error, Cancelled):
                value, error = None, Cancelled("Cancelled.")
        return Outcome(ticket, item.job, value, error, (time.perf_counter() - started) * 1000)

    def alive_workers(self) -> int:
        """Worker threads still running (0 after a clean shutdown)."""
        return sum(1 for t in self._threads if t.is_alive())

    def shutdown(self, timeout: float = 1.0) -> bool:
        """Cancel everything, stop the workers and wait for them, ``timeout`` seconds in all.

        Returns True when every worker stopped (a worker stuck in a call that cannot be
        interrupted, such as a DNS lookup, is left to end on its own; it is a daemon thread).
        """
        with self._cond:
            self._stopping = True
            tickets = [q.ticket for q in self._queue] + list(self._running.values())
            self._cond.notify_all()
        for group in list(self._current.values()):
            group.token.cancel()
        for ticket in tickets:
            ticket.token.cancel()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        stuck = [t.name for t in self._threads if t.is_alive()]
        if stuck:
            log.warning("workers still busy after %.1f s: %s", timeout, ", ".join(stuck))
        return not stuck
