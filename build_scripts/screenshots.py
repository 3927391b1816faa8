"""Refresh the screenshots in docs/: the real app on the demo API under Xvfb.

    python build_scripts/screenshots.py            # light, dark and 200 % into docs/

Needs Xvfb (Debian: apt-get install xvfb plus the xcb libraries listed in the README). With a
DISPLAY already set it uses that display instead of starting Xvfb.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOTS = {
    "light": {"QT_SCALE_FACTOR": "1"},
    "dark": {"QT_SCALE_FACTOR": "1"},
    "200": {"QT_SCALE_FACTOR": "2"},
    "empty": {"QT_SCALE_FACTOR": "1"},
    "batch": {"QT_SCALE_FACTOR": "1"},
    "search": {"QT_SCALE_FACTOR": "1"},
}


def take(variant: str, enrollment_id: int, out: Path) -> None:
    """Run in a child process: open the window on the demo, look up, save a screenshot."""
    sys.path.insert(0, str(ROOT))
    folder = tempfile.mkdtemp()
    os.environ["XDG_CONFIG_HOME"] = folder  # a clean connections file: Production, Test, Demo
    os.environ["ENROLL_VIEWER_CONFIG"] = str(Path(folder) / "none.ini")
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from enroll_viewer.store import connections
    from enroll_viewer.store.connection import demo
    from enroll_viewer.store.keystore import KeyStore
    from enroll_viewer.store.preferences import Preferences
    from enroll_viewer.ui.app import DemoHost, create_app, create_window
    from enroll_viewer.ui.widgets.tones import dark_palette

    app = create_app([sys.argv[0]])
    app.setStyle("Fusion")
    if variant == "dark":
        app.setPalette(dark_palette())
    prefs = Preferences(QSettings(str(Path(folder) / "p.ini"), QSettings.Format.IniFormat))
    loaded = connections.add(connections.load(), "Test", "https://test.example.edu/api/2.0")
    host = DemoHost()
    window = create_window(KeyStore(environ={}), prefs, host.start(demo()), loaded, host)
    window.resize(window.default_size())
    window.show()
    window.finish_setup()

    def shoot() -> None:
        app.processEvents()
        screen = window.screen()
        pixmap = screen.grabWindow(window.winId()) if screen else window.grab()
        if pixmap.isNull() or pixmap.width() < 50:
            pixmap = window.grab()
        pixmap.save(str(out))
        window.close()
        app.quit()

    if variant == "empty":
        QTimer.singleShot(800, shoot)
    elif variant == "search":
        window.search.class_id.setText("4421")
        window.search.status_box.setCurrentIndex(window.search.status_box.findText("Waitlist"))
        window.pages.setCurrentWidget(window.search)
        window.search.finished.connect(lambda _summary: QTimer.singleShot(300, shoot))
        QTimer.singleShot(200, window.search.start)
    elif variant == "batch":
        ids = [str(n) for n in range(100070, 100100)] + ["404", "0", "E3G5YZFREFEQ9371"]
        window.batch.ids.setPlainText("\n".join(ids))
        window.pages.setCurrentWidget(window.batch)
        window.batch.finished.connect(lambda _summary: QTimer.singleShot(300, shoot))
        QTimer.singleShot(200, window.batch.start)
    else:
        window.id_field.setText(str(enrollment_id))
        details: list[str] = []

        def on_detail(kind: str) -> None:
            details.append(kind)
            if len(details) == 2:
                QTimer.singleShot(300, shoot)

        window.lookup.details_shown.connect(on_detail)
        QTimer.singleShot(200, window.look_up)
    QTimer.singleShot(15000, app.quit)
    app.exec()
    host.stop()
    QApplication.processEvents()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shot", choices=sorted(SHOTS), help=argparse.SUPPRESS)
    parser.add_argument("--id", type=int, default=10, help="demo enrollment id to show")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    if args.shot:
        take(args.shot, args.id, args.out)
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    xvfb = None
    if not env.get("DISPLAY"):
        if not shutil.which("Xvfb"):
            print("Xvfb is not installed (apt-get install xvfb)", file=sys.stderr)
            return 1
        env["DISPLAY"] = ":97"
        xvfb = subprocess.Popen(
            ["Xvfb", ":97", "-screen", "0", "2600x1900x24", "-nolisten", "tcp"],
            stderr=subprocess.DEVNULL,
        )
        time.sleep(1.0)
    try:
        for variant, extra in SHOTS.items():
            target = args.out / f"window-{variant}.png"
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--shot",
                    variant,
                    "--id",
                    str(args.id),
                    "--out",
                    str(target),
                ],
                env={**env, **extra},
                check=True,
                timeout=60,
            )
            print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
