"""The results table of the Batch and Search pages: a model of rows (an input, what became of
it, the enrollment with its learner and class), a filter by outcome, and the view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Slot

from enroll_viewer.api.export import custom_fields_text
from enroll_viewer.api.presentation import display_value
from enroll_viewer.ui.widgets.tables import Index, ReadOnlyTable, RowsView
from enroll_viewer.work.batch import BatchRow, RowOutcome

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the BatchRow behind a row
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
OUTCOME_WORDS = {
    RowOutcome.FOUND: "Found",
    RowOutcome.NOT_FOUND: "Not found",
    RowOutcome.INVALID: "Invalid",
    RowOutcome.ERROR: "Error",
}


@dataclass(frozen=True)
class Column:
    """A column: its header and how a row reads in it (and sorts, numbers as numbers)."""

    header: str
    text: Callable[[BatchRow], str]
    number: Callable[[BatchRow], int | None] | None = None


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


def _word(value: object) -> str:
    return "" if value is None else display_value(value)


ROW_COLUMNS = (
    Column("Input", lambda r: r.input),
    Column("Outcome", lambda r: OUTCOME_WORDS[r.outcome]),
    Column("Error", lambda r: r.error or ""),
)
NUMBERS = ("id", "user_id", "class_id", "classroom_id", "hours_spent", "grade")
FIELDS = (
    ("Id", "id"),
    ("ExternalId", "external_id"),
    ("UserId", "user_id"),
    ("ClassId", "class_id"),
    ("EnrollmentStatus", "enrollment_status"),
    ("CompletionStatus", "completion_status"),
    ("LateCancel", "late_cancel"),
    ("Retake", "retake"),
    ("LocationType", "location_type"),
    ("ClassroomId", "classroom_id"),
    ("HoursSpent", "hours_spent"),
    ("Grade", "grade"),
)
ENROLLMENT_COLUMNS = (
    *(
        Column(header, _record_text(attr), _record_number(attr) if attr in NUMBERS else None)
        for header, attr in FIELDS
    ),
    Column("CustomFields", lambda r: custom_fields_text(r.record) if r.record else ""),
)


def _learner(row: BatchRow) -> str:
    user = row.found.user if row.found else None
    return (user.name or user.user_name or "") if user else ""


def _email(row: BatchRow) -> str:
    user = row.found.user if row.found else None
    return (user.email or "") if user else ""


def _class(row: BatchRow) -> str:
    klass = row.found.klass if row.found else None
    return (klass.name or "") if klass else ""


NAME_COLUMNS = (Column("Learner", _learner), Column("Email", _email), Column("Class", _class))


class EnrollmentRowsModel(ReadOnlyTable):
    """Rows appended as they arrive (in input or server order); read-only."""

    def __init__(self, with_input: bool, parent: Any = None) -> None:
        super().__init__(parent)
        self._with_input = with_input
        self._names = False
        self.columns: tuple[Column, ...] = ()
        self._rows: list[BatchRow] = []
        self._set_columns()

    def _set_columns(self) -> None:
        self.columns = (
            (ROW_COLUMNS if self._with_input else ())
            + ENROLLMENT_COLUMNS
            + (NAME_COLUMNS if self._names else ())
        )

    @property
    def rows(self) -> Sequence[BatchRow]:
        """Every row, in arrival order."""
        return self._rows

    def clear(self, names: bool) -> None:
        """No rows; learner and class columns shown when ``names``."""
        self.beginResetModel()
        self._rows = []
        self._names = names
        self._set_columns()
        self.endResetModel()

    def append(self, rows: Sequence[BatchRow]) -> None:
        """Add rows at the end (one insert for many, so the view lays out once)."""
        if not rows:
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def headers(self) -> tuple[str, ...]:
        """The column titles (the CSV's names)."""
        return tuple(column.header for column in self.columns)

    def count(self) -> int:
        """How many rows."""
        return len(self._rows)

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
            return column.text(row).casefold()
        if role == ROW_ROLE:
            return row
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
    """The results view: rows in the order they came until a header is clicked."""

    def setModel(self, model: Any) -> None:  # noqa: N802 - Qt override
        super().setModel(model)
        # Rows stay in the order they came (input or server order) until a header is clicked.
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        model.modelReset.connect(self.size_columns)
        self.size_columns()

    @Slot()
    def size_columns(self) -> None:
        """Each column wide enough for its header (from the font, not by scanning rows)."""
        model = self.model()
        if model is None:
            return
        metrics = self.fontMetrics()
        header = self.horizontalHeader()
        for section in range(model.columnCount()):
            title = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
            wide = 3 if title in ("Error", "CustomFields", "Class", "Learner", "Email") else 1
            width = max(
                metrics.horizontalAdvance(title + "MMM"), metrics.horizontalAdvance("M" * 7)
            )
            header.resizeSection(section, width * wide if wide > 1 else width)

    def row_at(self, index: QModelIndex) -> BatchRow | None:
        """The row behind a view index."""
        row = index.data(ROW_ROLE)
        return row if isinstance(row, BatchRow) else None
