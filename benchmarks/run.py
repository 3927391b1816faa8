"""Benchmarks: each figure against a baseline measured in the same run on the same machine.

    python benchmarks/run.py            # everything, 10 runs each, builds both bundles (~3 min)
    python benchmarks/run.py --quick    # fewer runs, no bundle builds (under a minute)

Prints a table (figure, ours, baseline, ratio, goal, pass/fail) and writes
benchmarks/results/latest.json. Goals are reported, not enforced: absolute times on shared
machines drift, ratios hold.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results"
MIB = 1024 * 1024


# --- helpers ---------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def child(name: str, *args: str, env: dict[str, str] | None = None) -> Any:
    """Run one measurement in a fresh interpreter; it prints one JSON line."""
    result = subprocess.run(
        [sys.executable, __file__, "--child", name, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def time_to_paint(command: list[str], runs: int, env: dict[str, str] | None = None) -> list[float]:
    """Milliseconds from process start to its ``first-paint`` line; one warm-up run first."""
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
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=base
        )
        assert proc.stdout is not None
        painted = None
        for line in proc.stdout:
            if "first-paint" in line:
                painted = (time.perf_counter() - started) * 1000
                break
        proc.wait(60)
        if painted is None:
            raise RuntimeError(f"{command} never painted")
        if run:
            times.append(painted)
    return times


# --- children (each runs in its own interpreter) --------------------------------------------------


def child_lookup(runs: int) -> dict[str, Any]:
    """The app's client vs a bare reused http.client connection, over HTTP and HTTPS."""
    import http.client
    import ssl

    import trustme

    from enroll_viewer.demo_data import DEMO_KEY
    from enroll_viewer.tms_api import TmsApi
    from tests.servers import LocalServer, envelope, sample

    body = json.dumps(envelope(sample(10))).encode()
    out: dict[str, Any] = {}
    ca = trustme.CA()
    folder = Path(tempfile.mkdtemp())
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    os.environ["SSL_CERT_FILE"] = str(folder / "ca.pem")
    for scheme in ("http", "https"):
        tls = None
        client_ctx = None
        if scheme == "https":
            tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ca.issue_cert("localhost").configure_cert(tls)
            client_ctx = ssl.create_default_context(cafile=str(folder / "ca.pem"))
        server = LocalServer(lambda h: h.send_body(200, body), tls).start()
        port = server.server_address[1]
        host = "localhost" if tls else "127.0.0.1"
        # bare: one http.client connection, reused
        conn: http.client.HTTPConnection = (
            http.client.HTTPSConnection(host, port, context=client_ctx)
            if tls
            else http.client.HTTPConnection(host, port)
        )
        bare = []
        for _ in range(runs + 20):
            started = time.perf_counter()
            conn.request("GET", "/api/2.0/GetClassEnrollment/10", headers={"api_key": DEMO_KEY})
            conn.getresponse().read()
            bare.append((time.perf_counter() - started) * 1000)
        conn.close()
        bare = bare[20:]
        before = server.seen.connections
        client = TmsApi(server.base_url, DEMO_KEY)
        started = time.perf_counter()
        client.get_enrollment(10)
        first = (time.perf_counter() - started) * 1000
        ours = []
        for _ in range(runs + 20):
            started = time.perf_counter()
            client.get_enrollment(10)
            ours.append((time.perf_counter() - started) * 1000)
        client.close()
        ours = ours[20:]
        connections = server.seen.connections - before
        server.stop()
        out[scheme] = {
            "first_ms": first,
            "repeat_ms": median(ours),
            "bare_ms": median(bare),
            "connections": connections,
            "lookups": runs + 21,
        }
    return out


