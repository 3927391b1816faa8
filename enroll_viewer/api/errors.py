"""The one family of typed errors that every failure becomes before it reaches a user.

Decisions (retry or not, which banner, which exit code) are made from the error's type and its
enum fields, never from its wording.
"""

from __future__ import annotations

import copy
from enum import Enum


class Reason(Enum):
    """Why a server could not be reached; the value is the short title people read."""

    DNS = "Server name not found"
    REFUSED = "Connection refused"
    TIMEOUT = "Timed out"
    CERTIFICATE = "Certificate problem"
    PROXY = "Proxy problem"
    CONNECTION = "Connection lost"

    @property
    def title(self) -> str:
        """The short title (``Timed out``)."""
        return self.value


class KeyIssue(Enum):
    """What is wrong with the API key, or with where it is kept."""

    MISSING = "missing"  # no key for this connection
    REJECTED = "rejected"  # the API refused it
    INVALID = "invalid"  # refused before saving: empty, too long, spaces
    LOCKED = "locked"  # the keyring is locked (or the unlock prompt was dismissed)
    NO_KEYRING = "no keyring"  # no secure keyring works on this computer
    KEYRING_FAILED = "keyring failed"  # the keyring answered with an error
    KEYRING_SLOW = "keyring slow"  # the keyring did not answer in time (an unlock prompt?)


class AppError(Exception):
    """A failure with a short title and a helpful message, safe to show to a registrar.

    Subclasses name the kind of failure; ``exit_code`` is what the command line returns for it
    and ``retryable`` says whether trying again later may help. Messages never contain the
    API key. Errors are not changed after they are raised: :meth:`with_text` makes a copy.
    """

    exit_code = 1
    default_title = "Something went wrong"
    retryable = False

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message)
        self.title = title or self.default_title
        self.message = message

    def __str__(self) -> str:
        return f"{self.title}: {self.message}"

    def sentence(self) -> str:
        """Title and message as one line (``Not found. No class enrollment …``)."""
        return f"{self.title}. {self.message}"

    def with_text(self, message: str, title: str | None = None) -> AppError:
        """A copy of this error with other wording (same type and fields)."""
        clone = copy.copy(self)
        clone.message = message
        clone.title = title if title is not None else self.title
        clone.args = (message,)
        return clone


class InvalidInput(AppError):
    """The enrollment id, base URL or another input was refused before anything was sent."""

    exit_code = 2
    default_title = "Invalid input"


class NotFound(AppError):
    """The API answered that no such enrollment (user, class) exists."""

    exit_code = 3
    default_title = "Not found"


class KeyProblem(AppError):
    """The API key is missing, invalid, or could not be read from or written to the keyring."""

    exit_code = 4
    default_title = "API key problem"

    def __init__(self, message: str, title: str | None = None, issue: KeyIssue | None = None):
        super().__init__(message, title)
        self.issue = issue or KeyIssue.MISSING


class Unreachable(AppError):
    """The server could not be reached: DNS, refused, timeout, certificate, proxy or a drop."""

    exit_code = 5
    default_title = "Cannot reach the server"
    retryable = True

    def __init__(self, message: str, reason: Reason, title: str | None = None) -> None:
        super().__init__(message, title or reason.title)
        self.reason = reason


class ApiError(AppError):
    """The API answered with an error of its own (Status 10 or an unknown status)."""

    exit_code = 6
    default_title = "The API reported an error"


class UnusableResponse(AppError):
    """The server answered with something that is not a usable API answer."""

    exit_code = 6
    default_title = "Unusable response"


class ServerBusy(UnusableResponse):
    """HTTP 429, 502, 503 or 504: the server asks to be left alone for a while.

    ``retry_after`` is the server's ``Retry-After`` in seconds, when it sent one.
    """

    default_title = "Server unavailable"
    retryable = True

    def __init__(
        self, message: str, title: str | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message, title)
        self.retry_after = retry_after


class Cancelled(AppError):
    """The request was cancelled before it finished."""

    exit_code = 130
    default_title = "Cancelled"


def find_cause(exc: BaseException, *kinds: type[BaseException]) -> BaseException | None:
    """The first exception of ``kinds`` in ``exc``'s chain (causes, contexts, args, reason)."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        item = stack.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, kinds):
            return item
        stack.extend([item.__cause__, item.__context__])
        stack.extend(arg for arg in getattr(item, "args", ()) if isinstance(arg, BaseException))
        reason = getattr(item, "reason", None)
        if isinstance(reason, BaseException):
            stack.append(reason)
    return None
