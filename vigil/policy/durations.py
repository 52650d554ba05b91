"""Durations as a pack writes them: ``30m``, ``2h``, ``24h``, ``7d``, ``2w``."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated

from pydantic import BeforeValidator

_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_DURATION = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")


def parse_duration(value: object, *, zero: bool = False) -> timedelta:
    """``'24h'`` -> ``timedelta(hours=24)``; ValueError naming the value otherwise. ``0h`` is
    refused unless ``zero`` (a deadline of nothing is a mistake; a delay of nothing is not)."""
    if isinstance(value, timedelta):
        return value
    match = _DURATION.match(value) if isinstance(value, str) else None
    if match is None or (int(match.group(1)) == 0 and not zero):
        shown = f"'{value}'" if isinstance(value, str) else repr(value)
        like = "0h, 24h or 7d" if zero else "24h or 7d"
        raise ValueError(f"{shown} is not a duration like {like}")
    amount, unit = match.groups()
    return timedelta(**{_UNITS[unit]: int(amount)})


def parse_delay(value: object) -> timedelta:
    """A duration that may be nothing: ``'0h'`` -> ``timedelta(0)``."""
    return parse_duration(value, zero=True)


def format_duration(value: timedelta) -> str:
    """The shortest pack spelling of a duration: ``timedelta(days=7)`` -> ``'7d'``."""
    minutes = int(value.total_seconds()) // 60
    if minutes == 0:
        return "0h"
    for unit, size in (("w", 7 * 24 * 60), ("d", 24 * 60), ("h", 60)):
        if minutes % size == 0:
            return f"{minutes // size}{unit}"
    return f"{minutes}m"


# A pack field holding a duration.
Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
# A pack field holding a delay, which may be nothing (an escalation step at the deadline).
Delay = Annotated[timedelta, BeforeValidator(parse_delay)]
