"""The key store: a keyring entry per connection, the environment's key for one connection,
session-only without a keyring, and no success it did not have."""

from __future__ import annotations

import threading
import time

import pytest

from enroll_viewer.api.cancel import CancelToken
from enroll_viewer.api.errors import Cancelled, KeyIssue, KeyProblem
from enroll_viewer.store.connection import Connection, ConnectionKind, demo, one_off, production
from enroll_viewer.store.keystore import KeySource, KeyStore, backend_is_secure, keyring_entry
from tests.conftest import MemoryKeyring

PROD = production()
TEST = Connection("test", "Test", "https://test.learnondemand.net/api/2.0")
SAME_HOST = Connection("prod-2", "Production 2", "https://lms.learnondemand.net/api/2.0")


def test_entries_are_named_by_host_and_connection() -> None:
    assert keyring_entry(PROD) == ("enroll-viewer/lms.learnondemand.net", "production")
    local = Connection("local", "Local", "http://127.0.0.1:8080/api/2.0")
    assert keyring_entry(local) == ("enroll-viewer/127.0.0.1:8080", "local")
    ipv6 = Connection("v6", "V6", "http://[::1]:8080/api/2.0")
    assert keyring_entry(ipv6) == ("enroll-viewer/[::1]:8080", "v6")
    url = "https://tms.example.org/api/2.0"
    assert keyring_entry(one_off(url)) == ("enroll-viewer/tms.example.org", url)


def test_round_trip_per_connection(memory_keyring: MemoryKeyring) -> None:
    store = KeyStore(memory_keyring, environ={})
    assert store.get(PROD).key is None
    assert store.set(PROD, "  prod-key-1234 \n") is KeySource.KEYRING
    assert store.set(TEST, "test-key-5678") is KeySource.KEYRING
    assert store.set(SAME_HOST, "other-key-9999") is KeySource.KEYRING
    assert store.get(PROD).key == "prod-key-1234"
    assert store.get(SAME_HOST).key == "other-key-9999"  # same host, its own entry
    assert memory_keyring.store[keyring_entry(PROD)] == "prod-key-1234"
    store.delete(PROD)
    assert store.get(PROD).key is None
    assert store.get(TEST).key == "test-key-5678"
    assert KeyStore(memory_keyring, environ={}).get(SAME_HOST).key == "other-key-9999"


def test_keyring_read_once_per_session(memory_keyring: MemoryKeyring) -> None:
    calls = []
    original = memory_keyring.get_password
    memory_keyring.get_password = lambda s, u: calls.append(s) or original(s, u)  # type: ignore
    memory_keyring.set_password(*keyring_entry(PROD), "k-1234")
    store = KeyStore(memory_keyring, environ={})
    for _ in range(3):
        assert store.get(PROD).source is KeySource.KEYRING
    assert len(calls) == 1


