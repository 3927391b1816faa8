"""The message banner: errors and notes in the window, not in modal dialogs."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from enroll_viewer.ui.widgets.accessibility import announce, describe
from enroll_viewer.ui.widgets.messages import Action, BannerSpec
from enroll_viewer.ui.widgets.tone import Tone
from enroll_viewer.ui.widgets.tones import paint_fill


class MessageBanner(QWidget):
    """A tinted strip with a title, a message and up to one action button.

    Signals:
        action_clicked(Action): the action of the button pressed.
    """

    action_clicked = Signal(object)

    def __init__(self, accessible_name: str = "Message", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tone = Tone.INFO
        self._action: Action | None = None
        layout = QHBoxLayout(self)
        margin = self.fontMetrics().height() // 2
        layout.setContentsMargins(margin, margin // 2, margin // 2, margin // 2)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        describe(self.label, accessible_name)
        self.label.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.action = QPushButton()
        self.action.clicked.connect(self._on_action)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAccessibleName(f"Dismiss {accessible_name.lower()}")
        self.close_button.setToolTip("Dismiss")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action)
        layout.addWidget(self.close_button)
        self.hide()

    @Slot()
    def _on_action(self) -> None:
        if self._action is not None:
            self.action_clicked.emit(self._action)

    @property
    def tone(self) -> Tone:
        """The tone of the message shown."""
        return self._tone

    @property
    def text(self) -> str:
        """The message shown (title and message)."""
        return self.label.text()

    def show_spec(self, spec: BannerSpec, dismissable: bool = True) -> None:
        """Show a message decided by :mod:`enroll_viewer.ui.widgets.messages`."""
        self.show_message(spec.title, spec.message, spec.tone, spec.action, dismissable)

    def show_message(
        self,
        title: str,
        message: str,
        tone: Tone,
        action: Action | None = None,
        dismissable: bool = True,
    ) -> None:
        """Show ``title. message`` with an optional action button."""
        self._tone = tone
        self.label.setText(f"{title}. {message}" if message else title)
        self._action = action
        if action is not None:
            self.action.setText(action.value)
            self.action.setAccessibleName(action.value.replace("…", "").replace("&", ""))
            self.action.show()
        else:
            self.action.hide()
        self.close_button.setVisible(dismissable)
        self.show()
        self.update()
        # Heard once, as it appears, without taking the focus from what the user is typing.
        announce(self.label, self.label.text(), assertive=tone in (Tone.BAD, Tone.WARN))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange:
            self.update()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        paint_fill(self, self._tone, self.fontMetrics().height() / 3)
        super().paintEvent(event)
