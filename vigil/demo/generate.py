"""``generate``: seeded synthetic death reports as interchange records; ``write_jsonl``.

Same seed, same records, byte for byte: all chance comes from one ``random.Random(seed)`` and
nothing reads the clock. Every person, place and number is invented (see ``names``, ``places``
and ``people`` for the safeguards).

Every record imports as it stands under the default policy pack: a category below the floor
carries an override by the demo log-in 'sergeant' (so the demo users must exist before an
import), and the checklist is met except in the minority of suspicious deaths chosen to show
gaps (``diligence``).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from random import Random
from typing import TextIO

from vigil.demo import accident, diligence, drugs, expected, suicide, suspicious
from vigil.demo.casework import Draft
from vigil.demo.people import People, Person
from vigil.demo.places import BOROUGHS, HOTSPOT
from vigil.demo.users import Staff
from vigil.domain.enums import Role
from vigil.domain.report import DeathReport
from vigil.interchange.record import CaseRecord


class Scenario(StrEnum):
    """What really happened: ground truth the records themselves do not carry."""

    EXPECTED = "expected"
    SUICIDE = "suicide"
    DRUGS = "drugs"
    ACCIDENT = "accident"
    SUSPICIOUS = "suspicious"
    UNEXPLAINED = "unexplained"  # sudden death of a young adult; natural in the end


# Share of each scenario, in percent.
MIX: dict[Scenario, int] = {
    Scenario.EXPECTED: 60,
    Scenario.SUICIDE: 12,
    Scenario.DRUGS: 12,
    Scenario.ACCIDENT: 10,
    Scenario.SUSPICIOUS: 5,
    Scenario.UNEXPLAINED: 1,
}
BUILDERS: dict[Scenario, Callable[[Draft], DeathReport]] = {
    Scenario.EXPECTED: expected.expected,
    Scenario.SUICIDE: suicide.suicide,
    Scenario.DRUGS: drugs.drugs,
    Scenario.ACCIDENT: accident.accident,
    Scenario.SUSPICIOUS: suspicious.suspicious,
    Scenario.UNEXPLAINED: accident.unexplained,
}
# People who turn up on several cases: the part they play and the scenarios they turn up in.
RECURRING: tuple[tuple[Role, tuple[Scenario, ...], int], ...] = (
    (Role.CALLER, (Scenario.SUSPICIOUS, Scenario.DRUGS), 40),
    (Role.FRIEND, (Scenario.DRUGS, Scenario.SUSPICIOUS, Scenario.SUICIDE), 45),
    (Role.WITNESS, (Scenario.ACCIDENT, Scenario.SUSPICIOUS, Scenario.SUICIDE), 15),
)
SUSPICIOUS_IN_HOTSPOT = 0.6
# A series like Barking's: the first suspicious deaths in the hotspot borough are GHB deaths
# (GHB is otherwise rare, about one death in 300-400). The Met reviewed 58 GHB deaths after
# Barking; a retrospective review of the demo's GHB deaths over a period has these to list
# (vigil.services.casework.reviews).
GHB_SERIES = 5
# Deaths are found and reported more in the morning than at night.
HOUR_WEIGHTS = (2, 1, 1, 1, 1, 2, 4, 6, 7, 7, 6, 5, 5, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 2)
NONE: frozenset[str] = frozenset()
_WINDOW = 12  # a recurring person's cases are among this many neighbouring ones in time


@dataclass(frozen=True)
class _Planned:
    at: datetime
    scenario: Scenario
    borough: int


def _plan(rng: Random, count: int, start: date, days: int) -> list[_Planned]:
    origin = datetime(start.year, start.month, start.day, tzinfo=UTC)
    hours = rng.choices(range(24), weights=HOUR_WEIGHTS, k=count)
    offsets = sorted(rng.randrange(days) * 86400 + h * 3600 + rng.randrange(3600) for h in hours)
    scenarios = rng.choices(tuple(MIX), weights=tuple(MIX.values()), k=count)
    hotspot = BOROUGHS.index(HOTSPOT)
    planned = []
    for offset, scenario in zip(offsets, scenarios, strict=True):
        if scenario is Scenario.SUSPICIOUS and rng.random() < SUSPICIOUS_IN_HOTSPOT:
            borough = hotspot
        else:
            borough = rng.randrange(len(BOROUGHS))
        planned.append(_Planned(origin + timedelta(seconds=offset), scenario, borough))
    return planned


def _ghb_series(plan: list[_Planned]) -> frozenset[int]:
    """The deaths of the GHB series (``GHB_SERIES``): chosen without drawing a number, so that
    the rest of the demo data is the same whether or not it is planted."""
    hotspot = BOROUGHS.index(HOTSPOT)
    chosen = [
        index
        for index, planned in enumerate(plan)
        if planned.scenario is Scenario.SUSPICIOUS and planned.borough == hotspot
    ]
    return frozenset(chosen[:GHB_SERIES])


def _recurring(
    rng: Random, people: People, plan: list[_Planned], start: date
) -> dict[int, tuple[Person, Role]]:
    """Which case each recurring person turns up on: 2-4 cases close in time, one borough."""
    wanted = len(plan) // 50 if len(plan) >= 10 else 0
    by_place: dict[tuple[int, Scenario], list[int]] = defaultdict(list)
    for index, planned in enumerate(plan):
        by_place[planned.borough, planned.scenario].append(index)
    taken: dict[int, tuple[Person, Role]] = {}
    for _ in range(wanted):
        role, scenarios, _weight = rng.choices(RECURRING, weights=[r[2] for r in RECURRING])[0]
        borough = BOROUGHS.index(HOTSPOT) if rng.random() < 0.4 else rng.randrange(len(BOROUGHS))
        cases = sorted(i for s in scenarios for i in by_place[borough, s])
        if len(cases) < 2:
            continue
        first = rng.randrange(len(cases))
        free = [i for i in cases[first : first + _WINDOW] if i not in taken]
        if len(free) < 2:
            continue
        chosen = rng.sample(free, min(len(free), rng.choice((2, 2, 2, 3, 3, 4))))
        person = people.new(
            BOROUGHS[borough], start, ages=(18, 50), young=True, scaled=False, phone=1.0
        )
        for index in chosen:
            taken[index] = (person, role)
    return taken


def reference_prefix(seed: int) -> str:
    """'DEMO' for seed 0, 'DEMO-S7' for seed 7: runs with different seeds never share a
    reference, so importing one never overwrites another's cases."""
    return "DEMO" if seed == 0 else f"DEMO-S{seed}"


