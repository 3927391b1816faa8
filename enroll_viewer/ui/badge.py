"""A status badge: the word, on a rounded fill whose colour hints at its meaning."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from enroll_viewer.ui.tones import Tone, background, border, foreground


class Badge(QLabel):
    """A read-only, selectable label drawn as a badge. Plain text only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tone = Tone.NEUTRAL
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        margin = self.fontMetrics().height() // 3
        self.setContentsMargins(margin * 2, margin // 2, margin * 2, margin // 2)

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
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        radius = rect.height() / 2
        painter.setPen(QPen(border(palette, self._tone), 1))
        painter.setBrush(background(palette, self._tone))
        painter.drawRoundedRect(rect, radius, radius)
        painter.end()
        super().paintEvent(event)
