"""The request runner without Qt: groups, cancel in every state, supersede, shutdown, pool size.

Jobs here are small fakes (the runner takes any object with ``run``) or real lookups against
local servers; the window's use of the runner is tested in test_window.py.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from enroll_viewer.api.cancel import CancelToken
from enroll_viewer.api.errors import Cancelled
from enroll_viewer.api.records import LookupKey, LookupKind
from enroll_viewer.store.keystore import KeyStore, keyring_entry
from enroll_viewer.work.jobs import LookupJob
from enroll_viewer.work.runner import GroupKind, Outcome, Runner, WorkerContext
from tests.conftest import MemoryKeyring
from tests.helpers import KEY, local_connection
from tests.servers import record_responder


@dataclass(frozen=True)
class Wait:
    """Runs until its token is cancelled or ``release`` is set; counts who ran."""

    name: str
    release: threading.Event = field(default_factory=threading.Event, compare=False)
    started: threading.Event = field(default_factory=threading.Event, compare=False)
    runs: list[str] = field(default_factory=list, compare=False)

    def run(self, context: WorkerContext, token: CancelToken) -> str:
        self.runs.append(self.name)
        self.started.set()
        while not self.release.is_set():
            if token.wait(0.01):
                raise Cancelled("cancelled")
        return self.name


class Collect:
    def __init__(self) -> None:
        self.outcomes: queue.Queue[Outcome] = queue.Queue()

    def __call__(self, outcome: Outcome) -> None:
        self.outcomes.put(outcome)

    def next(self, timeout: float = 3.0) -> Outcome:
        return self.outcomes.get(timeout=timeout)


@pytest.fixture
def pool() -> Any:
    runners: list[Runner] = []

    def make(workers: int = 2, keystore: KeyStore | None = None) -> tuple[Runner, Collect]:
        collect = Collect()
        runner = Runner(keystore or KeyStore(MemoryKeyring(), environ={}), collect, workers)
        runners.append(runner)
        return runner, collect

    yield make
    for runner in runners:
        assert runner.shutdown(1.0)


def test_every_job_gives_exactly_one_outcome(pool) -> None:
    runner, collect = pool(3)
    group = runner.begin(GroupKind.BATCH)
    jobs = [Wait(str(n)) for n in range(10)]
    for job in jobs:
        job.release.set()
        runner.submit(job, group)
    names = sorted(collect.next().value for _ in jobs)
    assert names == sorted(str(n) for n in range(10))
    assert collect.outcomes.empty()


def test_cancel_while_queued_never_starts_the_job(pool) -> None:
    runner, collect = pool(1)
    blocker = Wait("blocker")
    queued = Wait("queued")
    runner.submit(blocker, runner.begin(GroupKind.LOOKUP))
    assert blocker.started.wait(2)
    group = runner.begin(GroupKind.BATCH)
    ticket = runner.submit(queued, group)
    runner.cancel_group(group)
    blocker.release.set()
    outcomes = {collect.next().value or "cancelled" for _ in range(2)}
    assert outcomes == {"blocker", "cancelled"}
    assert queued.runs == [] and ticket.cancelled


def test_cancel_while_running_ends_at_once(pool) -> None:
    runner, collect = pool(1)
    job = Wait("running")
    group = runner.begin(GroupKind.LOOKUP)
    runner.submit(job, group)
    assert job.started.wait(2)
    runner.cancel_group(group)
    outcome = collect.next()  # the job is never released: only the cancel can end it
    assert isinstance(outcome.error, Cancelled)


def test_a_new_group_supersedes_the_old_one(pool) -> None:
    runner, collect = pool(2)
    first = runner.begin(GroupKind.LOOKUP)
    slow = Wait("old")
    runner.submit(slow, first)
    assert slow.started.wait(2)
    second = runner.begin(GroupKind.LOOKUP)
    assert first.cancelled and not second.cancelled
    fresh = Wait("new")
    fresh.release.set()
    runner.submit(fresh, second)
    got = {collect.next().ticket.group.serial for _ in range(2)}
    assert got == {first.serial, second.serial}
    other = runner.begin(GroupKind.BATCH)  # another kind does not cancel lookups
    assert not second.cancelled and not other.cancelled


def test_a_result_finished_after_cancel_is_reported_as_cancelled(pool) -> None:
    @dataclass(frozen=True)
    class IgnoresToken:
        gate: threading.Event
        started: threading.Event

        def run(self, context: WorkerContext, token: CancelToken) -> str:
            self.started.set()
            self.gate.wait(2)
            return "late value"

    runner, collect = pool(1)
    job = IgnoresToken(threading.Event(), threading.Event())
    group = runner.begin(GroupKind.LOOKUP)
    runner.submit(job, group)
    assert job.started.wait(2)
    runner.cancel_group(group)
    job.gate.set()
    outcome = collect.next()
    assert outcome.value is None and isinstance(outcome.error, Cancelled)


def test_pool_of_n_runs_n_at_once_and_no_more(pool) -> None:
    runner, collect = pool(3)
    group = runner.begin(GroupKind.BATCH)
    jobs = [Wait(str(n)) for n in range(5)]
    for job in jobs:
        runner.submit(job, group)
    assert all(job.started.wait(2) for job in jobs[:3])
    assert not jobs[3].started.wait(0.2)  # a fourth would start now if the pool were larger
    assert sum(j.started.is_set() for j in jobs) == 3
    for job in jobs:
        job.release.set()
    assert len({collect.next().value for _ in jobs}) == 5


def test_interactive_jobs_go_before_queued_batch_jobs(pool) -> None:
    runner, collect = pool(1)
    blocker = Wait("blocker")
    runner.submit(blocker, runner.begin(GroupKind.SEARCH))
    assert blocker.started.wait(2)
    batch = runner.begin(GroupKind.BATCH)
    for n in range(3):
        job = Wait(f"batch{n}")
        job.release.set()
        runner.submit(job, batch)
    lookup = Wait("lookup")
    lookup.release.set()
    runner.submit(lookup, runner.begin(GroupKind.LOOKUP))
    blocker.release.set()
    order = [collect.next().value for _ in range(5)]
    assert order[:2] == ["blocker", "lookup"]


def test_shutdown_while_busy_returns_within_a_second(pool) -> None:
    runner, collect = pool(4)
    group = runner.begin(GroupKind.BATCH)
    for n in range(20):
        runner.submit(Wait(str(n)), group)
    started = time.monotonic()
    assert runner.shutdown(1.0)
    assert time.monotonic() - started < 1.0
    assert runner.alive_workers() == 0
    count = 0
    while not collect.outcomes.empty():
        assert isinstance(collect.next().error, Cancelled)
        count += 1
    assert count == 20  # every ticket accounted for, none run to the end


def test_submitting_after_shutdown_is_cancelled(pool) -> None:
    runner, collect = pool(1)
    runner.submit(Wait("first"), runner.begin(GroupKind.LOOKUP))  # the workers have started
    runner.shutdown(1.0)
    assert isinstance(collect.next().error, Cancelled)
    ticket = runner.submit(Wait("late"), runner.begin(GroupKind.LOOKUP))
    assert isinstance(collect.next().error, Cancelled)  # accounted for, never run
    assert ticket.cancelled


def test_cancel_gap_dequeued_before_its_socket_exists(pool, serve) -> None:
    """A lookup taken by a worker that is still reading its key (a slow keyring: no socket
    yet) ends at once on cancel, not at its deadline, and the worker takes the next job."""
    release = threading.Event()
    reading = threading.Event()

    class SlowFirstRead(MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            reading.set()
            release.wait(10)
            return super().get_password(service, username)

    server = serve(record_responder)
    connection = local_connection(server.base_url, 20)
    backend = SlowFirstRead()
    backend.set_password(*keyring_entry(connection), KEY)
    runner, collect = pool(1, KeyStore(backend, environ={}))
    group = runner.begin(GroupKind.LOOKUP)
    runner.submit(LookupJob(connection, LookupKey(LookupKind.ID, "1")), group)
    assert reading.wait(2)
    runner.cancel_group(group)
    # Within collect.next's 3 s: the keyring answers only when released (or after 10 s) and
    # the deadline is 20 s, so the outcome can only be the cancel's.
    outcome = collect.next()
    assert isinstance(outcome.error, Cancelled)
    assert server.seen.paths == []
    release.set()
    fresh = Wait("next")
    fresh.release.set()
    runner.submit(fresh, runner.begin(GroupKind.LOOKUP))
    assert collect.next().value == "next"


def test_workers_keep_their_connection(pool, serve, memory_keyring) -> None:
    server = serve(record_responder)
    connection = local_connection(server.base_url)
    memory_keyring.set_password(*keyring_entry(connection), KEY)
    runner, collect = pool(2, KeyStore(memory_keyring, environ={}))
    group = runner.begin(GroupKind.BATCH)
    for n in range(1, 41):
        runner.submit(LookupJob(connection, LookupKey(LookupKind.ID, str(n))), group)
    ids = sorted(collect.next().value.id for _ in range(40))
    assert ids == list(range(1, 41))
    assert server.seen.connections <= 2
