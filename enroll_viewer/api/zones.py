"""How a time zone is named beside a time: its short abbreviation where it has one, else the
offset from UTC.

Windows names zones with long names ("Greenwich Standard Time", "W. Europe Standard Time",
translated on non-English Windows), and Linux names zones without an abbreviation by their
offset ("-03"); neither reads well beside a time. ``09:00 CET`` and ``09:00 UTC+01:00`` do.
"""

from __future__ import annotations

from datetime import datetime, timedelta


def offset_text(offset: timedelta | None) -> str:
    """``UTC``, ``UTC+01:00``, ``UTC−03:30`` (a real minus sign)."""
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes > 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def zone_label(moment: datetime) -> str:
    """The zone of an aware ``moment`` as people read it beside the time."""
    name = (moment.tzname() or "").strip()
    if 2 <= len(name) <= 5 and name.isascii() and name.isalpha() and name.isupper():
        return name  # CET, EST, AEDT, UTC
    return offset_text(moment.utcoffset())
