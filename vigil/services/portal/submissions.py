"""The reporter's use cases of the public portal: send a report, come back with the receipt code,
add a message. Nobody signs in; the actor in the audit trail is "portal".

What is kept names nobody and no connection: no IP address, user agent or referrer reaches
these functions, days are kept without the time (the audit rows too are dated to the day), and
the report and every message are sealed (``vigil.services.portal.sealed``) before they are
stored. The receipt code is shown once and kept only as its slow keyed hash
(``vigil.domain.receipts.receipt_lookup``); it is also the passphrase that protects the
submission's reporter key, so the code alone opens the conversation.

Abuse without addresses: each form carries a signed token (``portal_form_token``) that is
refused if it comes back sooner than a person could fill the form in, too long after, or a
second time (its digest is kept for as long as it could be accepted); the portal takes at most
``portal_daily_limit`` reports a day, all reporters together, and each submission at most
``MESSAGES_A_DAY`` messages from its reporter a day.

Nothing the portal says depends on other reports or on the cases: a family concern whose case
reference matches a case is told exactly what one that matches none is told, and an unknown
receipt code is refused in the same words and after the same slow work as any other.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain import receipts, sealing
from vigil.records.models import Case, PortalMessage, SpentToken, Submission
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid
from vigil.services.portal import sealed
from vigil.services.portal.answers import check_answers, check_message
from vigil.services.portal.named import recheck
from vigil.services.portal.questions import FAMILY_CONCERN

ACTOR = "portal"
ANSWER_TIME = timedelta(hours=24)
"""How long the team has to answer a report or a message, counted from the end of the day it
came in (the policy pack has no answer time for the portal yet; this is the one place to
change it)."""
FORM_MIN_AGE = timedelta(seconds=3)
"""A form sent back sooner than this after it was shown was filled in by a program."""
FORM_MAX_AGE = timedelta(hours=12)
"""A form sent back later than this is refused, and shown again with a fresh token."""
MESSAGES_A_DAY = 20
"""The most messages one submission's reporter may add in a day."""

UNKNOWN_CODE = (
    "We could not find a report with that receipt code. Check each word and try again: the "
    "words can be in capitals or not, with spaces or hyphens between them."
)
NOT_SET_UP = "Reporting online is not available yet."
DAILY_LIMIT = (
    "So many reports have reached us today that the portal cannot take more until tomorrow. "
    "Nothing has been sent; what you typed is still on this page."
)
TOO_MANY_MESSAGES = (
    "You have sent as many messages today as the portal takes in a day. Please come back "
    "tomorrow; what you typed is still on this page."
)
TOKEN_TROUBLE = {
    "young": "The form was sent very quickly after it was opened, so please check it and send "
    "it again.",
    "old": "The page was open a long time, so for your safety it needs sending again. "
    "Everything you typed is still here.",
    "spent": "This form has been sent already. If you did not get a receipt code, check what "
    "you typed and send it again.",
    "bad": "Something went wrong with the form. Please check what you typed and send it again.",
}


@dataclass(frozen=True, slots=True)
class Message:
    """One message of the conversation: who wrote it (the reporter or an officer), the day
    it was sent and its text."""

    author: str
    sent_on: date
    text: str


@dataclass(frozen=True, slots=True)
class Conversation:
    """What a reporter sees when they come back: their report and every message since."""

    kind: str
    received_on: date
    answers: dict[str, str]
    messages: tuple[Message, ...]
    closed: bool


def portal_ready() -> bool:
    """Whether the portal can take reports: the team's public key is set up."""
    return bool(settings.VIGIL.portal_public_key)


# --- form tokens


def _token_secret() -> bytes:
    """The key of the portal's form tokens, derived from Django's secret key."""
    key = str(settings.SECRET_KEY).encode()
    return hmac.new(key, b"vigil.portal.form-token/1", hashlib.sha256).digest()


def portal_form_token(purpose: str) -> str:
    """A token for a portal form shown now; ``purpose`` is the form (a kind of report, or
    "message"), so that a token for one form is refused on another."""
    return receipts.issue_token(_token_secret(), utcnow(), purpose=purpose)


def _check_token(token: str, purpose: str) -> str:
    """The digest to keep of ``token`` if it may be accepted now; Invalid (field "token")
    saying kindly what to do if not. Replays are refused here and again when it is kept."""
    try:
        receipts.check_token(
            token,
            _token_secret(),
            utcnow(),
            int(FORM_MIN_AGE.total_seconds()),
            int(FORM_MAX_AGE.total_seconds()),
            purpose=purpose,
        )
    except receipts.TokenError as error:
        reason = error.reason
        trouble = "young" if "too soon" in reason else "old" if "expired" in reason else "bad"
        raise Invalid("token", TOKEN_TROUBLE[trouble]) from None
    digest = receipts.token_digest(token)
    if SpentToken.objects.filter(digest=digest).exists():
        raise Invalid("token", TOKEN_TROUBLE["spent"])
    return digest


def _spend(digest: str, today: date) -> None:
    """Keep ``digest`` so the token is refused if it comes again, and forget the digests of
    tokens too old to be accepted anyway."""
    SpentToken.objects.filter(spent_on__lt=today - timedelta(days=2)).delete()
    try:
        with transaction.atomic():
            SpentToken.objects.create(digest=digest, spent_on=today)
    except IntegrityError:  # the same form sent twice at once: the second is a replay
        raise Invalid("token", TOKEN_TROUBLE["spent"]) from None


