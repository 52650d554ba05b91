"""Clearance clusters on the store's own deaths: the Murder Accountability Project's rule
(``vigil.oversight.clearance``) applied to deaths grouped by command unit x the deceased's sex x
how the death was caused (``cause.mechanism``).

A death counts as **solved** when its investigation's outcome is ``charged``, as **unsolved**
when it is ``open`` or ``closed_no_charge``; a death whose outcome is ``no_crime``, or not
recorded, is left out of the groups (and counted as such, so the page can say how many). A
death with no mechanism recorded is grouped as 'not recorded'; one with no unit under '(no
unit)'. The year is the year the death was found (else reported).

Masking and need-to-know, as the consistency dashboard (``readmodels.consistency``): the groups
are counts per unit, with no reference, person or place finer than the unit in them, so the
panel (``view_oversight`` without ``see_identities``) reads the same figures as a supervisor;
the groups are computed over every death the reader may see, across all units, and a restricted
case the reader is not named on is not counted (a unit's small group would otherwise betray a
death that does not exist for them). Reading them is audited as one consultation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import Mechanism, Outcome, RecordKind
from vigil.oversight import clearance as rule
from vigil.records import models as m
from vigil.services.access.rules import require, visible_cases

NO_UNIT = "(no unit)"
NOT_RECORDED = "not recorded"
SOLVED = {Outcome.CHARGED.value: True, Outcome.OPEN.value: False}
SOLVED[Outcome.CLOSED_NO_CHARGE.value] = False


def mechanism_words(value: str) -> str:
    """'drug toxicity' for 'drug_toxicity'; 'not recorded' as it is."""
    try:
        return Mechanism(value).value.replace("_", " ")
    except ValueError:
        return value


@dataclass(frozen=True)
class StoreGroup(rule.Group):
    """One group of the store: deaths of one sex caused one way (``weapon``: the mechanism)
    in one command unit (``code``: the unit's code or NO_UNIT; ``area``: its name)."""

    @property
    def unit(self) -> str:
        return self.code

    @property
    def unit_name(self) -> str:
        return self.area

    @property
    def mechanism(self) -> str:
        return mechanism_words(self.weapon)

    def to_dict(self) -> dict[str, Any]:
        figures = {k: v for k, v in super().to_dict().items() if k not in ("area", "weapon")}
        return {"unit": self.code, "unit_name": self.area, "mechanism": self.mechanism, **figures}


@dataclass(frozen=True)
class StoreClearance:
    settings: rule.Settings
    groups: tuple[StoreGroup, ...]
    counted: int  # deaths with an outcome that counts (solved or unsolved), in the settings
    no_crime: int  # left out: the investigation found no crime
    not_recorded: int  # left out: no outcome recorded yet
    outlines: dict[str, tuple[str, str]]  # unit code -> (name, GeoJSON boundary), for a map

    def to_dict(self) -> dict[str, Any]:
        return {
            "groups": [g.to_dict() for g in self.groups],
            "counted": self.counted,
            "left_out": {"no_crime": self.no_crime, "not_recorded": self.not_recorded},
        }


def _year(found: Any, reported: Any) -> int | None:
    when = found or reported
    return None if when is None else int(when.year)


def store_clearance(actor: Actor, settings: rule.Settings, *, face: str) -> StoreClearance:
    """The groups at or below ``settings.max_clearance`` with at least ``min_victims``
    deaths, most unsolved first (``settings.geo`` does not apply: the area is the unit)."""
    require(actor, Permission.VIEW_OVERSIGHT)
    units = {
        code: (name, outline)
        for code, name, outline in m.Unit.objects.values_list("code", "name", "outline")
    }
    rows = (
        visible_cases(actor)
        .filter(kind=RecordKind.DEATH.value)
        .values_list("unit_id", "deceased_sex", "found_at", "reported_at", "state")
    )
    victims: list[rule.Victim] = []
    no_crime = not_recorded = 0
    for unit, sex, found, reported, state in rows:
        year = _year(found, reported)
        state = state if isinstance(state, dict) else {}
        sex = (sex or "unknown").lower()
        if year is None or not settings.admits(year, sex):
            continue
        outcome = (state.get("investigation") or {}).get("outcome")
        if outcome == Outcome.NO_CRIME.value:
            no_crime += 1
            continue
        if outcome not in SOLVED:
            not_recorded += 1
            continue
        code = str(unit or NO_UNIT)
        mechanism = (state.get("cause") or {}).get("mechanism") or NOT_RECORDED
        name = units[code][0] if code in units else "No unit recorded"
        victims.append(rule.Victim(code, name, sex, mechanism, year, SOLVED[outcome]))
    groups = tuple(StoreGroup(**asdict(g)) for g in rule.groups(victims, settings))
    with transaction.atomic():
        payload = {"face": face, "count": len(victims), "groups": len(groups)}
        audit.record(actor.username, Event.CLEARANCE_READ, "units", "all", payload)
    return StoreClearance(settings, groups, len(victims), no_crime, not_recorded, units)
