"""One batch, from input to rows in input order; driven by the runner's outcomes. No Qt.

Single-threaded: :meth:`BatchRun.start` and :meth:`BatchRun.on_outcome` are called on one
thread, which is also the one ``on_row`` is called on.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from enroll_viewer.api.errors import (
    AppError,
    Cancelled,
    InvalidInput,
    KeyProblem,
    NotFound,
    ServerBusy,
    Unreachable,
)
from enroll_viewer.api.presentation import plural
from enroll_viewer.api.records import LookupKey
from enroll_viewer.api.validation import parse_lookup_input
from enroll_viewer.store.connection import Connection
from enroll_viewer.work.batch import (
    BUSY_GIVE_UP,
    MAX_BUSY_ATTEMPTS,
    REMEMBERED,
    BatchLookupJob,
    BatchRow,
    DetailsCache,
    Found,
    RowOutcome,
    Throttle,
)
from enroll_viewer.work.runner import Outcome, Ticket


@dataclass
class BatchCounts:
    """Rows so far, by outcome; ``total`` when the input's length is known."""

    done: int = 0
    found: int = 0
    not_found: int = 0
    invalid: int = 0
    errors: int = 0
    total: int | None = None

    def add(self, row: BatchRow) -> None:
        """Count one written row."""
        self.done += 1
        if row.outcome is RowOutcome.FOUND:
            self.found += 1
        elif row.outcome is RowOutcome.NOT_FOUND:
            self.not_found += 1
        elif row.outcome is RowOutcome.INVALID:
            self.invalid += 1
        else:
            self.errors += 1

    def progress(self) -> str:
        """``412/1,000 · 3 not found · 0 errors`` (the total when known)."""
        done = f"{self.done:,}/{self.total:,}" if self.total is not None else f"{self.done:,}"
        missing = self.not_found + self.invalid
        return f"{done} · {missing:,} not found · {plural(self.errors, 'error')}"

    def summary(self, seconds: float) -> str:
        """``1,000 looked up · 990 found · 8 not found · 2 errors · 12.3 s``."""
        parts = [
            f"{self.done:,} looked up",
            f"{self.found:,} found",
            f"{self.not_found:,} not found",
        ]
        if self.invalid:
            parts.append(f"{self.invalid:,} invalid")
        parts += [plural(self.errors, "error"), f"{seconds:.1f} s"]
        return " · ".join(parts)


@dataclass
class _Pending:
    key: LookupKey
    attempts: int = 0
    waiting: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Result:
    outcome: RowOutcome
    error: str | None = None
    found: Found | None = None
    failure: AppError | None = None


def one_sentence(error: AppError) -> str:
    """An error as the one sentence a row's ``Error`` says (its own sentences joined)."""
    text = " ".join(error.message.split()).rstrip(".").replace(". ", "; ")
    return f"{error.title}: {text}."


