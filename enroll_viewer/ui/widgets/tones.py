"""Status colours derived from the palette, so dark mode and high contrast read well.

Colour is only a hint; the word on a badge or banner carries the meaning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QWidget

from enroll_viewer.ui.widgets.tone import Tone

if TYPE_CHECKING:
    from enroll_viewer.api.records import Code

_GOOD = {("enrollment", 30), ("enrollment", 60), ("completion", 20)}
_BAD = {("enrollment", 10), ("enrollment", 40), ("completion", 40), ("completion", 50)}
_WARN = {("enrollment", 0), ("enrollment", 20), ("completion", 30)}
_INFO = {("enrollment", 50), ("completion", 10)}


def tone_for(kind: str, code: Code | None) -> Tone:
    """The tone for a status code; unknown codes and location types are neutral."""
    if code is None or not code.known:
        return Tone.NEUTRAL
    key = (kind, code.value)
    if key in _GOOD:
        return Tone.GOOD
    if key in _BAD:
        return Tone.BAD
    if key in _WARN:
        return Tone.WARN
    if key in _INFO:
        return Tone.INFO
    return Tone.NEUTRAL


def is_dark(palette: QPalette) -> bool:
    """True when the palette's window is darker than its text."""
    return (
        palette.color(QPalette.ColorRole.Window).lightness()
        < palette.color(QPalette.ColorRole.WindowText).lightness()
    )


def blend(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1) of the way towards ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def background(palette: QPalette, tone: Tone) -> QColor:
    """A fill for ``tone``: the palette's base tinted towards the tone's hue."""
    base = palette.color(QPalette.ColorRole.Base)
    if tone is Tone.NEUTRAL:
        return blend(base, palette.color(QPalette.ColorRole.WindowText), 0.10)
    dark = is_dark(palette)
    hue = QColor.fromHsl(tone.value, 200, 90 if dark else 150)
    return blend(base, hue, 0.40 if dark else 0.28)


def border(palette: QPalette, tone: Tone) -> QColor:
    """An outline for ``tone``, stronger than its fill."""
    text = palette.color(QPalette.ColorRole.WindowText)
    if tone is Tone.NEUTRAL:
        return blend(palette.color(QPalette.ColorRole.Base), text, 0.35)
    dark = is_dark(palette)
    return QColor.fromHsl(tone.value, 170, 150 if dark else 95)


def foreground(palette: QPalette) -> QColor:
    """Text on a tone's fill: the palette's own text colour."""
    return palette.color(QPalette.ColorRole.WindowText)


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""

    def luminance(color: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(color.redF())
            + 0.7152 * channel(color.greenF())
            + 0.0722 * channel(color.blueF())
        )

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def paint_fill(widget: QWidget, tone: Tone, radius: float | None = None) -> None:
    """Paint ``widget``'s rounded, tinted background (a pill when ``radius`` is None)."""
    painter = QPainter(widget)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    palette = widget.palette()
    rect = QRectF(widget.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
    corner = rect.height() / 2 if radius is None else radius
    painter.setPen(QPen(border(palette, tone), 1))
    painter.setBrush(background(palette, tone))
    painter.drawRoundedRect(rect, corner, corner)
    painter.end()


def dark_palette() -> QPalette:
    """A dark palette (for screenshots and contrast tests, and platforms without one)."""
    palette = QPalette()
    role = QPalette.ColorRole
    colours = {
        role.Window: "#2b2b2e", role.WindowText: "#e8e8ea", role.Base: "#1f1f22",
        role.AlternateBase: "#29292d", role.Text: "#e8e8ea", role.Button: "#333337",
        role.ButtonText: "#e8e8ea", role.Highlight: "#3d6ea8", role.HighlightedText: "#ffffff",
        role.ToolTipBase: "#333337", role.ToolTipText: "#e8e8ea",
        role.PlaceholderText: "#9a9aa0", role.Link: "#7fb0ff", role.Mid: "#444448",
        role.Dark: "#1a1a1c", role.Light: "#505055",
    }  # fmt: skip
    for r, colour in colours.items():
        palette.setColor(r, QColor(colour))
    # Disabled controls (a Cancel with nothing to cancel) must look disabled in the dark too.
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(disabled, r, QColor("#7c7c82"))
    palette.setColor(disabled, role.Button, QColor("#2e2e32"))
    return palette
