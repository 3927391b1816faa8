"""Small real HTTP(S) servers on 127.0.0.1 that answer, or misbehave, as a test tells them."""

from __future__ import annotations

import _socket
import contextlib
import gzip
import json
import select
import socket
import ssl
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Responder = Callable[["Handler"], None]


@dataclass
class Seen:
    """What a server received: request paths, headers, and how many TCP connections."""

    paths: list[str] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    connections: int = 0


class Handler(BaseHTTPRequestHandler):
    server: LocalServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.seen.connections += 1

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.seen.paths.append(self.path)
            self.server.seen.headers.append({k.lower(): v for k, v in self.headers.items()})
        self.server.responder(self)

    def do_CONNECT(self) -> None:
        """Act as an HTTPS proxy: open a tunnel to the target and relay bytes both ways."""
        with self.server.lock:
            self.server.seen.paths.append(f"CONNECT {self.path}")
        if self.server.connect_status is not None:  # a proxy that refuses tunnels
            self.send_response(self.server.connect_status)
            self.send_header("Proxy-Authenticate", 'Basic realm="proxy"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        _host, _, port = self.path.rpartition(":")
        try:
            # Every tunnel ends on this machine, whatever name the client asked for.
            upstream = socket.create_connection(("127.0.0.1", int(port)), timeout=5)
        except OSError:
            self.send_error(502)
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.close_connection = True
        sockets = [self.connection, upstream]
        try:
            while not self.server.stopping.is_set():
                ready, _, _ = select.select(sockets, [], [], 0.2)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (upstream if sock is self.connection else self.connection).sendall(data)
        except OSError:
            return
        finally:
            upstream.close()

    # helpers for responders
    def send_body(
        self,
        status: int,
        body: bytes,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def send_json(
        self, data: Any, status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        self.send_body(status, json.dumps(data).encode(), headers=headers)

    def wait(self, seconds: float) -> bool:
        """Wait, but return True at once when the server is being stopped."""
        return self.server.stopping.wait(seconds)


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, responder: Responder, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.responder = responder
        self.seen = Seen()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.tls = tls
        self.connect_status: int | None = None
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.accepted: list[socket.socket] = []

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, addr = super().get_request()
        self.accepted.append(sock)
        if self.tls is not None:
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up (cancel, caps) are expected here

    @property
    def origin(self) -> str:
        scheme = "https" if self.tls else "http"
        host = "localhost" if self.tls else "127.0.0.1"
        return f"{scheme}://{host}:{self.server_address[1]}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/api/2.0"

    def start(self) -> LocalServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()
        for sock in self.accepted:  # wake handler threads parked on keep-alive connections
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            if sys.platform == "win32":
                # shutdown() does not wake a recv blocked in another thread there; closesocket
                # does (as enroll_viewer.api.sockets does). The low-level close: the handler's
                # makefile() would keep socket.close() from closing anything.
                with contextlib.suppress(OSError):
                    _socket.socket.close(sock)
        self.thread.join(5)


def envelope(
    record: dict[str, Any] | None = None, status: int = 0, error: str | None = None
) -> dict[str, Any]:
    return {"Status": status, "Error": error, "Results": [record] if record else []}


def sample(ident: int = 10, **changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "Id": ident,
        "ExternalId": "E3G5YZFREFEQ9371",
        "UserId": 897615,
        "ClassId": 4421,
        "EnrollmentStatusId": 60,
        "CompletionStatusId": 0,
        "LateCancel": False,
        "Retake": False,
        "LocationTypeId": 0,
        "ClassroomId": 3456,
        "HoursSpent": 20,
        "Grade": 10,
        "CustomFields": [{"Name": "Unique Text", "TextValue": "AXY12345", "CustomFieldId": 5089}],
    }
    record.update(changes)
    return record


def record_responder(h: Handler) -> None:
    """Answer any GetClassEnrollment with the sample for the id asked."""
    tail = h.path.rstrip("/").rsplit("/", 1)[-1].split("=")[-1]
    h.send_json(envelope(sample(int(tail))))


def gzip_bomb(size: int) -> bytes:
    return gzip.compress(b"\0" * size, compresslevel=9)
