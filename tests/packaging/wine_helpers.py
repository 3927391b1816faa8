"""Helpers for testing the Windows installer under Wine: the build scripts loaded as modules, an
installed app in a prefix, an X server for its window, and timings for the session's summary."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPTS = ROOT / "build_scripts"
APP_NAME = "Enrollment Viewer"
UNINSTALL_KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\EnrollmentViewer"
# Test-only DLLs a Wine prefix gets (build_scripts/wine.py), and what a widgets app never loads.
NEVER_BUNDLED = {
    "icuuc.dll",
    "mscms.dll",
    "bcryptprimitives.dll",
    "opengl32sw.dll",
    "d3dcompiler_47.dll",
}


def load_script(name: str) -> ModuleType:
    """A module of build_scripts/ (not a package) loaded by path."""
    if str(BUILD_SCRIPTS) not in sys.path:
        sys.path.append(str(BUILD_SCRIPTS))  # build.py and winpython.py import wine.py
    # Under the names the scripts import each other by; build.py as ev_build (PyPI has "build").
    module_name = "ev_build" if name == "build" else name
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, BUILD_SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@dataclass
class Timings:
    """Seconds per step, printed at the end of the module."""

    steps: dict[str, float] = field(default_factory=dict)
    figures: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [f"  {name:<34} {seconds:7.1f} s" for name, seconds in self.steps.items()] + [
            f"  {name:<34} {value}" for name, value in self.figures.items()
        ]


@dataclass
class Installed:
    """The app installed by the Setup in a Wine prefix of its own."""

    prefix: Any  # build_scripts/wine.py's Prefix
    setup: Path

    @property
    def folder(self) -> Path:
        return self.prefix.user_dir / "AppData" / "Local" / "Programs" / APP_NAME

    @property
    def desktop_shortcut(self) -> Path:
        return self.prefix.user_dir / "Desktop" / f"{APP_NAME}.lnk"

    @property
    def start_menu_shortcut(self) -> Path:
        programs = self.prefix.user_dir / "AppData/Roaming/Microsoft/Windows/Start Menu/Programs"
        return programs / f"{APP_NAME}.lnk"

    @property
    def user_data(self) -> list[Path]:
        """The app's own folders under %APPDATA% and %LOCALAPPDATA%."""
        app_data = self.prefix.user_dir / "AppData"
        return [app_data / "Local" / "enroll-viewer", app_data / "Roaming" / "enroll-viewer"]

    def connections_file(self) -> Path | None:
        for folder in self.user_data:
            found = sorted(folder.rglob("connections.json")) if folder.exists() else []
            if found:
                return found[0]
        return None

    def run_setup(self, *args: str, timeout: float = 180) -> None:
        """Run the Setup and wait for everything it started (Wine's exit status proves nothing)."""
        self.prefix.run([self.setup, *args], timeout=timeout)
        self.prefix.wait()

    def uninstall(self) -> None:
        """The quiet uninstall string's command; it re-launches itself from Temp, so wait."""
        self.prefix.run([self.folder / "Uninstall.exe", "/S"], timeout=120)
        self.prefix.wait()

    def cli(
        self, *args: str, stdin: str | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return self.prefix.run(
            [self.folder / "enroll-viewer-cli.exe", *args], input=stdin, timeout=timeout
        )

    def cli_json(self, *args: str) -> Any:
        result = self.cli(*args)
        assert result.stdout.strip(), f"no output from {args}: {result.stderr[-2000:]}"
        return json.loads(result.stdout)


class Xvfb:
    """A private X server on a free display; ``-displayfd`` says when it is ready."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        number = self.process.stdout.readline().strip()  # blocks until the server is ready
        assert number.isdigit(), f"Xvfb did not start: {number!r}"
        self.display = f":{number}"

    def find_window(self, name: str, timeout: float) -> list[str]:
        """Ids of visible windows whose title contains ``name``, waiting up to ``timeout``."""
        result = subprocess.run(
            ["xdotool", "search", "--sync", "--onlyvisible", "--name", name],
            capture_output=True,
            text=True,
            env={"DISPLAY": self.display, "PATH": "/usr/bin:/bin"},
            timeout=timeout,
        )
        return result.stdout.split()

    def windows_named(self, name: str) -> list[str]:
        """Ids of visible windows titled exactly ``name``, now (no waiting)."""
        result = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", f"^{name}$"],
            capture_output=True,
            text=True,
            env={"DISPLAY": self.display, "PATH": "/usr/bin:/bin"},
            timeout=30,
        )
        return result.stdout.split()

    def window_name(self, window: str) -> str:
        result = subprocess.run(
            ["xdotool", "getwindowname", window],
            capture_output=True,
            text=True,
            env={"DISPLAY": self.display, "PATH": "/usr/bin:/bin"},
            timeout=30,
        )
        return result.stdout.strip()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)
