"""A cancel token per request: set from any thread, seen by the request in every state."""

from __future__ import annotations

import threading
from collections.abc import Callable


class CancelToken:
    """Cancelled once, for good. Thread-safe.

    A request checks :attr:`cancelled` between steps, waits with :meth:`wait` (which returns
    early on cancel), and registers a callback with :meth:`on_cancel` to abort a blocking socket
    call. A callback registered after the cancel runs at once, so no state is missed.
    """

    __slots__ = ("_callbacks", "_event", "_lock")

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []

    @property
    def cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._event.is_set()

    def cancel(self) -> None:
        """Cancel: wake waiters and run the registered callbacks (once)."""
        with self._lock:
            if self._event.is_set():
                return
            self._event.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback()

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True when cancelled (at once, or while waiting)."""
        return self._event.wait(seconds) if seconds > 0 else self._event.is_set()

    def on_cancel(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Run ``callback`` on cancel (now, if already cancelled); returns an unregister."""
        with self._lock:
            if not self._event.is_set():
                self._callbacks.append(callback)
                return lambda: self._forget(callback)
        callback()
        return lambda: None

    def _forget(self, callback: Callable[[], None]) -> None:
        with self._lock:
            if callback in self._callbacks:
                self._callbacks.remove(callback)
