"""Find enrollments without an id: by class, learner (email or user id), class name, status and
creation date, page after page. No Qt.

The paging fields of ``SearchClassEnrollments`` are not documented, so the rules are cautious:
pages of 100 from ``pageIndex`` 0; a short page is not the end unless ``TotalCount`` says so;
paging stops at an empty page, when ``TotalCount`` (if sent) is reached, when a page adds no
enrollment not seen already (a server repeating itself), or at the limit. Enrollments are kept
once each (by ``Id``), in the server's order.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from enum import Enum

from enroll_viewer.api.cancel import CancelToken
from enroll_viewer.api.errors import AppError, InvalidInput, NotFound
from enroll_viewer.api.limits import INT32_MAX
from enroll_viewer.api.records import (
    ENROLLMENT_STATUS,
    ClassDetails,
    ClassEnrollment,
    Page,
    UserDetails,
)
from enroll_viewer.api.validation import parse_email
from enroll_viewer.store.connection import Connection
from enroll_viewer.work.batch import DetailsCache, Found
from enroll_viewer.work.jobs import ClassJob, LearnerByEmailJob, SearchPageJob, UserJob
from enroll_viewer.work.runner import Outcome, Ticket, WorkerContext

PAGE_SIZE = 100
DEFAULT_LIMIT = 5000
STATUS_BY_NAME = {label.casefold(): code for code, label in ENROLLMENT_STATUS.items()}


@dataclass(frozen=True)
class SearchFilters:
    """What to search for; at least one of class, learner and class name."""

    class_id: int | None = None
    learner_email: str | None = None
    learner_id: int | None = None
    class_name: str | None = None
    status: int | None = None
    created_after: date | None = None
    created_before: date | None = None

    def query(self, student_id: int | None = None) -> tuple[tuple[str, str], ...]:
        """The query parameters (without paging); ``student_id`` once an email is resolved."""
        params: list[tuple[str, str]] = []
        if self.class_id is not None:
            params.append(("classId", str(self.class_id)))
        student = student_id if student_id is not None else self.learner_id
        if student is not None:
            params.append(("studentId", str(student)))
        if self.class_name:
            params.append(("className", self.class_name))
        if self.status is not None:
            params.append(("enrollmentStatusId", str(self.status)))
        if self.created_after is not None:
            params.append(("createdAfter", str(epoch(self.created_after))))
        if self.created_before is not None:
            params.append(("createdBefore", str(epoch(self.created_before))))
        return tuple(params)

    def describe(self, learner: str | None = None) -> str:
        """``in class 4421``, ``of learner 897615``, ``in classes named "Azure"`` …
        (``learner``: the learner's name, once known)."""
        parts = []
        if self.class_id is not None:
            parts.append(f"in class {self.class_id}")
        if learner:
            parts.append(f"of {learner}")
        elif self.learner_email:
            parts.append(f"of {self.learner_email}")
        elif self.learner_id is not None:
            parts.append(f"of learner {self.learner_id}")
        if self.class_name:
            parts.append(f'in classes named "{self.class_name}"')
        if self.status is not None:
            parts.append(f"with status {ENROLLMENT_STATUS.get(self.status, self.status)}")
        return " ".join(parts)


def epoch(day: date) -> int:
    """Unix seconds of ``day`` at 00:00 UTC (what the API's date filters take)."""
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())


def parse_filters(
    class_id: str | None = None,
    learner: str | None = None,
    class_name: str | None = None,
    status: str | None = None,
    created_after: str | None = None,
    created_before: str | None = None,
) -> SearchFilters:
    """Check what people typed (empty means not given).

    Raises:
        InvalidInput: nothing to search by, or a value that is not what it should be.
    """
    filters = SearchFilters(
        class_id=_whole("class id", class_id),
        class_name=(class_name or "").strip() or None,
        status=_status(status),
        created_after=_day("created-after", created_after),
        created_before=_day("created-before", created_before),
    )
    text = (learner or "").strip()
    if "@" in text:
        filters = _replace(filters, learner_email=parse_email(text))
    elif text:
        filters = _replace(filters, learner_id=_whole("learner user id", text))
    if filters.class_id is None and filters.class_name is None and not text:
        raise InvalidInput(
            "Say what to search by: a class id, a learner (email or user id) or a class name.",
            "Nothing to search by",
        )
    after, before = filters.created_after, filters.created_before
    if after and before and after >= before:
        raise InvalidInput("created-after must be before created-before.", "Invalid dates")
    return filters


