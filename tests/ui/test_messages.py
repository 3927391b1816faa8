"""What the window says, decided without a window: by error type and enum, never wording."""

from __future__ import annotations

from enroll_viewer.api.errors import (
    ApiError,
    KeyIssue,
    KeyProblem,
    NotFound,
    Reason,
    ServerBusy,
    Unreachable,
    UnusableResponse,
)
from enroll_viewer.api.records import LookupKey, LookupKind
from enroll_viewer.store.connection import production
from enroll_viewer.store.keystore import KeySource
from enroll_viewer.ui.widgets.messages import Action, for_error, key_note, no_key, session_notice
from enroll_viewer.ui.widgets.tone import Tone
from enroll_viewer.work.jobs import KeyState


def test_not_found_names_what_was_looked_up() -> None:
    spec = for_error(NotFound("x"), LookupKey(LookupKind.ID, "404"))
    assert (spec.title, spec.tone, spec.action) == ("Enrollment 404 not found", Tone.WARN, None)
    spec = for_error(NotFound("x"), LookupKey(LookupKind.EXTERNAL, "AB-1"))
    assert spec.title == "External id AB-1 not found" and "external id" in spec.message


def test_actions_follow_the_error_type() -> None:
    assert (
        for_error(KeyProblem("x", "Invalid API key", KeyIssue.REJECTED)).action is Action.CHANGE_KEY
    )
    assert for_error(KeyProblem("x", "Locked", KeyIssue.LOCKED)).action is Action.RETRY
    unreachable = for_error(Unreachable("m", Reason.TIMEOUT))
    assert unreachable.title == "Cannot reach the server: Timed out"
    assert unreachable.action is Action.RETRY
    # Wording does not decide: a busy server with any title offers Retry, an API error none.
    assert for_error(ServerBusy("m", "Whatever it says")).action is Action.RETRY
    assert for_error(ApiError("too many unavailable things")).action is None
    assert for_error(UnusableResponse("m", "Server unavailable")).action is None


def state(source: KeySource, issue: KeyIssue | None = None, secure: bool = True) -> KeyState:
    return KeyState("production", source, issue, secure, "Memory")


def test_key_messages() -> None:
    prod = production()
    assert no_key(state(KeySource.NONE), prod).action is Action.ADD_KEY
    missing = for_error(KeyProblem("No API key for Production.", "No API key", KeyIssue.MISSING))
    assert missing.action is Action.ADD_KEY and Action.ADD_KEY.opens_settings
    assert Action.CHANGE_KEY.opens_settings and not Action.RETRY.opens_settings
    locked = no_key(state(KeySource.NONE, KeyIssue.LOCKED), prod)
    assert locked.title == "Keyring locked" and locked.action is Action.RETRY
    assert session_notice(state(KeySource.SESSION)) is not None
    assert session_notice(state(KeySource.KEYRING)) is None
    assert "OS keyring" in key_note(state(KeySource.KEYRING))
    assert "locked" in key_note(state(KeySource.NONE, KeyIssue.LOCKED))
    assert "only until you close" in key_note(state(KeySource.NONE, secure=False))
    assert key_note(None).startswith("Checking")
