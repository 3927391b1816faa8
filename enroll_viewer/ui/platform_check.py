"""Before Qt starts on Linux/X11: are the X11 libraries Qt's xcb platform needs installed?

Without them Qt aborts with "Could not load the Qt platform plugin xcb … This application
failed to start", which names neither the missing library nor the fix. A fresh Ubuntu lacks
``libxcb-cursor0``. Qt-free, so it runs before anything of Qt is loaded.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable, Mapping

# What Qt 6's xcb platform plugin links (ldd of libqxcb.so and libQt6XcbQpa.so), with the
# Debian/Ubuntu package that ships each.
XCB_LIBRARIES: tuple[tuple[str, str], ...] = (
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-image.so.0", "libxcb-image0"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-randr.so.0", "libxcb-randr0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libxcb-render.so.0", "libxcb-render0"),
    ("libxcb-shape.so.0", "libxcb-shape0"),
    ("libxcb-shm.so.0", "libxcb-shm0"),
    ("libxcb-sync.so.1", "libxcb-sync1"),
    ("libxcb-util.so.1", "libxcb-util1"),
    ("libxcb-xfixes.so.0", "libxcb-xfixes0"),
    ("libxcb-xkb.so.1", "libxcb-xkb1"),
    ("libxcb.so.1", "libxcb1"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libxkbcommon.so.0", "libxkbcommon0"),
    ("libX11-xcb.so.1", "libx11-xcb1"),
)


def uses_xcb(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether Qt will start on its xcb (X11) platform here."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    # Qt prefers Wayland in a Wayland session and X11 everywhere else.
    wayland = environ.get("XDG_SESSION_TYPE") == "wayland" and bool(environ.get("WAYLAND_DISPLAY"))
    return not wayland


def _loads(name: str) -> bool:
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def missing_xcb_libraries(loads: Callable[[str], bool] | None = None) -> list[tuple[str, str]]:
    """The (library, package) pairs that cannot be loaded."""
    load = loads or _loads
    return [(library, package) for library, package in XCB_LIBRARIES if not load(library)]


def xcb_problem(
    environ: Mapping[str, str],
    platform: str = sys.platform,
    loads: Callable[[str], bool] | None = None,
) -> str | None:
    """One sentence naming the missing libraries and the command that installs them, or None
    when the window can start."""
    if not uses_xcb(environ, platform):
        return None
    missing = missing_xcb_libraries(loads)
    if not missing:
        return None
    libraries = ", ".join(library for library, _ in missing)
    packages = " ".join(package for _, package in missing)
    return (
        f"Enrollment Viewer cannot open its window: this computer lacks the X11 libraries Qt "
        f"needs ({libraries}); install them with: sudo apt-get install {packages}"
    )
