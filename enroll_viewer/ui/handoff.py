"""The Qt-free half of "one window per user session": the local server's per-user name, the
one-line request a start sends to the running window, and (on Unix) sending it.

A start that finds a window hands over without loading Qt at all: importing PySide6 alone
takes longer (100-180 ms measured) than the whole hand-over may. The running window listens
with Qt's :class:`QLocalServer` (:mod:`enroll_viewer.ui.instance_server`), which on Unix is a
plain Unix socket at the path :func:`server_name` gives; on Windows it is a named pipe, and the
hand-over goes through Qt's :class:`QLocalSocket` there.

The request: one line of JSON, ``{"v":1,"target":"12345","connection":"Test"}`` (the id or
link as given, "" for a plain start; the connection name or null), at most
:data:`MAX_MESSAGE` bytes. The window answers ``ok`` (taken) or ``no`` (not a request line of
this version).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Mapping
from enum import Enum

from enroll_viewer import APP_ID

PROTOCOL = 1
MAX_MESSAGE = 4096  # bytes of one request line; the longest, all escaped, is under 3,000
# Characters sent of a target and of a connection name: one more than any valid one
# (app_links.MAX_TARGET, MAX_CONNECTION_NAME), so a cut one is still refused, and said why.
MAX_TARGET_SENT = 201
MAX_NAME_SENT = 41
CONNECT_MS = 500
ANSWER_MS = 2000  # a running window's event loop answers in milliseconds; closing or hung: not
OK, NO = b"ok\n", b"no\n"
SOCKET_PATH_MAX = 100  # bytes; sun_path holds 104 on macOS, 108 on Linux


class Answer(Enum):
    """What came of offering a request to a running window."""

    HANDED = "handed"  # the running window took it
    NOBODY = "nobody"  # no window listens (nothing there, or a crashed window's socket file)
    SILENT = "silent"  # a window is there but did not answer in time (closing or hung)
    UNTRIED = "untried"  # not offered here (Windows: Qt's pipes are needed)


def server_name(environ: Mapping[str, str] | None = None) -> str:
    """The local server's name for this user (and, on Windows, this session).

    Unix: the path of a socket file in ``$XDG_RUNTIME_DIR`` (private to the user) or, without
    one, in the temp folder (``$TMPDIR``, per user on macOS). Windows: a pipe name; pipes are
    machine-wide, so the session is part of the name and only the user may connect.
    """
    import zlib  # noqa: PLC0415 - hashlib would load OpenSSL (20 ms) for a name

    env = os.environ if environ is None else environ
    user = _user()
    seed = f"{user}\0{os.path.expanduser('~')}\0{_windows_session()}"
    digest = f"{zlib.crc32(seed.encode('utf-8', 'surrogatepass')):08x}"
    shown = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in user)
    name = f"{APP_ID}-{shown[:24]}-{digest}"
    if sys.platform == "win32":
        return name
    # Qt's QDir.tempPath() is $TMPDIR or /tmp too; the server is given this same full path.
    for folder in (env.get("XDG_RUNTIME_DIR", ""), env.get("TMPDIR", ""), "/tmp"):  # noqa: S108
        if folder and os.path.isabs(folder) and os.path.isdir(folder):
            path = os.path.join(folder, name)
            if len(os.fsencode(path)) <= SOCKET_PATH_MAX:
                return path
    return name  # Qt puts a bare name in its temp folder


def _user() -> str:
    """The user's login name, as getpass.getuser() finds it (which would load termios)."""
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        if os.environ.get(variable):
            return os.environ[variable]
    if hasattr(os, "getuid"):
        import pwd  # noqa: PLC0415

        try:
            return pwd.getpwuid(os.getuid()).pw_name
        except KeyError:  # no password entry (a container's made-up user)
            return str(os.getuid())
    return "user"


def _windows_session() -> int:
    if sys.platform != "win32":
        return 0
    import ctypes  # noqa: PLC0415
    from ctypes import wintypes  # noqa: PLC0415

    session = wintypes.DWORD(0)
    kernel32 = ctypes.windll.kernel32
    kernel32.ProcessIdToSessionId(kernel32.GetCurrentProcessId(), ctypes.byref(session))
    return int(session.value)


