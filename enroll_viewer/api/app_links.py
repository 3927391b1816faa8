"""Enrollment links (``enroll-viewer://enrollment/12345?connection=Test``) and what
``enroll-viewer ID`` asks for: parsed and checked here, without Qt, for the command line and the
window alike.

A link carries an enrollment id (or an external id) and, optionally, the name of a connection
that must already exist. Nothing else: another path, another parameter (a base URL, a key), a
fragment, control characters or more than :data:`MAX_TARGET` characters are refused, so a link
can only ever cause one lookup on a connection the user set up, never a change of settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, unquote_plus, urlsplit

from enroll_viewer import URL_SCHEME
from enroll_viewer.api.errors import InvalidInput
from enroll_viewer.api.limits import INT32_MAX
from enroll_viewer.api.records import LookupKey, LookupKind
from enroll_viewer.api.validation import parse_lookup_input

LINK_HOST = "enrollment"
LINK_PREFIX = f"{URL_SCHEME}://{LINK_HOST}/"
MAX_TARGET = 200  # characters of an id or a link, as given
MAX_CONNECTION_NAME = 40  # as store.connection.MAX_NAME (api/ cannot import store/)
CONNECTION_PARAM = "connection"
REFUSED = "Link refused"
NOTHING = "Nothing was looked up."
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
# What a link must percent-encode in the id (path) and in the connection name (query); the rest
# may stay as it is (see app_link).
_PATH_RESERVED = "%/?#"
_QUERY_RESERVED = "%#&;+"


@dataclass(frozen=True)
class OpenRequest:
    """What a start from outside asks of the window.

    ``key`` is None for a plain start (bring the window to the front); ``connection`` is the
    name of the connection to switch to, or None to stay on the one in use.
    """

    key: LookupKey | None = None
    connection: str | None = None


def _refuse(reason: str, title: str = REFUSED) -> InvalidInput:
    return InvalidInput(f"{reason} {NOTHING}", title)


def looks_like_link(text: str) -> bool:
    """True when ``text`` starts with a URL scheme (``word:``), ours or any other.

    Such text is never taken for an external id: ``javascript:…``, ``file:…``, ``https:…`` and
    ``C:\\…`` are refused instead of being looked up.
    """
    scheme, colon, _ = text.strip().partition(":")
    return bool(
        colon
        and scheme[:1].isascii()
        and scheme[:1].isalpha()
        and all(ch.isascii() and (ch.isalnum() or ch in "+.-") for ch in scheme)
    )


def check_connection_name(text: str) -> str:
    """A connection name as a link or ``--connection`` gives it: trimmed, 1 to 40 printable
    characters. Whether it exists is for the window to say.

    Raises:
        InvalidInput: the name cannot be a connection's.
    """
    name = text.strip()
    if not name or len(name) > MAX_CONNECTION_NAME or not name.isprintable():
        raise _refuse(
            f"A connection name is 1 to {MAX_CONNECTION_NAME} printable characters.",
            "Invalid connection name",
        )
    return name


def parse_app_link(text: str) -> OpenRequest:
    """The lookup an ``enroll-viewer://enrollment/<id>[?connection=<name>]`` link asks for.

    The scheme and ``enrollment`` may be in any case, and one trailing ``/`` is allowed (some
    browsers add it). The id is percent-decoded once and checked as typed ids are.

    Raises:
        InvalidInput: anything else, with the reason; nothing is to be looked up.
    """
    if len(text) > MAX_TARGET:
        raise _refuse(f"A link is at most {MAX_TARGET} characters.")
    link = text.strip()
    if not link.isprintable() or any(ch.isspace() for ch in link):
        raise _refuse("A link cannot contain spaces, line breaks or control characters.")
    if not link.lower().startswith(f"{URL_SCHEME}:"):
        raise _refuse(f"Only {URL_SCHEME}:// links open enrollments.")
    if _BAD_ESCAPE.search(link):
        raise _refuse("The link has a % that is not followed by two hexadecimal digits.")
    try:
        parts = urlsplit(link)
        port = parts.port
    except ValueError:
        raise _refuse("This is not a valid link.") from None
    if parts.netloc.lower() != LINK_HOST or port is not None:
        raise _refuse(f"A link must start with {LINK_PREFIX}.")
    if parts.fragment or "#" in link:
        raise _refuse("A link cannot carry a fragment (#…).")
    segment = parts.path.removeprefix("/")
    segment = segment[:-1] if segment.endswith("/") else segment
    if not parts.path.startswith("/") or not segment or "/" in segment:
        raise _refuse(f"A link is {LINK_PREFIX} followed by one enrollment id.")
    connection = _query_connection(parts.query)
    try:
        ident = unquote(segment, errors="strict")
    except UnicodeDecodeError:
        raise _refuse("The id in the link is not valid UTF-8.") from None
    try:
        key = parse_lookup_input(ident)
    except InvalidInput as exc:
        raise _refuse(exc.message) from None
    return OpenRequest(key, connection)


def _query_connection(query: str) -> str | None:
    if not query:
        return None
    params = re.split("[&;]", query)
    names = [param.partition("=")[0] for param in params]
    other = next((name for name in names if name != CONNECTION_PARAM), None)
    if other is not None:
        raise _refuse(
            f"A link may carry only ?{CONNECTION_PARAM}=NAME, not {other[:20]!r} (a link never "
            "changes settings: no base URL, no key)."
        )
    if len(params) > 1:
        raise _refuse("A link names one connection at most.")
    try:
        decoded = unquote_plus(query.partition("=")[2], errors="strict")
    except UnicodeDecodeError:
        raise _refuse("The connection name in the link is not valid UTF-8.") from None
    return check_connection_name(decoded)


def parse_target(text: str, connection: str | None = None) -> OpenRequest:
    """What ``enroll-viewer [--connection NAME] [ID | LINK]`` asks for.

    ``text`` is an enrollment id, an external id, an enrollment link, or empty (just open the
    window). ``connection`` is ``--connection``'s value; a link that names another one is
    refused.

    Raises:
        InvalidInput: with the reason (exit code 2 on the command line).
    """
    if len(text) > MAX_TARGET:
        raise _refuse(f"An id or a link is at most {MAX_TARGET} characters.", "Too long")
    named = check_connection_name(connection) if connection is not None else None
    if looks_like_link(text):
        request = parse_app_link(text)
        if named and request.connection and named.casefold() != request.connection.casefold():
            raise _refuse("The link names another connection than --connection.")
        return OpenRequest(request.key, request.connection or named)
    value = text.strip()
    if not value:
        return OpenRequest(None, named)
    try:
        key = parse_lookup_input(value)
    except InvalidInput as exc:
        raise _refuse(exc.message, exc.title) from None
    return OpenRequest(key, named)


def app_link(key: LookupKey | int, connection: str | None = None) -> str | None:
    """The link that opens ``key`` (or an enrollment id given as a number), on ``connection``
    when one is given; None when no link of at most :data:`MAX_TARGET` characters can say it.

    Everything but ASCII letters and digits is percent-encoded, so the link survives being
    pasted anywhere. Only when that is too long are other characters (``é``) left as they are,
    so any link :func:`parse_app_link` accepts can be written again.
    """
    if isinstance(key, int):
        if isinstance(key, bool) or not 1 <= key <= INT32_MAX:
            return None
        key = LookupKey(LookupKind.ID, str(key))
    for minimal in (False, True):
        link = LINK_PREFIX + _encode(key.value, _PATH_RESERVED, minimal)
        if connection is not None:
            link += f"?{CONNECTION_PARAM}={_encode(connection, _QUERY_RESERVED, minimal)}"
        if len(link) <= MAX_TARGET:
            return link
    return None


def _encode(text: str, reserved: str, minimal: bool) -> str:
    if not minimal:
        return quote(text, safe="")
    spaces_as_plus = "+" in reserved  # the query, which unquote_plus reads
    return "".join(
        "+"
        if ch == " " and spaces_as_plus
        else quote(ch, safe="")
        if ch in reserved or ch.isspace() or not ch.isprintable()
        else ch
        for ch in text
    )
