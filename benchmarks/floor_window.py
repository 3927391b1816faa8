"""The floor: the smallest PySide6 window that can do this app's job, painted once.

A QMainWindow with File/Edit/History/Help menus (one action each), a line edit with a clear
button and a buddy label, a "Look up" button, a label for the connection badge, an empty-state
label and a status bar, 840x645, the line edit focused. It prints ``first-paint`` at its first
paint event and, with ENROLL_VIEWER_EXIT_AFTER_PAINT set, quits (as the app does).
"""

import os
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


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
    window = QMainWindow()
    for title in ("&File", "&Edit", "&History", "&Help"):
        menu = window.menuBar().addMenu(title)
        menu.addAction(QAction("Action", window))
    central = QWidget()
    layout = QVBoxLayout(central)
    bar = QHBoxLayout()
    label = QLabel("Enrollment &ID:")
    field = QLineEdit()
    field.setClearButtonEnabled(True)
    label.setBuddy(field)
    bar.addWidget(label)
    bar.addWidget(field, 1)
    bar.addWidget(QPushButton("Look up"))
    bar.addWidget(QLabel("Production · lms.learnondemand.net"))
    layout.addLayout(bar)
    layout.addWidget(QLabel("Type an enrollment id above and press Enter."), 1)
    window.setCentralWidget(central)
    window.statusBar().showMessage("Ready")
    window.resize(840, 645)
    watcher = _Paint()
    window.installEventFilter(watcher)
    window.show()
    field.setFocus()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
