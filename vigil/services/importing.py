"""Importing the interchange format: idempotent on the case reference.

Each case is written whole or not at all (its own savepoint inside a batch transaction), so a
bad line, a crash or a kill leaves no half-written case; a bad line is reported with its number,
field and reason, and every good line is kept.

Need-to-know travels with the case: a record's ``restricted_to`` restricts the case to those
users and the importer, as ``restrict_case`` does (checked, named, audited). The ``import``
permission is enough: carrying a restriction from the file only narrows who sees the case,
and refusing it would leave the case out of a migration. Each user must be an active Vigil
user, else the line is refused. An import never lifts a restriction: an empty
``restricted_to`` changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from django.db import DatabaseError, transaction
from pydantic import ValidationError

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain import facts as factlog
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import UserRole
from vigil.interchange.record import CaseRecord
from vigil.records import models as m
from vigil.records.queries import load_facts
from vigil.services import bulk, restriction
from vigil.services.access import require, visible_cases
from vigil.services.batchlink import LinkReport, link_store
from vigil.services.cases import new_case
from vigil.services.errors import Invalid, ServiceError
from vigil.services.linkwriter import pending_references
from vigil.services.unit import finish, utcnow
from vigil.services.writers.decisions import add_decision
from vigil.services.writers.exhibits import upsert_exhibit
from vigil.services.writers.facts import FactBatch, append_facts
from vigil.services.writers.liaison import upsert_liaison
from vigil.services.writers.persons import upsert_person
from vigil.services.writers.tasks import upsert_action, upsert_referral

BATCH = 500
T = TypeVar("T")


@dataclass(frozen=True)
class LineError:
    line: int
    reference: str | None
    field: str
    reason: str

    def __str__(self) -> str:
        ref = f" ({self.reference})" if self.reference else ""
        return f"line {self.line}{ref}: {self.field}: {self.reason}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[LineError] = field(default_factory=list)
    new_references: list[str] = field(default_factory=list)
    linked: LinkReport | None = None

    @property
    def lines(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.errors)


def _each(prefix: str, items: Iterable[T], write: Callable[[T], object]) -> int:
    """Write each item; how many changed something. Errors name the item: 'exhibits.2.ref'."""
    changed = 0
    for index, item in enumerate(items):
        try:
            changed += bool(write(item))
        except Invalid as exc:
            raise Invalid(f"{prefix}.{index}.{exc.field}", exc.reason) from None
    return changed


def users_to_name(actor: Actor, record: CaseRecord) -> list[str]:
    """The users to name on the case for the record's ``restricted_to`` (the importer among
    them), or none for a record that does not restrict. Refused, naming ``restricted_to``,
    unless each user is an active Vigil user."""
    if not record.restricted_to:
        return []
    return restriction.users_to_name(actor, record.restricted_to, field="restricted_to")


def import_record(actor: Actor, record: CaseRecord, now: datetime) -> str:
    """Write one case; 'created', 'updated' or 'unchanged'. Call inside a transaction. A
    restricted case the importer is not named on cannot be updated: its reference is taken.
    A record with ``restricted_to`` restricts the case (``users_to_name``); a record without
    one never lifts a restriction."""
    named = users_to_name(actor, record)
    case = visible_cases(actor).select_for_update().filter(reference=record.reference).first()
    created = case is None
    if case is None:
        case = new_case(record.reference, actor, now)
    base = record.known_at or record.report.reported_at or now
    batches = [FactBatch(base, record.recorded_by, factlog.report_facts(record.report))]
    batches += [
        FactBatch(u.known_at, u.recorded_by, factlog.report_facts(u.report)) for u in record.updates
    ]
    paths = append_facts(case, batches, now, [] if created else load_facts(case))
    by = record.recorded_by
    counts = {
        "persons": _each("persons", record.persons, lambda p: upsert_person(case, p, base, by)),
        "liaison": _each("liaison", record.liaison, lambda e: upsert_liaison(case, e, by)),
        "exhibits": _each("exhibits", record.exhibits, lambda x: upsert_exhibit(case, x, by)),
        "actions": _each("actions", record.actions, lambda a: upsert_action(case, a)),
        "referrals": _each("referrals", record.referrals, lambda r: upsert_referral(case, r)),
        "decisions": _each("decisions", record.decisions, lambda d: add_decision(case, d, now)),
    }
    restricted = bool(named) and restriction.restrict(actor, case, named)
    if not created and not paths and not any(counts.values()) and not restricted:
        return "unchanged"
    payload = {"created": created, "facts": paths, "counts": counts}
    finish(case, actor, Event.CASE_IMPORTED, payload, now)
    if restricted:
        payload = {"named": restriction.named_users(case)}
        audit.record(actor.username, Event.CASE_RESTRICTED, "case", case.reference, payload, at=now)
    return "created" if created else "updated"


def parse_line(number: int, text: str) -> CaseRecord | LineError:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return LineError(number, None, "(line)", f"not valid JSON: {exc.msg} at column {exc.colno}")
    reference = data.get("reference") if isinstance(data, dict) else None
    try:
        return CaseRecord.model_validate(data)
    except ValidationError as exc:
        error = Invalid.from_pydantic(exc)
        return LineError(number, reference, error.field or "(line)", error.reason)


def _roles() -> Callable[[str], UserRole | None]:
    roles = dict(m.Profile.objects.values_list("user__username", "role"))
    return lambda username: UserRole(roles[username]) if username in roles else None


def _write_batch(actor: Actor, pending: list[tuple[int, CaseRecord]], report: ImportReport) -> None:
    """One transaction: cases new to the store through the bulk path, the rest (updates, and a
    reference seen twice in the batch) one savepoint each."""
    now = utcnow()
    with transaction.atomic():
        stored = set(
            m.Case.objects.filter(reference__in=[r.reference for _, r in pending]).values_list(
                "reference", flat=True
            )
        )
        fresh: list[tuple[int, bulk.Planned]] = []
        later: list[tuple[int, CaseRecord]] = []
        role_of, seen = _roles(), set(stored)
        for number, record in pending:
            if record.reference in seen:
                later.append((number, record))
                continue
            seen.add(record.reference)
            try:
                named = users_to_name(actor, record)
                fresh.append((number, bulk.plan(record, now, role_of, named)))
            except ServiceError as exc:
                report.errors.append(LineError(number, record.reference, exc.field, exc.reason))
        try:
            with transaction.atomic():
                bulk.write([p for _, p in fresh], actor, now)
            report.created += len(fresh)
            report.new_references += [p.view.reference for _, p in fresh]
        except DatabaseError:
            # Should not happen once checked; isolate the line at fault the slow way.
            later = sorted(
                later + [(n, r) for n, r in pending if n in {number for number, _ in fresh}]
            )
        for number, record in later:
            try:
                with transaction.atomic():
                    outcome = import_record(actor, record, now)
            except ServiceError as exc:
                report.errors.append(LineError(number, record.reference, exc.field, exc.reason))
                continue
            setattr(report, outcome, getattr(report, outcome) + 1)
    report.errors.sort(key=lambda e: e.line)


def import_lines(
    actor: Actor,
    lines: Iterable[str],
    *,
    progress: Callable[[int], None] | None = None,
    batch: int = BATCH,
    link: bool = True,
) -> ImportReport:
    """Import JSON Lines; blank lines are skipped. ``progress`` gets the number of lines done.
    Each batch of lines is one transaction, so a crash loses at most the batch in hand, and
    never part of a case. The new cases are then linked in one batch, unless ``link`` is
    False (a migration of many files, linked once at the end with ``link_store``)."""
    require(actor, Permission.IMPORT)
    report = ImportReport()
    pending: list[tuple[int, CaseRecord]] = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        parsed = parse_line(number, text)
        if isinstance(parsed, LineError):
            report.errors.append(parsed)
            continue
        pending.append((number, parsed))
        if len(pending) >= batch:
            _write_batch(actor, pending, report)
            pending.clear()
            if progress:
                progress(report.lines)
    if pending:
        _write_batch(actor, pending, report)
        if progress:
            progress(report.lines)
    report.errors.sort(key=lambda e: e.line)
    if link:
        # Updated cases were re-linked one by one; the new ones (and any a crashed run left
        # pending) are linked here, in one batch that clears their pending marks.
        pending = pending_references()
        if pending:
            report.linked = link_store(actor, only=pending)
    return report
