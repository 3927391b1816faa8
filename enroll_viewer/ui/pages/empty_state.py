"""What the Lookup page shows before any record: ids to try, as links that look them up.

On the demo, every demo id with what it shows; on a real server, the recent ids of this
connection. The text is built from our own data only (ids are integers), escaped anyway.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

LINK_PREFIX = "lookup:"


def escape(text: str) -> str:
    """``html.escape`` (quotes included), without importing ``html`` before the first paint."""
    for raw, entity in (
        ("&", "&amp;"),
        ("<", "&lt;"),
        (">", "&gt;"),
        ('"', "&quot;"),
        ("'", "&#x27;"),
    ):
        text = text.replace(raw, entity)
    return text


class EmptyState(QLabel):
    """A short guide with clickable ids (keyboard: Tab to a link, Enter to follow it).

    Signals:
        chosen(str): an id link was activated; the argument is the id to look up.
    """

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Part of the first paint: rich text is detected (our text starts with a tag) and links
        # take clicks by default; the settings that need Qt's enum namespace wait for
        # finish_setup() (see Badge).
        self.setAccessibleName("Ids to try")
        self.setWordWrap(True)
        margin = self.fontMetrics().height()
        self.setContentsMargins(margin, margin, margin, margin)
        self.linkActivated.connect(self._on_link)
        self.ids: list[str] = []

    def finish_setup(self) -> None:
        """Rich text, top-left, links reachable with Tab and followed with Enter."""
        from PySide6.QtCore import Qt  # noqa: PLC0415 - see above

        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

    @Slot(str)
    def _on_link(self, link: str) -> None:
        if link.startswith(LINK_PREFIX):
            self.chosen.emit(link[len(LINK_PREFIX) :])

    def show_demo(self, groups: tuple[tuple[str, tuple[tuple[int, str], ...]], ...]) -> None:
        """The demo ids by group, each with a short label."""
        self.ids = [str(ident) for _title, cases in groups for ident, _label in cases]
        # One paragraph per group: a rich-text <table> would cost the first paint ~9 ms.
        paragraphs = "".join(
            f"<p><b>{escape(title)}</b>&nbsp;&nbsp; "
            + " &nbsp;·&nbsp; ".join(
                f"<a href='{LINK_PREFIX}{ident}'>{ident}</a>&nbsp;{escape(label)}"
                for ident, label in cases
            )
            + "</p>"
            for title, cases in groups
        )
        self.setText(
            "<p>Sample enrollments on this computer (no key, no network). Type an id above and "
            f"press Enter, or pick one:</p>{paragraphs}"
        )

    def show_recent(self, connection_name: str, ids: list[int]) -> None:
        """The recent ids on this connection (or how to start when there are none)."""
        self.ids = [str(i) for i in ids]
        intro = (
            f"<p><b>No enrollment shown.</b> Type an enrollment id (such as 10) or an external "
            f"id above and press Enter. Names and statuses come from {escape(connection_name)}."
            "</p>"
        )
        if not ids:
            self.setText(intro + "<p>Ids you look up are listed here (ids only, no records).</p>")
            return
        links = " &nbsp;·&nbsp; ".join(f"<a href='{LINK_PREFIX}{i}'>{i}</a>" for i in ids)
        self.setText(f"{intro}<p>Recent on {escape(connection_name)}: {links}</p>")
