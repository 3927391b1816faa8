"""The check for Qt's X11 libraries that runs before the window (no Qt abort, one sentence)."""

from __future__ import annotations

import sys

import pytest

from enroll_viewer.ui import app as app_module
from enroll_viewer.ui import platform_check
from enroll_viewer.ui.platform_check import XCB_LIBRARIES, uses_xcb, xcb_problem


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", False),
        ({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"XDG_SESSION_TYPE": "wayland"}, "linux", True),  # no compositor to talk to
        ({}, "win32", False),
        ({}, "darwin", False),
    ],
)
def test_when_the_x11_platform_is_used(environ, platform, expected) -> None:
    assert uses_xcb(environ, platform) is expected


def test_missing_libraries_are_named_with_the_install_line() -> None:
    gone = {"libxcb-cursor.so.0", "libxkbcommon-x11.so.0"}
    problem = xcb_problem({}, "linux", loads=lambda name: name not in gone)
    assert problem is not None
    assert "libxcb-cursor.so.0, libxkbcommon-x11.so.0" in problem
    assert problem.endswith("sudo apt-get install libxcb-cursor0 libxkbcommon-x11-0")
    assert "\n" not in problem


def test_nothing_to_say_when_everything_loads_or_x11_is_not_used() -> None:
    assert xcb_problem({}, "linux", loads=lambda name: True) is None
    assert xcb_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", loads=lambda n: False) is None


@pytest.mark.skipif(sys.platform == "win32", reason="loads Linux libraries (libc.so.6) by name")
def test_the_real_loader_finds_a_library_and_refuses_a_missing_one() -> None:
    assert platform_check._loads("libc.so.6")
    assert not platform_check._loads("libxcb-not-a-library.so.0")
    assert len({library for library, _ in XCB_LIBRARIES}) == len(XCB_LIBRARIES)


@pytest.mark.skipif(
    sys.platform == "win32", reason="the xcb check is Linux's; on Windows Qt starts (see above)"
)
def test_the_window_stops_before_qt_with_one_sentence(monkeypatch, capsys) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(platform_check, "_loads", lambda name: name != "libxcb-cursor.so.0")
    monkeypatch.setattr(app_module, "create_app", lambda *a: pytest.fail("Qt was started"))
    assert app_module.run_gui(demo=True) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "sudo apt-get install libxcb-cursor0" in err
