"""Which columns a results table shows, in which order and how wide: chosen from the header's
context menu or the "Columns…" dialog, remembered per page in the window's preferences.

The model's columns never change (the page's default order); this hides and moves the header's
sections. Two columns also depend on the rows: Learner, Email and Class only while names are
fetched, Error only while some row has one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QObject, QPoint, Qt, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from enroll_viewer.store.preferences import ColumnState
from enroll_viewer.ui.pages.enrollment_table import ERROR_KEY, NAME_KEYS, WIDE_KEYS

if TYPE_CHECKING:
    from enroll_viewer.store.preferences import Preferences
    from enroll_viewer.ui.pages.enrollment_table import EnrollmentRowsModel, EnrollmentTable


class ColumnLayout(QObject):
    """Keeps ``view``'s columns as the user chose them for ``page`` (order, widths, shown)."""

    def __init__(
        self,
        view: EnrollmentTable,
        model: EnrollmentRowsModel,
        proxy: QAbstractItemModel,
        page: str,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.model = model
        self.page = page
        self.prefs: Preferences | None = None
        self.dialog: ColumnsDialog | None = None
        self.state = self.defaults()
        self._applying = False
        header = view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_menu)
        header.sectionMoved.connect(self._on_user_change)
        header.sectionResized.connect(self._on_user_change)
        # A reset header forgets its moved and hidden sections: lay them out again (connected
        # after the view's own reset, so this runs after it).
        proxy.modelReset.connect(self.apply)
        model.rowsInserted.connect(self._on_rows)
        self.apply()

    # --- state --------------------------------------------------------------------------------

    def defaults(self) -> list[ColumnState]:
        """Every column in the model's order, shown, at its default width."""
        return [ColumnState(key, 0, True) for key in self.model.column_keys()]

    def use_preferences(self, prefs: Preferences) -> None:
        """Read (and from now on write) the page's columns in ``prefs``."""
        self.prefs = prefs
        stored = prefs.columns(self.page) or []
        known = set(self.model.column_keys())
        kept = [c for c in stored if c.key in known]
        missing = [c for c in self.defaults() if c.key not in {k.key for k in kept}]
        self.state = kept + missing  # a column new in this version comes last, shown
        self.apply()

    def shown(self, key: str) -> bool:
        """Whether the user wants ``key`` shown (it may still wait for names or errors)."""
        return next(c.shown for c in self.state if c.key == key)

    def available(self, key: str) -> bool:
        """Whether ``key`` has anything to show now."""
        if key in NAME_KEYS:
            return self.model.names
        if key == ERROR_KEY:
            return self.model.has_errors
        return True

    def default_width(self, key: str) -> int:
        """From the font: the header's words and some room (wide for names and text)."""
        metrics = self.view.fontMetrics()
        title = self.header_words(key)
        width = max(metrics.horizontalAdvance(title + "MMM"), metrics.horizontalAdvance("M" * 7))
        return width * 3 if key in WIDE_KEYS else width

    @Slot()
    def apply(self) -> None:
        """Lay the header out as :attr:`state` says."""
        header = self.view.horizontalHeader()
        keys = self.model.column_keys()
        self._applying = True
        try:
            for position, column in enumerate(self.state):
                logical = keys.index(column.key)
                if header.visualIndex(logical) != position:
                    header.moveSection(header.visualIndex(logical), position)
                header.resizeSection(logical, column.width or self.default_width(column.key))
                hidden = not (column.shown and self.available(column.key))
                header.setSectionHidden(logical, hidden)
        finally:
            self._applying = False

    def _save(self) -> None:
        if self.prefs is not None:
            self.prefs.set_columns(self.page, self.state)

    @Slot()
    def _on_user_change(self) -> None:
        if self._applying:
            return
        header = self.view.horizontalHeader()
        keys = self.model.column_keys()
        old = {c.key: c for c in self.state}
        state = []
        for visual in range(len(keys)):
            logical = header.logicalIndex(visual)
            key = keys[logical]
            hidden = header.isSectionHidden(logical)
            width = old[key].width if hidden else header.sectionSize(logical)
            state.append(ColumnState(key, width, old[key].shown))
        self.state = state
        self._save()

    @Slot()
    def _on_rows(self) -> None:
        keys = self.model.column_keys()
        wanted = self.model.has_errors and ERROR_KEY in keys and self.shown(ERROR_KEY)
        if wanted and self.view.horizontalHeader().isSectionHidden(keys.index(ERROR_KEY)):
            self.apply()  # the first error: its column appears

    # --- changes --------------------------------------------------------------------------------

    def set_shown(self, key: str, shown: bool) -> None:
        """Show or hide ``key`` (remembered)."""
        self.state = [c._replace(shown=shown) if c.key == key else c for c in self.state]
        self.apply()
        self._save()

    def move(self, key: str, steps: int) -> None:
        """Move ``key`` ``steps`` places right (negative: left), remembered."""
        at = next(i for i, c in enumerate(self.state) if c.key == key)
        to = max(0, min(len(self.state) - 1, at + steps))
        state = list(self.state)
        state.insert(to, state.pop(at))
        self.state = state
        self.apply()
        self._save()

    @Slot()
    def reset(self) -> None:
        """The page's default columns, order and widths (and forget the remembered ones)."""
        if self.prefs is not None:
            self.prefs.reset_columns(self.page)
        self.state = self.defaults()
        self.apply()
        if self.dialog is not None:
            self.dialog.fill()

    def header_words(self, key: str) -> str:
        """The column's header in words."""
        return self.model.columns[self.model.column_keys().index(key)].header

    # --- menu and dialog -------------------------------------------------------------------------

    def menu(self) -> QMenu:
        """Show or hide each column, "Columns…" and "Reset columns"."""
        menu = QMenu(self.view)
        menu.setAccessibleName("Columns menu")
        for column in self.state:
            action = menu.addAction(self.header_words(column.key))
            action.setCheckable(True)
            action.setChecked(column.shown)
            action.setData(column.key)
            action.toggled.connect(self._on_toggled)
        menu.addSeparator()
        menu.addAction("Columns…", self.open_dialog)
        menu.addAction("Reset columns", self.reset)
        return menu

    @Slot(QPoint)
    def _on_menu(self, point: QPoint) -> None:
        menu = self.menu()
        menu.popup(self.view.horizontalHeader().mapToGlobal(point))

    @Slot(bool)
    def _on_toggled(self, checked: bool) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.set_shown(str(action.data()), checked)

    @Slot()
    def open_dialog(self) -> None:
        """The "Columns…" dialog (window-modal; changes apply as they are made)."""
        if self.dialog is None:
            self.dialog = ColumnsDialog(self, self.view.window())
        self.dialog.fill()
        self.dialog.open()


