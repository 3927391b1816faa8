"""The command line: ``enroll-viewer [--demo]`` opens the window (``enroll-viewer ID`` or an
enrollment link opens it on that id); ``lookup``, ``search``, ``key``, ``connections`` and
``demo-server`` are for support staff and scripts.

Qt is imported only to open the window; each command imports only what it uses.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from enroll_viewer import APP_NAME, __version__
from enroll_viewer.api.errors import AppError
from enroll_viewer.cli.support import (
    EXIT_INTERRUPTED,
    EXIT_UNEXPECTED,
    break_is_interrupt,
    utf8_output,
    warn,
)

log = logging.getLogger(__name__)

COMMANDS = ("lookup", "search", "key", "connections", "demo-server")
WINDOW_USAGE = "enroll-viewer [--demo | --connection NAME] [--new-window] [ID | LINK]"


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError("the timeout must be between 0 and 600 seconds")
    return value


def _concurrency(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 8:
        raise argparse.ArgumentTypeError("the concurrency is from 1 to 8")
    return value


def _formats(command: argparse.ArgumentParser) -> None:
    group = command.add_mutually_exclusive_group()
    group.add_argument("--json", action="store_true", help="JSON")
    group.add_argument("--jsonl", action="store_true", help="one JSON object per line")
    group.add_argument("--csv", action="store_true", help="CSV with a header")
    command.add_argument(
        "--excel",
        action="store_true",
        help="with --csv: start with a byte-order mark so Excel reads accents (the default when "
        "writing to a file on Windows)",
    )


def _where(command: argparse.ArgumentParser, demo: bool = True) -> None:
    command.add_argument(
        "--connection", metavar="NAME", help="a named connection (default: the default one)"
    )
    command.add_argument(
        "--base-url",
        metavar="URL",
        help="a one-off API base URL instead of a connection (ENROLL_VIEWER_API_KEY goes to it)",
    )
    if demo:
        command.add_argument(
            "--demo", action="store_true", dest="use_demo", help="use an in-process demo API"
        )


def _timeout(command: argparse.ArgumentParser, what: str) -> None:
    command.add_argument(
        "--timeout",
        type=_seconds,
        metavar="SECONDS",
        help=f"bound on {what} (default: the connection's, 20)",
    )


def _window_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="open the window on the embedded demo API (no key)"
    )
    parser.add_argument(
        "--new-window",
        action="store_true",
        help="open a window of its own, even when one is open (by default the open window "
        "comes to the front and takes the id)",
    )
    parser.add_argument(
        "--connection",
        dest="window_connection",
        metavar="NAME",
        help="the window's connection (one that exists); commands take --connection after "
        "the command",
    )


def build_window_parser() -> argparse.ArgumentParser:
    """The parser for ``enroll-viewer [options] ID|LINK``: the window, on that id."""
    parser = argparse.ArgumentParser(
        prog="enroll-viewer",
        usage=WINDOW_USAGE,
        description="Open the window and look up ID (an enrollment id or an external id) or "
        "an enroll-viewer://enrollment/ID link. A window already open for this user comes to "
        "the front and takes it instead. Commands: enroll-viewer --help.",
    )
    _window_options(parser)
    parser.add_argument(
        "target", nargs="?", default="", metavar="ID|LINK", help="what to look up in the window"
    )
    parser.set_defaults(command=None, self_test=False)
    return parser


def names_no_command(argv: Sequence[str]) -> bool:
    """True when the first argument that is not an option is not a command: the window's id
    or link. (An external id spelled like a command goes after ``--``.)"""
    words = iter(argv)
    for word in words:
        if word == "--":
            return True
        if word.startswith("-") and word != "-":
            if "=" not in word and word.startswith("--c") and "--connection".startswith(word):
                next(words, None)  # its value
            continue
        return word not in COMMANDS
    return False


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also documents every command in ``--help``)."""
    parser = argparse.ArgumentParser(
        prog="enroll-viewer",
        description=f"{APP_NAME}: look up Skillable TMS class enrollments. "
        "With no command, opens the window.",
        epilog=f"{WINDOW_USAGE}: opens the window on that id or enroll-viewer:// link.",
    )
    _window_options(parser)
    parser.set_defaults(target="")
    parser.add_argument(
        "--self-test", action="store_true", help="check the window, resources, TLS and keyring"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    lookup = sub.add_parser(
        "lookup",
        help="look up enrollments by id or external id",
        description="One id prints one record; several ids (or --from) print one row per id, "
        "in input order, as soon as each is known.",
    )
    lookup.add_argument("ids", nargs="*", metavar="ID", help="enrollment ids or external ids")
    lookup.add_argument(
        "--from",
        dest="from_file",
        metavar="FILE",
        help="ids from a file, one per line or a CSV/TSV column ('-': standard input)",
    )
    _formats(lookup)
    lookup.add_argument(
        "--details", action="store_true", help="also fetch the learner (GetUser) and the class"
    )
    lookup.add_argument(
        "--concurrency", type=_concurrency, default=4, metavar="N", help="requests at once (1-8)"
    )
    _where(lookup)
    _timeout(lookup, "each lookup, retries included")

    search = sub.add_parser(
        "search",
        help="find enrollments by class, learner, status and dates",
        description="At least one of --class, --learner, --class-name; they combine (AND). "
        "Results come page by page, in the server's order, each enrollment once.",
    )
    search.add_argument("--class", dest="class_id", metavar="ID", help="the class id")
    search.add_argument("--learner", metavar="EMAIL|USERID", help="a learner's email or user id")
    search.add_argument("--class-name", metavar="TEXT", help="text in the class name")
    search.add_argument("--status", metavar="NAME|CODE", help="enrollment status, e.g. Waitlist")
    search.add_argument("--created-after", metavar="YYYY-MM-DD", help="created on or after")
    search.add_argument("--created-before", metavar="YYYY-MM-DD", help="created before")
    search.add_argument(
        "--limit", type=int, default=5000, metavar="N", help="stop after N enrollments (5,000)"
    )
    _formats(search)
    search.add_argument("--details", action="store_true", help="add learner and class names")
    _where(search)
    _timeout(search, "each page, retries included")

    key = sub.add_parser("key", help="manage a connection's API key in the OS keyring")
    key.add_argument("action", choices=("set", "clear", "status"))
    _where(key, demo=False)
    _timeout(key, "waiting for the keyring")

    connections = sub.add_parser("connections", help="list, add, remove named connections")
    connections.add_argument("action", choices=("list", "add", "remove", "default"))
    connections.add_argument("name", nargs="?", metavar="NAME", help="the connection's name")
    connections.add_argument("--base-url", metavar="URL", help="API base URL (add)")
    connections.add_argument("--site-url", metavar="URL", help="TMS site URL for links (add)")
    connections.add_argument("--json", action="store_true", help="list as JSON")
    _timeout(connections, "waiting for the keyring (list)")

    demo = sub.add_parser("demo-server", help="run the demo API in the foreground")
    demo.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: free)")
    return parser


