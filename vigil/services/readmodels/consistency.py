"""The consistency dashboard: the same standard in every command unit.

For a period (cases reported from ``start`` to before ``end``), per command unit, the figures
the advisory group asked to compare, each a count of deaths (or of referrals, concerns, alerts)
that met a standard out of those it applies to:

- categorised within the deadline (the pack's ``category_decided`` deadline from the report);
- a sergeant or above attended;
- toxicology with GHB requested (deaths not categorised as expected);
- family told, as the pack defines family (no ``next_of_kin_told`` / ``family_told`` item unmet);
- concerns answered within the pack's ``concern_answered`` deadline;
- referrals answered within the pack's ``referral_answered`` deadline (24 hours by default);
- categorised below the floor (a supervisor's override): a share to watch, not a target;
- alerts answered, and the median hours to the first answer.

Each share is set against every unit's in a funnel plot (``vigil.oversight.funnel``), so a unit
that differs by chance is not blamed. Only deaths are counted (not other kinds of record).

Masking: the figures are counts per unit, with no reference, person or place in them, so the
panel (``view_oversight`` without ``see_identities``) reads the same figures as a supervisor.
Need-to-know holds as everywhere: a restricted case the reader may not see is not counted.
Reading the dashboard is audited as one consultation.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.oversight.funnel import Count, Funnel, funnel
from vigil.policy import PolicyPack
from vigil.records import models as m
from vigil.services.access.rules import require, visible_cases
from vigil.services.casework.policy import current_pack

NO_UNIT = "(no unit)"
FAMILY_RULES = ("next_of_kin_told", "family_told")


@dataclass(frozen=True)
class Indicator:
    key: str
    title: str
    counts_what: str  # what the denominator counts, in words
    higher_is_better: bool = True


INDICATORS = (
    Indicator("categorised_in_time", "Categorised within the deadline", "deaths"),
    Indicator("sergeant_attended", "A sergeant or above attended", "deaths"),
    Indicator("ghb_toxicology", "Toxicology with GHB requested", "deaths not expected"),
    Indicator("family_told", "Family told", "deaths"),
    Indicator("concerns_in_time", "Concerns answered in time", "concerns raised"),
    Indicator("referrals_in_time", "Referrals answered in time", "referrals made"),
    Indicator("overrides", "Categorised below the floor", "deaths", higher_is_better=False),
    Indicator("alerts_answered", "Alerts answered", "alerts raised"),
)


@dataclass
class UnitFigures:
    """One unit's counts: ``met[key]`` of ``of[key]``."""

    unit: str
    name: str
    deaths: int = 0
    met: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    of: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    hours_to_answer: list[float] = field(default_factory=list)

    @property
    def median_hours_to_answer(self) -> float | None:
        return statistics.median(self.hours_to_answer) if self.hours_to_answer else None


@dataclass(frozen=True)
class _Death:
    pk: int
    unit: str
    reported_at: datetime
    category: str
    state: dict[str, Any]


@dataclass(frozen=True)
class Consistency:
    start: datetime
    end: datetime
    units: tuple[UnitFigures, ...]
    funnels: dict[str, Funnel | None]  # None: no unit had any to count


def consistency(actor: Actor, start: datetime, end: datetime, *, face: str) -> Consistency:
    """The figures for cases reported in [start, end), per unit, with a funnel per indicator."""
    require(actor, Permission.VIEW_OVERSIGHT)
    pack = current_pack()
    rows = (
        visible_cases(actor)
        .filter(kind="death", reported_at__gte=start, reported_at__lt=end)
        .values_list("pk", "unit_id", "reported_at", "category", "state")
    )
    cases = [
        _Death(pk, str(unit or NO_UNIT), at, category, state if isinstance(state, dict) else {})
        for pk, unit, at, category, state in rows
        if at is not None
    ]
    names = dict(m.Unit.objects.values_list("code", "name"))
    figures: dict[str, UnitFigures] = {}
    unit_of: dict[int, UnitFigures] = {}
    for case in cases:
        name = names.get(case.unit, "No unit recorded")
        unit = figures.setdefault(case.unit, UnitFigures(case.unit, name))
        unit.deaths += 1
        unit_of[case.pk] = unit
        _from_report(unit, case)
    ids = list(unit_of)
    _categorised(unit_of, cases, _deadline(pack, "category_decided", timedelta(hours=24)))
    _family(unit_of, ids)
    _concerns(unit_of, ids, _deadline(pack, "concern_answered", timedelta(hours=48)))
    _referrals(unit_of, ids, _deadline(pack, "referral_answered", timedelta(hours=24)))
    _alerts(unit_of, ids)
    units = tuple(sorted(figures.values(), key=lambda u: (u.unit == NO_UNIT, u.name)))
    funnels = {i.key: _funnel(units, i.key) for i in INDICATORS}
    with transaction.atomic():
        payload = {"face": face, "count": len(cases)}
        audit.record(actor.username, Event.CONSISTENCY_READ, "units", "all", payload)
    return Consistency(start, end, units, funnels)


