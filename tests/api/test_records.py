"""Records and how they read: codes, lookup keys, dates in the computer's time zone."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from enroll_viewer.api.parser import parse_enrollment_envelope, read_when
from enroll_viewer.api.presentation import display_value, plural, record_as_text
from enroll_viewer.api.records import (
    ENROLLMENT_STATUS,
    ClassDetails,
    Code,
    LookupKey,
    LookupKind,
    UserDetails,
)
from tests.servers import envelope, sample


@pytest.fixture
def paris(monkeypatch):
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is POSIX-only; zone labels are tested with explicit zones")
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


def test_codes_keep_unlisted_values_visible() -> None:
    assert Code.of(60, ENROLLMENT_STATUS) == Code(60, "Enroll", True)
    assert Code.of(70, ENROLLMENT_STATUS) == Code(70, "Unknown (70)", False)
    assert display_value(Code.of(20, ENROLLMENT_STATUS)) == "Waitlist"
    assert (display_value(None), display_value(True), display_value(False)) == ("—", "Yes", "No")


def test_lookup_keys() -> None:
    ident = LookupKey(LookupKind.ID, "10")
    external = LookupKey(LookupKind.EXTERNAL, " AbC-1 ")
    assert ident.enrollment_id == 10 and external.enrollment_id is None
    assert ident.describe() == "enrollment 10" and external.describe() == "external id  AbC-1 "
    assert external.dedupe_key() == LookupKey(LookupKind.EXTERNAL, "abc-1").dedupe_key()
    assert ident.dedupe_key() != LookupKey(LookupKind.EXTERNAL, "10").dedupe_key()


def test_class_dates_read_in_the_computers_time_zone(paris) -> None:
    klass = ClassDetails(
        4421,
        "Azure Fundamentals",
        read_when("2026-03-02T09:00:00Z"),
        read_when("/Date(1772643600000)/"),
        "AZ-900",
        None,
    )
    assert klass.summary() == (
        "Azure Fundamentals · 2026-03-02 10:00 CET → 2026-03-04 18:00 CET · AZ-900"
    )
    assert klass.summary_utc() == (
        "Azure Fundamentals · 2026-03-02 09:00 UTC → 2026-03-04 17:00 UTC · AZ-900"
    )
    summer = read_when(1782986400)  # 2026-07-02 10:00 UTC: summer time in Paris
    assert summer is not None and summer.local_text() == "2026-07-02 12:00 CEST"


def test_dates_in_every_form() -> None:
    iso = read_when("2026-03-02T09:00:00+02:00")
    assert iso is not None and iso.utc_text() == "2026-03-02 07:00 UTC" and not iso.assumed_utc
    bare = read_when("2026-03-02T09:00:00")
    assert bare is not None and bare.assumed_utc and bare.utc_text() == "2026-03-02 09:00 UTC"
    millis = read_when(1772442000000)
    assert millis is not None and millis.moment == datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    odd = read_when("next Tuesday")
    assert odd is not None and odd.moment is None and odd.local_text() == "next Tuesday"
    assert read_when(None) is None and read_when("") is None and read_when([1]) is None


def test_record_text_and_details() -> None:
    record = parse_enrollment_envelope(envelope(sample(10)), 10)
    text = record_as_text(record, (("Learner", "Ada Lovelace"),))
    lines = text.splitlines()
    assert lines[0] == "Enrollment 10" and lines[1].startswith("  Learner ")
    assert "  Enrollment status  Enroll" in lines
    assert UserDetails(5, None, None, None).summary() == "User 5"
    assert UserDetails(5, "Ada", "a@b", "ada").summary() == "Ada · a@b"
    assert plural(1, "custom field") == "1 custom field" and plural(1000, "id") == "1,000 ids"