class BatchRun:
    """Looks up every input item and hands rows to ``on_row`` in input order, as soon as a row
    and every row before it are known.

    ``submit`` queues a job in the runner (the caller's group); ``stop`` cancels that group
    (on :meth:`cancel`). At most ``in_flight`` lookups are queued or running.
    """

    def __init__(
        self,
        inputs: Iterable[str],
        connection: Connection,
        submit: Callable[[BatchLookupJob], Ticket],
        on_row: Callable[[BatchRow], None],
        stop: Callable[[], None],
        in_flight: int,
        details: bool = False,
        total: int | None = None,
        throttle: Throttle | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._inputs = iter(inputs)
        self._connection = connection
        self._submit = submit
        self._on_row = on_row
        self._stop_group = stop
        self._in_flight = max(1, in_flight)
        self._window = max(256, self._in_flight * 32)
        self.throttle = throttle or Throttle()
        self._details = DetailsCache() if details else None
        self.counts = BatchCounts(total=total)
        self._next = 0
        self._written = 0
        self._exhausted = False
        self._ready: dict[int, BatchRow] = {}
        self._pending: dict[str, _Pending] = {}
        self._tickets: dict[int, str] = {}
        self._remembered: OrderedDict[str, _Result] = OrderedDict()
        self.stopped_by: AppError | None = None
        self.cancelled = False
        self.finished = False
        self.busy_answers = 0
        self._clock = clock
        self._busy_since: float | None = None  # the first busy answer since one came through
        self._error_kinds: set[type[AppError]] = set()
        self._started = time.perf_counter()
        self.seconds = 0.0

    # --- driving ------------------------------------------------------------------------------

    def start(self) -> None:
        """Read the first items and send the first lookups."""
        self._started = time.perf_counter()
        self._fill()

    def cancel(self) -> None:
        """Stop: no more lookups and no more rows (those written stay)."""
        if self.finished:
            return
        self.cancelled = True
        self._stop_group()
        self._tickets.clear()
        self.finished = True
        self.seconds = time.perf_counter() - self._started

    def owns(self, outcome: Outcome) -> bool:
        """True when ``outcome`` answers one of this batch's lookups."""
        return outcome.ticket.serial in self._tickets

    def on_outcome(self, outcome: Outcome) -> None:
        """Take one lookup's outcome (others are ignored)."""
        dedupe = self._tickets.pop(outcome.ticket.serial, None)
        if dedupe is None:
            return
        pending = self._pending[dedupe]
        if self.cancelled:
            self._done()
            return
        error = outcome.error
        if error is not None:
            error.__traceback__ = None  # rows keep the error, not the frames it was raised in
        if isinstance(error, ServerBusy):
            if self._busy_since is None:
                self._busy_since = self._clock()
        elif not isinstance(error, (Cancelled, Unreachable)):
            self._busy_since = None  # an answer came through: the server is serving
        if isinstance(error, ServerBusy) and self._try_again(pending):
            if self.stopped_by is None:
                self.busy_answers += 1
                self._send(dedupe)  # the throttle pauses every worker first
                return
            error = self.stopped_by  # stopped: no more tries
        if isinstance(error, KeyProblem) and self.stopped_by is None:
            self._stop(error)
        if error is None:
            result = _Result(RowOutcome.FOUND, found=outcome.value)
        elif isinstance(error, NotFound):
            result = _Result(RowOutcome.NOT_FOUND, one_sentence(error), failure=error)
        elif isinstance(error, InvalidInput):
            result = _Result(RowOutcome.INVALID, one_sentence(error), failure=error)
        else:
            result = self._failed(error)
        del self._pending[dedupe]
        self._remember(dedupe, result)
        for index, text in pending.waiting:
            self._finish(index, text, result)
        self._fill()

    # --- what it says -------------------------------------------------------------------------

    @property
    def exit_code(self) -> int:
        """0 all found; 3 some not found or invalid; 5 any unreachable, else 6 any other
        error; 4 a missing or rejected key stopped the batch; 130 cancelled."""
        if self.cancelled:
            return Cancelled.exit_code
        if self.stopped_by is not None:
            return self.stopped_by.exit_code
        if self._any_error(Unreachable):
            return Unreachable.exit_code
        if self.counts.errors:
            return 6
        if self.counts.not_found or self.counts.invalid:
            return 3
        return 0

    def summary(self) -> str:
        """``1,000 looked up · 990 found · 8 not found · 2 errors · 12.3 s``."""
        seconds = self.seconds if self.finished else time.perf_counter() - self._started
        return self.counts.summary(seconds)

    # --- inside -------------------------------------------------------------------------------

    def _try_again(self, pending: _Pending) -> bool:
        """Whether a busy item is sent again: yes, unless the server has answered nothing but
        busy for :data:`BUSY_GIVE_UP` seconds, or this item alone was refused
        :data:`MAX_BUSY_ATTEMPTS` times."""
        if pending.attempts >= MAX_BUSY_ATTEMPTS:
            return False
        since = self._busy_since
        return since is None or self._clock() - since < BUSY_GIVE_UP

    def _any_error(self, kind: type[AppError]) -> bool:
        return any(issubclass(seen, kind) for seen in self._error_kinds)

    def _failed(self, error: AppError) -> _Result:
        return _Result(RowOutcome.ERROR, one_sentence(error), failure=error)

    def _stop(self, error: AppError) -> None:
        # No more lookups: the rest of the input gets this reason at once. The few already in
        # flight end as they end (a found one is found; the rest fail the same way).
        self.stopped_by = error

    def _fill(self) -> None:
        while not self.cancelled and not self._exhausted:
            if self.stopped_by is None and len(self._tickets) >= self._in_flight:
                break
            if self.stopped_by is None and self._next - self._written >= self._window:
                break
            text = next(self._inputs, None)
            if text is None:
                self._exhausted = True
                break
            index = self._next
            self._next += 1
            self._take(index, text)
        self._done()

    def _take(self, index: int, text: str) -> None:
        try:
            key = parse_lookup_input(text)
        except InvalidInput as exc:
            self._finish(index, text, _Result(RowOutcome.INVALID, one_sentence(exc), failure=exc))
            return
        if self.stopped_by is not None:
            self._finish(index, text, self._failed(self.stopped_by))
            return
        dedupe = key.dedupe_key()
        known = self._remembered.get(dedupe)
        if known is not None:
            self._remembered.move_to_end(dedupe)
            self._finish(index, text, known)
            return
        pending = self._pending.get(dedupe)
        if pending is not None:
            pending.waiting.append((index, text))
            return
        self._pending[dedupe] = _Pending(key, 0, [(index, text)])
        self._send(dedupe)

    def _send(self, dedupe: str) -> None:
        pending = self._pending[dedupe]
        pending.attempts += 1
        job = BatchLookupJob(self._connection, pending.key, self.throttle, self._details)
        ticket = self._submit(job)
        self._tickets[ticket.serial] = dedupe

    def _remember(self, dedupe: str, result: _Result) -> None:
        self._remembered[dedupe] = result
        while len(self._remembered) > REMEMBERED:
            self._remembered.popitem(last=False)

    def _finish(self, index: int, text: str, result: _Result) -> None:
        self._ready[index] = BatchRow(
            index, text, result.outcome, result.error, result.found, result.failure
        )
        while self._written in self._ready:
            row = self._ready.pop(self._written)
            self._written += 1
            self.counts.add(row)
            if row.failure is not None and row.outcome is RowOutcome.ERROR:
                self._error_kinds.add(type(row.failure))
            self._on_row(row)

    def _done(self) -> None:
        if self.finished:
            return
        settled = self._exhausted and not self._tickets and self._written == self._next
        if settled:
            self.finished = True
            self.seconds = time.perf_counter() - self._started
