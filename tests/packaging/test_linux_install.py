"""install.sh, the per-user installer in the Linux release tarball, run against a stand-in bundle
in a home folder of the test's own (named with spaces and non-ASCII letters, as users' can be)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging.wine_helpers import load_script

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="install.sh is for Linux desktops"
)


def _bundle(where: Path) -> Path:
    """A stand-in for the PyInstaller folder: a program that answers, and the real resources."""
    bundle = where / "enroll-viewer"
    resources = bundle / "_internal" / "resources"
    shutil.copytree(ROOT / "resources", resources)
    program = bundle / "enroll-viewer"
    program.write_text('#!/bin/sh\necho "enroll-viewer stand-in $*"\n')
    program.chmod(0o755)
    installer = load_script("build").add_linux_installer(bundle)
    assert installer == bundle / "install.sh" and os.access(installer, os.X_OK)
    return bundle


def _run(script: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    result = subprocess.run(
        [str(script), *args], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "Zoë Ångström"
    folder.mkdir()
    return folder


def test_install_makes_program_menu_entry_icon_and_command(home: Path, tmp_path: Path) -> None:
    bundle = _bundle(tmp_path / "unpacked")
    result = _run(bundle / "install.sh", home)
    opt = home / ".local" / "opt" / "enroll-viewer"
    assert "installed" in result.stdout
    assert (opt / "enroll-viewer").is_file() and (opt / "install.sh").is_file()
    entry = home / ".local" / "share" / "applications" / "enroll-viewer.desktop"
    text = entry.read_text(encoding="utf-8")
    assert f'Exec="{opt}/enroll-viewer" %u' in text.splitlines()  # links hand over their id
    assert "MimeType=x-scheme-handler/enroll-viewer;" in text.splitlines()
    assert f"TryExec={opt}/enroll-viewer" in text.splitlines()
    assert "Icon=enroll-viewer" in text.splitlines() and "Name=Enrollment Viewer" in text
    icons = home / ".local" / "share" / "icons" / "hicolor"
    assert (icons / "256x256" / "apps" / "enroll-viewer.png").is_file()
    assert (icons / "scalable" / "apps" / "enroll-viewer.svg").is_file()
    assert not (home / "Desktop" / "enroll-viewer.desktop").exists()  # only with --desktop
    command = home / ".local" / "bin" / "enroll-viewer"
    ran = subprocess.run([str(command), "--version"], capture_output=True, text=True, timeout=30)
    assert ran.stdout.strip() == "enroll-viewer stand-in --version"
    if shutil.which("desktop-file-validate"):
        checked = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True)
        assert checked.returncode == 0, checked.stdout


def test_desktop_icon_with_desktop(home: Path, tmp_path: Path) -> None:
    bundle = _bundle(tmp_path / "unpacked")
    _run(bundle / "install.sh", home, "--desktop")
    icon = home / "Desktop" / "enroll-viewer.desktop"
    assert icon.is_file() and os.access(icon, os.X_OK)
    assert "Exec=" in icon.read_text(encoding="utf-8")


def test_install_over_an_older_version_replaces_program_files_and_keeps_user_data(
    home: Path, tmp_path: Path
) -> None:
    bundle = _bundle(tmp_path / "unpacked")
    _run(bundle / "install.sh", home)
    opt = home / ".local" / "opt" / "enroll-viewer"
    stale = opt / "_internal" / "libstale-from-0.0.9.so"
    stale.write_bytes(b"old")
    settings = home / ".config" / "enroll-viewer" / "connections.json"
    settings.parent.mkdir(parents=True)
    settings.write_text('{"connections": []}')
    _run(bundle / "install.sh", home)
    assert not stale.exists()
    assert (opt / "enroll-viewer").is_file()
    assert settings.read_text() == '{"connections": []}'
    _run(opt / "install.sh", home)  # the installed copy installs over itself harmlessly
    assert (opt / "enroll-viewer").is_file()


def test_uninstall_removes_what_it_installed_and_keeps_user_data(
    home: Path, tmp_path: Path
) -> None:
    bundle = _bundle(tmp_path / "unpacked")
    _run(bundle / "install.sh", home, "--desktop")
    settings = home / ".config" / "enroll-viewer" / "connections.json"
    settings.parent.mkdir(parents=True)
    settings.write_text("{}")
    opt = home / ".local" / "opt" / "enroll-viewer"
    result = _run(opt / "install.sh", home, "--uninstall")
    assert "uninstalled" in result.stdout and "~/.config/enroll-viewer" in result.stdout
    assert not opt.exists()
    assert not (home / ".local" / "share" / "applications" / "enroll-viewer.desktop").exists()
    assert not (home / "Desktop" / "enroll-viewer.desktop").exists()
    assert not list((home / ".local" / "share" / "icons").rglob("enroll-viewer.*"))
    assert not (home / ".local" / "bin" / "enroll-viewer").exists()
    assert settings.read_text() == "{}"


def test_uninstall_leaves_a_command_that_is_not_its_own(home: Path, tmp_path: Path) -> None:
    bundle = _bundle(tmp_path / "unpacked")
    own = home / ".local" / "bin" / "enroll-viewer"
    own.parent.mkdir(parents=True)
    own.write_text("#!/bin/sh\necho mine\n")
    _run(bundle / "install.sh", home)
    assert own.read_text() == "#!/bin/sh\necho mine\n"  # not replaced by the link either
    _run(bundle / "install.sh", home, "--uninstall")
    assert own.is_file()


def test_install_sh_is_posix_sh() -> None:
    script = ROOT / "build_scripts" / "install.sh"
    assert subprocess.run(["sh", "-n", str(script)], timeout=30).returncode == 0
    if shutil.which("shellcheck"):
        checked = subprocess.run(["shellcheck", str(script)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout
