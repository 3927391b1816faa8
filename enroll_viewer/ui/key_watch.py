"""What the window knows of the active connection's key, and the notice that says so.

The key is read off the GUI thread (a keyring may wait on an unlock prompt): this object asks
the request runner and turns the answers (state, a change that failed) into the key notice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from enroll_viewer.ui.widgets import messages
from enroll_viewer.work.jobs import KeyChangeJob, KeyState, KeyStateJob
from enroll_viewer.work.runner import Group, GroupKind, Outcome

if TYPE_CHECKING:
    from enroll_viewer.store.connection import Connection
    from enroll_viewer.ui.request_runner import RequestRunner
    from enroll_viewer.ui.widgets.banner import MessageBanner


class KeyWatch(QObject):
    """Checks the key of the active connection and shows what is wrong in ``notice``.

    Signals:
        changed(KeyState): a new state for the active connection.
        any_state(KeyState): a state for any connection (Settings shows them).
        settings_wanted(): the notice's "Add API key…" or "Change API key…" was pressed.
    """

    changed = Signal(object)
    any_state = Signal(object)
    settings_wanted = Signal()

    def __init__(self, runner: RequestRunner, notice: MessageBanner, parent: QObject) -> None:
        super().__init__(parent)
        self._runner = runner
        self._notice = notice
        self._group: Group | None = None
        self.state: KeyState | None = None
        self.connection: Connection | None = None
        runner.done.connect(self._on_done)
        notice.action_clicked.connect(self._on_action)

    def check(self, connection: Connection) -> None:
        """Ask whether a key is available for ``connection`` (now the active one)."""
        self.connection = connection
        self._group = self._runner.begin(GroupKind.KEYS)
        self._runner.submit(KeyStateJob(connection), self._group)

    def retry(self) -> None:
        """Read the keyring again (it may have been unlocked meanwhile)."""
        if self.connection is not None:
            self._runner.keystore.forget_cached(self.connection.id)
            self.check(self.connection)

    @Slot(object)
    def _on_action(self, action: messages.Action) -> None:
        if action.opens_settings:
            self.settings_wanted.emit()
        elif action is messages.Action.RETRY:
            self.retry()

    @Slot(object)
    def _on_done(self, outcome: Outcome) -> None:
        job = outcome.job
        if isinstance(job, (KeyStateJob, KeyChangeJob)) and outcome.value is not None:
            self._show(job.connection, outcome.value)
        elif isinstance(job, KeyChangeJob) and outcome.error is not None:
            self._notice.show_spec(messages.for_error(outcome.error))

    def _show(self, connection: Connection, state: KeyState) -> None:
        self.any_state.emit(state)
        if self.connection is None or connection.id != self.connection.id:
            return
        self.state = state
        if state.error is not None:
            self._notice.show_spec(messages.for_error(state.error))
        elif not state.available:
            self._notice.show_spec(messages.no_key(state, connection), dismissable=False)
        elif (spec := messages.session_notice(state)) is not None:
            self._notice.show_spec(spec, dismissable=False)
        else:
            self._notice.hide()
        # No key yet: the Lookup page's first-run screen says so (Settings no longer opens by
        # itself over an empty window; see ui/pages/first_run.py).
        self.changed.emit(state)
