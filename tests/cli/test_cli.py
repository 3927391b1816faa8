"""The command line: output, exit codes, no Qt on its path, no key in any output or log."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from enroll_viewer.cli.main import main
from tests.helpers import NEW_GROUP, NO_CONSOLE_UNDER_WINE, interrupt
from tests.servers import Handler, envelope, record_responder, sample

KEY = "Zq9-secret-KEY-Value-77"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_lookup_json(capsys) -> None:
    code, out, err = run(capsys, "lookup", "10", "--demo", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["Id"] == 10 and data["EnrollmentStatus"] == "Enroll"
    assert data["CompletionStatus"] == "Unknown" and data["LocationType"] == "To Be Determined"
    assert data["CustomFields"][0] == {
        "Name": "Unique Text",
        "TextValue": "AXY12345",
        "CustomFieldId": 5089,
    }


def test_demo_lookup_text_and_null_labels(capsys) -> None:
    code, out, _ = run(capsys, "lookup", " 40 ", "--demo")
    assert code == 0
    assert "Location type      —" in out
    code, out, _ = run(capsys, "lookup", "40", "--demo", "--json")
    assert json.loads(out)["LocationType"] is None


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["lookup", "404", "--demo"], 3),
        (["lookup", "401", "--demo"], 4),
        (["lookup", "500", "--demo"], 6),
        (["lookup", "12\t3", "--demo"], 2),
        (["lookup", "12a", "--demo"], 3),  # an external id that does not exist
        (["lookup", "0", "--demo"], 2),
        (["lookup", "10", "--base-url", "http://tms.example.org/api"], 2),
    ],
)
def test_exit_codes(capsys, argv: list[str], code: int) -> None:
    got, out, err = run(capsys, *argv)
    assert got == code
    assert out == ""
    assert err.startswith("enroll-viewer: ") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_missing_key_exit_4(capsys, serve) -> None:
    server = serve(record_responder)
    code, _, err = run(capsys, "lookup", "1", "--base-url", server.base_url)
    assert code == 4 and "No API key" in err
    assert server.seen.paths == []


def test_unreachable_exit_5_and_timeout_bounds_the_lookup(capsys, serve, monkeypatch) -> None:
    monkeypatch.setenv("ENROLL_VIEWER_API_KEY", KEY)
    server = serve(lambda h: h.wait(30))
    code, _, err = run(capsys, "lookup", "1", "--base-url", server.base_url, "--timeout", "1")
    assert code == 5 and "within 1 second." in err


def test_usage_error_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["lookup"])
    assert info.value.code == 2


def test_base_url_from_environment(capsys, serve, monkeypatch) -> None:
    server = serve(record_responder)
    monkeypatch.setenv("ENROLL_VIEWER_BASE_URL", server.base_url)
    monkeypatch.setenv("ENROLL_VIEWER_API_KEY", KEY)
    code, out, _ = run(capsys, "lookup", "12", "--json")
    assert code == 0 and json.loads(out)["Id"] == 12


@pytest.mark.parametrize(
    "command",
    [
        ["lookup", "12"],
        ["lookup", "12", "13"],
        ["search", "--class", "4421"],
        ["lookup", "12", "--connection", "Local"],
    ],
)
def test_a_refused_environment_base_url_stops_and_sends_nothing(
    capsys, serve, monkeypatch, command: list[str]
) -> None:
    from enroll_viewer.store import connections as store

    server = serve(record_responder)
    # The default connection is a server that would answer: a fallback would reach it.
    local = store.add(store.load(), "Local", server.base_url)
    store.save(local, local.items, "Local")
    monkeypatch.setenv("ENROLL_VIEWER_BASE_URL", "http://tms.example.org/api/2.0")
    monkeypatch.setenv("ENROLL_VIEWER_API_KEY", KEY)
    code, out, err = run(capsys, *command)
    assert code == 2 and out == ""
    assert "ENROLL_VIEWER_BASE_URL is not used: " in err
    assert server.seen.paths == []


def test_it_preset_file_names_the_default_connection(
    capsys, serve, monkeypatch, tmp_path: Path
) -> None:
    import keyring

    from enroll_viewer.store.connections import load
    from enroll_viewer.store.keystore import keyring_entry
    from tests.conftest import MemoryKeyring

    server = serve(record_responder)
    config = tmp_path / "system-config.ini"
    config.write_text(f"[api]\nbase_url = {server.base_url}\n", encoding="utf-8")
    preset = load().default_connection
    assert preset.base_url == server.base_url
    # The environment's key belongs to Production (no base URL named): not sent here.
    monkeypatch.setenv("ENROLL_VIEWER_API_KEY", KEY)
    code, _, err = run(capsys, "lookup", "12")
    assert code == 4 and f"No API key for connection {preset.name}" in err
    assert server.seen.paths == []
    backend = MemoryKeyring()
    backend.set_password(*keyring_entry(preset), "preset-key-1234")
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)
    code, _, _ = run(capsys, "lookup", "12")
    assert code == 0 and server.seen.headers[-1]["api_key"] == "preset-key-1234"


def test_key_never_appears_in_output_or_logs(capsys, serve, monkeypatch, tmp_path: Path) -> None:
    """Run lookups that succeed and fail in every way; the key is in no output and no file."""

    def responder(h: Handler) -> None:
        ident = h.path.rsplit("/", 1)[-1]
        if ident == "1":
            h.send_json(envelope(sample(1)))
        elif ident == "2":
            h.send_json(envelope(status=10, error=f"echo api_key={h.headers['api_key']}"))
        elif ident == "3":
            h.send_body(500, h.headers["api_key"].encode(), "text/html")
        elif ident == "4":
            h.send_body(302, b"", headers={"Location": f"http://127.0.0.2:1/?k={KEY}"})
        else:
            h.send_json(envelope(status=30))

    server = serve(responder)
    monkeypatch.setenv("ENROLL_VIEWER_API_KEY", KEY)
    outputs = []
    for ident in ("1", "2", "3", "4", "5"):
        for extra in ([], ["--json"]):
            _code, out, err = run(capsys, "lookup", ident, "--base-url", server.base_url, *extra)
            outputs.append(out + err)
    _code, out, err = run(capsys, "key", "status", "--base-url", server.base_url)
    outputs.append(out + err)
    assert all(h["api_key"] == KEY for h in server.seen.headers)  # it was really sent
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "enroll-viewer.log" for p in files)
    for text in outputs:
        assert KEY not in text
    for path in files:
        assert KEY.encode() not in path.read_bytes(), path


def test_cli_path_imports_no_qt() -> None:
    code = (
        "import sys; from enroll_viewer.cli.main import main; "
        "rc = main(['lookup', '10', '--demo', '--json']); "
        "assert rc == 0; assert not [m for m in sys.modules if m.startswith('PySide6')]"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHON_KEYRING_BACKEND": ""},
    )
    assert result.returncode == 0, result.stderr


def test_python_dash_m_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "enroll_viewer", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout.startswith("enroll-viewer 0.")


def start_demo_server() -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "enroll_viewer", "demo-server"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **NEW_GROUP,
    )


@NO_CONSOLE_UNDER_WINE
def test_demo_server_lists_ids_and_stops_on_ctrl_c() -> None:
    proc = start_demo_server()
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("Demo API at http://127.0.0.1:")
        listing = "".join(proc.stdout.readline() for _ in range(6))
        assert "reference page's example" in listing
        interrupt(proc)
        _, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert "Traceback" not in err


@pytest.mark.skipif(sys.platform != "win32", reason="SIGBREAK (Ctrl+Break) is Windows'")
def test_ctrl_break_stops_the_demo_server_as_ctrl_c_does() -> None:
    """The Windows counterpart that runs under Wine too: SIGBREAK raised in the process, as the
    C runtime raises it when a console delivers CTRL_BREAK_EVENT (which Wine cannot send here)."""
    code = (
        "import runpy, signal, sys, threading\n"
        "sys.argv = ['enroll_viewer', 'demo-server']\n"
        "threading.Timer(3, signal.raise_signal, (signal.SIGBREAK,)).start()\n"
        "runpy.run_module('enroll_viewer', run_name='__main__')\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert out.startswith("Demo API at http://127.0.0.1:")
    assert proc.returncode == 130, err
    assert "Traceback" not in err


def test_key_commands_without_a_secure_keyring(capsys, monkeypatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("typed-key-1234\n"))
    code, out, err = run(capsys, "key", "set")
    assert code == 4 and "No secure keyring" in err and "typed-key-1234" not in out + err
    code, out, _ = run(capsys, "key", "status")
    assert code == 0 and "Key:        not set" in out and "not secure" in out
    code, out, _ = run(capsys, "key", "clear")
    assert code == 0 and "Forgot the key" in out


def test_key_set_and_status_with_a_keyring(capsys, monkeypatch) -> None:
    import io

    import keyring

    from tests.conftest import MemoryKeyring

    backend = MemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)
    monkeypatch.setattr("sys.stdin", io.StringIO("  stored-key-5678 \n"))
    code, out, err = run(capsys, "key", "set", "--base-url", "https://tms.example.org/api/2.0")
    assert code == 0, err
    assert backend.store == {
        ("enroll-viewer/tms.example.org", "https://tms.example.org/api/2.0"): "stored-key-5678"
    }
    code, out, _ = run(capsys, "key", "status", "--base-url", "https://tms.example.org/api/2.0")
    assert "Key:        set" in out and "stored-key-5678" not in out


def test_key_set_with_a_locked_keyring_is_an_error(capsys, monkeypatch) -> None:
    import io

    import keyring
    from keyring.errors import KeyringLocked

    from tests.conftest import MemoryKeyring

    class Locked(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            raise KeyringLocked("locked")

    monkeypatch.setattr(keyring, "get_keyring", Locked)
    monkeypatch.setattr("sys.stdin", io.StringIO("locked-key-1234\n"))
    code, out, err = run(capsys, "key", "set", "--base-url", "https://tms.example.org/api/2.0")
    assert code == 4 and "keyring is locked" in err and "Saved" not in out


def test_unexpected_failure_is_one_sentence_and_exit_1(capsys, monkeypatch) -> None:
    from enroll_viewer.api.tms_api import TmsApi

    def explode(self: object, key: object, token: object = None) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(TmsApi, "lookup", explode)
    code, out, err = run(capsys, "lookup", "10", "--demo")
    assert code == 1 and out == ""
    assert err.strip() == (
        "enroll-viewer: unexpected problem (RuntimeError); the details are in the log."
    )


@NO_CONSOLE_UNDER_WINE
def test_demo_server_is_quiet_when_a_client_hangs_up() -> None:
    """A cancelled lookup (the client closes mid-wait) is normal: nothing on stderr."""
    import socket

    proc = start_demo_server()
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline().split(":")[2].split("/")[0])
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall(
                    b"GET /api/2.0/GetClassEnrollment/3000 HTTP/1.1\r\nHost: x\r\n"
                    b"api_key: demo-key-not-secret\r\n\r\n"
                )
                sock.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(
                b"GET /api/2.0/GetClassEnrollment/3000 HTTP/1.1\r\nHost: x\r\n"
                b"api_key: demo-key-not-secret\r\n\r\n"
            )
            assert b"200 OK" in sock.recv(100)  # the server is still fine
        interrupt(proc)
        _, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert "Traceback" not in err and "BrokenPipe" not in err and "ConnectionReset" not in err