def _deadline(pack: PolicyPack, rule_id: str, default: timedelta) -> timedelta:
    for rule in pack.checklist:
        if rule.id == rule_id and rule.deadline is not None:
            return rule.deadline
    return default


def _from_report(unit: UnitFigures, case: _Death) -> None:
    attendance = case.state.get("attendance") or {}
    toxicology = case.state.get("toxicology") or {}
    unit.of["sergeant_attended"] += 1
    unit.met["sergeant_attended"] += attendance.get("sergeant_or_above") is True
    if case.category != "expected":
        unit.of["ghb_toxicology"] += 1
        unit.met["ghb_toxicology"] += toxicology.get("includes_ghb") is True


def _categorised(units: dict[int, UnitFigures], cases: list[_Death], allowed: timedelta) -> None:
    first: dict[int, datetime] = {}
    for case_id, at in (
        m.CategoryDecision.objects.filter(case_id__in=list(units))
        .order_by("decided_at")
        .values_list("case_id", "decided_at")
    ):
        first.setdefault(case_id, at)
    for case in cases:
        unit = units[case.pk]
        unit.of["categorised_in_time"] += 1
        decided = first.get(case.pk)
        on_time = decided is not None and decided <= case.reported_at + allowed
        unit.met["categorised_in_time"] += on_time
        unit.of["overrides"] += 1
    overridden = (
        m.CategoryDecision.objects.filter(case_id__in=list(units))
        .exclude(override_by="")
        .values_list("case_id", flat=True)
        .distinct()
    )
    for case_id in overridden:
        units[case_id].met["overrides"] += 1


def _family(units: dict[int, UnitFigures], ids: list[int]) -> None:
    untold = set(
        m.ChecklistItem.objects.filter(case_id__in=ids, rule_id__in=FAMILY_RULES).values_list(
            "case_id", flat=True
        )
    )
    for case_id, unit in units.items():
        unit.of["family_told"] += 1
        unit.met["family_told"] += case_id not in untold


def _concerns(units: dict[int, UnitFigures], ids: list[int], allowed: timedelta) -> None:
    rows = m.Concern.objects.filter(entry__case_id__in=ids).values_list(
        "entry__case_id", "entry__at", "answered_at"
    )
    for case_id, raised, answered in rows:
        units[case_id].of["concerns_in_time"] += 1
        units[case_id].met["concerns_in_time"] += bool(answered and answered <= raised + allowed)


def _referrals(units: dict[int, UnitFigures], ids: list[int], allowed: timedelta) -> None:
    rows = m.Referral.objects.filter(case_id__in=ids).values_list(
        "case_id", "made_at", "answered_at"
    )
    for case_id, made, answered in rows:
        units[case_id].of["referrals_in_time"] += 1
        units[case_id].met["referrals_in_time"] += bool(answered and answered <= made + allowed)


def _alerts(units: dict[int, UnitFigures], ids: list[int]) -> None:
    """Each alert counts once, for the unit of its later case (the one whose arrival raised
    it) when both are counted, else for the one that is."""
    alerts = m.Alert.objects.filter(link__case_b_id__in=ids).values_list(
        "link_id", "link__case_b_id", "raised_at", "answered"
    )
    answers: dict[int, datetime] = {}
    link_ids = [row[0] for row in alerts]
    for link_id, at in (
        m.Judgement.objects.filter(link_id__in=link_ids).order_by("at").values_list("link_id", "at")
    ):
        answers.setdefault(link_id, at)
    for link_id, case_id, raised, answered in alerts:
        unit = units[case_id]
        unit.of["alerts_answered"] += 1
        unit.met["alerts_answered"] += bool(answered)
        if link_id in answers:
            unit.hours_to_answer.append((answers[link_id] - raised).total_seconds() / 3600)


def _funnel(units: Iterable[UnitFigures], key: str) -> Funnel | None:
    counts = [Count(u.name, u.met[key], u.of[key]) for u in units]
    if not sum(c.denominator for c in counts):
        return None
    return funnel(counts)
