"""Refresh the screenshots in docs/: the real app on the demo API under Xvfb.

    python build_scripts/screenshots.py            # every page, light and dark, 100 and 200 %
    python build_scripts/screenshots.py --only search-dark-200

Pages: lookup (demo enrollment 10), batch (1,000 ids: 100000–100999), search (the 265-row roster
of class 4421), first-run (no key for Production). Each as ``{page}-{light|dark}-{100|200}.png``;
the README's older names (``window-light.png`` …) are copies of some of them. The search shot
also renders page 1 of the roster's PDF and of its sign-in sheet (``roster-print.png``,
``sign-in-print.png``; needs pdftoppm from poppler-utils).

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
PAGES = ("lookup", "batch", "search", "first-run")
SHOTS = {
    f"{page}-{theme}-{scale}": {"QT_SCALE_FACTOR": str(scale // 100)}
    for page in (*PAGES, "empty")
    for theme in ("light", "dark")
    for scale in (100, 200)
    if page != "empty" or (theme, scale) == ("light", 100)
}
# The names the README has linked to since before, copied from the shots above.
COPIES = {
    "window-light": "lookup-light-100",
    "window-dark": "lookup-dark-100",
    "window-200": "lookup-light-200",
    "window-empty": "empty-light-100",
    "window-batch": "batch-light-100",
    "window-search": "search-light-100",
}


class MemoryKeyring:
    """No key anywhere (the first-run shot); never the real keyring of this computer."""

    priority = 1

    def get_password(self, service: str, username: str) -> None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("screenshots store no key")

    def delete_password(self, service: str, username: str) -> None:
        return None


def take(variant: str, enrollment_id: int, out: Path) -> None:
    """Run in a child process: open the window on the demo, fill a page, save a screenshot."""
    sys.path.insert(0, str(ROOT))
    page, theme, _scale = variant.rsplit("-", 2)
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
    if theme == "dark":
        app.setPalette(dark_palette())
    prefs = Preferences(QSettings(str(Path(folder) / "p.ini"), QSettings.Format.IniFormat))
    loaded = connections.add(connections.load(), "Test", "https://test.example.edu/api/2.0")
    host = DemoHost()
    if page == "first-run":
        keystore = KeyStore(MemoryKeyring(), environ={})
        window = create_window(keystore, prefs, loaded.get("Production"), loaded, host)
    else:
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

    if page in ("empty", "first-run"):
        QTimer.singleShot(1200, shoot)
    elif page == "search":
        window.search.class_id.setText("4421")
        window.pages.setCurrentWidget(window.search)

        def searched(_summary: str) -> None:
            if theme == "light" and "-100" in variant:
                print_pages(window, out.parent)
            QTimer.singleShot(300, shoot)

        window.search.finished.connect(searched)
        QTimer.singleShot(200, window.search.start)
    elif page == "batch":
        ids = [str(n) for n in range(100000, 101000)]
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
    QTimer.singleShot(50000, app.quit)
    app.exec()
    host.stop()
    QApplication.processEvents()


def print_pages(window: object, docs: Path) -> None:
    """Page 1 of the roster's PDF and of its sign-in sheet, as PNGs (the print check)."""
    from datetime import datetime, timezone

    from enroll_viewer.ui.printing.render import save_pdf

    search = window.search  # type: ignore[attr-defined]
    now = datetime.now(timezone.utc)
    folder = Path(tempfile.mkdtemp())
    for name, report in (
        ("roster-print", search.report(now)),
        ("sign-in-print", search.sign_in_report(now)),
    ):
        pdf = folder / f"{name}.pdf"
        started = time.perf_counter()
        pages = save_pdf(report, str(pdf))
        took = time.perf_counter() - started
        print(f"{name}: {pages} pages, {pdf.stat().st_size:,} bytes, {took:.2f} s", flush=True)
        if shutil.which("pdftoppm"):
            subprocess.run(
                ["pdftoppm", "-r", "80", "-png", "-singlefile", "-f", "1", "-l", "1", str(pdf),
                 str(docs / name)],
                check=True, timeout=60,
            )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shot", choices=sorted(SHOTS), help=argparse.SUPPRESS)
    parser.add_argument("--id", type=int, default=10, help="demo enrollment id to show")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--only", nargs="*", choices=sorted(SHOTS), help="just these shots")
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
        # A display no other Xvfb holds (another screenshot run may be going on).
        number = next(n for n in range(97, 200) if not Path(f"/tmp/.X{n}-lock").exists())
        env["DISPLAY"] = f":{number}"
        xvfb = subprocess.Popen(
            ["Xvfb", env["DISPLAY"], "-screen", "0", "2600x1900x24", "-nolisten", "tcp"],
            stderr=subprocess.DEVNULL,
        )
        time.sleep(1.0)
    try:
        for variant, extra in SHOTS.items():
            if args.only and variant not in args.only:
                continue
            target = args.out / f"{variant}.png"
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
                timeout=90,
            )
            print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
        for copy, source in COPIES.items():
            if (args.out / f"{source}.png").exists() and (not args.only or source in args.only):
                shutil.copyfile(args.out / f"{source}.png", args.out / f"{copy}.png")
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
