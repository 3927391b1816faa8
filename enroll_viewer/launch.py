"""The ``enroll-viewer`` entry point: the window at once, or the command line.

Opening the window is what people do most; it skips the argument parser and the command
modules so that nothing but Qt and the first-paint widgets stands before the first paint.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

WINDOW_ARGS: tuple[list[str], ...] = ([], ["--demo"])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the app (or a command, given one); returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args in WINDOW_ARGS:
        from enroll_viewer.app import run_gui  # noqa: PLC0415

        try:
            return run_gui(demo=bool(args))
        except KeyboardInterrupt:  # Ctrl+C in the terminal that started it
            from enroll_viewer.cli_support import EXIT_INTERRUPTED  # noqa: PLC0415

            return EXIT_INTERRUPTED
    from enroll_viewer.cli import main as command_line  # noqa: PLC0415

    return command_line(args)
