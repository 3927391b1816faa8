"""What is printed, as plain strings: a title, lines under it, labelled fields and tables.
No Qt: the window's pages build a :class:`Report`, and one renderer
(:mod:`enroll_viewer.ui.printing.render`) paints it for the printer and for a PDF alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from enroll_viewer.api.presentation import RECORD_FIELDS, display_value, plural
from enroll_viewer.api.records import ClassDetails, ClassEnrollment, UserDetails
from enroll_viewer.api.zones import zone_label

SIGNATURE = "Signature"
SIGN_IN_COLUMNS = ("Learner", "Email", "Enrollment status", SIGNATURE)


@dataclass(frozen=True)
class Fields:
    """Labelled values, one a line (the record's form)."""

    heading: str
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """Columns of text; ``row_lines`` makes rows at least that many lines tall (room to
    sign), and ``wide`` names columns that take the room left over."""

    heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_lines: int = 1
    wide: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    """One printable document: the title, lines under it (connection, when printed, what is
    shown), then blocks of fields and tables. Page numbers are added by the renderer."""

    title: str
    meta: tuple[str, ...]
    blocks: tuple[Fields | Table, ...] = field(default_factory=tuple)

    @property
    def tables(self) -> tuple[Table, ...]:
        """The report's tables."""
        return tuple(b for b in self.blocks if isinstance(b, Table))


def printed_line(when: datetime) -> str:
    """``Printed 2026-12-03 16:20 CET`` in this computer's time zone (its offset where the zone
    has no short name)."""
    local = when.astimezone()
    return f"Printed {local.strftime('%Y-%m-%d %H:%M')} {zone_label(local)}"


def record_report(
    record: ClassEnrollment,
    user: UserDetails | None,
    klass: ClassDetails | None,
    connection: str,
    when: datetime,
) -> Report:
    """The Lookup page's record: heading, learner and class with names, every field with its
    label and words, the custom fields, the connection and when it was printed."""
    title = f"Enrollment {record.id}"
    if record.external_id:
        title += f" · external id {record.external_id}"
    learner = user.summary() if user is not None else ""
    course = klass.summary() if klass is not None else ""
    people = (
        ("Learner", f"{learner} (user {record.user_id})" if learner else _id(record.user_id)),
        ("Class", f"{course} (class {record.class_id})" if course else _id(record.class_id)),
    )
    fields = tuple(
        (spec.label, display_value(getattr(record, spec.attr))) for spec in RECORD_FIELDS
    )
    custom = Table(
        f"Custom fields ({len(record.custom_fields)})",
        ("Name", "Value", "Field ID"),
        tuple(
            (
                f.name,
                display_value(f.text_value),
                "" if f.custom_field_id is None else str(f.custom_field_id),
            )
            for f in record.custom_fields
        ),
        wide=("Value",),
    )
    return Report(
        title,
        (f"Connection: {connection}", printed_line(when)),
        (Fields("", people + fields), custom),
    )


def _id(value: int | None) -> str:
    return display_value(value)


def table_report(
    title: str,
    meta: Sequence[str],
    table: Sequence[Sequence[str]],
    wide: Sequence[str] = (),
) -> Report:
    """A results table as a report: ``table`` is the header line then the rows (as shown:
    the visible columns in their order, the rows the filter keeps, as sorted)."""
    head, *rows = table or [()]
    return Report(
        title,
        tuple(meta),
        (Table("", tuple(head), tuple(tuple(r) for r in rows), wide=tuple(wide)),),
    )


def sign_in_sheet(title: str, meta: Sequence[str], rows: Sequence[Sequence[str]]) -> Report:
    """A class roster to sign: learner, email, enrollment status and an empty Signature
    column, rows tall enough to sign in."""
    body = tuple((*tuple(r[:3]), "") for r in rows)
    return Report(
        f"Sign-in sheet · {title}",
        (*meta, f"{plural(len(body), 'learner')} · Date: ____________________"),
        (Table("", SIGN_IN_COLUMNS, body, row_lines=3, wide=(SIGNATURE,)),),
    )
