"""The lookup field: an enrollment id (digits) or an external id (printable text)."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Signal, Slot
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from enroll_viewer.api.limits import MAX_EXTERNAL_ID


class IdField(QLineEdit):
    """Whitespace around a paste is trimmed (and inside a pasted number); control characters
    are refused.

    Signals:
        refused(str): characters were refused; the argument explains why.
    """

    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Enrollment ID")
        self.setPlaceholderText("Enrollment id (e.g. 10) or external id")
        self.setMaxLength(MAX_EXTERNAL_ID + 20)
        self.setClearButtonEnabled(True)
        self._previous = ""
        # textEdited (user edits) fires before textChanged (every change), so _previous still
        # holds the text before the edit when _on_edited runs.
        self.textEdited.connect(self._on_edited)
        self.textChanged.connect(self._remember)
        self._history: QStringListModel | None = None

    def set_history(self, ids: list[int]) -> None:
        """Offer the recent ids as completions (the completer is made on first use)."""
        if self._history is None:
            self._history = QStringListModel(self)
            completer = QCompleter(self._history, self)
            completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
            self.setCompleter(completer)
        self._history.setStringList([str(i) for i in ids])

    @Slot(str)
    def _remember(self, text: str) -> None:
        self._previous = text

    @Slot(str)
    def _on_edited(self, text: str) -> None:
        cleaned = "".join(ch for ch in text if ch.isprintable())
        if len(text) - len(self._previous) > 1:  # a paste, not a keystroke
            cleaned = cleaned.strip()
            if cleaned.replace(" ", "").isdigit():
                cleaned = cleaned.replace(" ", "")  # "12 345" copied from a report
        if cleaned != text:
            self.setText(cleaned)
        if "".join(ch for ch in text if ch.isprintable()) != text:
            self.refused.emit("Tabs, line breaks and other control characters cannot be used.")
