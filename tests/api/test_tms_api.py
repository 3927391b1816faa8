"""The TMS API over real sockets: the demo API and servers that misbehave on purpose."""

from __future__ import annotations

import gzip
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
import trustme

from enroll_viewer import DEMO_KEY
from enroll_viewer.api.cancel import CancelToken
from enroll_viewer.api.errors import (
    ApiError,
    Cancelled,
    InvalidInput,
    KeyProblem,
    NotFound,
    Reason,
    ServerBusy,
    Unreachable,
    UnusableResponse,
)
from enroll_viewer.api.http_options import ClientOptions
from enroll_viewer.api.tms_api import TmsApi
from tests.helpers import wine_limit
from tests.servers import Handler, LocalServer, envelope, gzip_bomb, record_responder, sample

KEY = "k3y-Sup3r-S3cret-value"
FAST = ClientOptions(connect_timeout=2, read_timeout=2, deadline=3, backoff=0.05)


def client_for(server: LocalServer, options: ClientOptions = FAST, key: str = KEY) -> TmsApi:
    return TmsApi(server.base_url, key, options)


def test_demo_lookup_reads_every_field(demo) -> None:
    client = TmsApi(demo.base_url, DEMO_KEY)
    record = client.get_enrollment(10)
    client.close()
    assert record.id == 10
    assert record.external_id == "E3G5YZFREFEQ9371"
    assert record.enrollment_status is not None and record.enrollment_status.label == "Enroll"
    assert record.completion_status is not None and record.completion_status.label == "Unknown"
    assert record.location_type is not None and record.location_type.label == "To Be Determined"
    assert (record.late_cancel, record.retake) == (False, False)
    assert (record.classroom_id, record.hours_spent, record.grade) == (3456, 20, 10)
    assert [f.name for f in record.custom_fields] == ["Unique Text", "Unique Number", "Dropdown-01"]


@pytest.mark.parametrize(
    ("ident", "error"), [(404, NotFound), (401, KeyProblem), (500, ApiError), (999999, NotFound)]
)
def test_demo_error_cases(demo, ident: int, error: type[Exception]) -> None:
    client = TmsApi(demo.base_url, DEMO_KEY)
    with pytest.raises(error):
        client.get_enrollment(ident)
    client.close()


def test_demo_wrong_key_is_invalid_key(demo) -> None:
    client = TmsApi(demo.base_url, "not-the-demo-key")
    with pytest.raises(KeyProblem, match="rejected the key") as info:
        client.get_enrollment(10)
    client.close()
    assert "not-the-demo-key" not in str(info.value)


def test_sends_key_accept_and_user_agent_on_path_form(serve) -> None:
    server = serve(record_responder)
    client_for(server).get_enrollment(42)
    headers = server.seen.headers[0]
    assert server.seen.paths == ["/api/2.0/GetClassEnrollment/42"]
    assert headers["api_key"] == KEY
    assert headers["accept"] == "application/json"
    assert headers["user-agent"].startswith("EnrollmentViewer/")


def test_plain_404_falls_back_to_query_form_once_and_remembers(serve) -> None:
    def responder(h: Handler) -> None:
        if "?id=" in h.path:
            h.send_json(envelope(sample(int(h.path.rsplit("=", 1)[1]))))
        else:
            h.send_body(404, b"<html>404</html>", "text/html")

    server = serve(responder)
    client = client_for(server)
    assert client.get_enrollment(7).id == 7
    assert client.uses_query_form
    assert client.get_enrollment(8).id == 8
    client.close()
    assert server.seen.paths == [
        "/api/2.0/GetClassEnrollment/7",
        "/api/2.0/GetClassEnrollment?id=7",
        "/api/2.0/GetClassEnrollment?id=8",
    ]


def test_404_with_envelope_is_not_retried_in_query_form(serve) -> None:
    server = serve(lambda h: h.send_json(envelope(status=20), status=404))
    with pytest.raises(NotFound):
        client_for(server).get_enrollment(7)
    assert len(server.seen.paths) == 1


