"""The time every use case records: now, in UTC (one place, so tests and replays agree)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
