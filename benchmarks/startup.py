"""First paint: ours against the floor window (and a one-label window), from a normal install
and from the bundle; bundle size and build time."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path
from typing import Any

from benchmarks.common import MIB, ROOT, Figure, interleaved_paints

INSTALL = ROOT / "build" / "bench-venv"


def normal_install() -> Path:
    """A venv with a normal (non-editable) install of the app; its dependencies come from the
    running venv through a .pth line (whose own .pth files, the editable finder among them,
    are not processed). Returns its python."""
    if INSTALL.exists():
        shutil.rmtree(INSTALL)
    venv.EnvBuilder(with_pip=False).create(INSTALL)
    python = INSTALL / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import site; print(site.getsitepackages()[0])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    ours = next(p for p in sys.path if p.endswith("site-packages") and "bench-venv" not in p)
    Path(site, "deps.pth").write_text(ours + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", site,
         "--upgrade", str(ROOT)],
        check=True, capture_output=True, cwd=tempfile.gettempdir(),
    )  # fmt: skip
    return python


def _env() -> dict[str, str]:
    home = tempfile.mkdtemp()
    return {
        "XDG_CONFIG_HOME": home,
        "XDG_STATE_HOME": home,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }


def source(runs: int) -> tuple[list[Figure], dict[str, Any]]:
    """First paint from a normal install: ours, the floor, a one-label window."""
    python = str(normal_install())
    commands = {
        "ours": [python, "-m", "enroll_viewer"],
        "ours whole": [python, "-m", "enroll_viewer"],
        "floor": [python, str(ROOT / "benchmarks" / "floor_window.py")],
        "label": [python, str(ROOT / "benchmarks" / "bare_window.py")],
    }
    got = interleaved_paints(commands, runs, _env(), frozenset({"ours whole"}))
    figures = [
        Figure("First paint vs the floor (normal install)", got["ours"], got["floor"], "ms",
               "ratio ≤ 1.10", got["ours"] / got["floor"] <= 1.10),
        Figure("Window whole (attached) vs the floor's paint", got["ours whole"], got["floor"],
               "ms"),
        Figure("First paint vs a one-label window", got["ours"], got["label"], "ms"),
        Figure("The floor vs a one-label window", got["floor"], got["label"], "ms"),
    ]  # fmt: skip
    return figures, got


def bundles(runs: int) -> tuple[list[Figure], dict[str, Any]]:
    """Our bundle and the floor's, built by the same spec: paint, size, build time."""
    sys.path.insert(0, str(ROOT / "build_scripts"))
    import build  # type: ignore[import-not-found]

    dist = Path(tempfile.mkdtemp(prefix="ev-bench-"))
    ours = build.build(dist=dist / "app", archive=True)
    floor = build.build(floor=True, dist=dist / "floor", archive=False)
    exe = Path(ours["bundle"]) / "enroll-viewer"
    floor_exe = Path(floor["bundle"]) / "floor-window"
    commands = {"ours": [str(exe)], "ours whole": [str(exe)], "floor": [str(floor_exe)]}
    got = interleaved_paints(commands, runs, _env(), frozenset({"ours whole"}))
    ours_mib, floor_mib = ours["bundle_bytes"] / MIB, floor["bundle_bytes"] / MIB
    figures = [
        Figure("First paint vs the floor (bundle)", got["ours"], got["floor"], "ms",
               "ratio ≤ 1.10", got["ours"] / got["floor"] <= 1.10),
        Figure("Bundle whole (attached) vs the floor's paint", got["ours whole"], got["floor"],
               "ms"),
        Figure("Bundle size (one folder)", ours_mib, floor_mib, "MiB", "≤ 130, ratio ≤ 1.2",
               ours_mib <= 130 and ours_mib / floor_mib <= 1.2),
        Figure("Bundle archive", ours["archive_bytes"] / MIB, None, "MiB", "≤ 55",
               ours["archive_bytes"] / MIB <= 55),
        Figure("Bundle build time", ours["build_seconds"], floor["build_seconds"], "s"),
    ]  # fmt: skip
    shutil.rmtree(dist, ignore_errors=True)
    return figures, {**got, "bytes": ours["bundle_bytes"], "floor_bytes": floor["bundle_bytes"]}


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(source(5)[0])
