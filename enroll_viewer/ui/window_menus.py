"""The window's actions (with their shortcuts) and its File, Edit, History and Help menus."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from enroll_viewer import APP_NAME

if TYPE_CHECKING:
    from PySide6.QtGui import QKeySequence

    from enroll_viewer.ui.main_window import MainWindow
    from enroll_viewer.ui.window_commands import WindowCommands


class WindowMenus:
    """The File, Edit, History and Help menus, and their actions (on ``window``, so their
    shortcuts work anywhere in it).

    The menus are part of the first paint; their actions are added by :meth:`fill` once the
    window is attached (nothing they do works before, and a key sequence makes PySide6 build
    the enums of Qt's namespace, ~15 ms, which the first paint does not wait for).
    """

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        bar = window.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.edit_menu = bar.addMenu("&Edit")
        self.history = QMenu("&History", window)
        bar.addMenu(self.history)
        self.help_menu = bar.addMenu("&Help")

    def fill(self, commands: WindowCommands) -> None:
        """Create the actions, with their shortcuts, in the menus."""
        from PySide6.QtGui import QKeySequence as Keys  # noqa: PLC0415 - see the class docstring

        w = self._window
        self.export_json = self._action("Export as &JSON…", commands.export_json, None, False)
        self.export_csv = self._action("Export as &CSV…", commands.export_csv, None, False)
        self.quit = self._action("&Quit", w.close, Keys(Keys.StandardKey.Quit))
        self.copy_text = self._action(
            "Copy &record as text", commands.copy_record_text, Keys("Ctrl+Shift+C"), False
        )
        self.copy_json = self._action(
            "Copy record as &JSON", commands.copy_record_json, None, False
        )
        self.settings = self._action("&Settings…", w.open_settings, Keys("Ctrl+,"))
        self.settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.focus = self._action("Go to enrollment id", w.focus_id, Keys("Ctrl+L"))
        self.cancel = self._action("Cancel", w.on_escape, Keys("Esc"))
        self.clear_history = self._action("&Clear history", w.clear_history)
        self.log = self._action("Open &log folder", commands.open_log_folder)
        self.diagnostics = self._action("&Diagnostics…", commands.show_diagnostics)
        self.about = self._action(f"&About {APP_NAME}", commands.show_about)
        self.about.setMenuRole(QAction.MenuRole.AboutRole)

        self.file_menu.addAction(self.export_json)
        self.file_menu.addAction(self.export_csv)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit)
        self.edit_menu.addAction(self.copy_text)
        self.edit_menu.addAction(self.copy_json)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.focus)
        self.edit_menu.addAction(self.settings)
        self.help_menu.addAction(self.log)
        self.help_menu.addAction(self.diagnostics)
        self.help_menu.addAction(self.about)

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | None = None,
        enabled: bool = True,
    ) -> QAction:
        action = QAction(text, self._window)
        if shortcut is not None:  # window-wide: QAction's default shortcut context
            action.setShortcut(shortcut)
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
