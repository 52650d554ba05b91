"""The reporter's use cases (vigil.services.portal.submissions): send, come back, add a message.

The reporters, handles, phones and cases are synthetic. Sealing is slow on purpose (about a
second to protect or unlock a key), so each test sends as few reports as it needs.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from tests.conftest import T0, suspicious_report
from tests.portal.setup import PEPPER, report_token, set_up_portal, team_identity, token
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import receipts, sealing
from vigil.records.models import PortalMessage, SpentToken, Submission
from vigil.services import Invalid
from vigil.services.portal import sealed, submissions
from vigil.services.portal.submissions import (
    DAILY_LIMIT,
    NOT_SET_UP,
    TOKEN_TROUBLE,
    UNKNOWN_CODE,
    add_message,
    come_back,
    submit,
)

TODAY = date(2026, 3, 14)
HANDLE = "velvetquokka77"
PHONE = "07700 900982"
STORY = "Met him through an app; after one drink at his flat I remember nothing until morning."
DRUGGING = {
    "who": "me",
    "when": "  a Saturday night in early March ",
    "what_happened": STORY,
    "substances": "I think G was put in my drink",
    "app": "a dating app",
    "handle": HANDLE,
    "phone": PHONE,
    "contact": "no",
}


@pytest.fixture
def portal(db, settings):
    set_up_portal(settings)


def send(answers=None, kind="drugging", today=TODAY) -> str:
    return submit(kind, dict(answers or DRUGGING), report_token(kind), today)


def refusal(call, *args) -> Invalid:
    with pytest.raises(Invalid) as caught:
        call(*args)
    return caught.value


# --- sending a report


def test_a_report_is_kept_sealed_to_the_team_and_the_code_kept_only_as_its_lookup(portal):
    code = send()
    words = code.split()
    assert len(words) == 7 and all(w in receipts.wordlist() for w in words)
    row = Submission.objects.get()
    assert row.kind == "drugging" and row.received_on == TODAY and row.status == "new"
    assert row.receipt == receipts.receipt_lookup(code, PEPPER)
    # The team reads it with its identity; the reporter key is the row's own.
    report = sealed.read_report(sealing.open_sealed(bytes(row.sealed), team_identity()))
    assert report.kind == "drugging"
    assert report.answers["when"] == "a Saturday night in early March"
    assert report.answers["handle"] == HANDLE and "address" not in report.answers
    # Due by the end of the next day: the end of the day it came in, then 24 hours.
    end_of_day = datetime.combine(
        TODAY + timedelta(days=1), time.min, timezone.get_current_timezone()
    )
    assert row.answer_due == end_of_day + timedelta(hours=24)


def test_the_audit_row_names_no_reporter_and_keeps_only_the_day(portal):
    send()
    row = AuditEntry.objects.get(event="portal.submitted")
    submission = Submission.objects.get()
    assert row.actor == "portal"
    assert json.loads(row.payload) == {"submission": submission.pk, "kind": "drugging"}
    assert timezone.localtime(row.at).date() == TODAY
    assert timezone.localtime(row.at).time() == time.min


def test_the_raw_rows_hold_none_of_the_words(portal):
    code = send()
    add_message(code, f"He also used the name Corvin Testfellow, {HANDLE}", token("message"), TODAY)
    markers = [HANDLE, PHONE, "Saturday night", "G was put", "Corvin", "dating app", code]
    markers += [word for word in code.split() if len(word) > 6]  # no word of the code either
    with connection.cursor() as cursor:
        for table in ("records_submission", "records_portalmessage", "audit_auditentry"):
            cursor.execute(f"SELECT * FROM {table}")
            rows = cursor.fetchall()
            assert rows, table
            raw = b"".join(
                bytes(v) if isinstance(v, (bytes, memoryview)) else str(v).encode()
                for row in rows
                for v in row
            )
            found = [m for m in markers if m.encode() in raw or m.lower().encode() in raw.lower()]
            assert found == [], f"{table} holds {found}"


def test_the_portal_refuses_reports_until_it_has_a_team_key(db, settings):
    set_up_portal(settings, portal_public_key="")
    assert not services.portal_ready()
    assert refusal(send).reason == NOT_SET_UP
    assert not Submission.objects.exists()


def test_a_report_over_the_daily_limit_is_refused_kindly_and_nothing_kept(db, settings):
    set_up_portal(settings, portal_daily_limit=1)
    send()
    refused = refusal(send)
    assert refused.field == "" and refused.reason == DAILY_LIMIT
    assert Submission.objects.count() == 1
    send(today=TODAY + timedelta(days=1))  # a new day: taken again
    assert Submission.objects.count() == 2


# --- form tokens: no IP address needed


@pytest.mark.parametrize(
    ("age", "trouble"),
    [(timedelta(seconds=0), "young"), (timedelta(hours=13), "old")],
    ids=["too young", "too old"],
)
def test_a_token_too_young_or_too_old_is_refused(portal, age, trouble):
    refused = refusal(submit, "drugging", DRUGGING, report_token(age=age), TODAY)
    assert (refused.field, refused.reason) == ("token", TOKEN_TROUBLE[trouble])
    assert not Submission.objects.exists() and not SpentToken.objects.exists()


def test_a_token_is_spent_once_and_only_on_its_own_form(portal):
    used = report_token()
    submit("drugging", DRUGGING, used, TODAY)
    replayed = refusal(submit, "drugging", DRUGGING, used, TODAY)
    assert (replayed.field, replayed.reason) == ("token", TOKEN_TROUBLE["spent"])
    concern = {"deceased_name": "Ash Testperson", "date_of_death": "2026-01-02"}
    concern |= {"relationship": "partner", "concern": "Nobody asked me.", "contact": "no"}
    other_form = refusal(submit, "family_concern", concern, report_token("drugging"), TODAY)
    assert (other_form.field, other_form.reason) == ("token", TOKEN_TROUBLE["bad"])
    assert Submission.objects.count() == 1
    assert SpentToken.objects.filter(digest=receipts.token_digest(used)).exists()


def test_a_refused_answer_does_not_spend_the_token(portal):
    kept = report_token()
    refused = refusal(submit, "drugging", {**DRUGGING, "who": ""}, kept, TODAY)
    assert (refused.field, refused.reason) == ("who", "Select who it happened to")
    submit("drugging", DRUGGING, kept, TODAY)  # the same form, put right
    assert Submission.objects.count() == 1


# --- coming back


def test_the_code_opens_the_report_and_every_message(portal):
    code = send()
    messy = "  " + code.upper().replace(" ", " - ") + " "  # capitals and hyphens are fine
    conversation = come_back(messy, TODAY)
    assert conversation.kind == "drugging" and conversation.received_on == TODAY
    assert conversation.answers["what_happened"] == STORY
    assert conversation.messages == () and not conversation.closed
    later = TODAY + timedelta(days=2)
    after = add_message(code, "  I remembered his car: a red estate.  ", token("message"), later)
    assert [(m.author, m.sent_on, m.text) for m in after.messages] == [
        ("reporter", later, "I remembered his car: a red estate.")
    ]
    row = Submission.objects.get()
    first_due = datetime.combine(
        TODAY + timedelta(days=1), time.min, timezone.get_current_timezone()
    ) + timedelta(hours=24)
    assert row.answer_due == first_due  # the answer already late keeps its deadline
    Submission.objects.filter(pk=row.pk).update(answer_due=None)  # as a reply clears it
    add_message(code, "Any news?", token("message"), later)
    assert Submission.objects.get().answer_due == datetime.combine(
        later + timedelta(days=1), time.min, timezone.get_current_timezone()
    ) + timedelta(hours=24)
    events = list(AuditEntry.objects.order_by("seq").values_list("event", "payload"))
    assert [e for e, _ in events] == [
        "portal.submitted",
        "portal.read_by_reporter",
        "portal.message_added",
        "portal.message_added",
    ]
    assert all(json.loads(p) == {"submission": row.pk, "kind": "drugging"} for _, p in events)


def test_an_officers_reply_sealed_to_the_reporter_key_is_read_with_the_code(portal):
    code = send()
    row = Submission.objects.get()
    body = sealed.seal_for(row.reporter_key, sealed.message_plaintext("Thank you. We are on it."))
    PortalMessage.objects.create(
        submission=row, author="officer", officer="safeguarding1", sent_on=TODAY, sealed=body
    )
    (reply,) = come_back(code, TODAY).messages
    assert (reply.author, reply.text) == ("officer", "Thank you. We are on it.")


def test_an_unknown_code_and_a_wrong_one_are_refused_alike_after_the_same_work(portal):
    code = send()
    words = code.split()
    wrong = " ".join([*words[:-1], "zebra" if words[-1] != "zebra" else "yodel"])
    unknown = "pending ramble thus oboe diagram unsaid wow"
    answers = []
    for attempt in (wrong, unknown):
        with (
            mock.patch.object(
                submissions.receipts, "receipt_lookup", wraps=receipts.receipt_lookup
            ) as looked_up,
            mock.patch.object(
                submissions.sealing, "unlock_identity", wraps=sealing.unlock_identity
            ) as unlocked,
        ):
            refused = refusal(come_back, attempt, TODAY)
        answers.append((refused.field, refused.reason))
        # The slow hash, then a slow unlock (of a decoy when no report has the code).
        assert looked_up.call_count == 1 and unlocked.call_count == 1
    assert answers == [("code", UNKNOWN_CODE)] * 2
    assert not AuditEntry.objects.filter(event="portal.read_by_reporter").exists()


def test_a_message_with_a_wrong_code_or_a_spent_token_is_refused(portal):
    code = send()
    refused = refusal(
        add_message, "pending ramble thus oboe diagram unsaid wow", "Hello", token("message"), TODAY
    )
    assert (refused.field, refused.reason) == ("code", UNKNOWN_CODE)
    used = token("message")
    add_message(code, "First", used, TODAY)
    replayed = refusal(add_message, code, "Second", used, TODAY)
    assert replayed.field == "token"
    assert refusal(add_message, code, "   ", token("message"), TODAY).field == "text"
    assert refusal(add_message, code, "x" * 5001, token("message"), TODAY).field == "text"
    assert PortalMessage.objects.count() == 1


def test_a_reporter_may_add_only_so_many_messages_a_day(portal, monkeypatch):
    code = send()
    monkeypatch.setattr(submissions, "MESSAGES_A_DAY", 1)
    add_message(code, "One", token("message"), TODAY)
    refused = refusal(add_message, code, "Two", token("message"), TODAY)
    assert refused.reason == submissions.TOO_MANY_MESSAGES
    add_message(code, "Two", token("message"), TODAY + timedelta(days=1))
    assert PortalMessage.objects.count() == 2


# --- a family's concern


def concern(**changes: str) -> dict[str, str]:
    answers = {
        "relationship": "his partner",
        "concern": "Nobody has asked me about the man he went to meet.",
        "contact": "yes",
        "contact_how": "Text first, evenings only",
    }
    return {**answers, **changes}


def test_a_concern_naming_a_case_is_linked_to_it_and_told_the_same_as_one_naming_none(
    portal, officer
):
    services.open_case(officer, "BK-2015-0001", suspicious_report(), known_at=T0)
    matched = send(concern(case_reference=" BK-2015-0001 "), kind="family_concern")
    unmatched = send(concern(case_reference="BK-1999-9999"), kind="family_concern")
    rows = {r.case_reference for r in Submission.objects.all()}
    assert rows == {"BK-2015-0001", ""}
    for code in (matched, unmatched):
        assert len(code.split()) == 7
        conversation = come_back(code, TODAY)
        assert conversation.kind == "family_concern" and conversation.messages == ()


@pytest.mark.parametrize(
    ("kind", "answers", "field", "reason"),
    [
        ("drugging", {"who": "me", "contact": "no"}, "what_happened", "Tell us what happened"),
        ("drugging", {**DRUGGING, "who": "them"}, "who", "Select who it happened to"),
        ("drugging", {**DRUGGING, "contact": "yes"}, "contact_how", "Tell us how we can contact"),
        ("drugging", {**DRUGGING, "phone": "0" * 51}, "phone", "Their phone number is too long"),
        ("drugging", {**DRUGGING, "email": "x"}, "", "a question the portal does not ask"),
        ("family_concern", concern(), "deceased_name", "Give the case reference, or their name"),
        ("family_concern", concern(deceased_name="Ash"), "date_of_death", "Give the case"),
        (
            "family_concern",
            concern(deceased_name="Ash", date_of_death="2026-03-15"),
            "date_of_death",
            "is in the future",
        ),
        ("family_concern", concern(relationship=""), "relationship", "Tell us how you knew them"),
        ("witness", DRUGGING, "kind", "no report of this kind"),
    ],
)
def test_answers_that_break_a_rule_are_refused_naming_the_question(
    portal, kind, answers, field, reason
):
    refused = refusal(submit, kind, answers, report_token(kind), TODAY)
    assert refused.field == field and reason in refused.reason
    assert not Submission.objects.exists()
