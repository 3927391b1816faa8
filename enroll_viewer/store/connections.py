"""Loading and saving connections: the user's plain JSON file (written atomically), IT's preset
in the system-wide ``config.ini``, the environment, and the move from one base URL. No Qt: the
command line reads and edits the same file.
"""

from __future__ import annotations

import configparser
import json
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from enroll_viewer import APP_ID, DEMO_ID
from enroll_viewer.api.errors import InvalidInput
from enroll_viewer.api.validation import DEFAULT_BASE_URL, normalize_base_url, url_host
from enroll_viewer.store.connection import (
    DEFAULT_TIMEOUT,
    ENVIRONMENT,
    ENVIRONMENT_ID,
    PRODUCTION,
    PRODUCTION_ID,
    Connection,
    ConnectionKind,
    Connections,
    clamp_timeout,
    demo,
    normalize_name,
    normalize_site_url,
    production,
    slug,
)

log = logging.getLogger(__name__)

ENV_BASE_URL = "ENROLL_VIEWER_BASE_URL"
ENV_CONFIG = "ENROLL_VIEWER_CONFIG"
ENV_CONNECTIONS = "ENROLL_VIEWER_CONNECTIONS"
FILE_FORMAT = 1


# --- the files --------------------------------------------------------------------------------


def user_file_path() -> Path:
    """The user's connections file (``ENROLL_VIEWER_CONNECTIONS`` overrides)."""
    override = os.environ.get(ENV_CONNECTIONS)
    if override:
        return Path(override)
    from enroll_viewer.store.paths import user_config_dir  # noqa: PLC0415

    return user_config_dir() / "connections.json"


def system_config_path() -> Path:
    """The machine-wide config file IT may deploy (``ENROLL_VIEWER_CONFIG`` overrides).

    Linux ``/etc/xdg/enroll-viewer/config.ini``; Windows
    ``C:\\ProgramData\\enroll-viewer\\config.ini``; macOS
    ``/Library/Application Support/enroll-viewer/config.ini``.
    """
    override = os.environ.get(ENV_CONFIG)
    if override:
        return Path(override)
    import platformdirs  # noqa: PLC0415

    return Path(platformdirs.site_config_dir(APP_ID, appauthor=False)) / "config.ini"


@dataclass
class _ItPreset:
    connections: list[Connection] = field(default_factory=list)
    default: str | None = None


def read_it_preset(path: Path | None = None) -> _ItPreset:
    """Connections IT predefines in the system config file; unreadable parts are logged."""
    path = path or system_config_path()
    parser = configparser.ConfigParser(interpolation=None)
    preset = _ItPreset()
    try:
        if not parser.read(path, encoding="utf-8"):
            return preset
    except (OSError, configparser.Error, UnicodeDecodeError) as exc:
        log.warning("cannot read %s: %s", path, exc)
        return preset
    taken: set[str] = set()
    legacy = parser.get("api", "base_url", fallback="").strip()
    if legacy:
        try:
            url = normalize_base_url(legacy)
            if url != DEFAULT_BASE_URL:
                name = parser.get("api", "name", fallback="").strip() or url_host(url)
                item = _managed(name, url, parser["api"], taken)
                preset.connections.append(item)
                preset.default = item.name
        except InvalidInput as exc:
            log.warning("%s: [api] base_url: %s", path, exc.message)
    for section in parser.sections():
        if not section.lower().startswith("connection:"):
            continue
        try:
            name = normalize_name(section.split(":", 1)[1])
            url = normalize_base_url(parser.get(section, "base_url", fallback=""))
            preset.connections.append(_managed(name, url, parser[section], taken))
        except InvalidInput as exc:
            log.warning("%s: [%s]: %s", path, section, exc.message)
    default = parser.get("connections", "default", fallback="").strip()
    if default:
        preset.default = default
    return preset


def _managed(name: str, url: str, section: Mapping[str, str], taken: set[str]) -> Connection:
    site = section.get("site_url", "").strip()
    locked = section.get("locked", "false").strip().lower() in ("1", "true", "yes", "on")
    ident = slug(name, taken)
    taken.add(ident)
    return Connection(
        ident,
        name,
        url,
        normalize_site_url(site) if site else "",
        clamp_timeout(section.get("timeout", DEFAULT_TIMEOUT)),
        section.get("proxy", "system").strip() or "system",
        ConnectionKind.MANAGED,
        locked,
    )


class ConnectionsFileError(InvalidInput):
    """The user's connections file exists but cannot be read or understood."""

    default_title = "Connections file unreadable"


