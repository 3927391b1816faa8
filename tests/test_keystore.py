"""The key store: keyring per base URL, environment override, session-only without a keyring."""

from __future__ import annotations

import pytest

from enroll_viewer.errors import KeyProblem
from enroll_viewer.keystore import KeyStore, backend_is_secure
from tests.conftest import MemoryKeyring

BASE = "https://lms.learnondemand.net/api/2.0"
TEST_BASE = "https://test.learnondemand.net/api/2.0"


def test_round_trip_per_base_url(memory_keyring: MemoryKeyring) -> None:
    store = KeyStore(memory_keyring, environ={})
    assert store.get(BASE) is None
    assert store.set(BASE, "  prod-key-1234 \n") is True
    assert store.set(TEST_BASE, "test-key-5678") is True
    assert store.get(BASE) == "prod-key-1234"
    assert memory_keyring.store[("enroll-viewer/lms.learnondemand.net", BASE)] == "prod-key-1234"
    store.delete(BASE)
    assert store.get(BASE) is None
    assert store.get(TEST_BASE) == "test-key-5678"


def test_keyring_read_once_per_session(memory_keyring: MemoryKeyring) -> None:
    calls = []
    original = memory_keyring.get_password
    memory_keyring.get_password = lambda s, u: calls.append(s) or original(s, u)  # type: ignore
    store = KeyStore(memory_keyring, environ={})
    for _ in range(3):
        store.get(BASE)
    assert len(calls) == 1


def test_environment_wins(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.set_password("enroll-viewer/lms.learnondemand.net", BASE, "stored")
    store = KeyStore(memory_keyring, environ={"ENROLL_VIEWER_API_KEY": "from-env-123"})
    assert store.get(BASE) == "from-env-123"
    assert store.from_environment()


@pytest.mark.parametrize("backend", ["keyring.backends.fail", "keyring.backends.null"])
def test_no_secure_keyring_means_session_only(backend: str) -> None:
    import importlib

    instance = importlib.import_module(backend).Keyring()
    store = KeyStore(instance, environ={})
    assert not store.is_secure
    assert store.get(BASE) is None
    assert store.set(BASE, "session-key-1") is False
    assert store.session_only(BASE)
    assert store.get(BASE) == "session-key-1"
    assert store.last_problem == "no secure keyring"


class Locked(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        from keyring.errors import KeyringLocked

        raise KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        from keyring.errors import KeyringLocked

        raise KeyringLocked("locked")


def test_locked_keyring_is_not_a_crash() -> None:
    store = KeyStore(Locked(), environ={})
    assert store.get(BASE) is None
    assert store.last_problem == "the keyring is locked"
    assert store.set(BASE, "abcd-1234") is False
    assert store.get(BASE) == "abcd-1234"


class WindowsTooLong(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise OSError(1783, "CredWrite", "The stub received bad data")


def test_windows_1783_becomes_a_plain_message() -> None:
    with pytest.raises(KeyProblem, match="too long for Windows Credential Manager"):
        KeyStore(WindowsTooLong(), environ={}).set(BASE, "x" * 900)


@pytest.mark.parametrize("bad", ["", "   ", "a b", "abc\x00def", "x" * 1001])
def test_implausible_keys_are_refused_without_echo(memory_keyring: MemoryKeyring, bad: str) -> None:
    with pytest.raises(KeyProblem) as info:
        KeyStore(memory_keyring, environ={}).set(BASE, bad)
    if bad.strip():
        assert bad.strip() not in info.value.message
    assert memory_keyring.store == {}


def test_plaintext_backends_are_not_secure() -> None:
    class PlaintextKeyring:
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    assert not backend_is_secure(PlaintextKeyring())
    assert backend_is_secure(MemoryKeyring())
