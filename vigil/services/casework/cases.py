"""Opening a case and recording what becomes known about it."""

from __future__ import annotations

import re
from datetime import datetime

from django.db import IntegrityError, transaction

from vigil.audit.events import Event
from vigil.domain import facts as factlog
from vigil.domain import limits
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import RecordKind
from vigil.domain.masking import SENSITIVE_PATHS
from vigil.domain.people import PersonEntry
from vigil.domain.report import DeathReport
from vigil.interchange.record import REFERENCE_PATTERN, CaseRecord
from vigil.records import models as m
from vigil.records.queries import load_facts
from vigil.services.access.rules import Unusable, may, require, use_case, visible_cases
from vigil.services.casework.unit import CaseState, changing, finish, shown, state_of
from vigil.services.casework.writers.facts import FactBatch, append_facts
from vigil.services.casework.writers.persons import upsert_person
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid, checked


def _check_reference(reference: str) -> None:
    if len(reference) > limits.REFERENCE:
        raise Invalid(
            "reference",
            f"has {len(reference)} characters; a case reference has at most {limits.REFERENCE}",
        )
    if not re.match(REFERENCE_PATTERN, reference):
        raise Invalid(
            "reference",
            f"use 1 to {limits.REFERENCE} letters, digits and / _ . : - , "
            "starting with a letter or digit",
        )


def unusable(actor: Actor, reference: str) -> Invalid:
    """The refusal of a reference a new case cannot have: the same words whether the case that
    has it is one the actor may see or not (references are allocated, not guessed). Taken by a
    case the actor may not see, it is a ``Probe``, which ``use_case`` audits."""
    reason = f"'{reference}' cannot be used for a new case; give another reference"
    if visible_cases(actor).filter(reference=reference).exists():
        return Invalid("reference", reason)
    return Unusable("reference", reason, reference=reference, attempt="open a new case as")


def new_case(
    reference: str, actor: Actor, now: datetime, kind: RecordKind = RecordKind.DEATH
) -> m.Case:
    """A new, empty case of ``kind`` (fixed from now on: ``writers.facts`` refuses a fact that
    would change it); a reference already taken is refused (``unusable``)."""
    _check_reference(reference)
    if m.Case.objects.filter(reference=reference).exists():
        raise unusable(actor, reference)
    try:
        with transaction.atomic():
            return m.Case.objects.create(
                reference=reference,
                kind=kind.value,
                opened_at=now,
                opened_by=actor.username,
                updated_at=now,
            )
    except IntegrityError:
        raise unusable(actor, reference) from None


def writable_report(actor: Actor, report: DeathReport, *, field: str = "") -> DeathReport:
    """``report`` as ``actor`` may write it. A sensitive field given a value by a role that may
    not read it is refused (``Invalid``, naming the field), whatever the value, as the web form
    does; given empty, it is left out (it would erase what they may not see)."""
    if may(actor, Permission.SEE_SENSITIVE):
        return report
    given = factlog.report_facts(report)
    sensitive = sorted(SENSITIVE_PATHS & given.keys())
    for path in sensitive:
        if given[path] is not None:
            prefix = f"{field}." if field else ""
            raise Invalid(f"{prefix}{path}", "is withheld from you, so it cannot be recorded here")
    if not sensitive:
        return report
    kept = {path: value for path, value in given.items() if path not in SENSITIVE_PATHS}
    return DeathReport.model_validate(factlog.unflatten(kept))


def writable_record(actor: Actor, record: CaseRecord) -> CaseRecord:
    """``writable_report`` for an import line's report and each of its updates."""
    updates = tuple(
        u.model_copy(
            update={"report": writable_report(actor, u.report, field=f"updates.{i}.report")}
        )
        for i, u in enumerate(record.updates)
    )
    report = writable_report(actor, record.report, field="report")
    return record.model_copy(update={"report": report, "updates": updates})


def open_case(
    actor: Actor, reference: str, report: DeathReport, *, known_at: datetime | None = None
) -> CaseState:
    """Open a case with the facts known so far (a draft may hold very few), of the kind the
    report says (a death unless it says otherwise)."""
    require(actor, Permission.RECORD_CASE)
    report = writable_report(actor, checked(report))
    now = utcnow()
    with use_case(actor):
        case = new_case(reference, actor, now, report.kind)
        batch = FactBatch(known_at or now, actor.username, factlog.report_facts(report))
        paths = append_facts(case, [batch], now, [])
        return finish(case, actor, Event.CASE_OPENED, {"facts": paths}, now)


def record_facts(
    actor: Actor,
    reference: str,
    report: DeathReport,
    *,
    known_at: datetime | None = None,
    expected_version: int | None = None,
) -> CaseState:
    """Record the fields given in ``report`` (only those set) as known at ``known_at``."""
    with changing(actor, Permission.RECORD_CASE, reference, expected_version) as (case, now):
        report = writable_report(actor, checked(report))
        batch = FactBatch(known_at or now, actor.username, factlog.report_facts(report))
        paths = append_facts(case, [batch], now, load_facts(case))
        if not paths:
            return shown(actor, case, state_of(case, now))
        return finish(
            case,
            actor,
            Event.FACTS_RECORDED,
            {"facts": paths, "known_at": batch.known_at.isoformat()},
            now,
        )


def record_person(
    actor: Actor, reference: str, entry: PersonEntry, *, expected_version: int | None = None
) -> CaseState:
    """Record a person's part in the case. Their ref names someone the actor may see on a case,
    or else someone new (``writers.persons``); the audit row names the person's ref in Vigil
    and the ref given."""
    with changing(actor, Permission.RECORD_CASE, reference, expected_version) as (case, now):
        entry = checked(entry)
        recorded = upsert_person(actor, case, entry, now, actor.username)
        return finish(
            case,
            actor,
            Event.PERSON_RECORDED,
            {
                "person": recorded.ref,
                "given": entry.ref,
                "roles": [r.value for r in entry.roles],
                "changes": recorded.changes,
            },
            now,
        )
