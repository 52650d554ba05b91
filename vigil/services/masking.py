"""Masking in the service layer: every face gets a case, a list row, an alert or a series
already masked for the reader's role (the rules and the sensitive fields are declared in
``vigil.domain.masking``).

- ``mask_of(actor, case)``: what this reader may not see of this case.
- ``mask_case(actor, case, view, evaluation)``: the case and its evaluation as they may see it.
- ``shown_name(actor, case)``: the deceased's name for a list row.
- ``case_redactor(actor, case)``: redacts the case's withheld names and identifiers from other
  texts about it (the reasons of a link, a checklist item's subject).
"""

from __future__ import annotations

from django.db.models import Q

from vigil.domain.access import Permission, permissions_of
from vigil.domain.actor import Actor
from vigil.domain.case import CaseView
from vigil.domain.facts import flatten
from vigil.domain.masking import WITHHELD, Mask, Redactor, mask_for, mask_view, redactor_for
from vigil.policy import Evaluation
from vigil.records import models as m
from vigil.records.queries import load_persons


def mask_of(actor: Actor, case: m.Case) -> Mask:
    return mask_for(permissions_of(actor.role), restricted=case.restricted)


def redact_evaluation(evaluation: Evaluation, redact: Redactor) -> Evaluation:
    """The policy's words about the case, with withheld names and identifiers redacted."""
    return evaluation.model_copy(
        update={
            "category_rationale": redact(evaluation.category_rationale),
            "override_reason": redact.optional(evaluation.override_reason),
            "floor_reasons": tuple(
                r.model_copy(update={"evidence": redact(r.evidence)})
                for r in evaluation.floor_reasons
            ),
            "unmet": tuple(
                item.model_copy(
                    update={"reason": redact(item.reason), "subject": redact.optional(item.subject)}
                )
                for item in evaluation.unmet
            ),
        }
    )


def mask_case(
    actor: Actor, case: m.Case, view: CaseView, evaluation: Evaluation
) -> tuple[CaseView, Evaluation]:
    """The case (read in full, evaluated in full) as ``actor`` may see it."""
    mask = mask_of(actor, case)
    if mask.empty:
        return view, evaluation
    shown, redact = mask_view(view, mask)
    return shown, redact_evaluation(evaluation, redact)


def shown_name(actor: Actor, case: m.Case) -> str:
    """The deceased's name as a list row may show it."""
    if case.deceased_name and "deceased.name" in mask_of(actor, case).paths:
        return WITHHELD
    return case.deceased_name


def name_search(actor: Actor, text: str) -> Q:
    """Cases whose deceased's name matches ``text``, among those whose name the actor may see
    (a search must not confirm a name the page would withhold)."""
    if not allows_names(actor):
        return Q(pk__in=[])
    match = Q(deceased_name__icontains=text)
    if Permission.SEE_SENSITIVE not in permissions_of(actor.role):
        match &= Q(restricted=False)
    return match


def allows_names(actor: Actor) -> bool:
    return Permission.SEE_IDENTITIES in permissions_of(actor.role)


def case_redactor(actor: Actor, case: m.Case) -> Redactor:
    """Redacts what ``actor`` may not see of ``case`` from a text about it."""
    mask = mask_of(actor, case)
    if mask.empty:
        return Redactor()
    persons = load_persons(case) if mask.all_persons or mask.deceased_persons else ()
    return redactor_for(flatten(case.state or {}), persons, mask)
