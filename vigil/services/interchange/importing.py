"""Importing the interchange format: idempotent on the case reference.

Each case is written whole or not at all (its own savepoint inside a batch transaction), so a
bad line, a crash or a kill leaves no half-written case; a bad line is reported with its number,
field and reason, and every good line is kept.

Need-to-know travels with the case: a record's ``restricted_to`` restricts the case to those
users and the importer, as ``restrict_case`` does (checked, named, audited). The ``import``
permission is enough to restrict a case the import creates (the case is never seen open, and
refusing it would leave the case out of a migration); a case already in the store (open, or
restricted to other users) is restricted or has users named on it only by an importer whose
role holds ``restrict_case``, else the line is refused and nothing of it written. Each user
must be an active Vigil user, and at least one of them must be able to lift the restriction
(``vigil.services.access.restriction``), else the line is refused. An import never lifts a
restriction: an empty ``restricted_to`` changes nothing.

What the import records is no more than its importer may record: a category decision read from
a file is recorded as imported (``writers.decisions.as_imported``: by whom, from which file and
line, and never as a Vigil user's sign-off or override), an open action must belong to an
active user who can see the case (``investigation.check_owner``), and the report's rules
(``vigil.domain.report.problems``) hold as for every face.

The file is read as bytes (``read_lines``) and each line decoded on its own, so a line that is
not UTF-8, longer than ``MAX_LINE_BYTES``, nested deeper than ``MAX_DEPTH`` or not JSON is
refused with its number and reason, and the other lines are kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO, TypeVar

from django.db import DatabaseError, transaction
from pydantic import ValidationError

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain import facts as factlog
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.investigation import Action
from vigil.domain.limits import REFERENCE
from vigil.interchange.record import CaseRecord
from vigil.records import models as m
from vigil.records.queries import load_facts
from vigil.services.access import restriction
from vigil.services.access.rules import may, record_probe, require, visible_cases
from vigil.services.casework.cases import new_case, writable_record
from vigil.services.casework.investigation import (
    active_users,
    check_action_owner,
    named_on_restricted,
)
from vigil.services.casework.unit import finish
from vigil.services.casework.writers.decisions import add_imported, as_imported
from vigil.services.casework.writers.exhibits import upsert_exhibit
from vigil.services.casework.writers.facts import FactBatch, append_facts
from vigil.services.casework.writers.liaison import upsert_liaison
from vigil.services.casework.writers.persons import upsert_person
from vigil.services.casework.writers.tasks import upsert_action, upsert_referral
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid, ServiceError
from vigil.services.interchange import bulk
from vigil.services.linkage.batchlink import LinkReport, link_store
from vigil.services.linkage.linkwriter import pending_references

BATCH = 500
MAX_LINE_BYTES = 4 * 1024 * 1024
"""The longest line (one case) an import reads; a longer one is refused unread."""
MAX_DEPTH = 32
"""The deepest nesting of objects and arrays in a line; a case needs fewer than ten levels."""
TOO_DEEP = f"is nested more than {MAX_DEPTH} levels deep, which no case is"
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


def _check_restricting(actor: Actor, case: m.Case, named: list[str]) -> None:
    """Refuse (naming ``restricted_to``) to restrict a case already in the store, or to name
    more users on it, for an importer without ``restrict_case``; a record that changes
    nothing of who may see the case passes."""
    if not named or may(actor, Permission.RESTRICT_CASE):
        return
    if case.restricted and set(named) <= set(restriction.named_users(case)):
        return
    raise Invalid(
        "restricted_to",
        f"case {case.reference} was in the store before this import, and only a role that may "
        "restrict cases can restrict it or name users on it; an import restricts only the "
        "cases it creates",
    )


def _owners_named(case: m.Case, named: list[str]) -> frozenset[str] | None:
    """Who may see the case once the record is written, if it is restricted then; else None."""
    before = named_on_restricted(case)
    if not named:
        return before
    return frozenset(named) | (before or frozenset(restriction.named_users(case)))


def _action(case: m.Case, action: Action, named: Collection[str] | None) -> list[str]:
    check_action_owner(action, named=named)
    return upsert_action(case, action)


def import_record(
    actor: Actor,
    record: CaseRecord,
    now: datetime,
    *,
    source: str = "an import",
    ours: Collection[str] = (),
) -> str:
    """Write one case; 'created', 'updated' or 'unchanged'. Call inside a transaction. A
    restricted case the importer is not named on cannot be updated: its reference is taken.
    A record with ``restricted_to`` restricts the case (``users_to_name``) if this import
    created it (here, or earlier: its reference is in ``ours``), else only for an importer
    with ``restrict_case``; a record without one never lifts a restriction. ``source``: the
    file and line, recorded with the record's decisions (``as_imported``)."""
    named = users_to_name(actor, record)
    case = visible_cases(actor).select_for_update().filter(reference=record.reference).first()
    created = case is None
    if case is not None and case.reference not in ours:
        _check_restricting(actor, case, named)
    record = writable_record(actor, record)
    if case is None:
        case = new_case(record.reference, actor, now, record.report.kind)
    base = record.known_at or record.report.reported_at or now
    batches = [FactBatch(base, record.recorded_by, factlog.report_facts(record.report))]
    batches += [
        FactBatch(u.known_at, u.recorded_by, factlog.report_facts(u.report)) for u in record.updates
    ]
    try:
        paths = append_facts(case, batches, now, [] if created else load_facts(case))
    except Invalid as exc:  # a rule of the report, named as in the record
        raise Invalid(f"report.{exc.field}", exc.reason) from None
    by = record.recorded_by
    owners = _owners_named(case, named)
    counts = {
        "persons": _each(
            "persons", record.persons, lambda p: upsert_person(actor, case, p, base, by)
        ),
        "liaison": _each("liaison", record.liaison, lambda e: upsert_liaison(case, e, by)),
        "exhibits": _each("exhibits", record.exhibits, lambda x: upsert_exhibit(case, x, by)),
        "actions": _each("actions", record.actions, lambda a: _action(case, a, owners)),
        "referrals": _each("referrals", record.referrals, lambda r: upsert_referral(case, r)),
        "decisions": _each(
            "decisions",
            record.decisions,
            lambda d: add_imported(case, as_imported(d, actor.username, source)),
        ),
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


def read_lines(stream: BinaryIO, limit: int = MAX_LINE_BYTES) -> Iterator[bytes]:
    """The lines of a file opened in binary mode, undecoded (``parse_line`` decodes each, so
    one bad byte refuses its line only). A line longer than ``limit`` bytes is cut just past
    the limit and the rest of it skipped, so it is refused without being held in memory."""
    while line := stream.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            rest = line
            while rest and not rest.endswith(b"\n"):
                rest = stream.readline(1 << 16)
        yield line


def _too_deep(data: object) -> bool:
    """Whether ``data`` nests more than ``MAX_DEPTH`` objects or arrays (without recursing)."""
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        children: Iterable[object] = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        stack += [(c, depth + 1) for c in children if isinstance(c, dict | list)]
    return False


def _decoded(number: int, line: str | bytes) -> str | LineError:
    """The line as text, or why it cannot be read: too long, or not UTF-8."""
    size = len(line.rstrip(b"\r\n") if isinstance(line, bytes) else line.rstrip("\r\n"))
    if size > MAX_LINE_BYTES:
        return LineError(
            number,
            None,
            "(line)",
            f"is longer than {MAX_LINE_BYTES:,} bytes, the most one line (one case) may have",
        )
    if isinstance(line, str):
        return line
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return LineError(
            number,
            None,
            "(line)",
            f"is not valid UTF-8: byte {line[exc.start]:#04x} at byte {exc.start + 1} of the "
            "line; save the file as UTF-8",
        )
    return text.removeprefix("\ufeff") if number == 1 else text  # a byte order mark


def parse_line(number: int, line: str | bytes) -> CaseRecord | LineError:
    """One line of the file as a record, or why it is refused (its number, field and reason):
    too long, not UTF-8, not JSON, nested too deep, or not a valid record."""
    text = _decoded(number, line)
    if isinstance(text, LineError):
        return text
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return LineError(number, None, "(line)", f"not valid JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return LineError(number, None, "(line)", TOO_DEEP)
    except ValueError as exc:  # a number with thousands of digits, say
        return LineError(number, None, "(line)", f"not valid JSON: {exc}")
    if _too_deep(data):
        return LineError(number, None, "(line)", TOO_DEEP)
    reference = data.get("reference") if isinstance(data, dict) else None
    reference = reference if isinstance(reference, str) and len(reference) <= REFERENCE else None
    try:
        return CaseRecord.model_validate(data)
    except ValidationError as exc:
        error = Invalid.from_pydantic(exc)
        return LineError(number, reference, error.field or "(line)", error.reason)


def _write_batch(
    actor: Actor, pending: list[tuple[int, CaseRecord]], report: ImportReport, source: str
) -> None:
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
        importer = bulk.Importer(actor.username, source, active_users())
        seen = set(stored)
        for number, record in pending:
            if record.reference in seen:
                later.append((number, record))
                continue
            seen.add(record.reference)
            try:
                named = users_to_name(actor, record)
                record = writable_record(actor, record)
                fresh.append((number, bulk.plan(record, now, importer, named, line=number)))
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
        ours = set(report.new_references)
        for number, record in later:
            try:
                with transaction.atomic():
                    outcome = import_record(
                        actor,
                        record,
                        now,
                        source=f"{source}, line {number}",
                        ours=ours,
                    )
            except ServiceError as exc:
                report.errors.append(LineError(number, record.reference, exc.field, exc.reason))
                record_probe(actor, exc)  # a hidden case's reference: audited, once undone
                continue
            except DatabaseError as exc:  # a value no check foresaw: this line only
                reason = f"the database refused it: {(str(exc) or repr(exc)).splitlines()[0]}"
                report.errors.append(LineError(number, record.reference, "(line)", reason))
                continue
            setattr(report, outcome, getattr(report, outcome) + 1)
            if outcome == "created":
                report.new_references.append(record.reference)
                ours.add(record.reference)
    report.errors.sort(key=lambda e: e.line)


def import_lines(
    actor: Actor,
    lines: Iterable[str | bytes],
    *,
    progress: Callable[[int], None] | None = None,
    batch: int = BATCH,
    link: bool = True,
    source: str = "lines given to the importer",
) -> ImportReport:
    """Import JSON Lines (text, or bytes from ``read_lines``, each decoded as UTF-8 on its
    own); blank lines are skipped. ``progress`` gets the number of lines done. ``source``
    names where the lines came from (a file's name) on what the import records.
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
            _write_batch(actor, pending, report, source)
            pending.clear()
            if progress:
                progress(report.lines)
    if pending:
        _write_batch(actor, pending, report, source)
        if progress:
            progress(report.lines)
    report.errors.sort(key=lambda e: e.line)
    if link:
        # Updated cases were re-linked one by one; the new ones (and any a crashed run left
        # pending) are linked here, in one batch that clears their pending marks.
        marked = pending_references()
        if marked:
            report.linked = link_store(actor, only=marked)
    return report
