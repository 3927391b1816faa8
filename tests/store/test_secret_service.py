"""The command line (from source) against a real Secret Service: gnome-keyring on a private
D-Bus session bus. The bundle is checked the same way in test_bundle.py."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.secret_service import SecretServiceSession, available
from tests.servers import record_responder

pytestmark = pytest.mark.skipif(not available(), reason="needs dbus and gnome-keyring")
KEY = "Secret-Service-Key-4455"
NEW_KEY = "Replaced-Key-6677"


@pytest.fixture
def session(tmp_path: Path) -> Iterator[SecretServiceSession]:
    started = SecretServiceSession(tmp_path / "home").start()
    yield started
    started.stop()


def cli(
    session: SecretServiceSession, *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "enroll_viewer", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=session.env,
    )


def test_set_read_and_clear_with_a_real_secret_service(session, serve) -> None:
    server = serve(record_responder)
    assert cli(session, "connections", "add", "Test", "--base-url", server.base_url).returncode == 0
    service = f"enroll-viewer/{server.base_url.split('/')[2]}"
    saved = cli(session, "key", "set", "--connection", "Test", stdin=KEY + "\n")
    assert saved.returncode == 0, saved.stderr
    assert "SecretService" in saved.stdout
    assert session.secrets(service, "test") == [KEY]
    status = cli(session, "key", "status", "--connection", "Test")
    assert status.returncode == 0 and "Key:        set" in status.stdout
    assert KEY not in status.stdout + status.stderr
    found = cli(session, "lookup", "7", "--connection", "Test", "--json")
    assert found.returncode == 0, found.stderr
    assert server.seen.headers[-1]["api_key"] == KEY
    cleared = cli(session, "key", "clear", "--connection", "Test")
    assert cleared.returncode == 0 and session.secrets(service, "test") == []
    assert "not set" in cli(session, "key", "status", "--connection", "Test").stdout


def test_an_entry_written_by_another_tool_is_one_entry(session, serve) -> None:
    server = serve(record_responder)
    assert cli(session, "connections", "add", "Test", "--base-url", server.base_url).returncode == 0
    service = f"enroll-viewer/{server.base_url.split('/')[2]}"
    session.store_with_secret_tool(service, "test", KEY)
    assert cli(session, "lookup", "7", "--connection", "Test").returncode == 0
    assert server.seen.headers[-1]["api_key"] == KEY  # read
    assert cli(session, "key", "set", "--connection", "Test", stdin=NEW_KEY).returncode == 0
    assert session.secrets(service, "test") == [NEW_KEY]  # replaced, not doubled
    assert cli(session, "lookup", "8", "--connection", "Test").returncode == 0
    assert server.seen.headers[-1]["api_key"] == NEW_KEY
    session.store_with_secret_tool(service, "test", "another-foreign-copy")
    assert cli(session, "key", "clear", "--connection", "Test").returncode == 0
    assert session.secrets(service, "test") == []  # cleared as one


def test_a_locked_keyring_is_named_as_locked(session, serve) -> None:
    server = serve(record_responder)
    assert cli(session, "connections", "add", "Test", "--base-url", server.base_url).returncode == 0
    assert cli(session, "key", "set", "--connection", "Test", stdin=KEY).returncode == 0
    session.lock()
    status = cli(session, "key", "status", "--connection", "Test")
    assert status.returncode == 4 and "locked" in status.stdout and "not set" not in status.stdout
    lookup = cli(session, "lookup", "7", "--connection", "Test")
    assert lookup.returncode == 4 and "keyring is locked" in lookup.stderr
    assert "key set" not in lookup.stderr and server.seen.paths == []
    again = cli(session, "key", "set", "--connection", "Test", stdin=NEW_KEY)
    assert again.returncode == 4 and "locked" in again.stderr and "Saved" not in again.stdout
    clear = cli(session, "key", "clear", "--connection", "Test")
    assert clear.returncode == 4 and "locked" in clear.stderr and "Forgot" not in clear.stdout


def test_self_test_reports_the_secret_service(session) -> None:
    result = cli(session, "--self-test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "picked keyring.backends.SecretService.Keyring (secure)" in result.stdout
