"""Peak memory: the window after start and after a lookup (on the demo, and on a server whose
key is read from a real keyring, as on a desktop), growth over many lookups, and baselines."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import Figure, child, peak_rss, rss_now


def measure(lookups: int, real: bool = False) -> dict[str, Any]:
    """Runs in a child. ``real``: a server that is not the demo, its key read through keyring
    (Secret Service when the parent started one), as a registrar's session does."""
    from PySide6.QtCore import QSettings

    from enroll_viewer.store.connection import demo
    from enroll_viewer.store.keystore import KeyStore
    from enroll_viewer.store.preferences import Preferences
    from enroll_viewer.ui.app import DemoHost, create_app, create_window

    app = create_app([sys.argv[0]])
    folder = Path(tempfile.mkdtemp())
    prefs = Preferences(QSettings(str(folder / "p.ini"), QSettings.Format.IniFormat))
    host = DemoHost()
    if real:  # a registrar's server: the embedded demo API is never started
        from enroll_viewer.store.connections import load

        connection = load().get(os.environ["BENCH_CONNECTION"])
    else:
        connection = host.start(demo())
    window = create_window(KeyStore(environ={}), prefs, connection, None, host)
    window.show()
    app.processEvents()
    states: list[object] = []
    window.key_state_changed.connect(states.append)
    window.finish_setup()
    _spin(app, lambda: bool(states))
    if real and os.environ.get("BENCH_SESSION_KEY"):
        # No keyring service here: keyring still loads its backends; the key is kept in
        # memory, as a registrar's would be.
        from enroll_viewer.work.jobs import KeyChangeJob
        from enroll_viewer.work.runner import GroupKind

        group = window.runner.begin(GroupKind.SETTINGS)
        window.runner.submit(KeyChangeJob(connection, os.environ["BENCH_SESSION_KEY"]), group)
        _spin(app, lambda: len(states) >= 2)
    after_start = peak_rss()

    def one(ident: int) -> None:
        shown: list[int] = []
        window.lookup.record_shown.connect(shown.append)
        window.id_field.setText(str(ident))
        window.look_up()
        _spin(app, lambda: bool(shown))
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
    backend = type(window.runner.keystore._backend).__module__
    window.close()
    host.stop()
    return {
        "peak_after_start_mib": after_start,
        "peak_after_lookup_mib": after_lookup,
        "growth_mib": grown,
        "lookups": lookups,
        "keyring": backend,
    }


def _spin(app: Any, done: Callable[[], bool]) -> None:
    end = time.perf_counter() + 20
    while not done():
        app.processEvents()
        if time.perf_counter() > end:
            raise RuntimeError("the window did not answer within 20 s")


def baseline(script: str) -> dict[str, Any]:
    """Runs in a child: peak memory of a baseline window once it has painted."""
    import runpy

    os.environ["ENROLL_VIEWER_EXIT_AFTER_PAINT"] = "1"
    sys.argv = [script]
    with contextlib.suppress(SystemExit):
        runpy.run_path(script, run_name="__main__")
    return {"peak_mib": peak_rss()}


def real_keyring(lookups: int) -> dict[str, Any]:
    """The window on a server (the demo API at another address) with its key in the keyring: a
    real Secret Service where dbus and gnome-keyring are installed, else keyring's own choice."""
    import subprocess

    from benchmarks.common import ROOT
    from enroll_viewer import DEMO_KEY

    sys.path.insert(0, str(ROOT))
    from tests.secret_service import SecretServiceSession, available

    home = Path(tempfile.mkdtemp())
    session = SecretServiceSession(home).start() if available() else None
    env = dict(session.env) if session else {"XDG_CONFIG_HOME": str(home / "config")}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    env["ENROLL_VIEWER_CONFIG"] = str(home / "none.ini")
    from enroll_viewer.demo.server import DemoServer

    server = DemoServer().start()
    try:
        cli = [sys.executable, "-m", "enroll_viewer"]
        full = {**os.environ, **env}
        full.pop("PYTHON_KEYRING_BACKEND", None)
        subprocess.run([*cli, "connections", "add", "Bench", "--base-url", server.base_url],
                       env=full, check=True, capture_output=True, cwd=ROOT)  # fmt: skip
        subprocess.run([*cli, "key", "set", "--connection", "Bench"], input=DEMO_KEY, text=True,
                       env=full, check=False, capture_output=True, cwd=ROOT)  # fmt: skip
        extra: dict[str, str | None] = {"BENCH_CONNECTION": "Bench", "PYTHON_KEYRING_BACKEND": None}
        if session is None:
            extra["BENCH_SESSION_KEY"] = DEMO_KEY
        return dict(child("memory-real", str(lookups), env={**env, **extra}))
    finally:
        server.stop()
        if session is not None:
            session.stop()


def figures(data: dict[str, Any], real: dict[str, Any], bare: float, floor: float) -> list[Figure]:
    """The rows for the table."""
    return [
        Figure("Peak RSS after start (demo)", data["peak_after_start_mib"], floor, "MiB", "≤ 90",
               data["peak_after_start_mib"] <= 90),
        Figure("Peak RSS after a lookup (demo)", data["peak_after_lookup_mib"], floor, "MiB",
               "≤ 90", data["peak_after_lookup_mib"] <= 90),
        Figure(f"RSS growth over {data['lookups']} lookups", data["growth_mib"], None, "MiB",
               "< 5", data["growth_mib"] < 5),
        Figure(f"Peak RSS after a lookup, key from {real['keyring'].rsplit('.', 1)[-1]}",
               real["peak_after_lookup_mib"], floor, "MiB", "≤ 90",
               real["peak_after_lookup_mib"] <= 90),
        Figure("Peak RSS of the floor window vs a one-label window", floor, bare, "MiB"),
    ]  # fmt: skip