def _replace(filters: SearchFilters, **changes: object) -> SearchFilters:
    from dataclasses import replace  # noqa: PLC0415

    return replace(filters, **changes)  # type: ignore[arg-type]


def _whole(what: str, text: str | None) -> int | None:
    value = (text or "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= INT32_MAX:
        raise InvalidInput(f"A {what} is a whole number, such as 4421.", f"Invalid {what}")
    return int(value)


def _status(text: str | None) -> int | None:
    value = (text or "").strip()
    if not value:
        return None
    if value.lstrip("-").isdigit():
        return int(value)
    code = STATUS_BY_NAME.get(value.casefold())
    if code is None:
        names = ", ".join(ENROLLMENT_STATUS.values())
        raise InvalidInput(f"The status is one of {names}, or a code.", "Invalid status")
    return code


def _day(what: str, text: str | None) -> date | None:
    value = (text or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"--{what} is a date like 2026-03-01.", "Invalid date") from None


# --- one search ------------------------------------------------------------------------------


class Stop(Enum):
    """Why paging ended."""

    EMPTY_PAGE = "an empty page"
    TOTAL_REACHED = "TotalCount reached"
    NOTHING_NEW = "a page with nothing new"
    LIMIT = "the limit"
    ERROR = "an error"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class DetailJob:
    """A learner or class for the names columns, fetched once per search (cached)."""

    connection: Connection
    kind: str
    ident: int
    cache: DetailsCache = field(compare=False)

    def run(self, context: WorkerContext, token: CancelToken) -> UserDetails | ClassDetails | None:
        """The learner or class; a failure leaves the name empty."""
        job = (
            UserJob(self.connection, self.ident)
            if self.kind == "user"
            else ClassJob(self.connection, self.ident)
        )
        try:
            value: UserDetails | ClassDetails | None = job.run(context, token)
        except AppError:
            value = None
        self.cache.put(self.kind, self.ident, value)
        return value


class SearchRun:
    """One search, driven by outcomes on one thread; results go to ``on_item`` in server order.

    With ``details``, an item waits for its learner and class (fetched once each, in parallel
    with the paging) so the rows come out whole.
    """

    def __init__(
        self,
        filters: SearchFilters,
        connection: Connection,
        submit: Callable[[object], Ticket],
        on_item: Callable[[Found], None],
        limit: int = DEFAULT_LIMIT,
        details: bool = False,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.filters = filters
        self._connection = connection
        self._submit = submit
        self._on_item = on_item
        self.limit = max(1, limit)
        self._page_size = page_size
        self._details = DetailsCache() if details else None
        self._tickets: set[int] = set()
        self._seen: set[int] = set()
        self._waiting: list[ClassEnrollment] = []
        self._asked: set[tuple[str, int]] = set()
        self.learner: UserDetails | None = None
        self.klass: ClassDetails | None = None
        self.pages = 0
        self.count = 0
        self.total_count: int | None = None
        self.skipped = 0
        self.stopped: Stop | None = None
        self.error: AppError | None = None
        self.finished = False
        self._paging = False
        self._started = time.perf_counter()
        self.seconds = 0.0

    @property
    def cut(self) -> bool:
        """True when the limit cut the list."""
        return self.stopped is Stop.LIMIT

    def start(self) -> None:
        """Resolve the learner's email (if any), then ask for the first page."""
        self._started = time.perf_counter()
        if self.filters.class_id is not None:
            self._send(ClassJob(self._connection, self.filters.class_id))
        if self.filters.learner_email:
            self._send(LearnerByEmailJob(self._connection, self.filters.learner_email))
            return
        if self.filters.learner_id is not None:
            self._send(UserJob(self._connection, self.filters.learner_id))
        self._page(0)

    def cancel(self) -> None:
        """Stop paging; what was shown stays."""
        if not self.finished:
            self._end(Stop.CANCELLED)

    def owns(self, outcome: Outcome) -> bool:
        """True when ``outcome`` answers one of this search's requests."""
        return outcome.ticket.serial in self._tickets

    def on_outcome(self, outcome: Outcome) -> None:
        """Take one outcome (others are ignored)."""
        if outcome.ticket.serial not in self._tickets or self.finished:
            return
        self._tickets.discard(outcome.ticket.serial)
        job = outcome.job
        if isinstance(job, LearnerByEmailJob):
            self._on_learner(outcome)
        elif isinstance(job, SearchPageJob):
            self._on_page(outcome)
        elif isinstance(job, UserJob) and outcome.value is not None:
            self.learner = outcome.value
        elif isinstance(job, ClassJob) and outcome.value is not None:
            self.klass = outcome.value
        self._flush()

    # --- inside -------------------------------------------------------------------------------

    def _send(self, job: object) -> None:
        self._tickets.add(self._submit(job).serial)

    def _page(self, index: int) -> None:
        self._paging = True
        query = self.filters.query(self.learner.id if self.learner else None)
        self._send(SearchPageJob(self._connection, query, index, self._page_size))

    def _on_learner(self, outcome: Outcome) -> None:
        if outcome.error is not None:
            if isinstance(outcome.error, NotFound):
                email = self.filters.learner_email
                self.error = NotFound(f"No learner with email {email} is visible with this key.")
            else:
                self.error = outcome.error
            self._end(Stop.ERROR)
            return
        self.learner = outcome.value
        self._page(0)

    def _on_page(self, outcome: Outcome) -> None:
        self._paging = False
        if outcome.error is not None:
            self.error = outcome.error
            self._end(Stop.ERROR)
            return
        page: Page = outcome.value
        self.pages += 1
        self.skipped += page.skipped
        if page.total_count is not None:
            self.total_count = page.total_count
        fresh = [r for r in page.items if r.id not in self._seen]
        room = self.limit - len(self._seen)
        for record in fresh[:room]:
            self._seen.add(record.id)
            self._waiting.append(record)
            self._want_details(record)
        stop = None
        if not page.items:
            stop = Stop.EMPTY_PAGE
        elif len(fresh) > room:
            stop = Stop.LIMIT
        elif len(self._seen) >= self.limit:
            more = self.total_count is None or self.total_count > len(self._seen)
            stop = Stop.LIMIT if more else Stop.TOTAL_REACHED
        elif self.total_count is not None and len(self._seen) >= self.total_count:
            stop = Stop.TOTAL_REACHED
        elif not fresh:
            stop = Stop.NOTHING_NEW
        if stop is None:
            self._page(outcome.job.page_index + 1)
        else:
            self.stopped = stop

    def _want_details(self, record: ClassEnrollment) -> None:
        if self._details is None:
            return
        for kind, ident in (("user", record.user_id), ("class", record.class_id)):
            if ident is not None and (kind, ident) not in self._asked:
                self._asked.add((kind, ident))
                self._send(DetailJob(self._connection, kind, ident, self._details))

    def _ready(self, record: ClassEnrollment) -> Found | None:
        if self._details is None:
            return Found(record)
        user_known, user = (
            (True, None) if record.user_id is None else self._details.get("user", record.user_id)
        )
        class_known, klass = (
            (True, None) if record.class_id is None else self._details.get("class", record.class_id)
        )
        if not (user_known and class_known):
            return None
        return Found(
            record,
            user if isinstance(user, UserDetails) else None,
            klass if isinstance(klass, ClassDetails) else None,
        )

    def _flush(self) -> None:
        while self._waiting:
            found = self._ready(self._waiting[0])
            if found is None:
                break
            self._waiting.pop(0)
            self.count += 1
            self._on_item(found)
        if self.stopped is not None and not self._waiting and not self._paging:
            self._end(self.stopped)

    def _end(self, why: Stop) -> None:
        self.stopped = why
        self.finished = True
        self._tickets.clear()
        self.seconds = time.perf_counter() - self._started

    def summary(self) -> str:
        """``250 enrollments in class 4421 · Azure Fundamentals`` (and the learner's name)."""
        learner = (self.learner.name or self.learner.email) if self.learner else None
        plural = "" if self.count == 1 else "s"
        what = f"{self.count:,} enrollment{plural} {self.filters.describe(learner)}"
        if self.klass is not None and self.klass.name:
            what += f" · {self.klass.name}"
        if self.cut:
            what += f" · cut at {self.limit:,}"
        return what
