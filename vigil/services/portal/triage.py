"""The safeguarding team's use cases on the portal's reports: open one (decrypt it with the
team's key, unlocked by the team's passphrase for this call only), reply to the reporter, close
it with an outcome, record it as a case. Each is one transaction with its audit row, and each
needs ``triage_reports``; a report naming a case the officer may not see is not found
(``vigil.services.portal.queue``).

The passphrase is an argument and nothing more: it is never stored, logged, audited or put in
a session, and the unlocked identity (``vigil.domain.sealing.TeamIdentity``, which refuses to be
pickled) lives in this call's memory only. Every opening is audited, a refused one too (wrong
passphrase, no team key, a report sealed to another key), so the trail shows every attempt to
read a report and by whom. The audit rows name reports by id and never hold a reporter's words
or an officer's reply.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain import limits
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.sealing import SealingError, SealingProblem, TeamIdentity, open_sealed
from vigil.domain.sealing import unlock_identity as unlock
from vigil.records import models as m
from vigil.services.access.rules import require, use_case, visible_case
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid
from vigil.services.portal import sealed
from vigil.services.portal.named import recheck
from vigil.services.portal.questions import answer_rows
from vigil.services.portal.queue import TriageRow, triage_row, visible_submission
from vigil.services.readmodels.shapes import ReadModel

NOT_SET_UP = (
    "the portal's team key is not set up: an administrator makes it with `vigil portal keys`"
)
PASSPHRASE = "team_passphrase"  # the field a refused opening names
WRONG_PASSPHRASE = "is not the team's: check it and try again"


class Answer(ReadModel):
    """One answer of a report: the question as the reporter was asked it, and what they wrote."""

    question: str
    text: str


class Message(ReadModel):
    """A message of the conversation, either way, decrypted."""

    author: str  # 'reporter' or 'officer'
    author_label: str
    officer: str
    sent_on: date
    text: str


class OpenedReport(ReadModel):
    """A report opened by a safeguarding officer: its metadata, its answers and the
    conversation, decrypted for this one answer."""

    report: TriageRow
    answers: tuple[Answer, ...]
    messages: tuple[Message, ...]


def _question(label: str) -> str:
    """A question in words: its label, or for a question the portal no longer asks, its name
    as words ('met_how' reads 'Met how')."""
    if " " in label:
        return label
    words = label.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _read(submission: m.Submission, identity: TeamIdentity) -> OpenedReport:
    """The submission decrypted with the team's identity; SealingError if a blob will not open."""
    report = read_sealed_report(submission, identity)
    messages = tuple(
        Message(
            author=message.author,
            author_label=m.PortalMessage.Author(message.author).label,
            officer=message.officer,
            sent_on=message.sent_on,
            text=sealed.read_message(open_sealed(bytes(message.sealed), identity)),
        )
        for message in submission.messages.order_by("pk")
    )
    rows = answer_rows(report.kind or submission.kind, report.answers)
    answers = tuple(Answer(question=_question(q), text=t) for q, t in rows)
    return OpenedReport(report=triage_row(submission, utcnow()), answers=answers, messages=messages)


def _team_identity() -> bytes | None:
    """The team's protected identity as `vigil portal keys` wrote it, or None if there is none."""
    try:
        return settings.VIGIL.portal_identity_file.read_bytes()
    except OSError:
        return None


def _refused(actor: Actor, submission_id: int, face: str, why: str) -> None:
    """Audit an opening that failed, in its own transaction (the refusal is kept)."""
    payload = {"face": face, "opened": False, "outcome": f"refused, {why[:1].lower()}{why[1:]}"}
    with transaction.atomic():
        audit.record(actor.username, Event.PORTAL_OPENED, "portal", str(submission_id), payload)


def refusal(actor: Actor, submission_id: int, face: str, error: SealingError) -> Invalid:
    """Audit an opening that ``error`` refused; the refusal to raise, naming
    ``team_passphrase`` for a wrong passphrase, else the portal."""
    _refused(actor, submission_id, face, error.problem.sentence)
    if error.problem is SealingProblem.WRONG_PASSPHRASE:
        return Invalid(PASSPHRASE, WRONG_PASSPHRASE)
    return Invalid("portal", error.problem.sentence)


@sensitive_variables("team_passphrase")  # never in an error report
def unlocked(actor: Actor, submission_id: int, team_passphrase: str, *, face: str) -> TeamIdentity:
    """The team's identity unlocked by ``team_passphrase`` (about a second: call it outside a
    transaction), to open submission ``submission_id``; a refusal is audited as a failed
    opening of it and raised (``refusal``; the portal's, when there is no team key)."""
    protected = _team_identity()
    if protected is None:
        _refused(actor, submission_id, face, "The team key is not set up.")
        raise Invalid("portal", NOT_SET_UP)
    try:
        return unlock(protected, team_passphrase)
    except SealingError as error:
        raise refusal(actor, submission_id, face, error) from None


def read_sealed_report(submission: m.Submission, identity: TeamIdentity) -> sealed.Report:
    """The submission's report decrypted; SealingError if it will not open or is not a report
    of a format this version knows."""
    try:
        return sealed.read_report(open_sealed(bytes(submission.sealed), identity))
    except ValueError:  # opened, but not a report of a format this version knows
        raise SealingError(SealingProblem.DAMAGED_SUBMISSION) from None


