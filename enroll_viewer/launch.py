"""The ``enroll-viewer`` entry point: the window at once, or the command line.

Opening the window is what people do most; it skips the argument parser and the command
modules so that nothing but Qt and the first-paint widgets stands before the first paint. This
is the one module that knows both the command line and the window: the command line never
imports Qt, and the window never parses arguments.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argparse import Namespace

WINDOW_ARGS: tuple[list[str], ...] = ([], ["--demo"])


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
    return _window(demo=bool(args.demo))


def _window(demo: bool) -> int:
    from enroll_viewer.ui.app import run_gui  # noqa: PLC0415

    try:
        return run_gui(demo=demo)
    except KeyboardInterrupt:  # Ctrl+C in the terminal that started it
        from enroll_viewer.cli.support import EXIT_INTERRUPTED  # noqa: PLC0415

        return EXIT_INTERRUPTED
