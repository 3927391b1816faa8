"""HTTP for the app; the only module that imports ``requests``. It knows nothing of the TMS.

Rules: certificates checked against the OS trust store; no redirect to another origin (the
API key never leaves it); connect/read timeouts plus a deadline and cancel that reach every
state of a request (see ``sockets``); a streamed size cap; bounded retries for 429/502/503/504
and dropped connections; one reused connection per transport.
"""

# ruff: noqa: E402 - requests is imported once its charset detector is kept out (below)
from __future__ import annotations

import logging
import re
import socket
import ssl
import sys
import threading
import time
import warnings
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit


def _without_charset_detection() -> None:
    """Keep requests' charset detector out of the process.

    requests imports one (charset_normalizer, or chardet) only to guess the encoding of a body
    sent without a charset, for ``Response.text``. Bodies here are JSON read from bytes (UTF-8,
    RFC 8259), never ``.text``; the detector would cost ~3 MiB and ~10 ms per start. Without
    it, requests warns once at import and ``apparent_encoding`` answers "utf-8".
    """
    for name in ("charset_normalizer", "chardet"):
        sys.modules.setdefault(name, None)  # type: ignore[arg-type] # None: "not importable"


_without_charset_detection()
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Unable to find acceptable character detection")
    import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NameResolutionError

from enroll_viewer import __version__
from enroll_viewer.api.cancel import CancelToken
from enroll_viewer.api.errors import (
    AppError,
    Cancelled,
    Reason,
    Unreachable,
    UnusableResponse,
    find_cause,
)
from enroll_viewer.api.http_options import (
    BUSY_STATUSES,
    MAX_RETRY_AFTER,
    ClientOptions,
    Reply,
    retry_after_seconds,
)
from enroll_viewer.api.presentation import seconds_text
from enroll_viewer.api.sockets import WATCHDOG, Abort, Attempt, Watch, pool_classes
from enroll_viewer.api.validation import is_loopback_host, origin_of, url_host

log = logging.getLogger(__name__)

USER_AGENT = f"EnrollmentViewer/{__version__}"
CHUNK = 65536
_X509_V_ERR_HOSTNAME_MISMATCH = 62


class _Adapter(HTTPAdapter):
    """Verifies against the OS trust store and registers sockets with the watch."""

    def __init__(self, watch: Watch, tls: bool) -> None:
        self._watch = watch
        # Loading the OS trust store costs ~16 ms; a plain-HTTP (loopback) origin never needs it.
        self._ssl_context = _trust_store_context() if tls else None
        super().__init__(pool_connections=2, pool_maxsize=2, max_retries=0)

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any
    ) -> None:
        if self._ssl_context is not None:
            pool_kwargs["ssl_context"] = self._ssl_context
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        self.poolmanager.pool_classes_by_scheme = pool_classes(self._watch)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        if self._ssl_context is None:
            self._ssl_context = _trust_store_context()  # an https:// proxy still verifies
        proxy_kwargs["ssl_context"] = self._ssl_context
        return super().proxy_manager_for(proxy, **proxy_kwargs)

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        # REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE would silently replace the trust store; we decide
        # deliberately: the OS store (which honours SSL_CERT_FILE) and nothing else.
        return super().send(request, stream, timeout, True, None, proxies)


def _trust_store_context() -> ssl.SSLContext:
    import truststore  # noqa: PLC0415 - only origins that use TLS pay for it

    context: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return context


def resolve_proxies(base_url: str, proxy: str) -> dict[str, str]:
    """The proxies a request to ``base_url`` goes through (empty: direct).

    ``proxy`` is ``system`` (environment, and the registry on Windows), ``none``, or a URL.
    This computer's own addresses are always reached directly: no proxy can reach them.
    """
    if is_loopback_host(urlsplit(base_url).hostname or ""):
        return {}
    if proxy == "system":
        return dict(requests.utils.get_environ_proxies(base_url))
    if proxy == "none":
        return {}
    return {"http": proxy, "https": proxy}


