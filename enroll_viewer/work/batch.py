"""Many ids at once: reading the list, the lookups, and rows in input order. No Qt.

:class:`BatchRun` is driven by outcomes from the request runner, on one thread (the window's,
or the command line's main thread). It reads input lazily and keeps only a window of it in
flight, so 100,000 ids cost no more memory than a few hundred. The same id twice is fetched
once (within the last :data:`REMEMBERED` distinct ids). A 429 or 503 pauses every worker
(:class:`Throttle`) and the item is tried again while answers keep coming through (see
:data:`BUSY_GIVE_UP`); an item is never lost or reported twice. A key
that is missing or rejected stops the batch: every item not yet looked up gets that reason.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum

from enroll_viewer.api.cancel import CancelToken
from enroll_viewer.api.errors import AppError, Cancelled, ServerBusy
from enroll_viewer.api.records import ClassDetails, ClassEnrollment, LookupKey, UserDetails
from enroll_viewer.store.connection import Connection
from enroll_viewer.work.runner import WorkerContext

log = logging.getLogger(__name__)

MAX_PAUSE = 30.0
# A busy answer (429/503) is the server asking for time, not a failure of the item. The batch
# gives up on busy items only when the server has answered nothing but "busy" for this long
# (about eight backoff pauses without Retry-After), or when one item alone has been refused this
# many times while others came through (a server that never serves that one id).
BUSY_GIVE_UP = 120.0
MAX_BUSY_ATTEMPTS = 50
REMEMBERED = 2048
ID_HEADERS = ("id", "enrollmentid", "enrollment id")


class RowOutcome(Enum):
    """What became of one input item (the value is what the CSV and JSON say)."""

    FOUND = "found"
    NOT_FOUND = "not_found"
    INVALID = "invalid"
    ERROR = "error"


@dataclass(frozen=True)
class Found:
    """A found enrollment, with its learner and class when names were asked for."""

    record: ClassEnrollment
    user: UserDetails | None = None
    klass: ClassDetails | None = None


@dataclass(frozen=True)
class BatchRow:
    """One row of the result: the input as given, what became of it, and the record if found.

    ``failure`` is the typed error behind an ``error`` outcome (it decides the exit code).
    """

    index: int
    input: str
    outcome: RowOutcome
    error: str | None = None
    found: Found | None = None
    failure: AppError | None = None

    @property
    def record(self) -> ClassEnrollment | None:
        """The enrollment, when found."""
        return self.found.record if self.found else None


# --- reading the input -------------------------------------------------------------------------


def read_inputs(lines: Iterable[str]) -> Iterator[str]:
    """The ids in a file: one per line, or CSV/TSV with a header cell ``Id``, ``EnrollmentId``
    or ``Enrollment ID`` (any case) naming the column, else the first column.

    A BOM, CRLF, blank lines and lines starting with ``#`` are fine; each other line is one item.
    """
    column: int | None = None
    first = True
    for raw in lines:
        line = raw.lstrip("\ufeff") if first else raw
        line = line.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if first:
            first = False
            column = _header_column(line)
            if column is not None:
                continue
        yield _cell(line, column or 0) if _is_table(line) else line.strip()


def _is_table(line: str) -> bool:
    return "\t" in line or "," in line


def _cells(line: str) -> list[str]:
    import csv  # noqa: PLC0415

    delimiter = "\t" if "\t" in line else ","
    return next(csv.reader([line], delimiter=delimiter), [""])


def _header_column(line: str) -> int | None:
    if not _is_table(line):
        return 0 if line.strip().casefold() in ID_HEADERS else None
    for index, cell in enumerate(_cells(line)):
        if cell.strip().casefold() in ID_HEADERS:
            return index
    return None


def _cell(line: str, column: int) -> str:
    cells = _cells(line)
    return cells[column].strip() if column < len(cells) else ""


# --- pausing every worker ----------------------------------------------------------------------


class Throttle:
    """A pause every worker waits out before its next request (thread-safe).

    A 429 or 503 with ``Retry-After`` pauses for that long (at most 30 s); without one, for 1,
    2, 4 … 30 s as busy answers follow each other.
    """

    def __init__(self, max_pause: float = MAX_PAUSE) -> None:
        self._lock = threading.Lock()
        self._until = 0.0
        self._strikes = 0
        self.max_pause = max_pause
        self.pauses = 0

    def wait(self, token: CancelToken) -> None:
        """Sleep until the pause is over (at once if there is none).

        Raises:
            Cancelled: the token was cancelled while waiting.
        """
        while True:
            with self._lock:
                remaining = self._until - time.monotonic()
            if remaining <= 0:
                return
            if token.wait(remaining):
                raise Cancelled("Cancelled while paused.")

    def pause(self, retry_after: float | None) -> float:
        """Pause every worker; returns how long."""
        with self._lock:
            self._strikes += 1
            self.pauses += 1
            wanted = retry_after if retry_after is not None else 2.0 ** (self._strikes - 1)
            delay = max(0.0, min(self.max_pause, wanted))
            self._until = max(self._until, time.monotonic() + delay)
            return delay

    def calm(self) -> None:
        """An answer came through: the next busy answer starts the backoff again."""
        with self._lock:
            self._strikes = 0

    @property
    def paused_for(self) -> float:
        """Seconds left of the pause (0 when none)."""
        with self._lock:
            return max(0.0, self._until - time.monotonic())


class DetailsCache:
    """Learners and classes already fetched in this batch (thread-safe, bounded)."""

    def __init__(self, size: int = REMEMBERED) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[str, int], UserDetails | ClassDetails | None] = OrderedDict()
        self._size = size

    def get(self, kind: str, ident: int) -> tuple[bool, UserDetails | ClassDetails | None]:
        """(known, value); a failed fetch is remembered as None."""
        with self._lock:
            if (kind, ident) in self._items:
                self._items.move_to_end((kind, ident))
                return True, self._items[(kind, ident)]
        return False, None

    def put(self, kind: str, ident: int, value: UserDetails | ClassDetails | None) -> None:
        """Remember ``value`` (dropping the oldest beyond the size)."""
        with self._lock:
            self._items[(kind, ident)] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)


@dataclass(frozen=True)
class BatchLookupJob:
    """One batch item on a worker: wait out any pause, look up, and fetch names if asked."""

    connection: Connection
    key: LookupKey
    throttle: Throttle = field(compare=False)
    details: DetailsCache | None = field(default=None, compare=False)

    def run(self, context: WorkerContext, token: CancelToken) -> Found:
        """The enrollment (and its names), or an error; a busy server pauses every worker."""
        self.throttle.wait(token)
        api = context.api(self.connection, token)
        try:
            record = api.lookup(self.key, token, busy_retries=0)
        except ServerBusy as exc:
            self.throttle.pause(exc.retry_after)
            raise
        self.throttle.calm()
        if self.details is None:
            return Found(record)
        user = self._detail("user", record.user_id, context, token)
        klass = self._detail("class", record.class_id, context, token)
        return Found(
            record,
            user if isinstance(user, UserDetails) else None,
            klass if isinstance(klass, ClassDetails) else None,
        )

    def _detail(
        self, kind: str, ident: int | None, context: WorkerContext, token: CancelToken
    ) -> UserDetails | ClassDetails | None:
        if ident is None or self.details is None:
            return None
        known, value = self.details.get(kind, ident)
        if known:
            return value
        api = context.api(self.connection, token)
        try:
            value = api.get_user(ident, token) if kind == "user" else api.get_class(ident, token)
        except Cancelled:
            raise
        except AppError as exc:
            log.info("batch: %s %d not loaded: %s", kind, ident, exc.title)
            value = None
        self.details.put(kind, ident, value)
        return value
