"""The custom-fields table model (Name, Value, Field ID) and its filter/sort proxy."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt

from enroll_viewer.api.presentation import NULL_TEXT
from enroll_viewer.api.records import CustomField
from enroll_viewer.ui.widgets.tables import Index, ReadOnlyTable

COL_NAME, COL_VALUE, COL_ID = range(3)
HEADERS = ("Name", "Value", "Field ID")
FIELD_ROLE = Qt.ItemDataRole.UserRole + 1  # the CustomField behind a row
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a key that sorts numbers as numbers


class CustomFieldsModel(ReadOnlyTable):
    """Rows of :class:`CustomField`; values are plain text, nulls read "—"."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: tuple[CustomField, ...] = ()

    def set_fields(self, fields: tuple[CustomField, ...]) -> None:
        """Replace all rows."""
        self.beginResetModel()
        self._rows = fields
        self.endResetModel()

    def headers(self) -> tuple[str, ...]:
        """Name, Value, Field ID."""
        return HEADERS

    def count(self) -> int:
        """How many custom fields."""
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        field = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == COL_NAME:
                return field.name
            if column == COL_VALUE:
                return NULL_TEXT if field.text_value is None else field.text_value
            if column == COL_ID:
                return NULL_TEXT if field.custom_field_id is None else str(field.custom_field_id)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_VALUE and field.text_value is None:
                return "not set"
            if column == COL_VALUE:
                return field.text_value
        if role == SORT_ROLE:
            if column == COL_ID:
                ident = field.custom_field_id
                return -1 if ident is None else ident
            value = field.name if column == COL_NAME else (field.text_value or "")
            return value.casefold()
        if role == FIELD_ROLE:
            return field
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_ID:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class CustomFieldsProxy(QSortFilterProxyModel):
    """Sorts numbers as numbers and filters on every column, ignoring case."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
