"""API keys: one per connection, in the OS keyring; the environment's key for one connection;
memory for this session where no secure keyring works. The only module that imports ``keyring``.

Keyring entries: service ``enroll-viewer/<host>[:<port>]``, user name the connection's id
(``production``, ``test``; for a one-off ``--base-url`` the URL itself, as older versions
stored every key). There is no plaintext fallback. Every keyring call runs on a helper thread
and is waited for with a time limit and a cancel token, so an unlock prompt nobody answers
cannot hold a lookup, the command line or the window. Nothing here reports success it did not
have: a refused write or delete is an error.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from enroll_viewer import APP_ID, DEMO_KEY
from enroll_viewer.api.cancel import CancelToken
from enroll_viewer.api.errors import Cancelled, KeyIssue, KeyProblem
from enroll_viewer.api.validation import check_api_key, url_host
from enroll_viewer.store.connection import PRODUCTION_ID, Connection

log = logging.getLogger(__name__)

ENV_KEY = "ENROLL_VIEWER_API_KEY"
DEFAULT_KEYRING_WAIT = 60.0  # long enough to type a keyring password at a prompt
_INSECURE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")
_MAX_DUPLICATES = 20
T = TypeVar("T")


class KeySource(Enum):
    """Where the key in use comes from."""

    ENVIRONMENT = "from ENROLL_VIEWER_API_KEY"
    KEYRING = "saved in the keyring"
    SESSION = "kept for this session only"
    DEMO = "not needed (demo)"
    NONE = "not set"


@dataclass(frozen=True)
class KeyLookup:
    """The key for a connection (or None), where it comes from, and why there is none.

    ``issue`` is None when there is simply no key; LOCKED, NO_KEYRING, KEYRING_FAILED or
    KEYRING_SLOW when the keyring could not say.
    """

    key: str | None
    source: KeySource
    issue: KeyIssue | None = None

    def __repr__(self) -> str:
        return f"KeyLookup(source={self.source}, issue={self.issue})"  # never the key

    @property
    def available(self) -> bool:
        """True when requests can be made."""
        return self.key is not None

    def problem(self, connection: Connection) -> KeyProblem:
        """The error for a request that cannot be made without a key."""
        if self.issue is KeyIssue.LOCKED:
            return KeyProblem(
                f"The keyring is locked, so the API key for {connection.name} cannot be read. "
                "Unlock it (log in to the desktop session, or open the keyring app) and try again.",
                "Keyring locked",
                KeyIssue.LOCKED,
            )
        if self.issue is KeyIssue.KEYRING_SLOW:
            return KeyProblem(
                "The keyring did not answer in time; it may be waiting for you to unlock it.",
                "Keyring not answering",
                KeyIssue.KEYRING_SLOW,
            )
        if self.issue is KeyIssue.KEYRING_FAILED:
            return KeyProblem(
                f"The keyring could not be read, so there is no API key for {connection.name}.",
                "Keyring failed",
                KeyIssue.KEYRING_FAILED,
            )
        return KeyProblem(
            f"No API key for connection {connection.name} ({connection.base_url}). Run "
            f"'enroll-viewer key set --connection {_quoted(connection.name)}', or add it in "
            "Settings.",
            "No API key",
            KeyIssue.MISSING,
        )


def _quoted(name: str) -> str:
    return f'"{name}"' if " " in name else name


def backend_is_secure(backend: Any) -> bool:
    """True for a backend that really keeps secrets (not fail, null or a plaintext file)."""
    module = type(backend).__module__
    if module.startswith(_INSECURE_MODULES):
        return False
    if module == "keyring.backends.chainer":
        return any(backend_is_secure(b) for b in getattr(backend, "backends", []))
    return True


def keyring_entry(connection: Connection) -> tuple[str, str]:
    """The keyring's (service, user name) for ``connection``'s key."""
    return f"{APP_ID}/{url_host(connection.base_url)}", connection.id


class KeyStore:
    """Keeps one API key per connection; created once at start-up and passed to what needs it.

    Thread-safe. ``backend`` is a keyring backend object for tests; by default keyring's own
    choice is used (``PYTHON_KEYRING_BACKEND`` and keyring's config file are honoured).
    ``env_key_for`` is the id of the one connection ``ENROLL_VIEWER_API_KEY`` may be sent to.
    """

    def __init__(
        self,
        backend: Any = None,
        environ: Mapping[str, str] | None = None,
        env_key_for: str = PRODUCTION_ID,
        wait: float = DEFAULT_KEYRING_WAIT,
    ) -> None:
        self._backend = backend
        self._environ = os.environ if environ is None else environ
        self.env_key_for = env_key_for
        self.wait = wait
        self._lock = threading.Lock()
        self._backend_lock = threading.Lock()  # one keyring call at a time, whatever thread
        self._session: dict[str, str] = {}
        self._cache: dict[str, str | None] = {}

    # --- the backend ---------------------------------------------------------------------------

    def _keyring(self) -> Any:
        # Called on a helper thread only, under _backend_lock.
        if self._backend is None:
            import keyring  # noqa: PLC0415 - costs ~80 ms; kept off the path to the first paint

            self._backend = keyring.get_keyring()
        return self._backend

    def _call(self, action: Callable[[Any], T], token: CancelToken | None, wait: float | None) -> T:
        """Run ``action(backend)`` on a helper thread; wait at most ``wait`` seconds.

        Raises:
            KeyProblem: KEYRING_SLOW when it took too long. Cancelled: the token was cancelled.
            Exception: whatever the backend raised.
        """
        done = threading.Event()
        outcome: list[Any] = []

        def run() -> None:
            try:
                with self._backend_lock:
                    outcome.append((True, action(self._keyring())))
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
                outcome.append((False, exc))
            finally:
                done.set()

        helper = threading.Thread(target=run, name="enroll-viewer-keyring", daemon=True)
        helper.start()
        limit = self.wait if wait is None else wait
        if token is None:
            finished = done.wait(limit)
        else:
            unregister = token.on_cancel(done.set)
            try:
                finished = done.wait(limit)
            finally:
                unregister()
            if token.cancelled and not outcome:
                raise Cancelled("The request was cancelled.")
        if not finished or not outcome:
            raise KeyProblem(
                f"The keyring did not answer within {limit:g} seconds; it may be waiting for "
                "you to unlock it.",
                "Keyring not answering",
                KeyIssue.KEYRING_SLOW,
            )
        ok, value = outcome[0]
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    def backend_name(self, wait: float | None = None) -> str:
        """A readable name of the keyring backend, for diagnostics."""
        try:
            backend = self._call(lambda b: b, None, wait)
        except Exception as exc:  # noqa: BLE001 - a broken keyring install is reported, not raised
            return f"unavailable ({type(exc).__name__})"
        name = getattr(backend, "name", None) or type(backend).__name__
        return f"{name} ({type(backend).__module__})"

    def is_secure(self, wait: float | None = None) -> bool:
        """True when keys can be saved in a secure OS keyring."""
        try:
            return self._call(backend_is_secure, None, wait)
        except Exception:  # noqa: BLE001
            return False

    # --- keys ----------------------------------------------------------------------------------

    def env_key(self, connection: Connection) -> str | None:
        """``ENROLL_VIEWER_API_KEY``, when it is meant for ``connection`` (only one is)."""
        value = self._environ.get(ENV_KEY, "").strip()
        if value and connection.id == self.env_key_for:
            return check_api_key(value)
        return None

    def cached(self, connection: Connection) -> KeyLookup | None:
        """The key if known without asking the keyring (environment, demo, session, cache)."""
        if connection.is_demo:
            return KeyLookup(DEMO_KEY, KeySource.DEMO)
        env = self.env_key(connection)
        if env:
            return KeyLookup(env, KeySource.ENVIRONMENT)
        with self._lock:
            if connection.id in self._session:
                return KeyLookup(self._session[connection.id], KeySource.SESSION)
            if connection.id in self._cache:
                key = self._cache[connection.id]
                return KeyLookup(key, KeySource.KEYRING if key else KeySource.NONE)
        return None

    def get(
        self, connection: Connection, token: CancelToken | None = None, wait: float | None = None
    ) -> KeyLookup:
        """The key for ``connection``; the keyring is read once per session (a locked or failing
        keyring is asked again next time).

        Raises:
            Cancelled: ``token`` was cancelled while the keyring was being asked.
        """
        known = self.cached(connection)
        if known is not None:
            return known
        service, user = keyring_entry(connection)

        def read(backend: Any) -> tuple[bool, str | None]:
            secure = backend_is_secure(backend)
            return secure, _read(backend, service, user, connection.base_url) if secure else None

        try:
            secure, key = self._call(read, token, wait)
        except Cancelled:
            raise
        except Exception as exc:  # noqa: BLE001 - locked/broken keyrings must not crash the app
            log.warning("keyring read failed: %s", type(exc).__name__)
            return KeyLookup(None, KeySource.NONE, classify(exc))
        if not secure:
            return KeyLookup(None, KeySource.NONE, KeyIssue.NO_KEYRING)
        with self._lock:
            self._cache[connection.id] = key
        return KeyLookup(key, KeySource.KEYRING if key else KeySource.NONE)

    def require(
        self, connection: Connection, token: CancelToken | None = None, wait: float | None = None
    ) -> str:
        """The key for ``connection``, or the error that says why there is none.

        Raises:
            KeyProblem, Cancelled.
        """
        found = self.get(connection, token, wait)
        if found.key is None:
            raise found.problem(connection)
        return found.key

    def set(self, connection: Connection, key: str, session_fallback: bool = True) -> KeySource:
        """Keep ``key`` for ``connection``: in the keyring (KEYRING), or, where no secure keyring
        works and ``session_fallback`` allows it, in memory for this session (SESSION).

        An entry another tool wrote under the same service and user is replaced, not doubled.

        Raises:
            KeyProblem: an implausible key, or a keyring that refused it (locked, failed) when
                ``session_fallback`` is False; the command line has no session to fall back on.
        """
        key = check_api_key(key)
        service, user = keyring_entry(connection)
        try:
            secure = self._call(backend_is_secure, None, None)
            if secure:
                self._call(lambda b: _replace(b, service, user, key), None, None)
        except Exception as exc:  # noqa: BLE001
            problem = as_key_problem(exc, "saved")
            if not session_fallback or problem.issue is KeyIssue.INVALID:
                raise problem from None
            log.warning("keyring write failed: %s", type(exc).__name__)
            return self._keep_for_session(connection, key)
        if not secure:
            if not session_fallback:
                raise KeyProblem(
                    "No secure keyring is available on this computer; the key was not saved. "
                    f"Use {ENV_KEY} for scripts, or the window's session-only key.",
                    "No secure keyring",
                    KeyIssue.NO_KEYRING,
                )
            return self._keep_for_session(connection, key)
        with self._lock:
            self._session.pop(connection.id, None)
            self._cache[connection.id] = key
        return KeySource.KEYRING

    def delete(self, connection: Connection) -> None:
        """Forget the key for ``connection`` in memory and in the keyring (every entry under
        its service and user, whoever wrote it).

        Raises:
            KeyProblem: the keyring did not delete it (locked, refused, still there).
        """
        with self._lock:
            had_session = self._session.pop(connection.id, None) is not None
        service, user = keyring_entry(connection)
        try:
            if not self._call(backend_is_secure, None, None):
                with self._lock:
                    self._cache[connection.id] = None
                return
            self._call(lambda b: _delete_all(b, service, user), None, None)
        except Exception as exc:  # noqa: BLE001
            if had_session:
                return  # the session key is gone; nothing was in the keyring to delete
            raise as_key_problem(exc, "deleted") from None
        with self._lock:
            self._cache[connection.id] = None

    def forget_cached(self, connection_id: str | None = None) -> None:
        """Read the keyring again next time (for one connection, or all)."""
        with self._lock:
            if connection_id is None:
                self._cache.clear()
            else:
                self._cache.pop(connection_id, None)

    def rename(self, old: Connection, new: Connection) -> None:
        """Carry session state over when a connection's address changes (a new keyring entry)."""
        with self._lock:
            if old.id in self._session:
                self._session[new.id] = self._session.pop(old.id)
            self._cache.pop(old.id, None)
            self._cache.pop(new.id, None)

    def session_only(self, connection: Connection) -> bool:
        """True when the key for ``connection`` is held in memory only."""
        with self._lock:
            return connection.id in self._session

    def _keep_for_session(self, connection: Connection, key: str) -> KeySource:
        with self._lock:
            self._session[connection.id] = key
        return KeySource.SESSION


def _read(backend: Any, service: str, user: str, base_url: str) -> str | None:
    key = backend.get_password(service, user)
    if key is None and user != base_url and base_url:
        # Versions before named connections kept one key per base URL (user = the URL):
        # adopt it under the connection's own entry, once.
        legacy = backend.get_password(service, base_url)
        if legacy is not None:
            try:
                _replace(backend, service, user, legacy)
                _delete_all(backend, service, base_url)
                log.info("moved the key of %s to its connection's entry", service)
            except Exception as exc:  # noqa: BLE001 - the key is still usable this session
                log.warning("could not move the old key entry: %s", type(exc).__name__)
            key = legacy
    return str(key) if key is not None else None


def _delete_all(backend: Any, service: str, user: str) -> None:
    from keyring.errors import PasswordDeleteError  # noqa: PLC0415

    for _ in range(_MAX_DUPLICATES):
        try:
            backend.delete_password(service, user)
        except PasswordDeleteError:
            break
    if backend.get_password(service, user) is not None:
        raise KeyProblem(
            "The keyring still holds the key after deleting it.",
            "Key not deleted",
            KeyIssue.KEYRING_FAILED,
        )


def _replace(backend: Any, service: str, user: str, key: str) -> None:
    # keyring's Secret Service backend replaces only entries it wrote itself (it matches an
    # "application" attribute); one written by another tool would stay and shadow the new key.
    _delete_all(backend, service, user)
    backend.set_password(service, user, key)
    if backend.get_password(service, user) != key:
        raise KeyProblem(
            "The keyring did not keep the key.", "Key not saved", KeyIssue.KEYRING_FAILED
        )


def classify(exc: BaseException) -> KeyIssue:
    """The issue a keyring exception means (by type: no message matching)."""
    if isinstance(exc, KeyProblem):
        return exc.issue
    names = {cls.__name__ for cls in type(exc).__mro__}
    if "KeyringLocked" in names:
        return KeyIssue.LOCKED
    if names & {"NoKeyringError", "InitError"}:
        return KeyIssue.NO_KEYRING
    return KeyIssue.KEYRING_FAILED


def as_key_problem(exc: BaseException, done: str) -> KeyProblem:
    """A keyring failure as the error people read: the key was not ``done`` ("saved")."""
    if isinstance(exc, KeyProblem):
        return exc
    if tuple(getattr(exc, "args", ()))[:1] == (1783,):  # Windows: CredWrite, blob too large
        return KeyProblem(
            "The key is too long for Windows Credential Manager.", "Key too long", KeyIssue.INVALID
        )
    issue = classify(exc)
    reason = {
        KeyIssue.LOCKED: "the keyring is locked; unlock it and try again",
        KeyIssue.NO_KEYRING: "no secure keyring is available on this computer",
    }.get(issue, f"the keyring failed ({type(exc).__name__})")
    title = "Keyring locked" if issue is KeyIssue.LOCKED else f"Key not {done}"
    return KeyProblem(f"The key was not {done}: {reason}.", title, issue)
