"""Rows of enrollments on standard output, one written (and flushed) as soon as it is known:
CSV, JSON lines, one JSON document, or a readable table. Used by ``lookup`` with many ids and
by ``search``. No Qt."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import Enum
from typing import Any, TextIO

from enroll_viewer.api.export import (
    DETAIL_COLUMNS,
    ENROLLMENT_COLUMNS,
    UTF8_BOM,
    csv_line,
    detail_cells,
    enrollment_cells,
)
from enroll_viewer.api.links import links_json
from enroll_viewer.store.connection import Connection
from enroll_viewer.work.batch import BatchRow, Found

ROW_COLUMNS = ("Input", "Outcome", "Error")


class Format(Enum):
    """How rows are written."""

    TABLE = "table"
    CSV = "csv"
    JSONL = "jsonl"
    JSON = "json"


def enrollment_json(found: Found, connection: Connection, details: bool) -> dict[str, Any]:
    """The object ``lookup ID --json`` prints for one enrollment."""
    out: dict[str, Any] = found.record.to_json()
    if details:
        out["User"] = found.user.raw if found.user is not None else None
        out["Class"] = found.klass.to_json() if found.klass is not None else None
    out["Links"] = links_json(connection, found.record)
    return out


class RowWriter:
    """Writes rows in one :class:`Format`; :meth:`close` ends the document (JSON).

    ``batch``: rows carry Input, Outcome and Error (``lookup``); otherwise only enrollments
    (``search``, whose JSON document is written by the caller around :meth:`item`). ``bom``:
    CSV starts with a byte-order mark (for Excel).
    """

    def __init__(
        self,
        out: TextIO,
        fmt: Format,
        connection: Connection,
        details: bool,
        batch: bool = True,
        bom: bool = False,
    ) -> None:
        self._out = out
        self.format = fmt
        self._connection = connection
        self._details = details
        self._batch = batch
        self._count = 0
        self._write: Callable[[str], object] = out.write
        self._header(bom)

    def _emit(self, text: str) -> None:
        # Flushed at every row: without PYTHONUNBUFFERED a pipe would get it all at the end.
        self._write(text)
        self._out.flush()

    def _header(self, bom: bool) -> None:
        if self.format is Format.CSV:
            head = (*ROW_COLUMNS,) if self._batch else ()
            tail = DETAIL_COLUMNS if self._details else ()
            self._emit((UTF8_BOM if bom else "") + csv_line([*head, *ENROLLMENT_COLUMNS, *tail]))
        elif self.format is Format.JSON and self._batch:
            self._emit('{"Items": [')
        elif self.format is Format.TABLE:
            self._emit(self._table_line(self._table_header()))

    def row(self, row: BatchRow) -> None:
        """One batch row."""
        self._count += 1
        if self.format is Format.CSV:
            cells = [row.input, row.outcome.value, row.error or ""]
            self._emit(csv_line([*cells, *self._cells(row.found)]))
        elif self.format in (Format.JSONL, Format.JSON):
            item = {
                "Input": row.input,
                "Outcome": row.outcome.value,
                "Error": row.error,
                "Enrollment": self._json(row.found),
            }
            self._json_item(item)
        else:
            self._emit(self._table_line(self._table_cells(row.input, row.outcome.value, row)))

    def item(self, found: Found) -> None:
        """One enrollment of a search."""
        self._count += 1
        if self.format is Format.CSV:
            self._emit(csv_line(self._cells(found)))
        elif self.format in (Format.JSONL, Format.JSON):
            self._json_item(self._json(found))
        else:
            record = found.record
            self._emit(self._table_line(self._table_cells(str(record.id), "", None, found)))

    def close(self) -> None:
        """End the JSON document (the rows written so far make a whole one)."""
        if self.format is Format.JSON and self._batch:
            self._emit("\n]}\n")

    # --- shapes -------------------------------------------------------------------------------

    def _json_item(self, item: dict[str, Any] | None) -> None:
        text = json.dumps(item, ensure_ascii=False)
        if self.format is Format.JSONL:
            self._emit(text + "\n")
        else:
            self._emit(("\n" if self._count == 1 else ",\n") + text)

    def _json(self, found: Found | None) -> dict[str, Any] | None:
        return enrollment_json(found, self._connection, self._details) if found else None

    def _cells(self, found: Found | None) -> list[str]:
        cells = enrollment_cells(found.record if found else None)
        if self._details:
            cells += detail_cells(found.user if found else None, found.klass if found else None)
        return cells

    def _widths(self) -> list[int]:
        head = [18, 10] if self._batch else []
        return [*head, 10, 9, 10, *([28, 28] if self._details else [])]

    def _table_header(self) -> list[str]:
        head = ["Input", "Outcome"] if self._batch else []
        names = ["Learner", "Class"] if self._details else []
        return [*head, "Id", "Status", "Completion", *names, *(["Error"] if self._batch else [])]

    def _table_cells(
        self, first: str, second: str, row: BatchRow | None, found: Found | None = None
    ) -> list[str]:
        found = row.found if row is not None else found
        record = found.record if found else None
        cells = [first, second] if self._batch else []
        cells += [
            str(record.id) if record else "",
            record.enrollment_status.label if record and record.enrollment_status else "",
            record.completion_status.label if record and record.completion_status else "",
        ]
        if self._details:
            user = found.user if found else None
            klass = found.klass if found else None
            cells += [
                (user.name or user.user_name or "") if user else "",
                (klass.name or "") if klass else "",
            ]
        if self._batch:
            cells.append((row.error or "") if row is not None else "")
        return cells

    def _table_line(self, cells: list[str]) -> str:
        widths = self._widths()
        parts = [_fit(cell, width) for cell, width in zip(cells, widths, strict=False)]
        parts += cells[len(widths) :]
        return "  ".join(parts).rstrip() + "\n"


def _fit(text: str, width: int) -> str:
    text = " ".join(text.split())
    return (text[: width - 1] + "…" if len(text) > width else text).ljust(width)
