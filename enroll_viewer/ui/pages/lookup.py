"""The Lookup page: the id bar, the message banner, and the record (or the empty state).

One lookup and its two detail fetches (learner, class) form one group in the request runner:
a new lookup, Esc, or a switch of connection cancels the whole group, and a late answer of a
cancelled group never arrives here. The record view is built on first use, so the window's
first paint does not wait for it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QLabel,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from enroll_viewer.api.app_links import app_link
from enroll_viewer.api.errors import AppError, InvalidInput
from enroll_viewer.api.links import class_link, enrollment_link, user_link
from enroll_viewer.api.records import (
    ClassDetails,
    ClassEnrollment,
    LookupKey,
    LookupKind,
    UserDetails,
)
from enroll_viewer.api.validation import parse_lookup_input
from enroll_viewer.store.connection import Connection
from enroll_viewer.ui.pages.empty_state import EmptyState
from enroll_viewer.ui.pages.lookup_bar import LookupBar
from enroll_viewer.ui.pages.page import ExportFile, ExportKind, Page
from enroll_viewer.ui.widgets import messages
from enroll_viewer.ui.widgets.accessibility import describe
from enroll_viewer.ui.widgets.banner import MessageBanner
from enroll_viewer.work.jobs import ClassJob, LookupJob, UserJob
from enroll_viewer.work.runner import Group, GroupKind, Outcome, Ticket

if TYPE_CHECKING:
    from datetime import datetime

    from enroll_viewer.store.preferences import Preferences
    from enroll_viewer.ui.pages.record_view import RecordLinks, RecordView
    from enroll_viewer.ui.printing.report import Report
    from enroll_viewer.ui.request_runner import RequestRunner

log = logging.getLogger(__name__)

USER, CLASS = "user", "class"


class LookupPage(Page):
    """Look up one enrollment and show it.

    Signals (besides :class:`Page`'s):
        lookup_done(Outcome): a lookup ended, found or failed (after the page showed it).
        record_shown(int): a record was painted (its enrollment id); used by benchmarks.
        details_shown(str): the learner ("user") or class detail was filled in or failed.
        busy_changed(bool): a lookup started (True) or ended / was cancelled (False).
        history_changed(): the recent ids changed.
        settings_wanted(): the banner's "Add API key…" or "Change API key…" was pressed.
        open_link(str): a TMS link was clicked.
    """

    lookup_done = Signal(object)
    record_shown = Signal(int)
    details_shown = Signal(str)
    busy_changed = Signal(bool)
    history_changed = Signal()
    settings_wanted = Signal()
    open_link = Signal(str)

    def __init__(
        self,
        runner: RequestRunner,
        prefs: Preferences,
        connection: Connection,
        bar: LookupBar,
        empty: EmptyState,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.prefs = prefs
        self.connection = connection
        self.details_enabled = prefs.details_enabled()
        self._group: Group | None = None
        self._lookup: Ticket | None = None
        self._in_flight: LookupKey | None = None
        self._last_key: LookupKey | None = None
        self._record: ClassEnrollment | None = None
        self._cache: dict[tuple[str, str, int], UserDetails | ClassDetails] = {}
        self._record_view: RecordView | None = None

        # The bar and the empty state come from the first paint, perhaps already typed into.
        layout = QVBoxLayout(self)
        self.bar = bar
        self.id_field = self.bar.id_field
        self.lookup_button = self.bar.lookup_button
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Looking up")
        self.busy.setMaximumWidth(self.fontMetrics().horizontalAdvance("M" * 6))
        self.busy.setMaximumHeight(self.fontMetrics().height() // 2 + 2)
        self.busy.hide()
        self.bar.row.addWidget(self.busy)
        layout.addWidget(self.bar)

        self.hint = QLabel()
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        describe(self.hint, "Input hint")
        self.hint.hide()
        self._hint_timer = QTimer(self)
        self._hint_timer.setSingleShot(True)
        self._hint_timer.setInterval(4000)
        self._hint_timer.timeout.connect(self.hint.hide)
        layout.addWidget(self.hint)
        self.banner = MessageBanner("Message")
        layout.addWidget(self.banner)
        self.stack = QStackedWidget()
        self.empty = empty
        empty.finish_setup()
        self._empty_page = self.empty  # its list scrolls itself: no focus stop around it
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)

        self.id_field.returnPressed.connect(self.look_up)
        self.id_field.refused.connect(self.show_hint)
        self.lookup_button.clicked.connect(self._on_button)
        self.banner.action_clicked.connect(self._on_banner_action)
        self.empty.chosen.connect(self._on_chosen)
        runner.done.connect(self._on_done)
        self.refresh_empty_state()

    # --- what is shown -------------------------------------------------------------------------

    @property
    def record(self) -> ClassEnrollment | None:
        """The record on screen, if any."""
        return self._record

    @property
    def is_busy(self) -> bool:
        """True while a lookup is in flight."""
        return self._lookup is not None

    @property
    def record_view(self) -> RecordView:
        """The record view (built on first use)."""
        if self._record_view is None:
            from enroll_viewer.ui.pages.record_view import RecordView  # noqa: PLC0415

            self._record_view = RecordView()
            self._record_view.open_link.connect(self.open_link)
            self._record_view.link_copied.connect(self._on_link_copied)
            self.stack.addWidget(self._record_view)
        return self._record_view

    def build_record_view(self) -> None:
        """Build the record view now (after the first paint, while the user reads)."""
        _ = self.record_view

    def refresh_empty_state(self) -> None:
        """Ids to try: the demo's, or this connection's recent ones."""
        if self.connection.is_demo:
            from enroll_viewer.ui.pages.demo_ids import GROUPS  # noqa: PLC0415

            self.empty.show_demo(GROUPS)
        else:
            self.empty.show_recent(self.connection.name, self.prefs.recent_ids(self.connection.id))

    @Slot(str)
    def show_hint(self, text: str) -> None:
        """A short note under the id field (for a few seconds)."""
        self.hint.setText(text)
        self.hint.show()
        self._hint_timer.start()

    def show_banner(self, spec: messages.BannerSpec) -> None:
        """Show a message in the page's banner."""
        self.banner.show_spec(spec)

    def clear(self) -> None:
        """Back to the empty state: no record, no message."""
        self._set_record(None)
        self.banner.hide()

    def _set_record(self, record: ClassEnrollment | None) -> None:
        self._record = record
        if record is None:
            if self._record_view is not None:
                self._record_view.show_record(None)
                self._record_view.setEnabled(True)
            self.refresh_empty_state()
            self.stack.setCurrentWidget(self._empty_page)
        else:
            view = self.record_view
            view.show_record(
                record,
                _record_links(self.connection, record),
            )
            view.setEnabled(True)
            self.stack.setCurrentWidget(view)
        self.exportable_changed.emit(record is not None)

    # --- connection ----------------------------------------------------------------------------

    def set_connection(self, connection: Connection) -> None:
        """Use ``connection`` from now on. Another server cancels what is in flight and clears
        the page; the same server with other settings (timeout, proxy) keeps the record."""
        same_server = (connection.id, connection.base_url) == (
            self.connection.id,
            self.connection.base_url,
        )
        self.connection = connection
        if same_server:
            return
        self.cancel(quiet=True)
        self.clear()

    def set_details_enabled(self, enabled: bool) -> None:
        """Fetch learner and class names from now on (or not)."""
        self.details_enabled = enabled

    # --- lookups -------------------------------------------------------------------------------

    @Slot()
    def look_up(self) -> None:
        """Look up what the field holds (Enter, or the button while idle)."""
        try:
            key = parse_lookup_input(self.id_field.text())
        except InvalidInput as exc:
            self.show_hint(exc.message)
            return
        if self.is_busy and key == self._in_flight:
            return  # a second Enter for the same id while it is in flight
        self.hint.hide()
        self.banner.hide()  # a banner belongs to one lookup
        self._in_flight = key
        self._last_key = key
        self._group = self.runner.begin(GroupKind.LOOKUP)
        if self._record_view is not None:
            self._record_view.setEnabled(False)  # the old record is greyed until the answer
        how = "" if key.kind is LookupKind.ID else " by external id"
        self.status.emit(f"Looking up {key.describe()}{how}…")
        self._lookup = self.runner.submit(LookupJob(self.connection, key), self._group)
        self._set_busy(True)

    @Slot()
    def _on_button(self) -> None:
        if self.is_busy:
            self.cancel()
        else:
            self.look_up()

    @Slot(str)
    def _on_chosen(self, text: str) -> None:
        self.id_field.setText(text)
        self.look_up()

    def look_up_text(self, text: str) -> None:
        """Put ``text`` in the field and look it up (history, other pages)."""
        self._on_chosen(text)

    def cancel(self, quiet: bool = False) -> None:
        """Cancel the lookup (and its detail fetches); the page is idle at once."""
        if self._group is not None:
            self.runner.cancel_group(self._group)
        if self.is_busy:
            self._set_busy(False)
            if self._record_view is not None:
                self._record_view.setEnabled(True)
            if not quiet:
                self.status.emit("Lookup cancelled.")

    def on_escape(self) -> None:
        """Esc: cancel a lookup in flight, otherwise dismiss the message."""
        if self.is_busy:
            self.cancel()
        else:
            self.banner.hide()
            self.hint.hide()

    def focus_id(self) -> None:
        """Ctrl+L: focus the id field and select its text."""
        self.id_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.id_field.selectAll()

    def _set_busy(self, busy: bool) -> None:
        if not busy:
            self._lookup = None
            self._in_flight = None
        self.busy.setVisible(busy)
        self.lookup_button.setText("Cancel" if busy else "Look up")
        self.lookup_button.setAccessibleName("Cancel" if busy else "Look up")
        self.busy_changed.emit(busy)

    @Slot(object)
    def _on_done(self, outcome: Outcome) -> None:
        if self._group is None or outcome.ticket.group is not self._group:
            return
        if isinstance(outcome.job, LookupJob):
            if outcome.ticket is self._lookup:
                self._on_lookup(outcome)
                self.lookup_done.emit(outcome)
        elif isinstance(outcome.job, (UserJob, ClassJob)):
            self._on_detail(outcome)

    def _on_lookup(self, outcome: Outcome) -> None:
        self._set_busy(False)
        key: LookupKey = outcome.job.key
        if outcome.error is not None:
            self._show_error(key, outcome.error)
            return
        record: ClassEnrollment = outcome.value
        self._set_record(record)
        self._request_details(record)
        self.prefs.add_recent_id(self.connection.id, record.id)
        self.history_changed.emit()
        count = len(record.custom_fields)
        how = f" · found by external id {key.value}" if key.kind is LookupKind.EXTERNAL else ""
        self.status.emit(
            f"Enrollment {record.id}{how} · {count} custom field{'s' if count != 1 else ''} · "
            f"answered in {outcome.elapsed_ms:.0f} ms"
        )
        self.record_shown.emit(record.id)

    def _show_error(self, key: LookupKey, error: AppError) -> None:
        self._set_record(None)
        self.status.emit(f"Lookup of {key.describe()} failed.")
        self.show_banner(messages.for_error(error, key))

    def _request_details(self, record: ClassEnrollment) -> None:
        view = self.record_view
        view.show_details_pending(self.details_enabled)
        if not self.details_enabled or self._group is None:
            return
        for kind, ident in ((USER, record.user_id), (CLASS, record.class_id)):
            if ident is None:
                view.show_detail_problem(kind, "the enrollment has no id for it")
                continue
            cached = self._cache.get((self.connection.id, kind, ident))
            if cached is not None:
                self._show_detail(kind, cached)
                continue
            job = (
                UserJob(self.connection, ident)
                if kind == USER
                else ClassJob(self.connection, ident)
            )
            self.runner.submit(job, self._group)

    def _on_detail(self, outcome: Outcome) -> None:
        kind = USER if isinstance(outcome.job, UserJob) else CLASS
        record = self._record
        ident = outcome.job.user_id if kind == USER else outcome.job.class_id
        wanted = (
            record.user_id if (record and kind == USER) else (record.class_id if record else None)
        )
        if record is None or ident != wanted:
            return  # an answer for a record no longer on screen
        if outcome.error is not None:
            self.record_view.show_detail_problem(kind, outcome.error.message)
        else:
            self._cache[(outcome.job.connection.id, kind, ident)] = outcome.value
            self._show_detail(kind, outcome.value)
            return
        self.details_shown.emit(kind)

    def _show_detail(self, kind: str, details: UserDetails | ClassDetails) -> None:
        if isinstance(details, UserDetails):
            self.record_view.show_user(details)
        else:
            self.record_view.show_class(details)
        self.details_shown.emit(kind)

    def can_export(self) -> bool:
        """True while a record is shown."""
        return self._record is not None

    def export_file(self, kind: ExportKind) -> ExportFile | None:
        """The record as JSON (as ``lookup --json`` prints it) or as Field/Value CSV."""
        from enroll_viewer.api.export import record_fields_csv, record_json  # noqa: PLC0415
        from enroll_viewer.api.links import links_json  # noqa: PLC0415

        record = self._record
        if record is None:
            return None
        if kind is ExportKind.JSON:
            text = record_json(record, {"Links": links_json(self.connection, record)})
            return ExportFile(f"enrollment-{record.id}.json", text)
        return ExportFile(f"enrollment-{record.id}.csv", record_fields_csv(record))

    def report(self, when: datetime) -> Report | None:
        """The record to print: with the learner's and class's names when known."""
        from enroll_viewer.ui.printing.report import record_report  # noqa: PLC0415

        record = self._record
        if record is None:
            return None
        user = self._cache.get((self.connection.id, USER, record.user_id or 0))
        klass = self._cache.get((self.connection.id, CLASS, record.class_id or 0))
        return record_report(
            record,
            user if isinstance(user, UserDetails) else None,
            klass if isinstance(klass, ClassDetails) else None,
            self.connection.caption,
            when,
        )

    def copy_text(self) -> str | None:
        """The record as readable text (Copy record as text)."""
        from enroll_viewer.api.presentation import record_as_text  # noqa: PLC0415

        return record_as_text(self._record) if self._record is not None else None

    @Slot(str)
    def _on_link_copied(self, link: str) -> None:
        self.status.emit(f"Copied {link}")

    @Slot(object)
    def _on_banner_action(self, action: messages.Action) -> None:
        if action.opens_settings:
            self.settings_wanted.emit()
        elif action is messages.Action.RETRY and self._last_key is not None:
            self.id_field.setText(self._last_key.value)
            self.look_up()


def _record_links(connection: Connection, record: ClassEnrollment) -> RecordLinks:
    from enroll_viewer.ui.pages.record_view import RecordLinks  # noqa: PLC0415

    return RecordLinks(
        enrollment_link(connection, record.id),
        user_link(connection, record.user_id),
        class_link(connection, record.class_id),
        app_link(record.id, connection.name),
    )
