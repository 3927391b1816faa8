"""Build the one-folder bundle into dist/ and pack it as an archive.

    python build_scripts/build.py            # dist/enroll-viewer/ and an archive beside it
    python build_scripts/build.py --floor    # the benchmark baseline: the floor window
    python build_scripts/build.py --windows  # on Linux x86-64: the Windows bundle and installer,
                                             # built under Wine (build_scripts/winpython.py)

On Windows with NSIS's ``makensis`` on PATH, the plain build also makes the installer
``dist/EnrollmentViewer-<version>-Setup.exe`` (build_scripts/installer.nsi); ``--windows`` makes the
same one on Linux. Either way the installer's path is the last line printed.

Optional signing, skipped when the variables are unset:
  Windows: WINDOWS_SIGN_CERT (a .pfx path), WINDOWS_SIGN_PASSWORD, WINDOWS_SIGN_TIMESTAMP_URL
  macOS:   MACOS_SIGN_IDENTITY ("Developer ID Application: ..."), MACOS_NOTARY_PROFILE (a
           notarytool keychain profile; notarizes and staples when set)
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build_scripts" / "enroll_viewer.spec"


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from enroll_viewer import __version__

    return __version__


def platform_tag() -> str:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower().replace("amd64", "x86_64").replace("aarch64", "arm64")
    return f"{system}-{machine}"


def run(command: list[str], **kwargs: object) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, **kwargs)  # type: ignore[call-overload]


def windows_signing() -> bool:
    """True where Windows files get Authenticode signatures (on Windows, with the secret set)."""
    return sys.platform == "win32" and bool(os.environ.get("WINDOWS_SIGN_CERT"))


def sign_file(path: Path) -> None:
    """Sign one Windows file with signtool (the certificate and password come from the
    environment, never from the command line that called this)."""
    url = os.environ.get("WINDOWS_SIGN_TIMESTAMP_URL", "http://timestamp.digicert.com")
    command = ["signtool", "sign", "/f", os.environ["WINDOWS_SIGN_CERT"], "/p"]
    print("+", " ".join(command), "*** /fd sha256 /tr", url, "/td sha256", path, flush=True)
    subprocess.run(
        [
            *command,
            os.environ.get("WINDOWS_SIGN_PASSWORD", ""),
            "/fd",
            "sha256",
            "/tr",
            url,
            "/td",
            "sha256",
            str(path),
        ],
        check=True,
    )


def sign(bundle: Path) -> None:
    if windows_signing():
        for exe in bundle.glob("*.exe"):
            sign_file(exe)
    if sys.platform == "darwin" and os.environ.get("MACOS_SIGN_IDENTITY"):
        app = ROOT / "dist" / "Enrollment Viewer.app"
        run(
            [
                "codesign",
                "--force",
                "--deep",
                "--options",
                "runtime",
                "--timestamp",
                "--sign",
                os.environ["MACOS_SIGN_IDENTITY"],
                str(app),
            ]
        )
        run(["codesign", "--verify", "--deep", "--strict", str(app)])
        if os.environ.get("MACOS_NOTARY_PROFILE"):
            archive = ROOT / "dist" / "notarize.zip"
            run(["ditto", "-c", "-k", "--keepParent", str(app), str(archive)])
            run(
                [
                    "xcrun",
                    "notarytool",
                    "submit",
                    str(archive),
                    "--keychain-profile",
                    os.environ["MACOS_NOTARY_PROFILE"],
                    "--wait",
                ]
            )
            run(["xcrun", "stapler", "staple", str(app)])
            archive.unlink()


def pack(bundle: Path, name: str, windows: bool = False) -> Path:
    dist = bundle.parent
    if sys.platform == "darwin" and (dist / "Enrollment Viewer.app").exists():
        target = dist / f"{name}.zip"
        run(
            ["ditto", "-c", "-k", "--keepParent", str(dist / "Enrollment Viewer.app"), str(target)]
        )  # ditto keeps the symlinks and signatures a .app needs
        return target
    if sys.platform == "win32" or windows:
        target = dist / f"{name}.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for path in sorted(bundle.rglob("*")):
                archive.write(path, Path(bundle.name) / path.relative_to(bundle))
        return target
    target = dist / f"{name}.tar.gz"
    with tarfile.open(target, "w:gz", compresslevel=9) as archive:
        archive.add(bundle, arcname=bundle.name)
    return target


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def build(floor: bool = False, dist: Path | None = None, archive: bool = True) -> dict[str, object]:
    """Build and return what was made: paths, sizes (bytes) and build time (seconds)."""
    dist = dist or ROOT / "dist"
    work = ROOT / "build" / ("floor" if floor else "app")
    if not floor and not (ROOT / "resources" / "icons" / "icon.ico").exists():
        run([sys.executable, str(ROOT / "build_scripts" / "make_icons.py")])
    env = {
        **os.environ,
        "EV_BUNDLE_TARGET": "floor" if floor else "app",
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
    }
    started = time.perf_counter()
    run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(SPEC),
        ],
        env=env,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - started
    name = "floor-window" if floor else "enroll-viewer"
    bundle = dist / name
    result: dict[str, object] = {
        "bundle": bundle,
        "bundle_bytes": folder_size(bundle),
        "build_seconds": seconds,
    }
    if not floor:
        sign(bundle)
        if sys.platform.startswith("linux"):
            add_linux_installer(bundle)
    if archive and not floor:
        target = pack(bundle, f"enroll-viewer-{version()}-{platform_tag()}")
        result["archive"] = target
        result["archive_bytes"] = target.stat().st_size
    if sys.platform == "win32" and not floor:
        if shutil.which("makensis"):
            result.update(installer(bundle, dist))
        else:
            print("note: makensis is not on PATH: no installer (install NSIS 3)")
    return result


def add_linux_installer(bundle: Path) -> Path:
    """Put install.sh (per-user install, menu entry, --desktop, --uninstall) into the Linux
    bundle, so the release tarball carries it at the top: ``enroll-viewer/install.sh``."""
    target = bundle / "install.sh"
    shutil.copyfile(ROOT / "build_scripts" / "install.sh", target)
    target.chmod(0o755)
    return target


def installer(bundle: Path, dist: Path) -> dict[str, object]:
    """Make ``EnrollmentViewer-<version>-Setup.exe`` from a Windows bundle with NSIS; sign it
    (and its uninstaller) where signing is set up."""
    number = version()
    from enroll_viewer import URL_SCHEME  # version() put the checkout first on the path

    digits = [int(n) for n in re.findall(r"\d+", number.split("+")[0])[:4]]
    quad = ".".join(str(n) for n in digits + [0] * (4 - len(digits)))
    target = dist / f"EnrollmentViewer-{number}-Setup.exe"
    defines = {
        "VERSION": number,
        "VERSION_QUAD": quad,
        "SOURCE_DIR": str(bundle),
        "OUTFILE": str(target),
        "ICON": str(ROOT / "resources" / "icons" / "icon.ico"),
        "ESTIMATED_SIZE": str(folder_size(bundle) // 1024),  # KiB, for Settings > Apps
        "URL_SCHEME": URL_SCHEME,
    }
    if windows_signing():
        # The uninstaller is made inside makensis: it signs it through this script. An include
        # file, because quotes inside a -D value do not survive Windows' command-line quoting.
        include = ROOT / "build" / "sign-uninstaller.nsh"
        include.parent.mkdir(parents=True, exist_ok=True)
        command = f'"{sys.executable}" "{Path(__file__).resolve()}" --sign-file "%1"'
        include.write_text(f"!uninstfinalize '{command}' = 0\n", encoding="utf-8")
        defines["SIGN_INCLUDE"] = str(include)
    started = time.perf_counter()
    run(
        [
            "makensis",
            "-NOCD",
            "-V2",
            *[f"-D{name}={value}" for name, value in defines.items()],
            str(ROOT / "build_scripts" / "installer.nsi"),
        ],
        cwd=ROOT,
    )
    if windows_signing():
        sign_file(target)
    return {
        "installer": target,
        "installer_bytes": target.stat().st_size,
        "installer_seconds": time.perf_counter() - started,
    }


def build_windows(dist: Path | None = None, archive: bool = True) -> dict[str, object]:
    """On Linux x86-64: the Windows bundle, built by PyInstaller inside Wine with the embeddable
    Windows CPython (build_scripts/winpython.py, cached in build/windows/), then its installer
    with the distribution's NSIS. The bundle goes to ``dist/windows/enroll-viewer``."""
    if str(ROOT / "build_scripts") not in sys.path:
        sys.path.append(str(ROOT / "build_scripts"))
    import wine
    import winpython

    problem = wine.supported()
    if problem:
        raise SystemExit(problem)
    dist = (dist or ROOT / "dist").resolve()
    started = time.perf_counter()
    wine.ensure_packages()
    prefix = winpython.prepare()
    prepared = time.perf_counter() - started
    if not (ROOT / "resources" / "icons" / "icon.ico").exists():
        run([sys.executable, str(ROOT / "build_scripts" / "make_icons.py")])
    out = dist / "windows"
    bundle = out / "enroll-viewer"
    shutil.rmtree(bundle, ignore_errors=True)
    bundled = time.perf_counter()
    print("+ wine python.exe -m PyInstaller ... enroll_viewer.spec", flush=True)
    winpython.run_python(
        prefix,
        [
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            wine.to_windows(out),
            "--workpath",
            wine.to_windows(ROOT / "build" / "windows" / "work"),
            wine.to_windows(SPEC),
        ],
        timeout=1200,
    )
    exes = ("enroll-viewer.exe", "enroll-viewer-cli.exe")
    missing = [exe for exe in exes if not (bundle / exe).is_file()]
    if missing:  # Wine's exit status alone proves nothing
        raise SystemExit(f"PyInstaller under Wine made no {', '.join(missing)} in {bundle}")
    result: dict[str, object] = {
        "bundle": bundle,
        "bundle_bytes": folder_size(bundle),
        "prepare_seconds": prepared,
        "build_seconds": time.perf_counter() - bundled,
    }
    if archive:
        target = pack(bundle, f"enroll-viewer-{version()}-windows-x86_64", windows=True)
        moved = dist / target.name
        target.replace(moved)
        result["archive"] = moved
        result["archive_bytes"] = moved.stat().st_size
    result.update(installer(bundle, dist))
    result["total_seconds"] = time.perf_counter() - started
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--floor", action="store_true", help="build the floor-window baseline")
    parser.add_argument("--dist", type=Path, help="output folder (default dist/)")
    parser.add_argument("--no-archive", action="store_true", help="skip the archive")
    parser.add_argument(
        "--windows", action="store_true", help="Linux x86-64: the Windows installer, under Wine"
    )
    parser.add_argument("--sign-file", type=Path, help=argparse.SUPPRESS)  # NSIS's uninstaller
    args = parser.parse_args()
    if args.sign_file:
        sign_file(args.sign_file)
        return 0
    if shutil.which("upx"):
        print("note: UPX is installed but not used (it trips antivirus scanners)")
    if args.windows and sys.platform != "win32":
        result = build_windows(args.dist, not args.no_archive)
    else:
        result = build(args.floor, args.dist, not args.no_archive)
    mib = 1024 * 1024
    print(f"bundle   {result['bundle']}  {int(result['bundle_bytes']) / mib:.1f} MiB")  # type: ignore[call-overload]
    if "archive" in result:
        print(f"archive  {result['archive']}  {int(result['archive_bytes']) / mib:.1f} MiB")  # type: ignore[call-overload]
    if "prepare_seconds" in result:
        print(f"Windows Python and Wine prefix ready in {float(result['prepare_seconds']):.1f} s")  # type: ignore[arg-type]
    print(f"built in {float(result['build_seconds']):.1f} s")  # type: ignore[arg-type]
    if "installer" in result:
        print(
            f"installer made in {float(result['installer_seconds']):.1f} s, "  # type: ignore[arg-type]
            f"{int(result['installer_bytes']) / 1e6:.1f} MB"
        )  # type: ignore[call-overload]
        print(result["installer"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
