"""The HTTP client for the TMS API; the only module that imports ``requests``.

Rules it keeps (see docs in the README): HTTPS only except loopback; certificates checked against
the OS trust store; no redirect to another origin; connect/read timeouts plus an overall deadline
enforced from outside the read (by shutting the socket), which is also how cancel works; a
streamed size cap; bounded retries for 429/502/503/504 and dropped connections; one reused
connection per origin.
"""

from __future__ import annotations

import email.utils
import errno
import logging
import os
import select
import socket
import ssl
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

from enroll_viewer import __version__
from enroll_viewer.errors import (
    AppError,
    Cancelled,
    KeyProblem,
    NotFound,
    Unreachable,
    UnusableResponse,
)
from enroll_viewer.parser import (
    decode_json,
    envelope_status,
    parse_class_envelope,
    parse_enrollment_envelope,
    parse_external_envelope,
    parse_user_envelope,
)
from enroll_viewer.records import ClassDetails, ClassEnrollment, LookupKey, UserDetails
from enroll_viewer.validation import is_loopback_host, normalize_base_url, url_host

log = logging.getLogger(__name__)

USER_AGENT = f"EnrollmentViewer/{__version__}"
MAX_BODY_BYTES = 4 * 1024 * 1024
RETRY_STATUSES = frozenset({429, 502, 503, 504})
MAX_RETRY_AFTER = 5.0
CHUNK = 65536


@dataclass(frozen=True)
class ClientOptions:
    """Tunables of :class:`ApiClient`; ``deadline`` bounds a whole lookup, retries included."""

    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    deadline: float = 20.0
    max_bytes: int = MAX_BODY_BYTES
    retries: int = 2
    backoff: float = 0.5
    proxy: str = "system"  # "system", "none", or a proxy URL

    @classmethod
    def for_deadline(cls, seconds: float, retries: int = 2, proxy: str = "system") -> ClientOptions:
        """Options for a lookup bounded by ``seconds`` in all (connect and read fit inside)."""
        return cls(
            connect_timeout=min(5.0, seconds),
            read_timeout=min(15.0, seconds),
            deadline=seconds,
            retries=retries,
            proxy=proxy,
        )


