"""What the command's parts share: output that never fails, exit codes, and which connection
(and key) a command uses. No Qt."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from enroll_viewer.demo.server import DemoServer
    from enroll_viewer.store.connection import Connection, Connections
    from enroll_viewer.store.keystore import KeyStore

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_INVALID = 2
EXIT_NOT_FOUND = 3
EXIT_KEY = 4
EXIT_UNREACHABLE = 5
EXIT_API = 6
EXIT_INTERRUPTED = 130


def utf8_output() -> None:
    """Everything the command line writes is UTF-8 when it goes to a pipe or a file, on every
    platform (Windows would use the ANSI code page, and a name such as "Zoë" or an arrow would
    fail or arrive as other bytes). A terminal keeps what it has: Windows' console is written
    in UTF-16 by Python itself."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None or not hasattr(stream, "reconfigure") or stream.isatty():
            continue
        if (stream.encoding or "").replace("-", "").lower() != "utf8":
            stream.reconfigure(encoding="utf-8")


def break_is_interrupt() -> None:
    """On Windows, Ctrl+Break (and the CTRL_BREAK_EVENT a script or scheduler sends to a
    process group, where Ctrl+C cannot be sent) stops a command as Ctrl+C does: complete rows
    only, exit 130. By default it would kill the process mid-row."""
    if sys.platform == "win32":
        import signal  # noqa: PLC0415

        signal.signal(signal.SIGBREAK, signal.default_int_handler)


def wants_bom(excel: bool) -> bool:
    """Whether CSV starts with a byte-order mark, which Excel needs to read UTF-8: asked for
    (``--excel``), or writing to a file on Windows. Never into a pipe on its own."""
    if excel:
        return True
    if sys.platform != "win32" or sys.stdout is None:
        return False
    import os  # noqa: PLC0415
    import stat  # noqa: PLC0415

    try:
        return stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode)
    except (OSError, ValueError):
        return False


def say(text: str) -> None:
    """A line to standard output, flushed (scripts read it as it comes)."""
    if sys.stdout is not None:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()


def write(text: str) -> None:
    """Text to standard output as is, flushed."""
    if sys.stdout is not None:
        sys.stdout.write(text)
        sys.stdout.flush()


def warn(text: str) -> None:
    """A line to standard error, prefixed with the program name."""
    if sys.stderr is not None:
        sys.stderr.write(f"enroll-viewer: {text}\n")
        sys.stderr.flush()


@dataclass(frozen=True)
class Target:
    """The connection a command works on, the key store that knows its key, and all
    connections (None for the demo)."""

    connection: Connection
    keystore: KeyStore
    connections: Connections | None


@contextmanager
def target(args: Any, wait: float) -> Iterator[Target]:
    """The connection ``args`` ask for: ``--demo`` (an in-process demo API), ``--base-url``
    (a one-off, or the known connection at that address), ``--connection NAME``, or the
    default. ``ENROLL_VIEWER_API_KEY`` is given only to the connection it is meant for.

    Raises:
        InvalidInput: an unknown connection name or a bad base URL (exit 2).
    """
    from enroll_viewer.store import connections as store  # noqa: PLC0415
    from enroll_viewer.store.keystore import KeyStore  # noqa: PLC0415

    if getattr(args, "use_demo", False):
        from enroll_viewer.demo.server import DemoServer  # noqa: PLC0415

        embedded = DemoServer().start()
        try:
            from enroll_viewer.store.connection import demo  # noqa: PLC0415

            where = demo().with_base_url(embedded.base_url, embedded.site_url)
            yield Target(where, KeyStore(env_key_for="", wait=wait), None)
        finally:
            embedded.stop()
        return
    connections = store.load()
    refusal = connections.refusal()
    if refusal is not None:  # an administrator's setting is wrong: send nothing anywhere
        raise refusal
    if connections.problem:
        warn(connections.problem)
    base_url = getattr(args, "base_url", None)
    name = getattr(args, "connection", None)
    if base_url and name:
        from enroll_viewer.api.errors import InvalidInput  # noqa: PLC0415

        raise InvalidInput("Use --connection or --base-url, not both.", "Invalid input")
    if base_url:
        connection = connections.for_base_url(base_url)
        env_target = connection.id
    else:
        connection = connections.get(name) if name else connections.default_connection
        env_target = connections.env_key_target
    timeout = getattr(args, "timeout", None)
    if timeout is not None:
        from dataclasses import replace  # noqa: PLC0415

        connection = replace(connection, timeout=float(timeout))
    server: DemoServer | None = None
    if connection.is_demo:
        from enroll_viewer.demo.server import DemoServer  # noqa: PLC0415

        server = DemoServer().start()
        connection = connection.with_base_url(server.base_url, server.site_url)
    try:
        yield Target(connection, KeyStore(env_key_for=env_target, wait=wait), connections)
    finally:
        if server is not None:
            server.stop()
