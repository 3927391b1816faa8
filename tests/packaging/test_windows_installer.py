"""The Windows installer, built here with ``build.py --windows`` and tried under Wine as a
registrar would use it: silent install into a fresh prefix, shortcuts, Settings > Apps entry, the
installed command line and window, a key in Windows Credential Manager, upgrade, uninstall.

Slow (the build takes about 3 minutes with build/windows/ cached, 4-5 from scratch, the tests
after it about 1.5): skip with ``pytest -m "not windows"``.
``ENROLL_VIEWER_WINDOWS_SETUP=dist/EnrollmentViewer-<version>-Setup.exe`` tests a Setup already
built instead. Wine's exit status is never the evidence here: files, registry and output are.
"""

from __future__ import annotations

import faulthandler
import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from enroll_viewer import URL_SCHEME
from tests.packaging.wine_helpers import (
    APP_NAME,
    NEVER_BUNDLED,
    UNINSTALL_KEY,
    Installed,
    Timings,
    Xvfb,
    load_script,
)
from tests.servers import record_responder

wine = load_script("wine")
_unsupported = wine.supported()
pytestmark = [
    pytest.mark.windows,
    pytest.mark.timeout(1200),  # the first test builds the installer (minutes from scratch)
    pytest.mark.skipif(_unsupported is not None, reason=str(_unsupported)),
]
KEY = "Wine-Vault-Key-4711"
# Install, settings, logs and the keyring under a profile folder with a space and accents.
WINDOWS_USER = "Zoë Ångström"
MIB = 1024 * 1024
TIMINGS = Timings()


INSTALLED_BUDGET = 65 * MIB  # the goal


def _version() -> str:
    from enroll_viewer import __version__

    return __version__


@pytest.fixture(scope="module", autouse=True)
def _print_timings(request: pytest.FixtureRequest) -> Iterator[None]:
    started = time.perf_counter()
    yield
    TIMINGS.steps["the tests after the build"] = time.perf_counter() - started
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None or not TIMINGS.steps:
        return
    with capture.global_and_fixture_disabled():  # printed in the run's output, not captured
        reporter.write_line("")
        reporter.write_line("Windows installer under Wine, timings:")
        for line in TIMINGS.lines():
            reporter.write_line(line)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The installer, built once per session (or the one ENROLL_VIEWER_WINDOWS_SETUP names)."""
    given = os.environ.get("ENROLL_VIEWER_WINDOWS_SETUP")
    if given:
        return {"installer": Path(given).resolve()}
    faulthandler.cancel_dump_traceback_later()  # a long build is not a hang
    build = load_script("build")
    started = time.perf_counter()
    result = dict(build.build_windows(dist=tmp_path_factory.mktemp("windows-dist"), archive=False))
    TIMINGS.steps["build --windows (total)"] = time.perf_counter() - started
    TIMINGS.steps["  Windows Python + build prefix"] = float(result["prepare_seconds"])
    TIMINGS.steps["  PyInstaller under Wine"] = float(result["build_seconds"])
    TIMINGS.steps["  makensis"] = float(result["installer_seconds"])
    return result


@pytest.fixture(scope="module")
def installed(
    built: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Installed]:
    """A fresh Wine prefix of this module's own, with the app installed silently (/S)."""
    faulthandler.cancel_dump_traceback_later()
    started = time.perf_counter()
    # As on a Windows without the Visual C++ Redistributable: Wine's own runtime DLLs are refused,
    # so the app starts only with the copies it brings.
    prefix = wine.create(
        tmp_path_factory.mktemp("wine") / "prefix", user=WINDOWS_USER, native_only=wine.VC_RUNTIME
    )
    TIMINGS.steps["fresh Wine prefix"] = time.perf_counter() - started
    app = Installed(prefix, Path(built["installer"]))
    started = time.perf_counter()
    app.run_setup("/S")
    TIMINGS.steps["silent install (/S)"] = time.perf_counter() - started
    yield app
    prefix.kill()
    shutil.rmtree(prefix.path, ignore_errors=True)  # 700 MB; pytest keeps its last 3 temp dirs
    shutil.rmtree(prefix.home, ignore_errors=True)


