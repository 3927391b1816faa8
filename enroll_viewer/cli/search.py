"""``enroll-viewer search``: enrollments by class, learner, class name, status and dates, page
after page, streamed as they come (CSV, JSON lines, one JSON document, or a table)."""

from __future__ import annotations

import argparse
import json
import os
import queue
from contextlib import ExitStack, suppress

from enroll_viewer.cli.batch import chosen_format, prepare_stdout
from enroll_viewer.cli.support import (
    EXIT_INTERRUPTED,
    EXIT_NOT_FOUND,
    EXIT_OK,
    target,
    wants_bom,
    warn,
)
from enroll_viewer.work.rows import Format, RowWriter

WAIT = 0.25


def run_search(args: argparse.Namespace) -> int:
    """Search and print; 0 with at least one result, 3 with none, else as ``lookup``."""
    from enroll_viewer.store.logs import setup_logging  # noqa: PLC0415
    from enroll_viewer.work.runner import GroupKind, Outcome, Runner  # noqa: PLC0415
    from enroll_viewer.work.search import SearchRun, parse_filters  # noqa: PLC0415

    redactor = setup_logging()
    filters = parse_filters(
        args.class_id,
        args.learner,
        args.class_name,
        args.status,
        args.created_after,
        args.created_before,
    )
    if args.limit < 1:
        from enroll_viewer.api.errors import InvalidInput  # noqa: PLC0415

        raise InvalidInput("--limit is at least 1.")
    out = prepare_stdout()
    with ExitStack() as stack, target(args, wait=args.timeout or 20.0) as where:
        found = where.keystore.get(where.connection)
        redactor.add_secret(found.key)
        outcomes: queue.Queue[Outcome] = queue.Queue()
        runner = Runner(where.keystore, outcomes.put, 4, "enroll-viewer-search")
        stack.callback(runner.shutdown, 0.8)
        group = runner.begin(GroupKind.SEARCH)
        fmt = chosen_format(args)
        sink = out or stack.enter_context(open(os.devnull, "w", encoding="utf-8"))
        if fmt is Format.JSON:
            sink.write('{"Results": [')
        writer = RowWriter(
            sink, fmt, where.connection, args.details, batch=False, bom=wants_bom(args.excel)
        )
        run = SearchRun(
            filters,
            where.connection,
            lambda job: runner.submit(job, group),  # type: ignore[arg-type]
            writer.item,
            limit=args.limit,
            details=args.details,
        )
        try:
            run.start()
            while not run.finished:
                with suppress(queue.Empty):
                    run.on_outcome(outcomes.get(timeout=WAIT))
        except KeyboardInterrupt:
            run.cancel()
            runner.shutdown(0.8)
            _close(sink, fmt, run)
            warn(f"interrupted after {run.count:,} enrollments.")
            return EXIT_INTERRUPTED
        _close(sink, fmt, run)
        if run.error is not None:
            warn(run.error.sentence())
            return run.error.exit_code
        if run.cut:
            warn(
                f"the list was cut at {run.limit:,} enrollments; narrow the search (--status, "
                "--created-after, --created-before) or raise --limit."
            )
        if run.skipped:
            warn(f"{run.skipped} search results could not be read and were left out.")
        return EXIT_OK if run.count else EXIT_NOT_FOUND


def _close(sink: object, fmt: Format, run: object) -> None:
    if fmt is not Format.JSON:
        return
    count = getattr(run, "count", 0)
    total = getattr(run, "total_count", None)
    tail = f'\n], "Count": {count}, "TotalCount": {json.dumps(total)}}}\n'
    sink.write(tail)  # type: ignore[attr-defined]
    sink.flush()  # type: ignore[attr-defined]
