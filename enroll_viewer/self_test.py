"""``enroll-viewer --self-test``: prove a build can show its window, find its resources, verify
TLS and reach a keyring. Behaves the same from source and frozen."""

from __future__ import annotations

import os
import ssl
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _check(name: str, probe: Callable[[], str], report: list[tuple[bool, str, str]]) -> None:
    try:
        report.append((True, name, probe()))
    except Exception as exc:  # noqa: BLE001 - every failure is reported, none aborts the test
        report.append((False, name, f"{type(exc).__name__}: {exc}"))


def _window() -> str:
    from PySide6.QtCore import QSettings  # noqa: PLC0415

    from enroll_viewer.store.connection import demo  # noqa: PLC0415
    from enroll_viewer.store.keystore import KeyStore  # noqa: PLC0415
    from enroll_viewer.store.preferences import Preferences  # noqa: PLC0415
    from enroll_viewer.ui.app import create_app, create_window  # noqa: PLC0415

    app = create_app([sys.argv[0]])
    # Preferences of its own, removed afterwards: the test leaves nothing in the temp folder.
    with tempfile.TemporaryDirectory(prefix="enroll-viewer-self-test-") as folder:
        settings = QSettings(str(Path(folder) / "prefs.ini"), QSettings.Format.IniFormat)
        window = create_window(
            KeyStore(environ={}),
            Preferences(settings),
            demo().with_base_url("http://127.0.0.1:9/api/2.0"),
        )
        window.show()
        app.processEvents()
        window.lookup.build_record_view()
        image = window.grab().toImage()
        window.close()  # saves the geometry: before the folder goes
        del settings
    if image.isNull() or image.width() < 100:
        raise RuntimeError("the window did not paint")
    return f"painted {image.width()}x{image.height()} on '{app.platformName()}'"


def _resources() -> str:
    from PySide6.QtGui import QIcon, QImage  # noqa: PLC0415
    from PySide6.QtSvg import QSvgRenderer  # noqa: PLC0415

    from enroll_viewer.resources import resources_dir  # noqa: PLC0415

    folder = resources_dir()
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    if not files:
        raise RuntimeError(f"no resources in {folder}")
    for path in files:
        if path.suffix == ".svg":
            if not QSvgRenderer(str(path)).isValid():
                raise RuntimeError(f"cannot render {path.name}")
            if QIcon(str(path)).pixmap(64, 64).isNull():
                raise RuntimeError(f"no icon engine for {path.name}")
        elif path.suffix == ".png" and QImage(str(path)).isNull():
            raise RuntimeError(f"cannot load {path.name}")
    return f"{len(files)} files in {folder}"


def _tls() -> str:
    import truststore  # noqa: PLC0415

    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    paths = ssl.get_default_verify_paths()
    where = os.environ.get("SSL_CERT_FILE") or paths.cafile or paths.capath or "system store"
    return f"OS trust store via truststore ({type(context).__name__}); {where}"


def _keyring() -> str:
    # keyring's own choice first, as the app gets it: nothing imported beforehand, so a build
    # that lost keyring's metadata (its entry points) shows as the "fail" backend here.
    import importlib.metadata  # noqa: PLC0415

    import keyring  # noqa: PLC0415

    from enroll_viewer.store.keystore import backend_is_secure  # noqa: PLC0415

    active = keyring.get_keyring()
    name = f"{type(active).__module__}.{type(active).__name__}"
    registered = sorted(e.name for e in importlib.metadata.entry_points(group="keyring.backends"))
    if not registered:
        raise RuntimeError(
            f"keyring picked {name}: it found no backends, so this build lost keyring's "
            "package metadata (copy_metadata('keyring') in the spec)"
        )
    if backend_is_secure(active):
        return f"picked {name} (secure); backends {', '.join(registered)}"
    return (
        f"picked {name}: no secure keyring works on this machine (keys are kept for the "
        f"session only); backends {', '.join(registered)}"
    )


def run_self_test() -> int:
    """Run every check, print a short report, return 0 when all passed."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    report: list[tuple[bool, str, str]] = []
    _check("window", _window, report)
    _check("resources", _resources, report)
    _check("tls", _tls, report)
    _check("keyring", _keyring, report)
    from enroll_viewer import __version__  # noqa: PLC0415

    frozen = "frozen" if getattr(sys, "frozen", False) else "source"
    lines = [f"enroll-viewer {__version__} self-test ({frozen}, {sys.platform})"]
    lines += [f"  {'ok  ' if ok else 'FAIL'} {name:<9} {detail}" for ok, name, detail in report]
    passed = all(ok for ok, _, _ in report)
    lines.append(f"  {'passed' if passed else 'FAILED'} in {time.perf_counter() - started:.2f} s")
    if sys.stdout is not None:
        print("\n".join(lines), flush=True)
    return 0 if passed else 1
