"""The window's side of the request runner: outcomes arrive as a Qt signal on the GUI thread.

A result whose ticket (or group) was cancelled never reaches the window: the check is made on
the GUI thread, where cancelling happens, so a late answer cannot slip past a newer request.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from enroll_viewer.api.limits import DEFAULT_WORKERS
from enroll_viewer.work.runner import Group, GroupKind, Job, Outcome, Runner, Ticket

if TYPE_CHECKING:
    from enroll_viewer.api.errors import AppError
    from enroll_viewer.store.keystore import KeyStore

log = logging.getLogger(__name__)


class RequestRunner(QObject):
    """Owns the worker threads; pages submit typed jobs in groups and listen to :attr:`done`.

    Signals:
        done(Outcome): a job of a live group finished (found or failed; never cancelled ones).
    """

    done = Signal(object)
    _arrived = Signal(object)

    def __init__(
        self,
        keystore: KeyStore,
        workers: int = DEFAULT_WORKERS,
        parent: QObject | None = None,
        refusal: AppError | None = None,
    ) -> None:
        super().__init__(parent)
        self.keystore = keystore
        # Emitted on worker threads; Qt queues it to this object's (the GUI) thread.
        self._runner = Runner(keystore, self._arrived.emit, workers, refusal=refusal)
        self._arrived.connect(self._deliver)
        self._stopped = False

    @property
    def size(self) -> int:
        """How many worker threads run jobs."""
        return self._runner.size

    def begin(self, kind: GroupKind) -> Group:
        """A new group of ``kind``, superseding (cancelling) the previous one."""
        return self._runner.begin(kind)

    def submit(self, job: Job, group: Group) -> Ticket:
        """Run ``job`` in ``group``; its outcome arrives through :attr:`done` unless cancelled."""
        return self._runner.submit(job, group)

    def cancel(self, kind: GroupKind) -> None:
        """Cancel the current group of ``kind``."""
        self._runner.cancel(kind)

    def cancel_group(self, group: Group) -> None:
        """Cancel ``group``."""
        self._runner.cancel_group(group)

    def cancel_all(self) -> None:
        """Cancel every group (a connection switch)."""
        self._runner.cancel_all()

    def pending(self, group: Group) -> int:
        """Jobs of ``group`` queued or running."""
        return self._runner.pending(group)

    def alive_workers(self) -> int:
        """Worker threads still running."""
        return self._runner.alive_workers()

    @Slot(object)
    def _deliver(self, outcome: Outcome) -> None:
        if self._stopped or outcome.ticket.cancelled:
            return
        self.done.emit(outcome)

    def shutdown(self, timeout: float = 1.0) -> bool:
        """Cancel everything and stop the workers (at most ``timeout`` seconds in all)."""
        self._stopped = True
        return self._runner.shutdown(timeout)
