"""Dates as the API may send them: ISO 8601, .NET ``/Date(ms)/``, or Unix seconds (or ms)."""

from __future__ import annotations

import math
import re
from datetime import datetime, timezone
from typing import Any

from enroll_viewer.api.records import When

_DOTNET_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")


def read_when(value: Any) -> When | None:
    """A date the API may send as ISO 8601, .NET ``/Date(ms)/`` or Unix seconds (or ms).

    A time without a zone is read as UTC (and marked so); anything else is kept as sent.
    """
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        seconds = value / 1000 if abs(value) >= 10**11 else value
        try:
            return When(datetime.fromtimestamp(seconds, tz=timezone.utc), str(value))
        except (OverflowError, OSError, ValueError):
            return When(None, str(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _DOTNET_DATE.match(text)
    try:
        if match:
            moment = datetime.fromtimestamp(int(match.group(1)) / 1000, tz=timezone.utc)
            return When(moment, text)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (OverflowError, OSError, ValueError):
        return When(None, text[:40])
    if moment.tzinfo is None:
        return When(moment.replace(tzinfo=timezone.utc), text, assumed_utc=True)
    return When(moment, text)


def format_date(value: Any) -> str | None:
    """A date as ``YYYY-MM-DD HH:MM UTC`` (or the text as sent), for plain output."""
    when = read_when(value)
    return None if when is None else when.utc_text()
