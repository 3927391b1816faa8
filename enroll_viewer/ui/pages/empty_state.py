"""What the Lookup page shows before any record: ids to try, each a real control that looks it up.

On the demo, every demo id with what it shows, by group; on a real server, the recent ids of
this connection. The ids are items of one list (one Tab stop; the arrow keys move from id to id
and a screen reader reads each as "Look up 10: Enroll, Unknown, To Be Determined"; Enter or a
click looks it up), never links inside rich text, which Tab visits silently.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Signal, Slot
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

# Qt.ItemDataRole values, spelled out: the first paint does not build Qt's enum namespace
# (see Badge). Checked against Qt in the tests.
USER_ROLE = 256
ACCESSIBLE_TEXT_ROLE = 11


class EmptyState(QWidget):
    """A sentence of guidance and the list "Ids to try".

    Signals:
        chosen(str): an id was activated (Enter, or a click); the argument is the id.
    """

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        margin = self.fontMetrics().height() // 2
        layout.setContentsMargins(margin, margin, margin, margin)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Ids to try")
        self.list.clicked.connect(self._on_index)
        self.list.activated.connect(self._on_index)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)
        self.ids: list[str] = []
        self._ready = False

    def finish_setup(self) -> None:
        """Plain-text guidance (the list already takes Tab, arrows and Enter)."""
        from PySide6.QtCore import Qt  # noqa: PLC0415 - see the module's role constants

        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self._ready = True
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item is not None and not item.data(USER_ROLE):
                self._make_heading(item)

    @staticmethod
    def _make_heading(item: QListWidgetItem) -> None:
        from PySide6.QtCore import Qt  # noqa: PLC0415 - see finish_setup

        item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # reachable and read, never chosen

    @Slot(QModelIndex)
    def _on_index(self, index: QModelIndex | QPersistentModelIndex) -> None:
        ident = index.data(USER_ROLE)
        if isinstance(ident, str) and ident:
            self.chosen.emit(ident)

    def text(self) -> str:
        """Everything the empty state says, as plain text (the guidance, then the list)."""
        items = (self.list.item(row) for row in range(self.list.count()))
        return "\n".join([self.intro.text(), *(item.text() for item in items if item)])

    def show_demo(self, groups: tuple[tuple[str, tuple[tuple[int, str], ...]], ...]) -> None:
        """The demo ids by group, each with a short label."""
        self.intro.setText(
            "Sample enrollments on this computer (no key, no network). Type an id above and "
            "press Enter, or pick one from the list (arrow keys, then Enter):"
        )
        self.list.clear()
        self.ids = []
        for title, cases in groups:
            self._add_heading(title)
            for ident, label in cases:
                self._add_id(str(ident), f"{ident}   {label}", label.replace(" · ", ", "))

    def show_recent(self, connection_name: str, ids: list[int]) -> None:
        """The recent ids on this connection (or how to start when there are none)."""
        intro = (
            f"No enrollment shown. Type an enrollment id (such as 10) or an external id above "
            f"and press Enter. Names and statuses come from {connection_name}."
        )
        self.list.clear()
        self.ids = []
        if not ids:
            self.intro.setText(f"{intro} Ids you look up are listed here (ids only, no records).")
            self.list.hide()
            return
        self.intro.setText(intro)
        self._add_heading(f"Recent on {connection_name}")
        for ident in ids:
            self._add_id(str(ident), str(ident), "")
        self.list.show()

    def _add_heading(self, title: str) -> None:
        item = QListWidgetItem(title)
        font = item.font()
        font.setBold(True)
        item.setFont(font)
        if self._ready:
            self._make_heading(item)
        self.list.addItem(item)

    def _add_id(self, ident: str, shown: str, what: str) -> None:
        item = QListWidgetItem(shown)
        item.setData(USER_ROLE, ident)
        name = f"Look up {ident}: {what}" if what else f"Look up {ident}"
        item.setData(ACCESSIBLE_TEXT_ROLE, name)
        self.list.addItem(item)
        self.ids.append(ident)
        self.list.show()
