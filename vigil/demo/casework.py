"""A case being drafted by the generator: its people, liaison, referrals and decisions (exhibits
and actions are made by ``evidence``), turned into an interchange record by ``build``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from random import Random

from vigil.demo import floor
from vigil.demo.people import People, Person
from vigil.demo.places import Borough
from vigil.demo.users import Staff
from vigil.domain.enums import (
    Category,
    LiaisonMethod,
    ReferralState,
    Role,
)
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
from vigil.interchange.record import CaseRecord, ReportUpdate

# Overrides of the floor are a reviewing officer's: the demo's is the log-in 'sergeant'.
OVERRIDER = "sergeant"
DEFAULT_ANSWER = "Answered in person by the family liaison officer."
# What a person planned to reappear says when the scenario has no part written for them.
_WALK_ON = {
    Role.CALLER: "Called 999 after seeing the body.",
    Role.FRIEND: "Knew the deceased from nights out; saw them in the week before.",
    Role.WITNESS: "Saw the deceased earlier that evening.",
}


class Draft:
    """Accumulates one case; ``build`` turns it into an interchange record."""

    def __init__(
        self,
        rng: Random,
        staff: Staff,
        people: People,
        borough: Borough,
        reference: str,
        reported_at: datetime,
        recurring: Sequence[tuple[Person, Role]] = (),
        gaps: frozenset[str] = frozenset(),
        *,
        ghb: bool = False,
    ) -> None:
        self.rng = rng
        self.staff = staff
        self.people = people
        self.borough = borough
        self.reference = reference
        self.reported_at = reported_at
        self.recurring = tuple(recurring)
        self.gaps = gaps
        self.ghb = ghb  # one of the demo's series of GHB deaths (generate.GHB_SERIES)
        self.recorded_by = self.constable()
        self.persons: list[PersonEntry] = []
        self.liaison: list[LiaisonEntry] = []
        self.exhibits: list[Exhibit] = []
        self.actions: list[Action] = []
        self.referrals: list[Referral] = []
        self.decisions: list[CategoryDecision] = []
        self.updates: list[ReportUpdate] = []
        self._closing: list[tuple[Category, str, datetime, str]] = []
        self._people: dict[str, Person] = {}
        self.initials = "".join(rng.choice("ABCDEFGHJKLMNPRSTW") for _ in range(2))

    def gap(self, name: str) -> bool:
        """Whether this case leaves that part of the checklist undone (see diligence.GAPS)."""
        return name in self.gaps

    @property
    def asks_ghb(self) -> bool:
        return not self.gap("ghb")

    # Who does the work.
    def constable(self) -> str:
        return "officer" if self.rng.random() < 0.3 else self.rng.choice(self.staff.constables)

    def reviewer(self) -> str:
        return "sergeant" if self.rng.random() < 0.7 else self.rng.choice(self.staff.inspectors)

    def detective(self) -> str:
        return "investigator" if self.rng.random() < 0.6 else self.rng.choice(self.staff.detectives)

    def after(self, at: datetime, low_minutes: float, high_minutes: float) -> datetime:
        """A time between the bounds, to the second, as officers write times."""
        minutes = low_minutes + (high_minutes - low_minutes) * self.rng.random()
        return at + timedelta(seconds=round(minutes * 60))

    def days_after(self, at: datetime, low_days: float, high_days: float) -> datetime:
        return self.after(at, low_days * 1440, high_days * 1440)

    # People.
    def add(
        self,
        person: Person,
        *roles: Role,
        statement: str | None = None,
        known_at: datetime | None = None,
    ) -> Person:
        self.persons.append(
            person.entry(self.rng, tuple(roles), statement=statement, known_at=known_at)
        )
        self._people[person.ref] = person
        return person

    def add_unused_recurring(self) -> None:
        """Put on the case every planned reappearance the scenario found no part for."""
        for person, role in self.recurring:
            if person.ref not in self._people:
                self.add(person, role, statement=_WALK_ON[role])

    def person(self, ref: str) -> Person:
        return self._people[ref]

    def next_of_kin_refs(self) -> list[str]:
        return [p.ref for p in self.persons if Role.NEXT_OF_KIN in p.roles]

    def recurring_in(self, *roles: Role) -> Person | None:
        """A person planned to reappear on this case in one of ``roles``, if any."""
        for person, role in self.recurring:
            if role in roles and person.ref not in self._people:
                return person
        return None

    # Liaison.
    def liaise(
        self,
        person: Person,
        at: datetime,
        summary: str,
        concerns: Sequence[tuple[str, str | None]] = (),
        method: LiaisonMethod | None = None,
    ) -> None:
        """``concerns`` are (text, answer or None if never answered)."""
        made = tuple(
            Concern(
                text=text,
                answer=answer,
                answered_by=self.detective() if answer else None,
                answered_at=self.days_after(at, 0.2, 2) if answer else None,
            )
            for text, answer in (
                (text, answer if answer or self.gap("concerns") else DEFAULT_ANSWER)
                for text, answer in concerns
            )
        )
        method = method or self.rng.choice((LiaisonMethod.IN_PERSON, LiaisonMethod.PHONE))
        self.liaison.append(
            LiaisonEntry(
                person_ref=person.ref,
                at=at,
                method=method,
                officer=self.detective(),
                summary=summary,
                concerns=made,
            )
        )

    # Referrals, decisions and later facts.
    def refer(
        self,
        to_team: str,
        reason: str,
        made_at: datetime,
        answer_reason: str,
        *,
        declined: bool = False,
        may_go_unanswered: bool = False,
    ) -> None:
        """A referral, answered within a day, unless the case leaves it unanswered."""
        answered = not (may_go_unanswered and self.gap("referral"))
        state = ReferralState.DECLINED if declined else ReferralState.ACCEPTED
        state = state if answered else ReferralState.PENDING
        self.referrals.append(
            Referral(
                ref=f"R{len(self.referrals) + 1}",
                to_team=to_team,
                made_at=made_at,
                made_by=self.reviewer(),
                reason=reason,
                state=state,
                answered_by=f"DI {self.rng.randint(100, 999)}" if answered else None,
                answered_at=self.after(made_at, 30, 1200) if answered else None,
                answer_reason=answer_reason if answered else None,
            )
        )

    def decide(self, category: Category, rationale: str, at: datetime) -> None:
        self.decisions.append(
            CategoryDecision(
                category=category, rationale=rationale, decided_by=self.reviewer(), decided_at=at
            )
        )

    def close(
        self,
        rationale: str,
        at: datetime,
        override_reason: str,
        category: Category = Category.UNEXPECTED_NOT_SUSPICIOUS,
    ) -> None:
        """A decision that may fall below the floor: ``build`` adds the reviewing officer's
        override (with ``override_reason``) if the facts known at ``at`` require one."""
        self._closing.append((category, rationale, at, override_reason))

    def update(self, at: datetime, report: DeathReport, by: str | None = None) -> None:
        self.updates.append(
            ReportUpdate(known_at=at, recorded_by=by or self.detective(), report=report)
        )

    def _closed(self, report: DeathReport) -> list[CategoryDecision]:
        made = []
        for category, rationale, at, reason in self._closing:
            below = floor.below(floor.known_by(report, self.updates, at), category, at)
            made.append(
                CategoryDecision(
                    category=category,
                    rationale=rationale,
                    decided_by=self.reviewer(),
                    decided_at=at,
                    override_by=OVERRIDER if below else None,
                    override_reason=reason if below else None,
                )
            )
        return made

    def build(self, report: DeathReport) -> CaseRecord:
        decisions = sorted([*self.decisions, *self._closed(report)], key=lambda d: d.decided_at)
        return CaseRecord(
            reference=self.reference,
            known_at=self.reported_at,
            recorded_by=self.recorded_by,
            report=report,
            updates=tuple(sorted(self.updates, key=lambda u: u.known_at)),
            persons=tuple(self.persons),
            liaison=tuple(self.liaison),
            exhibits=tuple(self.exhibits),
            actions=tuple(self.actions),
            referrals=tuple(self.referrals),
            decisions=tuple(decisions),
        )
