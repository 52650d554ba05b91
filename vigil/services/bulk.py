"""The fast path for importing cases new to the store.

Every check a use case makes (custody chains, action lifecycles, persons named, the category
floor) is made in memory first; then a whole batch of cases is written with a few bulk inserts
and one audit row per case (two for a restricted case), inside the caller's transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db.models import Model

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain import custody
from vigil.domain.actor import Actor
from vigil.domain.case import CaseView, as_of
from vigil.domain.enums import ActionState, UserRole
from vigil.domain.errors import DomainError
from vigil.domain.facts import Fact
from vigil.domain.investigation import Action, CustodyEvent, Exhibit, LiaisonEntry
from vigil.domain.lifecycle import check_transition
from vigil.interchange.record import CaseRecord
from vigil.interchange.view import record_view
from vigil.linkage import profile as linkprofile
from vigil.policy import Evaluation, check_decision, evaluate
from vigil.records import models as m
from vigil.records.mapping import checklist_rows, custody_row, decision_row
from vigil.services.errors import Invalid
from vigil.services.linking import rarity_for, substances_of
from vigil.services.policy import current_pack
from vigil.services.restriction import restrict
from vigil.services.unit import project
from vigil.services.writers.facts import fact_rows


@dataclass(frozen=True)
class Planned:
    """A new case, checked and evaluated, ready to write."""

    view: CaseView
    recorded_by: str
    facts: list[Fact]
    evaluation: Evaluation
    counts: dict[str, int]
    named: tuple[str, ...] = ()
    """For a restricted case, the users to name on it (the importer among them); else empty."""


def _sealed(index: int, exhibit: Exhibit) -> Exhibit:
    chain: list[CustodyEvent] = []
    for number, event in enumerate(exhibit.custody):
        try:
            chain.append(custody.append(chain, event))
        except DomainError as exc:
            field = exc.field.replace("custody.", f"custody.{number}.", 1)
            raise Invalid(f"exhibits.{index}.{field}", exc.reason) from None
    return exhibit.model_copy(update={"custody": tuple(chain)})


def _check_action(index: int, action: Action, persons: set[str]) -> None:
    if action.subject and action.subject not in persons:
        raise Invalid(
            f"actions.{index}.subject", f"'{action.subject}' is not a person on this case"
        )
    if action.history[0].state is not ActionState.RAISED:
        raise Invalid(f"actions.{index}.history.0.state", "an action starts as raised")
    for number, (before, after) in enumerate(
        zip(action.history, action.history[1:], strict=False), start=1
    ):
        try:
            check_transition(before.state, after.state, owner=action.owner)
        except DomainError as exc:
            raise Invalid(f"actions.{index}.history.{number}.{exc.field}", exc.reason) from None


def plan(
    record: CaseRecord,
    now: datetime,
    role_of: Callable[[str], UserRole | None],
    named: Sequence[str] = (),
) -> Planned:
    """Check and evaluate a new case entirely in memory; Invalid names the field at fault.
    ``named``: for a record with ``restricted_to``, the users to name on the case, as checked
    by ``restriction.users_to_name`` (a restricted record is never planned as an open case)."""
    if record.restricted_to and not named:
        raise Invalid("restricted_to", "the users to name on a restricted case were not checked")
    full, facts = record_view(record, now)
    refs = {p.ref for p in full.persons}
    for index, entry in enumerate(record.liaison):
        if entry.person_ref not in refs:
            raise Invalid(
                f"liaison.{index}.person_ref", f"'{entry.person_ref}' is not a person on this case"
            )
    for index, action in enumerate(record.actions):
        _check_action(index, action, refs)
    exhibits = tuple(_sealed(i, x) for i, x in enumerate(record.exhibits))
    view = replace(full, exhibits=exhibits, decisions=())
    pack = current_pack()
    for index, decision in sorted(enumerate(record.decisions), key=lambda d: d[1].decided_at):
        override_role = role_of(decision.override_by) if decision.override_by else None
        if decision.override_by and override_role is None:
            raise Invalid(
                f"decisions.{index}.override_by", f"'{decision.override_by}' is not a Vigil user"
            )
        try:
            check_decision(
                pack,
                as_of(view, min(decision.decided_at, now)),
                decision.category,
                override_by_role=override_role,
                override_reason=decision.override_reason,
                now=decision.decided_at,
            )
        except DomainError as exc:
            raise Invalid(f"decisions.{index}.{exc.field}", exc.reason) from None
        view = replace(view, decisions=(*view.decisions, decision))
    counts = {
        name: len(getattr(record, name))
        for name in ("persons", "liaison", "exhibits", "actions", "referrals", "decisions")
    }
    evaluation = evaluate(pack, view, now)
    return Planned(view, record.recorded_by, facts, evaluation, counts, tuple(sorted(named)))


def _persons(planned: list[Planned]) -> dict[str, m.Person]:
    """The Person rows for every ref in the batch: found, updated if told more, or created."""
    entries = [p for plan_ in planned for p in plan_.view.persons]
    known = m.Person.objects.in_bulk({p.ref for p in entries}, field_name="ref")
    new: dict[str, m.Person] = {}
    changed: dict[str, m.Person] = {}
    for entry in entries:
        row = known.get(entry.ref) or new.get(entry.ref)
        if row is None:
            new[entry.ref] = m.Person(
                ref=entry.ref,
                name=entry.name or "",
                sex=entry.sex.value,
                date_of_birth=entry.date_of_birth,
            )
            continue
        for attr, value in (
            ("name", entry.name),
            ("date_of_birth", entry.date_of_birth),
            ("sex", None if entry.sex.value == "unknown" else entry.sex.value),
        ):
            if value and getattr(row, attr) != value:
                setattr(row, attr, value)
                if row.pk:
                    changed[entry.ref] = row
    m.Person.objects.bulk_create(new.values())
    if changed:
        m.Person.objects.bulk_update(changed.values(), ["name", "date_of_birth", "sex"])
    return {**known, **new}


def _per_case(case: m.Case, p: Planned, people: dict[str, m.Person], now: datetime) -> Rows:
    """The rows of one case that need no other new row's key."""
    view, by = p.view, p.recorded_by
    opened = view.opened_at or now
    rows = Rows()
    rows.flat[m.Fact] += fact_rows(case, p.facts, now)
    rows.flat[m.CaseSubstance] += [
        m.CaseSubstance(case=case, substance=s) for s in substances_of(case.profile["row"])
    ]
    for entry in view.persons:
        person = people[entry.ref]
        rows.flat[m.CasePerson].append(
            m.CasePerson(
                case=case,
                person=person,
                roles=[r.value for r in entry.roles],
                statement=entry.statement or "",
                known_at=entry.known_at or opened,
                recorded_by=by,
            )
        )
        unique = {(i.kind.value, i.normalised): i for i in reversed(entry.all_identifiers())}
        rows.flat[m.Identifier] += [
            m.Identifier(
                case=case,
                person=person,
                kind=kind,
                value=ident.value,
                normalised=normalised,
                known_at=entry.known_at or opened,
                recorded_by=by,
            )
            for (kind, normalised), ident in unique.items()
        ]
    rows.liaison += [
        (
            m.LiaisonEntry(
                case=case,
                person=people[e.person_ref],
                at=e.at,
                method=e.method.value,
                officer=e.officer,
                summary=e.summary,
                recorded_by=by,
            ),
            e,
        )
        for e in view.liaison
    ]
    rows.exhibits += [
        (
            m.Exhibit(
                case=case,
                ref=x.ref,
                description=x.description,
                kind=x.kind.value,
                where_found=x.where_found or "",
                packaging=x.packaging or "",
                seal_number=x.seal_number or "",
                recorded_by=by,
            ),
            x,
        )
        for x in view.exhibits
    ]
    rows.actions += [
        (
            m.Action(
                case=case,
                ref=a.ref,
                kind=a.kind,
                title=a.title,
                subject=people[a.subject] if a.subject else None,
                owner=a.owner or "",
                deadline=a.deadline,
                result=a.result or "",
                state=a.state.value,
            ),
            a,
        )
        for a in view.actions
    ]
    rows.flat[m.Referral] += [
        m.Referral(
            case=case,
            ref=r.ref,
            to_team=r.to_team,
            made_at=r.made_at,
            made_by=r.made_by,
            reason=r.reason,
            state=r.state.value,
            answered_by=r.answered_by or "",
            answered_at=r.answered_at,
            answer_reason=r.answer_reason or "",
        )
        for r in view.referrals
    ]
    rows.flat[m.CategoryDecision] += [decision_row(case, d) for d in view.decisions]
    rows.flat[m.ChecklistItem] += checklist_rows(case, p.evaluation)
    return rows


