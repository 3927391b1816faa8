"""The registrar's window: lookup bar, message banner, the record, menus and shortcuts."""

from __future__ import annotations

import csv
import io
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QStringListModel, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QGuiApplication,
    QIcon,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from enroll_viewer import APP_NAME, __version__
from enroll_viewer.connection import Connection
from enroll_viewer.details import DetailResult, DetailsController
from enroll_viewer.errors import (
    AppError,
    Cancelled,
    InvalidInput,
    KeyProblem,
    NotFound,
    Unreachable,
)
from enroll_viewer.records import (
    RECORD_FIELDS,
    ClassEnrollment,
    LookupKey,
    display_value,
    record_as_text,
)
from enroll_viewer.settings import Preferences
from enroll_viewer.ui import dialogs
from enroll_viewer.ui.badge import Badge
from enroll_viewer.ui.banner import MessageBanner
from enroll_viewer.ui.record_view import RecordView
from enroll_viewer.ui.tones import Tone
from enroll_viewer.validation import MAX_EXTERNAL_ID, parse_lookup_input
from enroll_viewer.worker import (
    Diagnostics,
    KeyChange,
    KeyState,
    LookupController,
    LookupResult,
)

if TYPE_CHECKING:
    from enroll_viewer.ui.settings_dialog import SettingsDialog, SettingsResult

log = logging.getLogger(__name__)

REASON_TITLES = {
    "timeout": "Timed out",
    "certificate": "Certificate problem",
    "dns": "Server name not found",
    "refused": "Connection refused",
    "proxy": "Proxy problem",
    "connection": "Connection lost",
}
CSV_RISKY = ("=", "+", "-", "@", "\t", "\r")


class IdField(QLineEdit):
    """The lookup field: an enrollment id (digits) or an external id (printable text).

    Whitespace around a paste is trimmed (and inside a pasted number); control characters are
    refused.

    Signals:
        refused(str): characters were refused; the argument explains why.
    """

    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Enrollment ID")
        self.setPlaceholderText("Enrollment id (e.g. 10) or external id")
        self.setMaxLength(MAX_EXTERNAL_ID + 20)
        self.setClearButtonEnabled(True)
        self._previous = ""
        # textEdited (user edits) fires before textChanged (every change), so _previous still
        # holds the text before the edit when _on_edited runs.
        self.textEdited.connect(self._on_edited)
        self.textChanged.connect(self._remember)

    @Slot(str)
    def _remember(self, text: str) -> None:
        self._previous = text

    @Slot(str)
    def _on_edited(self, text: str) -> None:
        cleaned = "".join(ch for ch in text if ch.isprintable())
        if len(text) - len(self._previous) > 1:  # a paste, not a keystroke
            cleaned = cleaned.strip()
            if cleaned.replace(" ", "").isdigit():
                cleaned = cleaned.replace(" ", "")  # "12 345" copied from a report
        if cleaned != text:
            self.setText(cleaned)
        if "".join(ch for ch in text if ch.isprintable()) != text:
            self.refused.emit("Tabs, line breaks and other control characters cannot be used.")


