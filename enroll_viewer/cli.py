"""The command line: ``enroll-viewer [--demo]`` opens the window; ``lookup``, ``key`` and
``demo-server`` are for support staff and scripts. Qt is imported only to open the window."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from typing import Any

from enroll_viewer import APP_NAME, __version__
from enroll_viewer.errors import AppError, InvalidInput, KeyProblem

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also documents every command in ``--help``)."""
    parser = argparse.ArgumentParser(
        prog="enroll-viewer",
        description=f"{APP_NAME}: look up Skillable TMS class enrollments. "
        "With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="open the window on the embedded demo API (no key)"
    )
    parser.add_argument(
        "--self-test", action="store_true", help="check the window, resources, TLS and keyring"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    lookup = sub.add_parser("lookup", help="look up one enrollment and print it")
    lookup.add_argument("id", help="the class enrollment id, or its external id")
    lookup.add_argument("--json", action="store_true", help="print one JSON object")
    lookup.add_argument(
        "--details",
        action="store_true",
        help="also fetch the learner (GetUser) and the class (GetClass)",
    )
    lookup.add_argument(
        "--base-url",
        help="API base URL (default: ENROLL_VIEWER_BASE_URL, the "
        "IT preset, or https://lms.learnondemand.net/api/2.0)",
    )
    lookup.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=20.0,
        metavar="SECONDS",
        help="bound on the whole lookup, retries included (default 20)",
    )
    lookup.add_argument(
        "--demo", action="store_true", dest="use_demo", help="use an in-process demo API"
    )

    demo = sub.add_parser("demo-server", help="run the demo API in the foreground")
    demo.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: free)")

    key = sub.add_parser("key", help="manage the API key stored in the OS keyring")
    key.add_argument("action", choices=("set", "clear", "status"))
    key.add_argument("--base-url", help="the API base URL the key belongs to")
    return parser


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError("the timeout must be between 0 and 600 seconds")
    return value


def _print(text: str) -> None:
    if sys.stdout is not None:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()


def _error(text: str) -> None:
    if sys.stderr is not None:
        sys.stderr.write(f"enroll-viewer: {text}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "lookup":
            return _lookup(args)
        if args.command == "demo-server":
            return _demo_server(args)
        if args.command == "key":
            return _key(args)
        from enroll_viewer.app import run_gui  # noqa: PLC0415 - Qt only for the window

        return int(run_gui(demo=args.demo, self_test=args.self_test))
    except KeyboardInterrupt:
        _error("interrupted.")
        return EXIT_INTERRUPTED
    except AppError as exc:
        _error(f"{exc.title}. {exc.message}")
        return exc.exit_code
    except Exception as exc:
        # Scripts read the exit code and one sentence; the details go to the log.
        log.exception("unexpected failure")
        _error(f"unexpected problem ({type(exc).__name__}); the details are in the log.")
        return EXIT_UNEXPECTED


def _lookup(args: argparse.Namespace) -> int:
    from enroll_viewer.client import ApiClient, ClientOptions  # noqa: PLC0415
    from enroll_viewer.config import resolve_base_url  # noqa: PLC0415
    from enroll_viewer.keystore import KeyStore  # noqa: PLC0415
    from enroll_viewer.logs import setup_logging  # noqa: PLC0415
    from enroll_viewer.records import record_as_text  # noqa: PLC0415
    from enroll_viewer.validation import normalize_base_url, parse_lookup_input  # noqa: PLC0415

    redactor = setup_logging()
    lookup_key = parse_lookup_input(args.id)
    timeout = float(args.timeout)
    options = ClientOptions.for_deadline(timeout)
    demo = None
    if args.use_demo:
        from enroll_viewer.demo_server import DemoServer  # noqa: PLC0415

        demo = DemoServer().start()
    key: str | None
    try:
        if demo is not None:
            from enroll_viewer.demo_data import DEMO_KEY  # noqa: PLC0415

            base_url, key = demo.base_url, DEMO_KEY
        else:
            base_url = normalize_base_url(resolve_base_url(args.base_url))
            key = KeyStore().get(base_url)
            if not key:
                raise KeyProblem(
                    f"No API key for {base_url}. Set ENROLL_VIEWER_API_KEY, or run "
                    f"'enroll-viewer key set --base-url {base_url}'.",
                    "No API key",
                )
        redactor.add_secret(key)
        client = ApiClient(base_url, key, options)
        log.info("lookup %s on %s", lookup_key.kind, client.host)
        try:
            record = client.lookup(lookup_key)
        finally:
            client.close()
        details = _fetch_details(base_url, key, options, record) if args.details else {}
    finally:
        if demo is not None:
            demo.stop()
    if args.json:
        out = record.to_json()
        if args.details:
            user, klass = details.get("user"), details.get("class")
            out["User"] = user.raw if user is not None else None
            out["Class"] = klass.to_json() if klass is not None else None
        _print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        text = record_as_text(record)
        if args.details:
            lines = text.split("\n")
            for row, (kind, label) in enumerate((("user", "Learner"), ("class", "Class"))):
                item = details.get(kind)
                lines.insert(1 + row, f"  {label:<17}  {item.summary() if item else '—'}")
            text = "\n".join(lines)
        _print(text)
    return EXIT_OK


def _fetch_details(base_url: str, key: str | None, options: Any, record: Any) -> dict[str, Any]:
    """GetUser and GetClass in parallel (one connection each); a failure is reported on stderr
    and leaves that detail out."""
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    from enroll_viewer.client import ApiClient  # noqa: PLC0415

    def fetch(kind: str, ident: int | None) -> tuple[str, Any]:
        if ident is None:
            return kind, None
        client = ApiClient(base_url, key, options)
        try:
            return kind, client.get_user(ident) if kind == "user" else client.get_class(ident)
        except AppError as exc:
            what = "learner" if kind == "user" else "class"
            _error(f"the {what} ({ident}) could not be loaded: {exc.message}")
            return kind, None
        finally:
            client.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(fetch, ("user", "class"), (record.user_id, record.class_id)))
    return dict(results)


