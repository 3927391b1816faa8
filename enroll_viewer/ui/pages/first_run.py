"""The first-run screen: on the Lookup page while the active connection has no key (instead of
Settings opening by itself). It says what the app does, offers to add the organisation's key
(Settings, on the key field) or to try the sample data (the Demo connection), and where a key
comes from. When IT set the connection up, the screen names it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from enroll_viewer import APP_NAME
from enroll_viewer.api.errors import KeyIssue
from enroll_viewer.store.connection import ConnectionKind, demo

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from enroll_viewer.store.connection import Connection, Connections
    from enroll_viewer.work.jobs import KeyState

WHAT_IT_DOES = (
    f"{APP_NAME} looks up your organisation's class enrollments in the Skillable TMS: type an "
    "enrollment id and read who is enrolled in which class, with the statuses in words."
)
WHERE_KEYS_COME_FROM = (
    "Where to get a key: your TMS administrator (the person who manages your organisation's "
    "Skillable TMS) creates API keys and can give you one. It is kept in this computer's "
    "keyring, never in a file."
)


class FirstRunScreen(QWidget):
    """The screen itself: one sentence, two buttons, where keys come from."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Getting started")
        margin = self.fontMetrics().height()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(margin)
        self.heading = self._label(f"Welcome to {APP_NAME}", "Welcome")
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.heading.setFont(font)
        self.intro = self._label(WHAT_IT_DOES, "What the app does")
        self.connection_note = self._label("", "Connection without a key")
        self.add_key = QPushButton("&Add your organisation's API key…")
        self.add_key.setAccessibleName("Add your organisation's API key")
        self.add_key.setDefault(True)
        self.add_key.setAutoDefault(True)
        self.try_demo = QPushButton("&Try it with sample data")
        self.try_demo.setAccessibleName("Try it with sample data")
        self.try_demo.setAutoDefault(True)  # Enter presses the button that has the focus
        self.try_demo.setToolTip("Switches to the Demo connection: sample enrollments on this "
                                 "computer, no key, no network")  # fmt: skip
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_key)
        buttons.addWidget(self.try_demo)
        buttons.addStretch(1)
        self.where = self._label(WHERE_KEYS_COME_FROM, "Where to get a key")
        for widget in (self.heading, self.intro, self.connection_note):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addWidget(self.where)
        layout.addStretch(1)
        self.setTabOrder(self.add_key, self.try_demo)

    def _label(self, text: str, name: str) -> QLabel:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setAccessibleName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Lines a reader can follow (about 70 characters), as tall as their text: the room
        # left over goes below the screen, not between its lines.
        label.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 45)
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        return label

    def show_connection(self, connection: Connection) -> None:
        """Say which connection needs a key (named when IT set it up)."""
        if connection.kind is ConnectionKind.MANAGED:
            text = (
                f"Your IT department set up the connection {connection.name} "
                f"({connection.host}). It has no API key on this computer yet."
            )
        else:
            text = f"The connection {connection.name} ({connection.host}) has no API key yet."
        self.connection_note.setText(text)


class GuideWindow(Protocol):
    """What the guide needs of the main window."""

    key_state_changed: SignalInstance
    connection: Connection
    connections: Connections

    def switch_connection(self, connection: Connection) -> None:
        """Make ``connection`` active."""

    def open_settings(self) -> None:
        """Open Settings on the active connection (the key field focused)."""


class FirstRunGuide(QObject):
    """Shows :class:`FirstRunScreen` in ``stack`` (the Lookup page's) while the active
    connection has no key, and puts back what was there once it has one."""

    def __init__(self, window: GuideWindow, stack: QStackedWidget, focus: QWidget) -> None:
        super().__init__(stack)
        self._window = window
        self._stack = stack
        self._focus = focus
        self._before: QWidget | None = None
        self.screen = FirstRunScreen()
        stack.addWidget(self.screen)
        self.screen.add_key.clicked.connect(self._add_key)
        self.screen.try_demo.clicked.connect(self._try_demo)
        window.key_state_changed.connect(self._on_key_state)

    @property
    def showing(self) -> bool:
        """True while the first-run screen is on the Lookup page."""
        return self._stack.currentWidget() is self.screen

    @Slot(object)
    def _on_key_state(self, state: KeyState) -> None:
        connection = self._window.connection
        missing = (
            not state.available
            and state.issue in (None, KeyIssue.NO_KEYRING)
            and not connection.is_demo
            and state.connection_id == connection.id
        )
        if missing:
            self.screen.show_connection(connection)
            if not self.showing:
                self._before = self._stack.currentWidget()
                self._stack.setCurrentWidget(self.screen)
                if self._focus.hasFocus() or self._stack.window().focusWidget() is None:
                    self.screen.add_key.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.showing:
            before, self._before = self._before, None
            self._stack.setCurrentIndex(0 if before is None else self._stack.indexOf(before))

    @Slot()
    def _add_key(self) -> None:
        self._window.open_settings()

    @Slot()
    def _try_demo(self) -> None:
        found = next((c for c in self._window.connections.items if c.is_demo), None)
        self._window.switch_connection(found or demo())