class _Attempt:
    """One lookup in flight: the sockets it uses and whether it was aborted (and why)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reason: str | None = None  # "cancel" or "deadline" once aborted
        self.sockets: set[socket.socket] = set()
        self.woken = threading.Event()
        # Wakes a connect() in progress; made only when a new connection is opened, so lookups
        # on a pooled connection do not pay for it.
        self._wake: tuple[socket.socket, socket.socket] | None = None

    def wake_reader(self) -> socket.socket:
        """The socket a connect() waits on besides its own (readable once aborted)."""
        with self.lock:
            if self._wake is None:
                self._wake = socket.socketpair()
                if self.reason is not None:
                    self._wake[1].send(b"x")
            return self._wake[0]

    def abort(self, reason: str) -> None:
        with self.lock:
            if self.reason is not None:
                return
            self.reason = reason
            sockets = list(self.sockets)
            wake = self._wake
        self.woken.set()
        if wake is not None:
            with suppress(OSError):
                wake[1].send(b"x")
        for sock in sockets:
            _shutdown(sock)

    def attach(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self.lock:
            aborted = self.reason is not None
            self.sockets.add(sock)
        if aborted:
            _shutdown(sock)

    def detach(self, sock: socket.socket | None) -> None:
        with self.lock:
            if sock is not None:
                self.sockets.discard(sock)

    def close(self) -> None:
        with self.lock:
            wake, self._wake = self._wake, None
        if wake is not None:
            wake[0].close()
            wake[1].close()


def _shutdown(sock: socket.socket) -> None:
    # socket.socket.shutdown, not SSLSocket.shutdown: the latter drops the SSL object under the
    # reading thread's feet; a plain shutdown just makes its blocked recv return.
    with suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Watch:
    """Holds the attempt in flight so pooled connections can register their sockets with it."""

    def __init__(self) -> None:
        self.current: _Attempt | None = None

    def attach(self, conn: Any) -> None:
        attempt = self.current
        if attempt is not None:
            attempt.attach(getattr(conn, "sock", None))

    def detach(self, conn: Any) -> None:
        attempt = self.current
        if attempt is not None and conn is not None:
            attempt.detach(getattr(conn, "sock", None))

    def connect(self, conn: HTTPConnection) -> socket.socket:
        """Open a TCP connection that cancel can interrupt (a blocking connect cannot be)."""
        attempt = self.current
        host, port = conn._dns_host, conn.port
        timeout = conn.timeout if isinstance(conn.timeout, (int, float)) else None
        try:
            infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise NameResolutionError(host, conn, exc) from exc
        last: OSError | None = None
        for family, kind, proto, _name, address in infos:
            sock = socket.socket(family, kind, proto)
            try:
                sock.setblocking(False)
                code = sock.connect_ex(address)
                if code not in (0, errno.EINPROGRESS, errno.EWOULDBLOCK):
                    raise OSError(code, os.strerror(code))
                if code != 0:
                    waiting = [attempt.wake_reader()] if attempt else []
                    _r, writable, _x = select.select(waiting, [sock], [], timeout)
                    if attempt is not None and attempt.reason is not None:
                        raise OSError(errno.ECANCELED, "lookup aborted")
                    if not writable:
                        raise ConnectTimeoutError(
                            conn, f"Connection to {host} timed out. (connect timeout={timeout})"
                        )
                    code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    if code:
                        raise OSError(code, os.strerror(code))
                sock.setblocking(True)
                sock.settimeout(timeout)
                for opt in conn.socket_options or []:
                    sock.setsockopt(*opt)
                if attempt is not None:
                    attempt.attach(sock)
                return sock
            except ConnectTimeoutError:
                sock.close()
                raise
            except OSError as exc:
                sock.close()
                last = exc
        raise NewConnectionError(conn, f"Failed to establish a new connection: {last}")


def _pool_classes(watch: _Watch) -> dict[str, type[HTTPConnectionPool]]:
    class TrackedHTTPConnection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            return watch.connect(self)

    class TrackedHTTPSConnection(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            return watch.connect(self)

        def connect(self) -> None:
            super().connect()
            watch.attach(self)  # the TLS-wrapped socket replaces the raw one

    class TrackedHTTPPool(HTTPConnectionPool):
        ConnectionCls = TrackedHTTPConnection

        def _get_conn(self, timeout: float | None = None) -> Any:
            conn = super()._get_conn(timeout)
            watch.attach(conn)
            return conn

        def _put_conn(self, conn: Any) -> None:
            watch.detach(conn)
            super()._put_conn(conn)

    class TrackedHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = TrackedHTTPSConnection

        def _get_conn(self, timeout: float | None = None) -> Any:
            conn = super()._get_conn(timeout)
            watch.attach(conn)
            return conn

        def _put_conn(self, conn: Any) -> None:
            watch.detach(conn)
            super()._put_conn(conn)

    return {"http": TrackedHTTPPool, "https": TrackedHTTPSPool}


class _Adapter(HTTPAdapter):
    """Verifies against the OS trust store and registers sockets with the watch."""

    def __init__(self, watch: _Watch, tls: bool) -> None:
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
        self.poolmanager.pool_classes_by_scheme = _pool_classes(self._watch)

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


class ApiClient:
    """Calls the TMS API for one base URL and key; one worker thread uses it at a time.

    ``cancel()`` may be called from any thread: the lookup in flight then raises
    :class:`Cancelled` promptly, even while the server is silent.
    """

    def __init__(
        self, base_url: str, api_key: str | None, options: ClientOptions | None = None
    ) -> None:
        self.base_url = normalize_base_url(base_url)
        self.origin = _origin(self.base_url)
        self.options = options or ClientOptions()
        self._api_key = api_key
        self._watch = _Watch()
        self._lock = threading.Lock()
        self._session: requests.Session | None = None
        self._query_form = False  # learnt: this base URL wants ?id= rather than /{id}

    def __repr__(self) -> str:
        return f"ApiClient({self.base_url!r})"  # never the key

    @property
    def host(self) -> str:
        """The API host, for display."""
        return url_host(self.base_url)

    @property
    def uses_query_form(self) -> bool:
        """True once the server showed it wants ``GetClassEnrollment?id=``."""
        return self._query_form

    def cancel(self) -> None:
        """Abort the lookup in flight, if any (thread-safe)."""
        attempt = self._watch.current
        if attempt is not None:
            attempt.abort("cancel")

    def close(self) -> None:
        """Close pooled connections."""
        with self._lock:
            if self._session is not None:
                self._session.close()
                self._session = None

    def get_enrollment(self, enrollment_id: int) -> ClassEnrollment:
        """Look up one class enrollment.

        Raises:
            AppError: one of its subclasses, never anything else.
        """
        with self._attempt():
            if self._query_form:
                data = self._get_json("GetClassEnrollment", query={"id": str(enrollment_id)})
            else:
                try:
                    data = self._get_json(
                        f"GetClassEnrollment/{quote(str(enrollment_id), safe='')}",
                        fallback_404=True,
                    )
                except _PlainNotFound:
                    data = self._get_json("GetClassEnrollment", query={"id": str(enrollment_id)})
                    self._query_form = True
                    log.info("%s answers the query form of GetClassEnrollment", self.host)
            return parse_enrollment_envelope(data, enrollment_id)

    def get_by_external_id(self, external_id: str) -> ClassEnrollment:
        """Look up an enrollment by its external id (``GetClassEnrollmentByExternalId?id=``).

        Raises:
            AppError: one of its subclasses, never anything else.
        """
        with self._attempt():
            data = self._get_json("GetClassEnrollmentByExternalId", query={"id": external_id})
            return parse_external_envelope(data, external_id)

    def lookup(self, key: LookupKey) -> ClassEnrollment:
        """Look up by enrollment id or external id, as ``key`` says."""
        if key.enrollment_id is not None:
            return self.get_enrollment(key.enrollment_id)
        return self.get_by_external_id(key.value)

    def get_user(self, user_id: int) -> UserDetails:
        """The learner with ``user_id`` (``GetUser?id=``)."""
        with self._attempt():
            return parse_user_envelope(
                self._get_json("GetUser", query={"id": str(user_id)}), user_id
            )

    def get_class(self, class_id: int) -> ClassDetails:
        """The class with ``class_id`` (``GetClass?id=``)."""
        with self._attempt():
            return parse_class_envelope(
                self._get_json("GetClass", query={"id": str(class_id)}), class_id
            )

    @contextmanager
    def _attempt(self) -> Iterator[_Attempt]:
        if not self._api_key:
            raise KeyProblem(
                "No API key is set for this server. Add one in Settings or with "
                "'enroll-viewer key set'.",
                "No API key",
            )
        attempt = _Attempt()
        timer = threading.Timer(self.options.deadline, attempt.abort, args=("deadline",))
        timer.daemon = True
        self._watch.current = attempt
        timer.start()
        try:
            yield attempt
        except AppError as exc:
            raise self._scrub(exc) from None
        except Exception as exc:  # noqa: BLE001 - every failure leaves as a typed error
            raise self._scrub(self._translate(exc, attempt)) from None
        finally:
            timer.cancel()
            self._watch.current = None
            attempt.close()
            if attempt.reason is not None:
                # The aborted connection is dead; start the next lookup with a clean pool.
                self.close()

    def _scrub(self, error: AppError) -> AppError:
        # A server may echo the key back in its error text; it must not reach the screen.
        key = self._api_key
        if key and (key in error.message or key in error.title):
            error.message = error.message.replace(key, "[redacted]")
            error.title = error.title.replace(key, "[redacted]")
            error.args = (error.message,)
        return error

    def _session_for_lookup(self) -> requests.Session:
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
                loopback = is_loopback_host(urlsplit(self.base_url).hostname or "")
                if self.options.proxy == "system":
                    # A proxy cannot reach this computer's own loopback: the demo goes direct.
                    if not loopback:
                        session.proxies = dict(requests.utils.get_environ_proxies(self.base_url))
                elif self.options.proxy != "none":
                    session.proxies = {"http": self.options.proxy, "https": self.options.proxy}
                self._session = session
            return self._session

    def _get_json(
        self, path: str, query: dict[str, str] | None = None, fallback_404: bool = False
    ) -> Any:
        attempt = self._watch.current
        assert attempt is not None
        url = f"{self.base_url}/{path}"
        if query:
            url = f"{url}?{urlencode(query)}"
        started = time.monotonic()
        tries = 0
        while True:
            tries += 1
            try:
                status, headers, body = self._fetch(url, attempt)
            except requests.ConnectionError as exc:
                retry = tries <= self.options.retries and _is_dropped(exc)
                if (
                    retry
                    and attempt.reason is None
                    and self._backoff(attempt, tries, None, started)
                ):
                    continue
                raise
            if status in RETRY_STATUSES and tries <= self.options.retries:
                wait = _retry_after(headers.get("Retry-After"))
                short = wait is None or wait <= MAX_RETRY_AFTER
                if short and self._backoff(attempt, tries, wait, started):
                    continue
            return self._interpret(status, headers, body, fallback_404, tries)

    def _backoff(self, attempt: _Attempt, tries: int, wait: float | None, started: float) -> bool:
        delay = wait if wait is not None else self.options.backoff * (2 ** (tries - 1))
        if time.monotonic() - started + delay >= self.options.deadline:
            return False
        log.info("retrying in %.2f s (try %d)", delay, tries + 1)
        if attempt.woken.wait(delay):
            raise self._translate(OSError("aborted"), attempt)
        return True

    def _fetch(self, url: str, attempt: _Attempt) -> tuple[int, Any, bytes]:
        session = self._session_for_lookup()
        for _hop in range(4):
            response = session.get(
                url,
                headers={"api_key": self._api_key or ""},
                timeout=(self.options.connect_timeout, self.options.read_timeout),
                allow_redirects=False,
                stream=True,
            )
            try:
                if response.is_redirect:
                    target = requests.compat.urljoin(url, response.headers.get("Location", ""))
                    if _origin(target) != self.origin:
                        raise UnusableResponse(
                            f"The server redirected to {url_host(target) or 'another site'}; "
                            "the redirect was not followed so the API key stays with "
                            f"{self.host}. Check the base URL.",
                            "Redirect refused",
                        )
                    url = target
                    response.close()
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

    def _interpret(
        self, status: int, headers: Any, body: bytes, fallback_404: bool, tries: int = 1
    ) -> Any:
        content_type = headers.get("Content-Type", "").lower()
        if status == 200:
            if "html" in content_type:
                decode_json(b"<")  # raises the web-page error
            return decode_json(body)
        try:
            data = decode_json(body) if body.strip() else None
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
            )
        if status == 404:
            raise NotFound(
                f"The server answered HTTP 404 (not found).{api_text} If every lookup says "
                "this, check the base URL.",
                "Not found",
            )
        if status == 407:
            raise Unreachable(
                "The proxy server requires authentication. Check the proxy setting or ask IT.",
                "proxy",
                "Proxy requires authentication",
            )
        if status == 429:
            wait = _retry_after(headers.get("Retry-After"))
            when = f" Try again in {wait:.0f} seconds." if wait else " Try again shortly."
            raise UnusableResponse(
                f"The server is receiving too many requests.{when}", "Too many requests"
            )
        if status in (502, 503, 504):
            times = f" on {tries} tries" if tries > 1 else ""
            raise UnusableResponse(
                f"{self.host} answered HTTP {status}{times}; it may be overloaded or down for "
                f"maintenance. Try again in a few minutes.{api_text}",
                "Server unavailable",
            )
        if "html" in content_type and not api_text:
            raise UnusableResponse(
                f"The server answered HTTP {status} with a web page.", f"Server error {status}"
            )
        raise UnusableResponse(
            f"The server answered HTTP {status}.{api_text}",
            "Server error" if status >= 500 else f"HTTP error {status}",
        )

    def _translate(self, exc: BaseException, attempt: _Attempt) -> AppError:
        if attempt.reason == "cancel":
            return Cancelled("The lookup was cancelled.")
        if attempt.reason == "deadline":
            return Unreachable(
                f"{self.host} did not finish answering within {_seconds(self.options.deadline)}.",
                "timeout",
                "Server too slow",
            )
        if isinstance(exc, requests.exceptions.SSLError):
            text = str(exc)
            if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
                detail = "its certificate is not trusted by this computer"
                if "Hostname mismatch" in text or "match" in text:
                    detail = "its certificate does not match the host name"
                return Unreachable(
                    f"Could not make a secure connection to {self.host}: {detail}. A network "
                    "that inspects traffic (a proxy) may be in the way; contact IT.",
                    "certificate",
                    "Certificate problem",
                )
            return Unreachable(
                f"The secure (TLS) connection to {self.host} failed.", "certificate", "TLS problem"
            )
        if isinstance(exc, requests.exceptions.ProxyError):
            return Unreachable(
                f"The proxy server could not connect to {self.host}. Check the proxy setting.",
                "proxy",
                "Proxy problem",
            )
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return Unreachable(
                f"{self.host} did not accept a connection within "
                f"{_seconds(self.options.connect_timeout)}.",
                "timeout",
                "Connection timed out",
            )
        if isinstance(exc, requests.exceptions.ReadTimeout):
            return Unreachable(
                f"{self.host} stopped answering for {_seconds(self.options.read_timeout)}.",
                "timeout",
                "Server not answering",
            )
        if isinstance(exc, requests.ConnectionError):
            if _caused_by(exc, NameResolutionError, socket.gaierror):
                return Unreachable(
                    f"The name {urlsplit(self.base_url).hostname} could not be found (DNS). "
                    "Check the base URL and the network connection.",
                    "dns",
                    "Server name not found",
                )
            if _caused_by(exc, ConnectionRefusedError) or "Connection refused" in str(exc):
                return Unreachable(
                    f"{self.host} refused the connection. Check the base URL and port.",
                    "refused",
                    "Connection refused",
                )
            return Unreachable(
                f"The connection to {self.host} was lost before an answer arrived.",
                "connection",
            )
        if isinstance(exc, requests.exceptions.InvalidURL):
            return UnusableResponse("The request URL was not valid.", "Invalid URL")
        if isinstance(exc, requests.exceptions.RequestException):
            return UnusableResponse(
                f"The server's answer could not be read ({type(exc).__name__}).",
                "Unreadable answer",
            )
        log.exception("unexpected failure in a lookup")
        return AppError(f"An unexpected problem stopped the lookup ({type(exc).__name__}).")


def network_diagnostics(base_url: str, proxy: str) -> list[tuple[str, str]]:
    """What the client would do for ``base_url``: proxy, trust store, ignored CA variables."""
    if is_loopback_host(urlsplit(base_url).hostname or ""):
        proxy_text = "none (this computer, direct)"
    elif proxy == "system":
        found = requests.utils.get_environ_proxies(base_url)
        scheme = urlsplit(base_url).scheme
        effective = found.get(scheme) or found.get("all") or "none (direct)"
        proxy_text = f"system settings → {_hide_credentials(effective)}"
    elif proxy == "none":
        proxy_text = "none (direct, system settings ignored)"
    else:
        proxy_text = f"manual → {_hide_credentials(proxy)}"
    paths = ssl.get_default_verify_paths()
    trust = "the operating system's store (truststore)"
    if sys.platform.startswith("linux"):
        trust += f"; CA file {os.environ.get('SSL_CERT_FILE') or paths.cafile or 'default'}"
    ignored = [name for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE") if os.environ.get(name)]
    return [
        ("Proxy", proxy_text),
        ("Certificates", trust),
        ("Ignored on purpose", ", ".join(ignored) + " (set, not used)" if ignored else "none"),
        ("requests / urllib3", f"{requests.__version__} / {getattr(urllib3, '__version__', '?')}"),
    ]


def _hide_credentials(url: str) -> str:
    parts = urlsplit(url)
    if not (parts.username or parts.password):
        return url
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return parts._replace(netloc=f"***@{host}{port}").geturl()


class _PlainNotFound(Exception):
    """HTTP 404 without the API envelope: this server may want the ?id= form."""


def _origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or (443 if scheme == "https" else 80)


def _seconds(value: float) -> str:
    return f"{value:g} second{'' if value == 1 else 's'}"


def _too_large(cap: int) -> UnusableResponse:
    return UnusableResponse(
        f"The server's answer is larger than {cap // (1024 * 1024)} MB, far more than one "
        "enrollment needs; it was not read.",
        "Answer too large",
    )


def _retry_after(value: str | None) -> float | None:
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


def _caused_by(exc: BaseException, *kinds: type[BaseException]) -> bool:
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        item = stack.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, kinds):
            return True
        stack.extend([item.__cause__, item.__context__])
        stack.extend(arg for arg in getattr(item, "args", ()) if isinstance(arg, BaseException))
        reason = getattr(item, "reason", None)
        if isinstance(reason, BaseException):
            stack.append(reason)
    return False


def _is_dropped(exc: requests.ConnectionError) -> bool:
    """A connection that was dropped mid-way (worth a retry), not refused or unresolvable."""
    if isinstance(exc, (requests.exceptions.SSLError, requests.exceptions.ProxyError)):
        return False
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return False
    if _caused_by(exc, NameResolutionError, socket.gaierror, ConnectionRefusedError):
        return False
    return "Connection refused" not in str(exc)
