"""What every page of the window (Lookup, Batch, Search) offers the shell."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from enroll_viewer.store.connection import Connection


class ExportKind(Enum):
    """File > Export as …; the value is the file dialog's filter."""

    JSON = "JSON files (*.json)"
    CSV = "CSV files (*.csv)"


@dataclass(frozen=True)
class ExportFile:
    """What a page exports: a suggested file name and the text to write."""

    name: str
    text: str


class Page(QWidget):
    """A page hosted by the main window.

    Signals:
        status(str): a line for the status bar.
        exportable_changed(bool): whether File > Export has something to save now.
    """

    status = Signal(str)
    exportable_changed = Signal(bool)

    def set_connection(self, connection: Connection) -> None:
        """Work on ``connection`` from now on (another server: start over)."""
        raise NotImplementedError

    def on_escape(self) -> None:
        """Esc: cancel what runs, or dismiss the page's message."""
        raise NotImplementedError

    def can_export(self) -> bool:
        """Whether :meth:`export_file` has something to give."""
        raise NotImplementedError

    def export_file(self, kind: ExportKind) -> ExportFile | None:
        """What File > Export saves from this page."""
        raise NotImplementedError

    def can_sign_in(self) -> bool:
        """Whether it shows a class roster that prints as a sign-in sheet (the Search page)."""
        return False
