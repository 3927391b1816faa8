"""Fast checks of what the window gives a screen reader (the real tree is read in
test_screen_reader.py): names that carry the words, the constants the first paint spells out,
announcements, and the Tab order of the Lookup page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget

from enroll_viewer.ui.main_window import MainWindow
from enroll_viewer.ui.pages import empty_state
from enroll_viewer.ui.widgets import accessibility
from enroll_viewer.ui.widgets.banner import MessageBanner
from enroll_viewer.ui.widgets.tone import Tone
from tests.helpers import look_up, named


def test_the_role_numbers_the_first_paint_spells_out_are_qts() -> None:
    assert Qt.ItemDataRole.UserRole.value == empty_state.USER_ROLE
    assert Qt.ItemDataRole.AccessibleTextRole.value == empty_state.ACCESSIBLE_TEXT_ROLE


def test_badges_and_the_heading_say_their_words(qtbot, demo_window: MainWindow) -> None:
    look_up(qtbot, demo_window, "10")
    badge = named(demo_window, "Enrollment status")
    assert badge.accessibleName() == "Enrollment status: Enroll"
    assert badge.accessibleDescription() == "code 60"
    heading = named(demo_window, "Enrollment heading")
    assert heading.accessibleName() == "" and heading.text().startswith("Enrollment 10")
    badge.show_value(None)
    assert badge.accessibleName() == "Enrollment status: not set"
    assert badge.text() == "—" and badge.accessibleDescription() == ""


def test_every_focusable_widget_has_a_name(qtbot, demo_window: MainWindow) -> None:
    look_up(qtbot, demo_window, "10")
    for page in range(3):
        demo_window.pages.setCurrentIndex(page)
        unnamed = [
            type(w).__name__
            for w in demo_window.findChildren(QWidget)
            if w.isVisible()
            and w.focusPolicy() & Qt.FocusPolicy.TabFocus
            and w.focusProxy() is None
            and not w.accessibleName()
            and not (hasattr(w, "text") and callable(w.text) and w.text())
        ]
        assert unnamed == [], page


def test_a_banner_is_announced_once_assertively_for_errors(qtbot, monkeypatch) -> None:
    from enroll_viewer.ui.widgets import banner as banner_module

    heard: list[tuple[str, bool]] = []

    def hear(widget: QWidget, text: str, assertive: bool = False) -> None:
        heard.append((text, assertive))

    monkeypatch.setattr(banner_module, "announce", hear)
    banner = MessageBanner("Message")
    qtbot.addWidget(banner)
    banner.show_message("Not found", "Enrollment 404 not found.", Tone.BAD)
    banner.show_message("Saved", "", Tone.GOOD)
    assert heard == [("Not found. Enrollment 404 not found.", True), ("Saved", False)]
    assert banner.label.accessibleName() == "" and banner.label.objectName() == "Message"


def test_announce_posts_qts_announcement_event(qtbot, monkeypatch) -> None:
    posted = []
    monkeypatch.setattr(QAccessible, "isActive", lambda: True)
    monkeypatch.setattr(
        QAccessible,
        "updateAccessibility",
        lambda event: posted.append((event.type(), event.message(), event.politeness())),
    )
    widget = QWidget()
    qtbot.addWidget(widget)
    accessibility.announce(widget, "Batch done", assertive=False)
    accessibility.announce(widget, "", assertive=True)  # nothing to say: nothing posted
    assert posted == [
        (QAccessible.Event.Announcement, "Batch done", QAccessible.AnnouncementPoliteness.Polite)
    ]
