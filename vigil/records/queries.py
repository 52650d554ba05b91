"""Reading cases back as domain values, as they stand now or as they stood on a past date."""

from __future__ import annotations

from datetime import datetime

from vigil.domain import facts as factlog
from vigil.domain.case import CaseView
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
from vigil.domain.people import Identifier, PersonEntry
from vigil.records import models as m


def _known(at: datetime | None, as_of: datetime | None) -> bool:
    return as_of is None or at is None or at <= as_of


def load_facts(case: m.Case) -> list[factlog.Fact]:
    return [
        factlog.Fact(row.path, row.value, row.known_at, row.recorded_by, row.pk)
        for row in m.Fact.objects.filter(case=case).order_by("known_at", "pk")
    ]


def _persons(case: m.Case, as_of: datetime | None) -> tuple[PersonEntry, ...]:
    identifiers: dict[int, list[Identifier]] = {}
    for row in m.Identifier.objects.filter(case=case).order_by("pk"):
        if _known(row.known_at, as_of):
            identifiers.setdefault(row.person_id, []).append(
                Identifier(kind=row.kind, value=row.value, normalised=row.normalised)
            )
    return tuple(
        PersonEntry(
            ref=cp.person.ref,
            name=cp.person.name or None,
            sex=cp.person.sex or "unknown",
            date_of_birth=cp.person.date_of_birth,
            roles=tuple(cp.roles),
            identifiers=tuple(identifiers.get(cp.person_id, ())),
            statement=cp.statement or None,
            known_at=cp.known_at,
        )
        for cp in case.case_persons.select_related("person").order_by("pk")
        if _known(cp.known_at, as_of)
    )


def _liaison(case: m.Case, as_of: datetime | None) -> tuple[LiaisonEntry, ...]:
    entries = case.liaison.select_related("person").prefetch_related("concerns")
    return tuple(
        LiaisonEntry(
            person_ref=e.person.ref,
            at=e.at,
            method=e.method,
            officer=e.officer,
            summary=e.summary,
            concerns=tuple(
                Concern(
                    text=c.text,
                    **(
                        {
                            "answer": c.answer,
                            "answered_by": c.answered_by,
                            "answered_at": c.answered_at,
                        }
                        if c.answer and _known(c.answered_at, as_of)
                        else {}
                    ),
                )
                for c in e.concerns.all()
            ),
        )
        for e in entries
        if _known(e.at, as_of)
    )


def _exhibits(case: m.Case, as_of: datetime | None) -> tuple[Exhibit, ...]:
    result = []
    for ex in case.exhibits.prefetch_related("custody"):
        custody = tuple(
            CustodyEvent(
                kind=ev.kind,
                at=ev.at,
                from_holder=ev.from_holder,
                to_holder=ev.to_holder,
                by=ev.by,
                examinations=tuple(ev.examinations),
                notes=ev.notes or None,
                prev_hash=ev.prev_hash,
                hash=ev.hash,
            )
            for ev in ex.custody.all()
            if _known(ev.at, as_of)
        )
        if as_of is not None and not custody:
            continue
        result.append(
            Exhibit(
                ref=ex.ref,
                description=ex.description,
                kind=ex.kind,
                where_found=ex.where_found or None,
                packaging=ex.packaging or None,
                seal_number=ex.seal_number or None,
                custody=custody,
            )
        )
    return tuple(result)


def _actions(case: m.Case, as_of: datetime | None) -> tuple[Action, ...]:
    result = []
    for a in case.actions.select_related("subject").prefetch_related("steps"):
        steps = tuple(
            ActionStep(state=s.state, at=s.at, by=s.by, note=s.note or None)
            for s in a.steps.all()
            if _known(s.at, as_of)
        )
        if steps:
            result.append(
                Action(
                    ref=a.ref,
                    kind=a.kind,
                    title=a.title,
                    subject=a.subject.ref if a.subject else None,
                    owner=a.owner or None,
                    deadline=a.deadline,
                    result=a.result or None,
                    history=steps,
                )
            )
    return tuple(result)


def _referrals(case: m.Case, as_of: datetime | None) -> tuple[Referral, ...]:
    result = []
    for r in case.referrals.all():
        if not _known(r.made_at, as_of):
            continue
        answered = r.state != "pending" and _known(r.answered_at, as_of)
        result.append(
            Referral(
                ref=r.ref,
                to_team=r.to_team,
                made_at=r.made_at,
                made_by=r.made_by,
                reason=r.reason,
                state=r.state if answered else "pending",
                **(
                    {
                        "answered_by": r.answered_by,
                        "answered_at": r.answered_at,
                        "answer_reason": r.answer_reason,
                    }
                    if answered
                    else {}
                ),
            )
        )
    return tuple(result)


def _decisions(case: m.Case, as_of: datetime | None) -> tuple[CategoryDecision, ...]:
    return tuple(
        CategoryDecision(
            category=d.category,
            rationale=d.rationale,
            decided_by=d.decided_by,
            decided_at=d.decided_at,
            override_by=d.override_by or None,
            override_reason=d.override_reason or None,
        )
        for d in case.decisions.all()
        if _known(d.decided_at, as_of)
    )


def load_view(case: m.Case, as_of: datetime | None = None) -> CaseView:
    """The case as policy and linkage see it; with ``as_of``, as it stood on that date."""
    log = load_facts(case)
    values = factlog.fold(log, as_of)
    return CaseView(
        reference=case.reference,
        report=factlog.report_from_values(values),
        version=case.version,
        opened_at=case.opened_at,
        persons=_persons(case, as_of),
        liaison=_liaison(case, as_of),
        exhibits=_exhibits(case, as_of),
        actions=_actions(case, as_of),
        referrals=_referrals(case, as_of),
        decisions=_decisions(case, as_of),
        facts=tuple(log),
    )
