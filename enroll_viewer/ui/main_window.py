"""The window: menus, the connection switcher, the key notice, the pages, the status bar.

Pages (Lookup, Batch, Search) each live in their own module; this shell routes the shared
things to them: the active connection, key state, Settings, export, history, closing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from enroll_viewer import APP_NAME
from enroll_viewer.connection import Connection, Connections
from enroll_viewer.errors import KeyIssue
from enroll_viewer.jobs import Diagnostics, DiagnosticsJob, KeyChangeJob, KeyState, KeyStateJob
from enroll_viewer.runner import Group, GroupKind, Outcome
from enroll_viewer.ui import dialogs, messages
from enroll_viewer.ui.banner import MessageBanner
from enroll_viewer.ui.batch_page import BatchPage
from enroll_viewer.ui.connection_bar import ConnectionBar
from enroll_viewer.ui.lookup_page import LookupPage
from enroll_viewer.ui.messages import Tone
from enroll_viewer.ui.page import ExportKind, Page
from enroll_viewer.ui.search_page import SearchPage
from enroll_viewer.ui.settings_flow import Applied, SettingsFlow
from enroll_viewer.ui.window_menus import WindowMenus, window_facts

if TYPE_CHECKING:
    from enroll_viewer.request_runner import RequestRunner
    from enroll_viewer.settings import Preferences
    from enroll_viewer.ui.settings_dialog import SettingsDialog
    from enroll_viewer.ui.settings_values import SettingsResult

log = logging.getLogger(__name__)

DemoStarter = Callable[[Connection], Connection]


class MainWindow(QMainWindow):
    """The main window. It talks to the request runner only (no network, no keyring).

    Signals:
        key_state_changed(KeyState): what is known of the active connection's key.
        connection_changed(Connection): another connection is active.
    """

    key_state_changed = Signal(object)
    connection_changed = Signal(object)

    def __init__(
        self,
        runner: RequestRunner,
        prefs: Preferences,
        connections: Connections,
        connection: Connection,
        start_demo: DemoStarter | None = None,
        log_folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.prefs = prefs
        self.connections = connections
        self.connection = connection
        self._start_demo = start_demo
        self.log_folder = log_folder
        self.key_state: KeyState | None = None
        self._keys: Group | None = None
        self._settings_group = runner.begin(GroupKind.SETTINGS)
        self._asked_for_key = False
        self._closed = False
        self.setWindowIcon(QGuiApplication.windowIcon() or QIcon())

        central = QWidget()
        layout = QVBoxLayout(central)
        self.connection_bar = ConnectionBar()
        layout.addWidget(self.connection_bar)
        self.notice = MessageBanner("Key notice")
        layout.addWidget(self.notice)

        self.lookup = LookupPage(runner, prefs, connection)
        self.pages = QTabWidget()
        self.pages.setAccessibleName("Pages")
        self.pages.tabBar().setAccessibleName("Pages")
        self.pages.setDocumentMode(True)
        self.pages.addTab(self.lookup, "&Lookup")
        self.batch = BatchPage(runner, connection)
        self.pages.addTab(self.batch, "&Batch")
        self.search = SearchPage(runner, connection)
        self.pages.addTab(self.search, "&Search")
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.status_text = QLabel()
        self.status_text.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addWidget(self.status_text, 1)

        self.menus = WindowMenus(self)
        self._fill_connections()
        self.setTabOrder(self.lookup.id_field, self.lookup.lookup_button)
        self.setTabOrder(self.lookup.lookup_button, self.connection_bar.box)

        self.connection_bar.chosen.connect(self._on_connection_chosen)
        self.notice.action_clicked.connect(self._on_notice_action)
        self.pages.currentChanged.connect(self._on_page_changed)
        self.lookup.history_changed.connect(self._refresh_history)
        self.lookup.settings_wanted.connect(self.open_settings)
        self.lookup.open_link.connect(self.open_link)
        for page in self.all_pages:
            page.status.connect(self.status_text.setText)
            page.exportable_changed.connect(self._set_record_actions)
        for table_page in (self.batch, self.search):
            table_page.open_row.connect(self._open_on_lookup)
            table_page.details_enabled = self.lookup.details_enabled
        runner.done.connect(self._on_done)
        self.settings = SettingsFlow(self, runner, prefs)
        self.settings.applied.connect(self._on_settings_applied)
        self.settings.failed.connect(self._on_settings_failed)
        self._refresh_history()
        self._show_connection()

        geometry = prefs.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(self.default_size())
        self.lookup.id_field.setFocus()

    # --- what tests and pages reach ----------------------------------------------------------

    @property
    def id_field(self) -> Any:
        """The Lookup page's id field."""
        return self.lookup.id_field

    @property
    def all_pages(self) -> tuple[Page, ...]:
        """Lookup, Batch and Search."""
        return (self.lookup, self.batch, self.search)

    def look_up(self) -> None:
        """Look up what the id field holds."""
        self.lookup.look_up()

    def default_size(self) -> QSize:
        """Room for every field and a dozen custom fields, within 90 % of the screen."""
        metrics = self.fontMetrics()
        wanted = QSize(metrics.horizontalAdvance("M") * 84, metrics.height() * 54)
        screen = self.screen()
        if screen is not None:
            wanted = wanted.boundedTo(screen.availableGeometry().size() * 0.9)
        return wanted

    def finish_setup(self) -> None:
        """What the first paint does not need: the key state, then the record view."""
        self.check_key()
        QTimer.singleShot(0, self.lookup.build_record_view)

    # --- connections -------------------------------------------------------------------------

    def _fill_connections(self) -> None:
        self.connection_bar.set_connections(self.connections.items, self.connection)

    def _show_connection(self) -> None:
        self.connection_bar.show_connection(self.connection)
        name = "DEMO" if self.connection.is_demo else self.connection.name
        self.setWindowTitle(f"{APP_NAME} — {name}")

    @Slot(str)
    def _on_connection_chosen(self, ident: str) -> None:
        chosen = next((c for c in self.connections.items if c.id == ident), None)
        if chosen is not None and chosen.id != self.connection.id:
            self.switch_connection(chosen)

    def switch_connection(self, connection: Connection) -> None:
        """Make ``connection`` active: everything in flight is cancelled (its answers are
        dropped), pages start over, and the key for it is checked."""
        if connection.is_demo and not connection.base_url and self._start_demo is not None:
            connection = self._start_demo(connection)
        self.runner.cancel_all()
        self._settings_group = self.runner.begin(GroupKind.SETTINGS)
        self.connection = connection
        self.prefs.set_active_connection(connection.id)
        self._fill_connections()
        self._show_connection()
        self.notice.hide()
        for page in self.all_pages:
            page.set_connection(connection)
        self._refresh_history()
        self.connection_changed.emit(connection)
        self.status_text.setText(f"Connected to {connection.caption}.")
        self.check_key()

    def check_key(self) -> None:
        """Ask (off the GUI thread) whether a key is available for the active connection."""
        self._keys = self.runner.begin(GroupKind.KEYS)
        self.runner.submit(KeyStateJob(self.connection), self._keys)

    @Slot(object)
    def _on_done(self, outcome: Outcome) -> None:
        job = outcome.job
        if isinstance(job, KeyStateJob):
            if outcome.value is not None:
                self._on_key_state(job.connection, outcome.value)
        elif isinstance(job, KeyChangeJob):
            if outcome.value is not None:
                self._on_key_state(job.connection, outcome.value)
            elif outcome.error is not None:
                self.notice.show_spec(messages.for_error(outcome.error))
        elif isinstance(job, DiagnosticsJob) and isinstance(outcome.value, Diagnostics):
            self._show_diagnostics(outcome.value)

    def _on_key_state(self, connection: Connection, state: KeyState) -> None:
        self.settings.show_key_state(state)
        if connection.id != self.connection.id:
            return
        self.key_state = state
        if state.error is not None:
            self.notice.show_spec(messages.for_error(state.error))
        elif not state.available:
            self.notice.show_spec(messages.no_key(state, connection), dismissable=False)
        elif (spec := messages.session_notice(state)) is not None:
            self.notice.show_spec(spec, dismissable=False)
        else:
            self.notice.hide()
        self.key_state_changed.emit(state)
        first_key = state.issue in (None, KeyIssue.NO_KEYRING)
        if not state.available and first_key and not self._asked_for_key:
            self._asked_for_key = True
            QTimer.singleShot(0, self.open_settings)

    @Slot(object)
    def _on_notice_action(self, action: messages.Action) -> None:
        if action is messages.Action.CHANGE_KEY:
            self.open_settings()
        elif action is messages.Action.RETRY:
            self.runner.keystore.forget_cached(self.connection.id)
            self.check_key()

    # --- settings ----------------------------------------------------------------------------

    @property
    def settings_dialog(self) -> SettingsDialog | None:
        """The open Settings dialog, if any."""
        return self.settings.dialog

    @Slot()
    def open_settings(self) -> None:
        """Open Settings on the active connection."""
        self.settings.open(
            self.connections,
            self.connection,
            self.lookup.details_enabled,
            self._settings_group,
            self.key_state,
        )

    def apply_settings(self, result: SettingsResult) -> None:
        """Apply what Settings collected (as Save does)."""
        self.settings.group = self._settings_group
        self.settings.apply(self.connections, result)

    @Slot(str)
    def _on_settings_failed(self, text: str) -> None:
        self.notice.show_message("Settings not saved", text, Tone.BAD)

    @Slot(object)
    def _on_settings_applied(self, applied: Applied) -> None:
        self.connections = applied.connections
        self.lookup.set_details_enabled(applied.details)
        self.batch.details_enabled = self.search.details_enabled = applied.details
        active = next((c for c in applied.connections.items if c.id == self.connection.id), None)
        if self.connection.is_demo:
            active = self.connection
        if active is None:
            self.switch_connection(applied.connections.default_connection)
            return
        self._fill_connections()
        if active.base_url != self.connection.base_url:
            self.switch_connection(active)
            return
        self.connection = active
        for page in self.all_pages:
            page.set_connection(active)
        self._show_connection()
        if not applied.keys_changed:
            self.check_key()

    # --- history, copy, export -----------------------------------------------------------------

    @Slot()
    def _refresh_history(self) -> None:
        ids = self.prefs.recent_ids(self.connection.id)
        self.menus.set_history(ids, self._on_history_action)
        self.lookup.id_field.set_history(ids)
        if self.lookup.record is None:
            self.lookup.refresh_empty_state()

    @Slot(str)
    def _open_on_lookup(self, text: str) -> None:
        self.pages.setCurrentWidget(self.lookup)
        self.lookup.look_up_text(text)

    @Slot()
    def _on_history_action(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.pages.setCurrentWidget(self.lookup)
            self.lookup.look_up_text(str(action.data()))

    @Slot()
    def clear_history(self) -> None:
        """Forget the recent ids of the active connection."""
        self.prefs.clear_history(self.connection.id)
        self.prefs.sync()
        self._refresh_history()
        self.status_text.setText("History cleared.")

    @Slot(bool)
    def _set_record_actions(self, enabled: bool) -> None:
        self.menus.copy_text.setEnabled(self.lookup.can_export())
        self.menus.copy_json.setEnabled(self.lookup.can_export())
        page = self.pages.currentWidget()
        can = isinstance(page, Page) and page.can_export()
        self.menus.export_json.setEnabled(can)
        self.menus.export_csv.setEnabled(can)

    @Slot()
    def copy_record_text(self) -> None:
        """Ctrl+Shift+C: the record as readable text."""
        text = self.lookup.copy_text()
        if text is not None:
            QGuiApplication.clipboard().setText(text)
            self.status_text.setText("Record copied as text.")

    @Slot()
    def copy_record_json(self) -> None:
        """The record as JSON (as ``lookup --json`` prints it)."""
        exported = self.lookup.export_file(ExportKind.JSON)
        if exported is not None:
            QGuiApplication.clipboard().setText(exported.text)
            self.status_text.setText("Record copied as JSON.")

    @Slot()
    def export_json(self) -> None:
        """Save what the page shows as JSON."""
        self._export(ExportKind.JSON)

    @Slot()
    def export_csv(self) -> None:
        """Save what the page shows as CSV."""
        self._export(ExportKind.CSV)

    def _export(self, kind: ExportKind) -> None:
        page = self.pages.currentWidget()
        exported = page.export_file(kind) if isinstance(page, Page) else None
        if exported is None:
            return
        suffix = Path(exported.name).suffix
        path = dialogs.ask_save_path(self, "Export", str(Path.home() / exported.name), kind.value)
        if not path:
            return
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(suffix)
        try:
            target.write_text(exported.text, encoding="utf-8", newline="")
        except OSError as exc:
            self.notice.show_message("Export failed", f"{target}: {exc.strerror}", Tone.BAD)
            return
        self.status_text.setText(f"Saved {target}.")

    # --- keyboard ----------------------------------------------------------------------------

    @Slot(int)
    def _on_page_changed(self, index: int) -> None:
        self._set_record_actions(True)

    @Slot()
    def on_escape(self) -> None:
        """Esc: cancel what the current page is doing, or dismiss its message."""
        page = self.pages.currentWidget()
        handler = getattr(page, "on_escape", None)
        if callable(handler):
            handler()

    @Slot()
    def focus_id(self) -> None:
        """Ctrl+L: the Lookup page's id field, text selected."""
        self.pages.setCurrentWidget(self.lookup)
        self.lookup.focus_id()

    # --- help ----------------------------------------------------------------------------------

    @Slot(str)
    def open_link(self, url: str) -> None:
        """Open a TMS page in the browser."""
        dialogs.open_url(url)
        self.status_text.setText(f"Opened {url}")

    @Slot()
    def open_log_folder(self) -> None:
        """Open the log folder in the file manager."""
        if self.log_folder is not None:
            self.log_folder.mkdir(parents=True, exist_ok=True)
            dialogs.open_url(self.log_folder.as_uri())

    @Slot()
    def show_diagnostics(self) -> None:
        """Ask a worker for keyring and network facts; shown when they arrive."""
        self.status_text.setText("Gathering diagnostics…")
        self.runner.submit(DiagnosticsJob(self.connection), self._settings_group)

    def _show_diagnostics(self, diagnostics: Diagnostics) -> None:
        self.status_text.setText("")
        rows = window_facts(self, diagnostics.rows)
        dialogs.show_info(self, "Diagnostics", messages.diagnostics_text(rows))

    @Slot()
    def show_about(self) -> None:
        """Version, and where keys, connections and preferences are kept."""
        storage = self.key_state.storage if self.key_state is not None else "the OS keyring"
        text = messages.about_text(
            storage, self.prefs.file_name, str(self.connections.path), self.log_folder
        )
        dialogs.show_info(self, f"About {APP_NAME}", text)

    # --- closing -------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self._closed:
            self._closed = True
            self.prefs.set_geometry(self.saveGeometry())
            self.prefs.set_page(self.pages.currentIndex())
            self.prefs.sync()
            self.runner.shutdown(0.9)
        super().closeEvent(event)
