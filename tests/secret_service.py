"""A real Secret Service for tests: a private D-Bus session bus with gnome-keyring on it.

Nothing of the machine's own session is touched: the bus, HOME and the keyring files are
temporary. ``.ci/run`` installs dbus and gnome-keyring, so CI runs these tests; elsewhere they
are skipped when the programs are missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

PASSWORD = "test-keyring-password"
SERVICE = "org.freedesktop.secrets"
# Subscribe to the bus's NameOwnerChanged for the service, then ask whether it already has an
# owner; otherwise wait (up to 10 s) for the signal that it got one. No polling.
WAIT_FOR_SERVICE = f"""
import secretstorage
from jeepney import MatchRule, message_bus
from jeepney.io.blocking import Proxy, open_dbus_connection
with open_dbus_connection("SESSION") as conn:
    bus = Proxy(message_bus, conn)
    rule = MatchRule(type="signal", sender="org.freedesktop.DBus",
                     interface="org.freedesktop.DBus", member="NameOwnerChanged",
                     path="/org/freedesktop/DBus")
    rule.add_arg_condition(0, "{SERVICE}")
    bus.AddMatch(rule)
    with conn.filter(rule) as owners:
        if not bus.NameHasOwner("{SERVICE}")[0]:
            conn.recv_until_filtered(owners, timeout=10)
secretstorage.get_default_collection(secretstorage.dbus_init())
"""


def available() -> bool:
    """True when dbus-daemon, gnome-keyring-daemon and secret-tool are installed."""
    return all(shutil.which(p) for p in ("dbus-daemon", "gnome-keyring-daemon", "secret-tool"))


class SecretServiceSession:
    """Start with :meth:`start`; children get :attr:`env`; :meth:`stop` ends both daemons."""

    def __init__(self, home: Path) -> None:
        self.home = home
        runtime = home / "runtime"
        runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DISPLAY", "WAYLAND_DISPLAY", "PYTHON_KEYRING_BACKEND")
            and not k.startswith("DBUS_")
        }
        # No display: an unlock prompt fails at once instead of waiting for a person.
        self.env.update(
            HOME=str(home),
            XDG_DATA_HOME=str(home / "data"),
            XDG_CONFIG_HOME=str(home / "config"),
            XDG_RUNTIME_DIR=str(runtime),
        )
        self._bus: subprocess.Popen[str] | None = None
        self._keyring: subprocess.Popen[bytes] | None = None

    def start(self) -> SecretServiceSession:
        """Start the bus and an unlocked keyring on it; wait until the service answers."""
        self._bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=self.env,
        )
        assert self._bus.stdout is not None
        self.env["DBUS_SESSION_BUS_ADDRESS"] = self._bus.stdout.readline().strip()
        self._keyring = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=self.env,
        )
        assert self._keyring.stdin is not None
        self._keyring.stdin.write(PASSWORD.encode())
        self._keyring.stdin.close()
        self.python(WAIT_FOR_SERVICE)
        return self

    def python(self, code: str) -> str:
        """Run Python code against this keyring (in a child); returns its output."""
        result = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=30,
            env=self.env,
            check=True,
        )
        return result.stdout

    def lock(self) -> None:
        """Lock the default collection (the entries stay, unreadable until unlocked)."""
        self.python(
            "import secretstorage\n"
            "c = secretstorage.get_default_collection(secretstorage.dbus_init())\n"
            "c.lock()\nassert c.is_locked()\n"
        )

    def store_with_secret_tool(self, service: str, user: str, secret: str) -> None:
        """Write an entry the way another tool would (no 'application' attribute)."""
        subprocess.run(
            [
                "secret-tool",
                "store",
                "--label=written by another tool",
                "service",
                service,
                "username",
                user,
            ],
            input=secret,
            text=True,
            env=self.env,
            check=True,
            timeout=30,
        )

    def secrets(self, service: str, user: str) -> list[str]:
        """Every secret stored under (service, user), whoever wrote it."""
        out = self.python(
            "import secretstorage, sys\n"
            "c = secretstorage.get_default_collection(secretstorage.dbus_init())\n"
            f"items = c.search_items({{'service': {service!r}, 'username': {user!r}}})\n"
            "print('\\n'.join(i.get_secret().decode() for i in items))\n"
        )
        return [line for line in out.splitlines() if line]

    def stop(self) -> None:
        """End the keyring and the bus."""
        for process in (self._keyring, self._bus):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    process.kill()
