"""A portal report made into a record of its own (issue 13, item 3): a drugging report (a crime
report of drugging or sexual violence) or an intelligence entry, opened by a safeguarding
officer from a report of drugging sent through the portal. A family concern is not made into
a record: it is about a death, and is linked to it (``triage.record_as_case``).

The record is opened as every record is (``cases.new_case``, the one writer of facts, the
same checks, ``finish``: evaluated, audited ``case.opened``, linked at once), its facts filled
from the decrypted answers (``draft``); the submission then names it (``case_reference``) and
the audit trail says who made it from which report (``portal.made_record``, beside the
``portal.opened`` of the decryption). Nothing is kept in the clear but the new record's facts:
the preview (``preview_record``) decrypts, shows and forgets; making it (``make_record``)
decrypts again with the passphrase typed again.

**Who may see it.** The record is restricted, from the moment it is opened, to the
safeguarding team: the officer who made it and every active safeguarding officer. The portal
told the reporter "only that team can unlock it", and the record holds a survivor's account of
sexual violence and drug use; restricting it to the officer alone would also take the report
and its conversation with the reporter out of the rest of the team's queue (a submission naming
a case an officer may not see is, for them, not there), and leave nobody to answer the reporter
when that officer is away. Linkage still runs on it at once: a link to a death raises its alert,
which the team sees in full (``view_alerts``). The death's analyst is told at once that a
record held by the team is linked to their death, and whom to ask, and nothing else of it: a
notice on the death, an action allocated to them (``services.linkage.notices``). They see the
alert itself when an officer of the team names them on the record (``vigil case name``) or
lifts the restriction, having weighed what the reporter agreed to. Safeguarding officers hold
``restrict_case``, so the restriction can always be lifted.

**The reporter's contact details** are never copied into the record: how they asked to be
contacted stays in the sealed report, where the team reads it (only ``wants_contact`` is a
fact). A phone number, e-mail address, handle, postal address (by house number and street,
whatever town and postcode go with it) or postcode of that contact route written in the copied
text (their account, where it happened, say) is replaced by words saying where it is kept, so
it never becomes an identifier that linkage weighs: only the person reported's identifiers are
linked, and one the report gives for them (handle, phone, address) stays even where the
reporter gave the same as their own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from pydantic import ValidationError

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain import facts as factlog
from vigil.domain import kinds, limits
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import (
    IdentifierKind,
    IntelligenceType,
    RecordKind,
    Reporter,
    Role,
    UserRole,
)
from vigil.domain.people import Identifier, PersonEntry
from vigil.domain.report import DeathReport
from vigil.domain.sealing import SealingError, TeamIdentity
from vigil.linkage.text import identifier_spans
from vigil.records import models as m
from vigil.services.access.restriction import named_users, restrict, users_to_name
from vigil.services.access.rules import require, use_case
from vigil.services.casework.cases import new_case, writable_report
from vigil.services.casework.unit import refresh
from vigil.services.casework.writers.facts import FactBatch, append_facts
from vigil.services.casework.writers.persons import upsert_person
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid, checked
from vigil.services.linkage.linking import relink
from vigil.services.portal import questions
from vigil.services.portal.queue import TriageRow, triage_row, visible_submission
from vigil.services.portal.triage import read_sealed_report, refusal, unlocked
from vigil.services.readmodels.shapes import ReadModel

#: The records a portal report may become, with the words that offer each.
RECORD_KINDS: Mapping[str, str] = {
    RecordKind.DRUGGING.value: "Make a drugging report record",
    RecordKind.INTELLIGENCE.value: "Make an intelligence entry",
}
PORTAL_SOURCE = "the public portal"
SEALED_CONTACT = "(the reporter's contact details: kept in portal report {id})"
# Words that say a reporter does not know what was used; never a substance.
_HEDGE_WORDS = """
    i dont don't know known unknown unsure sure think maybe perhaps probably idea not no
    nothing something drink drinks
