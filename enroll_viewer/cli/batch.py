"""``enroll-viewer lookup ID ID …`` and ``lookup --from FILE``: many ids, rows streamed in input
order, progress on a terminal, Ctrl+C within a second."""

from __future__ import annotations

import argparse
import itertools
import os
import queue
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, suppress
from typing import IO, TYPE_CHECKING, TextIO

from enroll_viewer.api.errors import InvalidInput
from enroll_viewer.cli.support import EXIT_INTERRUPTED, EXIT_INVALID, target, wants_bom, warn
from enroll_viewer.work.rows import Format, RowWriter

if TYPE_CHECKING:
    from enroll_viewer.work.batch_run import BatchRun

PROGRESS_EVERY = 0.2


def chosen_format(args: argparse.Namespace) -> Format:
    """The output format the flags ask for (a readable table by default)."""
    if args.csv:
        return Format.CSV
    if args.jsonl:
        return Format.JSONL
    if args.json:
        return Format.JSON
    return Format.TABLE


def _lines(handle: IO[str], name: str) -> Iterator[str]:
    try:
        yield from handle
    except UnicodeDecodeError:
        raise InvalidInput(f"{name} is not UTF-8 text.", "Unreadable input") from None


def _inputs(args: argparse.Namespace, stack: ExitStack) -> tuple[Iterable[str], int | None]:
    """The input items, read lazily, and how many there are when that is cheap to know."""
    from enroll_viewer.work.batch import read_inputs  # noqa: PLC0415

    given: list[str] = list(args.ids)
    if not args.from_file:
        return given, len(given)
    if args.from_file == "-":
        handle: IO[str] = stdin_text()
        name = "standard input"
    else:
        try:
            handle = stack.enter_context(open(args.from_file, encoding="utf-8", newline=""))  # noqa: SIM115
        except OSError as exc:
            raise InvalidInput(f"Cannot read {args.from_file}: {exc.strerror}.") from None
        name = args.from_file
    total: int | None = None
    if handle is not sys.stdin and _stderr_is_terminal():
        with open(args.from_file, encoding="utf-8", errors="replace", newline="") as counting:
            total = len(given) + sum(1 for _ in read_inputs(counting))
    return itertools.chain(given, read_inputs(_lines(handle, name))), total


def stdin_text() -> IO[str]:
    """Standard input as UTF-8 text (a BOM is fine), lines as they come."""
    if sys.stdin is None:
        raise InvalidInput("There is no standard input to read ids from.")
    stream = sys.stdin
    if hasattr(stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8", newline="")
    return stream


def _stderr_is_terminal() -> bool:
    return sys.stderr is not None and sys.stderr.isatty()


def prepare_stdout() -> TextIO | None:
    """Standard output for rows: UTF-8 into pipes and files, no newline translation (CSV)."""
    out = sys.stdout
    if out is None:
        return None
    if hasattr(out, "reconfigure"):
        if not out.isatty():
            out.reconfigure(encoding="utf-8")
        out.reconfigure(newline="")
    return out


def run_batch(args: argparse.Namespace) -> int:
    """Look up every id; the exit code sums it up (see the README)."""
    from enroll_viewer.store.logs import setup_logging  # noqa: PLC0415
    from enroll_viewer.work.batch_run import BatchRun  # noqa: PLC0415
    from enroll_viewer.work.runner import GroupKind, Outcome, Runner  # noqa: PLC0415

    redactor = setup_logging()
    out = prepare_stdout()
    with ExitStack() as stack:
        inputs, total = _inputs(args, stack)
        with target(args, wait=args.timeout or 20.0) as where:
            found = where.keystore.get(where.connection)  # once, before the workers need it
            redactor.add_secret(found.key)
            outcomes: queue.Queue[Outcome] = queue.Queue()
            runner = Runner(where.keystore, outcomes.put, args.concurrency, "enroll-viewer-batch")
            stack.callback(runner.shutdown, 0.8)
            group = runner.begin(GroupKind.BATCH)
            sink = out or stack.enter_context(open(os.devnull, "w", encoding="utf-8"))
            writer = RowWriter(
                sink, chosen_format(args), where.connection, args.details, bom=wants_bom(args.excel)
            )
            run = BatchRun(
                inputs,
                where.connection,
                lambda job: runner.submit(job, group),
                writer.row,
                lambda: runner.cancel_group(group),
                in_flight=args.concurrency * 2,
                details=args.details,
                total=total,
            )
            progress = _Progress(run)
            try:
                run.start()
                while not run.finished:
                    with suppress(queue.Empty):
                        run.on_outcome(outcomes.get(timeout=PROGRESS_EVERY))
                    progress.show()
            except KeyboardInterrupt:
                run.cancel()
                runner.shutdown(0.8)
                writer.close()
                progress.clear()
                warn(f"interrupted: {run.counts.progress()} written.")
                return EXIT_INTERRUPTED
            writer.close()
            progress.clear()
            if run.counts.done == 0:
                warn("no ids to look up.")
                return EXIT_INVALID
            if run.stopped_by is not None:
                warn(run.stopped_by.sentence())
            return run.exit_code


class _Progress:
    """``412/1,000 · 3 not found · 0 errors`` on a terminal's stderr, redrawn in place."""

    def __init__(self, run: BatchRun) -> None:
        self._run = run
        self._on = _stderr_is_terminal()
        self._last = 0.0

    def show(self) -> None:
        if not self._on or time.monotonic() - self._last < PROGRESS_EVERY:
            return
        self._last = time.monotonic()
        sys.stderr.write("\r" + self._run.counts.progress() + "\033[K")
        sys.stderr.flush()

    def clear(self) -> None:
        if self._on:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
