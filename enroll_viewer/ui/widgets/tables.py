"""What the app's tables share: a read-only model with plain headers, and a rows view (whole
rows selected, sortable, Ctrl+C copies the selected rows as tab-separated text)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

Index = QModelIndex | QPersistentModelIndex


class ReadOnlyTable(QAbstractTableModel):
    """A table of rows with one header per column; subclasses give :meth:`headers`, the row
    count and ``data``."""

    def headers(self) -> tuple[str, ...]:
        """The column titles."""
        raise NotImplementedError

    def count(self) -> int:
        """How many rows there are."""
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self.count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers())

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = self.headers()
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(headers):
            return headers[section]
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def rows_as_tsv(rows: list[tuple[str, ...]]) -> str:
    """Tab-separated text (tabs and newlines inside values become spaces)."""

    def clean(value: str) -> str:
        return value.replace("\t", " ").replace("\r", " ").replace("\n", " ")

    return "\n".join("\t".join(clean(cell) for cell in row) for row in rows)


class RowsView(QTableView):
    """A sortable table of whole rows; Ctrl+C copies the selected rows with a header line."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSortingEnabled(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        vertical.hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSortIndicatorShown(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            event.accept()
            return
        super().keyPressEvent(event)

    def selected_rows_text(self) -> str:
        """The selected rows (in view order) as tab-separated text with a header line."""
        model = self.model()
        selection = self.selectionModel()
        if model is None or selection is None:
            return ""
        rows = sorted(index.row() for index in selection.selectedRows())
        if not rows:
            current = self.currentIndex()
            rows = [current.row()] if current.isValid() else []
        if not rows:
            return ""
        columns = range(model.columnCount())
        head = tuple(str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in columns)
        body = [tuple(str(model.index(r, c).data() or "") for c in columns) for r in rows]
        return rows_as_tsv([head, *body])

    def copy_selection(self) -> None:
        """Put the selected rows on the clipboard."""
        text = self.selected_rows_text()
        if text:
            QGuiApplication.clipboard().setText(text)
