"""Logging to a rotating file in the platform's log folder, with secrets redacted."""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
from pathlib import Path

from enroll_viewer import APP_ID

_KEY_PATTERN = re.compile(r"(?i)(api[_-]?key['\"]?\s*[:=]\s*['\"]?)([^\s'\",}]+)")


class RedactingFilter(logging.Filter):
    """Replaces known secrets, and anything shaped like ``api_key: value``, with ``[redacted]``."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()

    def add_secret(self, secret: str | None) -> None:
        """Redact this exact value from now on."""
        if secret and len(secret) >= 4:
            self._secrets.add(secret)

    def redact(self, text: str) -> str:
        """``text`` with secrets replaced."""
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return _KEY_PATTERN.sub(r"\1[redacted]", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = self.redact(message)
        record.args = None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


def log_dir() -> Path:
    """The app's log folder (the platform's, or under ``ENROLL_VIEWER_HOME``)."""
    from enroll_viewer.store.paths import user_log_dir  # noqa: PLC0415

    return user_log_dir()


def setup_logging(directory: Path | None = None, console: bool = False) -> RedactingFilter:
    """Log to ``enroll-viewer.log`` (rotating, 1 MB x 3) and return the redaction filter.

    Falls back to no file when the folder cannot be written; never writes to a missing stderr.
    """
    redactor = RedactingFilter()
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "_enroll_viewer", False):
            root.removeHandler(handler)
            handler.close()
    handlers: list[logging.Handler] = []
    try:
        folder = directory or log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handlers.append(
            logging.handlers.RotatingFileHandler(
                folder / f"{APP_ID}.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
            )
        )
    except OSError:
        pass
    if console and sys.stderr is not None:
        stream = logging.StreamHandler(sys.stderr)
        stream.setLevel(logging.WARNING)
        handlers.append(stream)
    for handler in handlers:
        handler.addFilter(redactor)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler._enroll_viewer = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    # urllib3's debug lines are not needed and would grow the file.
    logging.getLogger("urllib3").setLevel(logging.WARNING)
    return redactor
