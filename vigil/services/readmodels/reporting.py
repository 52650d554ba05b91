"""The death report as a form writes it: what a finished report needs (a draft may lack it), the
policy's answer on facts not yet saved (a preview that changes nothing), and revising a report
through a form that shows its author only what they may see.

A **draft** is a case opened with what is known so far (``open_case`` takes a report with very
few facts): it is stored, audited and linked like any case from the first save, so nothing
typed at the scene is lost, and it is a draft for as long as ``still_to_record`` names a field a
finished report needs. There is no separate draft store and no draft flag to forget to clear.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain import report as report_rules
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.case import CaseView
from vigil.domain.enums import RecordKind
from vigil.domain.facts import report_facts, report_from_values, unflatten
from vigil.domain.masking import WITHHELD, Mask, mask_view
from vigil.domain.report import DeathReport
from vigil.policy import Evaluation
from vigil.records import models as m
from vigil.records.queries import load_view
from vigil.services.access.masking import mask_case, mask_of
from vigil.services.access.rules import require, use_case, visible_case
from vigil.services.casework.cases import record_facts
from vigil.services.casework.policy import evaluation_of
from vigil.services.casework.unit import CaseState, check_version
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid
from vigil.services.readmodels.reading import view_case

# What every finished report records (a draft may lack any of it), and the words that ask for it.
REQUIRED: tuple[tuple[str, str], ...] = (
    ("reported_at", "Enter when the death was reported"),
    ("found_at", "Enter when the body was found"),
    ("location.address", "Enter the address or a description of the place, or its coordinates"),
    ("location.place_type", "Select the type of place"),
)
# What a finished drugging report or intelligence entry records: when it was reported and when
# it happened (a survivor may not know where), and for an entry what it records.
OTHER_REQUIRED: dict[RecordKind, tuple[tuple[str, str], ...]] = {
    RecordKind.DRUGGING: (
        ("reported_at", "Enter when it was reported"),
        ("found_at", "Enter when it happened (your best estimate)"),
    ),
    RecordKind.INTELLIGENCE: (
        ("reported_at", "Enter when it was reported"),
        ("intelligence.type", "Select what the entry records"),
    ),
}
NEW_REPORT = "(new report)"


def still_to_record(report: DeathReport) -> dict[str, str]:
    """The fields a finished report of its kind needs that ``report`` lacks, with the words
    asking for them; empty when the report is finished. Coordinates stand in for an address."""
    location = report.location
    present = {
        "reported_at": report.reported_at is not None,
        "found_at": report.found_at is not None,
        "location.address": bool(location.address)
        or (location.latitude is not None and location.longitude is not None),
        "location.place_type": location.place_type is not None,
        "intelligence.type": report.intelligence.type is not None,
    }
    required = OTHER_REQUIRED.get(report.kind, REQUIRED)
    return {path: words for path, words in required if not present[path]}


def report_problems(
    report: DeathReport, *, complete: bool, now: datetime | None = None
) -> dict[str, str]:
    """Why ``report`` cannot be saved, by field, for a form to show beside each field at once:
    what no report may hold (``vigil.domain.report.problems``: coordinates by halves, times in
    the future), which the services refuse whatever the face; with ``complete`` also what a
    finished report needs (``still_to_record``), which only the form's Save asks for."""
    problems = report_rules.problems(report, now or utcnow())
    if complete:
        for path, words in still_to_record(report).items():
            problems.setdefault(path, f"{words}, or save the report as a draft")
    return problems


def _has_withheld(value: Any) -> bool:
    if isinstance(value, str):
        return WITHHELD in value
    if isinstance(value, list | tuple):
        return any(_has_withheld(v) for v in value)
    if isinstance(value, Mapping):
        return any(_has_withheld(v) for v in value.values())
    return False


def locked_paths(mask: Mask, shown: DeathReport) -> frozenset[str]:
    """Paths a reader with ``mask`` may not change through a form: those withheld from them,
    and texts in which something is withheld (saving what they see would erase it)."""
    values = report_facts(shown, only_set=False)
    return mask.paths | {path for path, value in values.items() if _has_withheld(value)}


