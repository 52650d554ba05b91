"""Which deaths a cluster scan looks at: profiles as data (``profiles.yaml``).

A profile is a name, the words an explanation uses for its deaths, and conditions on a case's
linkage profile row (``vigil.linkage.profile.COLUMNS``) plus its category, all of which must
hold. A broken file is refused with the file and the key at fault, like a policy pack.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from vigil.domain.enums import Category, PlaceType

DEFAULT_FILE = Path(__file__).with_name("profiles.yaml")
EXPLAINED = frozenset({Category.EXPECTED.value, Category.UNEXPECTED_NOT_SUSPICIOUS.value})


class ProfileError(Exception):
    """A profiles file is broken: which file, which key, and why."""

    def __init__(self, file: str, key: str, reason: str) -> None:
        self.file, self.key, self.reason = file, key, reason
        super().__init__(f"{file}: {key}: {reason}")


def substances(row: Mapping[str, Any]) -> frozenset[str]:
    """The substances toxicology found in a case, read from its linkage profile row (one
    ``substances`` column, or the older rare and common ones)."""
    if "substances" in row:
        return frozenset(row["substances"] or ())
    return frozenset([*(row.get("rare_substances") or ()), *(row.get("common_substances") or ())])


class ScanProfile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    words: str = Field(min_length=1)
    age_min: int | None = Field(default=None, ge=0, le=130)
    age_max: int | None = Field(default=None, ge=0, le=130)
    sex: str | None = Field(default=None, pattern=r"^(male|female)$")
    place_types: tuple[PlaceType, ...] = ()
    substances: tuple[str, ...] = ()
    unexplained: bool = False

    @model_validator(mode="after")
    def _ages_in_order(self) -> ScanProfile:
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError("age_min is above age_max")
        return self

    def admits(self, row: Mapping[str, Any], category: str = "") -> bool:
        """True when the case (its profile row and category) is one of this profile's."""
        age: int | None = row.get("age")
        if age is None:
            if self.age_min is not None or self.age_max is not None:
                return False
        elif not (self.age_min or 0) <= age <= (130 if self.age_max is None else self.age_max):
            return False
        if self.sex and row.get("sex") != self.sex:
            return False
        if self.place_types and row.get("place_type") not in self.place_types:
            return False
        if self.substances and not substances(row) & {s.lower() for s in self.substances}:
            return False
        return not (self.unexplained and (not category or category in EXPLAINED))


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    profiles: tuple[ScanProfile, ...] = Field(min_length=1)


def _key(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top)"


def load_profiles(path: Path = DEFAULT_FILE) -> tuple[ScanProfile, ...]:
    """The profiles of a YAML file; ``ProfileError`` naming the file and key if it is broken."""
    shown = Path(path).name
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProfileError(shown, "(file)", f"cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ProfileError(shown, "(file)", f"not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ProfileError(shown, "(file)", "should be a mapping with a 'profiles:' list")
    try:
        profiles = _File.model_validate(data).profiles
    except ValidationError as exc:
        error = exc.errors()[0]
        reason = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
        raise ProfileError(shown, _key(error["loc"]), reason) from None
    seen: set[str] = set()
    for i, profile in enumerate(profiles):
        if profile.name in seen:
            raise ProfileError(shown, f"profiles[{i}].name", f"'{profile.name}' is given twice")
        seen.add(profile.name)
    return profiles


@functools.cache
def default_profiles() -> tuple[ScanProfile, ...]:
    return load_profiles(DEFAULT_FILE)
