"""What the window's File, Edit and Help menus do: copy, export, the browser, diagnostics,
About. Built when the window is attached; it reads the window's pages and connection."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QGuiApplication

from enroll_viewer import APP_NAME
from enroll_viewer.jobs import Diagnostics, DiagnosticsJob
from enroll_viewer.ui import dialogs, messages
from enroll_viewer.ui.page import ExportKind
from enroll_viewer.ui.tone import Tone
from enroll_viewer.ui.window_menus import window_facts

if TYPE_CHECKING:
    from enroll_viewer.runner import Outcome, Ticket
    from enroll_viewer.ui.main_window import MainWindow


class WindowCommands(QObject):
    """The menu commands of ``window`` (each reports on its status bar or key notice)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._diagnostics: Ticket | None = None
        window.runner.done.connect(self._on_done)

    def _status(self, text: str) -> None:
        self._window.status_text.setText(text)

    @Slot()
    def copy_record_text(self) -> None:
        """Ctrl+Shift+C: the record as readable text."""
        text = self._window.lookup.copy_text()
        if text is not None:
            QGuiApplication.clipboard().setText(text)
            self._status("Record copied as text.")

    @Slot()
    def copy_record_json(self) -> None:
        """The record as JSON (as ``lookup --json`` prints it)."""
        exported = self._window.lookup.export_file(ExportKind.JSON)
        if exported is not None:
            QGuiApplication.clipboard().setText(exported.text)
            self._status("Record copied as JSON.")

    @Slot()
    def export_json(self) -> None:
        """Save what the page shows as JSON."""
        self._export(ExportKind.JSON)

    @Slot()
    def export_csv(self) -> None:
        """Save what the page shows as CSV."""
        self._export(ExportKind.CSV)

    def _export(self, kind: ExportKind) -> None:
        page = self._window.current_page()
        exported = page.export_file(kind) if page is not None else None
        if exported is None:
            return
        suffix = Path(exported.name).suffix
        suggested = str(Path.home() / exported.name)
        path = dialogs.ask_save_path(self._window, "Export", suggested, kind.value)
        if not path:
            return
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(suffix)
        try:
            target.write_text(exported.text, encoding="utf-8", newline="")
        except OSError as exc:
            self._window.notice.show_message("Export failed", f"{target}: {exc.strerror}", Tone.BAD)
            return
        self._status(f"Saved {target}.")

    @Slot(str)
    def open_link(self, url: str) -> None:
        """Open a TMS page in the browser."""
        dialogs.open_url(url)
        self._status(f"Opened {url}")

    @Slot()
    def open_log_folder(self) -> None:
        """Open the log folder in the file manager."""
        folder = self._window.log_folder
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            dialogs.open_url(folder.as_uri())

    @Slot()
    def show_diagnostics(self) -> None:
        """Ask a worker for keyring and network facts; shown when they arrive."""
        window = self._window
        self._status("Gathering diagnostics…")
        group = window.settings_group
        self._diagnostics = window.runner.submit(DiagnosticsJob(window.connection), group)

    @Slot(object)
    def _on_done(self, outcome: Outcome) -> None:
        if outcome.ticket is self._diagnostics and isinstance(outcome.value, Diagnostics):
            self._diagnostics = None
            self._status("")
            rows = window_facts(self._window, outcome.value.rows)
            dialogs.show_info(self._window, "Diagnostics", messages.diagnostics_text(rows))

    @Slot()
    def show_about(self) -> None:
        """Version, and where keys, connections and preferences are kept."""
        window = self._window
        state = window.key_state
        storage = state.storage if state is not None else "the OS keyring"
        text = messages.about_text(
            storage, window.prefs.file_name, str(window.connections.path), window.log_folder
        )
        dialogs.show_info(window, f"About {APP_NAME}", text)
