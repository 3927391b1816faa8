"""One window per user session, with real processes over the real local socket: a second
start hands its id to the first window (which looks it up) and exits 0; a crashed window's
leftovers do not block; starts at the same moment end with one window; a hung window is
waited for a bounded time; ``--new-window`` opts out.

Every process gets its own HOME, XDG_RUNTIME_DIR and TMPDIR (so a test never meets a real
user's window) and runs offscreen on the demo; what the windows did is read from their log.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from enroll_viewer.ui.handoff import ANSWER_MS, Answer, encode_message, server_name
from enroll_viewer.ui.instance_server import offer
from enroll_viewer.ui.single_instance import _lock_path

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="checks the Unix socket file; Windows uses a named pipe"
)

READY_MS = 60_000  # a window's start on a busy two-core machine
LISTENING = "listening for other starts"
PROBE = (
    "import sys\n"
    "from enroll_viewer.launch import main\n"
    "code = main(sys.argv[1:])\n"
    "print('Qt loaded' if 'PySide6' in sys.modules else 'no Qt')\n"
    "raise SystemExit(code)\n"
)


class Session:
    """One user's session: starts of the app, the socket they share, the log they write."""

    def __init__(self, root: Path, log: Path) -> None:
        self.root = root
        self.log = log
        self.processes: list[subprocess.Popen[str]] = []
        self.env = {
            **os.environ,
            "HOME": str(root / "home"),
            "XDG_RUNTIME_DIR": str(root / "run"),
            "TMPDIR": str(root / "tmp"),
            "QT_QPA_PLATFORM": "offscreen",
        }
        self.env.pop("ENROLL_VIEWER_EXIT_AFTER_PAINT", None)
        self.name = server_name(self.env)

    def start(self, *args: str) -> subprocess.Popen[str]:
        """A start that stays (a window), its output in files."""
        number = len(self.processes)
        # The child keeps its own handles to the files: ours close at once.
        with (
            (self.root / f"out{number}").open("w") as out,
            (self.root / f"err{number}").open("w") as err,
        ):
            process = subprocess.Popen(
                [sys.executable, "-m", "enroll_viewer", *args],
                env=self.env,
                stdout=out,
                stderr=err,
                text=True,
            )
        self.processes.append(process)
        return process

    def run(self, *args: str) -> tuple[int, float, str]:
        """A start expected to hand over: exit code, seconds taken, whether it loaded Qt."""
        began = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-c", PROBE, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return result.returncode, time.monotonic() - began, result.stdout.strip()

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8") if self.log.exists() else ""

    def wait_for(self, qtbot, line: str, count: int = 1, timeout: int = READY_MS) -> None:
        """Until ``line`` is in the log ``count`` times."""

        def seen() -> None:
            assert self.text().count(line) >= count, self.text()

        qtbot.waitUntil(seen, timeout=timeout)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGCONT)
                process.kill()
            process.wait(timeout=30)


@pytest.fixture
def session(monkeypatch: pytest.MonkeyPatch) -> Iterator[Session]:
    # A short folder: a Unix socket's path has at most 104 bytes.
    root = Path(tempfile.mkdtemp(prefix="ev-", dir="/tmp"))
    for name in ("home", "run", "tmp"):
        (root / name).mkdir(mode=0o700)
    monkeypatch.setenv("HOME", str(root / "home"))  # the socket's name depends on it
    from enroll_viewer.store.logs import log_dir

    result = Session(root, log_dir() / "enroll-viewer.log")
    assert result.name.startswith(str(root / "run"))
    try:
        yield result
    finally:
        result.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_a_second_start_hands_its_id_to_the_first_window_and_exits(session, qtbot) -> None:
    first = session.start("--demo")
    session.wait_for(qtbot, LISTENING)

    code, seconds, loaded = session.run("11")
    assert (code, loaded) == (0, "no Qt")  # it never loaded Qt: it exits at once
    assert seconds < 10
    session.wait_for(qtbot, "enrollment 11 shown (from another start)", timeout=10_000)

    code, _, _ = session.run("enroll-viewer://enrollment/E3G5YZFREFEQ9371?connection=Demo")
    assert code == 0
    session.wait_for(qtbot, "external id E3G5YZFREFEQ9371 shown (from another start)")

    # A link clicked in a browser (no terminal): the window says why; nothing is looked up.
    code, _, _ = session.run("enroll-viewer://enrollment/12345?base=https://evil.example")
    assert code == 0
    session.wait_for(qtbot, "refused a request from another start: Link refused")
    code, _, _ = session.run("--connection", "Nope", "12")
    assert code == 0
    session.wait_for(qtbot, "refused a request from another start: unknown connection")
    code, _, _ = session.run()  # the desktop icon again: the window comes to the front
    assert code == 0
    # Qt's client (what Windows starts use, over a pipe) says the same over the Unix socket.
    assert offer(session.name, encode_message("17", None)) is Answer.HANDED
    session.wait_for(qtbot, "enrollment 17 shown (from another start)")

    assert "12345" not in session.text() and "enrollment 12 " not in session.text()
    assert session.text().count("started (") == 1
    assert first.poll() is None


