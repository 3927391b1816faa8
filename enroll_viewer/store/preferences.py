"""Window state and non-secret preferences in QSettings, behind one wrapper.

Never a key, never a record: history keeps enrollment ids only, per connection. Connections
themselves live in a plain file (:mod:`enroll_viewer.store.connections`) the command line can read.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QByteArray, QSettings

from enroll_viewer.api.limits import DEFAULT_WORKERS, INT32_MAX, MAX_WORKERS

KEY_GEOMETRY = "window/geometry"
KEY_ACTIVE = "window/connection"
KEY_SHOWN_NAME = "window/connection_name"
KEY_SHOWN_ADDRESS = "window/connection_address"
KEY_SHOWN_DEMO = "window/connection_is_demo"
KEY_DETAILS = "lookup/fetch_details"
KEY_WORKERS = "network/parallel_requests"
KEY_COLUMNS = "columns/{page}"
# Before named connections: one base URL, timeout and proxy, and one history for all servers.
LEGACY_BASE_URL = "connection/base_url"
LEGACY_TIMEOUT = "connection/timeout_seconds"
LEGACY_PROXY = "connection/proxy"
LEGACY_RECENT = "history/recent_ids"
MAX_RECENT = 20


class ShownConnection(NamedTuple):
    """How the window showed its connection: painted at start before connections are read.

    (A named tuple rather than a dataclass: ``dataclasses`` costs the first paint ~2 ms.)
    """

    ident: str
    name: str
    address: str
    demo: bool = False


class ColumnState(NamedTuple):
    """One column of a results table as the user left it: its stable key (never its words),
    its width in pixels (0: the default) and whether it is shown."""

    key: str
    width: int
    shown: bool


class Preferences:
    """Typed access to the app's QSettings; created once in ``main`` and passed in."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    @property
    def file_name(self) -> str:
        """Where the preferences are stored (for About)."""
        return self._settings.fileName()

    def legacy_connection(self) -> tuple[str | None, float, str]:
        """The base URL, timeout and proxy an older version kept (for the one-time migration)."""
        base_url = str(self._settings.value(LEGACY_BASE_URL, "") or "").strip() or None
        try:
            timeout = float(str(self._settings.value(LEGACY_TIMEOUT, 20)))
        except ValueError:
            timeout = 20.0
        proxy = str(self._settings.value(LEGACY_PROXY, "system") or "system")
        return base_url, timeout, proxy

    def active_connection(self) -> str | None:
        """The connection the window used last (its id)."""
        value = str(self._settings.value(KEY_ACTIVE, "") or "")
        return value or None

    def set_active_connection(self, shown: ShownConnection) -> None:
        """Remember the window's connection, and how it was shown (for the next first paint)."""
        self._settings.setValue(KEY_ACTIVE, shown.ident)
        self._settings.setValue(KEY_SHOWN_NAME, shown.name)
        self._settings.setValue(KEY_SHOWN_ADDRESS, shown.address)
        self._settings.setValue(KEY_SHOWN_DEMO, "true" if shown.demo else "false")

    def shown_connection(self) -> ShownConnection | None:
        """The connection the window showed last, as it was shown (None before the first)."""
        ident = self.active_connection()
        name = str(self._settings.value(KEY_SHOWN_NAME, "") or "")
        if ident is None or not name:
            return None
        address = str(self._settings.value(KEY_SHOWN_ADDRESS, "") or "")
        demo = str(self._settings.value(KEY_SHOWN_DEMO, "false")).lower() == "true"
        return ShownConnection(ident, name, address, demo)

    def workers(self) -> int:
        """How many requests may run at once (1 to 8, default 4)."""
        try:
            value = int(str(self._settings.value(KEY_WORKERS, DEFAULT_WORKERS)))
        except ValueError:
            return DEFAULT_WORKERS
        return min(MAX_WORKERS, max(1, value))

    def set_workers(self, count: int) -> None:
        """Remember how many requests may run at once (used from the next start)."""
        self._settings.setValue(KEY_WORKERS, int(count))

    def details_enabled(self) -> bool:
        """Whether learner and class names are fetched (GetUser/GetClass); on by default."""
        return str(self._settings.value(KEY_DETAILS, "true")).lower() not in ("false", "0")

    def set_details_enabled(self, enabled: bool) -> None:
        """Turn fetching names on or off (some keys may not be allowed to read users)."""
        self._settings.setValue(KEY_DETAILS, "true" if enabled else "false")

    def geometry(self) -> QByteArray | None:
        """The saved window geometry."""
        value = self._settings.value(KEY_GEOMETRY)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_geometry(self, value: QByteArray) -> None:
        """Remember the window geometry."""
        self._settings.setValue(KEY_GEOMETRY, value)

    def columns(self, page: str) -> list[ColumnState] | None:
        """The columns of ``page``'s table in the order the user left them (None: defaults).

        Stored as ``key:width`` items, hidden ones prefixed with ``-``: readable in the file,
        and a key this version does not know is simply skipped by the table.
        """
        raw = str(self._settings.value(KEY_COLUMNS.format(page=page), "") or "")
        out: list[ColumnState] = []
        for item in raw.split(","):
            text = item.strip()
            shown = not text.startswith("-")
            key, _, width = text.lstrip("-").partition(":")
            if key and key not in (c.key for c in out):
                out.append(ColumnState(key, int(width) if width.isdigit() else 0, shown))
        return out or None

    def set_columns(self, page: str, columns: list[ColumnState]) -> None:
        """Remember ``page``'s columns (order, widths, shown or not)."""
        text = ",".join(f"{'' if c.shown else '-'}{c.key}:{max(0, c.width)}" for c in columns)
        self._settings.setValue(KEY_COLUMNS.format(page=page), text)

    def reset_columns(self, page: str) -> None:
        """Forget ``page``'s columns: the defaults from now on."""
        self._settings.remove(KEY_COLUMNS.format(page=page))

    def _history_key(self, connection_id: str) -> str:
        # Ids from one server mean nothing (or something else) on another: one list each.
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in connection_id)
        return f"history/{safe}/recent_ids"

    def recent_ids(self, connection_id: str) -> list[int]:
        """Recently looked-up ids on ``connection_id``, newest first (ids only)."""
        raw = self._settings.value(self._history_key(connection_id), "")
        out: list[int] = []
        for part in str(raw or "").split(","):
            text = part.strip()
            if text.isdigit() and 0 < int(text) <= INT32_MAX and int(text) not in out:
                out.append(int(text))
        return out[:MAX_RECENT]

    def add_recent_id(self, connection_id: str, enrollment_id: int) -> None:
        """Put ``enrollment_id`` first in the connection's history."""
        ids = [enrollment_id] + [i for i in self.recent_ids(connection_id) if i != enrollment_id]
        self._settings.setValue(
            self._history_key(connection_id), ",".join(str(i) for i in ids[:MAX_RECENT])
        )

    def clear_history(self, connection_id: str) -> None:
        """Forget every recent id of the connection."""
        self._settings.remove(self._history_key(connection_id))

    def adopt_legacy_history(self, connection_id: str) -> None:
        """Give the one history of older versions to the connection it was made on."""
        raw = self._settings.value(LEGACY_RECENT, "")
        if raw and not self._settings.contains(self._history_key(connection_id)):
            self._settings.setValue(self._history_key(connection_id), raw)
        self._settings.remove(LEGACY_RECENT)

    def sync(self) -> None:
        """Write to disk now."""
        self._settings.sync()


def open_settings() -> QSettings:
    """The window preferences' store: the platform's own (the app's names are set on the
    QApplication first), or a file under ``ENROLL_VIEWER_HOME``."""
    from enroll_viewer.store.paths import preferences_file  # noqa: PLC0415

    path = preferences_file()
    if path is None:
        return QSettings()
    return QSettings(str(path), QSettings.Format.IniFormat)
