"""The Search page: enrollments by class, learner (email or user id), class name, status and
creation date, filling page by page. One search is one group in the request runner."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from enroll_viewer.api.errors import AppError
from enroll_viewer.api.export import DETAIL_COLUMNS, detail_cells, wide_csv
from enroll_viewer.api.presentation import plural
from enroll_viewer.api.records import ENROLLMENT_STATUS, ClassEnrollment
from enroll_viewer.store.connection import Connection
from enroll_viewer.ui.pages.enrollment_table import ALL_COLUMNS, ROW_ROLE, SORT_ROLE
from enroll_viewer.ui.pages.page import ExportFile, ExportKind
from enroll_viewer.ui.pages.table import TablePage
from enroll_viewer.ui.printing.report import Report, printed_line, sign_in_sheet
from enroll_viewer.ui.widgets import messages
from enroll_viewer.ui.widgets.accessibility import announce, describe
from enroll_viewer.ui.widgets.banner import MessageBanner
from enroll_viewer.ui.widgets.tone import Tone
from enroll_viewer.work.batch import BatchRow, Found, RowOutcome
from enroll_viewer.work.rows import enrollment_json
from enroll_viewer.work.runner import GroupKind
from enroll_viewer.work.search import SearchRun, Stop, parse_filters

if TYPE_CHECKING:
    from enroll_viewer.ui.request_runner import RequestRunner

APPEND_EVERY_MS = 40
NO_DATE = QDate(2000, 1, 1)


class DateField(QDateEdit):
    """A date box that Tab leaves (a date edit uses Tab to walk its day, month and year, which
    traps a keyboard user; the arrow keys still move between them)."""

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt's names
        return QWidget.focusNextPrevChild(self, next)


class SearchPage(TablePage):
    """Find enrollments without an id (signals: :class:`TablePage`'s)."""

    def __init__(
        self, runner: RequestRunner, connection: Connection, parent: QWidget | None = None
    ) -> None:
        super().__init__(runner, connection, GroupKind.SEARCH, "Search results", False, parent)
        self.run: SearchRun | None = None
        self._buffer: list[Found] = []

        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.class_id = self._field(form, "&Class ID:", "Search class ID", "e.g. 4421")
        self.learner = self._field(
            form, "&Learner:", "Search learner", "email (ada@example.edu) or user id"
        )
        self.class_name = self._field(
            form, "Class &name:", "Search class name", "text in the class name"
        )
        self.status_box = QComboBox()
        self.status_box.setAccessibleName("Search status")
        self.status_box.addItem("Any", None)
        for code, label in ENROLLMENT_STATUS.items():
            self.status_box.addItem(label, code)
        status_label = QLabel("&Status:")
        status_label.setBuddy(self.status_box)
        dates = QHBoxLayout()
        self.created_after = self._date("Created after")
        self.created_before = self._date("Created before")
        after_label = QLabel("Created &after:")
        after_label.setBuddy(self.created_after)
        before_label = QLabel("&before:")
        before_label.setBuddy(self.created_before)
        dates.addWidget(self.status_box)
        dates.addSpacing(self.fontMetrics().horizontalAdvance("MM"))
        dates.addWidget(after_label)
        dates.addWidget(self.created_after)
        dates.addWidget(before_label)
        dates.addWidget(self.created_before)
        dates.addStretch(1)
        form.addRow(status_label, dates)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.search_button = QPushButton("Sea&rch")
        self.search_button.setAccessibleName("Search")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel search")
        self.cancel_button.setEnabled(False)
        self.summary = QLabel("No search yet.")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        describe(self.summary, "Search summary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons.addWidget(self.search_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.summary, 1)
        layout.addLayout(buttons)
        self.banner = MessageBanner("Search message")
        layout.addWidget(self.banner)
        self.learner_label = QLabel()
        self.learner_label.setTextFormat(Qt.TextFormat.PlainText)
        describe(self.learner_label, "Learner found")
        self.learner_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.learner_label.hide()
        layout.addWidget(self.learner_label)
        filter_row = QHBoxLayout()
        self.filter = QLineEdit()
        self.filter.setAccessibleName("Filter results")
        self.filter.setPlaceholderText("Filter the results (any column)")
        self.filter.setClearButtonEnabled(True)
        filter_row.addWidget(self.filter, 1)
        filter_row.addWidget(self.columns_button)
        layout.addLayout(filter_row)
        proxy = QSortFilterProxyModel(self)
        proxy.setSortRole(SORT_ROLE)
        proxy.setFilterKeyColumn(-1)
        proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.show_through(proxy)
        layout.addWidget(self.table, 1)
        for field in (self.class_id, self.learner, self.class_name):
            field.returnPressed.connect(self.start)
        self.search_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)

    def _field(self, form: QFormLayout, text: str, name: str, hint: str) -> QLineEdit:
        field = QLineEdit()
        field.setAccessibleName(name)
        field.setPlaceholderText(hint)
        field.setClearButtonEnabled(True)
        label = QLabel(text)
        label.setBuddy(field)
        form.addRow(label, field)
        return field

    def _date(self, name: str) -> QDateEdit:
        edit = DateField()
        edit.setAccessibleName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText("Any")  # the minimum date reads "Any": no date
        edit.setDate(NO_DATE)
        return edit

    def _date_text(self, edit: QDateEdit) -> str:
        return "" if edit.date() == NO_DATE else edit.date().toString("yyyy-MM-dd")

    # --- Page ----------------------------------------------------------------------------------

    def reset_view(self) -> None:
        """No search yet."""
        self.summary.setText("No search yet.")
        self.banner.hide()
        self.learner_label.hide()

    def on_escape(self) -> None:
        """Esc stops paging (or dismisses the message)."""
        if self.run is not None and not self.run.finished:
            self.cancel()
        else:
            self.banner.hide()

    def export_file(self, kind: ExportKind) -> ExportFile | None:
        """The results: CSV for Excel (BOM, a column per custom field), or JSON as the command
        line's ``search --json`` writes it."""
        rows = list(self.model.rows)
        if not rows:
            return None
        names = self.model.names
        if kind is ExportKind.JSON:
            found = [enrollment_json(r.found, self.connection, names) for r in rows if r.found]
            total = self.run.total_count if self.run else None
            data = {"Results": found, "Count": len(found), "TotalCount": total}
            return ExportFile("search.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        tail = DETAIL_COLUMNS if names else ()
        table: list[tuple[list[str], ClassEnrollment | None, list[str]]] = [
            ([], r.record, detail_cells(r.found.user, r.found.klass) if r.found and names else [])
            for r in rows
        ]
        return ExportFile("search.csv", wide_csv([], table, tail))

    # --- print ---------------------------------------------------------------------------------

    def report_title(self, shown: int) -> str:
        """``Class 4421 · Azure Fundamentals (AZ-900) · 265 enrollments`` for a class roster,
        else what was searched for and the count."""
        count = plural(shown, "enrollment")
        run = self.run
        if run is None:
            return count
        if run.filters.class_id is not None:
            name = run.klass.name if run.klass is not None and run.klass.name else ""
            return " · ".join(p for p in (f"Class {run.filters.class_id}", name, count) if p)
        learner = (run.learner.name or run.learner.email) if run.learner else None
        return f"{count} {run.filters.describe(learner)}"

    def filter_words(self) -> str:
        """The filter's text."""
        return f'filter: "{self.filter.text()}"'

    def can_sign_in(self) -> bool:
        """True when the table is a class roster (a search by class id) with rows."""
        run = self.run
        return run is not None and run.filters.class_id is not None and self.proxy.rowCount() > 0

    def sign_in_report(self, when: datetime) -> Report | None:
        """The roster as a sign-in sheet: the rows the filter keeps, as sorted."""
        if not self.can_sign_in():
            return None
        columns = [ALL_COLUMNS[k] for k in ("learner", "email", "enrollment_status")]
        rows = []
        for at in range(self.proxy.rowCount()):
            row = self.proxy.index(at, 0).data(ROW_ROLE)
            if isinstance(row, BatchRow):
                rows.append(tuple(c.text(row) for c in columns))
        title = self.report_title(len(rows)).rsplit(" · ", 1)[0]
        return sign_in_sheet(title, [f"Connection: {self.connection.caption}", printed_line(when)],
                             rows)  # fmt: skip

    # --- running -------------------------------------------------------------------------------

    @Slot()
    def start(self) -> None:
        """Search with what the fields say (a new search replaces the table)."""
        status = self.status_box.currentData()
        try:
            filters = parse_filters(
                self.class_id.text(),
                self.learner.text(),
                self.class_name.text(),
                "" if status is None else str(status),
                self._date_text(self.created_after),
                self._date_text(self.created_before),
            )
        except AppError as exc:
            self.banner.show_spec(messages.BannerSpec(exc.title, exc.message, Tone.WARN))
            return
        group = self.begin_run()
        self.banner.hide()
        self.learner_label.hide()
        self.run = SearchRun(
            filters,
            self.connection,
            lambda job: self.runner.submit(job, group),  # type: ignore[arg-type]
            self._buffer.append,
            details=self.details_enabled,
        )
        self.summary.setText(f"Searching {filters.describe()}…")
        self.search_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.run.start()

    @Slot()
    def _flush(self) -> None:
        run = self.run
        found, self._buffer[:] = list(self._buffer), []
        if found:
            start = self.model.rowCount()
            self.model.append(
                [
                    BatchRow(start + n, str(f.record.id), RowOutcome.FOUND, None, f)
                    for n, f in enumerate(found)
                ]
            )
            self.exportable_changed.emit(True)
        if run is None:
            return
        learner = run.learner
        if learner is not None and self.learner_label.isHidden():
            self.learner_label.setText(f"Learner {learner.id}: {learner.summary()}")
            self.learner_label.show()
        if not run.finished:
            self.summary.setText(f"{run.summary()} · page {run.pages + 1}…")
            return
        self.end_run()
        self.search_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        summary = run.summary()
        if run.stopped is Stop.CANCELLED:
            summary = f"Stopped: {summary}"
        self.summary.setText(summary)
        if run.error is not None:
            self.banner.show_spec(messages.for_error(run.error))
        elif run.cut:
            self.banner.show_message(
                "List cut",
                f"The list was cut at {run.limit:,} enrollments; narrow the search by status "
                "or dates.",
                Tone.INFO,
            )
        announce(self.summary, f"Search done: {summary}")
        self.status.emit(f"Search done: {summary}")
        self.finished.emit(summary)
