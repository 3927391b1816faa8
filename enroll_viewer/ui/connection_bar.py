"""The connection in use, always visible, and switched here: a combo box and the address."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from enroll_viewer.connection import Connection
from enroll_viewer.ui.badge import Badge
from enroll_viewer.ui.messages import Tone


class ConnectionBar(QWidget):
    """ "Connection: [Production ▾] lms.learnondemand.net" (DEMO is marked as such).

    Signals:
        chosen(str): the id of the connection the user picked.
    """

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel("Co&nnection:")
        self.box = QComboBox()
        self.box.setAccessibleName("Connection")
        self.box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        label.setBuddy(self.box)
        self.badge = Badge()
        self.badge.setAccessibleName("Connection address")
        layout.addWidget(label)
        layout.addWidget(self.box)
        layout.addWidget(self.badge)
        layout.addStretch(1)
        self.box.activated.connect(self._on_activated)

    def set_connections(self, items: tuple[Connection, ...], active: Connection) -> None:
        """List ``items`` (and ``active``, if it is a one-off) with ``active`` selected."""
        self.box.blockSignals(True)
        self.box.clear()
        listed = list(items)
        if not any(c.id == active.id for c in listed):
            listed.append(active)  # a one-off connection is shown while in use
        for item in listed:
            self.box.addItem(item.name, item.id)
        self.box.setCurrentIndex(max(0, self.box.findData(active.id)))
        self.box.blockSignals(False)
        self.show_connection(active)

    def show_connection(self, connection: Connection) -> None:
        """The address beside the name; the demo in a warning tone, bold."""
        self.badge.setText("DEMO · sample data" if connection.is_demo else connection.host)
        self.badge.setToolTip(connection.base_url or "the embedded demo API")
        self.badge.set_tone(Tone.WARN if connection.is_demo else Tone.INFO)
        font = self.badge.font()
        font.setBold(connection.is_demo)
        self.badge.setFont(font)

    @Slot(int)
    def _on_activated(self, index: int) -> None:
        ident = self.box.itemData(index)
        if ident is not None:
            self.chosen.emit(str(ident))
