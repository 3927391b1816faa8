"""The baseline: a bare PySide6 window (one label) that prints ``first-paint`` when painted.

Run with ENROLL_VIEWER_EXIT_AFTER_PAINT=1 to quit right after the first paint (as the app does).
"""

import os
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel


class _Paint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            if sys.stdout is not None:
                sys.stdout.write("first-paint\n")
                sys.stdout.flush()
            if os.environ.get("ENROLL_VIEWER_EXIT_AFTER_PAINT"):
                QTimer.singleShot(0, QApplication.quit)
        return False


def main() -> int:
    app = QApplication(sys.argv)
    label = QLabel("Hello")
    watcher = _Paint()
    label.installEventFilter(watcher)
    label.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
