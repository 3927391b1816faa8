"""The command line with named connections: list/add/remove/default, --connection, and keys
that never cross hosts (two local servers record every key they receive)."""

from __future__ import annotations

import io
import json
from typing import Any

import keyring
import pytest

from enroll_viewer.cli.main import main
from enroll_viewer.store.connections import load
from enroll_viewer.store.keystore import keyring_entry
from tests.conftest import MemoryKeyring
from tests.servers import record_responder

ENV_KEY = "Env-Key-For-One-Place-1"
TEST_KEY = "Test-Key-Only-For-Test-2"
PROD_KEY = "Prod-Key-Only-For-Prod-3"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def backend(monkeypatch) -> MemoryKeyring:
    memory = MemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: memory)
    return memory


@pytest.fixture
def two_servers(serve, capsys, backend, monkeypatch) -> dict[str, Any]:
    """ "Prod" (the environment's base URL, as IT would set it) and "Test" (a saved connection)."""
    prod = serve(record_responder)
    test = serve(record_responder)
    monkeypatch.setenv("ENROLL_VIEWER_BASE_URL", prod.base_url)
    assert run(capsys, "connections", "add", "Test", "--base-url", test.base_url)[0] == 0
    return {"prod": prod, "test": test}


def keys_seen(server: Any) -> set[str]:
    return {h.get("api_key", "") for h in server.seen.headers}


def test_list_add_default_remove(capsys, backend) -> None:
    code, out, _ = run(
        capsys,
        "connections",
        "add",
        "Test EU",
        "--base-url",
        "https://test.learnondemand.net/api/2.0",
        "--site-url",
        "https://eu.example.edu",
    )
    assert code == 0 and "Added Test EU" in out
    test = load().get("Test EU")
    backend.set_password(*keyring_entry(test), TEST_KEY)
    code, out, _ = run(capsys, "connections", "list", "--json")
    rows = json.loads(out)
    assert rows == [
        {
            "Name": "Production",
            "BaseUrl": "https://lms.learnondemand.net/api/2.0",
            "SiteUrl": "https://lms.learnondemand.net",
            "HasKey": False,
            "Default": True,
        },
        {
            "Name": "Test EU",
            "BaseUrl": "https://test.learnondemand.net/api/2.0",
            "SiteUrl": "https://eu.example.edu",
            "HasKey": True,
            "Default": False,
        },
        {"Name": "Demo", "BaseUrl": None, "SiteUrl": None, "HasKey": False, "Default": False},
    ]
    assert TEST_KEY not in out
    assert run(capsys, "connections", "default", "test eu")[0] == 0
    code, out, _ = run(capsys, "connections", "list")
    lines = out.splitlines()
    assert lines[1].startswith("* Test EU") and "[key stored]" in lines[1]
    assert lines[0].startswith("  Production") and "[no key]" in lines[0]
    code, out, _ = run(capsys, "connections", "remove", "Test EU")
    assert code == 0 and "Removed Test EU" in out
    assert backend.store == {}  # its key went with it
    assert load().default == "Production"


def test_unknown_name_exit_2_lists_the_known_ones(capsys, backend) -> None:
    for argv in (
        ["lookup", "10", "--connection", "Nope"],
        ["key", "status", "--connection", "Nope"],
        ["connections", "default", "Nope"],
    ):
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == ""
        assert "no connection called 'Nope'" in err and "Production, Demo" in err


def test_keys_never_cross_hosts(capsys, two_servers, backend, monkeypatch) -> None:
    prod, test = two_servers["prod"], two_servers["test"]
    monkeypatch.setenv("ENROLL_VIEWER_API_KEY", ENV_KEY)
    # The Test connection has no key of its own: exit 4, and its server sees no key at all.
    code, _, err = run(capsys, "lookup", "5", "--connection", "Test")
    assert code == 4 and "No API key for connection Test" in err
    assert test.seen.paths == []
    # The environment's key goes to the environment's base URL only.
    assert run(capsys, "lookup", "5")[0] == 0
    assert keys_seen(prod) == {ENV_KEY}
    # With its own key, Test gets that key, never the environment's.
    backend.set_password(*keyring_entry(load().get("Test")), TEST_KEY)
    assert run(capsys, "lookup", "6", "--connection", "Test", "--json")[0] == 0
    assert keys_seen(test) == {TEST_KEY}
    assert keys_seen(prod) == {ENV_KEY}


