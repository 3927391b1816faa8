"""The results table of the Batch and Search pages: a model of rows (an input, what became of
it, the enrollment with its learner and class), a filter by outcome, and the view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt

from enroll_viewer.api.export import custom_fields_text
from enroll_viewer.api.presentation import display_value
from enroll_viewer.ui.widgets.tables import TONE_ROLE, Index, ReadOnlyTable, RowsView
from enroll_viewer.ui.widgets.tone import Tone
from enroll_viewer.ui.widgets.tones import tone_for
from enroll_viewer.work.batch import BatchRow, RowOutcome

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the BatchRow behind a row
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
OUTCOME_WORDS = {
    RowOutcome.FOUND: "Found",
    RowOutcome.NOT_FOUND: "Not found",
    RowOutcome.INVALID: "Invalid",
    RowOutcome.ERROR: "Error",
}
OUTCOME_TONES = {
    RowOutcome.FOUND: Tone.GOOD,
    RowOutcome.NOT_FOUND: Tone.WARN,
    RowOutcome.INVALID: Tone.WARN,
    RowOutcome.ERROR: Tone.BAD,
}
NAME_KEYS = frozenset({"learner", "email", "class"})  # empty unless names are fetched
ERROR_KEY = "error"  # shown only while some row has an error (or an invalid input's reason)
EXPLAINED = frozenset({RowOutcome.ERROR, RowOutcome.INVALID})
WIDE_KEYS = frozenset({"learner", "email", "class", "custom_fields", "error"})


@dataclass(frozen=True)
class Column:
    """A column: a stable ``key`` (remembered in preferences), its header in words, the name
    exports give it (the tooltip says it), how a row reads in it, how it sorts (numbers as
    numbers), and the badge tone of a status cell."""

    key: str
    header: str
    machine: str
    text: Callable[[BatchRow], str]
    number: Callable[[BatchRow], int | None] | None = None
    tone: Callable[[BatchRow], Tone | None] | None = None
    sort: Callable[[BatchRow], str] | None = None


def _record_text(attr: str) -> Callable[[BatchRow], str]:
    def read(row: BatchRow) -> str:
        record = row.record
        return "" if record is None else _word(getattr(record, attr))

    return read


def _record_number(attr: str) -> Callable[[BatchRow], int | None]:
    def read(row: BatchRow) -> int | None:
        record = row.record
        value = getattr(record, attr) if record is not None else None
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    return read


def _record_tone(attr: str, kind: str) -> Callable[[BatchRow], Tone | None]:
    def read(row: BatchRow) -> Tone | None:
        record = row.record
        code = getattr(record, attr) if record is not None else None
        return None if code is None else tone_for(kind, code)

    return read


def _word(value: object) -> str:
    return "" if value is None else display_value(value)


def _input_sort(row: BatchRow) -> str:
    # Ids before other text, and ids by value: "9" before "10" (zero-padded, one string type,
    # since the proxy cannot order a number against a string).
    text = row.input.strip()
    return f"0{int(text):020d}" if text.isdigit() else "1" + text.casefold()


def _learner(row: BatchRow) -> str:
    user = row.found.user if row.found else None
    return (user.name or user.user_name or "") if user else ""


def _email(row: BatchRow) -> str:
    user = row.found.user if row.found else None
    return (user.email or "") if user else ""


def _class(row: BatchRow) -> str:
    klass = row.found.klass if row.found else None
    return (klass.name or "") if klass else ""


NUMBERS = ("id", "user_id", "class_id", "classroom_id", "hours_spent", "grade")
TONES = {
    "enrollment_status": "enrollment",
    "completion_status": "completion",
    "location_type": "location",
}
# (key = the record's attribute, header in words, export name)
FIELDS = (
    ("id", "Enrollment ID", "Id"),
    ("external_id", "External ID", "ExternalId"),
    ("user_id", "User ID", "UserId"),
    ("class_id", "Class ID", "ClassId"),
    ("enrollment_status", "Enrollment status", "EnrollmentStatus"),
    ("completion_status", "Completion status", "CompletionStatus"),
    ("late_cancel", "Late cancel", "LateCancel"),
    ("retake", "Retake", "Retake"),
    ("location_type", "Location", "LocationType"),
    ("classroom_id", "Classroom ID", "ClassroomId"),
    ("hours_spent", "Hours spent", "HoursSpent"),
    ("grade", "Grade", "Grade"),
)


def _field(key: str, header: str, machine: str) -> Column:
    kind = TONES.get(key)
    return Column(
        key,
        header,
        machine,
        _record_text(key),
        _record_number(key) if key in NUMBERS else None,
        _record_tone(key, kind) if kind else None,
    )


ALL_COLUMNS = {
    column.key: column
    for column in (
        Column("input", "Input", "Input", lambda r: r.input, sort=_input_sort),
        Column(
            "outcome", "Outcome", "Outcome", lambda r: OUTCOME_WORDS[r.outcome],
            tone=lambda r: OUTCOME_TONES[r.outcome],
        ),
        Column("error", "Error", "Error", lambda r: r.error or ""),
        *(_field(key, header, machine) for key, header, machine in FIELDS),
        Column(
            "custom_fields", "Custom fields", "CustomFields",
            lambda r: custom_fields_text(r.record) if r.record else "",
        ),
        Column("learner", "Learner", "Learner", _learner),
        Column("email", "Email", "Email", _email),
        Column("class", "Class", "Class", _class),
    )
}  # fmt: skip
# The people first (issue 18); then the rest in the order of the record page.
REST = (
    "external_id", "late_cancel", "retake", "location_type", "classroom_id", "hours_spent",
    "grade", "custom_fields", "user_id", "class_id",
)  # fmt: skip
SEARCH_ORDER = (
    "learner", "email", "enrollment_status", "completion_status", "id", "class", *REST,
)  # fmt: skip
BATCH_ORDER = (
    "input", "outcome", "learner", "class", "enrollment_status", "completion_status", ERROR_KEY,
    "id", "email", *REST,
)  # fmt: skip


class EnrollmentRowsModel(ReadOnlyTable):
    """Rows appended as they arrive (in input or server order); read-only.

    The columns are fixed (the page's default order); the view hides and moves them. Learner,
    Email and Class stay empty unless names are fetched (:attr:`names`).
    """

    def __init__(self, with_input: bool, parent: Any = None) -> None:
        super().__init__(parent)
        order = BATCH_ORDER if with_input else SEARCH_ORDER
        self.columns: tuple[Column, ...] = tuple(ALL_COLUMNS[key] for key in order)
        self.names = False
        self.has_errors = False
        self._rows: list[BatchRow] = []

    @property
    def rows(self) -> Sequence[BatchRow]:
        """Every row, in arrival order."""
        return self._rows

    def clear(self, names: bool) -> None:
        """No rows; learner and class columns filled from now on when ``names``."""
        self.beginResetModel()
        self._rows = []
        self.names = names
        self.has_errors = False
        self.endResetModel()

    def append(self, rows: Sequence[BatchRow]) -> None:
        """Add rows at the end (one insert for many, so the view lays out once)."""
        if not rows:
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._rows.extend(rows)
        self.has_errors = self.has_errors or any(r.outcome in EXPLAINED for r in rows)
        self.endInsertRows()

    def headers(self) -> tuple[str, ...]:
        """The column headers in words (what the view and a screen reader show)."""
        return tuple(column.header for column in self.columns)

    def column_keys(self) -> tuple[str, ...]:
        """The columns' stable keys, in model order."""
        return tuple(column.key for column in self.columns)

    def count(self) -> int:
        """How many rows."""
        return len(self._rows)

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
        ):
            column = self.columns[section]
            return f"{column.header} ({column.machine} in CSV and JSON exports)"
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(row)
        if role == SORT_ROLE:
            if column.number is not None:
                number = column.number(row)
                return -1 if number is None else number
            if column.sort is not None:
                return column.sort(row)
            return column.text(row).casefold()
        if role == ROW_ROLE:
            return row
        if role == TONE_ROLE and column.tone is not None:
            return column.tone(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.number is not None:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class OutcomeFilter(QSortFilterProxyModel):
    """Shows every row, or the rows of one outcome; sorts numbers as numbers."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._outcome: RowOutcome | None = None

    def show_only(self, outcome: RowOutcome | None) -> None:
        """Filter to ``outcome`` (None: all)."""
        if hasattr(self, "beginFilterChange"):  # Qt 6.9 and later
            self.beginFilterChange()
            self._outcome = outcome
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._outcome = outcome
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        if self._outcome is None:
            return True
        model = self.sourceModel()
        row = model.index(source_row, 0, source_parent).data(ROW_ROLE)
        return isinstance(row, BatchRow) and row.outcome is self._outcome


class EnrollmentTable(RowsView):
    """The results view: rows in the order they came until a header is clicked; the columns
    are laid out by :class:`~enroll_viewer.ui.pages.columns.ColumnLayout`."""

    def setModel(self, model: Any) -> None:  # noqa: N802 - Qt override
        super().setModel(model)
        # Rows stay in the order they came (input or server order) until a header is clicked.
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)

    def row_at(self, index: QModelIndex) -> BatchRow | None:
        """The row behind a view index."""
        row = index.data(ROW_ROLE)
        return row if isinstance(row, BatchRow) else None