def test_a_crashed_windows_leftovers_do_not_block_a_start(session, qtbot) -> None:
    first = session.start("--demo")
    session.wait_for(qtbot, LISTENING)
    first.kill()
    first.wait(timeout=30)
    assert Path(session.name).exists()  # a crash leaves the socket file behind
    # ... and a start that crashed while deciding leaves the lock file.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from PySide6.QtCore import QLockFile\n"
            "lock = QLockFile(sys.argv[1]); assert lock.tryLock(0)\n"
            "print('locked', flush=True); sys.stdin.read()",
            _lock_path(session.name),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    holder.kill()
    holder.wait(timeout=30)
    holder.stdout.close()
    assert holder.stdin is not None
    holder.stdin.close()
    assert Path(_lock_path(session.name)).exists()

    session.start("--demo", "12")
    session.wait_for(qtbot, "enrollment 12 shown (from the command line)")
    assert session.text().count("started (Demo)") == 2
    # The new window took the stale lock, removed the stale socket and listens in its place.
    code, _, loaded = session.run("13")
    assert (code, loaded) == (0, "no Qt")
    session.wait_for(qtbot, "enrollment 13 shown (from another start)")
    assert not Path(_lock_path(session.name)).exists()


@pytest.mark.parametrize("leftover", [False, True], ids=["fresh", "after-a-crash"])
def test_starts_at_the_same_moment_end_with_one_window(session, qtbot, leftover: bool) -> None:
    if leftover:  # a socket file nobody listens on, as a crash leaves it
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stale:
            stale.bind(session.name)
    starts = [session.start("--demo") for _ in range(3)]

    def two_ended() -> None:
        assert sum(process.poll() is not None for process in starts) == 2

    qtbot.waitUntil(two_ended, timeout=READY_MS)
    assert [p.returncode for p in starts if p.returncode is not None] == [0, 0]
    session.wait_for(qtbot, LISTENING)
    code, _, _ = session.run("10")
    assert code == 0
    session.wait_for(qtbot, "enrollment 10 shown (from another start)")
    assert session.text().count("started (") == 1
    assert [p.poll() for p in starts].count(None) == 1


def test_a_hung_window_is_waited_for_a_bounded_time(session, qtbot) -> None:
    first = session.start("--demo")
    session.wait_for(qtbot, LISTENING)
    os.kill(first.pid, signal.SIGSTOP)  # hung: its socket still accepts, nobody answers
    try:
        began = time.monotonic()
        assert offer(session.name, encode_message("1", None)) is Answer.SILENT
        # Qt's wait counts whole milliseconds against its own clock: 1999.7 ms was seen.
        assert ANSWER_MS / 1000 - 0.05 <= time.monotonic() - began < ANSWER_MS / 1000 + 5
        began = time.monotonic()
        session.start("--demo", "14")
        session.wait_for(qtbot, "enrollment 14 shown (from the command line)")
        waited = time.monotonic() - began
    finally:
        os.kill(first.pid, signal.SIGCONT)
    assert waited >= ANSWER_MS / 1000 - 0.05  # it gave the hung window its time (and no more:
    # wait_for's timeout) and then opened a window of its own, which does not listen
    assert session.text().count("started (Demo)") == 2
    assert session.text().count(LISTENING) == 1


def test_new_window_opts_out(session, qtbot) -> None:
    session.start("--demo")
    session.wait_for(qtbot, LISTENING)
    second = session.start("--new-window", "--demo", "15")
    session.wait_for(qtbot, "enrollment 15 shown (from the command line)")
    assert session.text().count("started (Demo)") == 2
    assert session.text().count(LISTENING) == 1
    assert "from another start" not in session.text()
    # It does not take the first one's place either: another start still goes to the first.
    code, _, _ = session.run("16")
    assert code == 0
    session.wait_for(qtbot, "enrollment 16 shown (from another start)")
    assert second.poll() is None
