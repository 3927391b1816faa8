"""The ``enroll-viewer`` entry point: the window at once, or the command line.

Opening the window is what people do most; it skips the argument parser and the command
modules so that nothing but Qt and the first-paint widgets stands before the first paint. This
is the one module that knows both the command line and the window: the command line never
imports Qt, and the window never parses arguments.

A start that wants the window first offers itself to a window already running for this user
(:mod:`enroll_viewer.ui.single_instance`), which then comes to the front and looks up the id
given, if any; this start then exits 0 without loading the window's modules.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from enroll_viewer import DEMO_NAME

if TYPE_CHECKING:
    from argparse import Namespace

    from enroll_viewer.ui.single_instance import Claim

WINDOW_ARGS: tuple[list[str], ...] = ([], ["--demo"])
HANDED_OVER = 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the app (or a command, given one); returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args in WINDOW_ARGS:
        return _window(demo=bool(args))
    from enroll_viewer.cli.main import main as command_line  # noqa: PLC0415

    return command_line(args, window=_window_for)


def _window_for(args: Namespace) -> int:
    """The window (or its self-test) for a command line that named no command."""
    if args.self_test:
        from enroll_viewer.self_test import run_self_test  # noqa: PLC0415
        from enroll_viewer.ui.app import guard_streams  # noqa: PLC0415

        guard_streams()
        return int(run_self_test())
    return _window(
        demo=bool(args.demo),
        target=args.target or "",
        connection=args.window_connection,
        new_window=bool(args.new_window),
    )


def _window(
    demo: bool, target: str = "", connection: str | None = None, new_window: bool = False
) -> int:
    claim: Claim | None = None
    # A timed start (benchmarks, smoke tests: ENROLL_VIEWER_EXIT_AFTER_PAINT) measures a start
    # of its own, never a hand-over to a window the user has open.
    if not new_window and not os.environ.get("ENROLL_VIEWER_EXIT_AFTER_PAINT"):
        from enroll_viewer.ui import handoff  # noqa: PLC0415 - no Qt: a hand-over never loads it

        named = DEMO_NAME if demo and connection is None else connection
        name = handoff.server_name()
        first = handoff.quick_offer(name, handoff.encode_message(target, named))
        if first is handoff.Answer.HANDED:
            return HANDED_OVER
        from enroll_viewer.ui.single_instance import hand_over  # noqa: PLC0415

        claim = hand_over(target, named, name, first)
        if claim is None:
            return HANDED_OVER
    from enroll_viewer.ui.app import run_gui  # noqa: PLC0415

    try:
        return run_gui(demo=demo, claim=claim, target=target, connection=connection)
    except KeyboardInterrupt:  # Ctrl+C in the terminal that started it
        from enroll_viewer.cli.support import EXIT_INTERRUPTED  # noqa: PLC0415

        return EXIT_INTERRUPTED
