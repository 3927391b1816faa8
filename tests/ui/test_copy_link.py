"""The "Copy link" button on the Record page, beside "Open in TMS": the record's
enroll-viewer:// link, naming the connection, ready to paste into a ticket; and the desktop
entry that lets such a link open the app on Linux."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from enroll_viewer import DEMO_KEY, URL_SCHEME
from enroll_viewer.api.app_links import OpenRequest, parse_target
from enroll_viewer.api.records import LookupKey, LookupKind
from enroll_viewer.resources import resource_path
from tests.helpers import demo_connection, local_connection, look_up, store_key


def test_copy_link_copies_the_records_link_with_its_connection(qtbot, make_window, demo) -> None:
    window = make_window(demo_connection(demo))
    view = window.lookup.record_view
    button = view.copy_link_button
    assert button.accessibleName() == "Copy link" and button.text() == "Copy lin&k"
    assert not button.isEnabled()  # no record yet

    look_up(qtbot, window, "E3G5YZFREFEQ9371")  # found by external id: linked by its number
    assert button.isEnabled() and button.isVisible()
    opener = view.open_button.geometry()  # beside "Open in TMS", on its right
    assert button.parentWidget() is view.open_button.parentWidget()
    assert button.geometry().left() > opener.right()
    assert button.geometry().center().y() == opener.center().y()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    link = "enroll-viewer://enrollment/10?connection=Demo"
    assert QGuiApplication.clipboard().text() == link
    assert window.status_text.text() == f"Copied {link}"
    assert button.toolTip().startswith(f"Copy {link}")
    assert parse_target(link) == OpenRequest(LookupKey(LookupKind.ID, "10"), "Demo")


def test_copy_link_names_a_connection_with_spaces_encoded(
    qtbot, make_window, demo, memory_keyring
) -> None:
    mine = local_connection(demo.base_url, name="My Test")
    store_key(memory_keyring, mine, DEMO_KEY)
    window = make_window(mine)
    look_up(qtbot, window, "11")
    window.lookup.record_view.copy_link_button.click()
    assert QGuiApplication.clipboard().text() == (
        "enroll-viewer://enrollment/11?connection=My%20Test"
    )


def test_a_failed_lookup_leaves_nothing_to_copy(qtbot, make_window, demo) -> None:
    window = make_window(demo_connection(demo))
    look_up(qtbot, window, "10")
    look_up(qtbot, window, "404")
    assert not window.lookup.record_view.copy_link_button.isEnabled()


def test_the_desktop_entry_opens_enrollment_links() -> None:
    lines = resource_path("enroll-viewer.desktop").read_text(encoding="utf-8").splitlines()
    assert f"MimeType=x-scheme-handler/{URL_SCHEME};" in lines
    exec_line = next(line for line in lines if line.startswith("Exec="))
    assert exec_line.split()[-1] == "%u"  # the link, as one argument
