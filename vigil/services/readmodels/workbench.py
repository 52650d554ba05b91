"""Reads the API needs beside the case itself: who may see a case, its concerns with the ids to
answer them by, and the overdue items. Each starts from ``visible_cases`` (need-to-know), redacts
what the reader may not see, and is audited as a consultation."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.masking import Redactor
from vigil.records import models as m
from vigil.services.access.masking import case_redactor
from vigil.services.access.restriction import named_users
from vigil.services.access.rules import require, use_case, visible_case
from vigil.services.readmodels.reading import OverdueItem, overdue_items
from vigil.services.readmodels.shapes import ReadModel


class CaseConcern(ReadModel):
    """A concern of family or friends on a case, with the id to answer it by; its texts
    redacted for the reader."""

    id: int
    reference: str
    person_ref: str
    raised_at: datetime
    text: str
    answer: str
    answered_by: str
    answered_at: datetime | None


def _concern_row(concern: m.Concern, redact: Redactor, person_ref: str) -> CaseConcern:
    return CaseConcern(
        id=concern.pk,
        reference=concern.entry.case.reference,
        person_ref=person_ref,
        raised_at=concern.entry.at,
        text=redact(concern.text),
        answer=redact(concern.answer),
        answered_by=concern.answered_by,
        answered_at=concern.answered_at,
    )


class Access(ReadModel):
    """Who may see a case: whether it is restricted, and the users named on it."""

    restricted: bool
    named: list[str]


def case_concerns(actor: Actor, reference: str, *, face: str) -> list[CaseConcern]:
    """The concerns raised by family and friends on the case, in the order raised, with the
    ids ``answer_concern`` takes; names the reader may not see redacted; audited."""
    require(actor, Permission.VIEW_CASE)
    with use_case(actor):
        case = visible_case(actor, reference)
        redact = case_redactor(actor, case)
        rows = (
            m.Concern.objects.filter(entry__case=case)
            .select_related("entry__case")
            .annotate(person_shown=m.shown_ref("entry__case", "entry__person"))
            .order_by("entry__at", "pk")
        )
        concerns = [_concern_row(c, redact, c.person_shown) for c in rows]
        payload = {"face": face, "as_of": None, "part": "concerns"}
        audit.record(actor.username, Event.CASE_VIEWED, "case", reference, payload)
    return concerns


def case_access(actor: Actor, reference: str, *, face: str) -> tuple[bool, list[str]]:
    """Whether the case is restricted, and the users named on it; audited."""
    require(actor, Permission.VIEW_CASE)
    with use_case(actor):
        case = visible_case(actor, reference)
        named = named_users(case)
        payload = {"face": face, "as_of": None, "part": "access"}
        audit.record(actor.username, Event.CASE_VIEWED, "case", reference, payload)
    return case.restricted, named


def overdue(actor: Actor, *, face: str) -> list[OverdueItem]:
    """``overdue_items``, audited as a consultation."""
    items = overdue_items(actor)
    with transaction.atomic():
        payload = {"face": face, "count": len(items)}
        audit.record(actor.username, Event.CASES_LISTED, "overdue", "*", payload)
    return items
