"""Settings from open to saved: the dialog, the connections file, and key changes handed to the
request runner (never written from the GUI thread)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from enroll_viewer.api.errors import AppError
from enroll_viewer.store.connection import Connection, Connections
from enroll_viewer.work.jobs import KeyChangeJob, KeyState, KeyStateJob
from enroll_viewer.work.runner import Group

if TYPE_CHECKING:
    from enroll_viewer.store.preferences import Preferences
    from enroll_viewer.ui.request_runner import RequestRunner
    from enroll_viewer.ui.settings.dialog import SettingsDialog
    from enroll_viewer.ui.settings.values import SettingsResult


@dataclass(frozen=True)
class Applied:
    """What Settings changed: the connections as saved, whether keys are being changed, and
    whether learner and class names are fetched."""

    connections: Connections
    keys_changed: bool
    details: bool


class SettingsFlow(QObject):
    """Opens Settings (window-modal, without blocking the event loop) and applies it.

    Signals:
        applied(Applied): the user saved; the connections file is written.
        failed(str): saving the connections failed (the sentence to show).
    """

    applied = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QWidget, runner: RequestRunner, prefs: Preferences) -> None:
        super().__init__(parent)
        self._parent = parent
        self._runner = runner
        self._prefs = prefs
        self._connections: Connections | None = None
        self.group: Group | None = None
        self.dialog: SettingsDialog | None = None

    def open(
        self,
        connections: Connections,
        active: Connection,
        details: bool,
        group: Group,
        key_state: KeyState | None,
    ) -> None:
        """Show the dialog on ``active`` (raise it if it is open already)."""
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return
        from enroll_viewer.ui.settings.dialog import SettingsDialog  # noqa: PLC0415

        self._connections = connections
        self.group = group
        dialog = SettingsDialog(
            connections.items, active.id, details, self._prefs.workers(), self._parent
        )
        if key_state is not None:
            dialog.set_key_state(key_state)
        dialog.key_state_wanted.connect(self._on_key_state_wanted)
        dialog.accepted.connect(self._on_accepted)
        dialog.finished.connect(self._on_finished)
        self.dialog = dialog
        dialog.open()

    @Slot(object)
    def show_key_state(self, state: KeyState) -> None:
        """Pass a key state to the open dialog, if any."""
        if self.dialog is not None:
            self.dialog.set_key_state(state)

    @Slot(object)
    def _on_key_state_wanted(self, connection: Connection) -> None:
        if self.group is not None:
            self._runner.submit(KeyStateJob(connection), self.group)

    @Slot()
    def _on_accepted(self) -> None:
        dialog = self.dialog
        if dialog is None or self._connections is None:
            return
        self.apply(self._connections, dialog.result_values())
        dialog.clear_keys()

    @Slot()
    def _on_finished(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def apply(self, connections: Connections, result: SettingsResult) -> None:
        """Save preferences and connections; start the key changes."""
        from enroll_viewer.ui.settings.apply import apply  # noqa: PLC0415

        self._prefs.set_details_enabled(result.details)
        self._prefs.set_workers(result.workers)
        self._prefs.sync()
        try:
            saved, key_changes = apply(connections, result)
        except OSError as exc:
            self.failed.emit(f"Connections not saved. {connections.path}: {exc.strerror}")
            return
        except AppError as exc:
            self.failed.emit(f"Connections not saved. {exc.sentence()}")
            return
        for connection, new_key in key_changes:
            self._runner.keystore.forget_cached(connection.id)
            if self.group is not None:
                self._runner.submit(KeyChangeJob(connection, new_key), self.group)
        self.applied.emit(Applied(saved, bool(key_changes), result.details))
