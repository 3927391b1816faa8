"""The running window's side of a hand-over, in this process: the local server's one-line
protocol (checked again here, whatever a client sends), the per-user name, and what the window
does with a request (look up on the Lookup page, refuse with a banner, switch only to a
connection that exists, wait for the window to be whole, stop listening when closing)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtNetwork import QLocalSocket

from enroll_viewer import DEMO_KEY
from enroll_viewer.api.app_links import OpenRequest, parse_target
from enroll_viewer.api.errors import InvalidInput
from enroll_viewer.api.records import LookupKey, LookupKind
from enroll_viewer.store.connection import demo as demo_connection
from enroll_viewer.store.connections import load
from enroll_viewer.store.keystore import KeyStore
from enroll_viewer.store.preferences import Preferences
from enroll_viewer.ui import handoff
from enroll_viewer.ui.app import DemoHost, attach
from enroll_viewer.ui.connection_bar import DEMO_SHOWN
from enroll_viewer.ui.handoff import Answer, decode_message, encode_message, quick_offer
from enroll_viewer.ui.instance_server import READ_MS, InstanceServer, offer
from enroll_viewer.ui.main_window import MainWindow
from enroll_viewer.ui.open_requests import OpenRequests
from enroll_viewer.ui.single_instance import _lock_path, hand_over
from tests.helpers import demo_connection as at_demo
from tests.helpers import local_connection, store_key

# The offscreen platform cannot raise a window, and says so; real platforms can.
pytestmark = pytest.mark.qt_log_ignore("does not support raise")
# The server as a socket file (and the hand-over without Qt through it): Unix only; on Windows
# it is a named pipe, offered through Qt (test_closing_stops_listening_and_frees_the_name).
SOCKET_FILE = pytest.mark.skipif(
    sys.platform == "win32", reason="a Unix socket file; Windows uses a named pipe"
)


@pytest.fixture
def socket_name() -> Iterator[str]:
    folder = tempfile.mkdtemp(prefix="ev-", dir="/tmp")  # short: a socket path is < 104 bytes
    yield os.path.join(folder, "s")
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def server(qtbot, socket_name: str) -> Iterator[InstanceServer]:
    claim = hand_over("", None, name=socket_name)  # nobody there: this one listens
    assert claim is not None and claim.will_listen
    listening = claim.listen()
    assert listening is not None and not Path(_lock_path(socket_name)).exists()
    yield listening
    listening.close()
    listening.server.deleteLater()


def send(qtbot, name: str, data: bytes, wait_ms: int = 3000) -> bytes:
    """Send ``data`` from a client in this thread (without blocking the server) and return
    the answer, once the server hangs up."""
    client = QLocalSocket()
    with qtbot.waitSignal(client.connected, timeout=2000):
        client.connectToServer(name)
    client.write(data)
    with qtbot.waitSignal(client.disconnected, timeout=wait_ms):
        pass
    answer = bytes(client.readAll().data())
    client.deleteLater()
    return answer


def test_a_request_line_is_answered_and_passed_on(qtbot, server, socket_name) -> None:
    with qtbot.waitSignal(server.requested, timeout=3000) as got:
        assert send(qtbot, socket_name, encode_message("12345", "Test")) == b"ok\n"
    assert got.args == ["12345", "Test"]
    with qtbot.waitSignal(server.requested, timeout=3000) as got:
        assert send(qtbot, socket_name, encode_message("", None)) == b"ok\n"
    assert got.args == ["", None]


@pytest.mark.parametrize(
    "data",
    [
        b"hello\n",
        b"\xff\xfe\n",
        b"[1, 2]\n",
        b'{"v": 2, "target": "1", "connection": null}\n',
        b'{"v": 1, "target": 12345, "connection": null}\n',
        b'{"v": 1, "target": "1", "connection": 7}\n',
        b'{"v": 1, "target": "' + b"1" * 300 + b'", "connection": null}\n',
        b'{"v": 1, "connection": null}\n',
        b"x" * (handoff.MAX_MESSAGE + 10),  # no line break within the limit
    ],
)
def test_anything_else_is_refused_and_passed_on_to_no_one(qtbot, server, socket_name, data) -> None:
    with qtbot.assertNotEmitted(server.requested, wait=100):
        assert send(qtbot, socket_name, data) == b"no\n"


def test_a_client_that_says_nothing_is_dropped(qtbot, server, socket_name) -> None:
    with qtbot.assertNotEmitted(server.requested):
        assert send(qtbot, socket_name, b'{"v":1,', wait_ms=READ_MS + 2000) == b""


def test_closing_stops_listening_and_frees_the_name(qtbot, server, socket_name) -> None:
    server.close()
    if sys.platform != "win32":  # the socket file, and the hand-over without Qt (Unix only)
        assert not Path(socket_name).exists()
        assert quick_offer(socket_name, encode_message("1", None)) is Answer.NOBODY
    assert offer(socket_name, encode_message("1", None)) is Answer.NOBODY


@SOCKET_FILE
def test_a_crashed_windows_socket_file_is_nobody(socket_name) -> None:
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stale:
        stale.bind(socket_name)  # closed without unlinking, as a crash leaves it
    assert quick_offer(socket_name, encode_message("1", None)) is Answer.NOBODY
    assert offer(socket_name, encode_message("1", None)) is Answer.NOBODY  # Qt's client too
    claim = hand_over("1", None, name=socket_name, first=Answer.NOBODY)
    assert claim is not None and claim.will_listen
    listening = claim.listen()
    assert listening is not None  # the stale file was removed
    listening.close()
    listening.server.deleteLater()


@SOCKET_FILE
def test_a_socket_of_another_user_is_left_alone(socket_name, monkeypatch) -> None:
    Path(socket_name).touch()
    monkeypatch.setattr(os, "getuid", lambda: os.stat(socket_name).st_uid + 1)
    assert quick_offer(socket_name, encode_message("1", None)) is Answer.SILENT
    claim = hand_over("1", None, name=socket_name)
    assert claim is not None and not claim.will_listen and Path(socket_name).exists()


def test_without_qt_network_a_window_starts_all_the_same(socket_name, monkeypatch) -> None:
    """A bundle built without QtNetwork: every start opens its own window, as before."""
    claim = hand_over("", None, name=socket_name)
    assert claim is not None and claim.will_listen
    monkeypatch.setitem(sys.modules, "enroll_viewer.ui.instance_server", None)  # import fails
    assert claim.listen() is None
    assert not Path(_lock_path(socket_name)).exists() and not Path(socket_name).exists()


def test_the_name_is_per_user_and_home(monkeypatch, tmp_path: Path) -> None:
    runtime = tmp_path / "r"
    runtime.mkdir()
    # The home folder: $HOME on Unix, %USERPROFILE% on Windows (where Python ignores HOME).
    monkeypatch.setenv("HOME", "/home/ada")
    monkeypatch.setenv("USERPROFILE", "C:\\Users\\ada")
    monkeypatch.setenv("USER", "ada")
    monkeypatch.setenv("LOGNAME", "ada")
    ada = handoff.server_name({"XDG_RUNTIME_DIR": str(runtime)})
    monkeypatch.setenv("HOME", "/home/ada2")
    monkeypatch.setenv("USERPROFILE", "C:\\Users\\ada2")
    other_home = handoff.server_name({"XDG_RUNTIME_DIR": str(runtime)})
    monkeypatch.setenv("USER", "grace")
    monkeypatch.setenv("LOGNAME", "grace")
    grace = handoff.server_name({"XDG_RUNTIME_DIR": str(runtime)})
    assert len({ada, other_home, grace}) == 3
    assert "enroll-viewer-ada-" in ada and "grace" in grace
    if sys.platform != "win32":  # a socket file in the runtime folder (Windows: a pipe's name)
        assert ada.startswith(f"{runtime}/enroll-viewer-ada-")


@SOCKET_FILE
def test_the_socket_file_is_in_the_runtime_or_the_temp_folder(tmp_path: Path) -> None:
    runtime = tmp_path / "r"
    runtime.mkdir()
    # Without a runtime folder: the temp folder; a folder too long for a socket is skipped.
    assert handoff.server_name({"TMPDIR": str(runtime)}).startswith(str(runtime))
    deep = tmp_path / ("x" * 90)
    deep.mkdir()
    assert handoff.server_name({"XDG_RUNTIME_DIR": str(deep), "TMPDIR": str(runtime)}).startswith(
        str(runtime)
    )


@given(st.text(max_size=400), st.one_of(st.none(), st.text(max_size=100)))
def test_every_request_fits_one_line_and_reads_back(target: str, connection: str | None) -> None:
    line = encode_message(target, connection)
    assert line.endswith(b"\n") and line.count(b"\n") == 1 and len(line) <= handoff.MAX_MESSAGE
    sent_name = None if connection is None else connection[: handoff.MAX_NAME_SENT]
    assert decode_message(line) == (target[: handoff.MAX_TARGET_SENT], sent_name)


@given(st.binary(max_size=300))
def test_no_bytes_crash_the_reader(data: bytes) -> None:
    try:
        target, connection = decode_message(data)
    except ValueError:
        return
    assert isinstance(target, str) and (connection is None or isinstance(connection, str))


def test_what_is_cut_is_still_refused() -> None:
    from enroll_viewer.api.app_links import MAX_CONNECTION_NAME, MAX_TARGET

    assert handoff.MAX_TARGET_SENT == MAX_TARGET + 1
    assert handoff.MAX_NAME_SENT == MAX_CONNECTION_NAME + 1


# --- the window -------------------------------------------------------------------------------


@pytest.fixture
def demo_window(make_window, demo) -> tuple[MainWindow, OpenRequests]:
    window = make_window(at_demo(demo))
    requests = OpenRequests(window)
    requests.window_ready()
    return window, requests


def test_a_request_is_looked_up_on_the_lookup_page(qtbot, demo_window) -> None:
    window, requests = demo_window
    window.pages.setCurrentIndex(2)
    with qtbot.waitSignal(window.lookup.lookup_done, timeout=5000):
        requests.open("enroll-viewer://enrollment/11", None)
    assert window.pages.currentWidget() is window.lookup
    assert window.lookup.record is not None and window.lookup.record.id == 11
    with qtbot.waitSignal(window.lookup.lookup_done, timeout=5000):
        requests.open("E3G5YZFREFEQ9371", "demo")  # the connection in use, any case
    assert window.lookup.record is not None and window.lookup.record.id == 10


@pytest.mark.parametrize(
    ("target", "connection", "title"),
    [
        ("javascript:alert(1)", None, "Link refused"),
        ("enroll-viewer://enrollment/12?base=https://evil.example", None, "Link refused"),
        ("enroll-viewer://enrollment/%00", None, "Link refused"),
        ("x" * 201, None, "Too long"),
        ("0", None, "Invalid enrollment id"),
        ("12", "Nope", "Unknown connection"),
        ("enroll-viewer://enrollment/12?connection=Nope", None, "Unknown connection"),
    ],
)
def test_a_refused_request_shows_why_and_looks_nothing_up(
    qtbot, demo_window, target: str, connection: str | None, title: str
) -> None:
    window, requests = demo_window
    before = window.connection
    with qtbot.assertNotEmitted(window.lookup.lookup_done, wait=200):
        requests.open(target, connection)
    assert not window.lookup.is_busy and window.lookup.record is None
    assert window.lookup.banner.isVisible() and title in window.lookup.banner.text
    assert "Nothing was looked up." in window.lookup.banner.text
    assert window.connection is before


def test_a_named_connection_that_exists_is_switched_to(
    qtbot, make_window, demo, memory_keyring
) -> None:
    test = local_connection(demo.base_url, name="Test")  # a user's own, at the demo API
    store_key(memory_keyring, test, DEMO_KEY)
    window = make_window(at_demo(demo))
    requests = OpenRequests(window)
    requests.window_ready()
    with qtbot.waitSignal(window.lookup.lookup_done, timeout=5000) as done:
        requests.open("enroll-viewer://enrollment/12?connection=test", None)
    assert window.connection.name == "Test" and done.args[0].error is None
    assert load().find("Test") == test  # nothing about the connections changed


def test_a_request_before_the_window_is_whole_waits_for_it(
    qtbot, prefs: Preferences, memory_keyring
) -> None:
    window = MainWindow(prefs, DEMO_SHOWN)  # as the first paint shows it
    qtbot.addWidget(window)
    requests = OpenRequests(window)
    requests.start_with("10", None)
    requests.open("12", None)  # another start, meanwhile: the last one wins
    host = DemoHost()
    try:
        attach(window, KeyStore(memory_keyring, environ={}), host.start(demo_connection()), load())
        with qtbot.waitSignal(window.lookup.lookup_done, timeout=5000):
            requests.window_ready()
        assert window.lookup.record is not None and window.lookup.record.id == 12
    finally:
        window.close()
        host.stop()


@SOCKET_FILE
def test_the_window_listens_once_it_has_painted(qtbot, prefs: Preferences, socket_name) -> None:
    claim = hand_over("", None, name=socket_name)
    assert claim is not None and claim.will_listen
    window = MainWindow(prefs, DEMO_SHOWN)
    qtbot.addWidget(window)
    requests = OpenRequests(window, claim)
    assert not Path(socket_name).exists() and Path(_lock_path(socket_name)).exists()
    window.show()  # other starts wait for the lock meanwhile, then hand over
    qtbot.waitUntil(lambda: requests.server is not None, timeout=5000)
    assert Path(socket_name).exists() and not Path(_lock_path(socket_name)).exists()
    window.close()  # closing stops listening at once
    assert not Path(socket_name).exists()


def test_closing_a_window_that_never_listened_lets_the_lock_go(
    qtbot, prefs: Preferences, socket_name
) -> None:
    claim = hand_over("", None, name=socket_name)
    window = MainWindow(prefs, DEMO_SHOWN)
    qtbot.addWidget(window)
    OpenRequests(window, claim)
    window.close()
    assert not Path(_lock_path(socket_name)).exists() and not Path(socket_name).exists()


def test_links_macos_hands_over_as_events_reach_the_requests() -> None:
    """macOS opens a link with an event to the app, not an argument; the app passes it on."""
    code = (
        "from PySide6.QtCore import QCoreApplication, QUrl\n"
        "from PySide6.QtGui import QFileOpenEvent\n"
        "from enroll_viewer.ui.app import create_app\n"
        "app = create_app(['enroll-viewer'])\n"
        "got = []\n"
        "app.link_opened.connect(got.append)\n"
        "link = QUrl('enroll-viewer://enrollment/%C3%84%20B?connection=My%20Test')\n"
        "QCoreApplication.sendEvent(app, QFileOpenEvent(link))\n"
        "QCoreApplication.sendEvent(app, QFileOpenEvent('/tmp/a b.txt'))\n"
        "print('\\n'.join(got))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    link, file = result.stdout.split()
    assert parse_target(link) == OpenRequest(LookupKey(LookupKind.EXTERNAL, "Ä B"), "My Test")
    assert file == "file:///tmp/a%20b.txt"
    with pytest.raises(InvalidInput):
        parse_target(file)  # a file dropped on the app's icon: refused, with a banner
