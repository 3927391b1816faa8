"""What Settings collects, checked: connection edits and app options. No widgets."""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from enroll_viewer.api.errors import AppError, InvalidInput
from enroll_viewer.api.validation import check_api_key, normalize_base_url
from enroll_viewer.store.connection import (
    Connection,
    ConnectionKind,
    normalize_name,
    normalize_site_url,
)


@dataclass(frozen=True)
class ConnectionEdit:
    """One connection as the user left it. ``original`` is None for a new one; ``new_key`` is
    None when the key field was left empty."""

    original: Connection | None
    name: str
    base_url: str
    site_url: str
    timeout: int
    proxy: str
    new_key: str | None = None
    forget_key: bool = False

    def __repr__(self) -> str:
        return f"ConnectionEdit({self.name!r}, new_key={'set' if self.new_key else None})"

    @property
    def changed(self) -> bool:
        """True when anything differs from the original (or it is new)."""
        if self.original is None or self.new_key is not None or self.forget_key:
            return True
        o = self.original
        return (self.name, self.base_url, self.site_url, self.timeout, self.proxy) != (
            o.name,
            o.base_url,
            o.site_url,
            int(o.timeout),
            o.proxy,
        )


@dataclass(frozen=True)
class SettingsResult:
    """What the user chose: changed and new connections, removed ones, and app settings."""

    edits: tuple[ConnectionEdit, ...]
    removed: tuple[Connection, ...]
    details: bool
    workers: int


@dataclass
class Draft:
    original: Connection | None
    name: str
    base_url: str
    site_url: str
    timeout: int
    proxy: str
    key: str = ""
    forget: bool = False


def checked(draft: Draft) -> ConnectionEdit:
    original = draft.original
    kind = original.kind if original else ConnectionKind.USER
    what = f" ({draft.name.strip() or 'new connection'})"
    try:
        if kind is ConnectionKind.USER:
            name = normalize_name(draft.name)
            base_url = normalize_base_url(draft.base_url)
        else:
            assert original is not None
            name, base_url = original.name, original.base_url
        site = draft.site_url.strip()
        site_url = normalize_site_url(site) if site else ""
        proxy = _proxy_value(draft.proxy)
        new_key = check_api_key(draft.key) if draft.key.strip() else None
    except AppError as exc:
        raise exc.with_text(exc.message + what) from None
    edit = ConnectionEdit(
        original,
        name,
        base_url,
        site_url,
        draft.timeout,
        proxy,
        new_key,
        draft.forget and not new_key,
    )
    if original is not None and original.locked:
        # IT fixed its settings; only the key (the user's own) may change.
        edit = replace(
            edit,
            site_url=original.site_url,
            timeout=int(original.timeout),
            proxy=original.proxy,
        )
    return edit


def _proxy_value(value: str) -> str:
    if value in ("system", "none"):
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(
            "A manual proxy looks like http://proxy.example.edu:8080.", "Invalid proxy"
        )
    return value


def origin_note(connection: Connection | None) -> str:
    if connection is None:
        return ""
    if connection.kind is ConnectionKind.PRODUCTION:
        return " Production is built in; add a connection for another host."
    if connection.kind is ConnectionKind.MANAGED and connection.id == "environment":
        return " Set by ENROLL_VIEWER_BASE_URL."
    if connection.kind is ConnectionKind.MANAGED:
        return " Set by IT (the system-wide config.ini)."
    return ""
