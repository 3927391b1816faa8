"""A Wine prefix made for building and testing the Windows app on Linux x86-64.

Everything here is for this machine only; none of it goes into the bundle or the installer:

* its own ``HOME`` beside the prefix, and Desktop, Documents, ... as real folders inside it
  (Wine links them to the host's home otherwise, and an installer's desktop icon would land there);
* Windows 10 (Qt 6 refuses older), no Mono/Gecko prompts, no ``.desktop`` files written to the
  host, no debugger hanging on a crash;
* ``_wmi.pyd`` disabled (Wine 8.0 lacks ``propsys.VariantToString``; ``platform`` falls back);
* test-only stand-in DLLs compiled with MinGW into the prefix's ``system32``: ``icuuc.dll`` (Qt6Core
  imports Windows 10's system ICU), ``mscms.dll`` (Qt's ``windows`` plugin, loaded native) and
  ``bcryptprimitives.dll`` (the newest ``cryptography``, for the test suite).

See ../shared/reference/windows-under-wine.md for why each is needed.

    python build_scripts/wine.py PREFIX_DIR     # make (or check) a prefix and print its env
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STUB_SOURCES = ROOT / "build_scripts" / "wine_stubs"
STUB_CACHE = ROOT / "build" / "windows" / "stubs"
STUBS = ("icuuc", "mscms", "bcryptprimitives")
# Debian packages and the command each provides.
APT_PACKAGES = {
    "wine": "wine",
    "wine64": "/usr/lib/wine/wine64",
    "nsis": "makensis",
    "gcc-mingw-w64-x86-64-win32": "x86_64-w64-mingw32-gcc",
}
OVERRIDES = ";".join(
    [
        "mscoree,mshtml=",  # no Mono / Gecko install prompts
        "winemenubuilder.exe=d",  # no .desktop files and icons in the host's ~/.local
        "winedbg.exe=d",  # a crash ends the process instead of waiting in the debugger
        "_wmi.pyd=d",  # CPython's platform module falls back to sys.getwindowsversion()
        "mscms=n",  # the stand-in below (Wine's WcsCreateIccProfile aborts Qt)
    ]
)
# The Visual C++ runtime DLLs the bundle imports. Loaded "native only", Wine's own builtin copies
# are refused, as on a Windows without the Visual C++ Redistributable: the app must bring them.
VC_RUNTIME = ("msvcp140", "msvcp140_1", "msvcp140_2", "vcruntime140", "vcruntime140_1")
HOST_ONLY = {"SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "TZ"}
SHELL_FOLDERS = ("Desktop", "Documents", "Downloads", "Music", "Pictures", "Videos", "Templates")


def supported() -> str | None:
    """None when Wine builds can run here, else the reason they cannot."""
    if not sys.platform.startswith("linux"):
        return f"the Windows build under Wine needs Linux (this is {sys.platform})"
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return f"the Windows build under Wine needs x86-64 (this is {platform.machine()})"
    return None


def ensure_packages(names: Sequence[str] | None = None) -> None:
    """Install Wine, NSIS and MinGW with apt-get when their commands are missing."""
    wanted = names or list(APT_PACKAGES)
    missing = [
        name
        for name in wanted
        if not (shutil.which(APT_PACKAGES[name]) or Path(APT_PACKAGES[name]).exists())
    ]
    if not missing:
        return
    if not shutil.which("apt-get"):
        raise SystemExit(f"missing {', '.join(missing)} and no apt-get to install them")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print(f"installing {' '.join(missing)} with apt-get", flush=True)
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
        check=True,
        env=env,
    )


def to_windows(path: Path) -> str:
    """The name Wine gives a host path: ``Z:`` is the host's ``/``."""
    return "Z:" + str(path.resolve()).replace("/", "\\")


def compile_stubs(out: Path = STUB_CACHE) -> dict[str, Path]:
    """Compile the stand-in DLLs once (cached beside the other Windows build files)."""
    ensure_packages(["gcc-mingw-w64-x86-64-win32"])
    out.mkdir(parents=True, exist_ok=True)
    made = {}
    for name in STUBS:
        source = STUB_SOURCES / f"{name}.c"
        dll = out / f"{name}.dll"
        if not dll.exists() or dll.stat().st_mtime < source.stat().st_mtime:
            libs = ["-ladvapi32"] if name == "bcryptprimitives" else []
            command = ["x86_64-w64-mingw32-gcc", "-shared", "-O2", "-s", "-o", str(dll)]
            subprocess.run([*command, str(source), *libs], check=True)
        made[name] = dll
    return made