@dataclass
class Rows:
    """Rows to insert: those that can go at once, and parents whose children need their keys."""

    flat: dict[type[Model], list[Model]] = field(default_factory=lambda: defaultdict(list))
    liaison: list[tuple[m.LiaisonEntry, LiaisonEntry]] = field(default_factory=list)
    exhibits: list[tuple[m.Exhibit, Exhibit]] = field(default_factory=list)
    actions: list[tuple[m.Action, Action]] = field(default_factory=list)

    def extend(self, other: Rows) -> None:
        for model, rows in other.flat.items():
            self.flat[model] += rows
        self.liaison += other.liaison
        self.exhibits += other.exhibits
        self.actions += other.actions

    def children(self) -> None:
        """Once the parents are saved: concerns, custody events and action steps."""
        self.flat[m.Concern] += [
            m.Concern(
                entry=row,
                text=c.text,
                answer=c.answer or "",
                answered_by=c.answered_by or "",
                answered_at=c.answered_at,
            )
            for row, entry in self.liaison
            for c in entry.concerns
        ]
        self.flat[m.CustodyEvent] += [
            custody_row(row, n, e)
            for row, exhibit in self.exhibits
            for n, e in enumerate(exhibit.custody, start=1)
        ]
        self.flat[m.ActionStep] += [
            m.ActionStep(action=row, state=s.state.value, at=s.at, by=s.by, note=s.note or "")
            for row, action in self.actions
            for s in action.history
        ]


