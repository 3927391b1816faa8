"""How a record reads to people: field labels, values as words, and the record as text."""

from __future__ import annotations

from dataclasses import dataclass

from enroll_viewer.api.records import ClassEnrollment, Code


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


def record_as_text(record: ClassEnrollment, extra_rows: tuple[tuple[str, str], ...] = ()) -> str:
    """The record as readable plain text, one field a line (command line and Copy record).

    ``extra_rows`` (label, value) come right after the title, e.g. the learner and the class.
    """
    lines = [f"Enrollment {record.id}"]
    width = max(len(spec.label) for spec in RECORD_FIELDS)
    for label, value in extra_rows:
        lines.append(f"  {label:<{width}}  {value}")
    for spec in RECORD_FIELDS:
        lines.append(f"  {spec.label:<{width}}  {display_value(getattr(record, spec.attr))}")
    lines.append(f"  Custom fields ({len(record.custom_fields)})")
    for field in record.custom_fields:
        ident = NULL_TEXT if field.custom_field_id is None else str(field.custom_field_id)
        lines.append(f"    {field.name}: {display_value(field.text_value)}  [{ident}]")
    return "\n".join(lines)


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 custom field``, ``3 custom fields``, ``1,000 ids``."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def seconds_text(value: float) -> str:
    """``1 second``, ``2.5 seconds``."""
    return f"{value:g} second{'' if value == 1 else 's'}"
