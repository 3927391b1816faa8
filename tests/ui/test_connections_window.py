"""Named connections in the window: the switcher, keys that stay with their server, links into
the TMS site, and connections added, renamed and removed in Settings."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt

from enroll_viewer.store.connections import load
from enroll_viewer.store.keystore import KeySource, keyring_entry
from enroll_viewer.ui.main_window import MainWindow
from tests.helpers import local_connection, look_up, named, store_key
from tests.servers import Handler, record_responder

TEST_KEY = "Key-Of-Test-1111"
PROD_KEY = "Key-Of-Prod-2222"


def choose(qtbot: Any, window: MainWindow, name: str) -> None:
    box = named(window, "Connection")
    index = box.findText(name)
    assert index >= 0, name
    box.setCurrentIndex(index)
    with qtbot.waitSignal(window.key_state_changed, timeout=5000):
        box.activated.emit(index)


def test_switcher_lists_connections_and_names_the_active_one(
    qtbot, make_window, memory_keyring, serve
) -> None:
    server = serve(record_responder)
    test = local_connection(server.base_url, name="Test")
    store_key(memory_keyring, test, TEST_KEY)
    window = make_window(test)
    box = named(window, "Connection")
    assert [box.itemText(i) for i in range(box.count())] == ["Production", "Test", "Demo"]
    assert box.currentText() == "Test" and "Test" in window.windowTitle()
    assert named(window, "Connection address").text() == test.host
    look_up(qtbot, window, "12")
    choose(qtbot, window, "Demo")
    assert window.windowTitle().endswith("DEMO") and window.lookup.record is None
    assert window.lookup.empty.ids[0] == "10"  # the demo's ids, not Test's history
    choose(qtbot, window, "Test")
    assert window.lookup.empty.ids == ["12"]  # Test's own history


def test_keys_stay_with_their_server_and_a_switch_drops_the_old_answer(
    qtbot, make_window, memory_keyring, serve
) -> None:
    def slow(h: Handler) -> None:
        if h.path.endswith("/1"):
            h.wait(1.0)
        record_responder(h)

    test_server = serve(slow)
    prod_server = serve(record_responder)
    test = local_connection(test_server.base_url, name="Test")
    prod = local_connection(prod_server.base_url, name="Prod copy")
    store_key(memory_keyring, test, TEST_KEY)
    store_key(memory_keyring, prod, PROD_KEY)
    window = make_window(test)
    window.id_field.setText("1")
    window.look_up()  # Test answers after a second
    qtbot.waitUntil(lambda: bool(test_server.seen.paths), timeout=3000)
    with qtbot.assertNotEmitted(window.lookup.record_shown, wait=1500):
        choose(qtbot, window, "Prod copy")
    assert window.lookup.record is None and not window.lookup.is_busy
    look_up(qtbot, window, "2")
    assert window.lookup.record is not None and window.lookup.record.id == 2
    assert {h["api_key"] for h in test_server.seen.headers} == {TEST_KEY}
    assert {h["api_key"] for h in prod_server.seen.headers} == {PROD_KEY}


def test_open_in_tms_and_the_learner_and_class_links(
    qtbot, make_window, memory_keyring, serve, opened_urls
) -> None:
    from enroll_viewer.store import connections as store

    server = serve(record_responder)
    test = local_connection(server.base_url, name="Test")
    test = store.update(load(), replace(test, site_url="https://tms.example.edu")).get("Test")
    store_key(memory_keyring, test, TEST_KEY)
    window = make_window(test)
    look_up(qtbot, window, "10")
    qtbot.mouseClick(named(window, "Open in TMS"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(named(window, "Open learner in TMS"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(named(window, "Open class in TMS"), Qt.MouseButton.LeftButton)
    assert opened_urls == [
        "https://tms.example.edu/ClassEnrollment/10",
        "https://tms.example.edu/User/897615",
        "https://tms.example.edu/Class/4421",
    ]


def test_the_demo_site_answers_open_in_tms(qtbot, demo, make_window, opened_urls) -> None:
    import urllib.request

    from tests.helpers import demo_connection

    window = make_window(demo_connection(demo))
    look_up(qtbot, window, "40")  # no external id, no classroom: links still from ids
    qtbot.mouseClick(named(window, "Open in TMS"), Qt.MouseButton.LeftButton)
    with urllib.request.urlopen(opened_urls[0], timeout=5) as page:
        assert b"Demo TMS site" in page.read()


def test_settings_add_rename_and_remove_a_connection(
    qtbot, make_window, memory_keyring, serve
) -> None:
    server = serve(record_responder)
    test = local_connection(server.base_url, name="Test")
    store_key(memory_keyring, test, TEST_KEY)
    window = make_window(test)
    window.open_settings()
    dialog = window.settings_dialog
    assert dialog is not None
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    dialog.name.setText("Staging")
    dialog.base_url.setText("https://staging.learnondemand.net/api/2.0")
    dialog.key.setText("Key-Of-Staging-3333")
    dialog.accept()
    staging = load().get("Staging")
    qtbot.waitUntil(lambda: keyring_entry(staging) in memory_keyring.store, timeout=5000)
    assert memory_keyring.store[keyring_entry(staging)] == "Key-Of-Staging-3333"
    assert named(window, "Connection").findText("Staging") >= 0
    window.open_settings()
    dialog = window.settings_dialog
    assert dialog is not None
    dialog.connections_list.setCurrentRow(dialog.connections_list.count() - 1)
    assert dialog.name.text() == "Staging"
    dialog.name.setText("Staging EU")
    dialog.accept()
    assert load().get("Staging EU").id == staging.id
    assert memory_keyring.store[keyring_entry(staging)] == "Key-Of-Staging-3333"  # same entry
    window.open_settings()
    dialog = window.settings_dialog
    assert dialog is not None
    dialog.connections_list.setCurrentRow(dialog.connections_list.count() - 1)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    dialog.accept()
    qtbot.waitUntil(lambda: keyring_entry(staging) not in memory_keyring.store, timeout=5000)
    assert load().find("Staging EU") is None
    assert named(window, "Connection").findText("Staging EU") < 0
    assert window.key_state is not None and window.key_state.source is KeySource.KEYRING