"""
_HEDGES = frozenset(_HEDGE_WORDS.split())
_SUBSTANCE_BREAKS = re.compile(r"[,;/+\n]|\band\b|\bor\b|&")


@dataclass(frozen=True)
class RecordSpec:
    """What the officer chose: the kind of record (a key of ``RECORD_KINDS``), its reference,
    and for an intelligence entry what it records (an ``IntelligenceType`` value)."""

    kind: str
    reference: str
    intelligence_type: str = ""


class RecordPreview(ReadModel):
    """The record a portal report would become, before anything is stored: its kind and
    reference, its facts, the person reported on an intelligence entry, who will see it, and
    what of the report stays only in the sealed report."""

    submission: int
    kind: str
    reference: str
    report: DeathReport
    persons: tuple[PersonEntry, ...]
    restricted_to: tuple[str, ...]
    kept_sealed: tuple[str, ...]


class MadeRecord(ReadModel):
    """A record made from a portal report: its reference and the report as the queue shows it
    now (naming the record)."""

    reference: str
    kind: str
    report: TriageRow


@dataclass(frozen=True)
class Draft:
    """A record's content from a report's answers: its report and persons, and what stays
    sealed, in words."""

    report: DeathReport
    persons: tuple[PersonEntry, ...]
    kept_sealed: tuple[str, ...]


# --- the record's content from the answers (no storage here)


def _substances(words: str) -> tuple[str, ...]:
    """What a reporter thinks was used, as substances ('ghb, maybe alcohol' -> ghb, alcohol):
    short names only; a sentence ('I think something in my drink') gives none (their words
    are kept in the account)."""
    found: list[str] = []
    for piece in _SUBSTANCE_BREAKS.split(words.lower()):
        said = [w for w in re.split(r"[^\w'-]+", piece) if w]
        parts = [w for w in said if w not in _HEDGES]
        name = " ".join(parts)
        if len(said) > 3 or not name or len(parts) > 2 or len(name) > limits.SUBSTANCE:
            continue  # a sentence, or nothing but doubt
        if name not in found:
            found.append(name)
    return tuple(found)


def _keys(text: str | None) -> set[str]:
    """The phones, e-mail addresses, handles, postal addresses and postcodes ``text`` gives."""
    return {key for _, _, key in identifier_spans(text)}


def _without(text: str, keys: set[str], submission_id: int) -> str:
    """``text`` with every phone, e-mail address, handle, postal address or postcode among
    ``keys`` replaced by words saying where it is kept. An address is kept or replaced whole:
    a postcode inside one that is kept (the person reported's, say) stays."""
    out, last = [], 0
    for start, end, key in identifier_spans(text):
        if start < last:
            continue  # inside what was copied or replaced already
        kept = text[start:end] if key not in keys else SEALED_CONTACT.format(id=submission_id)
        out += [text[last:start], kept]
        last = end
    return "".join([*out, text[last:]])


def _account(lines: list[tuple[str, str]], first: str) -> str | None:
    """The record's account: the reporter's own words first, then the answers that have no
    field of their own, each after words that say what it answers (capitalised words that
    linkage never takes for a name)."""
    parts = [first] if first else []
    given = [f"{label}: {text}" for label, text in lines if text]
    if given:
        parts.append("\n".join(given))
    return "\n\n".join(parts) or None


def _identifier(kind: IdentifierKind, value: str) -> Identifier | None:
    try:
        return Identifier(kind=kind, value=value)
    except ValidationError:  # nothing in it to match (a phone with no number in it, say)
        return None


def _person_reported(
    answers: Mapping[str, str],
) -> tuple[PersonEntry | None, list[tuple[str, str]]]:
    """The person reported as a person on an intelligence entry, with the identifiers the
    report gives for them; the lines of those that are not identifiers (kept in the text)."""
    given = (
        (IdentifierKind.HANDLE, "handle", "Their handle, as given"),
        (IdentifierKind.ALIAS, "name_used", "The name they used, as given"),
        (IdentifierKind.PHONE, "phone", "Their phone number, as given"),
        (IdentifierKind.ADDRESS, "address", "An address linked to them, as given"),
    )
    identifiers, left = [], []
    for kind, name, label in given:
        value = answers.get(name, "")
        if value:
            made = _identifier(kind, value)
            if made:
                identifiers.append(made)
            else:
                left.append((label, value))
    if not identifiers:
        return None, left
    return PersonEntry(roles=(Role.PERSON_REPORTED,), identifiers=tuple(identifiers)), left


def known_from(received_on: date) -> datetime:
    """When the record's facts became known: the start of the day the report came in (the
    portal keeps no time of day, so none is made up: the record's ``reported_at`` is left
    unknown, and the day is written in its account)."""
    return datetime.combine(received_on, time.min, tzinfo=timezone.get_current_timezone())


def draft(
    spec: RecordSpec, answers: Mapping[str, str], *, submission_id: int, received_on: date
) -> Draft:
    """The record a report of drugging becomes: the answers in the fields of ``spec.kind``,
    and the rest, with the day the report came in, in its account (``circumstances``)."""
    reported = "\n".join(answers.get(name, "") for name in ("handle", "phone", "address"))
    contact = _keys(answers.get("contact_how")) - _keys(reported)

    def said(name: str) -> str:
        return _without(answers.get(name, "").strip(), contact, submission_id)

    who = dict(questions.QUESTIONS[questions.DRUGGING][0].choices).get(answers.get("who", ""), "")
    values: dict[str, Any] = {"kind": spec.kind}
    if said("where"):
        values["location.address"] = said("where")
    came = f"{received_on.day} {received_on:%B %Y} (portal report {submission_id})"
    lines = [("When it happened, in their words", said("when"))]
    kept = []
    if answers.get("contact_how"):
        kept.append("How the reporter asked to be contacted stays in the sealed report.")
    persons: tuple[PersonEntry, ...] = ()
    if spec.kind == RecordKind.DRUGGING:
        reporters = {"me": Reporter.SURVIVOR, "other": Reporter.THIRD_PARTY}
        reporter = reporters.get(answers.get("who", ""))
        wants = {"yes": True, "no": False}.get(answers.get("contact", ""))
        values |= {
            "drugging.reporter": reporter,
            "drugging.met_via": said("met_how") or None,
            "drugging.app": said("app") or None,
            "drugging.handle": answers.get("handle") or None,
            "drugging.name_used": answers.get("name_used") or None,
            "drugging.phone": answers.get("phone") or None,
            "drugging.address": answers.get("address") or None,
            "drugging.description": said("description") or None,
            "drugging.substances_suspected": _substances(answers.get("substances", "")),
            "drugging.wants_contact": wants,
        }
        lines.append(("What they think was used, in their words", said("substances")))
    else:
        values |= {
            "intelligence.type": spec.intelligence_type,
            "intelligence.source": PORTAL_SOURCE,
            "intelligence.source_reference": f"portal report {submission_id}",
        }
        person, left = _person_reported(answers)
        persons = (person,) if person else ()
        lines += [
            ("Who it happened to", who),
            ("What they think was used, in their words", said("substances")),
            ("How they met the person, in their words", said("met_how")),
            ("The app or website", said("app")),
            ("What the person reported looks like, in their words", said("description")),
            *left,
        ]
    lines.append(("It came through the public portal", came))
    values["circumstances"] = _account(lines, said("what_happened"))
    given = {path: value for path, value in values.items() if value not in (None, (), "")}
    report = DeathReport.model_validate(factlog.unflatten(given))
    return Draft(report, persons, tuple(kept))


# --- the use cases


def _checked_spec(spec: RecordSpec) -> RecordSpec:
    """The officer's choice, refused naming the field when it is not one Vigil offers."""
    if spec.kind not in RECORD_KINDS:
        raise Invalid(
            "kind", "choose which record to make: a drugging report or an intelligence entry"
        )
    kind = RecordKind(spec.kind)
    if not spec.reference.strip():
        raise Invalid("reference", "enter the reference the new record will have")
    wanted = ""
    if kind is RecordKind.INTELLIGENCE:
        if spec.intelligence_type not in {t.value for t in IntelligenceType}:
            raise Invalid("intelligence_type", "choose what the intelligence entry records")
        wanted = spec.intelligence_type
    return RecordSpec(kind.value, spec.reference.strip(), wanted)


def _makeable(submission: m.Submission) -> None:
    """Refused, naming the field, unless the report may become a record: a report of drugging
    that names no case yet (one report, one record, whoever asks second)."""
    if submission.kind != m.Submission.Kind.DRUGGING:
        raise Invalid(
            "kind",
            "a family concern is not made into a record: it is about a death, so link it to "
            "the death's case instead",
        )
    if submission.case_reference:
        raise Invalid(
            "reference", f"this report is recorded as case {submission.case_reference} already"
        )


def _team(actor: Actor) -> list[str]:
    """The users the record is restricted to: the actor and every active safeguarding
    officer (checked by ``users_to_name``: someone of them can lift it)."""
    role = UserRole.SAFEGUARDING_OFFICER.value
    team = m.Profile.objects.filter(role=role, user__is_active=True)
    return users_to_name(actor, team.values_list("user__username", flat=True), field="reference")


def _content(
    actor: Actor, spec: RecordSpec, submission: m.Submission, identity: TeamIdentity
) -> Draft:
    """The record's content from the submission decrypted, as ``actor`` may write it."""
    answers = read_sealed_report(submission, identity).answers
    made = draft(spec, answers, submission_id=submission.pk, received_on=submission.received_on)
    report = writable_report(actor, checked(made.report))
    return Draft(report, tuple(checked(p) for p in made.persons), made.kept_sealed)


def _opened(actor: Actor, submission: m.Submission, face: str, outcome: str) -> None:
    payload = {"face": face, "opened": True, "outcome": outcome}
    audit.record(actor.username, Event.PORTAL_OPENED, "portal", str(submission.pk), payload)


def _starting(actor: Actor, submission_id: int, spec: RecordSpec) -> RecordSpec:
    """The checks made before the passphrase unlocks anything (about a second)."""
    require(actor, Permission.TRIAGE_REPORTS)
    require(actor, Permission.RECORD_CASE)
    _makeable(visible_submission(actor, submission_id))  # not found, or not makeable: at once
    return _checked_spec(spec)


@sensitive_variables("team_passphrase", "identity", "content")  # never in an error report
def preview_record(
    actor: Actor, submission_id: int, team_passphrase: str, spec: RecordSpec, *, face: str
) -> RecordPreview:
    """What making ``spec`` from the report would store, decrypted for this answer only and
    stored nowhere; audited as an opening. Refused as making it would be: the reference
    checked as a new case's is (taken, or not a reference), the facts as the writer checks
    them, naming the field."""
    spec = _starting(actor, submission_id, spec)
    identity = unlocked(actor, submission_id, team_passphrase, face=face)
    try:
        with use_case(actor):
            submission = visible_submission(actor, submission_id)
            _makeable(submission)
            content = _content(actor, spec, submission, identity)
            with transaction.atomic():  # the reference as opening would take it; then undone
                new_case(spec.reference, actor, utcnow(), RecordKind(spec.kind))
                transaction.set_rollback(True)
            noun = kinds.a_kind(spec.kind)
            _opened(actor, submission, face, f"read to preview it as {noun}")
            team = _team(actor)
    except SealingError as error:
        raise refusal(actor, submission_id, face, error) from None
    return RecordPreview(
        submission=submission_id,
        kind=spec.kind,
        reference=spec.reference,
        report=content.report,
        persons=content.persons,
        restricted_to=tuple(team),
        kept_sealed=content.kept_sealed,
    )


@sensitive_variables("team_passphrase", "identity", "content")  # never in an error report
def make_record(
    actor: Actor, submission_id: int, team_passphrase: str, spec: RecordSpec, *, face: str
) -> MadeRecord:
    """Open the record ``spec`` asks for from the report, decrypted with the team's identity
    unlocked by ``team_passphrase`` for this call only: its facts known from the day the
    report came, restricted to the safeguarding team, linked at once; the submission names it.
    Audited: ``case.opened`` (and ``case.person_recorded`` for the person reported on an
    intelligence entry), ``case.restricted``, ``portal.opened`` and ``portal.made_record``.
    Nothing is changed when anything is refused."""
    spec = _starting(actor, submission_id, spec)
    identity = unlocked(actor, submission_id, team_passphrase, face=face)
    now = utcnow()
    kind = RecordKind(spec.kind)
    try:
        with use_case(actor):
            submission = visible_submission(actor, submission_id, for_update=True)
            _makeable(submission)
            content = _content(actor, spec, submission, identity)
            known = known_from(submission.received_on)
            case = new_case(spec.reference, actor, now, kind)
            facts = factlog.report_facts(content.report)
            paths = append_facts(case, [FactBatch(known, actor.username, facts)], now, [])
            recorded = [
                (entry, upsert_person(actor, case, entry, known, actor.username))
                for entry in content.persons
            ]
            restrict(actor, case, _team(actor))  # before linking: its alerts name only the team
            # ``unit.finish``, with the rows of the persons and the restriction between the
            # opening and the linking, in the order they happened
            state = refresh(case, now)
            audit.record(
                actor.username, Event.CASE_OPENED, "case", case.reference, {"facts": paths}
            )
            for entry, person in recorded:
                roles = [r.value for r in entry.roles]
                payload = {
                    "person": person.ref,
                    "given": "",
                    "roles": roles,
                    "changes": person.changes,
                }
                audit.record(actor.username, Event.PERSON_RECORDED, "case", case.reference, payload)
            named = named_users(case)
            audit.record(
                actor.username, Event.CASE_RESTRICTED, "case", case.reference, {"named": named}
            )
            relink(case, state.view, actor, now)
            submission.case_reference = case.reference
            if submission.status == m.Submission.Status.NEW:
                submission.status = m.Submission.Status.OPEN
            submission.save(update_fields=["case_reference", "status"])
            _opened(actor, submission, face, f"read to make it {kinds.a_kind(kind)}")
            payload = {"case": case.reference, "kind": kinds.noun(kind), "restricted_to": named}
            audit.record(
                actor.username, Event.PORTAL_MADE_RECORD, "portal", str(submission.pk), payload
            )
    except SealingError as error:
        raise refusal(actor, submission_id, face, error) from None
    except ValidationError as exc:  # a value the domain refuses, read back as the case is folded
        raise Invalid.from_pydantic(exc) from None
    return MadeRecord(reference=case.reference, kind=kind.value, report=triage_row(submission, now))
