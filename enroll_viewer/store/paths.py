"""Where the app keeps its own files: the one place that decides it.

The platform's folders (``platformdirs``) by default; ``ENROLL_VIEWER_HOME`` puts everything of
the user's (connections, logs, window preferences) under one folder instead, on every platform.
The test suite sets it so that no test ever touches a user's real files (on Windows the XDG
variables mean nothing), and a portable copy can keep its files beside it.
"""

from __future__ import annotations

import os
from pathlib import Path

from enroll_viewer import APP_ID

ENV_HOME = "ENROLL_VIEWER_HOME"


def home() -> Path | None:
    """The folder ``ENROLL_VIEWER_HOME`` names, if it is set."""
    value = os.environ.get(ENV_HOME, "").strip()
    return Path(value) if value else None


def user_config_dir() -> Path:
    """The user's config folder (the connections file)."""
    root = home()
    if root is not None:
        return root / "config"
    import platformdirs  # noqa: PLC0415 - only when a folder is needed

    return Path(platformdirs.user_config_dir(APP_ID, appauthor=False))


def user_log_dir() -> Path:
    """The user's log folder."""
    root = home()
    if root is not None:
        return root / "logs"
    import platformdirs  # noqa: PLC0415

    return Path(platformdirs.user_log_dir(APP_ID, appauthor=False))


def preferences_file() -> Path | None:
    """The window preferences' file, or None for the platform's own store (the registry on
    Windows, a .conf file on Linux, a .plist on macOS)."""
    root = home()
    return None if root is None else root / "preferences.ini"