class MainWindow(QMainWindow):
    """The main window. It talks to the :class:`LookupController` only (no network, no keyring).

    Signals:
        record_shown(int): a record was painted (its enrollment id); used by benchmarks.
        details_shown(str): the learner ("user") or class detail was filled in or failed.
    """

    record_shown = Signal(int)
    details_shown = Signal(str)

    def __init__(
        self,
        controller: LookupController,
        details: DetailsController,
        prefs: Preferences,
        log_folder: Path | None = None,
        base_url_locked: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.prefs = prefs
        self._log_folder = log_folder
        self._base_url_locked = base_url_locked
        self.details = details
        self._in_flight: LookupKey | None = None
        self._last_key: LookupKey | None = None
        self._shown_seq = -1
        self._asked_for_key = False
        self.settings_dialog: SettingsDialog | None = None
        self.setWindowTitle(self._title())
        self.setWindowIcon(QGuiApplication.windowIcon() or QIcon())

        central = QWidget()
        layout = QVBoxLayout(central)
        bar = QHBoxLayout()
        id_label = QLabel("Enrollment &ID:")
        self.id_field = IdField()
        id_label.setBuddy(self.id_field)
        self.lookup_button = QPushButton("Look up")
        self.lookup_button.setAccessibleName("Look up")
        self.lookup_button.setDefault(False)
        self.lookup_button.setAutoDefault(False)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Looking up")
        self.busy.setMaximumWidth(self.fontMetrics().horizontalAdvance("M" * 6))
        self.busy.setMaximumHeight(self.fontMetrics().height() // 2 + 2)
        self.busy.hide()
        self.connection_badge = Badge()
        self.connection_badge.setAccessibleName("Connection")
        bar.addWidget(id_label)
        bar.addWidget(self.id_field, 1)
        bar.addWidget(self.lookup_button)
        bar.addWidget(self.busy)
        bar.addStretch(0)
        bar.addWidget(self.connection_badge)
        layout.addLayout(bar)

        self.hint = QLabel()
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setAccessibleName("Input hint")
        self.hint.hide()
        self._hint_timer = QTimer(self)
        self._hint_timer.setSingleShot(True)
        self._hint_timer.setInterval(4000)
        self._hint_timer.timeout.connect(self.hint.hide)
        layout.addWidget(self.hint)

        self.notice = MessageBanner("Key storage notice")
        layout.addWidget(self.notice)
        self.banner = MessageBanner("Message")
        layout.addWidget(self.banner)
        self.record_view = RecordView()
        layout.addWidget(self.record_view, 1)
        self.setCentralWidget(central)
        self.status_text = QLabel()
        self.status_text.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addWidget(self.status_text, 1)

        self._build_actions()
        self._build_menus()
        self.setTabOrder(self.id_field, self.lookup_button)
        self.setTabOrder(self.lookup_button, self.connection_badge)

        self.id_field.returnPressed.connect(self.look_up)
        self.id_field.refused.connect(self._show_hint)
        self.lookup_button.clicked.connect(self._on_button)
        self.banner.action_clicked.connect(self._on_banner_action)
        self.notice.action_clicked.connect(self._on_banner_action)
        controller.result.connect(self._on_result)
        controller.busy_changed.connect(self._on_busy)
        controller.key_state.connect(self._on_key_state)
        details.ready.connect(self._on_details)
        controller.diagnostics.connect(self._on_diagnostics)
        details.enabled = prefs.details_enabled()

        self._completer_model = QStringListModel(self)
        completer = QCompleter(self._completer_model, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.id_field.setCompleter(completer)
        self._refresh_history()
        self._show_connection(controller.connection)

        geometry = prefs.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(self.default_size())
        self.id_field.setFocus()

    def default_size(self) -> QSize:
        """Room for every field and a dozen custom fields, within 90 % of the screen."""
        metrics = self.fontMetrics()
        wanted = QSize(metrics.horizontalAdvance("M") * 84, metrics.height() * 46)
        screen = self.screen()
        if screen is not None:
            room = screen.availableGeometry().size() * 0.9
            wanted = wanted.boundedTo(room)
        return wanted

    # --- building ------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        enabled: bool = True,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        action.setEnabled(enabled)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.export_json_action = self._action("Export as &JSON…", self.export_json, None, False)
        self.export_csv_action = self._action("Export as &CSV…", self.export_csv, None, False)
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.copy_text_action = self._action(
            "Copy &record as text", self.copy_record_text, "Ctrl+Shift+C", False
        )
        self.copy_json_action = self._action(
            "Copy record as &JSON", self.copy_record_json, None, False
        )
        self.settings_action = self._action("&Settings…", self.open_settings, "Ctrl+,")
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.focus_action = self._action("Go to enrollment id", self.focus_id, "Ctrl+L")
        self.cancel_action = self._action("Cancel lookup", self.on_escape, "Esc")
        self.clear_history_action = self._action("&Clear history", self.clear_history)
        self.log_action = self._action("Open &log folder", self.open_log_folder)
        self.diagnostics_action = self._action("&Diagnostics…", self.show_diagnostics)
        self.about_action = self._action(f"&About {APP_NAME}", self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    def _build_menus(self) -> None:
        menu_bar = self.menuBar()
        file_menu = menu_bar.addMenu("&File")
        file_menu.addAction(self.export_json_action)
        file_menu.addAction(self.export_csv_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menu_bar.addMenu("&Edit")
        edit_menu.addAction(self.copy_text_action)
        edit_menu.addAction(self.copy_json_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.focus_action)
        edit_menu.addAction(self.settings_action)
        self.history_menu = QMenu("&History", self)
        menu_bar.addMenu(self.history_menu)
        help_menu = menu_bar.addMenu("&Help")
        help_menu.addAction(self.log_action)
        help_menu.addAction(self.diagnostics_action)
        help_menu.addAction(self.about_action)

    def _title(self) -> str:
        demo = " — DEMO" if self.controller.connection.is_demo else ""
        return f"{APP_NAME}{demo}"

    # --- lookups -------------------------------------------------------------------------

    @Slot()
    def look_up(self) -> None:
        """Look up what the field holds (Enter, or the button while idle)."""
        try:
            key = parse_lookup_input(self.id_field.text())
        except InvalidInput as exc:
            self._show_hint(exc.message)
            return
        if self.controller.busy and key == self._in_flight:
            return  # a second Enter for the same id while it is in flight
        self.hint.hide()
        self._in_flight = key
        self._last_key = key
        self.details.drop_current()
        self.record_view.setEnabled(False)  # the old record is greyed until the answer
        how = "" if key.kind == "id" else " by external id"
        self.status_text.setText(f"Looking up {key.describe()}{how}…")
        self.controller.lookup(key)

    @Slot()
    def _on_button(self) -> None:
        if self.controller.busy:
            self.cancel()
        else:
            self.look_up()

    @Slot()
    def cancel(self) -> None:
        """Cancel the lookup in flight; the window is idle at once."""
        if self.controller.busy:
            self.controller.cancel()
            self.status_text.setText("Lookup cancelled.")
            self.record_view.setEnabled(True)

    @Slot()
    def on_escape(self) -> None:
        """Esc: cancel a lookup in flight, otherwise dismiss the message."""
        if self.controller.busy:
            self.cancel()
        else:
            self.banner.hide()
            self.hint.hide()

    @Slot()
    def focus_id(self) -> None:
        """Ctrl+L: focus the id field and select its text."""
        self.id_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.id_field.selectAll()

    @Slot(bool)
    def _on_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.lookup_button.setText("Cancel" if busy else "Look up")
        self.lookup_button.setAccessibleName("Cancel" if busy else "Look up")
        if not busy:
            self._in_flight = None

    @Slot(object)
    def _on_result(self, result: LookupResult) -> None:
        self.record_view.setEnabled(True)
        if result.record is not None:
            self._show_record(result)
        elif result.error is not None and not isinstance(result.error, Cancelled):
            self._show_error(result.key, result.error)

    def _show_record(self, result: LookupResult) -> None:
        record = result.record
        assert record is not None
        elapsed_ms = result.elapsed_ms
        self.banner.hide()
        self.record_view.show_record(record)
        self.record_view.show_details_pending(self.details.enabled)
        self._shown_seq = result.seq
        self.details.fetch(result.seq, record.user_id, record.class_id)
        self._set_record_actions(True)
        self.prefs.add_recent_id(record.id)
        self._refresh_history()
        count = len(record.custom_fields)
        how = f" · found by external id {result.key.value}" if result.key.kind == "external" else ""
        self.status_text.setText(
            f"Enrollment {record.id}{how} · {count} custom field{'s' if count != 1 else ''} · "
            f"answered in {elapsed_ms:.0f} ms"
        )
        self.record_shown.emit(record.id)

    def _show_error(self, key: LookupKey, error: AppError) -> None:
        self.record_view.show_record(None)
        self._set_record_actions(False)
        self.status_text.setText(f"Lookup of {key.describe()} failed.")
        action: tuple[str, str] | None = None
        tone = Tone.BAD
        title = error.title
        if isinstance(error, NotFound):
            tone = Tone.WARN
            described = key.describe()
            title = f"{described[:1].upper()}{described[1:]} not found"
            what = "number" if key.kind == "id" else "external id"
            message = (
                f"Check the {what}. Enrollments of another organisation or another TMS host are "
                "not visible with this key."
            )
            self.banner.show_message(title, message, tone)
            return
        elif isinstance(error, KeyProblem):
            action = ("change_key", "Change API key…")
        elif isinstance(error, Unreachable):
            title = f"Cannot reach the server: {REASON_TITLES.get(error.reason, error.title)}"
            action = ("retry", "&Retry")
        elif "unavailable" in error.title.lower() or "too many" in error.title.lower():
            action = ("retry", "&Retry")
        self.banner.show_message(title, error.message, tone, action)

    @Slot(object)
    def _on_details(self, result: DetailResult) -> None:
        if result.seq != self._shown_seq or self.record_view.record is None:
            return  # an answer for a record no longer on screen
        if result.details is not None:
            self.record_view.show_details(result.kind, result.details.summary(), None)
        elif result.error is not None:
            self.record_view.show_details(result.kind, None, result.error.message)
        self.details_shown.emit(result.kind)

    def _set_record_actions(self, enabled: bool) -> None:
        for action in (
            self.copy_text_action,
            self.copy_json_action,
            self.export_json_action,
            self.export_csv_action,
        ):
            action.setEnabled(enabled)

    @Slot(str)
    def _on_banner_action(self, action: str) -> None:
        if action == "retry" and self._last_key is not None:
            self.id_field.setText(self._last_key.value)
            self.look_up()
        elif action == "change_key":
            self.open_settings()

    @Slot(str)
    def _show_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.show()
        self._hint_timer.start()

    # --- key and connection ------------------------------------------------------------------

    def _show_connection(self, connection: Connection) -> None:
        self.connection_badge.setText(connection.caption)
        self.connection_badge.setToolTip(connection.base_url)
        self.connection_badge.set_tone(Tone.WARN if connection.is_demo else Tone.INFO)
        font = self.connection_badge.font()
        font.setBold(connection.is_demo)
        self.connection_badge.setFont(font)
        self.setWindowTitle(self._title())

    @Slot(object)
    def _on_key_state(self, state: KeyState) -> None:
        if state.where == "session":
            self.notice.show_message(
                "Key not saved",
                "No secure storage is available on this computer, so the API key is kept only "
                "until you close the app.",
                Tone.WARN,
                dismissable=False,
            )
        else:
            self.notice.hide()
        if state.available:
            if self.banner.isVisible() and self.banner.text.startswith("No API key"):
                self.banner.hide()
            return
        problem = f" ({state.problem})" if state.problem else ""
        self.banner.show_message(
            "No API key",
            f"Add your organisation's API key in Settings to look up enrollments{problem}.",
            Tone.WARN,
            ("change_key", "Change API key…"),
        )
        if not self._asked_for_key:
            self._asked_for_key = True
            QTimer.singleShot(0, self.open_settings)

    @Slot()
    def open_settings(self) -> None:
        """Open Settings (window-modal, without blocking the event loop)."""
        if self.settings_dialog is not None and self.settings_dialog.isVisible():
            self.settings_dialog.raise_()
            return
        connection = self.controller.connection
        state = self.controller.last_key_state
        where = state.where if state else "none"
        notes = {
            "keyring": "A key is saved in the OS keyring; type a new one to replace it.",
            "environment": "The key comes from ENROLL_VIEWER_API_KEY; a key typed here is not "
            "used while it is set.",
            "session": "No secure storage works on this computer: the key is kept only until "
            "you close the app.",
            "demo": "The demo needs no key.",
            "none": "No key yet. It will be saved in the OS keyring.",
        }
        note = notes.get(where, "")
        if state is not None and where == "none" and not state.secure_storage:
            note = (
                "No key yet. No secure storage works on this computer, so the key will be kept "
                "only until you close the app."
            )
        from enroll_viewer.ui.settings_dialog import SettingsDialog  # noqa: PLC0415

        base_url = "" if connection.is_demo else connection.base_url
        dialog = SettingsDialog(
            base_url,
            int(connection.timeout) if not connection.is_demo else self.prefs.timeout(),
            note,
            self._base_url_locked or connection.is_demo,
            self.details.enabled,
            connection.proxy,
            self,
        )
        if where not in ("keyring", "session"):
            dialog.key.setPlaceholderText("Paste your organisation's API key")
        dialog.accepted.connect(self._on_settings_accepted)
        dialog.finished.connect(self._on_settings_finished)
        self.settings_dialog = dialog
        dialog.open()

    @Slot()
    def _on_settings_accepted(self) -> None:
        dialog = self.settings_dialog
        if dialog is None:
            return
        self.apply_settings(dialog.result_values())
        dialog.key.clear()

    @Slot()
    def _on_settings_finished(self) -> None:
        dialog, self.settings_dialog = self.settings_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def apply_settings(self, result: SettingsResult) -> None:
        """Store preferences, switch the connection, and hand any key to the controller."""
        self.prefs.set_timeout(result.timeout)
        self.prefs.set_details_enabled(result.details)
        self.details.enabled = result.details
        self.prefs.sync()
        if self.controller.connection.is_demo:
            return
        if not self._base_url_locked:
            self.prefs.set_base_url(result.base_url)
        self.prefs.set_proxy(result.proxy)
        connection = Connection.for_base_url(result.base_url, result.timeout, result.proxy)
        key = None
        if result.new_key is not None:
            key = KeyChange(connection.base_url, result.new_key)
        elif result.forget_key:
            key = KeyChange(connection.base_url, None)
        self.controller.set_connection(connection, key)
        self.details.set_connection(connection)
        self._show_connection(connection)
        self.prefs.sync()

    # --- history, copy, export -----------------------------------------------------------

    def _refresh_history(self) -> None:
        ids = self.prefs.recent_ids()
        self._completer_model.setStringList([str(i) for i in ids])
        self.history_menu.clear()
        for enrollment_id in ids:
            action = self.history_menu.addAction(str(enrollment_id))
            action.setData(enrollment_id)
            action.triggered.connect(self._on_history_action)
        if ids:
            self.history_menu.addSeparator()
        self.history_menu.addAction(self.clear_history_action)
        self.clear_history_action.setEnabled(bool(ids))

    @Slot()
    def _on_history_action(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.id_field.setText(str(action.data()))
            self.look_up()

    @Slot()
    def clear_history(self) -> None:
        """Forget the recent ids."""
        self.prefs.clear_history()
        self.prefs.sync()
        self._refresh_history()
        self.status_text.setText("History cleared.")

    @Slot()
    def copy_record_text(self) -> None:
        """Ctrl+Shift+C: the record as readable text."""
        record = self.record_view.record
        if record is not None:
            QGuiApplication.clipboard().setText(record_as_text(record))
            self.status_text.setText("Record copied as text.")

    @Slot()
    def copy_record_json(self) -> None:
        """The record as JSON."""
        record = self.record_view.record
        if record is not None:
            QGuiApplication.clipboard().setText(record_json(record))
            self.status_text.setText("Record copied as JSON.")

    @Slot()
    def export_json(self) -> None:
        """Save the record as a JSON file."""
        self._export("JSON files (*.json)", ".json", record_json)

    @Slot()
    def export_csv(self) -> None:
        """Save the record as a CSV file (Field, Value, Field ID)."""
        self._export("CSV files (*.csv)", ".csv", record_csv)

    def _export(self, name_filter: str, suffix: str, render: object) -> None:
        record = self.record_view.record
        if record is None or not callable(render):
            return
        suggested = str(Path.home() / f"enrollment-{record.id}{suffix}")
        path = dialogs.ask_save_path(self, "Export enrollment", suggested, name_filter)
        if not path:
            return
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(suffix)
        try:
            target.write_text(render(record), encoding="utf-8", newline="")
        except OSError as exc:
            self.banner.show_message("Export failed", f"{target}: {exc.strerror}", Tone.BAD)
            return
        self.status_text.setText(f"Saved {target}.")

    @Slot()
    def open_log_folder(self) -> None:
        """Open the log folder in the file manager."""
        if self._log_folder is not None:
            self._log_folder.mkdir(parents=True, exist_ok=True)
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._log_folder)))

    def _storage(self) -> str:
        state = self.controller.last_key_state
        return state.storage if state is not None else "the OS keyring"

    @Slot()
    def show_diagnostics(self) -> None:
        """Ask the worker for keyring and network facts; shown when they arrive."""
        self.status_text.setText("Gathering diagnostics…")
        self.controller.request_diagnostics()

    @Slot(object)
    def _on_diagnostics(self, diagnostics: Diagnostics) -> None:
        from PySide6 import __version__ as pyside_version  # noqa: PLC0415

        connection = self.controller.connection
        rows = [
            ("Version", f"{APP_NAME} {__version__}"),
            ("Connection", f"{connection.caption} ({connection.base_url})"),
            ("Timeout", f"{connection.timeout:g} s"),
            *diagnostics.rows,
            ("Preferences", self.prefs.file_name),
            ("Log folder", str(self._log_folder or "not available")),
            (
                "Qt",
                f"PySide6 {pyside_version}, platform "
                f"{QGuiApplication.platformName()}, scale {self.devicePixelRatioF():g}",
            ),
            ("Python", sys.version.split()[0]),
        ]
        width = max(len(label) for label, _ in rows)
        text = "\n".join(f"{label:<{width}}  {value}" for label, value in rows)
        self.status_text.setText("")
        dialogs.show_info(self, "Diagnostics", text)

    @Slot()
    def show_about(self) -> None:
        """Version, and where the key and preferences are kept."""
        dialogs.show_info(
            self,
            f"About {APP_NAME}",
            about_text(self._storage(), self.prefs.file_name, self._log_folder),
        )

    # --- closing -------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.prefs.set_geometry(self.saveGeometry())
        self.prefs.sync()
        self.controller.shutdown(1000)
        self.details.shutdown(1000)
        super().closeEvent(event)


def record_json(record: ClassEnrollment) -> str:
    """The record as the command line's ``--json`` prints it."""
    return json.dumps(record.to_json(), indent=2, ensure_ascii=False) + "\n"


def _csv_cell(value: str) -> str:
    # A leading =, +, - or @ would make a spreadsheet run the cell as a formula.
    return "'" + value if value.startswith(CSV_RISKY) else value


def record_csv(record: ClassEnrollment) -> str:
    """The record as CSV: one row per field, then one per custom field."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Field", "Value", "Custom field ID"])
    writer.writerow(["Enrollment ID", str(record.id), ""])
    for spec in RECORD_FIELDS:
        writer.writerow([spec.label, _csv_cell(display_value(getattr(record, spec.attr))), ""])
    for field in record.custom_fields:
        writer.writerow(
            [
                _csv_cell(field.name),
                _csv_cell(display_value(field.text_value)),
                "" if field.custom_field_id is None else str(field.custom_field_id),
            ]
        )
    return out.getvalue()


def about_text(key_storage: str, prefs_file: str, log_folder: Path | None) -> str:
    """The About dialog's text."""
    return (
        f"{APP_NAME} {__version__}\n\n"
        "Looks up Skillable TMS class enrollments.\n\n"
        f"API key: kept in {key_storage}, never in a file or a log.\n"
        f"Preferences (no key, no records): {prefs_file}\n"
        f"Log: {log_folder or 'not available'}"
    )
