"""The batch engine without sockets: reading ids, order, duplicates, stopping, memory."""

from __future__ import annotations

import io
import queue
import threading
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest

from enroll_viewer.api.cancel import CancelToken
from enroll_viewer.api.errors import KeyIssue, KeyProblem, NotFound, ServerBusy
from enroll_viewer.api.parser import parse_enrollment_envelope
from enroll_viewer.store.connection import production
from enroll_viewer.work.batch import BatchLookupJob, BatchRow, RowOutcome, Throttle, read_inputs
from enroll_viewer.work.batch_run import BatchRun
from enroll_viewer.work.rows import Format, RowWriter
from enroll_viewer.work.runner import Group, GroupKind, Outcome, Ticket
from tests.servers import envelope, sample


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("10\n11\r\n\n# a comment\n 12 \n", ["10", "11", "12"]),
        ("\ufeff10\n11\n", ["10", "11"]),
        ('Name,Enrollment ID,Note\nAda,10,x\nGrace,11,"a, b"\n', ["10", "11"]),
        ("name\tenrollmentid\nAda\t10\n", ["10"]),
        ("Id\n10\n", ["10"]),
        ("10,Ada\n11,Grace\n", ["10", "11"]),  # no header: the first column
        ("EnrollmentId;x\n", ["EnrollmentId;x"]),  # not CSV: one item per line
    ],
)
def test_reading_ids(text: str, items: list[str]) -> None:
    assert list(read_inputs(io.StringIO(text, newline=""))) == items