def _demo_server(args: argparse.Namespace) -> int:
    from enroll_viewer.demo_data import DEMO_KEY, describe_cases  # noqa: PLC0415
    from enroll_viewer.demo_server import DemoServer  # noqa: PLC0415

    try:
        server = DemoServer(args.port)
    except OSError as exc:
        raise InvalidInput(f"Cannot listen on port {args.port}: {exc.strerror}.") from None
    _print(f"Demo API at {server.base_url}  (api_key: {DEMO_KEY})")
    _print("Enrollment ids:\n" + describe_cases())
    _print("Press Ctrl+C to stop.")
    try:
        server.serve_forever()
    finally:
        server.stop()
    return EXIT_OK


def _key(args: argparse.Namespace) -> int:
    from enroll_viewer.config import resolve_base_url  # noqa: PLC0415
    from enroll_viewer.keystore import ENV_KEY, KeyStore  # noqa: PLC0415
    from enroll_viewer.logs import setup_logging  # noqa: PLC0415
    from enroll_viewer.validation import normalize_base_url  # noqa: PLC0415

    setup_logging()
    base_url = normalize_base_url(resolve_base_url(args.base_url))
    store = KeyStore()
    if args.action == "status":
        where = "set" if store.get(base_url) else "not set"
        _print(f"Base URL: {base_url}")
        _print(f"Keyring:  {store.backend_name}{'' if store.is_secure else ' (not secure)'}")
        _print(f"Key:      {where}{' (from ' + ENV_KEY + ')' if store.from_environment() else ''}")
        return EXIT_OK
    if args.action == "clear":
        store.delete(base_url)
        _print(f"Forgot the key for {base_url}.")
        return EXIT_OK
    if not store.is_secure:
        raise KeyProblem(
            f"No secure keyring is available ({store.backend_name}); the key was not saved. "
            f"Use {ENV_KEY} for scripts, or the window's session-only key.",
            "No secure keyring",
        )
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass  # noqa: PLC0415

        key = getpass.getpass(f"API key for {base_url} (not shown): ")
    else:
        key = sys.stdin.readline() if sys.stdin is not None else ""
    if not store.set(base_url, key):
        # The keyring refused (locked, or failed): a session-only key means nothing to a CLI.
        raise KeyProblem(
            f"The keyring did not save the key: {store.last_problem}.", "Key not saved"
        )
    _print(f"Saved the key for {base_url} in {store.backend_name}.")
    return EXIT_OK
