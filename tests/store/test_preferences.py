"""Preferences in QSettings: per-connection history (ids only), and the app's options."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from enroll_viewer.store.preferences import MAX_RECENT, Preferences, ShownConnection


def make(tmp_path: Path) -> Preferences:
    return Preferences(QSettings(str(tmp_path / "p.ini"), QSettings.Format.IniFormat))


def test_history_is_per_connection_and_ids_only(tmp_path: Path) -> None:
    prefs = make(tmp_path)
    for ident in (10, 11, 10):
        prefs.add_recent_id("production", ident)
    prefs.add_recent_id("https://odd id/with:chars", 7)
    assert prefs.recent_ids("production") == [10, 11]
    assert prefs.recent_ids("test") == []
    assert prefs.recent_ids("https://odd id/with:chars") == [7]
    for ident in range(100, 140):
        prefs.add_recent_id("test", ident)
    assert len(prefs.recent_ids("test")) == MAX_RECENT
    prefs.clear_history("production")
    assert prefs.recent_ids("production") == [] and prefs.recent_ids("test")


def test_unreadable_values_fall_back(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "p.ini"), QSettings.Format.IniFormat)
    settings.setValue("network/parallel_requests", "many")
    settings.setValue("history/production/recent_ids", "12,x,,0,99999999999,12")
    settings.setValue("window/connection_is_demo", "maybe")
    settings.setValue("window/connection", "test")
    settings.setValue("window/connection_name", "Test")
    prefs = Preferences(settings)
    assert prefs.workers() == 4
    assert prefs.shown_connection() == ShownConnection("test", "Test", "", demo=False)
    assert prefs.recent_ids("production") == [12]
    prefs.set_workers(50)
    assert prefs.workers() == 8
    assert prefs.details_enabled()
    prefs.set_details_enabled(False)
    assert not prefs.details_enabled()


def test_active_connection(tmp_path: Path) -> None:
    prefs = make(tmp_path)
    assert prefs.active_connection() is None and prefs.shown_connection() is None
    shown = ShownConnection("test", "Test", "test.example.com:8443")
    prefs.set_active_connection(shown)
    assert prefs.active_connection() == "test"
    assert prefs.shown_connection() == shown
    prefs.set_active_connection(ShownConnection("demo", "Demo", "DEMO · sample data", demo=True))
    prefs.sync()  # the next start reads it from the file
    assert make(tmp_path).shown_connection() == ShownConnection(
        "demo", "Demo", "DEMO · sample data", demo=True
    )
