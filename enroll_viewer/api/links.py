"""Links that open a record on the TMS web site.

Built only from a validated integer id and the connection's site URL (https, or this computer
for the demo); never from text the server sent.
"""

from __future__ import annotations

from typing import Protocol

from enroll_viewer.api.errors import InvalidInput
from enroll_viewer.api.limits import INT32_MAX
from enroll_viewer.api.records import ClassEnrollment
from enroll_viewer.api.validation import normalize_base_url


class Connection(Protocol):
    """What links need of a connection: its TMS site URL (``None`` when it has none)."""

    @property
    def links_base(self) -> str | None:
        """The TMS web site's base URL."""


def _site(connection: Connection) -> str | None:
    try:
        return normalize_base_url(connection.links_base) if connection.links_base else None
    except InvalidInput:
        return None


def _link(connection: Connection, route: str, ident: object) -> str | None:
    if not isinstance(ident, int) or isinstance(ident, bool) or not 1 <= ident <= INT32_MAX:
        return None
    site = _site(connection)
    return f"{site}/{route}/{ident}" if site else None


def enrollment_link(connection: Connection, enrollment_id: object) -> str | None:
    """``{site}/ClassEnrollment/{id}``: the enrollment's page (admins edit it there)."""
    return _link(connection, "ClassEnrollment", enrollment_id)


def user_link(connection: Connection, user_id: object) -> str | None:
    """``{site}/User/{id}``: the learner's profile."""
    return _link(connection, "User", user_id)


def class_link(connection: Connection, class_id: object) -> str | None:
    """``{site}/Class/{id}``: the class profile."""
    return _link(connection, "Class", class_id)


def links_json(connection: Connection, record: ClassEnrollment) -> dict[str, str | None]:
    """The ``Links`` object of ``lookup --json`` (a link is null where its id is null)."""
    return {
        "Enrollment": enrollment_link(connection, record.id),
        "User": user_link(connection, record.user_id),
        "Class": class_link(connection, record.class_id),
    }
