"""Masking in the service layer: every face gets a case, a list row, an alert or a series
already masked for the reader's role (the rules and the sensitive fields are declared in
``vigil.domain.masking``).

- ``mask_of(actor, case)``: what this reader may not see of this case.
- ``mask_case(actor, case, view, evaluation)``: the case and its evaluation as they may see it.
- ``shown_name(actor, case)``: the deceased's name for a list row.
- ``shown_place(actor, case)``: the case's coordinates for a map point (about 1 km where the
  address is withheld).
- ``case_redactor(actor, case)``: redacts the case's withheld names and identifiers from other
  texts about it (the reasons of a link, a checklist item's subject).
- ``hides_person(actor, case, roles)``: whether a person with ``roles`` on the case is withheld
  from the reader (recording a person by ref reaches only persons the recorder may see).
- ``uncounted(reason)``: a link's reason without the counts and shares of the whole store in
  it ("seen in 2 of 3 deaths" counts cases the reader may not see).
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q

from vigil.domain.access import Permission, permissions_of
from vigil.domain.actor import Actor
from vigil.domain.case import CaseView
from vigil.domain.enums import Role
from vigil.domain.facts import flatten
from vigil.domain.masking import (
    WITHHELD,
    Mask,
    Redactor,
    coarse_place,
    mask_for,
    mask_view,
    redactor_for,
)
from vigil.domain.people import PersonEntry
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
    actor: Actor, case: m.Case, view: CaseView, evaluation: Evaluation | None
) -> tuple[CaseView, Evaluation | None]:
    """The case (read in full, evaluated in full: None for a record that is not a death) as
    ``actor`` may see it."""
    mask = mask_of(actor, case)
    if mask.empty:
        return view, evaluation
    shown, redact = mask_view(view, mask)
    return shown, redact_evaluation(evaluation, redact) if evaluation else None


def shown_name(actor: Actor, case: m.Case) -> str:
    """The deceased's name as a list row may show it."""
    if case.deceased_name and "deceased.name" in mask_of(actor, case).paths:
        return WITHHELD
    return case.deceased_name


def shown_place(actor: Actor, case: m.Case) -> tuple[float | None, float | None]:
    """The case's latitude and longitude as a map may show them: to about a kilometre
    (``vigil.domain.masking.PLACE_DECIMALS``) for a reader from whom the address is withheld."""
    if mask_of(actor, case).coarse:
        return coarse_place(case.latitude), coarse_place(case.longitude)
    return case.latitude, case.longitude


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


def hides_person(actor: Actor, case: m.Case, roles: list[str]) -> bool:
    """Whether the name, date of birth and identifiers of a person with ``roles`` on ``case``
    are withheld from ``actor``."""
    entry = PersonEntry.model_construct(roles=tuple(Role(r) for r in roles))
    return mask_of(actor, case).hides_person(entry)


# What linkage says of how often the store has seen a substance or a first name ("seen in 2 of
# 3 deaths", "it is found in 67% of deaths in the store (2 of 3)", "a first name on 5% of the
# store's cases (4 of 80)"): the whole store, restricted cases too, so a reader is shown the
# sentence without it (the stored reasons keep it, for those who audit the model).
_STORE_COUNTS = (
    re.compile(r",? \(?seen in \d[\d,]* of \d[\d,]* deaths\)?"),
    re.compile(r"; it is found in (?:under )?[\d.]+% of deaths in the store"),
    re.compile(r" on (?:under )?[\d.]+% of the store's cases"),
    re.compile(r" \(\d[\d,]* of \d[\d,]*\)"),
)


def uncounted(reason: Any) -> Any:
    """A link's reason (its sentence, or the stored mapping with one) without store counts."""
    if isinstance(reason, str):
        for pattern in _STORE_COUNTS:
            reason = pattern.sub("", reason)
        return reason
    if isinstance(reason, dict):
        return {k: uncounted(v) if k == "sentence" else v for k, v in reason.items()}
    return reason