def test_http_base_url_other_than_loopback_is_refused_before_sending() -> None:
    with pytest.raises(InvalidInput, match="https"):
        TmsApi("http://lms.example.org/api/2.0", KEY)


def test_cross_origin_redirect_is_refused_and_target_never_sees_key(serve) -> None:
    target = serve(record_responder)
    origin = serve(
        lambda h: h.send_body(
            302, b"", headers={"Location": f"{target.base_url}/GetClassEnrollment/5"}
        )
    )
    with pytest.raises(UnusableResponse, match=r"redirected to 127\.0\.0\.1") as info:
        client_for(origin).get_enrollment(5)
    assert info.value.title == "Redirect refused"
    assert target.seen.paths == []
    assert all("api_key" not in h for h in target.seen.headers)


def test_same_origin_redirect_is_followed_with_the_key(serve) -> None:
    def responder(h: Handler) -> None:
        if h.path.endswith("/5"):
            h.send_body(301, b"", headers={"Location": "/api/2.0/GetClassEnrollment/5/"})
        else:
            record_responder(h)

    server = serve(responder)
    assert client_for(server).get_enrollment(5).id == 5
    assert server.seen.headers[1]["api_key"] == KEY


def test_hang_ends_at_the_deadline(serve) -> None:
    server = serve(lambda h: h.wait(30))
    options = ClientOptions(connect_timeout=1, read_timeout=10, deadline=1.0)
    started = time.monotonic()
    with pytest.raises(Unreachable) as info:
        client_for(server, options).get_enrollment(1)
    elapsed = time.monotonic() - started
    assert info.value.reason is Reason.TIMEOUT
    assert 0.9 < elapsed < 2.0


def test_a_silent_server_is_named_by_the_bound_it_reached(serve) -> None:
    server = serve(lambda h: h.wait(30))
    silent = ClientOptions(connect_timeout=1, read_timeout=0.3, deadline=5, retries=0)
    with pytest.raises(Unreachable, match=r"stopped answering for 0\.3 seconds") as info:
        client_for(server, silent).get_enrollment(1)
    assert info.value.title == "Server not answering" and info.value.reason is Reason.TIMEOUT


def test_a_read_timeout_as_long_as_the_deadline_names_the_deadline(serve, monkeypatch) -> None:
    """`--timeout 1` makes both 1 s; under load the socket's timeout can beat the deadline's
    watchdog thread (CI saw it). Here the watchdog is late every time."""
    from enroll_viewer.api import transport

    monkeypatch.setattr(transport.WATCHDOG, "schedule", lambda seconds, fire: lambda: None)
    server = serve(lambda h: h.wait(30))
    equal = ClientOptions(connect_timeout=0.3, read_timeout=0.3, deadline=0.3, retries=0)
    with pytest.raises(Unreachable, match=r"did not finish answering within 0\.3 s") as info:
        client_for(server, equal).get_enrollment(1)
    assert info.value.title == "Server too slow" and info.value.reason is Reason.TIMEOUT


