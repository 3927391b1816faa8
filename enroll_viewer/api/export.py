"""Records as JSON and CSV, for the command line, Copy and File > Export. No Qt.

CSV cells a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) are guarded with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from enroll_viewer.api.presentation import RECORD_FIELDS, display_value
from enroll_viewer.api.records import ClassDetails, ClassEnrollment, Code, UserDetails

CSV_RISKY = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = "\ufeff"

# The columns of an enrollment in the batch and search CSV (and the window's tables).
ENROLLMENT_COLUMNS = (
    "Id",
    "ExternalId",
    "UserId",
    "ClassId",
    "EnrollmentStatus",
    "CompletionStatus",
    "LateCancel",
    "Retake",
    "LocationType",
    "ClassroomId",
    "HoursSpent",
    "Grade",
    "CustomFields",
)
DETAIL_COLUMNS = ("Learner", "Email", "Class")


def csv_cell(value: str) -> str:
    """``value``, guarded so a spreadsheet shows it as text rather than running it."""
    return "'" + value if value.startswith(CSV_RISKY) else value


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Code):
        return value.label
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def custom_fields_text(record: ClassEnrollment) -> str:
    """``Name: Value`` pairs joined by ``; `` (one cell)."""
    return "; ".join(f"{f.name}: {f.text_value or ''}" for f in record.custom_fields)


def enrollment_cells(record: ClassEnrollment | None) -> list[str]:
    """The :data:`ENROLLMENT_COLUMNS` of ``record`` as text (empty cells for None)."""
    if record is None:
        return [""] * len(ENROLLMENT_COLUMNS)
    return [
        str(record.id),
        _plain(record.external_id),
        _plain(record.user_id),
        _plain(record.class_id),
        _plain(record.enrollment_status),
        _plain(record.completion_status),
        _plain(record.late_cancel),
        _plain(record.retake),
        _plain(record.location_type),
        _plain(record.classroom_id),
        _plain(record.hours_spent),
        _plain(record.grade),
        custom_fields_text(record),
    ]


def detail_cells(user: UserDetails | None, klass: ClassDetails | None) -> list[str]:
    """The :data:`DETAIL_COLUMNS`: learner name, email and class name."""
    return [
        (user.name or user.user_name or "") if user else "",
        (user.email or "") if user else "",
        (klass.name or "") if klass else "",
    ]


def csv_line(cells: Sequence[str]) -> str:
    """One CSV line (CRLF, as the csv module writes), every cell guarded."""
    out = io.StringIO()
    csv.writer(out).writerow([csv_cell(c) for c in cells])
    return out.getvalue()


def record_json(record: ClassEnrollment, extra: dict[str, Any] | None = None) -> str:
    """The record as the command line's ``lookup --json`` prints it (plus ``extra`` keys)."""
    return json.dumps({**record.to_json(), **(extra or {})}, indent=2, ensure_ascii=False) + "\n"


def record_fields_csv(record: ClassEnrollment) -> str:
    """One record as CSV: one row per field, then one per custom field."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Field", "Value", "Custom field ID"])
    writer.writerow(["Enrollment ID", str(record.id), ""])
    for spec in RECORD_FIELDS:
        writer.writerow([spec.label, csv_cell(display_value(getattr(record, spec.attr))), ""])
    for field in record.custom_fields:
        writer.writerow(
            [
                csv_cell(field.name),
                csv_cell(display_value(field.text_value)),
                "" if field.custom_field_id is None else str(field.custom_field_id),
            ]
        )
    return out.getvalue()


def wide_csv(
    head: Sequence[str],
    rows: Iterable[tuple[Sequence[str], ClassEnrollment | None, Sequence[str]]],
    tail: Sequence[str] = (),
) -> str:
    """A table for Excel: UTF-8 BOM, ``head`` columns, the enrollment's columns with one column
    per custom-field name (in the order first seen), then ``tail`` columns.

    Each row is ``(head cells, record or None, tail cells)``.
    """
    materialised = list(rows)
    names: dict[str, None] = {}
    for _head, record, _tail in materialised:
        for field in record.custom_fields if record else ():
            names.setdefault(field.name, None)
    base = list(ENROLLMENT_COLUMNS[:-1])
    out = io.StringIO()
    out.write(UTF8_BOM)
    writer = csv.writer(out)
    writer.writerow([*head, *base, *names, *tail])
    for head_cells, record, tail_cells in materialised:
        values = {f.name: f.text_value or "" for f in record.custom_fields} if record else {}
        cells = enrollment_cells(record)[:-1]
        writer.writerow(
            [
                csv_cell(c)
                for c in [*head_cells, *cells, *(values.get(n, "") for n in names), *tail_cells]
            ]
        )
    return out.getvalue()
