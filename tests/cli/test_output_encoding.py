"""What the command line writes is UTF-8 into any pipe or file, whatever the platform's code
page; CSV gets a byte-order mark for Excel when asked (or into a file on Windows)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from enroll_viewer.cli import support


def cli(*args: str, encoding: str = "cp1252") -> subprocess.CompletedProcess[bytes]:
    # PYTHONIOENCODING stands in for Windows' ANSI code page on a pipe.
    env = {**os.environ, "PYTHONIOENCODING": encoding, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "enroll_viewer", *args], capture_output=True, env=env, timeout=60
    )


def test_single_id_json_is_utf8_whatever_the_code_page() -> None:
    done = cli("lookup", "42", "--demo", "--json")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout.decode("utf-8"))
    assert record["ExternalId"].startswith("Ä")
    assert "Ä".encode() in done.stdout


def test_single_id_details_with_arrows_survive_a_redirect() -> None:
    done = cli("lookup", "10", "--demo", "--details")
    assert done.returncode == 0, done.stderr
    assert "→" in done.stdout.decode("utf-8")


def test_errors_are_utf8_too() -> None:
    done = cli("lookup", "Zoë→", "--demo", encoding="ascii")
    assert done.returncode == 3  # not found: not a UnicodeEncodeError (exit 1)
    assert "external id Zoë→ was found" in done.stderr.decode("utf-8")


def test_csv_for_excel_starts_with_a_bom_and_pipes_stay_clean() -> None:
    plain = cli("lookup", "10", "11", "--demo", "--csv")
    excel = cli("lookup", "10", "11", "--demo", "--csv", "--excel")
    assert plain.returncode == excel.returncode == 0
    assert not plain.stdout.startswith(b"\xef\xbb\xbf")
    assert excel.stdout.startswith(b"\xef\xbb\xbf") and excel.stdout[3:] == plain.stdout
    search = cli("search", "--class", "4421", "--demo", "--csv", "--excel", "--limit", "3")
    assert search.returncode == 0 and search.stdout.startswith(b"\xef\xbb\xbf")


def test_a_file_on_windows_gets_the_bom_by_itself(monkeypatch, tmp_path) -> None:
    with open(tmp_path / "out.csv", "w", encoding="utf-8") as handle:
        monkeypatch.setattr(sys, "stdout", handle)
        monkeypatch.setattr(sys, "platform", "win32")
        assert support.wants_bom(excel=False)
        monkeypatch.setattr(sys, "platform", "linux")
        assert not support.wants_bom(excel=False)
        assert support.wants_bom(excel=True)


@pytest.mark.skipif(sys.platform == "win32", reason="os.pipe as stdout: POSIX file descriptors")
def test_a_pipe_on_windows_gets_no_bom(monkeypatch) -> None:
    read, write = os.pipe()
    try:
        with open(write, "w", encoding="utf-8", closefd=False) as handle:
            monkeypatch.setattr(sys, "stdout", handle)
            monkeypatch.setattr(sys, "platform", "win32")
            assert not support.wants_bom(excel=False)
    finally:
        os.close(read)
        os.close(write)


def test_utf8_output_leaves_a_terminal_alone(monkeypatch) -> None:
    class Terminal(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    terminal = Terminal(io.BytesIO(), encoding="cp1252")
    piped = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.setattr(sys, "stderr", piped)
    support.utf8_output()
    assert terminal.encoding == "cp1252" and piped.encoding == "utf-8"
