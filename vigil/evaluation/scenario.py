"""Reconstructed series of real deaths, mixed into a seeded background of the same area, for
``vigil evaluate scenario NAME`` (which replays the mix as ``vigil replay`` does).

Each scenario is a JSON Lines file of the interchange format in ``scenarios/`` (sources and
what was invented: ``scenarios/SOURCES.md``); every case carries its true ``series``, which the
engine never reads. The background (``background.py``) covers the area at its real rate and
ends a month after the scenario's last fact, so that every fact of the series is replayed among
deaths before and after it. Nothing in the engine is tuned on these files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from vigil.evaluation import background
from vigil.interchange.record import CaseRecord

DIRECTORY = Path(__file__).with_name("scenarios")


@dataclass(frozen=True)
class Scenario:
    name: str
    region: str  # a key of background.REGIONS
    summary: str


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            "barking",
            "east-london",
            "Barking 2014-15: four young men dead of GHB within about 600 m; the caller of the "
            "first is the second's landlord; a note with the third names the second; the fourth "
            "a year later 25 m away, phone missing. The third's finder is not the second's.",
        ),
        Scenario(
            "ipswich",
            "suffolk",
            "Ipswich, December 2006: five women found in ten days in brooks and woodland around "
            "Ipswich; no person recorded on two cases.",
        ),
        Scenario(
            "stepping-hill",
            "stockport",
            "Stepping Hill Hospital, Stockport, July 2011: three in-patients on two wards die of "
            "hypoglycaemia, insulin found later; no person or identifier shared.",
        ),
    )
}


class ScenarioError(ValueError):
    """An unknown scenario, a bad background size, or a scenario file that does not parse."""


def _scenario(name: str) -> Scenario:
    if name not in SCENARIOS:
        raise ScenarioError(f"scenario: no scenario '{name}'; there are: {', '.join(SCENARIOS)}")
    return SCENARIOS[name]


def load(name: str) -> list[CaseRecord]:
    """The scenario's cases (a line that is not a valid record is refused, naming it)."""
    path = DIRECTORY / f"{_scenario(name).name}.jsonl"
    records: list[CaseRecord] = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text.strip():
            try:
                records.append(CaseRecord.model_validate_json(text))
            except ValidationError as exc:
                raise ScenarioError(f"{path.name} line {number}: {exc}") from None
    return records


def _times(record: CaseRecord) -> list[datetime]:
    first = record.known_at or record.report.found_at or record.report.reported_at
    times = [t for t in (first,) if t is not None]
    times += [u.known_at for u in record.updates]
    times += [p.known_at for p in record.persons if p.known_at]
    return times


def backdrop(name: str, count: int, seed: int) -> list[CaseRecord]:
    """``count`` background deaths of the scenario's area, without the scenario: they end 30
    days after the scenario's last fact and begin as long before as the area's rate needs (at
    least 60 days before the scenario's first)."""
    if count < 0:
        raise ScenarioError("background: must be 0 or more")
    scenario = _scenario(name)
    times = [t for r in load(name) for t in _times(r)]
    end = max(times) + timedelta(days=30)
    span = (end - min(times)).days + 60
    region = background.REGIONS[scenario.region]
    return background.generate(
        region, count, seed, end=end, min_days=span, taken_phones=_phones(name)
    )


def _phones(name: str) -> list[str]:
    """Every phone number written anywhere in the scenario's file (identifiers and free text):
    the background's people never get one of them, as each number is one person's."""
    text = (DIRECTORY / f"{_scenario(name).name}.jsonl").read_text(encoding="utf-8")
    return re.findall(r"(?:\+44 ?|0)\d[\d ]{8,12}\d", text)


def mixed(name: str, count: int, seed: int) -> list[CaseRecord]:
    """The scenario's cases among ``count`` background deaths of its area (``backdrop``), in
    the order they were first known."""
    noise = backdrop(name, count, seed)
    records = load(name)
    last = max(t for r in records for t in _times(r))
    return sorted([*records, *noise], key=lambda r: (r.known_at or last, r.reference))


def summary(name: str, count: int, seed: int, replayed: dict[str, Any]) -> dict[str, Any]:
    """What ``vigil evaluate scenario`` prints: the replay's report with the scenario named."""
    return {
        "scenario": name,
        "summary": _scenario(name).summary,
        "region": _scenario(name).region,
        "background": count,
        "seed": seed,
        **replayed,
    }
