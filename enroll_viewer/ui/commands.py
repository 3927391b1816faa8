"""What the window's File, Edit and Help menus do: copy, export, the browser, diagnostics,
About. Built when the window is attached; it reads the window's pages and connection."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QWidget

from enroll_viewer import APP_NAME
from enroll_viewer.ui.pages.page import ExportKind
from enroll_viewer.ui.widgets import dialogs, messages
from enroll_viewer.ui.widgets.tone import Tone
from enroll_viewer.work.jobs import Diagnostics, DiagnosticsJob

if TYPE_CHECKING:
    from enroll_viewer.store.connection import Connection, Connections
    from enroll_viewer.store.preferences import Preferences
    from enroll_viewer.ui.pages.lookup import LookupPage
    from enroll_viewer.ui.pages.page import Page
    from enroll_viewer.ui.printing.report import Report
    from enroll_viewer.ui.request_runner import RequestRunner
    from enroll_viewer.ui.widgets.banner import MessageBanner
    from enroll_viewer.work.jobs import KeyState
    from enroll_viewer.work.runner import Group, Outcome, Ticket


class CommandWindow(Protocol):
    """What the commands need of the window they serve (the main window)."""

    status_text: QLabel
    lookup: LookupPage
    notice: MessageBanner
    log_folder: Path | None
    connection: Connection
    connections: Connections
    prefs: Preferences
    runner: RequestRunner
    settings_group: Group

    @property
    def key_state(self) -> KeyState | None:
        """What is known of the connection's key."""

    def current_page(self) -> Page | None:
        """The page on show."""

    def devicePixelRatioF(self) -> float:  # noqa: N802 - Qt's name
        """The window's scale."""


class WindowCommands(QObject):
    """The menu commands of ``window`` (each reports on its status bar or key notice)."""

    def __init__(self, window: CommandWindow, parent: QWidget) -> None:
        super().__init__(parent)
        self._window = window
        self._parent = parent
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
        path = dialogs.ask_save_path(self._parent, "Export", suggested, kind.value)
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

    @Slot()
    def print_page(self) -> None:
        """File → Print…: what the page shows, through the system print dialog."""
        self._print(self._report(), to_pdf=False)

    @Slot()
    def save_pdf(self) -> None:
        """File → Save as PDF…: what the page shows."""
        self._print(self._report(), to_pdf=True)

    @Slot()
    def print_sign_in(self) -> None:
        """File → Print sign-in sheet… (a class roster on the Search page)."""
        self._print(self._report(sign_in=True), to_pdf=False)

    @Slot()
    def save_sign_in_pdf(self) -> None:
        """File → Save sign-in sheet as PDF…"""
        self._print(self._report(sign_in=True), to_pdf=True)

    def _report(self, sign_in: bool = False) -> Report | None:
        from enroll_viewer.ui.printing.output import Printable, SignInSource  # noqa: PLC0415

        page = self._window.current_page()
        when = datetime.now(timezone.utc)
        if sign_in:
            return page.sign_in_report(when) if isinstance(page, SignInSource) else None
        return page.report(when) if isinstance(page, Printable) else None

    def _print(self, report: Report | None, to_pdf: bool) -> None:
        from enroll_viewer.ui.printing import output  # noqa: PLC0415 - Qt print support on use

        if report is None:
            return
        if to_pdf:
            name = "".join(c if c.isalnum() or c in "-_" else "-" for c in report.title[:60])
            said = output.save_as_pdf(self._parent, report, name.strip("-") + ".pdf")
        else:
            said = output.send_to_printer(self._parent, report)
        if said:
            self._status(said)

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
            dialogs.show_info(self._parent, "Diagnostics", messages.diagnostics_text(rows))

    @Slot()
    def show_about(self) -> None:
        """Version, and where keys, connections and preferences are kept."""
        window = self._window
        state = window.key_state
        storage = state.storage if state is not None else "the OS keyring"
        text = messages.about_text(
            storage, window.prefs.file_name, str(window.connections.path), window.log_folder
        )
        dialogs.show_info(self._parent, f"About {APP_NAME}", text)


def window_facts(
    window: CommandWindow, worker_rows: tuple[tuple[str, str], ...]
) -> list[tuple[str, str]]:
    """Help > Diagnostics rows: the connection and the app's own files around what a worker
    found out (keyring, network)."""
    from PySide6 import __version__ as pyside_version  # noqa: PLC0415
    from PySide6.QtGui import QGuiApplication  # noqa: PLC0415

    connection = window.connection
    return [
        ("Connection", f"{connection.caption} ({connection.base_url})"),
        ("TMS site", connection.links_base or "none"),
        ("Timeout", f"{connection.timeout:g} s"),
        ("Parallel requests", str(window.runner.size)),
        *worker_rows,
        ("Connections file", str(window.connections.path)),
        ("Preferences", window.prefs.file_name),
        ("Log folder", str(window.log_folder or "not available")),
        (
            "Qt",
            f"PySide6 {pyside_version}, platform {QGuiApplication.platformName()}, "
            f"scale {window.devicePixelRatioF():g}",
        ),
    ]