def read_user_file(path: Path) -> tuple[list[Connection], str | None] | None:
    """The user's connections and default from ``path``; None when there is no file.

    Raises:
        ConnectionsFileError: the file is there but unreadable (its name is in the message).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise _corrupt(path, str(exc)) from None
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("connections"), list):
            raise ValueError("no list of connections")
        items: list[Connection] = []
        seen_ids: set[str] = set()
        for entry in data["connections"]:
            item = _from_json(entry)
            if item.id in seen_ids:
                raise ValueError(f"the id {item.id!r} is used twice")
            seen_ids.add(item.id)
            items.append(item)
        default = data.get("default")
        return items, default if isinstance(default, str) else None
    except (ValueError, TypeError, KeyError, InvalidInput) as exc:
        detail = exc.message if isinstance(exc, InvalidInput) else str(exc)
        raise _corrupt(path, detail) from None


def _corrupt(path: Path, detail: str) -> ConnectionsFileError:
    return ConnectionsFileError(
        f"The connections file {path} cannot be read ({detail}). Production is used; fix or "
        "remove the file to get your connections back.",
    )


def _from_json(entry: Any) -> Connection:
    if not isinstance(entry, dict):
        raise ValueError("a connection is not an object")
    ident = str(entry.get("id", "")).strip()
    if not ident:
        raise ValueError("a connection has no id")
    if ident == PRODUCTION_ID:
        site = str(entry.get("site_url") or "")
        return production(
            site_url=normalize_site_url(site) if site else "",
            timeout=clamp_timeout(entry.get("timeout")),
            proxy=str(entry.get("proxy") or "system"),
        )
    if ident in (DEMO_ID, ENVIRONMENT_ID):
        raise ValueError(f"{ident!r} is built in")
    site = str(entry.get("site_url") or "")
    return Connection(
        ident,
        normalize_name(str(entry.get("name", ""))),
        normalize_base_url(str(entry.get("base_url", ""))),
        normalize_site_url(site) if site else "",
        clamp_timeout(entry.get("timeout")),
        str(entry.get("proxy") or "system"),
        ConnectionKind.USER,
    )


def _to_json(item: Connection) -> dict[str, Any]:
    out: dict[str, Any] = {"id": item.id}
    if item.kind is ConnectionKind.USER:
        out.update(name=item.name, base_url=item.base_url)
    out.update(site_url=item.site_url, timeout=item.timeout, proxy=item.proxy)
    return out


def write_user_file(path: Path, items: Iterable[Connection], default: str) -> None:
    """Write the user's connections atomically: a crash mid-write leaves the old file whole.

    Raises:
        OSError: the folder cannot be written.
    """
    saved = [
        _to_json(c) for c in items if c.kind in (ConnectionKind.USER, ConnectionKind.PRODUCTION)
    ]
    text = json.dumps(
        {"format": FILE_FORMAT, "default": default, "connections": saved},
        indent=2,
        ensure_ascii=False,
    )
    import tempfile  # noqa: PLC0415 - only writers pay for it

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".connections-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def load(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Connections:
    """Every connection, from the built-ins, the user's file, IT's preset and the environment.

    Never raises for a bad user file: ``problem`` says what is wrong and the rest still loads.
    """
    environ = os.environ if environ is None else environ
    path = path or user_file_path()
    problem: str | None = None
    unreadable = False
    user: list[Connection] = []
    default: str | None = None
    try:
        found = read_user_file(path)
    except ConnectionsFileError as exc:
        problem, unreadable, found = exc.message, True, None
    if found is not None:
        user, default = found
    prod = next((c for c in user if c.kind is ConnectionKind.PRODUCTION), production())
    preset = read_it_preset()
    items: list[Connection] = [prod]
    names = {prod.name.casefold()}
    for item in [c for c in user if c.kind is ConnectionKind.USER] + preset.connections:
        if item.name.casefold() in names:
            log.warning("a second connection called %s is left out", item.name)
            continue
        names.add(item.name.casefold())
        items.append(item)
    env_target = PRODUCTION_ID
    refused: str | None = None
    env_url = environ.get(ENV_BASE_URL, "").strip()
    if env_url:
        try:
            url = normalize_base_url(env_url)
            items.append(
                Connection(
                    ENVIRONMENT_ID, ENVIRONMENT, url, kind=ConnectionKind.MANAGED, locked=True
                )
            )
            default = ENVIRONMENT
            env_target = ENVIRONMENT_ID
        except InvalidInput as exc:
            refused = (
                f"{ENV_BASE_URL} is not used: {exc.message} Nothing is looked up until it is "
                "unset or corrected."
            )
    items.append(demo())
    if default is None or not any(c.name.casefold() == default.casefold() for c in items):
        default = preset.default if preset.default else PRODUCTION
    result = Connections(tuple(items), default, path, problem, env_target, unreadable, refused)
    if result.find(default) is None:
        result = replace(result, default=PRODUCTION)
    return result


def save(connections: Connections, items: Iterable[Connection], default: str) -> Connections:
    """Write the user's part of ``items`` and return the connections as loaded again."""
    write_user_file(connections.path, items, default)
    return load(connections.path)