class ColumnsDialog(QDialog):
    """Show, hide and reorder a table's columns with the keyboard: a checkable list, Move up,
    Move down, Reset columns."""

    def __init__(self, layout: ColumnLayout, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = layout
        self.setWindowTitle("Columns")
        box = QVBoxLayout(self)
        label = QLabel("&Columns shown, in order (Space shows or hides one):")
        self.list = QListWidget()
        self.list.setAccessibleName("Columns")
        label.setBuddy(self.list)
        box.addWidget(label)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        buttons = QVBoxLayout()
        self.up = QPushButton("Move &up")
        self.down = QPushButton("Move &down")
        self.reset = QPushButton("&Reset columns")
        for button in (self.up, self.down, self.reset):
            button.setAccessibleName(button.text().replace("&", ""))
            buttons.addWidget(button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        box.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        box.addWidget(close)
        self.up.clicked.connect(self._move_up)
        self.down.clicked.connect(self._move_down)
        self.reset.clicked.connect(layout.reset)
        self.list.itemChanged.connect(self._on_item)

    def fill(self) -> None:
        """List the columns as the table has them now."""
        current = self.list.currentRow()
        self.list.blockSignals(True)
        self.list.clear()
        for column in self._layout.state:
            item = QListWidgetItem(self._layout.header_words(column.key))
            item.setData(Qt.ItemDataRole.UserRole, column.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = Qt.CheckState.Checked if column.shown else Qt.CheckState.Unchecked
            item.setCheckState(checked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.list.setCurrentRow(max(0, current))

    @Slot(QListWidgetItem)
    def _on_item(self, item: QListWidgetItem) -> None:
        key = str(item.data(Qt.ItemDataRole.UserRole))
        self._layout.set_shown(key, item.checkState() == Qt.CheckState.Checked)

    @Slot()
    def _move_up(self) -> None:
        self._move(-1)

    @Slot()
    def _move_down(self) -> None:
        self._move(1)

    def _move(self, steps: int) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        row = self.list.currentRow()
        self._layout.move(str(item.data(Qt.ItemDataRole.UserRole)), steps)
        self.fill()
        self.list.setCurrentRow(max(0, min(self.list.count() - 1, row + steps)))
