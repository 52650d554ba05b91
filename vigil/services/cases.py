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
from vigil.domain.people import PersonEntry
from vigil.domain.report import DeathReport
from vigil.interchange.record import REFERENCE_PATTERN
from vigil.records import models as m
from vigil.records.queries import load_facts
from vigil.services.access import require
from vigil.services.errors import Invalid, checked
from vigil.services.unit import CaseState, changing, finish, shown, state_of, utcnow
from vigil.services.writers.facts import FactBatch, append_facts
from vigil.services.writers.persons import upsert_person


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


def new_case(reference: str, actor: Actor, now: datetime) -> m.Case:
    """A new, empty case. A reference already taken is refused as taken even when the case is
    restricted and the actor not named on it (references are allocated, not guessed)."""
    _check_reference(reference)
    if m.Case.objects.filter(reference=reference).exists():
        raise Invalid("reference", f"case '{reference}' exists already")
    try:
        with transaction.atomic():
            return m.Case.objects.create(
                reference=reference, opened_at=now, opened_by=actor.username, updated_at=now
            )
    except IntegrityError:
        raise Invalid("reference", f"case '{reference}' exists already") from None


def open_case(
    actor: Actor, reference: str, report: DeathReport, *, known_at: datetime | None = None
) -> CaseState:
    """Open a case with the facts known so far (a draft may hold very few)."""
    require(actor, Permission.RECORD_CASE)
    report = checked(report)
    now = utcnow()
    with transaction.atomic():
        case = new_case(reference, actor, now)
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
        report = checked(report)
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
    with changing(actor, Permission.RECORD_CASE, reference, expected_version) as (case, now):
        entry = checked(entry)
        changes = upsert_person(case, entry, now, actor.username)
        return finish(
            case,
            actor,
            Event.PERSON_RECORDED,
            {"person": entry.ref, "roles": [r.value for r in entry.roles], "changes": changes},
            now,
        )
