"""What every benchmark shares: figures, statistics, children in fresh interpreters, timing a
process to its first paint, memory readings, and a demo API in its own process."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "benchmarks" / "run.py"
MIB = 1024 * 1024


@dataclass(frozen=True)
class Figure:
    """One row of the table: our figure, the same-run baseline, the goal and whether it holds
    (``ok`` None: no goal)."""

    name: str
    ours: float
    baseline: float | None
    unit: str
    goal: str = "—"
    ok: bool | None = None

    def cells(self) -> tuple[str, str, str, str, str, str]:
        """The row as text."""
        ratio = f"{self.ours / self.baseline:.2f}" if self.baseline else "—"
        base = f"{self.baseline:.2f} {self.unit}" if self.baseline is not None else "—"
        verdict = "—" if self.ok is None else ("PASS" if self.ok else "FAIL")
        return (self.name, f"{self.ours:.2f} {self.unit}", base, ratio, self.goal, verdict)


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def child(name: str, *args: str, env: dict[str, str | None] | None = None) -> Any:
    """Run one measurement in a fresh interpreter (``run.py --child``); it prints one JSON line.

    ``env`` is added to this environment; a None value removes that variable.
    """
    full = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for name_, value in (env or {}).items():
        if value is None:
            full.pop(name_, None)
        else:
            full[name_] = value
    result = subprocess.run(
        [sys.executable, str(RUN), "--child", name, *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=full,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def time_to_paint(
    command: list[str], runs: int, env: dict[str, str] | None = None, line: str = "first-paint"
) -> list[float]:
    """Milliseconds from process start to its ``first-paint`` line (or ``line``: the app also
    prints ``ready`` once the whole window is built); one warm-up run first."""
    times = []
    base = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "ENROLL_VIEWER_EXIT_AFTER_PAINT": "1",
        **(env or {}),
    }
    for run in range(runs + 1):
        started = time.perf_counter()
        proc = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=base,
            cwd=tempfile.gettempdir(),  # never the checkout: -m would import the source
        )
        assert proc.stdout is not None
        painted = None
        for text in proc.stdout:
            if text.strip() == line:
                painted = (time.perf_counter() - started) * 1000
                break
        proc.wait(60)
        if painted is None:
            raise RuntimeError(f"{command} never printed {line}")
        if run:
            times.append(painted)
    return times


def interleaved_paints(
    commands: dict[str, list[str]],
    runs: int,
    env: dict[str, str] | None = None,
    ready: frozenset[str] = frozenset(),
) -> dict[str, float]:
    """Median first paint of each command, run in turns (so drift hits all alike); the
    commands named in ``ready`` are timed to their ``ready`` line instead."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    lines = {name: "ready" if name in ready else "first-paint" for name in commands}
    for name, command in commands.items():
        time_to_paint(command, 0, env, lines[name])  # warm the file cache
    for _ in range(runs):
        for name, command in commands.items():
            times[name] += time_to_paint(command, 1, env, lines[name])[-1:]
    return {name: median(values) for name, values in times.items()}


def rss_now() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MIB


def peak_rss() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def demo_process() -> Iterator[str]:
    """The demo API in its own process (so it does not share our interpreter); its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "enroll_viewer", "demo-server", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    assert server.stdout is not None
    server.stdout.readline()
    try:
        yield f"http://127.0.0.1:{port}/api/2.0"
    finally:
        server.terminate()
        server.wait(10)


def print_table(figures: list[Figure]) -> str:
    """The figures as an aligned table (also what the README shows)."""
    header = ("figure", "ours", "baseline", "ratio", "goal", "result")
    rows = [f.cells() for f in figures]
    widths = [max(len(r[i]) for r in [*rows, header]) for i in range(len(header))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(header, widths, strict=True))]
    lines.append("-|-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)
