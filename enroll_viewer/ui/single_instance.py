"""One window per user session: a second start hands its id to the running window and exits.

Over Qt's local sockets (a Unix socket in the user's runtime folder, a named pipe on Windows;
nothing listens on the network), with a per-user name (:mod:`enroll_viewer.ui.handoff`, which
also holds the one-line request and, on Unix, sends it without Qt). A start that wants the
window:

1. offers its request to a running window; the window answers ``ok`` and this start exits 0
   (no lock: starts that hand over do not wait on each other);
2. when nobody answered, takes a short lock file (:class:`QLockFile`), so that starts at the
   same moment decide one after the other (a lock left by a crash is stale at once: its
   process is gone), and offers again (another start may have won meanwhile);
3. when still nobody listens (a crashed window's socket file is removed), keeps the lock until
   its window has painted and listens (:meth:`Claim.listen`), then lets the lock go: a start
   meanwhile waits for the lock, then hands over;
4. when a window is there but does not answer in time (closing, hung), or the lock cannot be
   had in time, opens a window of its own that does not listen.

Only QtCore here: the first start loads QtNetwork after its first paint
(:mod:`enroll_viewer.ui.instance_server`).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QDir, QLockFile, QObject

from enroll_viewer.ui.handoff import (
    Answer,
    encode_message,
    not_ours,
    quick_offer,
    remove_stale,
    server_name,
)

if TYPE_CHECKING:
    from enroll_viewer.ui.instance_server import InstanceServer

LOCK_WAIT_MS = 3000  # a start deciding holds the lock until its window has painted
LOCK_STALE_MS = 10_000  # a lock older than this is taken over even if its process lives


def _lock_path(name: str) -> str:
    folder = os.path.dirname(name) or QDir.tempPath()
    return os.path.join(folder, os.path.basename(name) + ".lock")


class Claim:
    """This start's right to be the one window: the lock, held until :meth:`listen`.

    A claim without a lock (``lock=None``) starts a window that does not listen: another
    window is there but silent, or the lock could not be had in time.
    """

    def __init__(self, name: str, lock: QLockFile | None) -> None:
        self.name = name
        self._lock = lock

    @property
    def will_listen(self) -> bool:
        """Whether :meth:`listen` will try to listen."""
        return self._lock is not None

    def listen(self, parent: QObject | None = None) -> InstanceServer | None:
        """Listen for other starts, then let the lock go. None when this start does not
        listen (or could not)."""
        if self._lock is None:
            return None
        try:
            from enroll_viewer.ui.instance_server import listen  # noqa: PLC0415 - QtNetwork
        except ImportError:  # a bundle built without QtNetwork: every start has its window
            self.release()
            return None
        try:
            return listen(self.name, parent)
        finally:
            self.release()

    def release(self) -> None:
        """Let the lock go (also when the window never came to listen)."""
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None


def _offer(name: str, message: bytes) -> Answer:
    answer = quick_offer(name, message)
    if answer is Answer.UNTRIED:  # Windows: a pipe, through Qt
        try:
            from enroll_viewer.ui.instance_server import offer  # noqa: PLC0415
        except ImportError:  # without QtNetwork no window listens either
            return Answer.NOBODY
        answer = offer(name, message)
    return answer


def hand_over(
    target: str, connection: str | None, name: str | None = None, first: Answer = Answer.UNTRIED
) -> Claim | None:
    """Offer ``target`` (an id, a link, or "" for a plain start) and ``connection`` to a
    running window. None when it took them (exit 0); otherwise this start's :class:`Claim`.

    ``first`` is what an offer already got (:func:`enroll_viewer.ui.handoff.quick_offer`,
    before Qt was loaded). Bounded: :data:`LOCK_WAIT_MS` at most for a start deciding at the
    same moment, and :data:`~enroll_viewer.ui.handoff.CONNECT_MS` +
    :data:`~enroll_viewer.ui.handoff.ANSWER_MS` for each offer.
    """
    name = name or server_name()
    if not_ours(name):
        return Claim(name, None)
    message = encode_message(target, connection)
    _allow_foreground()
    answer = _offer(name, message) if first is Answer.UNTRIED else first
    if answer is Answer.HANDED:
        return None
    if answer is Answer.SILENT:  # waited enough: a window of its own, not listening
        return Claim(name, None)
    lock = QLockFile(_lock_path(name))
    lock.setStaleLockTime(LOCK_STALE_MS)
    if not lock.tryLock(LOCK_WAIT_MS):
        return Claim(name, None)
    answer = _offer(name, message)  # again: a start at the same moment may listen by now
    if answer is Answer.HANDED:
        lock.unlock()
        return None
    if answer is Answer.NOBODY:
        remove_stale(name)  # a crashed window's socket file would make listening fail
        return Claim(name, lock)
    lock.unlock()
    return Claim(name, None)


def _allow_foreground() -> None:
    """Windows lets only the process the user just started take the foreground; pass that on
    so the running window can come to the front."""
    if sys.platform == "win32":
        import ctypes  # noqa: PLC0415

        asfw_any = -1
        ctypes.windll.user32.AllowSetForegroundWindow(asfw_any)
