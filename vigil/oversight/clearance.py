"""Clusters of unsolved homicides: the Murder Accountability Project's clearance rule.

The rule is MAP's "serial killer algorithm" (Thomas Hargrove, Murder Accountability Project,
murderdata.org, "Murder Clusters"; "MAP's serial killer algorithm available online",
2017-08-07): every homicide victim is put in a **murder group** by geography (county, or
metropolitan area with the rural counties of a state as one area), the victim's sex and the
method of killing (the SHR weapon), and the groups with a very low **clearance rate** (solved
victims / victims) are the suspicious ones: a serial killer lowers the clearance of similar
victims killed in similar ways in one place. MAP's own guidance is to look at 25 or 33 per cent
solved and lower; the published replications (Mikkel Krogsholm's R package ``murderdata``,
vignette "Hunting for serial killers", and Andrew Ba Tran's "R for Journalists" case study)
group by county x victim sex x weapon, keep the groups at or below 0.33 and sort them by the
number unsolved, most first. This module does exactly that, with the period, the geography,
the sex, the threshold and the smallest group size as settings. Every record in the file
counts, whatever its homicide type, as in MAP's groups. A low clearance is a reason to look,
not proof that the deaths are linked.

The input is the FBI Supplementary Homicide Reports as MAP publishes them, one row per victim,
as CSV or gzip-compressed CSV, read as a stream (the columns used are ``REQUIRED``).
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from vigil.domain.errors import DomainError

REQUIRED = (
    "year",
    "fip",
    "cnty_name",
    "msa_code",
    "msa_name",
    "vic_sex",
    "weapon",
    "solved",
)
SOLVED = {"yes": True, "no": False}


class Geo(StrEnum):
    COUNTY = "county"
    MSA = "msa"  # metropolitan area; MAP puts a state's rural counties in one area


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    ALL = "all"  # every sex, each still its own group


@dataclass(frozen=True)
class Settings:
    """What to look for. Each value is checked here, so every face refuses the same things."""

    years: tuple[int, int] | None = None
    geo: Geo = Geo.COUNTY
    sex: Sex = Sex.FEMALE
    max_clearance: float = 0.33
    min_victims: int = 2

    def __post_init__(self) -> None:
        if self.years is not None and self.years[0] > self.years[1]:
            raise DomainError(
                "years", f"{self.years[0]} is after {self.years[1]}; give the earlier year first"
            )
        if not 0 <= self.max_clearance <= 1:
            raise DomainError(
                "max_clearance",
                f"{self.max_clearance:g} is not a share between 0 and 1 (0.33 is one in three)",
            )
        if self.min_victims < 1:
            raise DomainError("min_victims", f"{self.min_victims} is not a number of victims")

    def admits(self, year: int, sex: str) -> bool:
        in_years = self.years is None or self.years[0] <= year <= self.years[1]
        return in_years and (self.sex is Sex.ALL or sex.lower() == self.sex.value)


def parse_years(text: str) -> tuple[int, int]:
    """``"1980-2000"`` as (1980, 2000); a single year ``"1995"`` as (1995, 1995)."""
    found = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", text)
    if not found:
        raise DomainError("years", f"'{text}' is not a year or a range of years like 1980-2000")
    first = int(found.group(1))
    return first, int(found.group(2) or first)


def choice(kind: type[Geo] | type[Sex], field: str, text: str) -> Any:
    """``text`` as a member of ``kind``, or refused naming ``field`` and the values allowed."""
    try:
        return kind(text.lower())
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise DomainError(field, f"'{text}' is not one of {allowed}") from None


@dataclass(frozen=True)
class Victim:
    """One death as the rule counts it: its area (a key, such as a county's FIPS code or a
    command unit's code, and a name), the victim's sex, the method (the SHR weapon, or on the
    store the cause's mechanism), the year and whether it was solved."""

    area: str
    area_name: str
    sex: str
    method: str
    year: int
    solved: bool


@dataclass(frozen=True)
class Group:
    """One murder group: victims of one sex killed by one weapon (method) in one area.
    ``code`` is the area's key (``area`` its name)."""

    area: str
    sex: str
    weapon: str
    victims: int
    solved: int
    first_year: int
    last_year: int
    code: str = ""

    @property
    def unsolved(self) -> int:
        return self.victims - self.solved

    @property
    def clearance(self) -> float:
        return self.solved / self.victims

    def to_dict(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "sex": self.sex,
            "weapon": self.weapon,
            "victims": self.victims,
            "solved": self.solved,
            "unsolved": self.unsolved,
            "clearance": round(self.clearance, 4),
            "first_year": self.first_year,
            "last_year": self.last_year,
        }


def clusters(rows: Iterable[Mapping[str, str]], settings: Settings) -> list[Group]:
    """The groups at or below ``settings.max_clearance`` with at least ``min_victims``
    victims, most unsolved first (then lowest clearance, then by name). ``rows`` are SHR
    records as ``read`` gives them (column -> text); a row that cannot be read is refused
    naming its line (the header is line 1)."""
    return groups(_victims(rows, settings.geo), settings)


def _victims(rows: Iterable[Mapping[str, str]], geo: Geo) -> Iterator[Victim]:
    code, name = ("fip", "cnty_name") if geo is Geo.COUNTY else ("msa_code", "msa_name")
    for line, row in enumerate(rows, start=2):
        year, solved = _year(row, line), _solved(row, line)
        area = row[code].strip() or row[name].strip()
        yield Victim(
            area,
            row[name].strip() or area,
            row["vic_sex"].strip() or "Unknown",
            row["weapon"].strip() or "Unknown",
            year,
            bool(solved),
        )


def groups(victims: Iterable[Victim], settings: Settings) -> list[Group]:
    """MAP's rule over any deaths: group by area x sex x method, keep the groups with at least
    ``min_victims`` whose clearance is at or below ``max_clearance``, most unsolved first
    (``settings.geo`` is the caller's: the victims come with their area)."""
    tally: dict[tuple[str, str, str], list[int]] = {}  # key -> [victims, solved, first, last]
    names: dict[str, str] = {}
    for victim in victims:
        if not settings.admits(victim.year, victim.sex):
            continue
        names.setdefault(victim.area, victim.area_name)
        year = victim.year
        counts = tally.setdefault((victim.area, victim.sex, victim.method), [0, 0, year, year])
        counts[0] += 1
        counts[1] += victim.solved
        counts[2], counts[3] = min(counts[2], year), max(counts[3], year)
    found = [
        Group(names[area], sex, method, victims, solved, first, last, area)
        for (area, sex, method), (victims, solved, first, last) in tally.items()
        if victims >= settings.min_victims and solved / victims <= settings.max_clearance
    ]
    return sorted(found, key=lambda g: (-g.unsolved, g.clearance, g.area, g.sex, g.weapon))


def _year(row: Mapping[str, str], line: int) -> int:
    text = row["year"].strip()
    if not text.isdigit():
        raise DomainError(f"line {line}", f"year '{text}' is not a year")
    return int(text)


def _solved(row: Mapping[str, str], line: int) -> int:
    text = row["solved"].strip()
    if text.lower() not in SOLVED:
        raise DomainError(f"line {line}", f"solved '{text}' is not Yes or No")
    return int(SOLVED[text.lower()])


def read(path: Path) -> Iterator[dict[str, str]]:
    """The records of an SHR file (CSV, or CSV compressed with gzip, whatever its name), one
    at a time. A file without the columns this rule needs is refused naming them."""
    with path.open("rb") as raw:
        compressed = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        binary = gzip.GzipFile(fileobj=raw) if compressed else raw
        yield from _records(io.TextIOWrapper(binary, encoding="utf-8-sig", newline=""))


def _records(text: io.TextIOWrapper) -> Iterator[dict[str, str]]:
    with text:
        reader = csv.DictReader(text)
        try:
            header = reader.fieldnames or []
        except (UnicodeDecodeError, gzip.BadGzipFile, EOFError, csv.Error) as exc:
            raise DomainError("file", f"cannot be read as CSV ({exc})") from None
        missing = [column for column in REQUIRED if column not in header]
        if missing:
            raise DomainError(
                "file",
                "is not in the Supplementary Homicide Reports layout: missing columns "
                + ", ".join(missing),
            )
        try:
            yield from reader
        except (UnicodeDecodeError, gzip.BadGzipFile, EOFError, csv.Error) as exc:
            raise DomainError(
                "file", f"cannot be read past line {reader.line_num} ({exc})"
            ) from None
