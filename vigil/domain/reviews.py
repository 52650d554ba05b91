"""Retrospective reviews: which past deaths a review covers, kept as data, and what a reviewer
may conclude about each one.

After Barking the Met reviewed 58 other deaths involving GHB to see whether any had been
missed. In Vigil such a review is a ``ReviewDefinition``: a title, a ``Selection`` of past
deaths (when they were found, where, what toxicology found, the kind of place, the age of the
deceased and, for readers allowed sensitive fields, their recorded sexuality), who reviews
and whether the independent advisory panel sits on it. Each death reviewed gets an
``Outcome`` with a rationale.

The selection is checked field by field by pydantic and as a whole by ``selection_problems``
(a period or an age range the wrong way round, an area given twice), which names the field at
fault so that every face can show the refusal beside it.
"""

from __future__ import annotations

import math
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field, field_validator

from vigil.domain import limits
from vigil.domain.base import Value
from vigil.domain.enums import PlaceType

EARTH_KM = 6371.0088
"""The mean radius of the Earth (IUGG), for distances on the ground."""

MAX_KM = 500.0
"""The widest circle a review may draw: a region, not a country."""

Username = Annotated[str, Field(min_length=1, max_length=limits.USERNAME)]


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle (haversine) distance in kilometres between two points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


class Circle(Value):
    """An area drawn as a circle: its centre and its radius in kilometres."""

    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    km: float = Field(gt=0, le=MAX_KM)

    def holds(self, latitude: float | None, longitude: float | None) -> bool:
        """Whether a place lies in the circle (a place not recorded does not)."""
        if latitude is None or longitude is None:
            return False
        return km_between(self.latitude, self.longitude, latitude, longitude) <= self.km

    def degrees(self) -> tuple[float, float]:
        """Half the sides of a box around the circle, in degrees of latitude and longitude
        (a generous box: the exact test is ``holds``)."""
        lat = self.km / 111.0 * 1.01
        cos = max(math.cos(math.radians(min(abs(self.latitude) + lat, 89.0))), 0.01)
        return lat, lat / cos


def _blank_as_none(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value.lower() or None
    return value


class Selection(Value):
    """Which deaths a review covers. Every part is optional; the parts given must all hold.

    - ``found_from`` / ``found_to``: the day the body was found (the day reported, if not
      known), both days included;
    - ``unit`` (a command unit's code, its units below it included) or ``circle``: where;
    - ``substance``: a substance toxicology found (as stored: lower case, e.g. ``ghb``);
    - ``place_type``: the kind of place the body was found in;
    - ``age_from`` / ``age_to``: the deceased's age at death, both included;
    - ``sexuality``: words of the deceased's recorded sexuality (a sensitive field: only a
      reader allowed sensitive fields may select by it, or read a review that does).
    """

    found_from: date | None = None
    found_to: date | None = None
    unit: str | None = Field(default=None, max_length=limits.UNIT_CODE)
    circle: Circle | None = None
    substance: str | None = Field(default=None, max_length=limits.SUBSTANCE)
    place_type: PlaceType | None = None
    age_from: int | None = Field(default=None, ge=0, le=130)
    age_to: int | None = Field(default=None, ge=0, le=130)
    sexuality: str | None = Field(default=None, max_length=limits.LINE)

    @field_validator("substance", "sexuality", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return _blank_as_none(value)

    @field_validator("unit", mode="before")
    @classmethod
    def _code(cls, value: object) -> object:
        if isinstance(value, str):
            return value.strip().upper() or None
        return value

    @property
    def sensitive(self) -> bool:
        """It selects by a sensitive field."""
        return self.sexuality is not None


def selection_problems(selection: Selection) -> list[tuple[str, str]]:
    """What is wrong with the selection as a whole: (the field at fault, why), first first."""
    found: list[tuple[str, str]] = []
    s = selection
    if s.found_from and s.found_to and s.found_to < s.found_from:
        found.append(("selection.found_to", "is before the start of the period"))
    if s.age_from is not None and s.age_to is not None and s.age_to < s.age_from:
        found.append(("selection.age_to", "is below the lowest age"))
    if s.unit and s.circle:
        found.append(("selection.unit", "give the area as a command unit or as a circle, not both"))
    return found


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def describe(selection: Selection) -> list[str]:
    """The selection in words, one phrase a part ("found from 1 Jan 2014 to 31 Dec 2015")."""
    s, parts = selection, []
    if s.found_from and s.found_to:
        parts.append(f"found from {_day(s.found_from)} to {_day(s.found_to)}")
    elif s.found_from:
        parts.append(f"found on or after {_day(s.found_from)}")
    elif s.found_to:
        parts.append(f"found on or before {_day(s.found_to)}")
    if s.unit:
        parts.append(f"in command unit {s.unit}")
    if s.circle:
        c = s.circle
        parts.append(f"within {c.km:g} km of {c.latitude:.4f}, {c.longitude:.4f}")
    if s.substance:
        parts.append(f"toxicology found '{s.substance}'")
    if s.place_type:
        parts.append(f"found in a place of the kind '{s.place_type.value.replace('_', ' ')}'")
    if s.age_from is not None and s.age_to is not None:
        parts.append(f"aged {s.age_from} to {s.age_to}")
    elif s.age_from is not None:
        parts.append(f"aged {s.age_from} or over")
    elif s.age_to is not None:
        parts.append(f"aged {s.age_to} or under")
    if s.sexuality:
        parts.append(f"recorded sexuality mentions '{s.sexuality}'")
    return parts or ["every death"]


class Outcome(StrEnum):
    """What a reviewer concludes about one death."""

    NO_FURTHER_ACTION = "no_further_action"
    REOPEN = "reopen"  # its category goes back to the reviewing officer
    REFER = "refer"  # a referral to another team, which someone must accept or decline
    LINK_TO_SERIES = "link_to_series"  # the link to another death is confirmed

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.NO_FURTHER_ACTION: "No further action",
    Outcome.REOPEN: "Re-open",
    Outcome.REFER: "Refer",
    Outcome.LINK_TO_SERIES: "Link to a series",
}


class ReviewStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class ReviewDefinition(Value):
    """A review as its author defines it. ``reviewers``: the users who give outcomes (the
    author, if none is named)."""

    title: str = Field(min_length=1, max_length=limits.LINE)
    selection: Selection = Selection()
    reviewers: tuple[Username, ...] = ()
    panel_sits: bool = False
