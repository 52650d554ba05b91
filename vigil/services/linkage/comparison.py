"""An alert opened: the two linked cases side by side with the explanation of their score and
the judgements given so far, as the reader may see them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from pydantic import ConfigDict, Field

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.services.access.masking import case_redactor, uncounted
from vigil.services.access.rules import require
from vigil.services.casework.unit import CaseDocument, CaseState, case_record, shown, state_of
from vigil.services.clock import utcnow
from vigil.services.errors import NotFound
from vigil.services.linkage.series import LinkJudgement, Reason, visible_links
from vigil.services.readmodels.shapes import ReadModel


class AlertState(ReadModel):
    """The alert a link raised: when, at what weight, before whom, and whether answered."""

    raised_at: datetime
    raised_weight: float
    analyst: str
    answered: bool


class Comparison(ReadModel):
    """Both cases of a link side by side, with the explanation of its score."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    link: int
    match_weight: float
    probability: float
    model_version: str
    scored_at: datetime
    reasons: tuple[Reason, ...]  # each feature's weight and its sentence, redacted
    alert: AlertState | None
    judgements: tuple[LinkJudgement, ...]  # oldest first; the last is the one in force
    a: CaseDocument
    b: CaseDocument
    # the two cases as the pages read them (the documents above are made from them)
    states: tuple[CaseState, CaseState] = Field(exclude=True)


def compare(actor: Actor, link_id: int, *, face: str) -> Comparison:
    """The link between two cases the actor may see (else ``NotFound``, as for no link), both
    cases masked for the actor's role; audited as a consultation of each case."""
    require(actor, Permission.VIEW_ALERTS)
    require(actor, Permission.VIEW_CASE)
    now = utcnow()
    with transaction.atomic():
        link = visible_links(actor).select_related("case_a", "case_b").filter(pk=link_id).first()
        if link is None:
            raise NotFound("link", f"there is no link {link_id}")
        redact_a = case_redactor(actor, link.case_a)
        redact_b = case_redactor(actor, link.case_b)

        def redact(value: Any) -> Any:
            return redact_b.value(redact_a.value(value))

        states = [shown(actor, c, state_of(c, now)) for c in (link.case_a, link.case_b)]
        alert = getattr(link, "alert", None)
        judgements = tuple(
            LinkJudgement.of(j, redact) for j in link.judgements.order_by("at", "pk")
        )
        for case in (link.case_a, link.case_b):
            payload = {"face": face, "as_of": None, "link": link.pk}
            audit.record(actor.username, Event.CASE_VIEWED, "case", case.reference, payload)
    return Comparison(
        link=link.pk,
        match_weight=link.match_weight,
        probability=link.probability,
        model_version=link.model_version,
        scored_at=link.scored_at,
        reasons=tuple(uncounted(redact(r)) for r in link.reasons),
        alert=(
            AlertState(
                raised_at=alert.raised_at,
                raised_weight=alert.raised_weight,
                analyst=alert.analyst,
                answered=alert.answered,
            )
            if alert is not None
            else None
        ),
        judgements=judgements,
        a=case_record(states[0]),
        b=case_record(states[1]),
        states=(states[0], states[1]),
    )
