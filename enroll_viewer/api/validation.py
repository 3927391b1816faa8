"""Checks on what people type (ids, base URLs, keys), done before anything is sent."""

from __future__ import annotations

from urllib.parse import urlsplit

from enroll_viewer.api.errors import InvalidInput, KeyIssue, KeyProblem
from enroll_viewer.api.limits import INT32_MAX, MAX_EXTERNAL_ID, MAX_KEY_LENGTH
from enroll_viewer.api.records import LookupKey, LookupKind

DEFAULT_BASE_URL = "https://lms.learnondemand.net/api/2.0"


def parse_enrollment_id(text: str) -> int:
    """Return the enrollment id in ``text`` (trimmed; digits only; 1 to 2147483647).

    Raises:
        InvalidInput: with a message that says what is wrong.
    """
    value = text.strip()
    if not value:
        raise InvalidInput("Type a class enrollment id (a number such as 10).", "No enrollment id")
    if not (value.isascii() and value.isdigit()):
        raise InvalidInput(
            "An enrollment id is a number made of digits only, such as 10.", "Invalid enrollment id"
        )
    number = int(value)
    if not 1 <= number <= INT32_MAX:
        raise InvalidInput(
            f"An enrollment id is between 1 and {INT32_MAX}.", "Invalid enrollment id"
        )
    return number


def parse_lookup_input(text: str) -> LookupKey:
    """What to look up: a plain number is an enrollment id, anything else an external id.

    External ids are trimmed, printable and at most 100 characters.

    Raises:
        InvalidInput: before anything is sent.
    """
    value = text.strip()
    if not value or (value.isascii() and value.isdigit()):
        return LookupKey(LookupKind.ID, str(parse_enrollment_id(value)))  # or "No enrollment id"
    if len(value) > MAX_EXTERNAL_ID:
        raise InvalidInput(
            f"An external id is at most {MAX_EXTERNAL_ID} characters.", "Invalid external id"
        )
    if not value.isprintable():
        raise InvalidInput(
            "An external id cannot contain tabs, line breaks or other control characters.",
            "Invalid external id",
        )
    return LookupKey(LookupKind.EXTERNAL, value)


def is_loopback_host(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1 (where plain HTTP is allowed)."""
    host = host.strip("[]")
    if host.lower() in ("localhost", "localhost."):
        return True
    import ipaddress  # noqa: PLC0415 - only needed for hosts that are not names

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalize_base_url(text: str) -> str:
    """Check a base URL and return it without a trailing slash.

    HTTPS is required except for loopback hosts; credentials, queries and fragments are refused.

    Raises:
        InvalidInput: before any byte is sent.
    """
    value = text.strip()
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raise InvalidInput(f"{value!r} is not a valid URL.", "Invalid base URL") from None
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise InvalidInput(f"The base URL must look like {DEFAULT_BASE_URL}.", "Invalid base URL")
    if parts.scheme == "http" and not is_loopback_host(host):
        raise InvalidInput(
            "The base URL must use https:// so the API key is encrypted on the way "
            "(plain http:// is allowed only for this computer, 127.0.0.1 or localhost).",
            "Insecure base URL",
        )
    if parts.username or parts.password or parts.query or parts.fragment:
        raise InvalidInput(
            "The base URL must not contain a user name, password, query or fragment.",
            "Invalid base URL",
        )
    if port == 0:
        raise InvalidInput("The base URL has an invalid port.", "Invalid base URL")
    return value.rstrip("/")


def url_host(base_url: str) -> str:
    """The host (and port, when not the default) of a base URL, for display and for the
    keyring's service name: ``lms.learnondemand.net``, ``127.0.0.1:8080``, ``[::1]:8080``."""
    parts = urlsplit(base_url)
    return parts.netloc.rsplit("@", 1)[-1].lower() or base_url


def url_hostname(url: str) -> str:
    """Just the host name (IPv6 without brackets), lower case."""
    return (urlsplit(url).hostname or "").lower()


def parse_email(text: str) -> str:
    """A learner's email as typed (trimmed): something@somewhere, no spaces or controls.

    Raises:
        InvalidInput: before anything is sent.
    """
    value = text.strip()
    local, at, domain = value.rpartition("@")
    if not (at and local and domain) or not value.isprintable() or " " in value:
        raise InvalidInput(f"{value!r} is not an email address.", "Invalid email")
    if len(value) > 254:
        raise InvalidInput("An email address is at most 254 characters.", "Invalid email")
    return value


def check_api_key(text: str) -> str:
    """Trim a key and check it is plausible (no control characters, at most 1,000 characters).

    Raises:
        KeyProblem: the message never repeats the key.
    """
    key = text.strip()
    if not key:
        raise KeyProblem("The API key is empty.", "No API key", KeyIssue.INVALID)
    if len(key) > MAX_KEY_LENGTH:
        raise KeyProblem(
            f"The API key is longer than {MAX_KEY_LENGTH} characters; check what was pasted.",
            "API key too long",
            KeyIssue.INVALID,
        )
    if any(ord(ch) < 32 or ord(ch) == 127 or ch.isspace() for ch in key):
        raise KeyProblem(
            "The API key contains spaces or control characters; check what was pasted.",
            "Invalid API key",
            KeyIssue.INVALID,
        )
    return key


def hide_credentials(url: str) -> str:
    """``url`` with any user name and password replaced by ``***``."""
    parts = urlsplit(url)
    if not (parts.username or parts.password):
        return url
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return parts._replace(netloc=f"***@{host}{port}").geturl()


def origin_of(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of ``url``, with the scheme's default port filled in."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or (443 if scheme == "https" else 80)
