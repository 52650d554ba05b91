"""A case being drafted by the generator: its people, liaison, exhibits, actions and decisions.

Every chain the domain checks is built valid: custody starts with a seizure and passes from
hand to hand forward in time; an action moves one step at a time and has an owner once it is
allocated. Custody hashes are left empty: the service seals the chain on import.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from random import Random

from vigil.demo.people import People, Person
from vigil.demo.places import Borough
from vigil.demo.users import Staff
from vigil.domain.enums import (
    ACTION_ORDER,
    ActionState,
    Category,
    CustodyEventKind,
    ExhibitKind,
    LiaisonMethod,
    ReferralState,
    Role,
)
from vigil.domain.investigation import (
    Action,
    ActionStep,
    CategoryDecision,
    Concern,
    CustodyEvent,
    Exhibit,
    LiaisonEntry,
    Referral,
)
from vigil.domain.people import PersonEntry
from vigil.domain.report import DeathReport
from vigil.interchange.record import CaseRecord, ReportUpdate

LAB = "Forensic laboratory"
# The kinds of action the generator raises (for the policy pack's action kinds to match).
ACTION_KINDS = (
    "gp_contact",
    "post_mortem",
    "intelligence_check",
    "cctv_trawl",
    "house_to_house",
    "phone_enquiry",
    "handwriting_examination",
    "pattern_analysis",
)
# How far an action got (raised ... filed), by weight.
_REACH_WEIGHTS = (10, 20, 15, 25, 30)
# What a person planned to reappear says when the scenario has no part written for them.
_WALK_ON = {
    Role.CALLER: "Called 999 after seeing the body.",
    Role.FRIEND: "Knew the deceased from nights out; saw them in the week before.",
    Role.WITNESS: "Saw the deceased earlier that evening.",
}


def later(rng: Random, at: datetime, low_minutes: float, high_minutes: float) -> datetime:
    """A time between the bounds, to the second, as officers write times."""
    minutes = low_minutes + (high_minutes - low_minutes) * rng.random()
    return at + timedelta(seconds=round(minutes * 60))


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
    ) -> None:
        self.rng = rng
        self.staff = staff
        self.people = people
        self.borough = borough
        self.reference = reference
        self.reported_at = reported_at
        self.recurring = tuple(recurring)
        self.recorded_by = self.constable()
        self.persons: list[PersonEntry] = []
        self.liaison: list[LiaisonEntry] = []
        self.exhibits: list[Exhibit] = []
        self.actions: list[Action] = []
        self.referrals: list[Referral] = []
        self.decisions: list[CategoryDecision] = []
        self.updates: list[ReportUpdate] = []
        self._used: set[str] = set()
        self._initials = "".join(rng.choice("ABCDEFGHJKLMNPRSTW") for _ in range(2))

    # Who does the work.
    def constable(self) -> str:
        return "officer" if self.rng.random() < 0.3 else self.rng.choice(self.staff.constables)

    def reviewer(self) -> str:
        return "sergeant" if self.rng.random() < 0.7 else self.rng.choice(self.staff.inspectors)

    def detective(self) -> str:
        return "investigator" if self.rng.random() < 0.6 else self.rng.choice(self.staff.detectives)

    def after(self, at: datetime, low_minutes: float, high_minutes: float) -> datetime:
        return later(self.rng, at, low_minutes, high_minutes)

    def days_after(self, at: datetime, low_days: float, high_days: float) -> datetime:
        return later(self.rng, at, low_days * 1440, high_days * 1440)

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
        self._used.add(person.ref)
        return person

    def add_unused_recurring(self) -> None:
        """Put on the case every planned reappearance the scenario found no part for."""
        for person, role in self.recurring:
            if person.ref not in self._used:
                self.add(person, role, statement=_WALK_ON[role])

    def recurring_in(self, *roles: Role) -> Person | None:
        """A person planned to reappear on this case in one of ``roles``, if any."""
        for person, role in self.recurring:
            if role in roles and person.ref not in self._used:
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
                answered_at=self.days_after(at, 1, 21) if answer else None,
            )
            for text, answer in concerns
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

    # Exhibits and custody.
    def exhibit(
        self,
        kind: ExhibitKind,
        description: str,
        seized_at: datetime,
        *,
        where_found: str | None = None,
        examinations: tuple[str, ...] = (),
        returned: bool = False,
    ) -> Exhibit:
        """Seized, booked into the store, perhaps sent to the lab (and back): each move starts
        with whoever had the exhibit last, and time only runs forward."""
        seizer = self.constable()
        store = f"Property store, {self.borough.station}"
        # (kind, to whom, by whom, minutes after the previous move: low, high)
        moves = [
            (CustodyEventKind.SEIZED, seizer, seizer, 0, 0),
            (CustodyEventKind.BOOKED_IN, store, seizer, 30, 360),
        ]
        if examinations:
            moves.append(
                (CustodyEventKind.SENT_FOR_EXAMINATION, LAB, self.detective(), 1440, 14400)
            )
            if returned:
                by = self.rng.choice(self.staff.constables)
                moves.append((CustodyEventKind.RETURNED, store, by, 10080, 57600))
        chain: list[CustodyEvent] = []
        holder, at = "Scene", seized_at
        for move, to_holder, by, low, high in moves:
            at = self.after(at, low, high)
            sent = move is CustodyEventKind.SENT_FOR_EXAMINATION
            chain.append(
                CustodyEvent(
                    kind=move,
                    at=at,
                    from_holder=holder,
                    to_holder=to_holder,
                    by=by,
                    examinations=examinations if sent else (),
                )
            )
            holder = to_holder
        made = Exhibit(
            ref=f"{self._initials}/{len(self.exhibits) + 1}",
            description=description,
            kind=kind,
            where_found=where_found,
            packaging=self.rng.choice(("Paper sack", "Plastic exhibit bag", "Tamper-evident bag")),
            seal_number=f"S{self.rng.randint(100000, 999999)}",
            custody=tuple(chain),
        )
        self.exhibits.append(made)
        return made

    # Actions.
    def reach(self, open_share: float = 1.0) -> ActionState:
        """How far an action got: mostly filed; ``open_share`` < 1 leaves fewer open."""
        if self.rng.random() > open_share:
            return ActionState.FILED
        return self.rng.choices(ACTION_ORDER, weights=_REACH_WEIGHTS)[0]

    def action(
        self,
        kind: str,
        title: str,
        raised_at: datetime,
        reach: ActionState,
        *,
        subject: Person | None = None,
        result: str = "Done; nothing further.",
        owner: str | None = None,
    ) -> None:
        assert kind in ACTION_KINDS, kind
        owner = owner or self.detective()
        steps = [ActionStep(state=ActionState.RAISED, at=raised_at, by=self.reviewer())]
        at = raised_at
        for state in ACTION_ORDER[1 : ACTION_ORDER.index(reach) + 1]:
            at = self.after(at, 30, 60 * 24 * 4)
            by = self.reviewer() if state in (ActionState.ALLOCATED, ActionState.FILED) else owner
            steps.append(ActionStep(state=state, at=at, by=by))
        allocated = reach is not ActionState.RAISED
        resulted = ACTION_ORDER.index(reach) >= ACTION_ORDER.index(ActionState.RESULTED)
        self.actions.append(
            Action(
                ref=f"A{len(self.actions) + 1}",
                kind=kind,
                title=title,
                subject=subject.ref if subject else None,
                owner=owner if allocated else None,
                deadline=self.days_after(steps[1].at, 2, 14) if allocated else None,
                result=result if resulted else None,
                history=tuple(steps),
            )
        )

    # Referrals, decisions and later facts.
    def refer(
        self,
        to_team: str,
        reason: str,
        made_at: datetime,
        state: ReferralState = ReferralState.PENDING,
        answer_reason: str = "",
    ) -> None:
        answered = state is not ReferralState.PENDING
        self.referrals.append(
            Referral(
                ref=f"R{len(self.referrals) + 1}",
                to_team=to_team,
                made_at=made_at,
                made_by=self.reviewer(),
                reason=reason,
                state=state,
                answered_by=f"DI {self.rng.randint(100, 999)}" if answered else None,
                answered_at=self.days_after(made_at, 0.2, 6) if answered else None,
                answer_reason=answer_reason if answered else None,
            )
        )

    def decide(self, category: Category, rationale: str, at: datetime) -> None:
        self.decisions.append(
            CategoryDecision(
                category=category, rationale=rationale, decided_by=self.reviewer(), decided_at=at
            )
        )

    def update(self, at: datetime, report: DeathReport, by: str | None = None) -> None:
        self.updates.append(
            ReportUpdate(known_at=at, recorded_by=by or self.detective(), report=report)
        )

    def build(self, report: DeathReport) -> CaseRecord:
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
            decisions=tuple(self.decisions),
        )
