"""The window's actions (with their shortcuts) and its File, Edit, History and Help menus."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from enroll_viewer import APP_NAME

if TYPE_CHECKING:
    from enroll_viewer.ui.main_window import MainWindow


class WindowMenus:
    """Builds the actions on ``window`` (so their shortcuts work anywhere in it) and the menus."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        w = window
        self.export_json = self._action("Export as &JSON…", w.export_json, None, False)
        self.export_csv = self._action("Export as &CSV…", w.export_csv, None, False)
        self.quit = self._action("&Quit", w.close, QKeySequence.StandardKey.Quit)
        self.copy_text = self._action(
            "Copy &record as text", w.copy_record_text, "Ctrl+Shift+C", False
        )
        self.copy_json = self._action("Copy record as &JSON", w.copy_record_json, None, False)
        self.settings = self._action("&Settings…", w.open_settings, "Ctrl+,")
        self.settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.focus = self._action("Go to enrollment id", w.focus_id, "Ctrl+L")
        self.cancel = self._action("Cancel", w.on_escape, "Esc")
        self.clear_history = self._action("&Clear history", w.clear_history)
        self.log = self._action("Open &log folder", w.open_log_folder)
        self.diagnostics = self._action("&Diagnostics…", w.show_diagnostics)
        self.about = self._action(f"&About {APP_NAME}", w.show_about)
        self.about.setMenuRole(QAction.MenuRole.AboutRole)

        bar = w.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.file_menu.addAction(self.export_json)
        self.file_menu.addAction(self.export_csv)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit)
        edit = bar.addMenu("&Edit")
        edit.addAction(self.copy_text)
        edit.addAction(self.copy_json)
        edit.addSeparator()
        edit.addAction(self.focus)
        edit.addAction(self.settings)
        self.history = QMenu("&History", w)
        bar.addMenu(self.history)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.log)
        help_menu.addAction(self.diagnostics)
        help_menu.addAction(self.about)

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        enabled: bool = True,
    ) -> QAction:
        action = QAction(text, self._window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        action.setEnabled(enabled)
        self._window.addAction(action)
        return action

    def set_history(self, ids: list[int], chosen: Callable[[], object]) -> None:
        """The History menu: the recent ids (each calls ``chosen``), then Clear history."""
        self.history.clear()
        for enrollment_id in ids:
            action = self.history.addAction(str(enrollment_id))
            action.setData(enrollment_id)
            action.triggered.connect(chosen)
        if ids:
            self.history.addSeparator()
        self.history.addAction(self.clear_history)
        self.clear_history.setEnabled(bool(ids))


def window_facts(
    window: MainWindow, worker_rows: tuple[tuple[str, str], ...]
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