def changed_values(shown: DeathReport, report: DeathReport, paths: Iterable[str]) -> dict[str, Any]:
    """The values of ``paths`` in ``report`` that differ from the report as it was shown."""
    old = report_facts(shown, only_set=False)
    new = report_facts(report, only_set=False)
    return {path: new[path] for path in paths if path in new and new[path] != old.get(path)}


@dataclass(frozen=True)
class EditableReport:
    """A case as its reader may edit it: the case (masked for them) and the paths they may not
    change (withheld from them)."""

    state: CaseState
    locked: frozenset[str]


def report_for_editing(actor: Actor, reference: str, *, face: str) -> EditableReport:
    """The case for the edit form: audited as a consultation (``view_case``)."""
    require(actor, Permission.RECORD_CASE)
    state = view_case(actor, reference, face=face)
    case = visible_case(actor, reference)
    return EditableReport(state, locked_paths(mask_of(actor, case), state.view.report))


def _overlay(actor: Actor, case: m.Case, report: DeathReport, paths: Iterable[str]) -> CaseView:
    """The case, read in full, with the values of ``paths`` that ``report`` changes laid over
    its facts (only paths the actor may change)."""
    full = load_view(case)
    mask = mask_of(actor, case)
    shown, _ = mask_view(full, mask)
    locked = locked_paths(mask, shown.report)
    changes = changed_values(shown.report, report, (p for p in paths if p not in locked))
    values = report_facts(full.report, only_set=False) | changes
    return replace(full, report=report_from_values(values))


def preview_report(
    actor: Actor,
    report: DeathReport,
    *,
    face: str,
    reference: str | None = None,
    paths: Iterable[str] = (),
) -> Evaluation | None:
    """What policy says of facts not yet saved: the floor, the category in force and the unmet
    checklist items (None for a record that is not a death: ``policy.evaluation_of``). For a
    new report (``reference`` None) the report alone; for an existing case its facts with the
    ``paths`` of ``report`` that the actor changed laid over them, masked for the actor, and
    audited as a consultation of that case. Nothing else is written."""
    require(actor, Permission.RECORD_CASE)
    now = utcnow()
    if reference is None:
        return evaluation_of(CaseView(NEW_REPORT, report, opened_at=now), now)
    with use_case(actor):
        case = visible_case(actor, reference)
        view = _overlay(actor, case, report, paths)
        evaluation = evaluation_of(view, now)
        _, shown = mask_case(actor, case, view, evaluation)
        payload = {"face": face, "preview": True}
        audit.record(actor.username, Event.CASE_VIEWED, "case", reference, payload, at=now)
    return shown


@dataclass(frozen=True)
class Revision:
    """What revising a report did: the paths recorded (none if nothing had changed)."""

    reference: str
    changed: tuple[str, ...]
    version: int


def revise_report(
    actor: Actor,
    reference: str,
    report: DeathReport,
    paths: Iterable[str],
    *,
    expected_version: int,
    known_at: datetime | None = None,
) -> Revision:
    """Record, as facts known at ``known_at`` (now), the values of ``paths`` in ``report`` that
    differ from the report as the actor was shown it at ``expected_version``. A stale version
    is refused (``StaleVersion``), and so is a change to a path withheld from the actor
    (``Invalid``); either way nothing is written."""
    require(actor, Permission.RECORD_CASE)
    with use_case(actor):
        case = visible_case(actor, reference, for_update=True)
        check_version(case, expected_version)
        mask = mask_of(actor, case)
        shown, _ = mask_view(load_view(case), mask)
        changes = changed_values(shown.report, report, paths)
        refused = sorted(set(changes) & locked_paths(mask, shown.report))
        if refused:
            raise Invalid(refused[0], "is withheld from you, so it cannot be changed here")
        if not changes:
            return Revision(reference, (), case.version)
        partial = DeathReport.model_validate(unflatten(changes))
        state = record_facts(
            actor, reference, partial, known_at=known_at, expected_version=expected_version
        )
    return Revision(reference, tuple(sorted(changes)), state.version)
