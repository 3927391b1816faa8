"""The command line: one lookup against python+requests and curl, and a batch of 1,000 ids
against four threads each with its own requests.Session doing the same GETs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, Figure, demo_process, median

PAGES = r"""
import sys, requests
base, key = sys.argv[1], sys.argv[2]
session = requests.Session()
index = 0
while True:
    page = session.get(f"{base}/SearchClassEnrollments", params={"classId": "4421",
        "pageIndex": index, "pageSize": 100}, headers={"api_key": key}, timeout=10).json()
    if not page["Results"] or (index + 1) * 100 >= page["TotalCount"]:
        break
    index += 1
"""
FOUR_SESSIONS = r"""
import sys, threading, requests
base, key, path = sys.argv[1], sys.argv[2], sys.argv[3]
ids = [line.strip() for line in open(path) if line.strip()]
chunks = [ids[n::4] for n in range(4)]
def work(chunk):
    session = requests.Session()
    for ident in chunk:
        url = f"{base}/GetClassEnrollment/{ident}"
        session.get(url, headers={"api_key": key}, timeout=10).content
threads = [threading.Thread(target=work, args=(c,)) for c in chunks]
for t in threads: t.start()
for t in threads: t.join()
"""


def _timed(command: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for run in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(
            command,
            capture_output=True,
            env=env,
            check=False,
            timeout=300,
            cwd=tempfile.gettempdir(),
        )
        if run:
            times.append((time.perf_counter() - started) * 1000)
    return median(times)


def measure(runs: int, python: str = sys.executable) -> dict[str, Any]:
    """Whole processes, started as a user (or a script) would, against the demo in its own
    process. ``python`` is a normal install's interpreter."""
    from enroll_viewer import DEMO_KEY

    out: dict[str, Any] = {}
    with demo_process() as base:
        env = {**os.environ, "ENROLL_VIEWER_API_KEY": DEMO_KEY}
        ours = [python, "-m", "enroll_viewer", "lookup", "10", "--json", "--base-url", base]
        out["ours"] = _timed(ours, runs, env)
        get = ("import requests, sys; r = requests.get(sys.argv[1], headers={'api_key': "
               "sys.argv[2]}, timeout=5); print(r.text)")  # fmt: skip
        out["python_requests"] = _timed(
            [python, "-c", get, f"{base}/GetClassEnrollment/10", DEMO_KEY], runs, env
        )
        if shutil.which("curl"):
            out["curl"] = _timed(
                ["curl", "-s", "-H", f"api_key: {DEMO_KEY}", f"{base}/GetClassEnrollment/10"],
                runs, env,
            )  # fmt: skip
        # The flaky ids (which pause a batch on purpose) are left out: 1,000 plain GETs.
        ids = [str(n) for n in range(100000, 101003) if n not in (100250, 100500, 100750)]
        path = Path(tempfile.mkdtemp()) / "ids.txt"
        path.write_text("\n".join(ids) + "\n")
        batch = [python, "-m", "enroll_viewer", "lookup", "--from", str(path), "--csv",
                 "--concurrency", "4", "--base-url", base]  # fmt: skip
        batch_runs = max(1, runs // 3)
        out["batch_ms"] = _timed(batch, batch_runs, env)
        out["sessions_ms"] = _timed(
            [python, "-c", FOUR_SESSIONS, base, DEMO_KEY, str(path)], batch_runs, env
        )
        search = [python, "-m", "enroll_viewer", "search", "--class", "4421", "--csv",
                  "--base-url", base]  # fmt: skip
        out["search_ms"] = _timed(search, runs, env)
        out["pages_ms"] = _timed([python, "-c", PAGES, base, DEMO_KEY], runs, env)
    return out


def figures(data: dict[str, Any]) -> list[Figure]:
    """The rows for the table."""
    rows = [
        Figure("CLI lookup --json vs python+requests", data["ours"], data["python_requests"],
               "ms", "ratio ≤ 1.15", data["ours"] / data["python_requests"] <= 1.15),
    ]  # fmt: skip
    if "curl" in data:
        rows.append(Figure("CLI lookup --json vs curl", data["ours"], data["curl"], "ms"))
    rows.append(
        Figure("Batch of 1,000 ids, concurrency 4, vs 4 × requests.Session", data["batch_ms"],
               data["sessions_ms"], "ms", "ratio ≤ 1.2",
               data["batch_ms"] / data["sessions_ms"] <= 1.2)
    )  # fmt: skip
    rows.append(
        Figure("Search, a class of 265 (3 pages), vs python+requests paging", data["search_ms"],
               data["pages_ms"], "ms", "ratio ≤ 1.3", data["search_ms"] / data["pages_ms"] <= 1.3)
    )  # fmt: skip
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print(measure(3))
