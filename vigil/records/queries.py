"""Reading cases back as domain values, as they stand now or as they stood on a past date."""

from __future__ import annotations

from datetime import datetime

from vigil.domain import facts as factlog
from vigil.domain.case import CaseView, as_of
from vigil.domain.enums import UserRole
from vigil.domain.investigation import (
    Action,
    ActionStep,
    CategoryDecision,
    Concern,
    Exhibit,
    LiaisonEntry,
    Referral,
)
from vigil.domain.people import Identifier, PersonEntry
from vigil.records import models as m
from vigil.records.mapping import custody_event
from vigil.records.models.people import shown_ref
from vigil.records.panel import panel_referred_at
from vigil.records.portal import portal_concern_since
from vigil.records.series import membership


def load_facts(case: m.Case) -> list[factlog.Fact]:
    return [
        factlog.Fact(row.path, row.value, row.known_at, row.recorded_by, row.pk)
        for row in m.Fact.objects.filter(case=case).order_by("known_at", "pk")
    ]


def load_persons(case: m.Case) -> tuple[PersonEntry, ...]:
    """The persons on the case, with their roles and identifiers."""
    identifiers: dict[int, list[Identifier]] = {}
    for row in m.Identifier.objects.filter(case=case).order_by("pk"):
        identifiers.setdefault(row.person_id, []).append(
            Identifier(kind=row.kind, value=row.value, normalised=row.normalised)
        )
    return tuple(
        PersonEntry(
            ref=cp.external_ref or cp.person.ref,
            name=cp.person.name or None,
            sex=cp.person.sex or "unknown",
            date_of_birth=cp.person.date_of_birth,
            roles=tuple(cp.roles),
            identifiers=tuple(identifiers.get(cp.person_id, ())),
            statement=cp.statement or None,
            known_at=cp.known_at,
        )
        for cp in case.case_persons.select_related("person").order_by("pk")
    )


def _concern(c: m.Concern) -> Concern:
    if not c.answer:
        return Concern(text=c.text)
    return Concern(
        text=c.text, answer=c.answer, answered_by=c.answered_by or None, answered_at=c.answered_at
    )


def _liaison(case: m.Case) -> tuple[LiaisonEntry, ...]:
    return tuple(
        LiaisonEntry(
            person_ref=e.shown_ref,
            at=e.at,
            method=e.method,
            officer=e.officer,
            summary=e.summary,
            concerns=tuple(_concern(c) for c in e.concerns.all()),
        )
        for e in case.liaison.annotate(shown_ref=shown_ref("case", "person")).prefetch_related(
            "concerns"
        )
    )


def _exhibits(case: m.Case) -> tuple[Exhibit, ...]:
    return tuple(
        Exhibit(
            ref=ex.ref,
            description=ex.description,
            kind=ex.kind,
            where_found=ex.where_found or None,
            packaging=ex.packaging or None,
            seal_number=ex.seal_number or None,
            custody=tuple(custody_event(ev) for ev in ex.custody.all()),
        )
        for ex in case.exhibits.prefetch_related("custody")
    )


def _actions(case: m.Case) -> tuple[Action, ...]:
    return tuple(
        Action(
            ref=a.ref,
            kind=a.kind,
            title=a.title,
            subject=a.subject_ref,
            owner=a.owner or None,
            deadline=a.deadline,
            result=a.result or None,
            history=tuple(
                ActionStep(state=s.state, at=s.at, by=s.by, note=s.note or None)
                for s in a.steps.all()
            ),
        )
        for a in case.actions.annotate(subject_ref=shown_ref("case", "subject")).prefetch_related(
            "steps"
        )
    )


def _referrals(case: m.Case) -> tuple[Referral, ...]:
    return tuple(
        Referral(
            ref=r.ref,
            to_team=r.to_team,
            made_at=r.made_at,
            made_by=r.made_by,
            reason=r.reason,
            state=r.state,
            answered_by=r.answered_by or None,
            answered_at=r.answered_at,
            answer_reason=r.answer_reason or None,
        )
        for r in case.referrals.all()
    )


def _decisions(case: m.Case) -> tuple[CategoryDecision, ...]:
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
    )


def _roles(decisions: tuple[CategoryDecision, ...]) -> dict[str, UserRole]:
    """The role of each user who made or signed off one of the decisions (as it is now)."""
    names = {d.decided_by for d in decisions} | {d.override_by for d in decisions if d.override_by}
    if not names:
        return {}
    rows = m.Profile.objects.filter(user__username__in=names).values_list("user__username", "role")
    return {username: UserRole(role) for username, role in rows}


def load_view(case: m.Case, when: datetime | None = None) -> CaseView:
    """The case as policy and linkage see it; with ``when``, as it stood on that date."""
    log = load_facts(case)
    decisions = _decisions(case)
    view = CaseView(
        reference=case.reference,
        report=factlog.report_from_values(factlog.fold(log)),
        version=case.version,
        opened_at=case.opened_at,
        persons=load_persons(case),
        liaison=_liaison(case),
        exhibits=_exhibits(case),
        actions=_actions(case),
        referrals=_referrals(case),
        decisions=decisions,
        facts=tuple(log),
        roles=_roles(decisions),
        series=membership(case.reference, when),
        panel_referred_at=panel_referred_at(case.reference, when),
        portal_concern_since=portal_concern_since(case.reference, when),
    )
    return as_of(view, when) if when is not None else view
