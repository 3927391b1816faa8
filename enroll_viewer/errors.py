"""The one family of typed errors that every failure becomes before it reaches a user."""

from __future__ import annotations


class AppError(Exception):
    """A failure with a short title and a helpful message, safe to show to a registrar.

    Subclasses name the kind of failure; ``exit_code`` is what the command line returns for it.
    Messages never contain the API key.
    """

    exit_code = 1
    default_title = "Something went wrong"

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message)
        self.title = title or self.default_title
        self.message = message

    def __str__(self) -> str:
        return f"{self.title}: {self.message}"


class InvalidInput(AppError):
    """The enrollment id, base URL or another input was refused before anything was sent."""

    exit_code = 2
    default_title = "Invalid input"


class NotFound(AppError):
    """The API answered that no such enrollment exists."""

    exit_code = 3
    default_title = "Not found"


class KeyProblem(AppError):
    """The API key is missing, invalid, or could not be read from or written to the keyring."""

    exit_code = 4
    default_title = "API key problem"


class Unreachable(AppError):
    """The server could not be reached: DNS, refused, timeout, certificate or proxy.

    ``reason`` is one of ``dns``, ``refused``, ``timeout``, ``certificate``, ``proxy``,
    ``connection``.
    """

    exit_code = 5
    default_title = "Cannot reach the server"

    def __init__(self, message: str, reason: str, title: str | None = None) -> None:
        super().__init__(message, title)
        self.reason = reason


class ApiError(AppError):
    """The API answered with an error of its own (Status 10 or an unknown status)."""

    exit_code = 6
    default_title = "The API reported an error"


class UnusableResponse(AppError):
    """The server answered with something that is not a usable API answer."""

    exit_code = 6
    default_title = "Unusable response"


class Cancelled(AppError):
    """The lookup was cancelled before it finished."""

    exit_code = 130
    default_title = "Cancelled"
