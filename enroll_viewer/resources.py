"""The one helper that finds files in ``resources/``, from source and when frozen."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The folder holding the app's resources.

    Frozen by PyInstaller it is ``sys._MEIPASS/resources``; from a source checkout it is the
    ``resources/`` folder beside the package; installed from a wheel it is the copy inside the
    package (``enroll_viewer/_resources``).
    """
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    package = Path(__file__).resolve().parent
    for candidate in (package.parent / "resources", package / "_resources"):
        if (candidate / "icon.svg").is_file():
            return candidate
    return package.parent / "resources"


def resource_path(name: str) -> Path:
    """The path of resource ``name`` (for example ``icon.svg``)."""
    return resources_dir() / name
