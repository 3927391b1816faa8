"""One lookup at a time: our API client against a bare reused http.client connection."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import Figure, median


def measure(runs: int) -> dict[str, Any]:
    """The app's client vs a bare reused http.client connection, over HTTP and HTTPS."""
    import http.client
    import ssl

    import trustme

    from enroll_viewer import DEMO_KEY
    from enroll_viewer.api.tms_api import TmsApi
    from tests.servers import LocalServer, envelope, sample

    body = json.dumps(envelope(sample(10))).encode()
    out: dict[str, Any] = {}
    ca = trustme.CA()
    folder = Path(tempfile.mkdtemp())
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    os.environ["SSL_CERT_FILE"] = str(folder / "ca.pem")
    for scheme in ("http", "https"):
        tls = None
        client_ctx = None
        if scheme == "https":
            tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ca.issue_cert("localhost").configure_cert(tls)
            client_ctx = ssl.create_default_context(cafile=str(folder / "ca.pem"))
        server = LocalServer(lambda h: h.send_body(200, body), tls).start()
        port = server.server_address[1]
        host = "localhost" if tls else "127.0.0.1"
        # bare: one http.client connection, reused
        conn: http.client.HTTPConnection = (
            http.client.HTTPSConnection(host, port, context=client_ctx)
            if tls
            else http.client.HTTPConnection(host, port)
        )
        bare = []
        for _ in range(runs + 20):
            started = time.perf_counter()
            conn.request("GET", "/api/2.0/GetClassEnrollment/10", headers={"api_key": DEMO_KEY})
            conn.getresponse().read()
            bare.append((time.perf_counter() - started) * 1000)
        conn.close()
        bare = bare[20:]
        before = server.seen.connections
        client = TmsApi(server.base_url, DEMO_KEY)
        started = time.perf_counter()
        client.get_enrollment(10)
        first = (time.perf_counter() - started) * 1000
        ours = []
        for _ in range(runs + 20):
            started = time.perf_counter()
            client.get_enrollment(10)
            ours.append((time.perf_counter() - started) * 1000)
        client.close()
        ours = ours[20:]
        connections = server.seen.connections - before
        server.stop()
        out[scheme] = {
            "first_ms": first,
            "repeat_ms": median(ours),
            "bare_ms": median(bare),
            "connections": connections,
            "lookups": runs + 21,
        }
    return out


def figures(data: dict[str, Any]) -> list[Figure]:
    """The rows for the table."""
    rows: list[Figure] = []
    for scheme in ("http", "https"):
        item = data[scheme]
        rows += [
            Figure(f"Repeated lookup, {scheme.upper()}", item["repeat_ms"], item["bare_ms"], "ms",
                   "≤ bare + 1 ms", item["repeat_ms"] - item["bare_ms"] <= 1.0),
            Figure(f"First lookup, {scheme.upper()} (new connection)", item["first_ms"], None,
                   "ms"),
            Figure(f"Connections for {item['lookups']} lookups, {scheme.upper()}",
                   item["connections"], None, "", "1", item["connections"] == 1),
        ]  # fmt: skip
    return rows