@dataclass(frozen=True)
class Prefix:
    """A Wine prefix with its own HOME; run Windows programs in it with :meth:`run`."""

    path: Path
    user: str | None = None  # the Windows user's name (Wine takes $USER); None: the host's
    native_only: tuple[str, ...] = ()  # DLLs Wine must not supply itself (e.g. VC_RUNTIME)

    @property
    def home(self) -> Path:
        return self.path.parent / (self.path.name + "-home")

    @property
    def drive_c(self) -> Path:
        return self.path / "drive_c"

    @property
    def user_dir(self) -> Path:
        """``C:\\users\\<name>`` on the host (Wine names the user after ``$USER``)."""
        if self.user:
            return self.drive_c / "users" / self.user
        users = [p for p in (self.drive_c / "users").iterdir() if p.name.lower() != "public"]
        return users[0]

    @property
    def system32(self) -> Path:
        return self.drive_c / "windows" / "system32"

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """The environment for wine: this prefix, its HOME, the overrides; no PYTHON* leaks."""
        # Nothing of the host's Python, Qt or certificate set-up: a Windows user has none of it
        # (Wine passes the environment on to Windows programs, Linux paths and all).
        base = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PYTHON", "WINE", "QT_", "XDG_", "VIRTUAL_ENV", "ENROLL_VIEWER"))
            and k not in HOST_ONLY
        }
        base.update(
            {
                "WINEPREFIX": str(self.path),
                "WINEARCH": "win64",
                "HOME": str(self.home),
                "XDG_CONFIG_HOME": str(self.home / ".config"),
                "XDG_DATA_HOME": str(self.home / ".local" / "share"),
                "XDG_CACHE_HOME": str(self.home / ".cache"),
                "WINEDEBUG": "-all",
                "WINEDLLOVERRIDES": self.overrides,
            }
        )
        if self.user:
            base["USER"] = base["LOGNAME"] = self.user
        base.update(extra or {})
        return base

    @property
    def overrides(self) -> str:
        """``WINEDLLOVERRIDES`` for this prefix."""
        if not self.native_only:
            return OVERRIDES
        return f"{OVERRIDES};{','.join(self.native_only)}=n"

    def run(
        self,
        args: Sequence[str | Path],
        *,
        timeout: float = 300,
        input: str | None = None,  # noqa: A002
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        check: bool = False,
    ) -> subprocess.CompletedProcess[str]:
        """Run ``wine ARGS`` with pipes for all three streams (Windows CPython aborts at start-up
        when stdout or stderr is a regular file under Wine). Wine's exit status is weak evidence:
        check files and output too."""
        result = subprocess.run(
            ["wine", *[str(a) for a in args]],
            input=input if input is not None else "",
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            env=self.env(env),
            cwd=cwd,
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"wine {' '.join(map(str, args))} exited {result.returncode}\n"
                f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
            )
        return result

    def popen(
        self, args: Sequence[str | Path], env: Mapping[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        """Start ``wine ARGS`` in the background (a window, a server); end it with :meth:`kill`."""
        return subprocess.Popen(
            ["wine", *[str(a) for a in args]],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=self.env(env),
            start_new_session=True,
        )

    def wait(self, timeout: float = 120) -> None:
        """Wait until every Windows process of this prefix has ended (``wineserver -w``)."""
        subprocess.run(["wineserver", "-w"], env=self.env(), timeout=timeout, check=False)

    def kill(self) -> None:
        """End this prefix's Windows processes and its wineserver (only this prefix's)."""
        subprocess.run(["wineserver", "-k"], env=self.env(), timeout=60, check=False)

    def reg_add(self, key: str, name: str, data: str, kind: str = "REG_SZ") -> None:
        self.run(["reg", "add", key, "/v", name, "/t", kind, "/d", data, "/f"], check=True)

    def reg_query(self, key: str) -> dict[str, str]:
        """The values of a registry key (not its subkeys): ``(Default)`` for the unnamed one,
        DWORDs as ``0x...``; empty when the key does not exist. Read through ``reg export``
        (a UTF-16 file): ``reg query`` writes a legacy code page that mangles names like Zoë."""
        with tempfile.TemporaryDirectory() as folder:
            exported = Path(folder) / "key.reg"
            self.run(["reg", "export", key, to_windows(exported), "/y"])
            if not exported.exists():
                return {}
            text = exported.read_bytes().decode("utf-16")
        values: dict[str, str] = {}
        sections = 0
        for line in text.splitlines():
            if line.startswith("["):
                sections += 1
                continue
            match = re.match(r'^(@|"((?:[^"\\]|\\.)*)")=(.*)$', line)
            if sections != 1 or not match:
                continue
            name = "(Default)" if match[1] == "@" else _unescape(match[2])
            data = match[3]
            if data.startswith('"'):
                values[name] = _unescape(data[1:-1])
            elif data.startswith("dword:"):
                values[name] = hex(int(data.removeprefix("dword:"), 16))
            else:
                values[name] = data
        return values


def _unescape(text: str) -> str:
    """A .reg file's string: backslash-escaped backslashes and quotes."""
    return re.sub(r"\\(.)", r"\1", text)


def create(
    path: Path,
    *,
    user: str | None = None,
    native_only: tuple[str, ...] = (),
) -> Prefix:
    """Make a prefix at ``path`` (reused when it is already complete) and return it. ``user``
    names the Windows user (``C:\\users\\<user>``), e.g. one with spaces and accents;
    ``native_only`` the DLLs Wine must not supply (see :data:`VC_RUNTIME`)."""
    problem = supported()
    if problem:
        raise SystemExit(problem)
    ensure_packages(["wine", "wine64"])
    prefix = Prefix(path.resolve(), user, native_only)
    marker = prefix.path / ".enroll-viewer-prefix"
    if marker.exists():
        return prefix
    started = time.perf_counter()
    prefix.home.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["wineboot", "-i"],
        env=prefix.env(),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=300,
    )
    prefix.wait()
    # Desktop, Documents, ...: real folders in the prefix, not links to the host's home.
    for folder in SHELL_FOLDERS:
        link = prefix.user_dir / folder
        if link.is_symlink():
            link.unlink()
        link.mkdir(exist_ok=True)
    prefix.reg_add(r"HKCU\Software\Wine", "Version", "win10")
    for name, dll in compile_stubs().items():
        shutil.copyfile(dll, prefix.system32 / f"{name}.dll")
    prefix.wait()
    marker.write_text("made by build_scripts/wine.py\n")
    print(f"wine prefix {prefix.path} made in {time.perf_counter() - started:.0f} s", flush=True)
    return prefix


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    prefix = create(Path(sys.argv[1]))
    print(f"WINEPREFIX={prefix.path}")
    print(f"HOME={prefix.home}")
    print(f"WINEDLLOVERRIDES={OVERRIDES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
