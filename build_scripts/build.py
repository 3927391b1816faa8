"""Build the one-folder bundle into dist/ and pack it as an archive.

    python build_scripts/build.py         # dist/enroll-viewer/ and an archive beside it
    python build_scripts/build.py --floor    # the benchmark baseline: the floor window

Optional signing, skipped when the variables are unset:
  Windows: WINDOWS_SIGN_CERT (a .pfx path), WINDOWS_SIGN_PASSWORD, WINDOWS_SIGN_TIMESTAMP_URL
  macOS:   MACOS_SIGN_IDENTITY ("Developer ID Application: ..."), MACOS_NOTARY_PROFILE (a
           notarytool keychain profile; notarizes and staples when set)
"""

from __future__ import annotations

import argparse
import os
import platform
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


def sign(bundle: Path) -> None:
    if sys.platform == "win32" and os.environ.get("WINDOWS_SIGN_CERT"):
        url = os.environ.get("WINDOWS_SIGN_TIMESTAMP_URL", "http://timestamp.digicert.com")
        for exe in bundle.glob("*.exe"):
            run(
                [
                    "signtool",
                    "sign",
                    "/f",
                    os.environ["WINDOWS_SIGN_CERT"],
                    "/p",
                    os.environ.get("WINDOWS_SIGN_PASSWORD", ""),
                    "/fd",
                    "sha256",
                    "/tr",
                    url,
                    "/td",
                    "sha256",
                    str(exe),
                ]
            )
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


def pack(bundle: Path, name: str) -> Path:
    dist = bundle.parent
    if sys.platform == "darwin" and (dist / "Enrollment Viewer.app").exists():
        target = dist / f"{name}.zip"
        run(
            ["ditto", "-c", "-k", "--keepParent", str(dist / "Enrollment Viewer.app"), str(target)]
        )  # ditto keeps the symlinks and signatures a .app needs
        return target
    if sys.platform == "win32":
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
    if archive and not floor:
        target = pack(bundle, f"enroll-viewer-{version()}-{platform_tag()}")
        result["archive"] = target
        result["archive_bytes"] = target.stat().st_size
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--floor", action="store_true", help="build the floor-window baseline")
    parser.add_argument("--dist", type=Path, help="output folder (default dist/)")
    parser.add_argument("--no-archive", action="store_true", help="skip the archive")
    args = parser.parse_args()
    if shutil.which("upx"):
        print("note: UPX is installed but not used (it trips antivirus scanners)")
    result = build(args.floor, args.dist, not args.no_archive)
    mib = 1024 * 1024
    print(f"bundle   {result['bundle']}  {int(result['bundle_bytes']) / mib:.1f} MiB")  # type: ignore[call-overload]
    if "archive" in result:
        print(f"archive  {result['archive']}  {int(result['archive_bytes']) / mib:.1f} MiB")  # type: ignore[call-overload]
    print(f"built in {float(result['build_seconds']):.1f} s")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
