"""What a screen reader hears: labels that keep their text, and announcements.

A ``QLabel`` given an accessible name exposes only that name, never its text, so a label whose
text matters (a heading, a message, a summary) keeps its text as its name; what it is goes in
its description, and tests and scripts find it by object name.
"""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QWidget


def describe(widget: QWidget, what: str) -> None:
    """Say what ``widget`` is (``what``) without hiding its text: the description and the object
    name are ``what``; the accessible name stays the widget's own text."""
    widget.setObjectName(what)
    widget.setAccessibleDescription(what)


def announce(widget: QWidget, text: str, assertive: bool = False) -> None:
    """Have screen readers say ``text`` now, without moving the focus: assertively (at once,
    interrupting) for errors, politely (after what is being read) for news such as "done"."""
    if not text or not QAccessible.isActive():
        return
    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(
        QAccessible.AnnouncementPoliteness.Assertive
        if assertive
        else QAccessible.AnnouncementPoliteness.Polite
    )
    QAccessible.updateAccessibility(event)
