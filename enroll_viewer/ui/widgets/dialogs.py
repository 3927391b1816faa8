"""Every modal dialog goes through these few functions, so tests can replace them.

Qt's dialog classes are imported on first use: PySide6 builds their types lazily and that costs
tens of milliseconds that the first paint should not pay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter


def ask_save_path(parent: QWidget, title: str, suggested: str, name_filter: str) -> str | None:
    """Ask where to save a file; ``None`` when the user cancels."""
    from PySide6.QtWidgets import QFileDialog  # noqa: PLC0415

    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, name_filter)
    return path or None


def ask_open_path(parent: QWidget, title: str, name_filter: str) -> str | None:
    """Ask for a file to open; ``None`` when the user cancels."""
    from PySide6.QtWidgets import QFileDialog  # noqa: PLC0415

    path, _ = QFileDialog.getOpenFileName(parent, title, "", name_filter)
    return path or None


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    """An information dialog (About)."""
    from PySide6.QtCore import Qt  # noqa: PLC0415
    from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415

    box = QMessageBox(
        QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    box.exec()


def show_error(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    """An error dialog for the unexpected (routine failures use the banner)."""
    from PySide6.QtCore import Qt  # noqa: PLC0415
    from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415

    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if details:
        box.setDetailedText(details)
    box.exec()


def open_url(url: str) -> None:
    """Open ``url`` in the browser (or a folder in the file manager)."""
    from PySide6.QtCore import QUrl  # noqa: PLC0415
    from PySide6.QtGui import QDesktopServices  # noqa: PLC0415

    QDesktopServices.openUrl(QUrl(url))


def ask_print(parent: QWidget, printer: QPrinter) -> bool:
    """The system print dialog for ``printer``; False when cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog  # noqa: PLC0415

    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print")
    return bool(dialog.exec() == QPrintDialog.DialogCode.Accepted)
