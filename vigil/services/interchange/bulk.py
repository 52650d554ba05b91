"""The fast path for importing cases new to the store.

Every check a use case makes (custody chains, action lifecycles, persons named, the report's
rules, owners of open actions) is made in memory first; then a whole batch of cases is written
with a few bulk inserts and one audit row per case (two for a restricted case), inside the
caller's transaction. Decisions are recorded as imported (``writers.decisions.as_imported``),
as on the other import path.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db.models import Model

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain import custody, kinds
from vigil.domain.actor import Actor
from vigil.domain.case import CaseView
from vigil.domain.enums import ActionState, RecordKind
from vigil.domain.errors import DomainError
from vigil.domain.facts import Fact, report_from_values
from vigil.domain.investigation import Action, CustodyEvent, Exhibit, LiaisonEntry
from vigil.domain.lifecycle import check_transition
from vigil.domain.report import change_problems
from vigil.interchange.record import CaseRecord
from vigil.interchange.view import record_view
from vigil.linkage import profile as linkprofile
from vigil.policy import Evaluation
from vigil.records import models as m
from vigil.records.mapping import checklist_rows, custody_row, decision_row
from vigil.services.access.restriction import restrict
from vigil.services.casework.investigation import check_action_owner
from vigil.services.casework.placement import current_units, unit_problems
from vigil.services.casework.policy import evaluation_of
from vigil.services.casework.unit import project
from vigil.services.casework.writers.decisions import as_imported
from vigil.services.casework.writers.facts import fact_rows
from vigil.services.casework.writers.persons import (
    audit_elsewhere,
    candidates,
    named,
    new_ref,
    shared_updates,
)
from vigil.services.errors import Invalid
from vigil.services.linkage.linking import substances_of


@dataclass(frozen=True)
class Importer:
    """Who imports, from where, and what of the store planning needs: the active users (an
    open action's owner must be one)."""

    username: str
    source: str
    active: frozenset[str]


@dataclass(frozen=True)
class Planned:
    """A new case, checked and evaluated, ready to write."""

    view: CaseView
    recorded_by: str
    facts: list[Fact]
    evaluation: Evaluation | None  # None: not a death (policy.evaluation_of)
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


def _check_action(
    index: int, action: Action, persons: set[str], active: Collection[str], named: Sequence[str]
) -> None:
    check_action_owner(
        action, named=set(named) if named else None, active=active, prefix=f"actions.{index}."
    )
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
    importer: Importer,
    named: Sequence[str] = (),
    *,
    line: int | None = None,
) -> Planned:
    """Check and evaluate a new case entirely in memory; Invalid names the field at fault.
    ``named``: for a record with ``restricted_to``, the users to name on the case, as checked
    by ``restriction.users_to_name`` (a restricted record is never planned as an open case).
    ``line``: the record's line in ``importer.source``, for its decisions' provenance."""
    if record.restricted_to and not named:
        raise Invalid("restricted_to", "the users to name on a restricted case were not checked")
    full, facts = record_view(record, now)
    kind = record.report.kind
    if any(f.path == "kind" and f.value != kind.value for f in facts):
        raise Invalid("report.kind", kinds.fixed(kind))  # fixed when the record is opened
    if record.decisions and kind is not RecordKind.DEATH:
        raise Invalid(
            "decisions", f"{kinds.a_kind(kind)} has no category; categories are for deaths"
        )
    changed = report_from_values({f.path: f.value for f in facts})
    paths = [f.path for f in facts]
    refused = change_problems(full.report, changed, paths, now) | unit_problems(changed, paths)
    if refused:
        path, reason = next(iter(refused.items()))
        raise Invalid(f"report.{path}", reason)
    refs = {p.ref for p in full.persons}
    for index, entry in enumerate(record.liaison):
        if entry.person_ref not in refs:
            raise Invalid(
                f"liaison.{index}.person_ref", f"'{entry.person_ref}' is not a person on this case"
            )
    for index, action in enumerate(record.actions):
        _check_action(index, action, refs, importer.active, named)
    exhibits = tuple(_sealed(i, x) for i, x in enumerate(record.exhibits))
    source = importer.source if line is None else f"{importer.source}, line {line}"
    decisions = sorted(
        (as_imported(d, importer.username, source) for d in record.decisions),
        key=lambda d: d.decided_at,
    )
    view = replace(full, exhibits=exhibits, decisions=tuple(decisions))
    counts = {
        name: len(getattr(record, name))
        for name in ("persons", "liaison", "exhibits", "actions", "referrals", "decisions")
    }
    evaluation = evaluation_of(view, now)
    return Planned(view, record.recorded_by, facts, evaluation, counts, tuple(sorted(named)))