@sensitive_variables("team_passphrase", "identity", "opened")  # never in an error report
def open_submission(
    actor: Actor, submission_id: int, team_passphrase: str, *, face: str
) -> OpenedReport:
    """The report and its conversation, decrypted with the team's identity unlocked by
    ``team_passphrase`` for this call only. Audited every time, refused or not (never with the
    passphrase); a new report becomes open. ``Invalid`` naming ``team_passphrase`` for a wrong
    passphrase, or the portal for a missing team key or a report it cannot open."""
    require(actor, Permission.TRIAGE_REPORTS)
    visible_submission(actor, submission_id)  # not found: before the second the unlock takes
    identity = unlocked(actor, submission_id, team_passphrase, face=face)
    try:
        with transaction.atomic():
            submission = visible_submission(actor, submission_id, for_update=True)
            if submission.status == m.Submission.Status.NEW:
                submission.status = m.Submission.Status.OPEN
                submission.save(update_fields=["status"])
            opened = _read(submission, identity)  # refused: the status change is rolled back
            count = len(opened.messages)
            outcome = f"read, with {count} message{'' if count == 1 else 's'}"
            payload = {"face": face, "opened": True, "outcome": outcome}
            audit.record(actor.username, Event.PORTAL_OPENED, "portal", str(submission.pk), payload)
    except SealingError as error:
        raise refusal(actor, submission_id, face, error) from None
    return opened


def _text(value: str, field: str, missing: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise Invalid(field, missing)
    if len(text) > limit:
        raise Invalid(field, f"must be {limit:,} characters or fewer")
    return text


def reply(actor: Actor, submission_id: int, text: str, *, now: datetime | None = None) -> int:
    """Send ``text`` to the reporter: sealed to the team's key and to the submission's reporter
    key (so the reporter reads it with their receipt code, and nobody without either key can),
    and the answer no longer due. No passphrase is needed to seal. The new message's id."""
    require(actor, Permission.TRIAGE_REPORTS)
    words = _text(text, "text", "enter your reply", limits.NOTE)
    now = now or utcnow()
    with transaction.atomic():
        submission = visible_submission(actor, submission_id, for_update=True)
        try:
            blob = sealed.seal_for(submission.reporter_key, sealed.message_plaintext(words))
        except sealed.NotSetUp:
            raise Invalid("portal", NOT_SET_UP) from None
        except SealingError as error:
            raise Invalid("portal", error.problem.sentence) from None
        message = m.PortalMessage.objects.create(
            submission=submission,
            author=m.PortalMessage.Author.OFFICER,
            officer=actor.username,
            sent_on=timezone.localdate(now),
            sealed=blob,
        )
        submission.answer_due = None
        if submission.status == m.Submission.Status.NEW:
            submission.status = m.Submission.Status.OPEN
        submission.save(update_fields=["answer_due", "status"])
        recheck(submission.case_reference, now)
        payload = {"message": message.pk}
        audit.record(actor.username, Event.PORTAL_REPLIED, "portal", str(submission.pk), payload)
    return message.pk


def close(
    actor: Actor, submission_id: int, outcome: str, *, now: datetime | None = None
) -> TriageRow:
    """Close the report with its outcome in words (what was done, and why it ends here); no
    answer is due any more. A closed report cannot be closed again."""
    require(actor, Permission.TRIAGE_REPORTS)
    words = _text(outcome, "outcome", "say what the outcome is", limits.NOTE)
    now = now or utcnow()
    with transaction.atomic():
        submission = visible_submission(actor, submission_id, for_update=True)
        if submission.status == m.Submission.Status.CLOSED:
            raise Invalid("status", "this report is closed already")
        submission.status = m.Submission.Status.CLOSED
        submission.outcome, submission.outcome_by, submission.outcome_at = (
            words,
            actor.username,
            now,
        )
        submission.answer_due = None
        submission.save(
            update_fields=["status", "outcome", "outcome_by", "outcome_at", "answer_due"]
        )
        recheck(submission.case_reference, now)
        payload = {"outcome": words}
        audit.record(actor.username, Event.PORTAL_CLOSED, "portal", str(submission.pk), payload)
    return triage_row(submission, now)


def record_as_case(actor: Actor, submission_id: int, reference: str) -> TriageRow:
    """Link the report to case ``reference``, which the officer must be able to see (a case
    they may not see is refused as one that does not exist, and the attempt audited). The case
    exists already; a report of drugging becomes a record of its own with
    ``vigil.services.portal.records.make_record``."""
    require(actor, Permission.TRIAGE_REPORTS)
    if not reference.strip():
        raise Invalid("reference", "enter the reference of the case")
    with use_case(actor):
        submission = visible_submission(actor, submission_id, for_update=True)
        case = visible_case(actor, reference.strip())
        made = m.Case.objects.filter(reference=submission.case_reference).exclude(kind="death")
        if submission.case_reference and made.exists():  # its record is not a death: keep it
            raise Invalid(
                "reference",
                f"this report is recorded as {submission.case_reference} already; "
                "link that record to the case instead",
            )
        submission.case_reference = case.reference
        submission.save(update_fields=["case_reference"])
        recheck(case.reference, utcnow())
        payload = {"case": case.reference}
        target = str(submission.pk)
        audit.record(actor.username, Event.PORTAL_RECORDED_AS_CASE, "portal", target, payload)
    return triage_row(submission, utcnow())