def not_ours(name: str) -> bool:
    """True when a socket file of that name belongs to another user (someone squatting on a
    shared temp folder): this start then neither talks to it nor removes it."""
    if not hasattr(os, "getuid") or not os.path.isabs(name):
        return False
    try:
        return os.stat(name).st_uid != os.getuid()
    except OSError:
        return False


def encode_message(target: str, connection: str | None) -> bytes:
    """One request line, ASCII only. Longer fields are cut to one character more than any
    valid one, so the window refuses them as the command line would (and shows why)."""
    name = "null" if connection is None else _json_string(connection[:MAX_NAME_SENT])
    line = (
        f'{{"v":{PROTOCOL},"target":{_json_string(target[:MAX_TARGET_SENT])},"connection":{name}}}'
    )
    return line.encode("ascii") + b"\n"


def _json_string(text: str) -> str:
    """``text`` as a JSON string, ASCII only (the json package is left to the window: every
    start sends a line, and it would load before the first paint)."""
    out = ['"']
    for char in text:
        code = ord(char)
        if 0x20 <= code < 0x7F and char not in '"\\':
            out.append(char)
        elif code > 0xFFFF:  # as a UTF-16 surrogate pair, as JSON spells it
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    out.append('"')
    return "".join(out)


def decode_message(data: bytes) -> tuple[str, str | None]:
    """``(target, connection)`` from one request line (their contents are not checked here).

    Raises:
        ValueError: not a request line of this version.
    """
    import json  # noqa: PLC0415 - see _json_string

    if len(data) > MAX_MESSAGE or not data.endswith(b"\n"):
        raise ValueError("not one line of at most 4 KiB")
    message = json.loads(data.decode("utf-8"))  # its errors are ValueErrors too
    if not isinstance(message, dict) or message.get("v") != PROTOCOL:
        raise ValueError("not a request of this version")
    target, connection = message.get("target"), message.get("connection")
    if not isinstance(target, str) or len(target) > MAX_TARGET_SENT:
        raise ValueError("no target")
    if connection is not None and (
        not isinstance(connection, str) or len(connection) > MAX_NAME_SENT
    ):
        raise ValueError("a bad connection name")
    return target, connection


def quick_offer(name: str, message: bytes) -> Answer:
    """Offer ``message`` over the Unix socket ``name`` (no Qt); :attr:`Answer.UNTRIED` on
    Windows or for a bare name. Bounded by :data:`CONNECT_MS` + :data:`ANSWER_MS`."""
    if sys.platform == "win32" or not os.path.isabs(name):
        return Answer.UNTRIED
    if not os.path.exists(name):
        return Answer.NOBODY  # the usual first start: no socket module to load
    if not_ours(name):
        return Answer.SILENT
    import socket  # noqa: PLC0415

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(CONNECT_MS / 1000)
        try:
            sock.connect(name)
        except (FileNotFoundError, ConnectionRefusedError):
            return Answer.NOBODY
        except OSError:  # timed out (a full backlog), no permission
            return Answer.SILENT
        deadline = time.monotonic() + ANSWER_MS / 1000
        answer = b""
        try:
            sock.sendall(message)
            while b"\n" not in answer and len(answer) < 16:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                sock.settimeout(left)
                chunk = sock.recv(16)
                if not chunk:
                    break
                answer += chunk
        except OSError:
            return Answer.SILENT
    return Answer.HANDED if answer.startswith(OK) else Answer.SILENT


def remove_stale(name: str) -> None:
    """Remove the socket file a crashed window left (Unix; Windows pipes end with their
    process), as QLocalServer.removeServer would, without loading QtNetwork."""
    if sys.platform != "win32" and os.path.isabs(name) and not not_ours(name):
        with contextlib.suppress(FileNotFoundError):  # gone meanwhile
            os.remove(name)