def test_env_key_goes_to_production_only_when_no_base_url_is_named(
    capsys, serve, backend, monkeypatch
) -> None:
    test = serve(record_responder)
    assert run(capsys, "connections", "add", "Test", "--base-url", test.base_url)[0] == 0
    monkeypatch.setenv("ENROLL_VIEWER_API_KEY", ENV_KEY)
    code, _, err = run(capsys, "lookup", "5", "--connection", "Test")
    assert code == 4 and "No API key for connection Test" in err and test.seen.paths == []
    # --base-url names it: then (and only then) the environment's key goes there.
    assert run(capsys, "lookup", "5", "--base-url", test.base_url)[0] == 0
    assert keys_seen(test) == {ENV_KEY}


def test_key_set_status_clear_per_connection(capsys, two_servers, backend, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"  {TEST_KEY}\n"))
    code, out, err = run(capsys, "key", "set", "--connection", "Test")
    test = load().get("Test")
    assert code == 0, err
    assert backend.store == {keyring_entry(test): TEST_KEY}
    assert f"({keyring_entry(test)[0]}, test)" in out
    code, out, _ = run(capsys, "key", "status", "--connection", "Test")
    assert code == 0 and "Key:        set" in out and TEST_KEY not in out
    code, out, _ = run(capsys, "key", "clear", "--connection", "Test")
    assert code == 0 and backend.store == {}


def test_lookup_json_has_links(capsys, backend, monkeypatch, serve) -> None:
    server = serve(record_responder)
    assert (
        run(
            capsys,
            "connections",
            "add",
            "Site",
            "--base-url",
            server.base_url,
            "--site-url",
            "https://training.example.edu",
        )[0]
        == 0
    )
    backend.set_password(*keyring_entry(load().get("Site")), TEST_KEY)
    code, out, _ = run(capsys, "lookup", "10", "--connection", "Site", "--json")
    assert code == 0
    assert json.loads(out)["Links"] == {
        "Enrollment": "https://training.example.edu/ClassEnrollment/10",
        "User": "https://training.example.edu/User/897615",
        "Class": "https://training.example.edu/Class/4421",
    }
    code, out, _ = run(capsys, "lookup", "40", "--demo", "--json")
    links = json.loads(out)["Links"]
    assert links["Enrollment"].endswith("/site/ClassEnrollment/40") and links["User"]


class LockedBackend(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        from keyring.errors import KeyringLocked

        raise KeyringLocked("Failed to unlock the collection!")

    set_password = get_password  # type: ignore[assignment]
    delete_password = get_password  # type: ignore[assignment]


def test_a_locked_keyring_is_named_everywhere(capsys, monkeypatch, serve) -> None:
    monkeypatch.setattr(keyring, "get_keyring", LockedBackend)
    server = serve(record_responder)
    code, out, err = run(capsys, "key", "status", "--base-url", server.base_url)
    assert code == 4 and "locked" in out and "not set" not in out and "locked" in err
    code, _, err = run(capsys, "lookup", "5", "--base-url", server.base_url)
    assert code == 4 and "keyring is locked" in err and "key set" not in err
    assert server.seen.paths == []
    monkeypatch.setattr("sys.stdin", io.StringIO("some-key-1234\n"))
    code, out, err = run(capsys, "key", "set", "--base-url", server.base_url)
    assert code == 4 and "locked" in err and "Saved" not in out
    code, out, err = run(capsys, "key", "clear", "--base-url", server.base_url)
    assert code == 4 and "locked" in err and "Forgot" not in out


def test_a_keyring_waiting_for_an_unlock_prompt_is_bounded_by_timeout(
    capsys, monkeypatch, serve
) -> None:
    import threading
    import time

    release = threading.Event()

    class Prompting(MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            release.wait(10)  # an unlock prompt nobody answers
            return None

    monkeypatch.setattr(keyring, "get_keyring", Prompting)
    server = serve(record_responder)
    started = time.monotonic()
    code, _, err = run(capsys, "lookup", "5", "--base-url", server.base_url, "--timeout", "1")
    assert code == 4 and "did not answer" in err
    assert time.monotonic() - started < 2.0
    release.set()
