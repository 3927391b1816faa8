"""``lookup`` with many ids, over real sockets: order, duplicates, every outcome, busy storms,
concurrency, a key rejected mid-batch, streaming, Ctrl+C, and the CSV read back."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from enroll_viewer.cli.main import main
from tests.helpers import NEW_GROUP, NO_CONSOLE_UNDER_WINE, interrupt
from tests.servers import Handler, envelope, sample

KEY = "Batch-Key-7788"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ident_of(h: Handler) -> str:
    parts = urlsplit(h.path)
    if "?" in h.path:
        return parse_qs(parts.query)["id"][0]
    return parts.path.rsplit("/", 1)[-1]


class Counting:
    """A responder that counts requests in flight at once, with a random delay.

    The first requests are held until ``fill`` are in flight together (for at most 5 s), so
    whether ``most`` reaches ``fill`` does not depend on how the client's threads are scheduled.
    """

    def __init__(self, delay: float = 0.02, seed: int = 1, fill: int = 1) -> None:
        self.lock = threading.Lock()
        self.active = 0
        self.most = 0
        self.rng = random.Random(seed)
        self.delay = delay
        self.fill = fill
        self.filled = threading.Event()

    def __call__(self, h: Handler) -> None:
        with self.lock:
            self.active += 1
            self.most = max(self.most, self.active)
            if self.active >= self.fill:
                self.filled.set()
            wait = self.rng.random() * self.delay
        try:
            self.filled.wait(5)
            h.wait(wait)
            answer(h)
        finally:
            with self.lock:
                self.active -= 1


def answer(h: Handler) -> None:
    ident = ident_of(h)
    if ident == "404":
        h.send_json(envelope(status=20))
    elif ident == "500":
        h.send_json(envelope(status=10, error="The TMS failed."), status=500)
    elif "ByExternalId" in h.path:
        h.send_json(envelope(sample(7, ExternalId=ident)))
    else:
        h.send_json(envelope(sample(int(ident))))


@pytest.fixture
def base(serve, monkeypatch) -> Any:
    def start(responder: Any) -> Any:
        server = serve(responder)
        monkeypatch.setenv("ENROLL_VIEWER_API_KEY", KEY)
        return server

    return start


def rows_of(out: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(out, newline="")))


def test_order_is_kept_under_random_latency_and_concurrency_never_above_n(capsys, base) -> None:
    counting = Counting(delay=0.05, fill=3)
    server = base(counting)
    ids = [str(n) for n in range(1, 61)]
    code, out, err = run(
        capsys, "lookup", *ids, "--csv", "--concurrency", "3", "--base-url", server.base_url
    )
    assert code == 0, err
    rows = rows_of(out)
    assert [r["Input"] for r in rows] == ids  # the CSV read back is in input order
    assert [r["Id"] for r in rows] == ids and {r["Outcome"] for r in rows} == {"found"}
    assert counting.most == 3  # reached, never passed
    assert server.seen.connections <= 3  # each worker kept its connection


def test_every_outcome_and_duplicates(capsys, base) -> None:
    server = base(answer)
    inputs = ["5", "404", "0", "500", "AB-1", "5", "ab-1", "x" * 101]
    code, out, _ = run(capsys, "lookup", *inputs, "--jsonl", "--base-url", server.base_url)
    items = [json.loads(line) for line in out.splitlines()]
    assert [i["Input"] for i in items] == inputs
    assert [i["Outcome"] for i in items] == [
        "found", "not_found", "invalid", "error", "found", "found", "found", "invalid",
    ]  # fmt: skip
    assert items[0]["Enrollment"]["Id"] == 5 and items[0]["Error"] is None
    assert items[3]["Enrollment"] is None and "The TMS failed." in items[3]["Error"]
    assert items[1]["Error"].startswith("Not found:")
    assert sum(p.endswith("/5") for p in server.seen.paths) == 1  # fetched once
    assert sum("ByExternalId" in p for p in server.seen.paths) == 1  # ignoring case
    assert not any(p.endswith("/0") for p in server.seen.paths)  # refused before sending
    assert code == 6  # an API error; not found and invalid alone would be 3


def test_exit_codes(capsys, base, serve) -> None:
    server = base(answer)
    assert run(capsys, "lookup", "1", "2", "--csv", "--base-url", server.base_url)[0] == 0
    assert run(capsys, "lookup", "1", "404", "0", "--csv", "--base-url", server.base_url)[0] == 3
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, out, _ = run(
        capsys, "lookup", "1", "2", "--csv", "--timeout", "2", "--base-url",
        f"http://127.0.0.1:{port}/api/2.0",
    )  # fmt: skip
    assert code == 5 and {r["Outcome"] for r in rows_of(out)} == {"error"}


def test_busy_storms_lose_nothing(capsys, base) -> None:
    # Each id is refused (503 and 429 in turn) id % 4 times, then answered: the same answers
    # per item whatever order the workers send them in.
    lock = threading.Lock()
    asked: dict[str, int] = {}

    def storm(h: Handler) -> None:
        ident = h.path.rsplit("/", 1)[-1]
        with lock:
            asked[ident] = asked.get(ident, 0) + 1
            n = asked[ident]
        if n <= int(ident) % 4:
            status, text = (503, b"busy") if n % 2 else (429, b"slow down")
            h.send_body(status, text, "text/plain", {"Retry-After": "0"})
        else:
            answer(h)

    server = base(storm)
    ids = [str(n) for n in range(1, 81)]
    code, out, err = run(capsys, "lookup", *ids, "--csv", "--base-url", server.base_url)
    rows = rows_of(out)
    assert code == 0, err
    assert [r["Input"] for r in rows] == ids and {r["Outcome"] for r in rows} == {"found"}
    assert asked == {i: 1 + int(i) % 4 for i in ids}  # every busy answer tried again, once


def test_a_pause_holds_every_worker(capsys, base, monkeypatch) -> None:
    from enroll_viewer.work.batch import Throttle

    lock = threading.Lock()
    times: list[tuple[float, str]] = []

    def once_busy(h: Handler) -> None:
        with lock:
            times.append((time.monotonic(), ident_of(h)))
            first_three = len(times) == 3
        if first_three:
            h.send_body(503, b"", "text/plain", {"Retry-After": "1"})
        else:
            answer(h)

    # Every request passes the throttle first. Timed there, not at the server: a request that
    # passed it before the pause began may still reach the server after, by as long as a busy
    # machine keeps that worker waiting, so no grace at the server is safe.
    gates: list[tuple[float, float]] = []  # (entered, passed) per request
    pauses: list[tuple[float, float, float]] = []  # (in force from, at least until, seconds)
    wait, pause = Throttle.wait, Throttle.pause

    def timed_wait(self: Throttle, token: Any) -> None:
        entered = time.monotonic()
        wait(self, token)
        with lock:
            gates.append((entered, time.monotonic()))

    def timed_pause(self: Throttle, retry_after: float | None) -> float:
        asked = time.monotonic()
        delay = pause(self, retry_after)
        with lock:
            pauses.append((time.monotonic(), asked + delay, delay))
        return delay

    monkeypatch.setattr(Throttle, "wait", timed_wait)
    monkeypatch.setattr(Throttle, "pause", timed_pause)
    server = base(once_busy)
    ids = [str(n) for n in range(1, 13)]
    code, _, _ = run(capsys, "lookup", *ids, "--csv", "--base-url", server.base_url)
    assert code == 0
    assert len(gates) == len(times) == len(ids) + 1  # every request went through the throttle
    assert len(pauses) == 1 and pauses[0][2] == 1.0  # Retry-After: 1
    begun, until, _ = pauses[0]
    # nobody came to the throttle during the pause and got past it before the pause was over
    assert not [g for g in gates if g[0] >= begun and g[1] < until]
    assert [g for g in gates if g[1] >= until]  # the busy id and the rest, after the pause
    assert times[-1][0] >= until  # the server was asked again only after it


def test_a_key_rejected_mid_batch_stops_it(capsys, base) -> None:
    lock = threading.Lock()
    count = {"n": 0}

    def rejects(h: Handler) -> None:
        with lock:
            count["n"] += 1
            n = count["n"]
        if n > 10:
            h.send_json(envelope(status=30, error="Invalid integration key"))
        else:
            answer(h)

    server = base(rejects)
    ids = [str(n) for n in range(1, 201)]
    code, out, err = run(
        capsys, "lookup", *ids, "--csv", "--concurrency", "2", "--base-url", server.base_url
    )
    rows = rows_of(out)
    assert code == 4 and "Invalid API key" in err
    assert [r["Input"] for r in rows] == ids  # every input still has its row
    # The server answered the first ten requests it received; with two at once, the tenth and
    # eleventh ids may reach it in either order.
    found = [i for i, r in enumerate(rows) if r["Outcome"] == "found"]
    assert len(found) == 10 and max(found) <= 10
    assert {r["Outcome"] for r in rows[12:]} == {"error"}
    assert all(r["Error"].startswith("Invalid API key") for r in rows[12:])
    assert count["n"] <= 14  # at most the requests already in flight


def test_ids_from_a_file_with_a_bom_crlf_and_a_header(capsys, base, tmp_path: Path) -> None:
    server = base(answer)
    path = tmp_path / "ids.csv"
    path.write_bytes("\ufeffName,Enrollment ID\r\nAda,10\r\n# skip\r\n\r\nGrace,11\r\n".encode())
    code, out, _ = run(capsys, "lookup", "--from", str(path), "--json", "--details",
                       "--base-url", server.base_url)  # fmt: skip
    data = json.loads(out)
    assert code == 0 and [i["Input"] for i in data["Items"]] == ["10", "11"]
    assert "User" in data["Items"][0]["Enrollment"] and "Links" in data["Items"][0]["Enrollment"]


def test_csv_cells_and_details_columns(capsys, base) -> None:
    server = base(lambda h: h.send_json(envelope(sample(3, ExternalId="=HYPERLINK(1)"))))
    code, out, _ = run(capsys, "lookup", "3", "3", "--csv", "--details",
                       "--base-url", server.base_url)  # fmt: skip
    assert code == 0
    header = out.splitlines()[0].split(",")
    assert header[:4] == ["Input", "Outcome", "Error", "Id"] and header[-3:] == [
        "Learner", "Email", "Class",
    ]  # fmt: skip
    assert rows_of(out)[0]["ExternalId"] == "'=HYPERLINK(1)"


def child_env(base_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env.update(ENROLL_VIEWER_API_KEY=KEY, ENROLL_VIEWER_BASE_URL=base_url)
    return env


@NO_CONSOLE_UNDER_WINE
def test_rows_stream_as_they_are_known_and_ctrl_c_stops_within_a_second(base) -> None:
    server = base(lambda h: (h.wait(0.15), answer(h)))
    proc = subprocess.Popen(
        [sys.executable, "-m", "enroll_viewer", "lookup", "--from", "-", "--csv"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(server.base_url),  # no PYTHONUNBUFFERED, as users have it
        # Unbuffered pipes: a buffered readline() may read rows 2 and 3 ahead into its own
        # buffer, which communicate() (reading the file descriptor) would never see.
        bufsize=0,
        **NEW_GROUP,
    )
    assert proc.stdin is not None and proc.stdout is not None
    ids = ("\n".join(str(n) for n in range(1, 401)) + "\n").encode()
    assert proc.stdin.write(ids) == len(ids)  # 1.6 kB: far less than a pipe holds
    proc.stdin.close()
    proc.stdin = None  # communicate() must not flush it again
    header = proc.stdout.readline().decode()
    first = proc.stdout.readline().decode()  # arrives long before the batch could end
    assert header.startswith("Input,Outcome") and first.startswith("1,found,")
    started = time.monotonic()
    interrupt(proc)
    rest_bytes, err_bytes = proc.communicate(timeout=5)
    rest, err = rest_bytes.decode(), err_bytes.decode()
    assert time.monotonic() - started < 1.0
    assert proc.returncode == 130 and "Traceback" not in err and "interrupted" in err
    lines = (first + rest).splitlines(keepends=True)
    assert all(line.endswith("\r\n") for line in lines)  # complete rows only
    rows = rows_of(header + first + rest)
    assert [r["Input"] for r in rows] == [str(n) for n in range(1, len(rows) + 1)]
    assert 1 <= len(rows) < 400
