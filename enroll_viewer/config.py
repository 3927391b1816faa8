"""Where the base URL comes from: command line, environment, user setting, IT preset, default."""

from __future__ import annotations

import configparser
import logging
import os
from pathlib import Path

from enroll_viewer import APP_ID
from enroll_viewer.validation import DEFAULT_BASE_URL

log = logging.getLogger(__name__)

ENV_BASE_URL = "ENROLL_VIEWER_BASE_URL"
ENV_CONFIG = "ENROLL_VIEWER_CONFIG"


def system_config_path() -> Path:
    """The machine-wide config file IT may deploy (``ENROLL_VIEWER_CONFIG`` overrides).

    Linux ``/etc/xdg/enroll-viewer/config.ini``; Windows
    ``C:\\ProgramData\\enroll-viewer\\config.ini``; macOS
    ``/Library/Application Support/enroll-viewer/config.ini``.
    """
    override = os.environ.get(ENV_CONFIG)
    if override:
        return Path(override)
    import platformdirs  # noqa: PLC0415

    return Path(platformdirs.site_config_dir(APP_ID, appauthor=False)) / "config.ini"


def preset_base_url() -> str | None:
    """The base URL IT preset in the system config file (``[api] base_url``), if any."""
    path = system_config_path()
    parser = configparser.ConfigParser()
    try:
        if not parser.read(path, encoding="utf-8"):
            return None
    except (OSError, configparser.Error) as exc:
        log.warning("cannot read %s: %s", path, exc)
        return None
    value = parser.get("api", "base_url", fallback="").strip()
    return value or None


def resolve_base_url(explicit: str | None = None, user_setting: str | None = None) -> str:
    """The base URL to use: explicit > ``ENROLL_VIEWER_BASE_URL`` > user setting > preset >
    the default."""
    for candidate in (explicit, os.environ.get(ENV_BASE_URL), user_setting):
        if candidate and candidate.strip():
            return candidate.strip()
    return preset_base_url() or DEFAULT_BASE_URL


def base_url_locked() -> bool:
    """True when the environment fixes the base URL (the Settings field then shows it read-only)."""
    return bool(os.environ.get(ENV_BASE_URL, "").strip())