def write(planned: list[Planned], actor: Actor, now: datetime) -> None:
    """Write checked cases, with their linkage profiles: call inside a transaction."""
    substances = sorted({s for p in planned for s in p.view.report.toxicology.substances})
    rarity = rarity_for([s.strip().lower() for s in substances])
    cases = []
    for p in planned:
        case = m.Case(
            reference=p.view.reference,
            version=1,
            opened_at=now,
            opened_by=actor.username,
            updated_at=now,
            restricted=bool(p.named),
        )
        project(case, p.view, p.evaluation, now)
        profile = linkprofile.build(p.view, rarity)
        case.profile = {"row": profile.row, "roles": profile.roles, "texts": profile.texts}
        cases.append(case)
    m.Case.objects.bulk_create(cases)
    people = _persons(planned)
    rows = Rows()
    entries: list[audit.Entry] = []
    for case, p in zip(cases, planned, strict=True):
        rows.extend(_per_case(case, p, people, now))
        entries.append(
            audit.Entry(
                actor.username,
                Event.CASE_IMPORTED,
                "case",
                p.view.reference,
                {"created": True, "facts": [f.path for f in p.facts], "counts": p.counts},
                now,
            )
        )
        if p.named:
            restrict(actor, case, p.named)
            payload = {"named": list(p.named)}
            entries.append(
                audit.Entry(
                    actor.username, Event.CASE_RESTRICTED, "case", case.reference, payload, now
                )
            )
    m.LiaisonEntry.objects.bulk_create([row for row, _ in rows.liaison])
    m.Exhibit.objects.bulk_create([row for row, _ in rows.exhibits])
    m.Action.objects.bulk_create([row for row, _ in rows.actions])
    rows.children()
    for model, items in rows.flat.items():
        model._default_manager.bulk_create(items, batch_size=2000)
    audit.record_many(entries)
