"""The plumbing every use case shares: find the case, check its version, and finish the change
(fold the facts, re-evaluate policy, bump the version, write the audit row) in one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F
from pydantic import ValidationError

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.case import CaseView
from vigil.policy import Evaluation, evaluate
from vigil.records import models as m
from vigil.records.mapping import checklist_rows
from vigil.records.queries import load_view
from vigil.services.access import require, use_case, visible_case
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid, StaleVersion
from vigil.services.linking import relink
from vigil.services.masking import mask_case
from vigil.services.policy import current_pack


@dataclass(frozen=True)
class CaseState:
    """What a use case returns: the case as it now stands and what policy says of it."""

    view: CaseView
    evaluation: Evaluation

    @property
    def version(self) -> int:
        return self.view.version


def check_version(case: m.Case, expected: int | None) -> None:
    if expected is not None and case.version != expected:
        raise StaleVersion(
            "version",
            f"case {case.reference} has changed since you read it (you had version {expected}, "
            f"it is now {case.version}); reload it and make your change again",
        )


def project(case: m.Case, view: CaseView, evaluation: Evaluation, now: datetime) -> None:
    report = view.report
    case.state = report.model_dump(mode="json")
    case.reported_at = report.reported_at
    case.found_at = report.found_at
    case.place_type = report.location.place_type.value if report.location.place_type else ""
    case.latitude = report.location.latitude
    case.longitude = report.location.longitude
    case.deceased_name = report.deceased.name or ""
    case.deceased_sex = report.deceased.sex.value
    case.deceased_age = report.deceased.age
    case.category = evaluation.category.value
    case.floor = evaluation.floor.value
    case.policy_version = f"{evaluation.pack_name}@{evaluation.pack_version}"
    case.updated_at = now


def refresh(case: m.Case, now: datetime, *, bump: bool = True) -> CaseState:
    """Fold the case, evaluate it, store the projection and the unmet checklist items."""
    if bump:
        m.Case.objects.filter(pk=case.pk).update(version=F("version") + 1, link_pending=True)
        case.version += 1
    view = load_view(case)
    evaluation = evaluate(current_pack(), view, now)
    project(case, view, evaluation, now)
    case.save(
        update_fields=[
            "state",
            "reported_at",
            "found_at",
            "place_type",
            "latitude",
            "longitude",
            "deceased_name",
            "deceased_sex",
            "deceased_age",
            "category",
            "floor",
            "policy_version",
            "updated_at",
        ]
    )
    m.ChecklistItem.objects.filter(case=case).delete()
    m.ChecklistItem.objects.bulk_create(checklist_rows(case, evaluation))
    return CaseState(view, evaluation)


def finish(
    case: m.Case, actor: Actor, event: Event, payload: dict[str, Any], now: datetime
) -> CaseState:
    state = refresh(case, now)
    audit.record(actor.username, event, "case", case.reference, payload, at=now)
    relink(case, state.view, actor, now)
    return shown(actor, case, state)


def shown(actor: Actor, case: m.Case, state: CaseState) -> CaseState:
    """The state as ``actor`` may see it: sensitive fields and identities masked by role."""
    view, evaluation = mask_case(actor, case, state.view, state.evaluation)
    return CaseState(view, evaluation)


def state_of(case: m.Case, now: datetime, as_of: datetime | None = None) -> CaseState:
    """The case and its evaluation, without writing anything."""
    view = load_view(case, as_of)
    return CaseState(view, evaluate(current_pack(), view, as_of or now))


def case_document(state: CaseState) -> dict[str, Any]:
    """The case as one JSON-ready object: facts (with when each became known), persons,
    category, floor and the unmet checklist items with their reasons."""
    view = state.view
    known: dict[str, dict[str, Any]] = {}
    for fact in sorted(view.facts, key=lambda f: (f.known_at, f.seq)):
        known[fact.path] = {"known_at": fact.known_at.isoformat(), "recorded_by": fact.recorded_by}

    def dump(items: tuple[Any, ...]) -> list[Any]:
        return [item.model_dump(mode="json") for item in items]

    return {
        "reference": view.reference,
        "version": view.version,
        "report": view.report.model_dump(mode="json"),
        "fact_times": known,
        "persons": dump(view.persons),
        "liaison": dump(view.liaison),
        "exhibits": dump(view.exhibits),
        "actions": dump(view.actions),
        "referrals": dump(view.referrals),
        "decisions": dump(view.decisions),
        "evaluation": state.evaluation.to_dict(),
    }


@contextmanager
def changing(
    actor: Actor, permission: Permission, reference: str, expected_version: int | None
) -> Iterator[tuple[m.Case, datetime]]:
    """The frame of a use case that changes one case: the actor's role must have
    ``permission`` and the actor must be able to see the case (else it is not found); one
    transaction, the case locked, its version checked; yields the case and the time."""
    require(actor, permission)
    now = utcnow()
    with use_case(actor):  # a hidden or missing case is audited as a probe
        case = visible_case(actor, reference, for_update=True)
        check_version(case, expected_version)
        try:
            yield case, now
        except ValidationError as exc:
            # A domain value made in the use case, or read back as ``finish`` refreshes the
            # case, refuses what it was given (a text beyond ``vigil.domain.limits``, say):
            # refused naming the field, and the transaction rolled back.
            raise Invalid.from_pydantic(exc) from None
