"""The Skillable TMS API: endpoints, the ``api_key`` header, the envelope, HTTP status meanings.

Each endpoint says how it answers (a ``Results`` list or one object, see ``parser``). Requests
go through :class:`~enroll_viewer.api.transport.Transport`, which this module loads lazily so that
importing it costs nothing on the way to the window's first paint.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote, urlencode

from enroll_viewer.api.cancel import CancelToken
from enroll_viewer.api.errors import (
    AppError,
    KeyIssue,
    KeyProblem,
    NotFound,
    ServerBusy,
    UnusableResponse,
)
from enroll_viewer.api.parser import (
    decode_json,
    envelope_status,
    parse_class_envelope,
    parse_enrollment_envelope,
    parse_external_envelope,
    parse_search_page,
    parse_user_by_email_envelope,
    parse_user_envelope,
)
from enroll_viewer.api.records import ClassDetails, ClassEnrollment, LookupKey, Page, UserDetails
from enroll_viewer.api.validation import normalize_base_url, url_host

if TYPE_CHECKING:
    from enroll_viewer.api.http_options import ClientOptions, Reply
    from enroll_viewer.api.transport import Transport

log = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 100
T = TypeVar("T")


class TmsApi:
    """Calls the TMS API at one base URL with one key; one thread uses it at a time.

    Every method takes an optional :class:`CancelToken`; cancelling it from any thread makes the
    call raise :class:`~enroll_viewer.api.errors.Cancelled` promptly, whatever state it is in.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str | None,
        options: ClientOptions | None = None,
    ) -> None:
        from enroll_viewer.api.http_options import ClientOptions  # noqa: PLC0415
        from enroll_viewer.api.transport import Transport  # noqa: PLC0415

        self.base_url = normalize_base_url(base_url)
        self.options = options or ClientOptions()
        self._api_key = api_key
        self._transport: Transport = Transport(self.base_url, self.options)
        self._query_form = False  # learnt: this base URL wants ?id= rather than /{id}

    def __repr__(self) -> str:
        return f"TmsApi({self.base_url!r})"  # never the key

    @property
    def host(self) -> str:
        """The API host (and port), for display."""
        return url_host(self.base_url)

    @property
    def uses_query_form(self) -> bool:
        """True once the server showed it wants ``GetClassEnrollment?id=``."""
        return self._query_form

    def close(self) -> None:
        """Close pooled connections."""
        self._transport.close()

    # --- endpoints -----------------------------------------------------------------------------

    def get_enrollment(
        self,
        enrollment_id: int,
        token: CancelToken | None = None,
        busy_retries: int | None = None,
    ) -> ClassEnrollment:
        """Look up one class enrollment (``GetClassEnrollment/{id}``, or ``?id=`` once learnt).

        ``busy_retries`` overrides how often a 429/503 is retried here (a batch: 0).

        Raises:
            AppError: one of its subclasses, never anything else.
        """
        token = token or CancelToken()
        ident = str(enrollment_id)
        query = {"id": ident}
        if self._query_form:
            data = self._call("GetClassEnrollment", query, token, busy_retries=busy_retries)
        else:
            try:
                path = f"GetClassEnrollment/{quote(ident, safe='')}"
                data = self._call(path, None, token, True, busy_retries)
            except _PlainNotFound:
                data = self._call("GetClassEnrollment", query, token, busy_retries=busy_retries)
                self._query_form = True
                log.info("%s answers the query form of GetClassEnrollment", self.host)
        return self._guard(lambda: parse_enrollment_envelope(data, enrollment_id))

    def get_by_external_id(
        self, external_id: str, token: CancelToken | None = None, busy_retries: int | None = None
    ) -> ClassEnrollment:
        """Look up an enrollment by its external id (``GetClassEnrollmentByExternalId?id=``)."""
        data = self._call(
            "GetClassEnrollmentByExternalId", {"id": external_id}, token, busy_retries=busy_retries
        )
        return self._guard(lambda: parse_external_envelope(data, external_id))

    def lookup(
        self, key: LookupKey, token: CancelToken | None = None, busy_retries: int | None = None
    ) -> ClassEnrollment:
        """Look up by enrollment id or external id, as ``key`` says."""
        if key.enrollment_id is not None:
            return self.get_enrollment(key.enrollment_id, token, busy_retries)
        return self.get_by_external_id(key.value, token, busy_retries)

    def get_user(self, user_id: int, token: CancelToken | None = None) -> UserDetails:
        """The learner with ``user_id`` (``GetUser?id=``)."""
        data = self._call("GetUser", {"id": str(user_id)}, token)
        return self._guard(lambda: parse_user_envelope(data, user_id))

    def get_user_by_email(self, email: str, token: CancelToken | None = None) -> UserDetails:
        """The learner whose primary email is ``email`` (``GetUserByEmail?email=``).

        Raises:
            NotFound: no such learner is visible with this key.
        """
        data = self._call("GetUserByEmail", {"email": email}, token)
        return self._guard(lambda: parse_user_by_email_envelope(data, email))

    def get_class(self, class_id: int, token: CancelToken | None = None) -> ClassDetails:
        """The class with ``class_id`` (``GetClass?id=``)."""
        data = self._call("GetClass", {"id": str(class_id)}, token)
        return self._guard(lambda: parse_class_envelope(data, class_id))

    def search_enrollments(
        self,
        filters: Mapping[str, str],
        page_index: int,
        page_size: int = DEFAULT_PAGE_SIZE,
        token: CancelToken | None = None,
    ) -> Page:
        """One page of ``SearchClassEnrollments`` (``pageIndex`` from 0) with ``filters`` as
        query parameters (``classId``, ``studentId``, ``className``, ...)."""
        query = {**filters, "pageIndex": str(page_index), "pageSize": str(page_size)}
        data = self._call("SearchClassEnrollments", query, token)
        return self._guard(lambda: parse_search_page(data))

    # --- plumbing ------------------------------------------------------------------------------

    def _call(
        self,
        path: str,
        query: Mapping[str, str] | None,
        token: CancelToken | None,
        fallback_404: bool = False,
        busy_retries: int | None = None,
    ) -> Any:
        if not self._api_key:
            raise KeyProblem(
                "No API key is set for this server. Add one in Settings or with "
                "'enroll-viewer key set'.",
                "No API key",
                KeyIssue.MISSING,
            )
        url = f"{self.base_url}/{path}"
        if query:
            url = f"{url}?{urlencode(dict(query))}"
        reply = self._guard(
            lambda: self._transport.get(
                url, {"api_key": self._api_key or ""}, token or CancelToken(), busy_retries
            )
        )
        return self._guard(lambda: self._interpret(reply, fallback_404))

    def _guard(self, action: Callable[[], T]) -> T:
        # A server may echo the key back in its error text; it must not reach the screen.
        try:
            return action()
        except _PlainNotFound:
            raise
        except AppError as exc:
            raise self._scrub(exc) from None

    def _scrub(self, error: AppError) -> AppError:
        key = self._api_key
        if key and (key in error.message or key in error.title):
            return error.with_text(
                error.message.replace(key, "[redacted]"), error.title.replace(key, "[redacted]")
            )
        return error

    def _interpret(self, reply: Reply, fallback_404: bool) -> Any:
        content_type = reply.headers.get("Content-Type", "").lower()
        status = reply.status
        if status == 200:
            if "html" in content_type:
                decode_json(b"<")  # raises the web-page error
            return decode_json(reply.body)
        try:
            data = decode_json(reply.body) if reply.body.strip() else None
        except UnusableResponse:
            data = None
        envelope = envelope_status(data)
        if status == 404 and envelope is None and fallback_404:
            raise _PlainNotFound()
        api_text = f" The API said: {envelope[1]}" if envelope and envelope[1] else ""
        if envelope is not None and envelope[0] in (20, 30):
            return data  # the envelope speaks for itself
        if status in (401, 403):
            raise KeyProblem(
                f"The server refused the API key (HTTP {status}).{api_text} Check the key in "
                "Settings, and that it belongs to this TMS host.",
                "Invalid API key",
                KeyIssue.REJECTED,
            )
        if status == 404:
            raise NotFound(
                f"The server answered HTTP 404 (not found).{api_text} If every lookup says "
                "this, check the base URL.",
                "Not found",
            )
        if status == 429:
            wait = reply.retry_after
            when = f" Try again in {wait:.0f} seconds." if wait else " Try again shortly."
            raise ServerBusy(
                f"The server is receiving too many requests.{when}", "Too many requests", wait
            )
        if status in (502, 503, 504):
            times = f" on {reply.tries} tries" if reply.tries > 1 else ""
            raise ServerBusy(
                f"{self.host} answered HTTP {status}{times}; it may be overloaded or down for "
                f"maintenance. Try again in a few minutes.{api_text}",
                "Server unavailable",
                reply.retry_after,
            )
        if "html" in content_type and not api_text:
            raise UnusableResponse(
                f"The server answered HTTP {status} with a web page.", f"Server error {status}"
            )
        raise UnusableResponse(
            f"The server answered HTTP {status}.{api_text}",
            "Server error" if status >= 500 else f"HTTP error {status}",
        )


class _PlainNotFound(Exception):
    """HTTP 404 without the API envelope: this server may want the ?id= form."""