def _persons(actor: Actor, planned: list[Planned]) -> list[list[m.Person]]:
    """The Person row of each person of each planned case, in order: someone the importer may
    see on a case that the ref given names (``writers.persons.named``), updated if told more
    (audited on the cases it changes), or someone new with an allocated ref, the same one for
    the same ref given twice in the batch."""
    entries = [p for plan_ in planned for p in plan_.view.persons]
    rows = candidates(actor, [p.ref for p in entries])
    known = {ref: named(actor, ref, rows) for ref in {p.ref for p in entries if p.ref}}
    new: list[m.Person] = []
    by_ref: dict[str, m.Person] = {}
    changed: dict[int, tuple[m.Person, set[str], str]] = {}
    out: list[list[m.Person]] = []
    for plan_ in planned:
        people = []
        for entry in plan_.view.persons:
            row = known.get(entry.ref) or by_ref.get(entry.ref)
            if row is None:
                row = m.Person(
                    ref=new_ref(),
                    name=entry.name or "",
                    sex=entry.sex.value,
                    date_of_birth=entry.date_of_birth,
                )
                new.append(row)
                if entry.ref:
                    by_ref[entry.ref] = row
            else:
                updates = shared_updates(row, entry)
                for attr, value in updates.items():
                    setattr(row, attr, value)
                if updates and row.pk:
                    _, fields, via = changed.get(row.pk, (row, set(), plan_.view.reference))
                    changed[row.pk] = (row, fields | updates.keys(), via)
            people.append(row)
        out.append(people)
    m.Person.objects.bulk_create(new)
    if changed:
        m.Person.objects.bulk_update(
            [row for row, _, _ in changed.values()], ["name", "date_of_birth", "sex"]
        )
        for row, fields, via in changed.values():
            audit_elsewhere(actor, row, fields, via)
    return out


def _per_case(case: m.Case, p: Planned, persons: list[m.Person], now: datetime) -> Rows:
    """The rows of one case that need no other new row's key."""
    view, by = p.view, p.recorded_by
    opened = view.opened_at or now
    rows = Rows()
    rows.flat[m.Fact] += fact_rows(case, p.facts, now)
    rows.flat[m.CaseSubstance] += [
        m.CaseSubstance(case=case, substance=s) for s in substances_of(case.profile["row"])
    ]
    keys = case.profile["row"]["identifiers"]
    rows.flat[m.CaseKey] += [m.CaseKey(case=case, key=k) for k in keys]
    people = {e.ref: person for e, person in zip(view.persons, persons, strict=True) if e.ref}
    for entry, person in zip(view.persons, persons, strict=True):
        rows.flat[m.CasePerson].append(
            m.CasePerson(
                case=case,
                person=person,
                external_ref=entry.ref if entry.ref != person.ref else "",
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
    if p.evaluation is not None:
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
    cases = []
    units = current_units()  # read once: every case of the batch is placed with it
    for p in planned:
        case = m.Case(
            reference=p.view.reference,
            kind=p.view.report.kind.value,
            version=1,
            opened_at=now,
            opened_by=actor.username,
            updated_at=now,
            restricted=bool(p.named),
        )
        project(case, p.view, p.evaluation, now, units)
        profile = linkprofile.build(p.view)
        case.profile = profile.stored()
        cases.append(case)
    m.Case.objects.bulk_create(cases)
    people = _persons(actor, planned)
    rows = Rows()
    entries: list[audit.Entry] = []
    for case, p, persons in zip(cases, planned, people, strict=True):
        rows.extend(_per_case(case, p, persons, now))
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
