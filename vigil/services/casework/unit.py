"""The plumbing every use case shares: find the case, check its version, and finish the change
(fold the facts, re-evaluate policy, bump the version, write the audit row) in one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from django.db.models import F
from pydantic import Field, ValidationError

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.case import CaseView
from vigil.domain.investigation import Action, CategoryDecision, Exhibit, LiaisonEntry, Referral
from vigil.domain.report import DeathReport
from vigil.domain.units import UnitMap
from vigil.policy import Evaluation
from vigil.records import models as m
from vigil.records.mapping import checklist_rows
from vigil.records.queries import load_view
from vigil.services.access.masking import mask_case
from vigil.services.access.rules import require, use_case, visible_case
from vigil.services.casework.placement import current_units, unit_for
from vigil.services.casework.policy import evaluation_of
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid, StaleVersion
from vigil.services.linkage.linking import relink
from vigil.services.readmodels.shapes import ReadModel


@dataclass(frozen=True)
class CaseState:
    """What a use case returns: the case as it now stands and what policy says of it (None
    for a record that is not a death: ``policy.evaluation_of``)."""

    view: CaseView
    evaluation: Evaluation | None

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


def project(
    case: m.Case,
    view: CaseView,
    evaluation: Evaluation | None,
    now: datetime,
    units: UnitMap | Literal["stored"] | None = "stored",
) -> None:
    """Copy what the lists search and sort by into the case's columns, its command unit
    among them (``placement.unit_for``: the unit the report names, else the one its
    coordinates fall in). ``units``: the map to place it with (a bulk import reads the
    stored units once for all its cases); by default the stored units."""
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
    # a record that is not a death has no category, floor or checklist (policy.evaluation_of)
    case.category = evaluation.category.value if evaluation else ""
    case.floor = evaluation.floor.value if evaluation else ""
    case.policy_version = f"{evaluation.pack_name}@{evaluation.pack_version}" if evaluation else ""
    case.updated_at = now
    case.unit_id = unit_for(report, current_units() if units == "stored" else units)


def refresh(case: m.Case, now: datetime, *, bump: bool = True) -> CaseState:
    """Fold the case, evaluate it, store the projection and the unmet checklist items."""
    if bump:
        m.Case.objects.filter(pk=case.pk).update(version=F("version") + 1, link_pending=True)
        case.version += 1
    view = load_view(case)
    evaluation = evaluation_of(view, now)
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
            "unit",
        ]
    )
    _store_checklist(case, evaluation)
    return CaseState(view, evaluation)


def _store_checklist(case: m.Case, evaluation: Evaluation | None) -> None:
    m.ChecklistItem.objects.filter(case=case).delete()
    if evaluation is not None:
        m.ChecklistItem.objects.bulk_create(checklist_rows(case, evaluation))


def reevaluate_checklist(case: m.Case, now: datetime) -> None:
    """Rebuild the case's unmet checklist items as of ``now`` without changing the case: time
    alone can make an item unmet (an action past its own deadline), with no fact recorded."""
    _store_checklist(case, evaluation_of(load_view(case), now))


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
    return CaseState(view, evaluation_of(view, as_of or now))


class FactTime(ReadModel):
    known_at: datetime
    recorded_by: str


class IdentifierShown(ReadModel):
    """An identifier as the reader may see it (masked: not checked as one given is)."""

    kind: str
    value: str
    normalised: str


class PersonShown(ReadModel):
    """A person on the case as the reader may see it (masked: not checked as one given is)."""

    ref: str
    name: str | None
    sex: str
    date_of_birth: date | None
    roles: list[str]
    identifiers: list[IdentifierShown]
    statement: str | None
    known_at: datetime | None


class CaseDocument(ReadModel):
    """A case as the caller may see it (masked for their role), with its evaluation: the
    category, floor and unmet checklist items."""

    reference: str
    version: int
    report: DeathReport
    fact_times: dict[str, FactTime] = Field(description="When each fact became known, by path.")
    persons: list[PersonShown]
    liaison: list[LiaisonEntry]
    exhibits: list[Exhibit]
    actions: list[Action]
    referrals: list[Referral]
    decisions: list[CategoryDecision]
    evaluation: Evaluation | None = Field(
        description="None for a record that is not a death: it has no category or checklist."
    )


def case_record(state: CaseState) -> CaseDocument:
    """The case as one document: facts (with when each became known), persons, category,
    floor and the unmet checklist items with their reasons (as masked in ``state``)."""
    view = state.view
    known = {
        fact.path: FactTime(known_at=fact.known_at, recorded_by=fact.recorded_by)
        for fact in sorted(view.facts, key=lambda f: (f.known_at, f.seq))
    }
    return CaseDocument(
        reference=view.reference,
        version=view.version,
        report=view.report,
        fact_times=known,
        persons=[PersonShown.model_validate(p.model_dump(mode="json")) for p in view.persons],
        liaison=list(view.liaison),
        exhibits=list(view.exhibits),
        actions=list(view.actions),
        referrals=list(view.referrals),
        decisions=list(view.decisions),
        evaluation=state.evaluation,
    )


def case_document(state: CaseState) -> dict[str, Any]:
    """``case_record`` as plain JSON values."""
    return case_record(state).model_dump(mode="json")


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
