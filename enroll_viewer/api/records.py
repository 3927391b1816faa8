"""Frozen records: a class enrollment, its custom fields and coded values, learners, classes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from enum import Enum
from typing import Any

from enroll_viewer.api.zones import zone_label

ENROLLMENT_STATUS: Mapping[int, str] = {
    0: "Request",
    10: "Cancel",
    20: "Waitlist",
    30: "Approve",
    40: "Deny",
    50: "Audit",
    60: "Enroll",
}
COMPLETION_STATUS: Mapping[int, str] = {
    0: "Unknown",
    10: "Attending",
    20: "Complete",
    30: "Incomplete",
    40: "NoShow",
    50: "Failed",
}
LOCATION_TYPE: Mapping[int, str] = {
    0: "To Be Determined",
    10: "Classroom",
    20: "Remote Classroom",
    30: "Virtual",
}
CLASS_STATUS: Mapping[int, str] = {
    0: "Scheduled",
    1: "Guaranteed To Run",
    2: "Cancelled",
    3: "Rescheduled",
    4: "Tentative",
    5: "Requested",
    6: "Denied",
    7: "Completed",
}


@dataclass(frozen=True)
class Code:
    """A coded value with its label; a code the reference does not list reads ``Unknown (70)``."""

    value: int
    label: str
    known: bool

    @classmethod
    def of(cls, value: int, labels: Mapping[int, str]) -> Code:
        """Label ``value`` from ``labels``, keeping unlisted codes visible."""
        if value in labels:
            return cls(value, labels[value], True)
        return cls(value, f"Unknown ({value})", False)


@dataclass(frozen=True)
class CustomField:
    """One custom field of an enrollment, as the API names it."""

    name: str
    text_value: str | None
    custom_field_id: int | None


@dataclass(frozen=True)
class ClassEnrollment:
    """One class enrollment. ``None`` always means the API sent null or nothing (shown as "—").

    ``extra`` keeps keys the app does not know (Skillable adds fields without notice) and ``raw``
    is the enrollment object exactly as received, for the raw JSON view.
    """

    id: int
    external_id: str | None
    user_id: int | None
    class_id: int | None
    enrollment_status: Code | None
    completion_status: Code | None
    late_cancel: bool | None
    retake: bool | None
    location_type: Code | None
    classroom_id: int | None
    hours_spent: int | None
    grade: int | None
    custom_fields: tuple[CustomField, ...]
    extra: tuple[tuple[str, Any], ...] = ()
    raw: Any = None

    def to_json(self) -> dict[str, Any]:
        """The record as one JSON object: the API's field names plus status labels."""

        def label(code: Code | None) -> str | None:
            return code.label if code else None

        def value(code: Code | None) -> int | None:
            return code.value if code else None

        out: dict[str, Any] = {
            "Id": self.id,
            "ExternalId": self.external_id,
            "UserId": self.user_id,
            "ClassId": self.class_id,
            "EnrollmentStatusId": value(self.enrollment_status),
            "EnrollmentStatus": label(self.enrollment_status),
            "CompletionStatusId": value(self.completion_status),
            "CompletionStatus": label(self.completion_status),
            "LateCancel": self.late_cancel,
            "Retake": self.retake,
            "LocationTypeId": value(self.location_type),
            "LocationType": label(self.location_type),
            "ClassroomId": self.classroom_id,
            "HoursSpent": self.hours_spent,
            "Grade": self.grade,
            "CustomFields": [
                {"Name": f.name, "TextValue": f.text_value, "CustomFieldId": f.custom_field_id}
                for f in self.custom_fields
            ],
        }
        for key, extra_value in self.extra:
            out.setdefault(key, extra_value)
        return out


class LookupKind(Enum):
    """What a registrar typed: an enrollment id or an external id."""

    ID = "id"
    EXTERNAL = "external"


@dataclass(frozen=True)
class LookupKey:
    """What to look up: an enrollment id (digits, validated) or an external id."""

    kind: LookupKind
    value: str

    @property
    def enrollment_id(self) -> int | None:
        """The numeric id, for :attr:`LookupKind.ID`."""
        return int(self.value) if self.kind is LookupKind.ID else None

    def describe(self) -> str:
        """How the window and messages name it."""
        if self.kind is LookupKind.ID:
            return f"enrollment {self.value}"
        return f"external id {self.value}"

    def dedupe_key(self) -> str:
        """Equal for inputs that name the same enrollment (external ids ignore case)."""
        if self.kind is LookupKind.ID:
            return f"#{self.value}"
        return f"x{self.value.strip().casefold()}"


@dataclass(frozen=True)
class When:
    """A date and time the API sent: ``moment`` when it could be read (aware; a time sent
    without a zone is read as UTC and ``assumed_utc`` says so), else ``text`` as sent."""

    moment: datetime | None
    text: str
    assumed_utc: bool = False

    def utc_text(self) -> str:
        """``2026-03-02 09:00 UTC``, or the text as sent."""
        if self.moment is None:
            return self.text
        return self.moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    def local_text(self, zone: tzinfo | None = None) -> str:
        """In this computer's time zone (or ``zone``), with the zone named:
        ``2026-03-02 10:00 CET``, or by its offset where it has no short name
        (``2026-03-02 10:00 UTC+01:00`` on Windows)."""
        if self.moment is None:
            return self.text
        local = self.moment.astimezone(zone)
        return f"{local.strftime('%Y-%m-%d %H:%M')} {zone_label(local)}"


@dataclass(frozen=True)
class UserDetails:
    """A learner (GetUser, GetUserByEmail; only partly documented)."""

    id: int
    name: str | None
    email: str | None
    user_name: str | None
    raw: Any = None

    def summary(self) -> str:
        """One line: name and email, whatever is known."""
        parts = [p for p in (self.name or self.user_name, self.email) if p]
        return " · ".join(parts) if parts else f"User {self.id}"


@dataclass(frozen=True)
class ClassDetails:
    """The class behind an enrollment's ClassId (GetClass; only partly documented)."""

    id: int
    name: str | None
    start: When | None
    end: When | None
    course: str | None
    status: Code | None
    raw: Any = None

    def summary(self) -> str:
        """One line: name, dates (local time), course and status."""
        return self._summary(local=True)

    def summary_utc(self) -> str:
        """The same line with the dates in UTC (the tooltip beside the local one)."""
        return self._summary(local=False)

    def _summary(self, local: bool) -> str:
        dates = " → ".join(
            (d.local_text() if local else d.utc_text()) for d in (self.start, self.end) if d
        )
        parts = [
            self.name or f"Class {self.id}",
            dates,
            self.course or "",
            self.status.label if self.status else "",
        ]
        return " · ".join(p for p in parts if p)

    def to_json(self) -> dict[str, Any]:
        """The class as received, plus the status label."""
        out = dict(self.raw) if isinstance(self.raw, dict) else {"Id": self.id}
        out["ConfirmationStatus"] = self.status.label if self.status else None
        return out


@dataclass(frozen=True)
class Page:
    """One page of a search: the enrollments on it, and the totals when the server sent them.

    ``skipped`` counts items that could not be read (left out, not fatal).
    """

    items: tuple[ClassEnrollment, ...]
    total_count: int | None = None
    total_pages: int | None = None
    skipped: int = 0
