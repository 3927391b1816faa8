"""Named connections (Production, Test, ...): where requests go, how they are named on screen,
and which key they use. Plain data and a plain JSON file: the command line reads it without Qt.

Where they come from, in the order they are listed:

* **Production** (built in; its timeout, proxy and site URL can be changed, not its base URL);
* the user's own, in ``connections.json`` in the user's config folder;
* those IT predefines in the system-wide ``config.ini`` (``[connection:NAME]`` sections, and the
  older ``[api] base_url``), read-only when ``locked = true``;
* **Environment**, when ``ENROLL_VIEWER_BASE_URL`` is set (locked, and the default);
* **Demo** (built in; the embedded demo API).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Any

from enroll_viewer import DEMO_ID, DEMO_NAME
from enroll_viewer.api.errors import InvalidInput
from enroll_viewer.api.validation import (
    DEFAULT_BASE_URL,
    is_loopback_host,
    normalize_base_url,
    url_host,
    url_hostname,
)

PRODUCTION = "Production"
DEMO = DEMO_NAME
ENVIRONMENT = "Environment"
PRODUCTION_ID = "production"
ENVIRONMENT_ID = "environment"
MIN_TIMEOUT, MAX_TIMEOUT, DEFAULT_TIMEOUT = 5, 120, 20
MAX_NAME = 40


class ConnectionKind(Enum):
    """Where a connection comes from (which decides what a user may change)."""

    PRODUCTION = "production"  # built in
    DEMO = "demo"  # built in: the embedded demo API
    USER = "user"  # the user's own
    MANAGED = "managed"  # predefined by IT (system config or environment)
    ONE_OFF = "one-off"  # a --base-url given on the command line


@dataclass(frozen=True)
class Connection:
    """A named server: API base URL, TMS site URL (for links), timeout and proxy.

    ``id`` is stable (renaming keeps it) and names the key in the keyring. The demo's base URL
    is empty until the embedded demo API has started (:meth:`with_base_url`).
    """

    id: str
    name: str
    base_url: str
    site_url: str = ""
    timeout: float = DEFAULT_TIMEOUT
    proxy: str = "system"  # "system", "none", or a proxy URL
    kind: ConnectionKind = ConnectionKind.USER
    locked: bool = False

    @property
    def is_demo(self) -> bool:
        """True for the embedded demo API."""
        return self.kind is ConnectionKind.DEMO

    @property
    def host(self) -> str:
        """The API host (and port) for display."""
        return url_host(self.base_url) if self.base_url else "this computer"

    @property
    def caption(self) -> str:
        """What the window shows, e.g. ``Production · lms.learnondemand.net``."""
        if self.is_demo:
            return "DEMO · sample data on this computer"
        return f"{self.name} · {self.host}"

    @property
    def links_base(self) -> str:
        """The TMS site URL links are built on (the configured one, or ``https://<API host>``)."""
        return self.site_url or default_site_url(self.base_url)

    @property
    def editable(self) -> bool:
        """Whether a user may rename or remove it (Production and Demo are built in)."""
        return self.kind is ConnectionKind.USER

    def with_base_url(self, base_url: str, site_url: str = "") -> Connection:
        """The same connection at another address (the demo, once it has started)."""
        return replace(self, base_url=base_url, site_url=site_url or self.site_url)


def default_site_url(base_url: str) -> str:
    """``https://<API host>`` (``http://`` for this computer): where TMS pages usually live."""
    if not base_url:
        return ""
    host = url_host(base_url)
    scheme = "http" if is_loopback_host(url_hostname(base_url)) else "https"
    return f"{scheme}://{host}"


def normalize_site_url(text: str) -> str:
    """Check a TMS site URL (https, or http for this computer) and drop a trailing slash.

    Raises:
        InvalidInput: naming what is wrong.
    """
    try:
        return normalize_base_url(text)
    except InvalidInput as exc:
        raise InvalidInput(
            exc.message.replace("base URL", "site URL"), "Invalid site URL"
        ) from None


def normalize_name(text: str) -> str:
    """A connection name as people type it: trimmed, 1 to 40 printable characters."""
    name = " ".join(text.split())
    if not name:
        raise InvalidInput("A connection needs a name, such as Test.", "Invalid name")
    if len(name) > MAX_NAME or not name.isprintable():
        raise InvalidInput(
            f"A connection name is at most {MAX_NAME} printable characters.", "Invalid name"
        )
    return name


def slug(name: str, taken: Iterable[str] = ()) -> str:
    """A stable id for a new connection: ``Test EU`` → ``test-eu`` (unique among ``taken``)."""
    base = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "connection"
    used = set(taken)
    candidate, n = base, 2
    while candidate in used or candidate in (PRODUCTION_ID, DEMO_ID, ENVIRONMENT_ID):
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def clamp_timeout(value: Any) -> float:
    """A timeout in seconds within 5 to 120 (20 when unreadable)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return DEFAULT_TIMEOUT
    if math.isnan(number):
        return DEFAULT_TIMEOUT
    return float(min(MAX_TIMEOUT, max(MIN_TIMEOUT, number)))


def production(**changes: Any) -> Connection:
    """The built-in Production connection."""
    return replace(
        Connection(PRODUCTION_ID, PRODUCTION, DEFAULT_BASE_URL, kind=ConnectionKind.PRODUCTION),
        **changes,
    )


def demo() -> Connection:
    """The built-in Demo connection (its address is set when the demo API starts)."""
    return Connection(DEMO_ID, DEMO, "", timeout=10, kind=ConnectionKind.DEMO)


def one_off(base_url: str, timeout: float = DEFAULT_TIMEOUT) -> Connection:
    """A connection for a ``--base-url`` given once (its key is the keyring entry of that URL)."""
    url = normalize_base_url(base_url)
    host = url_host(url)
    name = f"This computer ({host})" if is_loopback_host(url_hostname(url)) else host
    return Connection(url, name, url, timeout=timeout, kind=ConnectionKind.ONE_OFF)


@dataclass(frozen=True)
class Connections:
    """Every connection known, in display order, and which one is the default.

    ``problem`` says why the user's file could not be read (the built-ins are used then).
    ``refused`` names an administrator's setting that is wrong (``ENROLL_VIEWER_BASE_URL``):
    while it is set, nothing may be looked up anywhere, so that a key meant for one server
    never goes to another.
    """

    items: tuple[Connection, ...]
    default: str
    path: Path
    problem: str | None = None
    env_key_target: str = PRODUCTION_ID
    unreadable: bool = False  # the user's file is there but could not be read
    refused: str | None = None

    def refusal(self) -> InvalidInput | None:
        """The error every lookup fails with while :attr:`refused` is set (exit 2)."""
        if self.refused is None:
            return None
        return InvalidInput(self.refused, "Administrator setting refused")

    def find(self, name: str) -> Connection | None:
        """The connection called ``name`` (ignoring case), or by id."""
        wanted = name.strip().casefold()
        for item in self.items:
            if item.name.casefold() == wanted:
                return item
        for item in self.items:
            if item.id == wanted:
                return item
        return None

    def get(self, name: str) -> Connection:
        """Like :meth:`find`, but an unknown name is an error listing the known ones.

        Raises:
            InvalidInput: exit code 2 on the command line.
        """
        found = self.find(name)
        if found is None:
            known = ", ".join(item.name for item in self.items)
            raise InvalidInput(
                f"There is no connection called {name!r}. Known connections: {known}.",
                "Unknown connection",
            )
        return found

    @property
    def default_connection(self) -> Connection:
        """The default (Production when the default is missing)."""
        return self.find(self.default) or self.items[0]

    def by_base_url(self, base_url: str) -> Connection | None:
        """The first connection whose base URL is ``base_url``."""
        wanted = base_url.rstrip("/")
        return next((c for c in self.items if c.base_url and c.base_url == wanted), None)

    def for_base_url(self, base_url: str) -> Connection:
        """The connection a one-off ``--base-url`` means: a known one with that address, or a
        new one-off connection."""
        url = normalize_base_url(base_url)
        return self.by_base_url(url) or one_off(url)

    @property
    def user_items(self) -> tuple[Connection, ...]:
        """What the user's file holds (their own connections and Production's settings)."""
        return tuple(
            c for c in self.items if c.kind in (ConnectionKind.USER, ConnectionKind.PRODUCTION)
        )