def generate_labelled(
    count: int, seed: int = 0, start: date = date(2014, 1, 1), days: int = 730
) -> Iterator[tuple[Scenario, CaseRecord]]:
    """Like ``generate``, with each record's scenario: ground truth for tests and benchmarks."""
    if count < 0 or days < 1:
        raise ValueError("count must be >= 0 and days >= 1")
    rng = Random(seed)
    plan = _plan(rng, count, start, days)
    staff = Staff.make(rng)
    people = People(rng, seed, count)
    recurring = _recurring(rng, people, plan, start)
    series = _ghb_series(plan)
    numbers: Counter[int] = Counter()
    prefix = reference_prefix(seed)
    for index, planned in enumerate(plan):
        numbers[planned.at.year] += 1
        reference = f"{prefix}-{planned.at.year}-{numbers[planned.at.year]:06d}"
        reappearing = (recurring[index],) if index in recurring else ()
        gaps = diligence.choose_gaps(rng) if planned.scenario is Scenario.SUSPICIOUS else NONE
        borough = BOROUGHS[planned.borough]
        draft = Draft(
            rng,
            staff,
            people,
            borough,
            reference,
            planned.at,
            reappearing,
            gaps,
            ghb=index in series,
        )
        report = BUILDERS[planned.scenario](draft)
        draft.add_unused_recurring()
        if planned.scenario is not Scenario.EXPECTED:
            report = diligence.complete(draft, report)
        yield planned.scenario, draft.build(report)


def generate(
    count: int, seed: int = 0, start: date = date(2014, 1, 1), days: int = 730
) -> Iterator[CaseRecord]:
    """``count`` synthetic cases reported over ``days`` days from ``start``, in time order."""
    for _, record in generate_labelled(count, seed, start, days):
        yield record


def to_line(record: CaseRecord) -> str:
    """One JSON Lines line (no newline): defaults left out, keys sorted, the format named."""
    data = record.model_dump(mode="json", exclude_defaults=True, by_alias=True)
    data["format"] = record.format
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def write_jsonl(records: Iterable[CaseRecord], fp: TextIO) -> int:
    """Write one record a line to ``fp``; the number written."""
    written = 0
    for record in records:
        fp.write(to_line(record))
        fp.write("\n")
        written += 1
    return written
