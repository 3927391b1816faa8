"""``enroll-viewer key``, ``connections`` and ``demo-server``: set-up for people and scripts."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from enroll_viewer.api.errors import InvalidInput, KeyIssue, KeyProblem
from enroll_viewer.cli.support import EXIT_KEY, EXIT_OK, Target, say, target, warn


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Dispatch ``key``, ``connections`` and ``demo-server``."""
    from enroll_viewer.store.logs import setup_logging  # noqa: PLC0415

    if args.command == "demo-server":
        return _demo_server(args)
    setup_logging()
    if args.command == "key":
        with target(args, wait=args.timeout or 20.0) as where:
            return _key(args, where)
    return _connections(args)


# --- key ----------------------------------------------------------------------------------------


def _key(args: argparse.Namespace, where: Target) -> int:
    from enroll_viewer.store.keystore import ENV_KEY, KeySource, keyring_entry  # noqa: PLC0415

    connection, store = where.connection, where.keystore
    if connection.is_demo:
        raise InvalidInput("The demo needs no key.", "No key needed")
    service, user = keyring_entry(connection)
    if args.action == "status":
        found = store.get(connection)
        secure = store.is_secure()
        say(f"Connection: {connection.name}")
        say(f"Base URL:   {connection.base_url}")
        say(f"Keyring:    {store.backend_name()}{'' if secure else ' (not secure)'}")
        say(f"Entry:      service {service}, user {user}")
        if found.source is KeySource.ENVIRONMENT:
            say(f"Key:        set (from {ENV_KEY})")
        elif found.issue in (KeyIssue.LOCKED, KeyIssue.KEYRING_SLOW, KeyIssue.KEYRING_FAILED):
            problem = found.problem(connection)
            say(f"Key:        unknown: {problem.title.lower()}")
            raise problem
        else:
            say(f"Key:        {'set' if found.key else 'not set'}")
        return EXIT_OK
    if args.action == "clear":
        store.delete(connection)
        say(f"Forgot the key for {connection.name} ({service}, {user}).")
        if store.env_key(connection):
            warn(f"{ENV_KEY} is set and is still used for {connection.name}.")
        return EXIT_OK
    key = _read_key(connection.name)
    store.set(connection, key, session_fallback=False)
    say(f"Saved the key for {connection.name} in {store.backend_name()} ({service}, {user}).")
    return EXIT_OK


def _read_key(name: str) -> str:
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass  # noqa: PLC0415

        return getpass.getpass(f"API key for {name} (not shown): ")
    return sys.stdin.readline() if sys.stdin is not None else ""


# --- connections --------------------------------------------------------------------------------


def _connections(args: argparse.Namespace) -> int:
    from enroll_viewer.store import connections as store  # noqa: PLC0415

    current = store.load()
    if current.problem:
        warn(current.problem)
    if args.action == "list":
        return _list(current, args)
    if not args.name:
        raise InvalidInput(f"connections {args.action} needs a NAME.", "Invalid input")
    if args.action == "add":
        if not args.base_url:
            raise InvalidInput("connections add needs --base-url URL.", "Invalid input")
        updated = store.add(current, args.name, args.base_url, args.site_url or "")
        added = updated.get(args.name)
        say(f"Added {added.name}: {added.base_url} (site {added.links_base}).")
        say(f"Set its key with: enroll-viewer key set --connection {_quoted(added.name)}")
        return EXIT_OK
    if args.action == "default":
        updated = store.set_default(current, args.name)
        say(f"{updated.default} is now the default connection.")
        return EXIT_OK
    updated, removed = store.remove(current, args.name)
    say(f"Removed {removed.name}.")
    return _forget_removed_key(removed, args)


def _forget_removed_key(removed: Any, args: argparse.Namespace) -> int:
    from enroll_viewer.store.keystore import KeyStore  # noqa: PLC0415

    try:
        KeyStore(env_key_for="", wait=args.timeout or 20.0).delete(removed)
    except KeyProblem as exc:
        warn(f"its key may still be in the keyring: {exc.message}")
        return EXIT_KEY
    return EXIT_OK


def _list(current: Any, args: argparse.Namespace) -> int:
    from enroll_viewer.store.keystore import KeySource, KeyStore  # noqa: PLC0415

    keystore = KeyStore(env_key_for=current.env_key_target, wait=args.timeout or 20.0)
    rows: list[dict[str, Any]] = []
    unknown = False
    for item in current.items:
        if item.is_demo:
            has_key: bool | None = False
        else:
            found = keystore.get(item)
            has_key = None if found.issue not in (None, KeyIssue.NO_KEYRING) else found.available
            unknown = unknown or has_key is None
            if found.source is KeySource.ENVIRONMENT:
                has_key = True
        rows.append(
            {
                "Name": item.name,
                "BaseUrl": item.base_url or None,
                "SiteUrl": item.links_base or None,
                "HasKey": has_key,
                "Default": item.name == current.default_connection.name,
            }
        )
    if args.json:
        say(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        width = max(len(r["Name"]) for r in rows)
        for row in rows:
            mark = "*" if row["Default"] else " "
            key = {True: "key stored", False: "no key", None: "key unknown"}[row["HasKey"]]
            if row["BaseUrl"] is None:
                key, base, site = "no key needed", "(embedded demo API)", ""
            else:
                base, site = row["BaseUrl"], f"  site {row['SiteUrl']}"
            say(f"{mark} {row['Name']:<{width}}  {base}{site}  [{key}]")
    if unknown:
        warn("the keyring could not say for some connections (locked?).")
    return EXIT_OK


def _quoted(name: str) -> str:
    return f'"{name}"' if " " in name else name


# --- demo-server --------------------------------------------------------------------------------


def _demo_server(args: argparse.Namespace) -> int:
    from enroll_viewer import DEMO_KEY  # noqa: PLC0415
    from enroll_viewer.demo.data import describe_cases  # noqa: PLC0415
    from enroll_viewer.demo.server import DemoServer  # noqa: PLC0415

    try:
        server = DemoServer(args.port)
    except OSError as exc:
        raise InvalidInput(f"Cannot listen on port {args.port}: {exc.strerror}.") from None
    say(f"Demo API at {server.base_url}  (api_key: {DEMO_KEY})")
    say("Enrollment ids:\n" + describe_cases())
    say("Press Ctrl+C to stop.")
    try:
        server.serve_forever()
    finally:
        server.stop()
    return EXIT_OK
