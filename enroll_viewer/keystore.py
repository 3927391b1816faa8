"""The API key: from ``ENROLL_VIEWER_API_KEY``, the OS keyring, or memory for this session only.

The only module that imports ``keyring``. There is no plaintext fallback: where no secure keyring
works, a key given by the user is kept in memory for the session and the caller is told so.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from enroll_viewer import APP_ID
from enroll_viewer.errors import KeyProblem
from enroll_viewer.validation import check_api_key, url_host

log = logging.getLogger(__name__)

ENV_KEY = "ENROLL_VIEWER_API_KEY"
_INSECURE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


def backend_is_secure(backend: Any) -> bool:
    """True for a backend that really keeps secrets (not fail, null or a plaintext file)."""
    module = type(backend).__module__
    if module.startswith(_INSECURE_MODULES):
        return False
    if module == "keyring.backends.chainer":
        return any(backend_is_secure(b) for b in getattr(backend, "backends", []))
    return True


class KeyStore:
    """Keeps one API key per base URL; created once at start-up and passed to what needs it.

    Thread-safe. ``backend`` is a keyring backend object for tests; by default keyring's own
    choice is used (``PYTHON_KEYRING_BACKEND`` and keyring's config file are honoured).
    """

    def __init__(self, backend: Any = None, environ: dict[str, str] | None = None) -> None:
        self._backend = backend
        self._environ = os.environ if environ is None else environ
        self._lock = threading.Lock()
        self._session: dict[str, str] = {}
        self._cache: dict[str, str | None] = {}
        self.last_problem: str | None = None

    def _keyring(self) -> Any:
        if self._backend is None:
            import keyring  # noqa: PLC0415 - costs ~80 ms; kept off the path to the first paint

            self._backend = keyring.get_keyring()
        return self._backend

    @property
    def backend_name(self) -> str:
        """A readable name of the keyring backend, for About and diagnostics."""
        try:
            backend = self._keyring()
        except Exception as exc:  # noqa: BLE001 - a broken keyring install is reported, not raised
            return f"unavailable ({type(exc).__name__})"
        name = getattr(backend, "name", None) or type(backend).__name__
        return f"{name} ({type(backend).__module__})"

    @property
    def is_secure(self) -> bool:
        """True when keys can be saved in a secure OS keyring."""
        try:
            return backend_is_secure(self._keyring())
        except Exception:  # noqa: BLE001
            return False

    @staticmethod
    def service_for(base_url: str) -> str:
        """Keyring service name: one entry per API host, so Test and Production stay apart."""
        return f"{APP_ID}/{url_host(base_url)}"

    def from_environment(self) -> bool:
        """True when ``ENROLL_VIEWER_API_KEY`` supplies the key."""
        return bool(self._environ.get(ENV_KEY, "").strip())

    def session_only(self, base_url: str) -> bool:
        """True when the key for ``base_url`` is held in memory only."""
        with self._lock:
            return base_url in self._session

    def get(self, base_url: str) -> str | None:
        """The key for ``base_url``, or None. The keyring is read once per session.

        A keyring that fails or is locked gives None (and ``last_problem`` says why).
        """
        env = self._environ.get(ENV_KEY, "").strip()
        if env:
            return check_api_key(env)
        with self._lock:
            if base_url in self._session:
                return self._session[base_url]
            if base_url in self._cache:
                return self._cache[base_url]
        try:
            backend = self._keyring()
            secure = backend_is_secure(backend)
            key = backend.get_password(self.service_for(base_url), base_url) if secure else None
            self.last_problem = None if secure else "no secure keyring"
        except Exception as exc:  # noqa: BLE001 - locked/broken keyrings must not crash the app
            log.warning("keyring read failed: %s", type(exc).__name__)
            self.last_problem = _describe(exc)
            return None
        with self._lock:
            self._cache[base_url] = key
        return key

    def set(self, base_url: str, key: str) -> bool:
        """Keep ``key`` for ``base_url``. Returns True when saved in the OS keyring, False when
        kept for this session only (no secure keyring works here).

        Raises:
            KeyProblem: the key is implausible, or the keyring refused it for a stated reason.
        """
        key = check_api_key(key)
        try:
            backend = self._keyring()
            if not backend_is_secure(backend):
                raise _NoSecureKeyring()
            backend.set_password(self.service_for(base_url), base_url, key)
        except _NoSecureKeyring:
            return self._keep_for_session(base_url, key, "no secure keyring")
        except Exception as exc:  # noqa: BLE001
            text = str(exc)
            if "1783" in text or "CredWrite" in text:
                raise KeyProblem(
                    "The key is too long for Windows Credential Manager.", "Key too long"
                ) from None
            log.warning("keyring write failed: %s", type(exc).__name__)
            return self._keep_for_session(base_url, key, _describe(exc))
        with self._lock:
            self._session.pop(base_url, None)
            self._cache[base_url] = key
        self.last_problem = None
        return True

    def delete(self, base_url: str) -> None:
        """Forget the key for ``base_url`` in memory and in the keyring."""
        with self._lock:
            self._session.pop(base_url, None)
            self._cache[base_url] = None
        try:
            backend = self._keyring()
            if backend_is_secure(backend):
                backend.delete_password(self.service_for(base_url), base_url)
        except Exception as exc:  # noqa: BLE001 - absent entries raise PasswordDeleteError
            log.info("keyring delete: %s", type(exc).__name__)

    def _keep_for_session(self, base_url: str, key: str, why: str) -> bool:
        with self._lock:
            self._session[base_url] = key
        self.last_problem = why
        return False


class _NoSecureKeyring(Exception):
    pass


def _describe(exc: BaseException) -> str:
    name = type(exc).__name__
    if name == "KeyringLocked":
        return "the keyring is locked"
    if name in ("NoKeyringError", "InitError"):
        return "no secure keyring is available"
    return f"the keyring failed ({name})"
