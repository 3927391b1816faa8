"""``enroll-viewer [--demo | --connection NAME] [--new-window] [ID | LINK]``: what reaches the
window, what a terminal is told instead (exit 2), and that the commands are not affected."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from typing import Any

import pytest

from enroll_viewer import launch
from enroll_viewer.cli import main as cli
from enroll_viewer.cli.main import COMMANDS, main, names_no_command


class Window:
    """Stands in for the window: records what the command line handed it."""

    def __init__(self) -> None:
        self.args: argparse.Namespace | None = None

    def __call__(self, args: argparse.Namespace) -> int:
        self.args = args
        return 0


def opened(argv: list[str], terminal: bool = False) -> argparse.Namespace:
    window = Window()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cli, "_on_terminal", lambda: terminal)
        assert main(argv, window=window) == 0
    assert window.args is not None
    return window.args


@pytest.mark.parametrize(
    ("argv", "target", "connection", "demo", "new"),
    [
        (["12345"], "12345", None, False, False),
        (["E3G5YZFREFEQ9371"], "E3G5YZFREFEQ9371", None, False, False),
        (["--connection", "Test", "12345"], "12345", "Test", False, False),
        (["--connection=Test", "12345"], "12345", "Test", False, False),
        (["--conn", "Test", "12345"], "12345", "Test", False, False),  # argparse's short forms
        (["12345", "--connection", "Test"], "12345", "Test", False, False),
        (["enroll-viewer://enrollment/12345?connection=Test"], None, None, False, False),
        (["--demo", "10"], "10", None, True, False),
        (["--new-window", "10"], "10", None, False, True),
        (["--new-window"], "", None, False, True),
        (["--connection", "Test"], "", "Test", False, False),
        (["--connection", "lookup", "12"], "12", "lookup", False, False),  # a name, not a command
        (["--", "search"], "search", None, False, False),  # an external id spelled like one
        (["--", "-x"], "-x", None, False, False),
    ],
)
def test_what_reaches_the_window(
    argv: list[str], target: str | None, connection: str | None, demo: bool, new: bool
) -> None:
    args = opened(argv)
    assert args.command is None and args.target == (argv[0] if target is None else target)
    assert (args.window_connection, args.demo, args.new_window) == (connection, demo, new)


def test_commands_come_first_and_are_not_affected(capsys) -> None:
    assert not names_no_command([])
    assert not names_no_command(["--demo"])
    for command in COMMANDS:
        assert not names_no_command([command, "12345"])
        assert not names_no_command(["--demo", command])
    assert names_no_command(["12345"]) and names_no_command(["--", "lookup"])
    code = main(["lookup", "10", "--demo", "--json"])
    assert code == 0 and '"Id": 10' in capsys.readouterr().out
    assert main(["lookup", "10", "--connection", "Nope"]) == 2
    assert "no connection called 'Nope'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["--connection", "Test", "lookup", "10"],  # the command's own --connection goes after it
        ["--new-window", "search", "--class", "1"],
        ["--demo", "--connection", "Test", "10"],
        ["10", "11"],
        ["--self-test", "10"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv, window=Window())
    assert stopped.value.code == 2
    assert "usage:" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["javascript:alert(1)"], "Only enroll-viewer:// links open enrollments."),
        (["file:///etc/passwd"], "Only enroll-viewer:// links open enrollments."),
        (["enroll-viewer://enrollment/12345?base=https://evil.example"], "not 'base'"),
        (["enroll-viewer://enrollment/%00"], "control characters"),
        (["x" * 10_000], "at most 200 characters"),
        (["0"], "between 1 and 2147483647"),
        (["--connection", "Nope", "12"], "There is no connection called 'Nope'. Known"),
        (["enroll-viewer://enrollment/12?connection=Nope"], "no connection called 'Nope'"),
    ],
)
def test_a_terminal_is_told_why_and_nothing_opens(argv: list[str], said: str, capsys) -> None:
    window = Window()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cli, "_on_terminal", lambda: True)
        assert main(argv, window=window) == 2
    assert window.args is None
    err = capsys.readouterr().err
    assert said in err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_without_a_terminal_the_window_says_why() -> None:
    """A link clicked in a browser: no one reads stderr, so the window shows the refusal."""
    link = "enroll-viewer://enrollment/12345?base=https://evil.example"
    assert opened([link], terminal=False).target == link


def test_a_terminal_start_with_a_good_id_goes_to_the_window() -> None:
    assert opened(["--connection", "demo", "12"], terminal=True).window_connection == "demo"


def test_launch_hands_the_window_what_was_asked(monkeypatch) -> None:
    calls: list[dict[str, Any]] = []

    def window(demo: bool, **kwargs: Any) -> int:
        calls.append({"demo": demo, **kwargs})
        return 0

    monkeypatch.setattr(launch, "_window", window)
    monkeypatch.setattr(cli, "_on_terminal", lambda: False)
    assert launch.main(["--connection", "Test", "--new-window", "12345"]) == 0
    assert launch.main(["--demo"]) == 0
    assert calls == [
        {"demo": False, "target": "12345", "connection": "Test", "new_window": True},
        {"demo": True},
    ]


def test_a_plain_window_start_parses_no_arguments() -> None:
    """``enroll-viewer`` and ``enroll-viewer --demo`` skip argparse and the command line (the
    window's first paint waits for nothing)."""
    code = (
        "import sys\n"
        "from enroll_viewer import launch\n"
        "launch.main(['--demo'])\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('enroll_viewer.cli'))))\n"
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "ENROLL_VIEWER_EXIT_AFTER_PAINT": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["first-paint", "ready"]
