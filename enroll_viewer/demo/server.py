"""The embedded demo API: sample data on 127.0.0.1, same paths and envelope as the TMS API."""

from __future__ import annotations

import contextlib
import html
import json
import logging
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from enroll_viewer import DEMO_KEY
from enroll_viewer.demo.data import (
    DEMO_BY_EXTERNAL_ID,
    DEMO_BY_ID,
    DEMO_CLASSES,
    DEMO_USERS,
    FAILING_USER_ID,
)
from enroll_viewer.demo.roster import FLAKY, enrollment, is_batch_id, learner
from enroll_viewer.demo.search import search, user_by_email

log = logging.getLogger(__name__)

API_PREFIX = "/api/2.0"
FLAKY_RETRY_AFTER = 1
SITE_PREFIX = "/site"
DELAY_SECONDS = 3.0


class _Handler(BaseHTTPRequestHandler):
    server: _DemoHTTPServer
    protocol_version = "HTTP/1.1"  # keep-alive, like the real API
    disable_nagle_algorithm = True  # headers and body go out in two writes

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # the demo is quiet; requests could carry the demo key in a debug log

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path = parts.path
        if path.lower().startswith(SITE_PREFIX + "/"):
            return self._site_page(path[len(SITE_PREFIX) :])
        if not path.lower().startswith(API_PREFIX.lower() + "/"):
            return self._send(404, b"<html><body>Not found</body></html>", "text/html")
        method, _, rest = path[len(API_PREFIX) + 1 :].partition("/")
        ident = unquote(rest) or parse_qs(parts.query).get("id", [""])[0]
        if self.headers.get("api_key") != DEMO_KEY:
            return self._send_json(
                {"Status": 30, "Error": "Invalid integration key", "Results": []}
            )
        method = method.lower()
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if method in ("getuser", "getclass"):
            return self._details(method, ident)
        if method == "getuserbyemail":
            return self._send_json(user_by_email(query.get("email", "")))
        if method == "searchclassenrollments":
            return self._send_json(search(query))
        if method == "getclassenrollmentbyexternalid":
            case = DEMO_BY_EXTERNAL_ID.get(ident.strip().casefold())
            if case is None:
                return self._generated(_batch_external(ident))
        elif method == "getclassenrollment":
            number = int(ident) if ident.isascii() and ident.isdigit() else -1
            if is_batch_id(number):
                return self._generated(number)
            case = DEMO_BY_ID.get(number)
        else:
            return self._send_json(
                {"Status": 10, "Error": f"Unknown method {method}", "Results": []}
            )
        if case is None or case.kind == "not_found":
            return self._send_json({"Status": 20, "Error": None, "Results": []})
        if case.kind == "invalid_key":
            return self._send_json(
                {"Status": 30, "Error": "Invalid integration key", "Results": []}
            )
        if case.kind == "api_error":
            return self._send_json(
                {
                    "Status": 10,
                    "Error": "Demo: the TMS could not load this enrollment.",
                    "Results": [],
                }
            )
        if case.kind == "http503":
            return self._send(503, b"<html><body>Service Unavailable</body></html>", "text/html")
        if case.kind == "delay" and self.server.stopping.wait(DELAY_SECONDS):
            return None
        return self._send_json({"Status": 0, "Error": None, "Results": [case.record]})

    def _generated(self, number: int) -> None:
        if number in FLAKY and self.server.flaky:
            with self.server.lock:
                first = number not in self.server.flaky_seen
                self.server.flaky_seen.add(number)
            if first:  # busy once, then fine: shows a batch pausing and retrying
                return self._send(
                    503, b"busy", "text/plain", {"Retry-After": str(FLAKY_RETRY_AFTER)}
                )
        record = enrollment(number)
        if record is None:
            return self._send_json({"Status": 20, "Error": None, "Results": []})
        return self._send_json({"Status": 0, "Error": None, "Results": [record]})

    def _details(self, method: str, ident: str) -> None:
        number = int(ident) if ident.isascii() and ident.isdigit() else -1
        if method == "getuser" and number == FAILING_USER_ID:
            return self._send_json(
                {
                    "Status": 10,
                    "Error": "Demo: this user cannot be read with this key.",
                    "Results": [],
                }
            )
        table = DEMO_USERS if method == "getuser" else DEMO_CLASSES
        item = table.get(number) or (learner(number) if method == "getuser" else None)
        if item is None:
            return self._send_json({"Status": 20, "Error": None, "Results": []})
        return self._send_json({"Status": 0, "Error": None, "Results": [item]})

    def _site_page(self, route: str) -> None:
        # Stands in for the TMS web site so "Open in TMS" works offline. Only our own route
        # shapes are echoed, escaped.
        parts = [p for p in route.split("/") if p]
        what = " ".join(parts[:2]) if parts else "home"
        body = (
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Demo TMS</title></head>"
            f"<body><h1>Demo TMS site</h1><p>This page stands for <b>{html.escape(what)}</b> "
            "on your organisation's TMS web site. The demo has no real site: with a real "
            "connection, Open in TMS opens the page there.</p></body></html>"
        )
        self._send(200, body.encode(), "text/html; charset=utf-8")

    def _send_json(self, data: Any) -> None:
        self._send(200, json.dumps(data).encode(), "application/json; charset=utf-8")

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def _batch_external(text: str) -> int:
    value = text.strip().upper()
    return int(value[1:]) if value[:1] == "B" and value[1:].isdigit() else -1


class _DemoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    stopping: threading.Event
    accepted: list[socket.socket]
    lock: threading.Lock
    flaky: bool
    flaky_seen: set[int]

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        self.accepted = [s for s in self.accepted if s.fileno() != -1]
        self.accepted.append(sock)
        return sock, address

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client hanging up (a cancelled lookup) is normal: nothing is printed. Anything
        # else goes to the log, not to the terminal.
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        log.warning("demo API: %s", type(error).__name__ if error else "error", exc_info=True)

    def close_connections(self) -> None:
        """Wake handler threads parked on keep-alive connections so they end."""
        for sock in self.accepted:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self.accepted.clear()


class DemoServer:
    """The demo API on 127.0.0.1; ``port=0`` picks a free port. Use as a context manager.

    ``flaky``: the few flaky batch ids answer 503 once before their record.
    """

    def __init__(self, port: int = 0, flaky: bool = True) -> None:
        self._httpd = _DemoHTTPServer(("127.0.0.1", port), _Handler)
        self._httpd.stopping = threading.Event()
        self._httpd.accepted = []
        self._httpd.lock = threading.Lock()
        self._httpd.flaky = flaky  # the benchmark turns the flaky ids off
        self._httpd.flaky_seen = set()
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """The base URL to give the client."""
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def site_url(self) -> str:
        """The stand-in TMS site (links open pages there)."""
        return f"http://127.0.0.1:{self.port}{SITE_PREFIX}"

    def start(self) -> DemoServer:
        """Serve in a background thread."""
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="demo-api", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted."""
        self._httpd.serve_forever()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._httpd.stopping.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(5)
        self._httpd.server_close()
        self._httpd.close_connections()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
