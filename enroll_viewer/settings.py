"""Non-secret preferences in QSettings, behind one wrapper. Never the key, never records."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from enroll_viewer.validation import INT32_MAX

KEY_BASE_URL = "connection/base_url"
KEY_TIMEOUT = "connection/timeout_seconds"
KEY_GEOMETRY = "window/geometry"
KEY_RECENT = "history/recent_ids"
KEY_DETAILS = "lookup/fetch_details"
KEY_PROXY = "connection/proxy"
MAX_RECENT = 20
DEFAULT_TIMEOUT = 20


class Preferences:
    """Typed access to the app's QSettings; created once in ``main`` and passed in."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    @property
    def file_name(self) -> str:
        """Where the preferences are stored (for About)."""
        return self._settings.fileName()

    def base_url(self) -> str | None:
        """The user's own base URL, if they set one."""
        value = self._settings.value(KEY_BASE_URL, "")
        return str(value).strip() or None

    def set_base_url(self, value: str | None) -> None:
        """Remember the user's base URL (``None`` returns to the preset/default)."""
        if value:
            self._settings.setValue(KEY_BASE_URL, value)
        else:
            self._settings.remove(KEY_BASE_URL)

    def timeout(self) -> int:
        """Seconds a whole lookup may take (5 to 120)."""
        try:
            value = int(str(self._settings.value(KEY_TIMEOUT, DEFAULT_TIMEOUT)))
        except ValueError:
            return DEFAULT_TIMEOUT
        return min(120, max(5, value))

    def set_timeout(self, seconds: int) -> None:
        """Remember the lookup timeout."""
        self._settings.setValue(KEY_TIMEOUT, int(seconds))

    def proxy(self) -> str:
        """``system`` (default), ``none``, or a proxy URL."""
        return str(self._settings.value(KEY_PROXY, "system") or "system")

    def set_proxy(self, value: str) -> None:
        """Remember the proxy choice."""
        self._settings.setValue(KEY_PROXY, value)

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

    def recent_ids(self) -> list[int]:
        """Recently looked-up ids, newest first (ids only: records are personal data)."""
        raw = self._settings.value(KEY_RECENT, "")
        out: list[int] = []
        for part in str(raw or "").split(","):
            text = part.strip()
            if text.isdigit() and 0 < int(text) <= INT32_MAX and int(text) not in out:
                out.append(int(text))
        return out[:MAX_RECENT]

    def add_recent_id(self, enrollment_id: int) -> None:
        """Put ``enrollment_id`` first in the history."""
        ids = [enrollment_id] + [i for i in self.recent_ids() if i != enrollment_id]
        self._settings.setValue(KEY_RECENT, ",".join(str(i) for i in ids[:MAX_RECENT]))

    def clear_history(self) -> None:
        """Forget every recent id."""
        self._settings.remove(KEY_RECENT)

    def sync(self) -> None:
        """Write to disk now."""
        self._settings.sync()