def test_installer_and_bundle_sizes_and_no_wine_stubs(built: dict[str, Any]) -> None:
    setup = Path(built["installer"])
    assert setup.name == f"EnrollmentViewer-{_version()}-Setup.exe"
    assert setup.read_bytes()[:2] == b"MZ"
    TIMINGS.figures["installer"] = f"{setup.stat().st_size / 1e6:.1f} MB"
    assert setup.stat().st_size <= 20 * 1000 * 1000, setup.stat().st_size / 1e6
    if "bundle" not in built:
        pytest.skip("ENROLL_VIEWER_WINDOWS_SETUP given: no bundle folder to look at")
    bundle = Path(built["bundle"])
    names = {path.name.lower() for path in bundle.rglob("*")}
    assert {"enroll-viewer.exe", "enroll-viewer-cli.exe", "qwindows.dll"} <= names
    assert not names & NEVER_BUNDLED, names & NEVER_BUNDLED
    # One copy of each Visual C++ runtime DLL, but VCRUNTIME140_1: Python's own _wmi.pyd and
    # shiboken6 each load it from their folder (build_scripts/enroll_viewer.spec says why).
    names_of_runtime = (
        p.name.lower() for p in bundle.rglob("*") if p.stem.lower() in wine.VC_RUNTIME
    )
    runtime = Counter(names_of_runtime)
    assert runtime == {
        "msvcp140.dll": 1, "msvcp140_1.dll": 1, "msvcp140_2.dll": 1,
        "vcruntime140.dll": 1, "vcruntime140_1.dll": 2,
    }, runtime  # fmt: skip
    assert built["bundle_bytes"] <= INSTALLED_BUDGET, built["bundle_bytes"] / MIB


def test_silent_install_makes_program_files_shortcuts_and_apps_entry(installed: Installed) -> None:
    folder = installed.folder
    for name in ("enroll-viewer.exe", "enroll-viewer-cli.exe", "Uninstall.exe"):
        assert (folder / name).is_file(), sorted(p.name for p in folder.glob("*"))
    assert (folder / "_internal" / "PySide6" / "plugins" / "platforms" / "qwindows.dll").is_file()
    shipped = {path.name.lower() for path in folder.rglob("*")}
    assert not shipped & NEVER_BUNDLED, shipped & NEVER_BUNDLED
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    TIMINGS.figures["installed folder"] = f"{size / MIB:.1f} MiB"
    assert size <= INSTALLED_BUDGET, size / MIB

    # Both executables carry the version resource (UTF-16 strings in the PE resources).
    for exe in ("enroll-viewer.exe", "enroll-viewer-cli.exe"):
        data = (folder / exe).read_bytes()
        for text in ("ProductName", APP_NAME, "ProductVersion", _version(), "FileDescription"):
            assert text.encode("utf-16-le") in data, (exe, text)

    for shortcut in (installed.desktop_shortcut, installed.start_menu_shortcut):
        assert shortcut.is_file(), shortcut
        data = shortcut.read_bytes()
        assert data[:4] == b"\x4c\x00\x00\x00", shortcut  # a shell link
        assert b"enroll-viewer.exe" in data or "enroll-viewer.exe".encode("utf-16-le") in data

    entry = installed.prefix.reg_query(UNINSTALL_KEY)
    windows_folder = "C:\\" + str(folder.relative_to(installed.prefix.drive_c)).replace("/", "\\")
    assert entry["DisplayName"] == APP_NAME
    assert entry["DisplayVersion"] == _version()
    assert entry["Publisher"] == APP_NAME
    assert entry["DisplayIcon"].lower() == (windows_folder + r"\enroll-viewer.exe,0").lower()
    assert int(entry["EstimatedSize"], 16) * 1024 >= 30 * MIB
    assert entry["QuietUninstallString"].lower() == f'"{windows_folder}\\Uninstall.exe" /S'.lower()
    assert entry["InstallLocation"].lower() == windows_folder.lower()

    # Links enroll-viewer://... open the app.
    command = installed.prefix.reg_query(rf"HKCU\Software\Classes\{URL_SCHEME}\shell\open\command")
    assert command["(Default)"].lower() == f'"{windows_folder}\\enroll-viewer.exe" "%1"'.lower()
    assert "URL Protocol" in installed.prefix.reg_query(rf"HKCU\Software\Classes\{URL_SCHEME}")


def test_installed_command_line_self_test_and_demo_lookup(installed: Installed) -> None:
    started = time.perf_counter()
    checked = installed.cli("--self-test")
    TIMINGS.steps["enroll-viewer-cli --self-test"] = time.perf_counter() - started
    assert "(frozen, win32)" in checked.stdout, checked.stdout + checked.stderr
    assert "ok   keyring   picked keyring.backends.Windows.WinVaultKeyring" in checked.stdout
    assert "ok   resources" in checked.stdout and "FAIL" not in checked.stdout
    assert "passed" in checked.stdout
    temp = installed.prefix.user_dir / "Temp"  # %TEMP% in a Wine prefix
    assert not list(temp.glob("enroll-viewer-self-test-*")), "the self-test left a folder behind"

    record = installed.cli_json("lookup", "10", "--demo", "--json")
    assert record["Id"] == 10 and record["EnrollmentStatus"] == "Enroll"
    # Piped output is UTF-8 on Windows too (not the ANSI code page): "Ä", "→".
    assert installed.cli_json("lookup", "42", "--demo", "--json")["ExternalId"].startswith("Ä")
    details = installed.cli("lookup", "10", "--demo", "--details")
    assert "→" in details.stdout, details.stdout + details.stderr
    missing = installed.cli("lookup", "404", "--demo")
    assert missing.returncode == 3, missing.stdout + missing.stderr


