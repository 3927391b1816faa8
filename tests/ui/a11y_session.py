"""A private desktop for reading the app's accessibility tree: Xvfb, a session bus, the AT-SPI
bus and registry, the app under Qt's xcb platform with accessibility on, and the AT-SPI client
(tests/ui/a11y_client.py) run under Debian's python3, where pyatspi lives."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CLIENT = Path(__file__).with_name("a11y_client.py")
SYSTEM_PYTHON = "/usr/bin/python3"
NEEDED = ("Xvfb", "dbus-daemon", "xdotool", "gdbus")
LAUNCHER = "/usr/libexec/at-spi-bus-launcher"


def missing() -> str | None:
    """What this machine lacks for the test (None when everything is there)."""
    for tool in NEEDED:
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if not Path(LAUNCHER).exists():
        return "at-spi2-core is not installed"
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import gi; gi.require_version('Atspi', '2.0')"],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        return "Debian's python3 has no Atspi (python3-pyatspi, gir1.2-atspi-2.0)"
    return None


class Desktop:
    """The running pieces; :meth:`run_app` starts the app, :meth:`read` runs client steps."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: list[subprocess.Popen[bytes]] = []
        runtime = folder / "run"
        runtime.mkdir(mode=0o700)
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("QT_", "DBUS_", "AT_SPI", "WAYLAND", "XDG_"))
        }
        self.env.update(
            XDG_RUNTIME_DIR=str(runtime),
            XDG_CONFIG_HOME=str(folder / "config"),
            XDG_STATE_HOME=str(folder / "state"),
            XDG_DATA_HOME=str(folder / "data"),
            XDG_CACHE_HOME=str(folder / "cache"),
            ENROLL_VIEWER_CONFIG=str(folder / "system-config.ini"),
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
            NO_AT_BRIDGE="0",
        )

    def start(self) -> None:
        read, write = os.pipe()
        xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
            pass_fds=(write,),
            stderr=subprocess.DEVNULL,
        )
        self.processes.append(xvfb)
        os.close(write)
        with os.fdopen(read) as pipe:
            display = pipe.readline().strip()
        self.env["DISPLAY"] = f":{display}"
        bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            env=self.env,
        )
        self.processes.append(bus)
        assert bus.stdout is not None
        self.env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().decode().strip()
        launcher = subprocess.Popen(
            [LAUNCHER, "--launch-immediately"], env=self.env, stderr=subprocess.DEVNULL
        )
        self.processes.append(launcher)
        # Ask for the AT-SPI bus only once the launcher owns its name (else a second starts).
        subprocess.run(
            ["gdbus", "wait", "--session", "--timeout", "20", "org.a11y.Bus"],
            env=self.env,
            check=True,
            timeout=30,
        )

    def run_app(self, *args: str) -> subprocess.Popen[bytes]:
        """Start the app (the window) with accessibility on."""
        env = {
            **self.env,
            "QT_ACCESSIBILITY": "1",
            "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
            "QT_QPA_PLATFORM": "xcb",
        }
        with (self.folder / "app-stderr.txt").open("wb") as errors:  # the child keeps its own
            app = subprocess.Popen(
                [sys.executable, "-m", "enroll_viewer", *args],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=errors,
            )
        self.processes.append(app)
        return app

    def read(self, steps: list[dict[str, Any]], timeout: float = 180) -> dict[str, Any]:
        """Run the client's ``steps``; what it saw."""
        done = subprocess.run(
            [SYSTEM_PYTHON, str(CLIENT)],
            input=json.dumps(steps),
            capture_output=True,
            text=True,
            env=self.env,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        result: dict[str, Any] = json.loads(done.stdout)
        return result

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(10)


@contextlib.contextmanager
def desktop(folder: Path) -> Iterator[Desktop]:
    """A private desktop with AT-SPI, stopped (every process ended) afterwards."""
    session = Desktop(folder)
    try:
        session.start()
        yield session
    finally:
        session.stop()
