"""Start-up robustness: no stdout/stderr (windowed builds), the excepthook, the self-test."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from enroll_viewer.store.logs import setup_logging
from enroll_viewer.ui import app as app_module
from enroll_viewer.ui.widgets import dialogs


def test_cli_and_logging_work_without_stdout_or_stderr(monkeypatch, tmp_path: Path) -> None:
    from enroll_viewer.cli.main import main

    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    app_module.guard_streams()
    assert sys.stdout is not None and sys.stderr is not None
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    setup_logging(tmp_path, console=True)
    logging.getLogger("test").warning("no stream to write to")
    assert main(["lookup", "10", "--demo"]) == 0
    assert main(["lookup", "404", "--demo"]) == 3


def test_windowed_start_with_no_streams_runs_the_self_test() -> None:
    code = (
        "import sys; sys.stdout = None; sys.stderr = None; "
        "from enroll_viewer.launch import main; raise SystemExit(main(['--self-test']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr


def test_gui_opens_paints_and_quits_with_no_streams(tmp_path: Path) -> None:
    code = (
        "import sys; sys.stderr = None; "
        "from enroll_viewer.launch import main; raise SystemExit(main(['--demo']))"
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "ENROLL_VIEWER_EXIT_AFTER_PAINT": "1",
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["first-paint", "ready"]


def test_self_test_report_leaves_nothing_in_the_temp_folder(tmp_path: Path) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "enroll_viewer", "--self-test"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(temp), "TEMP": str(temp)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for check in ("window", "resources", "tls", "keyring"):
        assert f"ok   {check}" in result.stdout
    assert list(temp.iterdir()) == []


def test_excepthook_logs_redacted_and_shows_a_dialog(monkeypatch, tmp_path: Path, qapp) -> None:
    shown: list[tuple[Any, ...]] = []
    monkeypatch.setattr(dialogs, "show_error", lambda *args: shown.append(args))
    redactor = setup_logging(tmp_path)
    redactor.add_secret("hook-secret-123")
    previous = sys.excepthook
    try:
        app_module.install_excepthook(redactor, None)
        try:
            raise ValueError("boom with hook-secret-123")
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = previous
    assert shown and "unexpected" in shown[0][1]
    assert "hook-secret-123" not in str(shown[0])
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = (tmp_path / "enroll-viewer.log").read_text()
    assert "ValueError" in text and "hook-secret-123" not in text and "[redacted]" in text


def test_log_lines_redact_key_shaped_text(tmp_path: Path) -> None:
    setup_logging(tmp_path)
    logging.getLogger("t").warning("headers {'api_key': 'abc-DEF-123'} and api_key=xyz987")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = (tmp_path / "enroll-viewer.log").read_text()
    assert "abc-DEF-123" not in text and "xyz987" not in text


@pytest.mark.parametrize("name", ["icon.svg"])
def test_resource_path_finds_resources(name: str) -> None:
    from enroll_viewer.resources import resource_path

    assert resource_path(name).is_file()
