"""Benchmarks: each figure against a baseline measured in the same run on the same machine.

    python benchmarks/run.py            # everything, builds both bundles (~4 min)
    python benchmarks/run.py --quick    # fewer runs, no bundle builds (about a minute)

Prints a table (figure, ours, baseline, ratio, goal, pass/fail) and writes
benchmarks/results/latest.json. Goals are reported, not enforced: absolute times on shared
machines drift, ratios hold. Each measure lives in its own module; the ones that need a fresh
interpreter run as children of this script (``--child NAME``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import commandline, lookups, memory, startup, window  # noqa: E402
from benchmarks.common import Figure, child, print_table  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"

CHILDREN: dict[str, Callable[[list[str]], Any]] = {
    "lookup": lambda a: lookups.measure(int(a[0])),
    "window": lambda a: window.measure(int(a[0])),
    "memory": lambda a: memory.measure(int(a[0])),
    "memory-real": lambda a: memory.measure(int(a[0]), real=True),
    "baseline-memory": lambda a: memory.baseline(a[0]),
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer runs, no bundle builds")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child](args.args)))
        return 0

    runs = 3 if args.quick else 10
    started = time.perf_counter()
    data: dict[str, Any] = {
        "quick": args.quick,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "date": time.strftime("%Y-%m-%d %H:%M"),
        },
    }
    figures: list[Figure] = []
    rows, data["startup"] = startup.source(runs * 2)
    figures += rows
    if not args.quick:
        rows, data["bundle"] = startup.bundles(runs)
        figures += rows
    data["lookup"] = child("lookup", str(runs * 30))
    figures += lookups.figures(data["lookup"])
    data["window"] = child("window", str(max(10, runs * 5)))
    figures += window.figures(data["window"])
    data["memory"] = child("memory", "100" if args.quick else "500")
    data["memory_real"] = memory.real_keyring(20)
    bare = child("baseline-memory", str(ROOT / "benchmarks" / "bare_window.py"))["peak_mib"]
    floor = child("baseline-memory", str(ROOT / "benchmarks" / "floor_window.py"))["peak_mib"]
    data["memory_baselines"] = {"label": bare, "floor": floor}
    figures += memory.figures(data["memory"], data["memory_real"], bare, floor)
    data["cli"] = commandline.measure(runs, str(startup.INSTALL / "bin" / "python"))
    figures += commandline.figures(data["cli"])

    print(print_table(figures))
    failed = [f.name for f in figures if f.ok is False]
    print(
        f"\n{len(figures)} figures, {len(failed)} goals missed"
        f"{': ' + '; '.join(failed) if failed else ''}; {time.perf_counter() - started:.0f} s"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    data["table"] = [f.cells() for f in figures]
    (RESULTS / "latest.json").write_text(json.dumps(data, indent=2, default=str))
    print(f"wrote {(RESULTS / 'latest.json').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
