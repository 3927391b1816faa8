"""What a transport is told (:class:`ClientOptions`) and what it gives back (:class:`Reply`)."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping
from dataclasses import dataclass

MAX_BODY_BYTES = 4 * 1024 * 1024
BUSY_STATUSES = frozenset({429, 502, 503, 504})
MAX_RETRY_AFTER = 5.0


@dataclass(frozen=True)
class ClientOptions:
    """Tunables of a transport; ``deadline`` bounds one request, its retries included.

    ``busy_retries`` is how often a 429/502/503/504 is retried here (a batch sets 0 and pauses
    every worker itself); ``retries`` is for connections dropped mid-way.
    """

    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    deadline: float = 20.0
    max_bytes: int = MAX_BODY_BYTES
    retries: int = 2
    busy_retries: int = 2
    backoff: float = 0.5
    proxy: str = "system"  # "system", "none", or a proxy URL

    @classmethod
    def for_deadline(
        cls,
        seconds: float,
        retries: int = 2,
        proxy: str = "system",
        busy_retries: int | None = None,
    ) -> ClientOptions:
        """Options for requests bounded by ``seconds`` in all (connect and read fit inside)."""
        return cls(
            connect_timeout=min(5.0, seconds),
            read_timeout=min(15.0, seconds),
            deadline=seconds,
            retries=retries,
            busy_retries=retries if busy_retries is None else busy_retries,
            proxy=proxy,
        )


@dataclass(frozen=True)
class Reply:
    """An answer read in full: HTTP status, headers, body (decompressed, within the cap)."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    tries: int = 1

    @property
    def retry_after(self) -> float | None:
        """The ``Retry-After`` header in seconds, if any."""
        return retry_after_seconds(self.headers.get("Retry-After"))


def retry_after_seconds(value: str | None) -> float | None:
    """A ``Retry-After`` header (seconds or an HTTP date) in seconds from now."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
