"""The window's actions (with their shortcuts) and its File, Edit, History and Help menus."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from enroll_viewer import APP_NAME

if TYPE_CHECKING:
    from PySide6.QtGui import QKeySequence

    from enroll_viewer.ui.pages.page import Page

Slot = Callable[[], object]


@dataclass(frozen=True)
class MenuSlots:
    """What each menu action calls: the window's own slots and its commands'."""

    export_json: Slot
    export_csv: Slot
    print_page: Slot
    save_pdf: Slot
    print_sign_in: Slot
    save_sign_in: Slot
    quit: Slot
    copy_text: Slot
    copy_json: Slot
    settings: Slot
    focus: Slot
    cancel: Slot
    clear_history: Slot
    log: Slot
    diagnostics: Slot
    about: Slot


class WindowMenus:
    """The File, Edit, History and Help menus, and their actions (on ``window``, so their
    shortcuts work anywhere in it).

    The menus are part of the first paint; their actions are added by :meth:`fill` once the
    window is attached (nothing they do works before, and a key sequence makes PySide6 build
    the enums of Qt's namespace, ~15 ms, which the first paint does not wait for).
    """

    def __init__(self, window: QMainWindow) -> None:
        self._window = window
        bar = window.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.edit_menu = bar.addMenu("&Edit")
        self.history = QMenu("&History", window)
        bar.addMenu(self.history)
        self.help_menu = bar.addMenu("&Help")

    def fill(self, slots: MenuSlots) -> None:
        """Create the actions, with their shortcuts, in the menus."""
        from PySide6.QtGui import QKeySequence as Keys  # noqa: PLC0415 - see the class docstring

        self.export_json = self._action("Export as &JSON…", slots.export_json, None, False)
        self.export_csv = self._action("Export as &CSV…", slots.export_csv, None, False)
        self.print = self._action("&Print…", slots.print_page, Keys(Keys.StandardKey.Print), False)
        self.save_pdf = self._action("Save as P&DF…", slots.save_pdf, None, False)
        self.print_sign_in = self._action("Print si&gn-in sheet…", slots.print_sign_in, None, False)
        self.save_sign_in = self._action(
            "Save sign-in sheet as PDF…", slots.save_sign_in, None, False
        )
        self.quit = self._action("&Quit", slots.quit, Keys(Keys.StandardKey.Quit))
        self.copy_text = self._action(
            "Copy &record as text", slots.copy_text, Keys("Ctrl+Shift+C"), False
        )
        self.copy_json = self._action("Copy record as &JSON", slots.copy_json, None, False)
        self.settings = self._action("&Settings…", slots.settings, Keys("Ctrl+,"))
        self.settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.focus = self._action("Go to enrollment id", slots.focus, Keys("Ctrl+L"))
        self.cancel = self._action("Cancel", slots.cancel, Keys("Esc"))
        self.clear_history = self._action("&Clear history", slots.clear_history)
        self.log = self._action("Open &log folder", slots.log)
        self.diagnostics = self._action("&Diagnostics…", slots.diagnostics)
        self.about = self._action(f"&About {APP_NAME}", slots.about)
        self.about.setMenuRole(QAction.MenuRole.AboutRole)

        self.file_menu.addAction(self.export_json)
        self.file_menu.addAction(self.export_csv)
        self.file_menu.addSeparator()
        for action in (self.print, self.save_pdf, self.print_sign_in, self.save_sign_in):
            self.file_menu.addAction(action)
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
        slot: Slot,
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

    def set_page_actions(self, page: Page | None) -> None:
        """Export, Print and Save as PDF for what ``page`` shows; the sign-in sheet for a
        class roster."""
        can = page is not None and page.can_export()
        roster = can and page is not None and page.can_sign_in()
        for action in (self.export_json, self.export_csv, self.print, self.save_pdf):
            action.setEnabled(can)
        self.print_sign_in.setEnabled(roster)
        self.save_sign_in.setEnabled(roster)

    def set_history(self, ids: list[int], chosen: Callable[[str], object]) -> None:
        """The History menu: the recent ids (each calls ``chosen`` with its id), then Clear
        history."""
        self.history.clear()
        for enrollment_id in ids:
            action = self.history.addAction(str(enrollment_id))
            action.triggered.connect(lambda _=False, text=str(enrollment_id): chosen(text))
        if ids:
            self.history.addSeparator()
        self.history.addAction(self.clear_history)
        self.clear_history.setEnabled(bool(ids))
