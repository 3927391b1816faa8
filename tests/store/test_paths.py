"""The app's own folders: the platform's, or all under ENROLL_VIEWER_HOME (which every test
uses, so no test touches a user's real files on any platform)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from enroll_viewer.store import paths
from enroll_viewer.store.connections import user_file_path
from enroll_viewer.store.logs import log_dir


def test_everything_goes_under_the_home_when_it_is_set(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ENROLL_VIEWER_HOME", str(tmp_path))
    monkeypatch.delenv("ENROLL_VIEWER_CONNECTIONS", raising=False)
    assert user_file_path() == tmp_path / "config" / "connections.json"
    assert log_dir() == tmp_path / "logs"
    assert paths.preferences_file() == tmp_path / "preferences.ini"


def test_the_platforms_folders_otherwise(monkeypatch) -> None:
    monkeypatch.delenv("ENROLL_VIEWER_HOME")
    monkeypatch.delenv("ENROLL_VIEWER_CONNECTIONS", raising=False)
    config = Path(platformdirs.user_config_dir("enroll-viewer", appauthor=False))
    assert user_file_path() == config / "connections.json"
    assert log_dir() == Path(platformdirs.user_log_dir("enroll-viewer", appauthor=False))
    assert paths.preferences_file() is None


def test_the_suite_runs_in_its_own_home(tmp_path: Path) -> None:

    assert paths.home() == tmp_path / "home"  # set by conftest for every test


def test_window_preferences_follow_the_home(tmp_path: Path, monkeypatch, qapp) -> None:
    from enroll_viewer.store.preferences import open_settings

    monkeypatch.setenv("ENROLL_VIEWER_HOME", str(tmp_path))
    settings = open_settings()
    settings.setValue("probe", 1)
    settings.sync()
    assert (tmp_path / "preferences.ini").is_file()
