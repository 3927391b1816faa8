"""What the window says about errors and keys: titles, messages, tones and actions.

No Qt here, so the wording is decided in one place and tested without a window. Decisions use
the errors' types and enums, never their wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from enroll_viewer import APP_NAME, __version__
from enroll_viewer.api.errors import AppError, KeyIssue, KeyProblem, NotFound, Unreachable
from enroll_viewer.api.records import LookupKey, LookupKind
from enroll_viewer.ui.widgets.tone import Tone

if TYPE_CHECKING:
    from enroll_viewer.store.connection import Connection
    from enroll_viewer.work.jobs import KeyState


class Action(Enum):
    """What a banner's button does; the value is its text."""

    RETRY = "&Retry"
    ADD_KEY = "Add API key…"  # there is none yet
    CHANGE_KEY = "Change API key…"  # the one there was refused

    @property
    def opens_settings(self) -> bool:
        """True for the buttons that open Settings on the key field."""
        return self in (Action.ADD_KEY, Action.CHANGE_KEY)


@dataclass(frozen=True)
class BannerSpec:
    """One message for the banner."""

    title: str
    message: str
    tone: Tone
    action: Action | None = None


def for_error(error: AppError, key: LookupKey | None = None) -> BannerSpec:
    """The banner for a failed request (``key``: what was looked up, if a lookup)."""
    if isinstance(error, NotFound) and key is not None:
        described = key.describe()
        what = "number" if key.kind is LookupKind.ID else "external id"
        return BannerSpec(
            f"{described[:1].upper()}{described[1:]} not found",
            f"Check the {what}. Enrollments of another organisation or another TMS host are "
            "not visible with this key.",
            Tone.WARN,
        )
    if isinstance(error, NotFound):
        return BannerSpec(error.title, error.message, Tone.WARN)
    if isinstance(error, KeyProblem):
        if error.issue in (KeyIssue.LOCKED, KeyIssue.KEYRING_SLOW):
            return BannerSpec(error.title, error.message, Tone.BAD, Action.RETRY)
        action = Action.ADD_KEY if error.issue is KeyIssue.MISSING else Action.CHANGE_KEY
        return BannerSpec(error.title, error.message, Tone.BAD, action)
    if isinstance(error, Unreachable):
        return BannerSpec(
            f"Cannot reach the server: {error.reason.title}", error.message, Tone.BAD, Action.RETRY
        )
    return BannerSpec(
        error.title, error.message, Tone.BAD, Action.RETRY if error.retryable else None
    )


def no_key(state: KeyState, connection: Connection) -> BannerSpec:
    """The banner when a connection has no usable key (none yet, or a keyring that cannot say:
    the same wording as the command line's error, with Retry)."""
    from enroll_viewer.store.keystore import KeyLookup, KeySource  # noqa: PLC0415

    if state.issue in (KeyIssue.LOCKED, KeyIssue.KEYRING_SLOW, KeyIssue.KEYRING_FAILED):
        problem = KeyLookup(None, KeySource.NONE, state.issue).problem(connection)
        return BannerSpec(problem.title, problem.message, Tone.WARN, Action.RETRY)
    return BannerSpec(
        "No API key",
        f"Add your organisation's API key for {connection.name} in Settings to look up "
        "enrollments.",
        Tone.WARN,
        Action.ADD_KEY,
    )


def session_notice(state: KeyState) -> BannerSpec | None:
    """The standing notice when the key lives in memory only."""
    from enroll_viewer.store.keystore import KeySource  # noqa: PLC0415

    if state.source is not KeySource.SESSION:
        return None
    return BannerSpec(
        "Key not saved",
        "No secure storage is available on this computer, so the API key is kept only until "
        "you close the app.",
        Tone.WARN,
    )


def key_note(state: KeyState | None) -> str:
    """The line under the key field in Settings: where the key is, and what typing one does."""
    from enroll_viewer.store.keystore import KeySource  # noqa: PLC0415

    if state is None:
        return "Checking where the key is kept…"
    if state.issue is KeyIssue.LOCKED:
        return "The keyring is locked: unlock it to read or change the saved key."
    notes = {
        KeySource.KEYRING: "A key is saved in the OS keyring; type a new one to replace it.",
        KeySource.ENVIRONMENT: "The key comes from ENROLL_VIEWER_API_KEY; a key typed here is "
        "not used while it is set.",
        KeySource.SESSION: "No secure storage works on this computer: the key is kept only until "
        "you close the app.",
        KeySource.DEMO: "The demo needs no key.",
    }
    if state.source in notes:
        return notes[state.source]
    if not state.secure_storage:
        return (
            "No key yet. No secure storage works on this computer, so the key will be kept only "
            "until you close the app."
        )
    return "No key yet. It will be saved in the OS keyring."


def about_text(
    key_storage: str, prefs_file: str, connections_file: str, log_folder: Path | None
) -> str:
    """The About dialog's text."""
    return (
        f"{APP_NAME} {__version__}\n\n"
        "Looks up Skillable TMS class enrollments.\n\n"
        f"API keys: kept in {key_storage}, never in a file or a log.\n"
        f"Connections: {connections_file}\n"
        f"Preferences (no key, no records): {prefs_file}\n"
        f"Log: {log_folder or 'not available'}"
    )


def diagnostics_text(rows: list[tuple[str, str]]) -> str:
    """Help > Diagnostics: the version first, the rows, then Python; aligned for a ticket."""
    import sys  # noqa: PLC0415

    every = [("Version", f"{APP_NAME} {__version__}"), *rows, ("Python", sys.version.split()[0])]
    width = max(len(label) for label, _ in every)
    return "\n".join(f"{label:<{width}}  {value}" for label, value in every)
