"""The Settings dialog: base URL, API key (masked, Reveal, Forget) and timeout.

It only collects values; the caller saves the key through the controller (off the GUI thread).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from enroll_viewer.errors import InvalidInput, KeyProblem
from enroll_viewer.validation import DEFAULT_BASE_URL, check_api_key, normalize_base_url


@dataclass(frozen=True)
class SettingsResult:
    """What the user chose. ``new_key`` is None when the key field was left empty."""

    base_url: str
    new_key: str | None
    forget_key: bool
    timeout: int
    details: bool = True
    proxy: str = "system"


class SettingsDialog(QDialog):
    """Collects settings; validates before accepting. Never shows a stored key."""

    def __init__(
        self,
        base_url: str,
        timeout: int,
        key_note: str,
        base_url_locked: bool = False,
        details: bool = True,
        proxy: str = "system",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setModal(True)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 40)
        self._forget = False
        layout = QVBoxLayout(self)
        form = QFormLayout()

        self.base_url = QLineEdit(base_url or DEFAULT_BASE_URL)
        self.base_url.setAccessibleName("Base URL")
        self.base_url.setReadOnly(base_url_locked)
        hint = QLabel(
            "Usually https://lms.learnondemand.net/api/2.0. Your TMS administrator or Skillable "
            "support can say which API host belongs to your organisation's key."
            + (" Set by ENROLL_VIEWER_BASE_URL." if base_url_locked else "")
        )
        hint.setWordWrap(True)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        label = QLabel("&Base URL:")
        label.setBuddy(self.base_url)
        form.addRow(label, self.base_url)
        form.addRow("", hint)

        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setAccessibleName("API key")
        self.key.setPlaceholderText("Leave empty to keep the current key")
        self.key.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
        )
        self.reveal = QCheckBox("Re&veal")
        self.reveal.setAccessibleName("Reveal API key")
        self.reveal.toggled.connect(self._on_reveal)
        self.forget = QPushButton("&Forget key")
        self.forget.setAccessibleName("Forget key")
        self.forget.clicked.connect(self._on_forget)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key, 1)
        key_row.addWidget(self.reveal)
        key_row.addWidget(self.forget)
        key_label = QLabel("API &key:")
        key_label.setBuddy(self.key)
        form.addRow(key_label, key_row)
        self.key_note = QLabel(key_note)
        self.key_note.setWordWrap(True)
        self.key_note.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow("", self.key_note)

        self.timeout = QSpinBox()
        self.timeout.setRange(5, 120)
        self.timeout.setSuffix(" s")
        self.timeout.setValue(timeout)
        self.timeout.setAccessibleName("Timeout in seconds")
        timeout_label = QLabel("&Timeout:")
        timeout_label.setBuddy(self.timeout)
        form.addRow(timeout_label, self.timeout)
        self.proxy_mode = QComboBox()
        self.proxy_mode.addItem("System settings", "system")
        self.proxy_mode.addItem("No proxy", "none")
        self.proxy_mode.addItem("Manual", "manual")
        self.proxy_mode.setAccessibleName("Proxy")
        self.proxy_url = QLineEdit("" if proxy in ("system", "none") else proxy)
        self.proxy_url.setPlaceholderText("http://proxy.example.edu:8080")
        self.proxy_url.setAccessibleName("Proxy URL")
        self.proxy_mode.setCurrentIndex({"system": 0, "none": 1}.get(proxy, 2))
        self.proxy_mode.currentIndexChanged.connect(self._on_proxy_mode)
        self._on_proxy_mode(self.proxy_mode.currentIndex())
        proxy_row = QHBoxLayout()
        proxy_row.addWidget(self.proxy_mode)
        proxy_row.addWidget(self.proxy_url, 1)
        proxy_label = QLabel("&Proxy:")
        proxy_label.setBuddy(self.proxy_mode)
        form.addRow(proxy_label, proxy_row)

        self.details = QCheckBox("Show &learner and class names (asks GetUser and GetClass)")
        self.details.setAccessibleName("Show learner and class names")
        self.details.setChecked(details)
        form.addRow("", self.details)
        layout.addLayout(form)

        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Settings problem")
        self.error.hide()
        layout.addWidget(self.error)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        for button in buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.key.setFocus()

    @Slot(bool)
    def _on_reveal(self, shown: bool) -> None:
        self.key.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)

    @Slot(int)
    def _on_proxy_mode(self, index: int) -> None:
        self.proxy_url.setEnabled(self.proxy_mode.itemData(index) == "manual")

    def _proxy_value(self) -> str:
        mode = str(self.proxy_mode.currentData())
        if mode != "manual":
            return mode
        url = self.proxy_url.text().strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidInput(
                "A manual proxy looks like http://proxy.example.edu:8080.", "Invalid proxy"
            )
        return url

    @Slot()
    def _on_forget(self) -> None:
        self._forget = True
        self.key.clear()
        self.key_note.setText("The key will be forgotten when you save.")

    def result_values(self) -> SettingsResult:
        """The validated values.

        Raises:
            InvalidInput, KeyProblem: shown in the dialog by :meth:`accept`.
        """
        base_url = normalize_base_url(self.base_url.text())
        text = self.key.text()
        new_key = check_api_key(text) if text.strip() else None
        return SettingsResult(
            base_url,
            new_key,
            self._forget and new_key is None,
            self.timeout.value(),
            self.details.isChecked(),
            self._proxy_value(),
        )

    def accept(self) -> None:
        try:
            self.result_values()
        except (InvalidInput, KeyProblem) as exc:
            self.error.setText(f"{exc.title}. {exc.message}")
            self.error.show()
            return
        super().accept()

    def done(self, code: int) -> None:
        # Whatever happens, the key text does not outlive the dialog in a hidden widget.
        super().done(code)
        if code != QDialog.DialogCode.Accepted:
            self.key.clear()
