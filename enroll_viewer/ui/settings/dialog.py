"""Settings: the connections (name, API base URL, TMS site URL, key, timeout, proxy), and how
the app fetches (learner and class names, parallel requests).

It only collects and checks values; the window saves connections and hands keys to the request
runner (keyring writes may wait on an unlock prompt, never in the GUI thread). A stored key is
never shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from enroll_viewer.api.errors import AppError, InvalidInput
from enroll_viewer.api.limits import MAX_WORKERS
from enroll_viewer.store.connection import (
    MAX_TIMEOUT,
    MIN_TIMEOUT,
    Connection,
    ConnectionKind,
    default_site_url,
)
from enroll_viewer.ui.settings.values import (
    ConnectionEdit,
    Draft,
    SettingsResult,
    checked,
    origin_note,
)
from enroll_viewer.ui.widgets import messages
from enroll_viewer.ui.widgets.accessibility import describe

if TYPE_CHECKING:
    from enroll_viewer.work.jobs import KeyState

BASE_URL_HINT = (
    "Usually https://lms.learnondemand.net/api/2.0. Your TMS administrator or Skillable support "
    "can say which API host belongs to your organisation's key."
)


class SettingsDialog(QDialog):
    """Collects settings; validates before accepting. Never shows a stored key.

    Signals:
        key_state_wanted(Connection): the dialog shows a connection whose key state it lacks.
    """

    key_state_wanted = Signal(object)

    def __init__(
        self,
        connections: tuple[Connection, ...],
        current_id: str,
        details: bool,
        workers: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setModal(True)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 56)
        self._drafts: list[Draft] = [
            Draft(c, c.name, c.base_url, c.site_url, int(c.timeout), c.proxy)
            for c in connections
            if not c.is_demo
        ]
        self._removed: list[Connection] = []
        self._states: dict[str, KeyState] = {}
        self._row = -1
        layout = QVBoxLayout(self)
        top = QHBoxLayout()

        side = QVBoxLayout()
        self.connections_list = QListWidget()
        self.connections_list.setAccessibleName("Connections")
        self.connections_list.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 14)
        side.addWidget(self.connections_list, 1)
        buttons_row = QHBoxLayout()
        self.add_button = QPushButton("&Add")
        self.add_button.setAccessibleName("Add connection")
        self.remove_button = QPushButton("Re&move")
        self.remove_button.setAccessibleName("Remove connection")
        buttons_row.addWidget(self.add_button)
        buttons_row.addWidget(self.remove_button)
        side.addLayout(buttons_row)
        top.addLayout(side)

        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName("Connection name")
        self._row_label(form, "&Name:", self.name)
        self.base_url = QLineEdit()
        self.base_url.setAccessibleName("Base URL")
        self._row_label(form, "API &base URL:", self.base_url)
        self.base_url_hint = QLabel(BASE_URL_HINT)
        self.base_url_hint.setWordWrap(True)
        self.base_url_hint.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow("", self.base_url_hint)
        self.site_url = QLineEdit()
        self.site_url.setAccessibleName("TMS site URL")
        self._row_label(form, "TMS &site URL:", self.site_url)

        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setAccessibleName("API key")
        self.key.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
        )
        self.reveal = QCheckBox("Re&veal")
        self.reveal.setAccessibleName("Reveal API key")
        self.forget = QPushButton("&Forget key")
        self.forget.setAccessibleName("Forget key")
        key_row = QHBoxLayout()
        key_row.addWidget(self.key, 1)
        key_row.addWidget(self.reveal)
        key_row.addWidget(self.forget)
        key_label = QLabel("API &key:")
        key_label.setBuddy(self.key)
        form.addRow(key_label, key_row)
        self.key_note = QLabel()
        self.key_note.setWordWrap(True)
        self.key_note.setTextFormat(Qt.TextFormat.PlainText)
        describe(self.key_note, "Key note")
        form.addRow("", self.key_note)

        self.timeout = QSpinBox()
        self.timeout.setRange(MIN_TIMEOUT, MAX_TIMEOUT)
        self.timeout.setSuffix(" s")
        self.timeout.setAccessibleName("Timeout in seconds")
        self._row_label(form, "&Timeout:", self.timeout)
        self.proxy_mode = QComboBox()
        self.proxy_mode.addItem("System settings", "system")
        self.proxy_mode.addItem("No proxy", "none")
        self.proxy_mode.addItem("Manual", "manual")
        self.proxy_mode.setAccessibleName("Proxy")
        self.proxy_url = QLineEdit()
        self.proxy_url.setPlaceholderText("http://proxy.example.edu:8080")
        self.proxy_url.setAccessibleName("Proxy URL")
        proxy_row = QHBoxLayout()
        proxy_row.addWidget(self.proxy_mode)
        proxy_row.addWidget(self.proxy_url, 1)
        proxy_label = QLabel("&Proxy:")
        proxy_label.setBuddy(self.proxy_mode)
        form.addRow(proxy_label, proxy_row)
        top.addLayout(form, 1)
        layout.addLayout(top)

        self.details = QCheckBox("Show &learner and class names (asks GetUser and GetClass)")
        self.details.setAccessibleName("Show learner and class names")
        self.details.setChecked(details)
        layout.addWidget(self.details)
        workers_row = QHBoxLayout()
        self.workers = QSpinBox()
        self.workers.setRange(1, MAX_WORKERS)
        self.workers.setValue(workers)
        self.workers.setAccessibleName("Parallel requests")
        workers_label = QLabel("Parallel &requests (from the next start):")
        workers_label.setBuddy(self.workers)
        workers_row.addWidget(workers_label)
        workers_row.addWidget(self.workers)
        workers_row.addStretch(1)
        layout.addLayout(workers_row)

        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        describe(self.error, "Settings problem")
        self.error.hide()
        layout.addWidget(self.error)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        for button in box.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

        self.reveal.toggled.connect(self._on_reveal)
        self.forget.clicked.connect(self._on_forget)
        self.proxy_mode.currentIndexChanged.connect(self._on_proxy_mode)
        self.add_button.clicked.connect(self._on_add)
        self.remove_button.clicked.connect(self._on_remove)
        self.connections_list.currentRowChanged.connect(self._on_row)
        self.name.textEdited.connect(self._on_name_edited)
        self._fill_list()
        current = next(
            (i for i, d in enumerate(self._drafts) if d.original and d.original.id == current_id),
            0,
        )
        self.connections_list.setCurrentRow(current)
        self.key.setFocus()

    def _row_label(self, form: QFormLayout, text: str, widget: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(widget)
        form.addRow(label, widget)

    def _fill_list(self) -> None:
        self.connections_list.blockSignals(True)
        self.connections_list.clear()
        for draft in self._drafts:
            QListWidgetItem(draft.name or "(new)", self.connections_list)
        self.connections_list.blockSignals(False)

    # --- the selected connection ---------------------------------------------------------------

    @property
    def selected(self) -> Connection | None:
        """The connection shown in the form (None for a new one)."""
        return self._drafts[self._row].original if 0 <= self._row < len(self._drafts) else None

    @Slot(int)
    def _on_row(self, row: int) -> None:
        self._store_form()
        self._row = row
        if not 0 <= row < len(self._drafts):
            return
        draft = self._drafts[row]
        kind = draft.original.kind if draft.original else ConnectionKind.USER
        locked = bool(draft.original and draft.original.locked)
        self.name.setText(draft.name)
        self.name.setReadOnly(kind is not ConnectionKind.USER)
        self.base_url.setText(draft.base_url)
        self.base_url.setReadOnly(kind is not ConnectionKind.USER)
        self.base_url_hint.setText(BASE_URL_HINT + origin_note(draft.original))
        self.site_url.setText(draft.site_url)
        self.site_url.setPlaceholderText(default_site_url(draft.base_url) or "https://…")
        self.site_url.setReadOnly(locked)
        self.timeout.setValue(draft.timeout)
        self.timeout.setEnabled(not locked)
        index = {"system": 0, "none": 1}.get(draft.proxy, 2)
        self.proxy_mode.setCurrentIndex(index)
        self.proxy_mode.setEnabled(not locked)
        self.proxy_url.setText("" if index < 2 else draft.proxy)
        self._on_proxy_mode(index)
        self.key.setText(draft.key)
        self.remove_button.setEnabled(kind is ConnectionKind.USER)
        self._show_key_note(draft)
        if draft.original is not None and draft.original.id not in self._states:
            self.key_state_wanted.emit(draft.original)

    def _store_form(self) -> None:
        if not 0 <= self._row < len(self._drafts):
            return
        draft = self._drafts[self._row]
        draft.name = self.name.text()
        draft.base_url = self.base_url.text()
        draft.site_url = self.site_url.text()
        draft.timeout = self.timeout.value()
        mode = str(self.proxy_mode.currentData())
        draft.proxy = self.proxy_url.text().strip() if mode == "manual" else mode
        draft.key = self.key.text()

    def set_key_state(self, state: KeyState) -> None:
        """Where the key of one connection is kept (answers :attr:`key_state_wanted`)."""
        self._states[state.connection_id] = state
        if 0 <= self._row < len(self._drafts):
            self._show_key_note(self._drafts[self._row])

    def _show_key_note(self, draft: Draft) -> None:
        if draft.forget:
            self.key_note.setText("The key will be forgotten when you save.")
            return
        state = self._states.get(draft.original.id) if draft.original else None
        if draft.original is None:
            self.key_note.setText("Paste the API key for this connection.")
        else:
            self.key_note.setText(messages.key_note(state))
        stored = state is not None and state.available
        self.key.setPlaceholderText(
            "Leave empty to keep the current key" if stored else "Paste your organisation's API key"
        )

    @Slot(bool)
    def _on_reveal(self, shown: bool) -> None:
        self.key.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)

    @Slot(int)
    def _on_proxy_mode(self, index: int) -> None:
        locked = not self.proxy_mode.isEnabled()
        self.proxy_url.setEnabled(self.proxy_mode.itemData(index) == "manual" and not locked)

    @Slot()
    def _on_forget(self) -> None:
        if 0 <= self._row < len(self._drafts):
            self._drafts[self._row].forget = True
            self._drafts[self._row].key = ""
            self.key.clear()
            self._show_key_note(self._drafts[self._row])

    @Slot(str)
    def _on_name_edited(self, text: str) -> None:
        item = self.connections_list.item(self._row)
        if item is not None:
            item.setText(text.strip() or "(new)")

    @Slot()
    def _on_add(self) -> None:
        self._store_form()
        self._drafts.append(Draft(None, "", "https://", "", 20, "system"))
        self._fill_list()
        self._row = -1
        self.connections_list.setCurrentRow(len(self._drafts) - 1)
        self.name.setFocus()

    @Slot()
    def _on_remove(self) -> None:
        draft = self.selected_draft()
        if draft is None or (draft.original and draft.original.kind is not ConnectionKind.USER):
            return
        if draft.original is not None:
            self._removed.append(draft.original)
        del self._drafts[self._row]
        self._row = -1
        self._fill_list()
        self.connections_list.setCurrentRow(0)

    def selected_draft(self) -> Draft | None:
        """The draft in the form (for tests and the Remove button)."""
        return self._drafts[self._row] if 0 <= self._row < len(self._drafts) else None

    # --- the result ----------------------------------------------------------------------------

    def result_values(self) -> SettingsResult:
        """The validated values.

        Raises:
            AppError: InvalidInput or KeyProblem, shown in the dialog by :meth:`accept`.
        """
        self._store_form()
        edits: list[ConnectionEdit] = []
        names: set[str] = set()
        for draft in self._drafts:
            edit = checked(draft)
            folded = edit.name.casefold()
            if folded in names:
                raise InvalidInput(f"Two connections are called {edit.name}.", "Name in use")
            names.add(folded)
            if edit.changed:
                edits.append(edit)
        return SettingsResult(
            tuple(edits), tuple(self._removed), self.details.isChecked(), self.workers.value()
        )

    def accept(self) -> None:
        try:
            self.result_values()
        except AppError as exc:
            self.error.setText(exc.sentence())
            self.error.show()
            return
        super().accept()

    def done(self, code: int) -> None:
        # Whatever happens, no key text outlives the dialog in a hidden widget.
        super().done(code)
        if code != QDialog.DialogCode.Accepted:
            self.clear_keys()

    def clear_keys(self) -> None:
        """Forget every key typed (after the window took them)."""
        self.key.clear()
        for draft in self._drafts:
            draft.key = ""
