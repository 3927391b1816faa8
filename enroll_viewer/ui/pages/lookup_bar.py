"""The lookup bar: "Enrollment ID: [field] [Look up]". Part of the first paint, so it is light;
the Lookup page adopts it once the rest of the window is built."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from enroll_viewer.ui.pages.id_field import IdField


class LookupBar(QWidget):
    """The id field (focused first) and the Look up button.

    Until :meth:`take_early_enter`, an Enter or a click on Look up is only remembered: the
    Lookup page that acts on them is built after the first paint.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        label = QLabel("Enrollment &ID:")
        self.id_field = IdField()
        label.setBuddy(self.id_field)
        self.lookup_button = QPushButton("Look up")
        self.lookup_button.setAccessibleName("Look up")
        self.lookup_button.setAutoDefault(False)
        self.row.addWidget(label)
        self.row.addWidget(self.id_field, 1)
        self.row.addWidget(self.lookup_button)
        self.setTabOrder(self.id_field, self.lookup_button)
        self._early_enter = False
        self.id_field.returnPressed.connect(self.remember_enter)
        self.lookup_button.clicked.connect(self.remember_enter)

    @Slot()
    def remember_enter(self) -> None:
        """Look up as soon as the page is there."""
        self._early_enter = True

    def take_early_enter(self) -> bool:
        """Whether Enter was pressed before now; from now on the page handles it."""
        self.id_field.returnPressed.disconnect(self.remember_enter)
        self.lookup_button.clicked.disconnect(self.remember_enter)
        return self._early_enter