def _on_terminal() -> bool:
    """Whether someone reads stderr at a terminal. Then a refused id or link is said there
    (exit 2); otherwise (a link clicked in a browser) the window shows why."""
    return sys.stderr is not None and sys.stderr.isatty()


def _check_window_request(target: str, connection: str | None) -> None:
    """Raises InvalidInput (exit 2) for an id, link or connection the window would refuse."""
    from enroll_viewer.api.app_links import parse_target  # noqa: PLC0415

    request = parse_target(target, connection)
    if request.connection is not None:
        from enroll_viewer.store.connections import load  # noqa: PLC0415

        load().get(request.connection)  # an unknown name lists the known ones


def main(
    argv: Sequence[str] | None = None,
    window: Callable[[argparse.Namespace], int] | None = None,
) -> int:
    """Run the command line; returns the exit code.

    With no command, ``window`` (given by :mod:`enroll_viewer.launch`, the one place that knows
    both the command line and the window) opens the window; the command line never imports Qt.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_window_parser() if names_no_command(argv) else build_parser()
    args = parser.parse_args(argv)
    if args.command is None and window is None:
        parser.error("a command is needed (lookup, search, key, connections, demo-server)")
    if args.command is not None and (args.new_window or args.window_connection):
        parser.error(
            f"--new-window and --connection before {args.command} are for the window; "
            f"give --connection after the command: enroll-viewer {args.command} "
            "--connection NAME"
        )
    if args.demo and args.window_connection:
        parser.error("--demo or --connection, not both")
    try:
        if args.command is not None:
            utf8_output()
            break_is_interrupt()
        if args.command == "lookup":
            if not args.ids and not args.from_file:
                parser.error("lookup needs an ID (or several, or --from FILE)")
            if len(args.ids) == 1 and not (args.from_file or args.csv or args.jsonl):
                from enroll_viewer.cli.lookup import run_lookup  # noqa: PLC0415

                return run_lookup(args)
            from enroll_viewer.cli.batch import run_batch  # noqa: PLC0415

            return run_batch(args)
        if args.command == "search":
            from enroll_viewer.cli.search import run_search  # noqa: PLC0415

            return run_search(args)
        if args.command in ("key", "connections", "demo-server"):
            from enroll_viewer.cli import admin  # noqa: PLC0415

            return admin.run(args, parser)
        assert window is not None  # checked above, before the try
        if (args.target or args.window_connection) and _on_terminal():
            _check_window_request(args.target, args.window_connection)
        return window(args)
    except KeyboardInterrupt:
        warn("interrupted.")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (| head): not an error to report. Point stdout at devnull so
        # the interpreter's final flush does not raise again.
        import os  # noqa: PLC0415

        if sys.stdout is not None:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_UNEXPECTED
    except AppError as exc:
        warn(exc.sentence())
        return exc.exit_code
    except Exception as exc:
        # Scripts read the exit code and one sentence; the details go to the log.
        log.exception("unexpected failure")
        warn(f"unexpected problem ({type(exc).__name__}); the details are in the log.")
        return EXIT_UNEXPECTED
