"""A case as policy and linkage see it: the report plus everything recorded around it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from vigil.domain.enums import Role, UserRole
from vigil.domain.facts import Fact, fold, report_from_values
from vigil.domain.investigation import (
    Action,
    CategoryDecision,
    Concern,
    Exhibit,
    LiaisonEntry,
    Referral,
)
from vigil.domain.people import PersonEntry
from vigil.domain.report import DeathReport


@dataclass(frozen=True)
class SeriesMembership:
    """That the case is in a confirmed series, as the whole store holds it (never the other
    cases: readers are told of those through vigil.services.linkage.series, as they may see
    them)."""

    confirmed_at: datetime  # the latest confirmation in force that holds the series together


@dataclass(frozen=True)
class CaseView:
    reference: str
    report: DeathReport
    version: int = 1
    opened_at: datetime | None = None
    persons: tuple[PersonEntry, ...] = ()
    liaison: tuple[LiaisonEntry, ...] = ()
    exhibits: tuple[Exhibit, ...] = ()
    actions: tuple[Action, ...] = ()
    referrals: tuple[Referral, ...] = ()
    decisions: tuple[CategoryDecision, ...] = ()
    facts: tuple[Fact, ...] = field(default=(), repr=False)
    # The role of each user who made or signed off a decision (the policy's ``signed_off``).
    roles: Mapping[str, UserRole] = field(default_factory=dict, repr=False)
    # The confirmed series the case is in, if any (the policy's ``{series: confirmed}``).
    series: SeriesMembership | None = None
    # When the case was first put before the independent advisory panel (the policy's
    # ``panel_referred``), if it has been.
    panel_referred_at: datetime | None = None
    # The day the oldest family concern from the public portal naming the case, still waiting
    # for an answer, was received (the policy's ``portal_concern_unanswered``).
    portal_concern_since: datetime | None = None

    @property
    def decision(self) -> CategoryDecision | None:
        """The category decision in force: the latest one."""
        return max(self.decisions, key=lambda d: d.decided_at) if self.decisions else None

    def persons_in(self, roles: frozenset[Role]) -> tuple[PersonEntry, ...]:
        return tuple(p for p in self.persons if roles.intersection(p.roles))


def _known(at: datetime | None, when: datetime) -> bool:
    return at is None or at <= when


def as_of(case: CaseView, when: datetime) -> CaseView:
    """The case as it stood at ``when``: facts, persons, contacts, custody, action steps,
    referrals' answers and decisions known by then."""
    values = fold(case.facts, when)
    liaison = tuple(
        e.model_copy(
            update={
                "concerns": tuple(
                    c if _known(c.answered_at, when) else Concern(text=c.text) for c in e.concerns
                )
            }
        )
        for e in case.liaison
        if e.at <= when
    )
    exhibits = tuple(
        x.model_copy(update={"custody": tuple(ev for ev in x.custody if ev.at <= when)})
        for x in case.exhibits
        if any(ev.at <= when for ev in x.custody)
    )
    actions = tuple(
        a.model_copy(update={"history": tuple(s for s in a.history if s.at <= when)})
        for a in case.actions
        if a.history[0].at <= when
    )
    referrals = tuple(
        r
        if _known(r.answered_at, when)
        else Referral(
            ref=r.ref, to_team=r.to_team, made_at=r.made_at, made_by=r.made_by, reason=r.reason
        )
        for r in case.referrals
        if r.made_at <= when
    )
    return replace(
        case,
        report=report_from_values(values),
        persons=tuple(p for p in case.persons if _known(p.known_at, when)),
        liaison=liaison,
        exhibits=exhibits,
        actions=actions,
        referrals=referrals,
        decisions=tuple(d for d in case.decisions if d.decided_at <= when),
        facts=tuple(f for f in case.facts if f.known_at <= when),
    )