def add(
    connections: Connections,
    name: str,
    base_url: str,
    site_url: str = "",
    timeout: float = DEFAULT_TIMEOUT,
    proxy: str = "system",
) -> Connections:
    """Add a user connection (names are unique, ignoring case).

    Raises:
        InvalidInput: a bad name or URL, or a name already used.
        OSError: the file cannot be written.
    """
    refuse_if_unreadable(connections)
    clean = normalize_name(name)
    if connections.find(clean) is not None:
        raise InvalidInput(f"There is already a connection called {clean}.", "Name in use")
    item = Connection(
        slug(clean, (c.id for c in connections.items)),
        clean,
        normalize_base_url(base_url),
        normalize_site_url(site_url) if site_url.strip() else "",
        clamp_timeout(timeout),
        proxy,
        ConnectionKind.USER,
    )
    return save(connections, [*connections.user_items, item], connections.default)


def update(connections: Connections, item: Connection, new_name: str | None = None) -> Connections:
    """Store changed settings of ``item`` (a rename for user connections keeps its id).

    Raises:
        InvalidInput: the connection is locked or unknown, or the new name is taken.
    """
    refuse_if_unreadable(connections)
    current = next((c for c in connections.items if c.id == item.id), None)
    if (
        current is None
        or current.locked
        or current.kind
        not in (
            ConnectionKind.USER,
            ConnectionKind.PRODUCTION,
        )
    ):
        raise InvalidInput(f"{item.name} cannot be changed here.", "Connection locked")
    default = connections.default
    if new_name is not None and item.kind is ConnectionKind.USER:
        clean = normalize_name(new_name)
        other = connections.find(clean)
        if other is not None and other.id != item.id:
            raise InvalidInput(f"There is already a connection called {clean}.", "Name in use")
        if default.casefold() == current.name.casefold():
            default = clean
        item = replace(item, name=clean)
    items = [item if c.id == item.id else c for c in connections.user_items]
    return save(connections, items, default)


def remove(connections: Connections, name: str) -> tuple[Connections, Connection]:
    """Remove a user connection; the default falls back to Production if it was this one.

    Raises:
        InvalidInput: unknown, built in, or predefined by IT.
    """
    refuse_if_unreadable(connections)
    item = connections.get(name)
    if item.kind is not ConnectionKind.USER:
        raise InvalidInput(f"{item.name} is built in or set by IT; it cannot be removed.")
    default = connections.default
    if default.casefold() == item.name.casefold():
        default = PRODUCTION
    items = [c for c in connections.user_items if c.id != item.id]
    return save(connections, items, default), item


def set_default(connections: Connections, name: str) -> Connections:
    """Make ``name`` the default connection (the command line's, and the window's first)."""
    refuse_if_unreadable(connections)
    item = connections.get(name)
    return save(connections, connections.user_items, item.name)


def refuse_if_unreadable(connections: Connections) -> None:
    """Writing over a file that could not be read would lose what is in it: refuse."""
    if connections.unreadable and connections.problem:
        raise ConnectionsFileError(connections.problem)


def migrate(path: Path, base_url: str | None, timeout: float, proxy: str) -> Connections | None:
    """First start after the update: turn the one base URL of old versions into connections.

    Production keeps the old timeout and proxy; another base URL becomes a connection named
    after its host, and the default. Does nothing (returns None) when the file exists.
    """
    if path.exists():
        return None
    items = [production(timeout=clamp_timeout(timeout), proxy=proxy or "system")]
    default = PRODUCTION
    if base_url:
        try:
            url = normalize_base_url(base_url)
        except InvalidInput:
            url = DEFAULT_BASE_URL
        if url != DEFAULT_BASE_URL:
            name = normalize_name(url_host(url))
            items.append(
                Connection(slug(name), name, url, "", clamp_timeout(timeout), proxy or "system")
            )
            default = name
    write_user_file(path, items, default)
    log.info("connections migrated to %s", path)
    return load(path)