def test_trickle_cannot_hold_a_lookup_past_the_deadline(serve) -> None:
    def trickle(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        while not h.wait(0.1):
            h.wfile.write(b" ")
            h.wfile.flush()

    server = serve(trickle)
    options = ClientOptions(connect_timeout=1, read_timeout=1, deadline=1.5)
    started = time.monotonic()
    with pytest.raises(Unreachable, match=r"within 1\.5 seconds"):
        client_for(server, options).get_enrollment(1)
    assert time.monotonic() - started < 2.5


def test_cancel_from_another_thread_while_server_is_silent(serve) -> None:
    server = serve(lambda h: h.wait(30))
    client = client_for(server, ClientOptions(read_timeout=30, deadline=30))
    outcome: list[BaseException] = []
    token = CancelToken()

    def run() -> None:
        try:
            client.get_enrollment(1, token)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    assert _until(lambda: server.seen.paths, 3)
    token.cancel()
    worker.join(5)  # the server is silent for 30 s and the deadline is 30 s: only the cancel
    assert not worker.is_alive()  # can end the request this early
    assert isinstance(outcome[0], Cancelled)


def test_html_instead_of_json(serve) -> None:
    server = serve(lambda h: h.send_body(200, b"<!DOCTYPE html><html>Login</html>", "text/html"))
    with pytest.raises(UnusableResponse, match="web page"):
        client_for(server).get_enrollment(1)


def test_truncated_json(serve) -> None:
    server = serve(lambda h: h.send_body(200, b'{"Status": 0, "Results": [{"Id": 1, "Ext'))
    with pytest.raises(UnusableResponse, match="not valid JSON"):
        client_for(server).get_enrollment(1)


def test_64_mb_body_is_refused_without_reading_it(serve) -> None:
    def huge(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        chunk = b"x" * 65536
        try:
            for _ in range(1024):  # 64 MB without a Content-Length
                h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except OSError:
            pass

    server = serve(huge)
    tracemalloc.start()
    with pytest.raises(UnusableResponse, match="larger than 4 MB"):
        client_for(server).get_enrollment(1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 16 * 1024 * 1024


def test_declared_huge_content_length_is_refused_early(serve) -> None:
    def liar(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(64 * 1024 * 1024))
        h.end_headers()
        h.wait(5)

    server = serve(liar)
    started = time.monotonic()
    with pytest.raises(UnusableResponse, match="larger than"):
        client_for(server).get_enrollment(1)
    assert time.monotonic() - started < 1


def test_gzip_bomb_is_stopped_at_the_cap(serve) -> None:
    bomb = gzip_bomb(200 * 1024 * 1024)
    server = serve(lambda h: h.send_body(200, bomb, headers={"Content-Encoding": "gzip"}))
    tracemalloc.start()
    with pytest.raises(UnusableResponse, match="larger than"):
        client_for(server).get_enrollment(1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(bomb) < 1024 * 1024
    assert peak < 32 * 1024 * 1024


def test_small_gzip_body_is_read(serve) -> None:
    body = gzip.compress(b'{"Status":0,"Results":[{"Id":3}]}')
    server = serve(lambda h: h.send_body(200, body, headers={"Content-Encoding": "gzip"}))
    assert client_for(server).get_enrollment(3).id == 3


def test_503_twice_then_success_is_retried(serve) -> None:
    def flaky(h: Handler) -> None:
        if len(h.server.seen.paths) <= 2:
            h.send_body(503, b"busy", "text/plain")
        else:
            record_responder(h)

    server = serve(flaky)
    assert client_for(server).get_enrollment(9).id == 9
    assert len(server.seen.paths) == 3


def test_503_three_times_is_reported_after_two_retries(serve) -> None:
    server = serve(lambda h: h.send_body(503, b"busy", "text/plain"))
    with pytest.raises(ServerBusy, match="503") as info:
        client_for(server).get_enrollment(9)
    assert len(server.seen.paths) == 3
    assert info.value.retryable


def test_429_honours_a_short_retry_after(serve) -> None:
    def limited(h: Handler) -> None:
        if len(h.server.seen.paths) == 1:
            h.send_body(429, b"slow down", "text/plain", headers={"Retry-After": "1"})
        else:
            record_responder(h)

    server = serve(limited)
    started = time.monotonic()
    assert client_for(server).get_enrollment(9).id == 9
    assert time.monotonic() - started >= 0.95


def test_429_with_a_long_retry_after_is_not_waited_for(serve) -> None:
    server = serve(lambda h: h.send_body(429, b"", "text/plain", headers={"Retry-After": "120"}))
    with pytest.raises(ServerBusy, match="120 seconds") as info:
        client_for(server).get_enrollment(9)
    assert len(server.seen.paths) == 1
    assert info.value.retry_after == 120


@pytest.mark.parametrize("status", [400, 500])
def test_other_http_errors_are_not_retried_and_show_the_api_text(serve, status: int) -> None:
    server = serve(lambda h: h.send_json(envelope(status=10, error="Bad thing"), status=status))
    with pytest.raises(UnusableResponse, match="Bad thing"):
        client_for(server).get_enrollment(9)
    assert len(server.seen.paths) == 1


@pytest.mark.parametrize("status", [401, 403])
def test_401_and_403_mean_invalid_key(serve, status: int) -> None:
    server = serve(lambda h: h.send_body(status, b"denied", "text/plain"))
    with pytest.raises(KeyProblem):
        client_for(server).get_enrollment(9)


def test_dropped_connection_is_retried(serve) -> None:
    def drop_first(h: Handler) -> None:
        if len(h.server.seen.paths) == 1:
            h.close_connection = True
            h.connection.shutdown(2)
        else:
            record_responder(h)

    server = serve(drop_first)
    assert client_for(server).get_enrollment(4).id == 4


def test_refused_and_dns_failures_say_which() -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(Unreachable) as refused:
        TmsApi(f"http://127.0.0.1:{port}/api", KEY, FAST).get_enrollment(1)
    assert refused.value.reason is Reason.REFUSED
    # At once, not after the 2 s connect timeout (Windows reports it in select's exception set).
    assert time.monotonic() - started < 1.0
    with pytest.raises(Unreachable) as dns:
        TmsApi("https://no-such-host.invalid/api", KEY, FAST).get_enrollment(1)
    assert dns.value.reason is Reason.DNS


def test_missing_key_is_refused_before_sending(serve) -> None:
    server = serve(record_responder)
    with pytest.raises(KeyProblem):
        TmsApi(server.base_url, None).get_enrollment(1)
    assert server.seen.paths == []


def test_repeated_lookups_reuse_one_connection(serve) -> None:
    server = serve(record_responder)
    client = client_for(server)
    for n in range(1, 21):
        assert client.get_enrollment(n).id == n
    client.close()
    assert server.seen.connections == 1


def test_answer_about_another_enrollment_is_not_shown(serve) -> None:
    server = serve(lambda h: h.send_json(envelope(sample(11))))
    with pytest.raises(UnusableResponse, match=r"11 when 10"):
        client_for(server).get_enrollment(10)


# --- TLS ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def _tls_server(serve: Callable[..., LocalServer], ca: trustme.CA) -> LocalServer:
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost", "127.0.0.1").configure_cert(context)
    return serve(record_responder, tls=context)


# truststore checks a server's chain with the system's crypt32; Wine's accepts a chain to a CA
# that is in no trust store (OpenSSL on Linux and Windows' own crypt32 refuse it).
WINE_CRYPT32 = wine_limit("its crypt32 accepts a certificate from a CA no store trusts")


@WINE_CRYPT32
def test_untrusted_certificate_is_a_certificate_problem(serve, ca, monkeypatch) -> None:
    server = _tls_server(serve, ca)
    with pytest.raises(Unreachable) as info:
        client_for(server).get_enrollment(1)
    assert info.value.reason is Reason.CERTIFICATE
    assert "not trusted" in info.value.message


def test_ca_trusted_through_ssl_cert_file_works_and_reuses_the_connection(
    serve, ca, tmp_path: Path, monkeypatch
) -> None:
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    server = _tls_server(serve, ca)
    client = client_for(server)
    for n in (1, 2, 3):
        assert client.get_enrollment(n).id == n
    client.close()
    assert server.seen.connections == 1


@WINE_CRYPT32
def test_requests_ca_bundle_does_not_replace_the_os_trust_store(
    serve, ca, tmp_path: Path, monkeypatch
) -> None:
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    monkeypatch.setenv("CURL_CA_BUNDLE", str(bundle))
    server = _tls_server(serve, ca)
    with pytest.raises(Unreachable) as info:
        client_for(server).get_enrollment(1)
    assert info.value.reason is Reason.CERTIFICATE


def _until(condition: Callable[[], object], seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        threading.Event().wait(0.01)
    return False


# --- proxies ---------------------------------------------------------------------------------


def test_environment_proxy_is_used_for_https(serve, ca, tmp_path: Path, monkeypatch) -> None:
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("tms.enroll-viewer.test").configure_cert(context)
    target = serve(record_responder, tls=context)
    proxy = serve(record_responder)  # its CONNECT tunnels end on 127.0.0.1
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.setenv("HTTPS_PROXY", proxy.origin)
    port = target.server_address[1]
    client = TmsApi(f"https://tms.enroll-viewer.test:{port}/api/2.0", KEY, FAST)
    assert client.get_enrollment(6).id == 6
    client.close()
    assert proxy.seen.paths == [f"CONNECT tms.enroll-viewer.test:{port}"]
    assert target.seen.headers[0]["api_key"] == KEY  # through the tunnel, end to end


def test_loopback_bypasses_the_system_proxy(serve, monkeypatch) -> None:
    proxy = serve(record_responder)
    target = serve(record_responder)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy.origin)
    assert TmsApi(target.base_url, KEY, FAST).get_enrollment(6).id == 6
    assert proxy.seen.paths == [] and len(target.seen.paths) == 1


def test_no_proxy_option_ignores_the_environment(serve, monkeypatch) -> None:
    proxy = serve(record_responder)
    target = serve(record_responder)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy.origin)
    options = ClientOptions(connect_timeout=2, read_timeout=2, deadline=3, proxy="none")
    assert TmsApi(target.base_url, KEY, options).get_enrollment(6).id == 6
    assert proxy.seen.paths == [] and len(target.seen.paths) == 1


def _tunnelled_target(serve, ca, tmp_path: Path, monkeypatch) -> tuple[LocalServer, str]:
    """An HTTPS server reachable only as tms.enroll-viewer.test (through a proxy's tunnel)."""
    import ssl

    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("tms.enroll-viewer.test").configure_cert(context)
    target = serve(record_responder, tls=context)
    return target, f"https://tms.enroll-viewer.test:{target.server_address[1]}/api/2.0"


def test_manual_proxy(serve, ca, tmp_path: Path, monkeypatch) -> None:
    target, base_url = _tunnelled_target(serve, ca, tmp_path, monkeypatch)
    proxy = serve(record_responder)
    options = ClientOptions(connect_timeout=2, read_timeout=2, deadline=3, proxy=proxy.origin)
    assert TmsApi(base_url, KEY, options).get_enrollment(4).id == 4
    assert proxy.seen.paths == [f"CONNECT tms.enroll-viewer.test:{target.server_address[1]}"]


def test_manual_proxy_is_not_used_for_this_computer(serve) -> None:
    proxy = serve(record_responder)
    target = serve(record_responder)
    options = ClientOptions(connect_timeout=2, read_timeout=2, deadline=3, proxy=proxy.origin)
    assert TmsApi(target.base_url, KEY, options).get_enrollment(4).id == 4
    assert proxy.seen.paths == [] and len(target.seen.paths) == 1


def test_proxy_wanting_authentication_says_so(serve, ca, tmp_path: Path, monkeypatch) -> None:
    _target, base_url = _tunnelled_target(serve, ca, tmp_path, monkeypatch)
    proxy = serve(record_responder)
    proxy.connect_status = 407
    options = ClientOptions(connect_timeout=2, read_timeout=2, deadline=3, proxy=proxy.origin)
    with pytest.raises(Unreachable) as info:
        TmsApi(base_url, KEY, options).get_enrollment(4)
    assert info.value.reason is Reason.PROXY and "authentication" in info.value.message


def test_cancel_while_connecting(monkeypatch) -> None:
    """A listener whose accept queue is full drops new SYNs, so connect() hangs (loopback only)."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):  # fill the accept queue; later connects stall in SYN-SENT
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    client = TmsApi(
        f"http://127.0.0.1:{port}/api",
        KEY,
        ClientOptions(connect_timeout=20, read_timeout=20, deadline=20),
    )
    outcome: list[BaseException] = []
    token = CancelToken()
    worker = threading.Thread(target=lambda: _capture(client, token, outcome))
    worker.start()
    threading.Event().wait(0.3)  # let it reach connect()
    token.cancel()
    worker.join(5)  # connect() would hang for its 20 s timeout: only the cancel ends it early
    try:
        assert not worker.is_alive()
        assert isinstance(outcome[0], Cancelled)
    finally:
        for sock in [*fillers, listener]:
            sock.close()


def _capture(client: TmsApi, token: CancelToken, outcome: list[BaseException]) -> None:
    try:
        client.get_enrollment(1, token)
    except BaseException as exc:
        outcome.append(exc)