# --- days, not times


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _answer_due(day: date) -> datetime:
    """The end of ``day`` and then the answer time: the team has at least the whole of it."""
    return _start_of(day + timedelta(days=1)) + ANSWER_TIME


def _audit(event: Event, submission: Submission, today: date) -> None:
    payload = {"submission": submission.pk, "kind": submission.kind}
    audit.record(ACTOR, event, "portal", str(submission.pk), payload, at=_start_of(today))


# --- the use cases


def submit(kind: str, answers: dict[str, object], token: str, today: date) -> str:
    """Send a report; the receipt code, to be shown once. Invalid naming the answer (or the
    token, or nothing for the daily limit) if it is refused, and nothing is kept then."""
    if not portal_ready():
        raise Invalid("", NOT_SET_UP)
    given = check_answers(kind, answers, today)
    digest = _check_token(token, f"report:{kind}")
    if Submission.objects.filter(received_on=today).count() >= settings.VIGIL.portal_daily_limit:
        raise Invalid("", DAILY_LIMIT)
    code = receipts.new_receipt_code()
    passphrase = receipts.normalise_receipt_code(code)
    reporter_key, reporter_identity = sealing.new_team_identity(passphrase)
    report = sealed.seal_for(reporter_key, sealed.report_plaintext(kind, given))
    lookup = receipts.receipt_lookup(code, settings.VIGIL.portal_pepper)
    reference = given.get("case_reference", "") if kind == FAMILY_CONCERN else ""
    with transaction.atomic():
        if (
            Submission.objects.filter(received_on=today).count()
            >= settings.VIGIL.portal_daily_limit
        ):
            raise Invalid("", DAILY_LIMIT)
        _spend(digest, today)
        submission = Submission.objects.create(
            receipt=lookup,
            kind=kind,
            received_on=today,
            sealed=report,
            reporter_key=reporter_key,
            reporter_identity=reporter_identity,
            case_reference=reference if Case.objects.filter(reference=reference).exists() else "",
            answer_due=_answer_due(today),
        )
        _audit(Event.PORTAL_SUBMITTED, submission, today)
        recheck(submission.case_reference, utcnow())
    return code


@functools.cache
def _decoy() -> bytes:
    """A protected identity no receipt code opens: an unknown code is tried against it, so
    that it is refused after the same slow work as a code that is found."""
    return sealing.new_team_identity(secrets.token_urlsafe(32))[1]


def _unlock(code: str) -> tuple[Submission, sealing.TeamIdentity]:
    """The submission of ``code`` and its reporter identity; Invalid (field "code") in the
    same words for any code that opens none."""
    passphrase = receipts.normalise_receipt_code(code)
    lookup = receipts.receipt_lookup(code, settings.VIGIL.portal_pepper)
    submission = Submission.objects.filter(receipt=lookup).first()
    protected = submission.reporter_identity if submission is not None else _decoy()
    try:
        identity = sealing.unlock_identity(bytes(protected), passphrase)
    except sealing.SealingError:
        raise Invalid("code", UNKNOWN_CODE) from None
    if submission is None:  # the decoy opens with no code, so this is never reached
        raise Invalid("code", UNKNOWN_CODE)
    return submission, identity


def _conversation(submission: Submission, identity: sealing.TeamIdentity) -> Conversation:
    report = sealed.read_report(sealing.open_sealed(bytes(submission.sealed), identity))
    messages = tuple(
        Message(
            message.author,
            message.sent_on,
            sealed.read_message(sealing.open_sealed(bytes(message.sealed), identity)),
        )
        for message in submission.messages.order_by("id")
    )
    return Conversation(
        submission.kind,
        submission.received_on,
        dict(report.answers),
        messages,
        submission.status == Submission.Status.CLOSED,
    )


def come_back(code: str, today: date) -> Conversation:
    """The report and every message of the submission whose receipt code is ``code``; Invalid
    (field "code", ``UNKNOWN_CODE``) for any code that opens none."""
    submission, identity = _unlock(code)
    conversation = _conversation(submission, identity)
    with transaction.atomic():
        _audit(Event.PORTAL_READ_BY_REPORTER, submission, today)
    return conversation


def add_message(code: str, text: str, token: str, today: date) -> Conversation:
    """Add the reporter's message to the conversation of ``code``; the conversation with it.
    The team must answer by the answer time, or by the deadline already running if sooner."""
    message = check_message(text)
    digest = _check_token(token, "message")
    submission, identity = _unlock(code)
    body = sealed.seal_for(submission.reporter_key, sealed.message_plaintext(message))
    with transaction.atomic():
        sent_today = submission.messages.filter(
            author=PortalMessage.Author.REPORTER, sent_on=today
        ).count()
        if sent_today >= MESSAGES_A_DAY:
            raise Invalid("", TOO_MANY_MESSAGES)
        _spend(digest, today)
        PortalMessage.objects.create(
            submission=submission,
            author=PortalMessage.Author.REPORTER,
            sent_on=today,
            sealed=body,
        )
        # An answer already due keeps its deadline: writing "any news?" must not push back,
        # nor restart the escalation of, an answer that is late or about to be.
        due = _answer_due(today)
        Submission.objects.filter(pk=submission.pk).filter(
            Q(answer_due__isnull=True) | Q(answer_due__gt=due)
        ).update(answer_due=due)
        recheck(submission.case_reference, utcnow())
        _audit(Event.PORTAL_MESSAGE_ADDED, submission, today)
    return _conversation(submission, identity)
