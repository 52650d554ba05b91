"""Shared base for the domain's value objects."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict


class Value(BaseModel):
    """An immutable value object: unknown fields are refused, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("a date-time needs a time zone (for example 2015-06-01T08:00:00Z)")
    return value.astimezone(UTC)


# A date-time with a time zone, held in UTC.
When = Annotated[datetime, AfterValidator(_aware)]
