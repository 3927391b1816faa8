"""Connections: the plain file (round trip, atomic write, corrupt file), IT's preset, the
environment, and the move from one base URL to named connections."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from enroll_viewer.api.errors import InvalidInput
from enroll_viewer.api.validation import DEFAULT_BASE_URL
from enroll_viewer.store import connections as store
from enroll_viewer.store.connection import ConnectionKind, slug
from enroll_viewer.store.connections import ConnectionsFileError
from enroll_viewer.store.preferences import Preferences

TEST_URL = "https://test.learnondemand.net/api/2.0"


def test_built_ins_without_a_file(tmp_path: Path) -> None:
    loaded = store.load(tmp_path / "none.json")
    assert [c.name for c in loaded.items] == ["Production", "Demo"]
    assert loaded.default == "Production" and loaded.problem is None
    prod = loaded.get("production")
    assert prod.base_url == DEFAULT_BASE_URL and prod.links_base == "https://lms.learnondemand.net"
    assert not (tmp_path / "none.json").exists()  # reading never writes


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "connections.json"
    loaded = store.load(path)
    loaded = store.add(loaded, "Test EU", TEST_URL, "https://eu.example.edu", 30, "none")
    loaded = store.set_default(loaded, "test eu")
    again = store.load(path)
    item = again.get("Test EU")
    assert (item.id, item.base_url, item.site_url, item.timeout, item.proxy) == (
        "test-eu",
        TEST_URL,
        "https://eu.example.edu",
        30.0,
        "none",
    )
    assert again.default == "Test EU" and again.default_connection == item
    renamed = store.update(again, item, "Staging")
    assert renamed.get("Staging").id == "test-eu"  # the key entry follows the id
    assert renamed.default == "Staging"
    data = json.loads(path.read_text())
    assert data["format"] == 1 and data["default"] == "Staging"
    assert all(
        set(entry) <= {"id", "name", "base_url", "site_url", "timeout", "proxy"}
        for entry in data["connections"]
    )  # settings only: never a key


def test_names_are_unique_and_built_ins_stay(tmp_path: Path) -> None:
    loaded = store.add(store.load(tmp_path / "c.json"), "Test", TEST_URL)
    with pytest.raises(InvalidInput, match="already a connection called"):
        store.add(loaded, "test", TEST_URL)
    with pytest.raises(InvalidInput, match="built in"):
        store.remove(loaded, "Production")
    with pytest.raises(InvalidInput, match="Known connections: Production, Test, Demo"):
        loaded.get("Nope")
    with pytest.raises(InvalidInput):
        store.add(loaded, "Plain", "http://tms.example.org/api/2.0")  # http only for loopback
    removed, item = store.remove(store.set_default(loaded, "Test"), "Test")
    assert item.name == "Test" and removed.default == "Production"


def test_write_is_atomic(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "connections.json"
    loaded = store.add(store.load(path), "Test", TEST_URL)
    before = path.read_bytes()

    def crash(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        store.add(loaded, "Other", "https://other.example.org/api/2.0")
    assert path.read_bytes() == before  # the old file, whole
    assert [p.name for p in tmp_path.iterdir()] == ["connections.json"]  # no temp file left


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        '{"connections": "nope"}',
        '{"connections": [{"id": "x", "name": "X", "base_url": "http://tms.example.org"}]}',
        '{"connections": [{"id": "demo"}]}',
        '{"connections": [{"id": "a", "name": "A", "base_url": "https://a.example.org"},'
        ' {"id": "a", "name": "B", "base_url": "https://b.example.org"}]}',
        "\udcff".encode("utf-8", "surrogateescape").decode("latin-1"),
    ],
)
def test_a_corrupt_file_is_named_and_production_still_works(tmp_path: Path, text: str) -> None:
    path = tmp_path / "connections.json"
    path.write_text(text, encoding="latin-1")
    loaded = store.load(path)
    assert loaded.problem and str(path) in loaded.problem and loaded.unreadable
    assert loaded.default_connection.name == "Production"
    with pytest.raises(ConnectionsFileError):
        store.add(loaded, "Test", TEST_URL)  # never written over: the user may repair it
    assert path.read_text(encoding="latin-1") == text


def test_it_preset_sections_and_lock(tmp_path: Path, monkeypatch) -> None:
    config = tmp_path / "system.ini"
    config.write_text(
        "[connection:Campus]\nbase_url = https://campus.learnondemand.net/api/2.0\n"
        "site_url = https://training.campus.edu\nlocked = true\ntimeout = 45\n\n"
        "[connection:Broken]\nbase_url = http://insecure.example.org\n\n"
        "[connections]\ndefault = Campus\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("ENROLL_VIEWER_CONFIG", str(config))
    loaded = store.load(tmp_path / "user.json")
    campus = loaded.get("Campus")
    assert campus.kind is ConnectionKind.MANAGED and campus.locked and campus.timeout == 45
    assert campus.links_base == "https://training.campus.edu"
    assert loaded.find("Broken") is None  # logged and left out, the rest still loads
    assert loaded.default == "Campus"
    with pytest.raises(InvalidInput):
        store.remove(loaded, "Campus")
    with pytest.raises(InvalidInput, match="cannot be changed"):
        store.update(loaded, campus)


def test_older_it_preset_base_url(tmp_path: Path, monkeypatch) -> None:
    config = tmp_path / "system.ini"
    config.write_text("[api]\nbase_url = https://alh.learnondemand.net/api/2.0\n")
    monkeypatch.setenv("ENROLL_VIEWER_CONFIG", str(config))
    loaded = store.load(tmp_path / "user.json")
    assert loaded.default_connection.base_url == "https://alh.learnondemand.net/api/2.0"
    assert loaded.env_key_target == "production"


def test_environment_base_url_is_a_locked_default(tmp_path: Path) -> None:
    env = {"ENROLL_VIEWER_BASE_URL": "https://env.example.org/api/2.0"}
    loaded = store.load(tmp_path / "user.json", env)
    item = loaded.default_connection
    assert (item.name, item.locked, item.base_url) == (
        "Environment",
        True,
        "https://env.example.org/api/2.0",
    )
    assert loaded.env_key_target == "environment"
    bad = store.load(tmp_path / "user.json", {"ENROLL_VIEWER_BASE_URL": "http://x.example"})
    assert bad.refused and bad.refused.startswith("ENROLL_VIEWER_BASE_URL is not used: ")
    refusal = bad.refusal()
    assert refusal is not None and refusal.exit_code == 2
    assert loaded.refusal() is None


def test_a_one_off_base_url_uses_a_known_connection_at_that_address(tmp_path: Path) -> None:
    loaded = store.add(store.load(tmp_path / "c.json"), "Test", TEST_URL)
    assert loaded.for_base_url(TEST_URL + "/").name == "Test"
    other = loaded.for_base_url("https://other.example.org/api/2.0")
    assert other.kind is ConnectionKind.ONE_OFF and other.id == "https://other.example.org/api/2.0"


def test_first_start_moves_the_old_base_url_over(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "old.ini"), QSettings.Format.IniFormat)
    settings.setValue("connection/base_url", "https://alh.learnondemand.net/api/2.0")
    settings.setValue("connection/timeout_seconds", 40)
    settings.setValue("connection/proxy", "none")
    settings.setValue("history/recent_ids", "12,10")
    prefs = Preferences(settings)
    path = tmp_path / "connections.json"
    migrated = store.migrate(path, *prefs.legacy_connection())
    assert migrated is not None
    item = migrated.default_connection
    assert (item.name, item.base_url, item.timeout, item.proxy) == (
        "alh.learnondemand.net",
        "https://alh.learnondemand.net/api/2.0",
        40.0,
        "none",
    )
    assert migrated.get("Production").timeout == 40.0
    prefs.adopt_legacy_history(item.id)
    assert prefs.recent_ids(item.id) == [12, 10]
    assert prefs.recent_ids("production") == []
    assert store.migrate(path, "https://elsewhere.example.org/api/2.0", 20, "system") is None


def test_slugs() -> None:
    assert slug("Test EU") == "test-eu"
    assert slug("Production") == "production-2"  # built-in ids are never reused
    assert slug("Test", ["test", "test-2"]) == "test-3"
    assert slug("!!!") == "connection"
