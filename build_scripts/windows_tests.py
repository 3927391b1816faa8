"""The project's test suite under the Windows CPython, in Wine (the Windows leg of ``.ci/run``).

    python build_scripts/windows_tests.py                      # the suite; exit status = pytest's
    python build_scripts/windows_tests.py -- tests/cli -x      # other pytest arguments and paths

What it uses, each step skipped when its result is already there:

* the Windows CPython of the Windows build, ``build/windows/python/`` (build_scripts/winpython.py's
  ``prepare()``: reused as it is when the installer test or a build made it, made here otherwise);
* ``build/windows/test-python/``: a copy of it with the test packages of
  ``windows-test-requirements.txt`` (wheels fetched into ``build/windows/test-wheels/`` by the
  host's pip with their hashes checked, installed inside Wine with ``--no-index
  --require-hashes``). A copy, so the Python the installer is built from never holds pytest,
  hypothesis or cryptography, and a build running beside the tests is never changed under it;
* ``build/windows/test-prefix/``: a Wine prefix of its own (build_scripts/wine.py), with
  ``QT_QPA_PLATFORM=offscreen``, ``QT_QPA_FONTDIR`` and ``TEMP`` in ``HKCU\\Environment`` (Wine does
  not pass the host's ``QT_*`` or ``TEMP`` on); ``winedbg.exe=d`` (wine.py's overrides) so a crash
  ends the process instead of waiting in the debugger.

While the suite runs, a ``.pth`` file in the copy's site-packages puts the checkout on ``sys.path``
(the embeddable Python ignores ``PYTHONPATH`` and the working folder), for pytest and for every
``sys.executable -m enroll_viewer`` a test starts, and sends bytecode to a folder of the copy's own
(``sys.pycache_prefix``) instead of the checkout's ``__pycache__``; it is removed afterwards.

Not run here: what needs Linux itself (tests/packaging/: the bundles and the installer, run by the
Linux suite; the screen reader over AT-SPI and Xvfb; the Secret Service over D-Bus), and the import
layering check of the source (tests/test_architecture.py: platform-independent).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.append(str(Path(__file__).resolve().parent))
import wine  # siblings: build_scripts is not a package
import winpython

ROOT = winpython.ROOT
TEST_PYTHON = winpython.CACHE / "test-python"
TEST_WHEELS = winpython.CACHE / "test-wheels"
TEST_PREFIX = winpython.CACHE / "test-prefix"
REQUIREMENTS = ROOT / "build_scripts" / "windows-test-requirements.txt"
STAMP = ".test-requirements-sha256"
CHECKOUT_PTH = "enroll_viewer_checkout.pth"
PREFIX_MARKER = ".enroll-viewer-tests"
IGNORED = (
    # What needs Linux: the bundles and the installer (built and tested from Linux), AT-SPI on
    # Xvfb, gnome-keyring on D-Bus.
    "tests/packaging",
    "tests/ui/test_screen_reader.py",
    "tests/store/test_secret_service.py",
    # The import layering of the source (import-linter, grimp): the same on every platform, and
    # its tools are not test packages of the Windows Python.
    "tests/test_architecture.py",
)
MARKERS = "not bundle and not windows"
SUMMARY = re.compile(r"^=* ?(no tests ran|(\d+ \w+(, )?)+) in [\d.]+s( \(.*\))?( =+)?$")
# Fonts for Qt's offscreen platform, which on Windows reads the font files of QT_QPA_FONTDIR only
# (Qt ships none; the window's own "windows" platform uses the system's). The prefix's Fonts
# folder is empty (Wine serves its fonts from elsewhere), so a folder of the prefix gets the
# host's DejaVu Sans, the font the Linux suite prints with, bold faces included
# (fonts-dejavu-core comes with fontconfig). One family only: Qt's offscreen font database on
# Windows falls back to some font of the folder for the app's font (Helvetica, not there); with
# the whole DejaVu folder it took one without a bold face, and every bold title came out as a
# fake bold, its text printed twice in the PDF.
FONT_SOURCE = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = tuple(f"DejaVuSans{face}.ttf" for face in ("", "-Bold", "-Oblique", "-BoldOblique"))
TIMEOUT = 1500  # seconds for the whole run; the suite takes about a third of it under Wine


def python_exe() -> Path:
    return TEST_PYTHON / "python.exe"


def site_packages() -> Path:
    return TEST_PYTHON / "Lib" / "site-packages"


def temp_dir(prefix: wine.Prefix) -> Path:
    """%TEMP% and %TMP% of the test runs: emptied before each run."""
    return prefix.drive_c / "tests-temp"


def prepare() -> wine.Prefix:
    """The Windows Python (shared with the build), its test copy and the test prefix."""
    started = time.perf_counter()
    # Reuses build/windows/python when its stamp matches windows-requirements.txt; makes it (and
    # the prefix) otherwise. Either way the prefix returned is the test prefix.
    prefix = winpython.prepare(TEST_PREFIX)
    base_stamp = (winpython.PYTHON_DIR / ".requirements-sha256").read_text()
    wanted = f"{base_stamp}\n{winpython.sha256(REQUIREMENTS)}"
    stamp = TEST_PYTHON / STAMP
    if not (stamp.exists() and stamp.read_text() == wanted):
        make_test_python(prefix)
        stamp.write_text(wanted)
    fonts = prefix.drive_c / "test-fonts"
    fonts.mkdir(exist_ok=True)
    for stray in fonts.iterdir():
        if stray.name not in FONT_FILES:
            stray.unlink()
    for name in FONT_FILES:
        if not (FONT_SOURCE / name).is_file():
            raise SystemExit(f"{FONT_SOURCE / name} is missing: apt-get install fonts-dejavu-core")
        if not (fonts / name).exists():
            shutil.copyfile(FONT_SOURCE / name, fonts / name)
    # What Wine does not pass on from the host: set in the prefix, once.
    settings = {
        "QT_QPA_PLATFORM": "offscreen",
        "QT_QPA_FONTDIR": "C:\\" + fonts.name,
        "TEMP": "C:\\" + temp_dir(prefix).name,
        "TMP": "C:\\" + temp_dir(prefix).name,
    }
    marker = prefix.path / PREFIX_MARKER
    recorded = "".join(f"{name}={value}\n" for name, value in settings.items())
    if not (marker.exists() and marker.read_text() == recorded):
        for name, value in settings.items():
            prefix.reg_add(r"HKCU\Environment", name, value)
        prefix.wait()
        marker.write_text(recorded)
    print(f"prepared in {time.perf_counter() - started:.0f} s", flush=True)
    return prefix


def make_test_python(prefix: wine.Prefix) -> None:
    """Copy the build's Windows Python and install the test packages into the copy."""
    started = time.perf_counter()
    staging = TEST_PYTHON.with_name(TEST_PYTHON.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(
        winpython.PYTHON_DIR,
        staging,
        symlinks=True,
        ignore=shutil.ignore_patterns("__pycache__", winpython.PYTHON_DIR.name + ".partial"),
    )
    staged_python = staging / "python.exe"
    winpython.install_requirements(prefix, REQUIREMENTS, staged_python, TEST_WHEELS)
    imports = (
        "import pytest, pytestqt, pytest_timeout, hypothesis, trustme, pypdf, cryptography.x509"
    )
    check = prefix.run([staged_python, "-c", f"{imports}; print('imports ok')"], cwd=ROOT)
    if "imports ok" not in check.stdout:
        raise SystemExit(f"the test Python cannot import its packages:\n{check.stderr}")
    shutil.rmtree(TEST_PYTHON, ignore_errors=True)
    staging.rename(TEST_PYTHON)
    print(f"test Python made in {time.perf_counter() - started:.0f} s", flush=True)


def pytest_command(extra: Sequence[str]) -> list[str]:
    paths_given = any(not arg.startswith("-") and arg.startswith("tests") for arg in extra)
    return [
        str(python_exe()),
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-m",
        MARKERS,
        "-rfEs",
        *[f"--ignore={path}" for path in IGNORED],
        *extra,
        *([] if paths_given else ["tests"]),
    ]


def run_suite(prefix: wine.Prefix, extra: Sequence[str], timeout: float) -> tuple[int, str]:
    """Run pytest inside Wine, its output streamed here; return its exit status and output."""
    shutil.rmtree(temp_dir(prefix), ignore_errors=True)
    temp_dir(prefix).mkdir(parents=True)
    pth = site_packages() / CHECKOUT_PTH
    pycache = wine.to_windows(TEST_PYTHON / "pycache")
    pth.write_text(
        f"{wine.to_windows(ROOT)}\n"
        # Bytecode of the checkout stays out of its __pycache__ (the host's Python uses those).
        f"import sys; sys.pycache_prefix = {pycache!r}\n",
        encoding="utf-8",
    )
    command = ["wine", *pytest_command(extra)]
    print("+", " ".join(command[1:]), flush=True)
    lines: list[str] = []
    # Pipes for all three streams: Windows CPython aborts at start-up on a regular file in Wine.
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=prefix.env(),
        cwd=ROOT,
        start_new_session=True,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.close()
    stdout = process.stdout

    def pump() -> None:
        for raw in iter(stdout.readline, b""):
            # The Windows Python writes its ANSI code page into a pipe.
            line = raw.decode("cp1252", errors="replace").rstrip("\r\n")
            lines.append(line)
            print(line, flush=True)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        status = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"the Windows suite took over {timeout:.0f} s: stopped", flush=True)
        status = 124
    finally:
        # Ends whatever a test left running in this prefix (and only this prefix), so no Windows
        # process keeps the pipe open; then the wine process itself.
        prefix.kill()
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        reader.join(timeout=30)
        pth.unlink(missing_ok=True)
    return status, "\n".join(lines)


def summary_of(output: str) -> str | None:
    """pytest's closing line (``3 failed, 317 passed, 4 skipped in 201.5s``), if it got there."""
    found = [line for line in output.splitlines() if SUMMARY.match(line.strip())]
    return found[-1].strip("= ") if found else None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds for the run")
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments (after --)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    prefix = prepare()
    status, output = run_suite(prefix, args.pytest_args, args.timeout)
    summary = summary_of(output)
    took = time.perf_counter() - started
    if summary is None:
        print(f"Windows suite: no pytest summary (wine exited {status}) after {took:.0f} s")
        return status or 1
    # Wine's exit status alone is weak evidence: the summary must agree with it.
    if status == 0 and re.search(r"\d+ (failed|errors?)\b", summary):
        status = 1
    print(f"Windows suite (Wine): {summary}; {took:.0f} s in all, exit status {status}")
    return status


if __name__ == "__main__":
    sys.exit(main())
