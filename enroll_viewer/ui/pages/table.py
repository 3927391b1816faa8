"""What the Batch and Search pages share: a table of enrollment rows that fills a few rows at
a time (so the window keeps repainting), one runner group per run, double-click to open a row
on the Lookup page, and starting over on another server."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, QTimer, Signal, Slot
from PySide6.QtWidgets import QPushButton, QWidget

from enroll_viewer.store.connection import Connection
from enroll_viewer.ui.pages.columns import ColumnLayout
from enroll_viewer.ui.pages.enrollment_table import WIDE_KEYS, EnrollmentRowsModel, EnrollmentTable
from enroll_viewer.ui.pages.page import Page
from enroll_viewer.ui.printing.report import Report, printed_line, table_report
from enroll_viewer.work.runner import Group, GroupKind, Outcome

if TYPE_CHECKING:
    from enroll_viewer.store.preferences import Preferences
    from enroll_viewer.ui.request_runner import RequestRunner

APPEND_EVERY_MS = 40


class Run(Protocol):
    """A batch or a search, driven by outcomes."""

    finished: bool

    def on_outcome(self, outcome: Outcome) -> None: ...

    def cancel(self) -> None: ...


class TablePage(Page):
    """A page whose results fill :attr:`table`; subclasses start runs and say what rows mean.

    Signals (besides :class:`Page`'s):
        open_row(str): a row was double-clicked: look this up on the Lookup page.
        finished(str): a run ended (the summary line).
    """

    open_row = Signal(str)
    finished = Signal(str)

    def __init__(
        self,
        runner: RequestRunner,
        connection: Connection,
        kind: GroupKind,
        table_name: str,
        with_input: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.connection = connection
        self.details_enabled = True
        self.run: Run | None = None
        self._kind = kind
        self._group: Group | None = None
        self.model = EnrollmentRowsModel(with_input=with_input, parent=self)
        self.table = EnrollmentTable(table_name)
        self.columns_button = QPushButton("Colu&mns…")
        self.columns_button.setAccessibleName("Choose columns")
        self.columns_button.setToolTip("Show, hide and reorder columns (or right-click a header)")
        self.columns: ColumnLayout | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(APPEND_EVERY_MS)
        self._timer.timeout.connect(self._flush)
        # Enter on a row, or a double-click: the keyboard opens a row as the mouse does.
        self.table.activated.connect(self._on_double_click)
        runner.done.connect(self._on_done)

    def show_through(self, proxy: QSortFilterProxyModel) -> None:
        """Show the model through ``proxy`` (a filter of the subclass's choice)."""
        proxy.setSourceModel(self.model)
        self.proxy = proxy
        self.table.setModel(proxy)
        self.columns = ColumnLayout(self.table, self.model, proxy, self._kind.name.lower())
        self.columns_button.clicked.connect(self.columns.open_dialog)

    def remember_columns(self, prefs: Preferences) -> None:
        """Lay the columns out as last time, and remember changes in ``prefs``."""
        self.model.names = self.details_enabled  # the name columns show before the first run
        if self.columns is not None:
            self.columns.use_preferences(prefs)

    def begin_run(self) -> Group:
        """A new group for a new run (the old one is cancelled); the table starts empty and
        fills at every tick from now on."""
        self.cancel()
        self.model.clear(self.details_enabled)
        self.exportable_changed.emit(False)
        self._group = self.runner.begin(self._kind)
        self._timer.start()
        return self._group

    def end_run(self) -> None:
        """The run is over: stop ticking."""
        self._timer.stop()

    # --- Page ----------------------------------------------------------------------------------

    def set_connection(self, connection: Connection) -> None:
        """Another server: the run in flight is cancelled and the table cleared."""
        if (connection.id, connection.base_url) != (self.connection.id, self.connection.base_url):
            self.cancel()
            self.model.clear(self.details_enabled)
            self.reset_view()
            self.exportable_changed.emit(False)
        self.connection = connection

    def can_export(self) -> bool:
        """True when the table has rows."""
        return self.model.rowCount() > 0

    def reset_view(self) -> None:
        """Back to "nothing yet" (subclasses reset their summary)."""

    # --- print ---------------------------------------------------------------------------------

    def report_title(self, shown: int) -> str:
        """The printed title (``shown``: the rows the filter keeps)."""
        raise NotImplementedError

    def report(self, when: datetime) -> Report | None:
        """The table as printed: the visible columns in their order, the rows the filter
        keeps as sorted, the connection and when (None: no rows)."""
        if self.model.rowCount() == 0:
            return None
        table = self.table.visible_table()
        shown, total = len(table) - 1, self.model.rowCount()
        meta = [f"Connection: {self.connection.caption}", printed_line(when)]
        if shown < total:
            meta.append(f"Showing {shown:,} of {total:,} rows ({self.filter_words()})")
        wide = [c.header for c in self.model.columns if c.key in WIDE_KEYS]
        return table_report(self.report_title(shown), meta, table, wide)

    def filter_words(self) -> str:
        """What the filter keeps, in words (for the printed report)."""
        return "filtered"

    @Slot()
    def cancel(self) -> None:
        """Stop the run in flight (rows so far stay)."""
        run = self.run
        if run is None or run.finished:
            return
        run.cancel()
        self._flush()

    @Slot(object)
    def _on_done(self, outcome: Outcome) -> None:
        if self.run is not None and outcome.ticket.group is self._group:
            self.run.on_outcome(outcome)

    @Slot()
    def _flush(self) -> None:
        raise NotImplementedError

    @Slot(QModelIndex)
    def _on_double_click(self, index: QModelIndex) -> None:
        row = self.table.row_at(index)
        if row is not None:
            self.open_row.emit(str(row.record.id) if row.record else row.input)
