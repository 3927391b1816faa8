"""Frozen records for a class enrollment, its custom fields and its coded values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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


@dataclass(frozen=True)
class FieldSpec:
    """How one field of the record is labelled for people (form rows, text copy, CSV)."""

    attr: str
    label: str


# The order of the form, the text copy and the CSV export; labels are also accessible names.
RECORD_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("external_id", "External ID"),
    FieldSpec("user_id", "User ID"),
    FieldSpec("class_id", "Class ID"),
    FieldSpec("enrollment_status", "Enrollment status"),
    FieldSpec("completion_status", "Completion status"),
    FieldSpec("late_cancel", "Late cancel"),
    FieldSpec("retake", "Retake"),
    FieldSpec("location_type", "Location type"),
    FieldSpec("classroom_id", "Classroom ID"),
    FieldSpec("hours_spent", "Hours spent"),
    FieldSpec("grade", "Grade"),
)

NULL_TEXT = "—"


def display_value(value: object) -> str:
    """How a field's value reads to people: labels for codes, Yes/No, "—" for null."""
    if value is None:
        return NULL_TEXT
    if isinstance(value, Code):
        return value.label
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def record_as_text(record: ClassEnrollment) -> str:
    """The record as readable plain text, one field a line (command line and Copy record)."""
    lines = [f"Enrollment {record.id}"]
    width = max(len(spec.label) for spec in RECORD_FIELDS)
    for spec in RECORD_FIELDS:
        lines.append(f"  {spec.label:<{width}}  {display_value(getattr(record, spec.attr))}")
    lines.append(f"  Custom fields ({len(record.custom_fields)})")
    for field in record.custom_fields:
        ident = "—" if field.custom_field_id is None else str(field.custom_field_id)
        lines.append(f"    {field.name}: {display_value(field.text_value)}  [{ident}]")
    return "\n".join(lines)


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
class LookupKey:
    """What a registrar typed: an enrollment id (``kind == "id"``) or an external id."""

    kind: str  # "id" or "external"
    value: str

    @property
    def enrollment_id(self) -> int | None:
        """The numeric id, for ``kind == "id"``."""
        return int(self.value) if self.kind == "id" else None

    def describe(self) -> str:
        """How the window and messages name it."""
        return f"enrollment {self.value}" if self.kind == "id" else f"external id {self.value}"


@dataclass(frozen=True)
class UserDetails:
    """The learner behind an enrollment's UserId (GetUser; only partly documented)."""

    id: int
    name: str | None
    email: str | None
    user_name: str | None
    raw: Any = None

    def summary(self) -> str:
        """One line for the window: name and email, whatever is known."""
        parts = [p for p in (self.name or self.user_name, self.email) if p]
        return " · ".join(parts) if parts else f"User {self.id}"


@dataclass(frozen=True)
class ClassDetails:
    """The class behind an enrollment's ClassId (GetClass; only partly documented)."""

    id: int
    name: str | None
    start: str | None
    end: str | None
    course: str | None
    status: Code | None
    raw: Any = None

    def summary(self) -> str:
        """One line for the window: name, dates, course and status."""
        dates = " → ".join(d for d in (self.start, self.end) if d)
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
