"""A status badge: the word, on a rounded fill whose colour hints at its meaning."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QPaintEvent, QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from enroll_viewer.ui.widgets.tone import Tone
from enroll_viewer.ui.widgets.tones import foreground, paint_fill


class Badge(QLabel):
    """A read-only, selectable label drawn as a badge. Plain text only.

    ``first_paint``: the badge is painted before the rest of the window is built, and the
    settings that need Qt's ``Qt`` namespace (PySide6 builds its hundreds of enums on first
    use, ~15 ms) wait for :meth:`finish_setup`. Its text must then be plain until that call.
    """

    def __init__(self, parent: QWidget | None = None, first_paint: bool = False) -> None:
        super().__init__(parent)
        self._tone = Tone.NEUTRAL
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        margin = self.fontMetrics().height() // 3
        self.setContentsMargins(margin * 2, margin // 2, margin * 2, margin // 2)
        if not first_paint:
            self.finish_setup()

    def finish_setup(self) -> None:
        """Plain text only, selectable with the mouse and the keyboard, reachable by Tab."""
        from PySide6.QtCore import Qt  # noqa: PLC0415 - see the class docstring

        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    @property
    def tone(self) -> Tone:
        """The tone the badge is drawn in."""
        return self._tone

    def set_tone(self, tone: Tone) -> None:
        """Redraw in ``tone``."""
        self._tone = tone
        self._apply_text_colour()
        self.update()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_text_colour()
        super().changeEvent(event)

    def _apply_text_colour(self) -> None:
        palette = self.palette()
        colour = foreground(palette)
        if palette.color(QPalette.ColorRole.Text) != colour:
            palette.setColor(QPalette.ColorRole.Text, colour)
            self.setPalette(palette)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        paint_fill(self, self._tone)
        super().paintEvent(event)
