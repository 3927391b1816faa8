"""The Batch page: paste ids (or open or drop a file), look them all up, watch the table fill.

One batch is one group in the request runner; it uses all workers but one, so a lookup on the
Lookup page still goes through at once. Rows reach the table in input order, a few at a time
(every 40 ms), so the window keeps repainting while a thousand arrive.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from enroll_viewer.api.export import DETAIL_COLUMNS, detail_cells, wide_csv
from enroll_viewer.store.connection import Connection
from enroll_viewer.ui.pages.enrollment_table import (
    OUTCOME_WORDS,
    OutcomeFilter,
)
from enroll_viewer.ui.pages.page import ExportFile, ExportKind
from enroll_viewer.ui.pages.table import TablePage
from enroll_viewer.ui.widgets import dialogs
from enroll_viewer.ui.widgets.accessibility import announce, describe
from enroll_viewer.work.batch import BatchRow, RowOutcome, read_inputs
from enroll_viewer.work.batch_run import BatchRun
from enroll_viewer.work.rows import enrollment_json
from enroll_viewer.work.runner import GroupKind

if TYPE_CHECKING:
    from enroll_viewer.ui.request_runner import RequestRunner

APPEND_EVERY_MS = 40
MAX_FILE_BYTES = 8 * 1024 * 1024


class BatchPage(TablePage):
    """Many ids at once (signals: :class:`TablePage`'s)."""

    def __init__(
        self, runner: RequestRunner, connection: Connection, parent: QWidget | None = None
    ) -> None:
        super().__init__(runner, connection, GroupKind.BATCH, "Batch results", True, parent)
        self.run: BatchRun | None = None
        self._buffer: list[BatchRow] = []
        self.setAcceptDrops(True)

        layout = QVBoxLayout(self)
        label = QLabel("Ids to look up (one per line, or paste a column; drop a file here):")
        layout.addWidget(label)
        self.ids = QPlainTextEdit()
        self.ids.setAccessibleName("Batch ids")
        self.ids.setTabChangesFocus(True)  # Tab leaves the box (ids go one per line)
        self.ids.setPlaceholderText("10\n11\nE3G5YZFREFEQ9371\n…")
        self.ids.setMaximumHeight(self.fontMetrics().height() * 7)
        label.setBuddy(self.ids)
        layout.addWidget(self.ids)
        buttons = QHBoxLayout()
        self.open_button = QPushButton("&Open file…")
        self.open_button.setAccessibleName("Open ids file")
        self.start_button = QPushButton("Look &up all")
        self.start_button.setAccessibleName("Look up all")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel batch")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Batch progress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        for widget in (self.open_button, self.start_button, self.cancel_button):
            buttons.addWidget(widget)
        buttons.addWidget(self.progress, 1)
        layout.addLayout(buttons)

        results = QHBoxLayout()
        self.summary = QLabel("No batch yet.")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        describe(self.summary, "Batch summary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.filter = QComboBox()
        self.filter.setAccessibleName("Show outcome")
        self.filter.addItem("All rows", None)
        for outcome, word in OUTCOME_WORDS.items():
            self.filter.addItem(word, outcome)
        show = QLabel("&Show:")
        show.setBuddy(self.filter)
        results.addWidget(self.summary, 1)
        results.addWidget(show)
        results.addWidget(self.filter)
        results.addWidget(self.columns_button)
        layout.addLayout(results)
        self.outcomes = OutcomeFilter(self)
        self.show_through(self.outcomes)
        layout.addWidget(self.table, 1)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.open_button.clicked.connect(self.open_file)
        self.filter.currentIndexChanged.connect(self._on_filter)

    # --- Page ----------------------------------------------------------------------------------

    def reset_view(self) -> None:
        """No batch yet."""
        self.summary.setText("No batch yet.")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)

    def on_escape(self) -> None:
        """Esc cancels a running batch."""
        self.cancel()

    def export_file(self, kind: ExportKind) -> ExportFile | None:
        """The rows: CSV for Excel (BOM, a column per custom field), or JSON as the command
        line's ``lookup --json`` writes a batch."""
        rows = list(self.model.rows)
        if not rows:
            return None
        if kind is ExportKind.JSON:
            items = [
                {
                    "Input": row.input,
                    "Outcome": row.outcome.value,
                    "Error": row.error,
                    "Enrollment": (
                        enrollment_json(row.found, self.connection, self.model_names)
                        if row.found
                        else None
                    ),
                }
                for row in rows
            ]
            text = json.dumps({"Items": items}, indent=2, ensure_ascii=False) + "\n"
            return ExportFile("batch.json", text)
        tail = DETAIL_COLUMNS if self.model_names else ()
        table = [
            (
                [row.input, row.outcome.value, row.error or ""],
                row.record,
                detail_cells(row.found.user, row.found.klass)
                if row.found and self.model_names
                else [""] * len(tail),
            )
            for row in rows
        ]
        return ExportFile("batch.csv", wide_csv(["Input", "Outcome", "Error"], table, tail))

    def report_title(self, shown: int) -> str:
        """``Batch · 1,000 looked up · 992 found · …`` (the summary line)."""
        run = self.run
        return f"Batch · {run.summary()}" if run is not None else "Batch"

    def filter_words(self) -> str:
        """The outcome the table shows."""
        return f"outcome: {self.filter.currentText()}"

    @property
    def model_names(self) -> bool:
        """Whether the rows carry learner and class names."""
        return self.model.names

    # --- running -------------------------------------------------------------------------------

    @Slot()
    def start(self) -> None:
        """Look up every id in the box (a new batch replaces the table)."""
        inputs = list(read_inputs(self.ids.toPlainText().splitlines()))
        if not inputs:
            self.status.emit("Paste or open some ids first.")
            return
        group = self.begin_run()
        self.run = BatchRun(
            inputs,
            self.connection,
            lambda job: self.runner.submit(job, group),
            self._take_row,
            lambda: self.runner.cancel_group(group),
            in_flight=max(1, self.runner.size - 1),
            details=self.details_enabled,
            total=len(inputs),
        )
        self.progress.setRange(0, len(inputs))
        self.progress.setValue(0)
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.run.start()
        self._flush()

    @Slot()
    def cancel(self) -> None:
        """Stop the batch in flight (rows so far stay)."""
        run = self.run
        if run is None or run.finished:
            return
        super().cancel()
        self.summary.setText(f"Cancelled: {run.summary()}")
        self.status.emit("Batch cancelled.")

    def _take_row(self, row: BatchRow) -> None:
        self._buffer.append(row)  # shown at the next flush, with the rows that follow

    @Slot()
    def _flush(self) -> None:
        run = self.run
        rows, self._buffer = self._buffer, []
        if rows:
            self.model.append(rows)
            self.exportable_changed.emit(True)
        if run is None:
            return
        self.progress.setValue(run.counts.done)
        paused = run.throttle.paused_for
        note = f" · server busy: paused {paused:.0f} s" if paused > 0.5 else ""
        if not run.finished:
            self.summary.setText(run.counts.progress() + note)
            return
        self.end_run()
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if not run.cancelled:
            self.progress.setValue(self.progress.maximum())
            summary = run.summary()
            if run.stopped_by is not None:
                summary += f" · stopped: {run.stopped_by.title}"
            self.summary.setText(summary)
            announce(self.summary, f"Batch done: {summary}")
            self.status.emit(f"Batch done: {summary}")
            self.finished.emit(summary)

    # --- input ---------------------------------------------------------------------------------

    @Slot()
    def open_file(self) -> None:
        """Open file…: a list of ids (text, CSV or TSV) into the box."""
        path = dialogs.ask_open_path(self, "Open ids", "Ids (*.txt *.csv *.tsv);;All files (*)")
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        """Put the ids of ``path`` in the box (refusing very large or non-text files)."""
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                self.status.emit(f"{path.name} is larger than 8 MB; use the command line.")
                return
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or "not UTF-8 text"
            self.status.emit(f"Cannot read {path.name}: {reason}.")
            return
        self.ids.setPlainText("\n".join(read_inputs(text.splitlines())))
        self.status.emit(f"Read {path.name}.")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            self.load_file(Path(files[0]))
            event.acceptProposedAction()

    @Slot(int)
    def _on_filter(self, index: int) -> None:
        outcome = self.filter.itemData(index)
        self.outcomes.show_only(outcome if isinstance(outcome, RowOutcome) else None)
