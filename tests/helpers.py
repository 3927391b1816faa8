"""Helpers for driving the window in tests."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from enroll_viewer.connection import Connection
from enroll_viewer.keystore import KeyStore
from enroll_viewer.ui.main_window import MainWindow
from tests.servers import LocalServer

KEY = "Window-Test-Key-0042"


def server_window(
    make_window: Any, memory_keyring: Any, server: LocalServer, timeout: float = 10
) -> MainWindow:
    memory_keyring.set_password(KeyStore.service_for(server.base_url), server.base_url, KEY)
    return make_window(Connection.for_base_url(server.base_url, timeout))


def look_up(qtbot: Any, window: MainWindow, text: str, timeout: int = 5000) -> None:
    window.id_field.setFocus()
    window.id_field.setText(text)
    with qtbot.waitSignal(window.controller.result, timeout=timeout):
        qtbot.keyClick(window.id_field, Qt.Key.Key_Return)


def named(window: QWidget, name: str) -> QWidget:
    found = [w for w in window.findChildren(QWidget) if w.accessibleName() == name]
    assert len(found) == 1, f"{name!r}: {len(found)} widgets"
    return found[0]


def text_of(widget: QWidget) -> str:
    assert isinstance(widget, (QLabel, QLineEdit))
    return widget.text()
