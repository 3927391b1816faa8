"""The typed jobs the runner executes: frozen dataclasses with a ``run`` on a worker thread.

Each carries the connection it is for, so a job queued before a switch can only ever talk to
the server it was meant for, with that server's key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from enroll_viewer.api.cancel import CancelToken
from enroll_viewer.api.errors import AppError, KeyIssue
from enroll_viewer.api.records import ClassDetails, ClassEnrollment, LookupKey, Page, UserDetails
from enroll_viewer.store.connection import Connection

if TYPE_CHECKING:
    from enroll_viewer.store.keystore import KeySource
    from enroll_viewer.work.runner import WorkerContext


@dataclass(frozen=True)
class LookupJob:
    """Look up one enrollment by id or external id."""

    connection: Connection
    key: LookupKey

    def run(self, context: WorkerContext, token: CancelToken) -> ClassEnrollment:
        """The enrollment, or an error."""
        return context.api(self.connection, token).lookup(self.key, token)


@dataclass(frozen=True)
class UserJob:
    """Fetch the learner behind a UserId (GetUser)."""

    connection: Connection
    user_id: int

    def run(self, context: WorkerContext, token: CancelToken) -> UserDetails:
        """The learner, or an error."""
        return context.api(self.connection, token).get_user(self.user_id, token)


@dataclass(frozen=True)
class ClassJob:
    """Fetch the class behind a ClassId (GetClass)."""

    connection: Connection
    class_id: int

    def run(self, context: WorkerContext, token: CancelToken) -> ClassDetails:
        """The class, or an error."""
        return context.api(self.connection, token).get_class(self.class_id, token)


@dataclass(frozen=True)
class LearnerByEmailJob:
    """Find a learner by primary email (GetUserByEmail)."""

    connection: Connection
    email: str

    def run(self, context: WorkerContext, token: CancelToken) -> UserDetails:
        """The learner, or NotFound."""
        return context.api(self.connection, token).get_user_by_email(self.email, token)


@dataclass(frozen=True)
class SearchPageJob:
    """One page of SearchClassEnrollments."""

    connection: Connection
    query: tuple[tuple[str, str], ...]
    page_index: int
    page_size: int

    def run(self, context: WorkerContext, token: CancelToken) -> Page:
        """The page, or an error."""
        api = context.api(self.connection, token)
        return api.search_enrollments(dict(self.query), self.page_index, self.page_size, token)


@dataclass(frozen=True)
class KeyState:
    """What is known of the key for a connection, for the window (never the key itself).

    ``error`` is set when a change asked for (save, forget) did not happen.
    """

    connection_id: str
    source: KeySource
    issue: KeyIssue | None
    secure_storage: bool
    storage: str
    error: AppError | None = None

    @property
    def available(self) -> bool:
        """True when requests can be made."""
        from enroll_viewer.store.keystore import KeySource  # noqa: PLC0415

        return self.source is not KeySource.NONE


def key_state(context: WorkerContext, connection: Connection, token: CancelToken) -> KeyState:
    """Read where the key for ``connection`` comes from (reads the keyring, once)."""
    from enroll_viewer.store.keystore import KeySource  # noqa: PLC0415

    store = context.keystore
    found = store.get(connection, token)
    if found.source is KeySource.DEMO:
        return KeyState(connection.id, found.source, None, True, "nowhere (the demo needs none)")
    secure = store.is_secure()
    storage = store.backend_name() if secure else "memory, for this session only"
    return KeyState(connection.id, found.source, found.issue, secure, storage)


@dataclass(frozen=True)
class KeyStateJob:
    """Find out whether (and where) a key is kept for a connection."""

    connection: Connection

    def run(self, context: WorkerContext, token: CancelToken) -> KeyState:
        """The key state."""
        return key_state(context, self.connection, token)


@dataclass(frozen=True)
class KeyChangeJob:
    """Save a new key for a connection (``new_key``), or forget it (``new_key`` None).

    Keyring writes may block on an unlock prompt; they happen here, never in the GUI thread.
    """

    connection: Connection
    new_key: str | None

    def __repr__(self) -> str:
        return f"KeyChangeJob({self.connection.name!r}, forget={self.new_key is None})"

    def run(self, context: WorkerContext, token: CancelToken) -> KeyState:
        """The key state afterwards; ``error`` says when the change did not happen."""
        error: AppError | None = None
        try:
            if self.new_key is None:
                context.keystore.delete(self.connection)
            else:
                context.keystore.set(self.connection, self.new_key)
        except AppError as exc:
            error = exc
        state = key_state(context, self.connection, token)
        return KeyState(
            state.connection_id,
            state.source,
            state.issue,
            state.secure_storage,
            state.storage,
            error,
        )


@dataclass(frozen=True)
class Diagnostics:
    """Facts for IT and support: how keys are stored and how the network is reached."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class DiagnosticsJob:
    """Gather keyring and network facts (they import keyring and requests: not in the GUI)."""

    connection: Connection

    def run(self, context: WorkerContext, token: CancelToken) -> Diagnostics:
        """The rows to show."""
        from enroll_viewer.api.diagnostics import network_diagnostics  # noqa: PLC0415

        state = key_state(context, self.connection, token)
        rows = [
            ("Keyring", context.keystore.backend_name()),
            ("Secure storage", "yes" if state.secure_storage else "no (session only)"),
            ("API key", state.source.value + (f" ({state.issue.value})" if state.issue else "")),
        ]
        if self.connection.base_url:
            rows += network_diagnostics(self.connection.base_url, self.connection.proxy)
        return Diagnostics(tuple(rows))
