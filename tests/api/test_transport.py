"""The transport's own parts: the deadline watchdog, proxies, Retry-After, origins."""

from __future__ import annotations

import threading

import pytest

from enroll_viewer.api.cancel import CancelToken
from enroll_viewer.api.errors import Cancelled, UnusableResponse
from enroll_viewer.api.http_options import retry_after_seconds
from enroll_viewer.api.sockets import WATCHDOG
from enroll_viewer.api.transport import Transport, resolve_proxies
from enroll_viewer.api.validation import hide_credentials, origin_of
from tests.servers import record_responder


def test_watchdog_runs_due_callbacks_and_its_thread_ends_when_idle() -> None:
    fired = threading.Event()
    WATCHDOG.schedule(0.05, fired.set)
    disarm = WATCHDOG.schedule(0.05, lambda: pytest.fail("a disarmed deadline fired"))
    disarm()
    assert fired.wait(2)
    threads = [t for t in threading.enumerate() if t.name == "enroll-viewer-deadlines"]
    for thread in threads:
        thread.join(2)
        assert not thread.is_alive()


def test_a_token_cancelled_before_the_request_never_connects(serve) -> None:
    server = serve(record_responder)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        Transport(server.base_url).get(f"{server.base_url}/GetClassEnrollment/1", {}, token)
    assert server.seen.connections == 0


def test_requests_stay_on_the_configured_origin(serve) -> None:
    server = serve(record_responder)
    transport = Transport(server.base_url)
    with pytest.raises(UnusableResponse):
        transport.get("http://127.0.0.2:1/x", {"api_key": "k"}, CancelToken())
    assert server.seen.paths == []


def test_proxies(monkeypatch) -> None:
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.edu:3128")
    assert resolve_proxies("https://lms.learnondemand.net/api", "system")["https"] == (
        "http://proxy.example.edu:3128"
    )
    assert resolve_proxies("https://lms.learnondemand.net/api", "none") == {}
    assert resolve_proxies("http://127.0.0.1:5/api", "http://p.example:1") == {}
    assert resolve_proxies("http://[::1]:5/api", "system") == {}
    assert hide_credentials("http://u:p@proxy:8080") == "http://***@proxy:8080"


def test_retry_after_and_origins() -> None:
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert origin_of("https://Example.org/x") == ("https", "example.org", 443)
    assert origin_of("http://127.0.0.1:99/x") == ("http", "127.0.0.1", 99)


def test_requests_comes_without_a_charset_detector(serve) -> None:
    """The detector is kept out (memory, start-up time); JSON without a charset still reads."""
    import os
    import subprocess
    import sys

    server = serve(lambda h: h.send_body(200, '{"Name": "Zoë"}'.encode(), "application/json"))
    code = (
        "import sys, warnings\n"
        "warnings.simplefilter('error')\n"
        "from enroll_viewer.api.cancel import CancelToken\n"
        "from enroll_viewer.api.transport import Transport\n"
        "transport = Transport(sys.argv[1])\n"
        "reply = transport.get(sys.argv[1] + '/x', {}, CancelToken())\n"
        "print(reply.body.decode('utf-8'), 'charset_normalizer' in sys.modules and "
        "sys.modules['charset_normalizer'] is not None)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, server.base_url],
        capture_output=True, text=True, timeout=60, env=dict(os.environ), check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == '{"Name": "Zoë"} False'
