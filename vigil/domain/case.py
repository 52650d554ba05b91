"""A case as policy and linkage see it: the report plus everything recorded around it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from vigil.domain.enums import Role
from vigil.domain.facts import Fact
from vigil.domain.investigation import (
    Action,
    CategoryDecision,
    Exhibit,
    LiaisonEntry,
    Referral,
)
from vigil.domain.people import PersonEntry
from vigil.domain.report import DeathReport


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

    @property
    def decision(self) -> CategoryDecision | None:
        """The category decision in force: the latest one."""
        return max(self.decisions, key=lambda d: d.decided_at) if self.decisions else None

    def persons_in(self, roles: frozenset[Role]) -> tuple[PersonEntry, ...]:
        return tuple(p for p in self.persons if roles.intersection(p.roles))