def test_key_in_credential_manager_reaches_a_local_server(installed: Installed, serve) -> None:
    server = serve(record_responder)
    added = installed.cli("connections", "add", "Office", "--base-url", server.base_url)
    assert added.returncode == 0, added.stderr
    saved = installed.cli("key", "set", "--connection", "Office", stdin=KEY + "\n")
    assert saved.returncode == 0, saved.stdout + saved.stderr
    status = installed.cli("key", "status", "--connection", "Office")
    assert "Key:        set" in status.stdout, status.stdout + status.stderr
    listed = installed.cli_json("connections", "list", "--json")
    assert [row["HasKey"] for row in listed if row["Name"] == "Office"] == [True], listed

    looked = installed.cli("lookup", "5", "--connection", "Office", "--json")
    assert looked.stdout.strip(), looked.stderr
    assert json.loads(looked.stdout)["Id"] == 5
    assert server.seen.headers, "the server saw no request"
    assert server.seen.headers[-1]["api_key"] == KEY  # from Credential Manager, another process

    cleared = installed.cli("key", "clear", "--connection", "Office")
    assert cleared.returncode == 0, cleared.stderr
    before = len(server.seen.headers)
    without = installed.cli("lookup", "5", "--connection", "Office", "--json")
    assert without.returncode != 0 and not without.stdout.strip()
    assert len(server.seen.headers) == before  # no key, no request


def test_installed_window_shows_under_xvfb(installed: Installed) -> None:
    xvfb = Xvfb()
    app = None
    try:
        started = time.perf_counter()
        app = installed.prefix.popen(
            [installed.folder / "enroll-viewer.exe", "--demo"], env={"DISPLAY": xvfb.display}
        )
        windows = xvfb.find_window(APP_NAME, timeout=90)
        TIMINGS.steps["window visible under Xvfb"] = time.perf_counter() - started
        assert windows, "no window titled Enrollment Viewer"
        titles = [xvfb.window_name(w) for w in windows]
        assert any("DEMO" in title for title in titles), titles
        # "Failed to start embedded python interpreter!" and the like come in a box named Error.
        assert not xvfb.windows_named("Error"), "an error box is up"
        assert app.poll() is None, "the app ended while its window should be up"
    finally:
        installed.prefix.kill()  # ends this prefix's Windows processes, the app among them
        if app is not None:
            app.wait(30)
            if app.stdout is not None:
                app.stdout.close()
        xvfb.stop()


def test_install_over_it_keeps_user_data_and_replaces_program_files(
    installed: Installed, tmp_path: Path
) -> None:
    kept = installed.cli("connections", "add", "Kept", "--base-url", "https://kept.example/api/2.0")
    assert kept.returncode == 0, kept.stderr
    connections = installed.connections_file()
    assert connections is not None and "Kept" in connections.read_text(encoding="utf-8")
    stale = installed.folder / "_internal" / "stale-from-an-old-version.dll"
    stale.write_bytes(b"MZ")
    preset = tmp_path / "it preset.ini"
    preset.write_text(
        "[connection:Campus]\nbase_url = https://campus.example/api/2.0\nlocked = true\n",
        encoding="utf-8",
    )

    started = time.perf_counter()
    installed.run_setup("/S", f"/CONFIG={wine.to_windows(preset)}")
    TIMINGS.steps["silent install over it"] = time.perf_counter() - started

    assert (installed.folder / "enroll-viewer.exe").is_file()
    assert not stale.exists(), "the old program files were not replaced wholesale"
    assert "Kept" in connections.read_text(encoding="utf-8")
    config = installed.prefix.drive_c / "ProgramData" / "enroll-viewer" / "config.ini"
    assert config.read_text(encoding="utf-8") == preset.read_text(encoding="utf-8")
    names = [row["Name"] for row in installed.cli_json("connections", "list", "--json")]
    assert "Kept" in names and "Campus" in names, names


def test_uninstall_removes_program_and_shortcuts_but_keeps_user_data(installed: Installed) -> None:
    connections = installed.connections_file()
    assert connections is not None
    started = time.perf_counter()
    installed.uninstall()
    TIMINGS.steps["silent uninstall"] = time.perf_counter() - started

    assert not (installed.folder / "enroll-viewer.exe").exists()
    assert not (installed.folder / "_internal").exists()
    assert not installed.folder.exists(), sorted(installed.folder.rglob("*"))
    assert not installed.desktop_shortcut.exists()
    assert not installed.start_menu_shortcut.exists()
    assert installed.prefix.reg_query(UNINSTALL_KEY) == {}
    assert installed.prefix.reg_query(rf"HKCU\Software\Classes\{URL_SCHEME}") == {}
    assert connections.is_file() and "Kept" in connections.read_text(encoding="utf-8")
