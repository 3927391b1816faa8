"""What the app's tables share: a read-only model with plain headers, a rows view (whole rows
selected, sortable, Ctrl+C copies the selected rows as tab-separated text with the headers of
the columns on show, in their order), and status cells drawn as badges."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from enroll_viewer.ui.widgets.tone import Tone
from enroll_viewer.ui.widgets.tones import background, border, foreground

Index = QModelIndex | QPersistentModelIndex
TONE_ROLE = Qt.ItemDataRole.UserRole + 20  # a status cell's Tone (drawn as a badge)


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


class ToneDelegate(QStyledItemDelegate):
    """Draws a cell whose model gives a :data:`TONE_ROLE` as the Record page's badges are
    drawn: the word on a rounded fill tinted from the palette. The word is always there;
    the colour only hints."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Colours per (palette, tone): a table repaints hundreds of badges at every new row.
        self._colours: dict[tuple[int, Tone], tuple[QPen, QBrush, QColor]] = {}

    def _colours_for(self, palette: QPalette, tone: Tone) -> tuple[QPen, QBrush, QColor]:
        key = (palette.cacheKey(), tone)
        found = self._colours.get(key)
        if found is None:
            if len(self._colours) > 64:
                self._colours.clear()
            found = (
                QPen(border(palette, tone), 1),
                QBrush(background(palette, tone)),
                foreground(palette),
            )
            self._colours[key] = found
        return found

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        tone = index.data(TONE_ROLE)
        if not isinstance(tone, Tone):
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        text, item.text = item.text, ""
        widget = item.widget
        style = widget.style() if widget is not None else QApplication.style()
        # The cell's own background (selection, alternate rows) first, then the badge on it.
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        metrics = item.fontMetrics
        pad = max(2, metrics.height() // 3)
        cell = QRectF(item.rect).adjusted(pad / 2, 2, -pad / 2, -2)
        wanted = metrics.horizontalAdvance(text) + 3 * pad
        badge = QRectF(cell.x(), cell.y(), min(wanted, cell.width()), cell.height())
        pen, brush, ink = self._colours_for(item.palette, tone)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(pen)
        painter.setBrush(brush)
        corner = badge.height() / 2
        painter.drawRoundedRect(badge, corner, corner)
        painter.setPen(ink)
        if wanted > badge.width():
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(badge.width()) - pad)
        painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.restore()


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
        self.setItemDelegate(ToneDelegate(self))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            event.accept()
            return
        super().keyPressEvent(event)

    def visible_columns(self) -> list[int]:
        """The model columns on show, in the order the header shows them."""
        model = self.model()
        header = self.horizontalHeader()
        if model is None:
            return []
        order = (header.logicalIndex(v) for v in range(model.columnCount()))
        return [c for c in order if c >= 0 and not header.isSectionHidden(c)]

    def visible_table(self, rows: list[int] | None = None) -> list[tuple[str, ...]]:
        """The header line and ``rows`` (view rows; None: every row, as sorted and filtered)
        in the columns on show."""
        model = self.model()
        if model is None:
            return []
        columns = self.visible_columns()
        wanted = range(model.rowCount()) if rows is None else rows
        head = tuple(str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in columns)
        body = [tuple(str(model.index(r, c).data() or "") for c in columns) for r in wanted]
        return [head, *body]

    def selected_rows_text(self) -> str:
        """The selected rows (in view order) as tab-separated text with a header line."""
        model = self.model()
        selection = self.selectionModel()
        if model is None or selection is None:
            return ""
        # Any selected cell counts: a row with hidden or moved columns is not "whole" to Qt.
        rows = sorted({index.row() for index in selection.selectedIndexes()})
        if not rows:
            current = self.currentIndex()
            rows = [current.row()] if current.isValid() else []
        if not rows:
            return ""
        return rows_as_tsv(self.visible_table(rows))

    def copy_selection(self) -> None:
        """Put the selected rows on the clipboard."""
        text = self.selected_rows_text()
        if text:
            QGuiApplication.clipboard().setText(text)