class FakeRunner:
    """Answers jobs from a table, in an order the test chooses; counts what was asked."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.queue: list[tuple[Ticket, BatchLookupJob]] = []
        self.asked: list[str] = []
        self.group = Group(GroupKind.BATCH, 1)
        self.serial = 0

    def submit(self, job: BatchLookupJob) -> Ticket:
        self.serial += 1
        ticket = Ticket(self.serial, self.group, CancelToken())
        self.queue.append((ticket, job))
        self.asked.append(job.key.value)
        return ticket

    def stop(self) -> None:
        self.group.token.cancel()

    def drive(self, run: BatchRun, pick: Any = None) -> None:
        run.start()
        while self.queue:
            ticket, job = self.queue.pop(pick(len(self.queue)) if pick else 0)
            value, error = None, None
            try:
                value = self.answer(job)
            except Exception as exc:
                error = exc
            run.on_outcome(Outcome(ticket, job, value, error, 0.0))


def found(job: BatchLookupJob) -> Any:
    from enroll_viewer.work.batch import Found

    ident = int(job.key.value) if job.key.value.isdigit() else 7
    if ident == 404:
        raise NotFound("No class enrollment with id 404 was found.")
    return Found(parse_enrollment_envelope(envelope(sample(ident)), ident))


def make_run(runner: FakeRunner, inputs: Any, rows: list[BatchRow], **kw: Any) -> BatchRun:
    return BatchRun(
        inputs, production(), runner.submit, rows.append, runner.stop, kw.pop("in_flight", 3), **kw
    )


def test_rows_come_in_input_order_whatever_order_answers_come_in() -> None:
    import random

    rng = random.Random(4)
    runner = FakeRunner(found)
    rows: list[BatchRow] = []
    inputs = [str(n) for n in range(1, 200)]
    run = make_run(runner, inputs, rows, in_flight=8)
    runner.drive(run, pick=rng.randrange)
    assert [r.input for r in rows] == inputs
    assert run.finished and run.exit_code == 0 and run.counts.found == 199


def test_duplicates_are_fetched_once_and_reported_on_every_row() -> None:
    runner = FakeRunner(found)
    rows: list[BatchRow] = []
    inputs = ["5", "6", "05", " 5 ", "ab-1", "AB-1", "404", "404"]
    run = make_run(runner, inputs, rows)
    runner.drive(run)
    assert [r.input for r in rows] == inputs
    assert sorted(runner.asked) == ["404", "5", "6", "ab-1"]
    assert [r.outcome for r in rows][-2:] == [RowOutcome.NOT_FOUND, RowOutcome.NOT_FOUND]
    assert run.exit_code == 3


def test_a_busy_answer_is_tried_again_and_never_lost() -> None:
    attempts: dict[str, int] = {}

    def busy_twice(job: BatchLookupJob) -> Any:
        attempts[job.key.value] = attempts.get(job.key.value, 0) + 1
        if attempts[job.key.value] <= 2:
            raise ServerBusy("busy", retry_after=0)
        return found(job)

    runner = FakeRunner(busy_twice)
    rows: list[BatchRow] = []
    run = make_run(runner, [str(n) for n in range(1, 21)], rows)
    runner.drive(run)
    assert [r.input for r in rows] == [str(n) for n in range(1, 21)]
    assert all(r.outcome is RowOutcome.FOUND for r in rows)
    assert run.busy_answers == 40


class StepClock:
    """A clock the test moves: ``step`` seconds pass with every answer."""

    def __init__(self, step: float) -> None:
        self.now = 1000.0
        self.step = step

    def __call__(self) -> float:
        return self.now


def busy_for(clock: StepClock, refusals: dict[str, int]) -> Any:
    """Answers busy ``refusals[id]`` times for an id (forever for -1), then found; time passes."""
    asked: dict[str, int] = {}

    def answer(job: BatchLookupJob) -> Any:
        clock.now += clock.step
        ident = job.key.value
        asked[ident] = asked.get(ident, 0) + 1
        limit = refusals.get(ident, 0)
        if limit < 0 or asked[ident] <= limit:
            raise ServerBusy("The TMS is busy.", retry_after=0)
        return found(job)

    return answer


def test_an_item_is_tried_as_long_as_answers_come_through() -> None:
    # 30 busy answers for one id (the old limit gave up after 8), half a minute in all.
    clock = StepClock(1.0)
    runner = FakeRunner(busy_for(clock, {"7": 30}))
    rows: list[BatchRow] = []
    run = make_run(runner, [str(n) for n in range(1, 21)], rows, clock=clock)
    runner.drive(run)
    assert all(r.outcome is RowOutcome.FOUND for r in rows) and run.exit_code == 0
    assert runner.asked.count("7") == 31


def test_a_server_busy_for_two_minutes_is_given_up_on() -> None:
    # Nothing but busy, 10 s a time: the first item gives up once 120 s have passed since the
    # first busy answer; the next ones at their first busy answer; every item gets its row.
    clock = StepClock(10.0)
    runner = FakeRunner(busy_for(clock, {"1": -1, "2": -1, "3": -1}))
    rows: list[BatchRow] = []
    run = make_run(runner, ["1", "2", "3"], rows, clock=clock, in_flight=1)
    runner.drive(run)
    assert [r.outcome for r in rows] == [RowOutcome.ERROR] * 3
    assert runner.asked == ["1"] * 13 + ["2", "3"]
    assert rows[0].error is not None and "busy" in rows[0].error
    assert run.finished and run.exit_code == 6


def test_one_id_the_server_never_serves_ends_after_fifty_tries() -> None:
    from enroll_viewer.work.batch import MAX_BUSY_ATTEMPTS

    clock = StepClock(0.0)
    runner = FakeRunner(busy_for(clock, {"7": -1}))
    rows: list[BatchRow] = []
    run = make_run(runner, [str(n) for n in range(1, 11)], rows, clock=clock)
    runner.drive(run)
    assert runner.asked.count("7") == MAX_BUSY_ATTEMPTS == 50
    assert [r.outcome for r in rows].count(RowOutcome.FOUND) == 9
    assert rows[6].outcome is RowOutcome.ERROR


def test_a_rejected_key_stops_the_batch_and_every_item_gets_a_row() -> None:
    def reject_after_five(job: BatchLookupJob) -> Any:
        if int(job.key.value) > 5:
            raise KeyProblem("The API rejected the key.", "Invalid API key", KeyIssue.REJECTED)
        return found(job)

    runner = FakeRunner(reject_after_five)
    rows: list[BatchRow] = []
    inputs = [str(n) for n in range(1, 501)] + ["0"]
    run = make_run(runner, inputs, rows)
    runner.drive(run)
    assert [r.input for r in rows] == inputs
    assert {r.outcome for r in rows[:5]} == {RowOutcome.FOUND}
    assert {r.outcome for r in rows[5:-1]} == {RowOutcome.ERROR}
    assert rows[-1].outcome is RowOutcome.INVALID  # refused before sending, key or not
    assert rows[100].error == "Invalid API key: The API rejected the key."
    assert len(runner.asked) < 12  # it stopped at once
    assert run.exit_code == 4


def test_cancel_stops_rows() -> None:
    runner = FakeRunner(found)
    rows: list[BatchRow] = []
    run = make_run(runner, [str(n) for n in range(1, 100)], rows)
    run.start()
    ticket, job = runner.queue.pop(0)
    run.on_outcome(Outcome(ticket, job, found(job), None, 0.0))
    run.cancel()
    ticket, job = runner.queue.pop(0)
    run.on_outcome(Outcome(ticket, job, found(job), None, 0.0))
    assert [r.input for r in rows] == ["1"] and run.finished and run.exit_code == 130


def test_throttle_pauses_every_worker_and_backs_off() -> None:
    throttle = Throttle(max_pause=30)
    assert throttle.pause(None) == 1.0 and throttle.pause(None) == 2.0
    assert throttle.pause(120) == 30.0
    throttle.calm()
    assert throttle.pause(None) == 1.0
    token = CancelToken()
    threading.Timer(0.05, token.cancel).start()
    from enroll_viewer.api.errors import Cancelled

    with pytest.raises(Cancelled):
        throttle.wait(token)  # cancel reaches a paused worker at once


def _ids(count: int) -> Iterator[str]:
    for n in range(count):
        yield str(100000 + n)


def test_a_hundred_thousand_ids_in_flat_memory() -> None:
    """The reader, the engine and the CSV writer over 100,000 distinct ids (the network
    stands in: each lookup answers at once): memory grows by no more than a few MiB."""

    def not_found(job: BatchLookupJob) -> Any:
        raise NotFound(f"No class enrollment with id {job.key.value} was found.")

    class Sink(io.StringIO):
        def write(self, text: str) -> int:
            return len(text)  # counted, not kept

    runner = FakeRunner(not_found)
    runner.asked = _Counting()  # type: ignore[assignment]
    tracemalloc.start()
    lines = io.StringIO("\n".join(_ids(100_000)))
    writer = RowWriter(Sink(), Format.CSV, production(), details=False)
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    run = BatchRun(read_inputs(lines), production(), runner.submit, writer.row, runner.stop, 8)
    runner.drive(run)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    assert run.counts.done == 100_000 and run.counts.not_found == 100_000
    assert peak < 4 * 1024 * 1024, peak / 1024 / 1024


class _Counting(list):  # type: ignore[type-arg]
    def append(self, item: object) -> None:
        pass


def test_job_pauses_everyone_on_a_busy_answer(serve) -> None:
    from enroll_viewer.api.records import LookupKey, LookupKind
    from enroll_viewer.store.keystore import KeyStore
    from enroll_viewer.work.runner import WorkerContext
    from tests.conftest import MemoryKeyring
    from tests.helpers import local_connection, store_key

    server = serve(lambda h: h.send_body(503, b"", "text/plain", {"Retry-After": "1"}))
    connection = local_connection(server.base_url)
    backend = MemoryKeyring()
    store_key(backend, connection)
    throttle = Throttle()
    job = BatchLookupJob(connection, LookupKey(LookupKind.ID, "5"), throttle)
    context = WorkerContext(KeyStore(backend, environ={}))
    with pytest.raises(ServerBusy):
        job.run(context, CancelToken())
    context.close()
    assert len(server.seen.paths) == 1  # not retried inside: the batch decides
    # A pause of at most Retry-After's 1 s is in force (not "more than 0.5 s left": a busy
    # machine may take that long between the answer and this line).
    assert throttle.pauses == 1 and 0.0 < throttle.paused_for <= 1.0
    done: queue.Queue[float] = queue.Queue()
    threading.Thread(target=lambda: (throttle.wait(CancelToken()), done.put(1.0))).start()
    assert done.get(timeout=2) == 1.0