def test_environment_key_goes_to_one_connection_only(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.set_password(*keyring_entry(PROD), "stored")
    store = KeyStore(memory_keyring, environ={"ENROLL_VIEWER_API_KEY": "from-env-123"})
    assert store.get(PROD).key == "from-env-123"
    assert store.get(PROD).source is KeySource.ENVIRONMENT
    assert store.get(TEST).key is None  # never to another connection
    assert store.get(SAME_HOST).key is None  # not even one on the same host
    target = KeyStore(memory_keyring, {"ENROLL_VIEWER_API_KEY": "env-9"}, env_key_for="test")
    assert target.get(TEST).key == "env-9" and target.get(PROD).key == "stored"


def test_demo_needs_no_keyring() -> None:
    class Exploding(MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            raise AssertionError("the demo must not read the keyring")

    found = KeyStore(Exploding(), environ={}).get(demo())
    assert found.source is KeySource.DEMO and found.key


@pytest.mark.parametrize("backend", ["keyring.backends.fail", "keyring.backends.null"])
def test_no_secure_keyring_means_session_only(backend: str) -> None:
    import importlib

    store = KeyStore(importlib.import_module(backend).Keyring(), environ={})
    assert not store.is_secure()
    assert store.get(PROD).issue is KeyIssue.NO_KEYRING
    assert store.set(PROD, "session-key-1") is KeySource.SESSION
    assert store.session_only(PROD)
    assert store.get(PROD).key == "session-key-1"
    assert store.get(PROD).source is KeySource.SESSION
    with pytest.raises(KeyProblem) as info:
        store.set(TEST, "cli-key-1", session_fallback=False)  # the command line: an error
    assert info.value.issue is KeyIssue.NO_KEYRING


class Locked(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        from keyring.errors import KeyringLocked

        raise KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        from keyring.errors import KeyringLocked

        raise KeyringLocked("locked")

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import KeyringLocked

        raise KeyringLocked("locked")


def test_locked_keyring_is_named_as_locked() -> None:
    store = KeyStore(Locked(), environ={})
    found = store.get(PROD)
    assert found.key is None and found.issue is KeyIssue.LOCKED
    problem = found.problem(PROD)
    assert problem.issue is KeyIssue.LOCKED and "locked" in problem.message
    with pytest.raises(KeyProblem) as info:
        store.set(PROD, "abcd-1234", session_fallback=False)
    assert info.value.issue is KeyIssue.LOCKED
    assert store.set(PROD, "abcd-1234") is KeySource.SESSION  # the window: kept for now
    assert store.get(PROD).key == "abcd-1234"


def test_a_delete_that_did_not_happen_is_an_error() -> None:
    class Refusing(MemoryKeyring):
        def delete_password(self, service: str, username: str) -> None:
            from keyring.errors import KeyringLocked

            raise KeyringLocked("locked")

    backend = Refusing()
    backend.set_password(*keyring_entry(PROD), "kept-1234")
    store = KeyStore(backend, environ={})
    assert store.get(PROD).key == "kept-1234"
    with pytest.raises(KeyProblem) as info:
        store.delete(PROD)
    assert info.value.issue is KeyIssue.LOCKED
    assert store.get(PROD).key == "kept-1234"  # still known to be stored

    class Ignoring(MemoryKeyring):
        def delete_password(self, service: str, username: str) -> None:
            pass  # says nothing, deletes nothing

    quiet = Ignoring()
    quiet.set_password(*keyring_entry(PROD), "kept-5678")
    with pytest.raises(KeyProblem, match="still holds"):
        KeyStore(quiet, environ={}).delete(PROD)


class Shadowed(MemoryKeyring):
    """Like Secret Service: entries of another tool stay beside ours and the first found wins."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[tuple[str, str, str, str]] = []  # service, user, secret, writer

    def get_password(self, service: str, username: str) -> str | None:
        for s, u, secret, _w in self.entries:
            if (s, u) == (service, username):
                return secret
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries = [e for e in self.entries if e[:2] != (service, username) or e[3] != "us"]
        self.entries.append((service, username, password, "us"))

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        for entry in self.entries:
            if entry[:2] == (service, username):
                self.entries.remove(entry)
                return
        raise PasswordDeleteError("No such password!")


def test_an_entry_written_by_another_tool_is_replaced_and_cleared_as_one() -> None:
    backend = Shadowed()
    service, user = keyring_entry(PROD)
    backend.entries.append((service, user, "written-by-secret-tool", "them"))
    store = KeyStore(backend, environ={})
    assert store.get(PROD).key == "written-by-secret-tool"
    store.set(PROD, "new-key-1234")
    assert [e[2] for e in backend.entries] == ["new-key-1234"]  # one entry, not two
    assert KeyStore(backend, environ={}).get(PROD).key == "new-key-1234"
    backend.entries.append((service, user, "another-foreign-one", "them"))
    store.delete(PROD)
    assert backend.entries == []


def test_older_versions_entry_moves_to_the_connection() -> None:
    backend = MemoryKeyring()
    legacy = ("enroll-viewer/lms.learnondemand.net", "https://lms.learnondemand.net/api/2.0")
    backend.set_password(*legacy, "old-key-1234")
    store = KeyStore(backend, environ={})
    assert store.get(PROD).key == "old-key-1234"
    assert backend.store == {keyring_entry(PROD): "old-key-1234"}


def test_a_slow_keyring_is_bounded_and_cancellable() -> None:
    release = threading.Event()

    class Slow(MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            release.wait(5)  # an unlock prompt nobody answers
            return None

    # The keyring answers only when released (or after 5 s); the bounds below are far from that,
    # not tight around the 0.3 s limit and the 0.1 s cancel, which a busy machine may overrun.
    store = KeyStore(Slow(), environ={}, wait=0.3)
    started = time.monotonic()
    found = store.get(PROD)
    assert found.issue is KeyIssue.KEYRING_SLOW
    assert 0.25 < time.monotonic() - started < 2.5
    token = CancelToken()
    threading.Timer(0.1, token.cancel).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        KeyStore(Slow(), environ={}, wait=5).get(TEST, token)
    assert time.monotonic() - started < 2.5
    release.set()


def test_windows_1783_becomes_a_plain_message() -> None:
    class WindowsTooLong(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            raise OSError(1783, "CredWrite", "The stub received bad data")

    with pytest.raises(KeyProblem, match="too long for Windows Credential Manager"):
        KeyStore(WindowsTooLong(), environ={}).set(PROD, "x" * 900)


@pytest.mark.parametrize("bad", ["", "   ", "a b", "abc\x00def", "x" * 1001])
def test_implausible_keys_are_refused_without_echo(memory_keyring: MemoryKeyring, bad: str) -> None:
    with pytest.raises(KeyProblem) as info:
        KeyStore(memory_keyring, environ={}).set(PROD, bad)
    if bad.strip():
        assert bad.strip() not in info.value.message
    assert info.value.issue is KeyIssue.INVALID
    assert memory_keyring.store == {}


def test_plaintext_backends_are_not_secure() -> None:
    class PlaintextKeyring:
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    assert not backend_is_secure(PlaintextKeyring())
    assert backend_is_secure(MemoryKeyring())


def test_repr_never_shows_a_key(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.set_password(*keyring_entry(PROD), "secret-value-77")
    found = KeyStore(memory_keyring, environ={}).get(PROD)
    assert "secret-value-77" not in repr(found)
    assert found.source is KeySource.KEYRING
    assert ConnectionKind.PRODUCTION is PROD.kind
