"""The connection in use, always visible, and switched here: a combo box and the address."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from enroll_viewer import APP_NAME, DEMO_ID, DEMO_NAME
from enroll_viewer.store.preferences import ShownConnection
from enroll_viewer.ui.widgets.accessibility import describe
from enroll_viewer.ui.widgets.badge import Badge
from enroll_viewer.ui.widgets.tone import Tone

if TYPE_CHECKING:
    from enroll_viewer.store.connection import Connection

DEMO_ADDRESS = "DEMO · sample data"
DEMO_SHOWN = ShownConnection(DEMO_ID, DEMO_NAME, DEMO_ADDRESS, demo=True)


def as_shown(connection: Connection) -> ShownConnection:
    """How the bar shows ``connection`` (also remembered for the next start's first paint)."""
    address = DEMO_ADDRESS if connection.is_demo else connection.host
    return ShownConnection(connection.id, connection.name, address, connection.is_demo)


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
        self.badge = Badge(first_paint=True)
        describe(self.badge, "Connection address")  # its name is the address it shows
        layout.addWidget(label)
        layout.addWidget(self.box)
        layout.addWidget(self.badge)
        layout.addStretch(1)
        self.box.activated.connect(self._on_activated)

    def finish_setup(self) -> None:
        """After the first paint (see :class:`Badge`)."""
        from PySide6.QtCore import Qt  # noqa: PLC0415 - see Badge

        self.badge.finish_setup()
        # The address reads as a label, not a field: the mouse can still select and copy it,
        # but a click shows no text cursor (keyboard selection puts one there) and the pointer
        # stays an arrow (a selectable QLabel shows an I-beam).
        self.badge.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.badge.setCursor(Qt.CursorShape.ArrowCursor)

    def show_first(self, shown: ShownConnection | None) -> None:
        """Before the connections are read: the one shown last time (or nothing yet)."""
        if shown is not None:
            self.box.addItem(shown.name, shown.ident)
            self._show(shown, "")

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
        self._show(as_shown(connection), connection.base_url or "the embedded demo API")

    def _show(self, shown: ShownConnection, tooltip: str) -> None:
        self.badge.setText(shown.address)
        self.badge.setToolTip(tooltip)
        self.badge.set_tone(Tone.WARN if shown.demo else Tone.INFO)
        font = self.badge.font()
        font.setBold(shown.demo)
        self.badge.setFont(font)

    @Slot(int)
    def _on_activated(self, index: int) -> None:
        ident = self.box.itemData(index)
        if ident is not None:
            self.chosen.emit(str(ident))


def window_title(shown: ShownConnection | None) -> str:
    """The window's title: the app, and the connection in use (DEMO for the demo)."""
    if shown is None:
        return APP_NAME
    return f"{APP_NAME} — {'DEMO' if shown.demo else shown.name}"
