"""Zones beside times: a short abbreviation, else the offset (never Windows' long names)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enroll_viewer.api.records import When
from enroll_viewer.api.zones import offset_text, zone_label


class Named(tzinfo):
    """A zone with a given name and offset, as Windows or tzdata report them."""

    def __init__(self, name: str, hours: float) -> None:
        self._name, self._offset = name, timedelta(hours=hours)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return self._offset

    def tzname(self, dt: datetime | None) -> str:
        return self._name

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)


@pytest.mark.parametrize(
    ("name", "hours", "shown"),
    [
        ("CET", 1, "CET"),
        ("AEDT", 11, "AEDT"),
        ("UTC", 0, "UTC"),
        ("Greenwich Standard Time", 0, "UTC"),
        ("W. Europe Standard Time", 1, "UTC+01:00"),
        ("India Standard Time", 5.5, "UTC+05:30"),
        ("-03", -3, "UTC−03:00"),  # tzdata's name for a zone without an abbreviation
        ("+0545", 5.75, "UTC+05:45"),
        ("Heure normale d’Europe centrale", 1, "UTC+01:00"),  # a translated Windows name
        ("", -9.5, "UTC−09:30"),
    ],
)
def test_zone_labels(name: str, hours: float, shown: str) -> None:
    assert zone_label(datetime(2026, 3, 2, 9, 0, tzinfo=Named(name, hours))) == shown


def test_a_class_date_in_a_long_named_zone_reads_with_its_offset() -> None:
    when = When(datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc), "2026-03-02T08:00:00Z")
    assert when.local_text(Named("W. Europe Standard Time", 1)) == "2026-03-02 09:00 UTC+01:00"
    assert when.local_text(Named("CET", 1)) == "2026-03-02 09:00 CET"
    assert when.utc_text() == "2026-03-02 08:00 UTC"  # the tooltip's


@given(st.integers(min_value=-24 * 60 + 1, max_value=24 * 60 - 1))
def test_offsets_read_back(minutes: int) -> None:
    text = offset_text(timedelta(minutes=minutes))
    if minutes == 0:
        assert text == "UTC"
        return
    sign = 1 if text[3] == "+" else -1
    hours, rest = text[4:].split(":")
    assert sign * (int(hours) * 60 + int(rest)) == minutes