class Transport:
    """GET requests to one origin (scheme, host, port), one connection reused.

    One thread uses a transport at a time; :meth:`get` may be cancelled from any thread through
    its token, in every state (before connecting, connecting, waiting, reading).
    """

    def __init__(self, base_url: str, options: ClientOptions | None = None) -> None:
        self.base_url = base_url
        self.origin = origin_of(base_url)
        self.host = url_host(base_url)
        self.options = options or ClientOptions()
        self._watch = Watch()
        self._lock = threading.Lock()
        self._session: requests.Session | None = None

    def __repr__(self) -> str:
        return f"Transport({self.base_url!r})"

    def close(self) -> None:
        """Close pooled connections."""
        with self._lock:
            session, self._session = self._session, None
        if session is not None:
            session.close()

    def get(
        self,
        url: str,
        headers: Mapping[str, str],
        token: CancelToken,
        busy_retries: int | None = None,
    ) -> Reply:
        """GET ``url`` (on this transport's origin) and read the answer within the cap;
        ``busy_retries`` overrides the options' (how often a 429/503 is retried here).

        Raises:
            AppError: Cancelled, Unreachable (with its :class:`Reason`) or UnusableResponse
                (redirect refused, too large); never anything else.
        """
        if origin_of(url) != self.origin:
            raise UnusableResponse("The request was not for the configured server.", "Bad URL")
        attempt = Attempt()
        started, deadline = time.monotonic(), self.options.deadline
        unregister = token.on_cancel(lambda: attempt.abort(Abort.CANCEL))
        disarm = WATCHDOG.schedule(deadline, lambda: attempt.abort(Abort.DEADLINE))
        self._watch.current = attempt
        try:
            if attempt.reason is not None:
                raise self._aborted(attempt)
            busy = self.options.busy_retries if busy_retries is None else busy_retries
            return self._get_with_retries(url, headers, attempt, busy)
        except AppError as exc:
            if attempt.reason is not None and not isinstance(exc, (Cancelled, Unreachable)):
                raise self._aborted(attempt) from None
            raise
        except Exception as exc:  # noqa: BLE001 - every failure leaves as a typed error
            if isinstance(exc, requests.Timeout) and time.monotonic() - started >= deadline:
                # A socket timeout as long as the deadline (a short --timeout) can beat the
                # watchdog by a hair: the bound reached is still the deadline.
                raise self._too_slow() from None
            raise self._translate(exc, attempt) from None
        finally:
            disarm()
            unregister()
            self._watch.current = None
            attempt.close()
            if attempt.reason is not None:
                # The aborted connection is dead; start the next request with a clean pool.
                self.close()

    def _get_with_retries(
        self, url: str, headers: Mapping[str, str], attempt: Attempt, busy_retries: int
    ) -> Reply:
        started = time.monotonic()
        tries = 0
        while True:
            tries += 1
            try:
                status, reply_headers, body = self._fetch(url, headers, attempt)
            except requests.ConnectionError as exc:
                if (
                    tries <= self.options.retries
                    and attempt.reason is None
                    and _is_dropped(exc)
                    and self._backoff(attempt, tries, None, started)
                ):
                    continue
                raise
            if status in BUSY_STATUSES and tries <= busy_retries:
                wait = retry_after_seconds(reply_headers.get("Retry-After"))
                short = wait is None or wait <= MAX_RETRY_AFTER
                if short and self._backoff(attempt, tries, wait, started):
                    continue
            if status == 407:
                raise Unreachable(
                    "The proxy server requires authentication. Check the proxy setting or ask IT.",
                    Reason.PROXY,
                    "Proxy requires authentication",
                )
            return Reply(status, reply_headers, body, tries)

    def _backoff(self, attempt: Attempt, tries: int, wait: float | None, started: float) -> bool:
        delay = wait if wait is not None else self.options.backoff * (2 ** (tries - 1))
        if time.monotonic() - started + delay >= self.options.deadline:
            return False
        log.info("retrying in %.2f s (try %d)", delay, tries + 1)
        if attempt.woken.wait(delay):
            raise self._aborted(attempt)
        return True

    def _session_for(self) -> requests.Session:
        with self._lock:
            if self._session is None:
                session = requests.Session()
                adapter = _Adapter(self._watch, tls=self.origin[0] == "https")
                session.mount("https://", adapter)
                session.mount("http://", adapter)
                session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
                # The environment is read once here rather than on every request (requests
                # rescans all of os.environ twice per call, ~0.5 ms). trust_env off also keeps
                # .netrc and REQUESTS_CA_BUNDLE out, which we want anyway.
                session.trust_env = False
                session.proxies = resolve_proxies(self.base_url, self.options.proxy)
                self._session = session
            return self._session

    def _fetch(
        self, url: str, headers: Mapping[str, str], attempt: Attempt
    ) -> tuple[int, Any, bytes]:
        session = self._session_for()
        for _hop in range(4):
            if attempt.reason is not None:
                raise self._aborted(attempt)
            response = session.get(
                url,
                headers=dict(headers),
                timeout=(self.options.connect_timeout, self.options.read_timeout),
                allow_redirects=False,
                stream=True,
            )
            try:
                if response.is_redirect:
                    target = requests.compat.urljoin(url, response.headers.get("Location", ""))
                    if origin_of(target) != self.origin:
                        raise UnusableResponse(
                            f"The server redirected to {url_host(target) or 'another site'}; "
                            "the redirect was not followed so the API key stays with "
                            f"{self.host}. Check the base URL.",
                            "Redirect refused",
                        )
                    url = target
                    continue
                body = self._read_capped(response)
                return response.status_code, response.headers, body
            finally:
                response.close()
        raise UnusableResponse("The server redirected too many times.", "Redirect refused")

    def _read_capped(self, response: requests.Response) -> bytes:
        cap = self.options.max_bytes
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > cap:
            raise _too_large(cap)
        chunks: list[bytes] = []
        size = 0
        # iter_content decodes gzip/deflate in bounded steps (urllib3 >= 2.6), so the cap holds
        # for the decompressed size too.
        for chunk in response.iter_content(CHUNK):
            size += len(chunk)
            if size > cap:
                raise _too_large(cap)
            chunks.append(chunk)
        return b"".join(chunks)

    def _aborted(self, attempt: Attempt) -> AppError:
        if attempt.reason is Abort.CANCEL:
            return Cancelled("The request was cancelled.")
        return self._too_slow()

    def _too_slow(self) -> AppError:
        return Unreachable(
            f"{self.host} did not finish answering within {seconds_text(self.options.deadline)}.",
            Reason.TIMEOUT,
            "Server too slow",
        )

    def _translate(self, exc: BaseException, attempt: Attempt) -> AppError:
        if attempt.reason is not None:
            return self._aborted(attempt)
        if isinstance(exc, requests.exceptions.SSLError):
            verify = find_cause(exc, ssl.SSLCertVerificationError)
            if verify is not None:
                detail = "its certificate is not trusted by this computer"
                if getattr(verify, "verify_code", None) == _X509_V_ERR_HOSTNAME_MISMATCH:
                    detail = "its certificate does not match the host name"
                return Unreachable(
                    f"Could not make a secure connection to {self.host}: {detail}. A network "
                    "that inspects traffic (a proxy) may be in the way; contact IT.",
                    Reason.CERTIFICATE,
                )
            return Unreachable(
                f"The secure (TLS) connection to {self.host} failed.",
                Reason.CERTIFICATE,
                "TLS problem",
            )
        if isinstance(exc, requests.exceptions.ProxyError):
            if _tunnel_status(exc) == 407:
                return Unreachable(
                    "The proxy server requires authentication. Check the proxy setting or ask IT.",
                    Reason.PROXY,
                    "Proxy requires authentication",
                )
            return Unreachable(
                f"The proxy server could not connect to {self.host}. Check the proxy setting.",
                Reason.PROXY,
            )
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return Unreachable(
                f"{self.host} did not accept a connection within "
                f"{seconds_text(self.options.connect_timeout)}.",
                Reason.TIMEOUT,
                "Connection timed out",
            )
        if isinstance(exc, requests.exceptions.ReadTimeout):
            return Unreachable(
                f"{self.host} stopped answering for {seconds_text(self.options.read_timeout)}.",
                Reason.TIMEOUT,
                "Server not answering",
            )
        if isinstance(exc, requests.ConnectionError):
            if find_cause(exc, NameResolutionError, socket.gaierror) is not None:
                return Unreachable(
                    f"The name {urlsplit(self.base_url).hostname} could not be found (DNS). "
                    "Check the base URL and the network connection.",
                    Reason.DNS,
                )
            if find_cause(exc, ConnectionRefusedError) is not None:
                return Unreachable(
                    f"{self.host} refused the connection. Check the base URL and port.",
                    Reason.REFUSED,
                )
            return Unreachable(
                f"The connection to {self.host} was lost before an answer arrived.",
                Reason.CONNECTION,
            )
        if isinstance(exc, requests.exceptions.InvalidURL):
            return UnusableResponse("The request URL was not valid.", "Invalid URL")
        if isinstance(exc, requests.exceptions.RequestException):
            return UnusableResponse(
                f"The server's answer could not be read ({type(exc).__name__}).",
                "Unreadable answer",
            )
        log.exception("unexpected failure in a request")
        return AppError(f"An unexpected problem stopped the request ({type(exc).__name__}).")


def library_versions() -> str:
    """``requests / urllib3`` versions, for diagnostics."""
    return f"{requests.__version__} / {getattr(urllib3, '__version__', '?')}"


def _too_large(cap: int) -> UnusableResponse:
    return UnusableResponse(
        f"The server's answer is larger than {cap // (1024 * 1024)} MB, far more than one "
        "request needs; it was not read.",
        "Answer too large",
    )


_TUNNEL_STATUS = re.compile(r"Tunnel connection failed: (\d{3})")


def _tunnel_status(exc: BaseException) -> int | None:
    """The HTTP status a proxy answered a CONNECT with (http.client only says it in words)."""
    found = find_cause(exc, OSError)
    match = _TUNNEL_STATUS.search(str(found)) if found is not None else None
    return int(match.group(1)) if match else None


def _is_dropped(exc: requests.ConnectionError) -> bool:
    """A connection that was dropped mid-way (worth a retry), not refused or unresolvable."""
    if isinstance(
        exc,
        (
            requests.exceptions.SSLError,
            requests.exceptions.ProxyError,
            requests.exceptions.ConnectTimeout,
        ),
    ):
        return False
    return find_cause(exc, NameResolutionError, socket.gaierror, ConnectionRefusedError) is None
