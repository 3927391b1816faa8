"""File → Print… and File → Save as PDF…: a page's report to the system's print dialog or to a
PDF file, through the patchable dialogs of :mod:`enroll_viewer.ui.widgets.dialogs`."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from enroll_viewer.ui.printing.render import prepare, render, save_pdf
from enroll_viewer.ui.widgets import dialogs

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from enroll_viewer.ui.printing.report import Report

PDF_FILTER = "PDF files (*.pdf)"


@runtime_checkable
class Printable(Protocol):
    """A page that prints: what it shows, as a report (None: nothing to print)."""

    def report(self, when: datetime) -> Report | None:
        """The report, printed at ``when``."""


@runtime_checkable
class SignInSource(Protocol):
    """A page that can print a class roster as a sign-in sheet."""

    def can_sign_in(self) -> bool:
        """True when it shows a class roster."""

    def sign_in_report(self, when: datetime) -> Report | None:
        """The sign-in sheet, printed at ``when``."""


def send_to_printer(parent: QWidget, report: Report) -> str:
    """Ask the print dialog, then print; returns the status line."""
    from PySide6.QtPrintSupport import QPrinter  # noqa: PLC0415 - only when printing

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(report.title)
    prepare(report, printer)  # landscape when the columns need it, before the dialog shows
    if not dialogs.ask_print(parent, printer):
        return "Printing cancelled."
    pages = render(report, printer)
    if pages == 0:
        return "Could not print: the printer is not available."
    return f"Sent {pages} page{'s' if pages != 1 else ''} to the printer."


def save_as_pdf(parent: QWidget, report: Report, name: str) -> str:
    """Ask where, then write the PDF; returns the status line."""
    path = dialogs.ask_save_path(parent, "Save as PDF", str(Path.home() / name), PDF_FILTER)
    if not path:
        return ""
    target = Path(path) if Path(path).suffix else Path(path).with_suffix(".pdf")
    started = time.perf_counter()
    pages = save_pdf(report, str(target))
    if pages == 0:
        return f"Could not write {target}."
    seconds = time.perf_counter() - started
    return f"Saved {target} ({pages} page{'s' if pages != 1 else ''}, {seconds:.1f} s)."
