"""The meaning a colour hints at (the word on a badge or banner carries the meaning)."""

from __future__ import annotations

from enum import Enum


class Tone(Enum):
    """The value is a hue in degrees (or -1 for none)."""

    GOOD = 130
    BAD = 0
    WARN = 38
    INFO = 210
    NEUTRAL = -1
