"""``enroll-viewer lookup``: one enrollment as text or JSON, with its learner and class."""

from __future__ import annotations

import argparse
import json
import logging
from typing import Any

from enroll_viewer.api.errors import AppError
from enroll_viewer.api.records import ClassDetails, ClassEnrollment, UserDetails
from enroll_viewer.cli.support import EXIT_OK, Target, say, target, warn

log = logging.getLogger(__name__)


def run_lookup(args: argparse.Namespace) -> int:
    """Look up one id and print it; the exit code says how it went."""
    from enroll_viewer.api.validation import parse_lookup_input  # noqa: PLC0415
    from enroll_viewer.store.logs import setup_logging  # noqa: PLC0415

    redactor = setup_logging()
    lookup_key = parse_lookup_input(args.ids[0])
    with target(args, wait=args.timeout or 20.0) as where:
        from enroll_viewer.api.http_options import ClientOptions  # noqa: PLC0415
        from enroll_viewer.api.tms_api import TmsApi  # noqa: PLC0415

        connection = where.connection
        key = where.keystore.require(connection)
        redactor.add_secret(key)
        options = ClientOptions.for_deadline(connection.timeout, proxy=connection.proxy)
        api = TmsApi(connection.base_url, key, options)
        log.info("lookup %s on %s", lookup_key.kind.value, api.host)
        try:
            record = api.lookup(lookup_key)
        finally:
            api.close()
        user, klass = _details(where, key, options, record) if args.details else (None, None)
        _print_record(args, where, record, user, klass)
    return EXIT_OK


def _print_record(
    args: argparse.Namespace,
    where: Target,
    record: ClassEnrollment,
    user: UserDetails | None,
    klass: ClassDetails | None,
) -> None:
    from enroll_viewer.api.links import enrollment_link, links_json  # noqa: PLC0415

    if args.json:
        out: dict[str, Any] = record.to_json()
        if args.details:
            out["User"] = user.raw if user is not None else None
            out["Class"] = klass.to_json() if klass is not None else None
        out["Links"] = links_json(where.connection, record)
        say(json.dumps(out, indent=2, ensure_ascii=False))
        return
    from enroll_viewer.api.presentation import NULL_TEXT, record_as_text  # noqa: PLC0415

    rows: list[tuple[str, str]] = []
    if args.details:
        rows += [
            ("Learner", user.summary() if user else NULL_TEXT),
            ("Class", klass.summary() if klass else NULL_TEXT),
        ]
    link = enrollment_link(where.connection, record.id)
    if link:
        rows.append(("Open in TMS", link))
    say(record_as_text(record, tuple(rows)))


def _details(
    where: Target, key: str, options: Any, record: ClassEnrollment
) -> tuple[UserDetails | None, ClassDetails | None]:
    """GetUser and GetClass in parallel (one connection each); a failure is reported on stderr
    and leaves that detail out."""
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415 - only with --details

    from enroll_viewer.api.tms_api import TmsApi  # noqa: PLC0415

    def fetch(kind: str, ident: int | None) -> Any:
        if ident is None:
            return None
        api = TmsApi(where.connection.base_url, key, options)
        try:
            return api.get_user(ident) if kind == "user" else api.get_class(ident)
        except AppError as exc:
            what = "learner" if kind == "user" else "class"
            warn(f"the {what} ({ident}) could not be loaded: {exc.message}")
            return None
        finally:
            api.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        user = pool.submit(fetch, "user", record.user_id)
        klass = pool.submit(fetch, "class", record.class_id)
        return user.result(), klass.result()