def child_window(runs: int) -> dict[str, Any]:
    """Enter to painted record, and the longest event-loop gaps, in the real window."""
    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from enroll_viewer.app import create_app, create_window
    from enroll_viewer.connection import demo as demo_template
    from enroll_viewer.connection import one_off
    from enroll_viewer.demo_server import DemoServer
    from enroll_viewer.keystore import KeyStore
    from enroll_viewer.settings import Preferences
    from tests.servers import LocalServer, record_responder

    app = create_app([sys.argv[0]])
    prefs = Preferences(
        QSettings(str(Path(tempfile.mkdtemp()) / "p.ini"), QSettings.Format.IniFormat)
    )
    demo = DemoServer().start()
    demo_connection = demo_template().with_base_url(demo.base_url, demo.site_url)
    slow = LocalServer(lambda h: (h.wait(2.0), record_responder(h))).start()
    slow_connection = one_off(slow.base_url, 10)
    keystore = KeyStore(environ={"ENROLL_VIEWER_API_KEY": "k"}, env_key_for=slow_connection.id)
    window = create_window(keystore, prefs, demo_connection)
    window.show()
    app.processEvents()
    window.finish_setup()

    def wait_until(condition: Any, seconds: float = 10) -> None:
        end = time.perf_counter() + seconds
        while not condition():
            app.processEvents()
            if time.perf_counter() > end:
                raise RuntimeError("timed out")

    def enter_to_paint(ident: int) -> float:
        shown: list[int] = []
        window.lookup.record_shown.connect(shown.append)
        window.id_field.setText(str(ident))
        started = time.perf_counter()
        window.look_up()
        wait_until(lambda: bool(shown))
        window.repaint()  # the paint of the new record, synchronously
        elapsed = (time.perf_counter() - started) * 1000
        window.lookup.record_shown.disconnect(shown.append)
        return elapsed

    enter_to_paint(10)  # warm-up
    typical = [enter_to_paint(10 if i % 2 else 21) for i in range(runs)]
    large = [enter_to_paint(51 if i % 2 else 50) for i in range(max(5, runs // 2))]

    # Longest gap between event-loop turns (a 1 ms timer) during a slow lookup and while a
    # 1,000-field record is shown.
    def longest_gap(action: Any, seconds: float) -> float:
        stamps: list[float] = []
        clock = QElapsedTimer()
        clock.start()
        timer = QTimer()
        timer.setInterval(1)
        timer.timeout.connect(lambda: stamps.append(clock.nsecsElapsed() / 1e6))
        timer.start()
        action()
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
            QApplication.sendPostedEvents()
        timer.stop()
        return max(b - a for a, b in itertools.pairwise(stamps)) if stamps else 0.0

    window.switch_connection(slow_connection)
    app.processEvents()
    window.id_field.setText("5")
    gap_slow = longest_gap(window.look_up, 2.3)
    window.switch_connection(demo_connection)
    window.id_field.setText("51")
    gap_large = longest_gap(window.look_up, 0.8)
    window.close()
    slow.stop()
    demo.stop()
    return {
        "typical_ms": typical,
        "large_ms": large,
        "gap_slow_ms": gap_slow,
        "gap_large_ms": gap_large,
    }


def rss_now() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MIB


def peak_rss() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_memory(lookups: int, real: bool = False) -> dict[str, Any]:
    """Peak RSS after start and after a lookup; growth over many lookups.

    ``real``: a server that is not the demo, with the key read through the keyring (as a
    registrar's session does), instead of the demo API (which needs no keyring).
    """
    from PySide6.QtCore import QSettings

    from enroll_viewer.app import create_app, create_window
    from enroll_viewer.connection import demo as demo_template
    from enroll_viewer.connection import one_off
    from enroll_viewer.demo_data import DEMO_KEY
    from enroll_viewer.demo_server import DemoServer
    from enroll_viewer.jobs import KeyChangeJob
    from enroll_viewer.keystore import KeyStore
    from enroll_viewer.runner import GroupKind
    from enroll_viewer.settings import Preferences

    app = create_app([sys.argv[0]])
    prefs = Preferences(
        QSettings(str(Path(tempfile.mkdtemp()) / "p.ini"), QSettings.Format.IniFormat)
    )
    demo = DemoServer().start()
    if real:
        connection = one_off(demo.base_url, 10)
    else:
        connection = demo_template().with_base_url(demo.base_url, demo.site_url)
    window = create_window(KeyStore(environ={}), prefs, connection)
    window.show()
    app.processEvents()
    window.finish_setup()
    if real:
        # keyring detects its backends as on a desktop (importing all of them); with no
        # Secret Service here the key then lives in memory, as a registrar's would.
        states: list[object] = []
        window.key_state_changed.connect(states.append)
        group = window.runner.begin(GroupKind.SETTINGS)
        window.runner.submit(KeyChangeJob(connection, DEMO_KEY), group)
        end = time.perf_counter() + 10
        while len(states) < 2 and time.perf_counter() < end:
            app.processEvents()
    after_start = peak_rss()

    def one(ident: int) -> None:
        shown: list[int] = []
        window.lookup.record_shown.connect(shown.append)
        window.id_field.setText(str(ident))
        window.look_up()
        end = time.perf_counter() + 10
        while not shown and time.perf_counter() < end:
            app.processEvents()
        window.lookup.record_shown.disconnect(shown.append)
        app.processEvents()

    one(10)
    after_lookup = peak_rss()
    for i in range(50):  # settle caches and pools
        one(51 if i % 10 == 0 else 10 + i % 7)
    settled = rss_now()
    for i in range(lookups):
        one(51 if i % 10 == 0 else 10 + i % 7)
    grown = rss_now() - settled
    window.close()
    demo.stop()
    return {
        "peak_after_start_mib": after_start,
        "peak_after_lookup_mib": after_lookup,
        "growth_mib": grown,
        "lookups": lookups,
    }


def child_bare_memory() -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(sys.argv[:1])
    label = QLabel("Hello")
    label.show()
    app.processEvents()
    return {"peak_mib": peak_rss()}


# --- the parent ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cli_times(runs: int) -> dict[str, Any]:
    """``enroll-viewer lookup --json`` vs python+requests vs curl, against a running demo."""
    from enroll_viewer.demo_data import DEMO_KEY

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "enroll_viewer", "demo-server", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert server.stdout is not None
    server.stdout.readline()
    base = f"http://127.0.0.1:{port}/api/2.0"
    env = {**os.environ, "ENROLL_VIEWER_API_KEY": DEMO_KEY}
    commands = {
        "ours": [
            sys.executable,
            "-m",
            "enroll_viewer",
            "lookup",
            "10",
            "--json",
            "--base-url",
            base,
        ],
        "python_requests": [
            sys.executable,
            "-c",
            "import requests, sys; r = requests.get(sys.argv[1], "
            "headers={'api_key': sys.argv[2]}, timeout=5); print(r.text)",
            f"{base}/GetClassEnrollment/10",
            DEMO_KEY,
        ],
    }
    if shutil.which("curl"):
        commands["curl"] = [
            "curl",
            "-s",
            "-H",
            f"api_key: {DEMO_KEY}",
            f"{base}/GetClassEnrollment/10",
        ]
    out: dict[str, Any] = {}
    try:
        for name, command in commands.items():
            times = []
            for run in range(runs + 1):
                started = time.perf_counter()
                subprocess.run(command, capture_output=True, env=env, check=True, timeout=60)
                if run:
                    times.append((time.perf_counter() - started) * 1000)
            out[name] = median(times)
    finally:
        server.terminate()
        server.wait(10)
    return out


def build_bundles() -> dict[str, Any]:
    """Build our bundle and the bare-window bundle with the same script and trimming."""
    sys.path.insert(0, str(ROOT / "build_scripts"))
    import build  # type: ignore[import-not-found]

    dist = Path(tempfile.mkdtemp(prefix="ev-bench-"))
    ours = build.build(dist=dist / "app", archive=True)
    bare = build.build(bare=True, dist=dist / "bare", archive=False)
    return {"ours": ours, "bare": bare}


def row(
    table: list[tuple[str, str, str, str, str, str]],
    name: str,
    ours: float,
    baseline: float | None,
    unit: str,
    goal: str,
    ok: bool | None,
) -> None:
    ratio = f"{ours / baseline:.2f}" if baseline else "—"
    base = f"{baseline:.2f} {unit}" if baseline is not None else "—"
    verdict = "—" if ok is None else ("PASS" if ok else "FAIL")
    table.append((name, f"{ours:.2f} {unit}", base, ratio, goal, verdict))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer runs, no bundle builds")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        runs = int(args.args[0]) if args.args else 10
        if args.child == "memory-real":
            data = child_memory(runs, real=True)
        else:
            result = {"lookup": child_lookup, "window": child_window, "memory": child_memory}.get(
                args.child
            )
            data = result(runs) if result else child_bare_memory()
        print(json.dumps(data))
        return 0

    runs = 3 if args.quick else 10
    started = time.perf_counter()
    table: list[tuple[str, str, str, str, str, str]] = []
    data: dict[str, Any] = {
        "quick": args.quick,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "date": time.strftime("%Y-%m-%d %H:%M"),
        },
    }

    bare_cmd = [sys.executable, str(ROOT / "benchmarks" / "bare_window.py")]
    ours_cmd = [sys.executable, "-m", "enroll_viewer"]
    home = tempfile.mkdtemp()
    env = {
        "XDG_CONFIG_HOME": home,
        "XDG_STATE_HOME": home,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    bare_paint = median(time_to_paint(bare_cmd, runs, env))
    ours_paint = median(time_to_paint(ours_cmd, runs, env))
    data["startup_source"] = {"ours_ms": ours_paint, "bare_ms": bare_paint}
    row(
        table,
        "Start-up to first paint (source)",
        ours_paint,
        bare_paint,
        "ms",
        "ratio ≤ 1.15",
        ours_paint / bare_paint <= 1.15,
    )

    if not args.quick:
        bundles = build_bundles()
        ours_b, bare_b = bundles["ours"], bundles["bare"]
        exe = Path(ours_b["bundle"]) / "enroll-viewer"
        bare_exe = Path(bare_b["bundle"]) / "bare-window"
        frozen_ours = median(time_to_paint([str(exe)], runs, env))
        frozen_bare = median(time_to_paint([str(bare_exe)], runs, env))
        data["bundle"] = {
            "ours_bytes": ours_b["bundle_bytes"],
            "bare_bytes": bare_b["bundle_bytes"],
            "archive_bytes": ours_b["archive_bytes"],
            "ours_build_s": ours_b["build_seconds"],
            "bare_build_s": bare_b["build_seconds"],
            "ours_paint_ms": frozen_ours,
            "bare_paint_ms": frozen_bare,
        }
        row(
            table,
            "Start-up to first paint (bundle)",
            frozen_ours,
            frozen_bare,
            "ms",
            "ratio ≤ 1.25",
            frozen_ours / frozen_bare <= 1.25,
        )
        ours_mib, bare_mib = ours_b["bundle_bytes"] / MIB, bare_b["bundle_bytes"] / MIB
        row(
            table,
            "Bundle size (one folder)",
            ours_mib,
            bare_mib,
            "MiB",
            "≤ 130, ratio ≤ 1.2",
            ours_mib <= 130 and ours_mib / bare_mib <= 1.2,
        )
        row(
            table,
            "Bundle archive",
            ours_b["archive_bytes"] / MIB,
            None,
            "MiB",
            "≤ 55",
            ours_b["archive_bytes"] / MIB <= 55,
        )
        row(
            table,
            "Bundle build time",
            ours_b["build_seconds"],
            bare_b["build_seconds"],
            "s",
            "—",
            None,
        )

    lookup = child("lookup", str(runs * 30))
    data["lookup"] = lookup
    for scheme in ("http", "https"):
        item = lookup[scheme]
        row(
            table,
            f"Repeated lookup, {scheme.upper()}",
            item["repeat_ms"],
            item["bare_ms"],
            "ms",
            "≤ bare + 1 ms",
            item["repeat_ms"] - item["bare_ms"] <= 1.0,
        )
        row(
            table,
            f"First lookup, {scheme.upper()} (new connection)",
            item["first_ms"],
            None,
            "ms",
            "—",
            None,
        )
        row(
            table,
            f"Connections for {item['lookups']} lookups, {scheme.upper()}",
            item["connections"],
            None,
            "",
            "1",
            item["connections"] == 1,
        )

    window = child("window", str(max(10, runs * 5)))
    data["window"] = window
    row(
        table,
        "Enter → painted record, typical (median)",
        median(window["typical_ms"]),
        None,
        "ms",
        "< 30",
        median(window["typical_ms"]) < 30,
    )
    row(
        table,
        "Enter → painted record, typical (p95)",
        p95(window["typical_ms"]),
        None,
        "ms",
        "< 30",
        p95(window["typical_ms"]) < 30,
    )
    row(
        table,
        "Enter → painted record, 1,000 fields (median)",
        median(window["large_ms"]),
        None,
        "ms",
        "< 100",
        median(window["large_ms"]) < 100,
    )
    row(
        table,
        "Enter → painted record, 1,000 fields (p95)",
        p95(window["large_ms"]),
        None,
        "ms",
        "< 100",
        p95(window["large_ms"]) < 100,
    )
    row(
        table,
        "Longest event-loop gap, 2 s slow lookup",
        window["gap_slow_ms"],
        None,
        "ms",
        "< 50",
        window["gap_slow_ms"] < 50,
    )
    row(
        table,
        "Longest event-loop gap, 1,000-field record",
        window["gap_large_ms"],
        None,
        "ms",
        "< 50",
        window["gap_large_ms"] < 50,
    )

    memory = child("memory", "100" if args.quick else "500")
    bare_memory = child("bare-memory")
    data["memory"] = {**memory, "bare_peak_mib": bare_memory["peak_mib"]}
    row(
        table,
        "Peak RSS after start",
        memory["peak_after_start_mib"],
        bare_memory["peak_mib"],
        "MiB",
        "≤ 90",
        memory["peak_after_start_mib"] <= 90,
    )
    row(
        table,
        "Peak RSS after a lookup",
        memory["peak_after_lookup_mib"],
        bare_memory["peak_mib"],
        "MiB",
        "≤ 90",
        memory["peak_after_lookup_mib"] <= 90,
    )
    row(
        table,
        f"RSS growth over {memory['lookups']} lookups",
        memory["growth_mib"],
        None,
        "MiB",
        "< 5",
        memory["growth_mib"] < 5 * 1e6 / MIB,
    )
    real = child("memory-real", "50", env={"PYTHON_KEYRING_BACKEND": ""})
    data["memory_real"] = real
    row(
        table,
        "Peak RSS after a lookup, keyring loaded",
        real["peak_after_lookup_mib"],
        bare_memory["peak_mib"],
        "MiB",
        "≤ 90",
        real["peak_after_lookup_mib"] <= 90,
    )

    cli = cli_times(runs)
    data["cli"] = cli
    row(
        table,
        "CLI lookup --json vs python+requests",
        cli["ours"],
        cli["python_requests"],
        "ms",
        "ratio ≤ 1.3",
        cli["ours"] / cli["python_requests"] <= 1.3,
    )
    if "curl" in cli:
        row(table, "CLI lookup --json vs curl", cli["ours"], cli["curl"], "ms", "—", None)

    widths = [max(len(r[i]) for r in [*table, HEADER]) for i in range(len(HEADER))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(HEADER, widths, strict=True))]
    lines.append("-|-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in table]
    print("\n".join(lines))
    failed = [r[0] for r in table if r[5] == "FAIL"]
    print(
        f"\n{len(table)} figures, {len(failed)} goals missed"
        f"{': ' + '; '.join(failed) if failed else ''}; {time.perf_counter() - started:.0f} s"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    data["table"] = table
    (RESULTS / "latest.json").write_text(json.dumps(data, indent=2, default=str))
    print(f"wrote {(RESULTS / 'latest.json').relative_to(ROOT)}")
    return 0


HEADER = ("figure", "ours", "baseline", "ratio", "goal", "result")

if __name__ == "__main__":
    sys.exit(main())
