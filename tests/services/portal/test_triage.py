"""The safeguarding team's use cases on the portal's reports: opening (audited every time, a
refused opening too, never with the passphrase), replying (sealed so that the reporter reads
it with their receipt code and nobody reads it without a key), closing and linking to a case;
and the role table: every other role is refused every one of them."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.conftest import T0, make_user, suspicious_report
from tests.triage import (
    SECRET_WORDS,
    TEAM_PASSPHRASE,
    install_team_key,
    make_report,
    reporter_message,
)
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import UserRole
from vigil.domain.access import Permission, allows
from vigil.domain.sealing import (
    SealingError,
    SealingProblem,
    new_team_identity,
    open_sealed,
    unlock_identity,
)
from vigil.records import models as m

DUE = datetime(2026, 6, 8, 9, 0, tzinfo=UTC)


@pytest.fixture
def officer_sg(db, settings):
    install_team_key(settings)
    return make_user("safeguarding1", UserRole.SAFEGUARDING_OFFICER)


def opened_rows(ref: int) -> list[dict]:
    rows = AuditEntry.objects.filter(event="portal.opened", target_ref=str(ref)).order_by("seq")
    return [json.loads(r.payload) for r in rows]


def everything_audited() -> str:
    return " ".join(f"{r.target_ref} {r.payload}" for r in AuditEntry.objects.all())


def test_opening_decrypts_the_report_and_conversation_and_is_audited(officer_sg, settings):
    report = make_report(settings, answer_due=DUE)
    reporter_message(report, "Are you still there?")
    ref = report.submission.pk

    opened = services.open_submission(officer_sg, ref, TEAM_PASSPHRASE, face="web")

    answers = {a.question: a.text for a in opened.answers}
    assert answers["Their profile name or handle"] == "@quietfox_test"
    assert answers["Who did this happen to?"] == "It happened to me"  # the choice in words
    assert SECRET_WORDS in answers["What happened?"]
    assert [(msg.author, msg.text) for msg in opened.messages] == [
        ("reporter", "Are you still there?")
    ]
    assert opened.report.status == "open"
    assert m.Submission.objects.get(pk=ref).status == "open"
    assert opened_rows(ref) == [{"face": "web", "opened": True, "outcome": "read, with 1 message"}]
    assert TEAM_PASSPHRASE not in everything_audited()
    assert SECRET_WORDS not in everything_audited()


def test_a_wrong_passphrase_is_refused_plainly_and_audited_as_a_failed_opening(
    officer_sg, settings
):
    ref = make_report(settings).submission.pk
    wrong = "not the passphrase at all"
    with pytest.raises(services.Invalid) as refused:
        services.open_submission(officer_sg, ref, wrong, face="web")
    assert refused.value.field == "team_passphrase"
    assert refused.value.reason == "is not the team's: check it and try again"
    assert m.Submission.objects.get(pk=ref).status == "new"  # not opened
    (row,) = opened_rows(ref)
    assert row["opened"] is False and "passphrase does not unlock" in row["outcome"]
    assert wrong not in everything_audited()
    # each attempt is a row of its own: the second is audited too, and then a good one
    with pytest.raises(services.Invalid):
        services.open_submission(officer_sg, ref, "", face="web")
    services.open_submission(officer_sg, ref, TEAM_PASSPHRASE, face="web")
    assert [r["opened"] for r in opened_rows(ref)] == [False, False, True]


def test_no_team_key_and_a_report_sealed_to_another_key_are_refused_and_audited(
    officer_sg, settings
):
    ref = make_report(settings).submission.pk
    settings.VIGIL.portal_identity_file.unlink()
    with pytest.raises(services.Invalid, match="not set up"):
        services.open_submission(officer_sg, ref, TEAM_PASSPHRASE, face="web")
    # a new team key (the old one replaced): the report was sealed to the old one
    settings.VIGIL.portal_identity_file.write_bytes(new_team_identity(TEAM_PASSPHRASE)[1])
    with pytest.raises(services.Invalid, match="not sealed to this team's key"):
        services.open_submission(officer_sg, ref, TEAM_PASSPHRASE, face="web")
    assert [r["opened"] for r in opened_rows(ref)] == [False, False]


def test_a_reply_is_sealed_for_the_reporter_and_clears_the_answer_due(officer_sg, settings):
    report = make_report(settings, answer_due=DUE)
    words = "Thank you for telling us. We would like to talk, whenever suits you."

    message_id = services.reply_to_reporter(officer_sg, report.submission.pk, words)

    row = m.PortalMessage.objects.get(pk=message_id)
    raw = bytes(row.sealed)
    assert words.encode() not in raw and b"Thank you" not in raw  # the raw row: unreadable
    assert (row.author, row.officer) == ("officer", "safeguarding1")
    assert open_sealed(raw, report.reporter).decode() == words  # the reporter's key reads it
    someone_else = unlock_identity(
        new_team_identity("another team passphrase")[1], "another team passphrase"
    )
    with pytest.raises(SealingError) as error:
        open_sealed(raw, someone_else)
    assert error.value.problem is SealingProblem.OTHER_KEY
    submission = m.Submission.objects.get(pk=report.submission.pk)
    assert submission.answer_due is None and submission.status == "open"
    assert "Thank you" not in everything_audited()


def test_the_reporter_reads_the_reply_with_their_receipt_code(officer_sg, settings):
    report = make_report(settings, answer_due=DUE, with_code=True)
    services.reply_to_reporter(officer_sg, report.submission.pk, "We have read your report.")
    conversation = services.portal_come_back(report.code, date(2026, 6, 7))
    assert [msg.text for msg in conversation.messages] == ["We have read your report."]
    with pytest.raises(services.Invalid):
        services.portal_come_back("not their code at all here", date(2026, 6, 7))


def test_a_reply_needs_words_and_the_team_key(officer_sg, settings):
    ref = make_report(settings).submission.pk
    with pytest.raises(services.Invalid, match="enter your reply"):
        services.reply_to_reporter(officer_sg, ref, "   ")
    settings.VIGIL = replace(settings.VIGIL, portal_public_key="")
    with pytest.raises(services.Invalid, match="not set up"):
        services.reply_to_reporter(officer_sg, ref, "Hello")
    assert not m.PortalMessage.objects.exists()


def test_closing_records_the_outcome_once(officer_sg, settings):
    ref = make_report(settings, answer_due=DUE).submission.pk
    with pytest.raises(services.Invalid, match="say what the outcome is"):
        services.close_submission(officer_sg, ref, "")
    row = services.close_submission(officer_sg, ref, "Passed to the sexual offences team.")
    assert (row.status, row.outcome, row.answer_due) == (
        "closed",
        "Passed to the sexual offences team.",
        None,
    )
    assert m.Submission.objects.get(pk=ref).outcome_by == "safeguarding1"
    with pytest.raises(services.Invalid, match="closed already"):
        services.close_submission(officer_sg, ref, "Again.")


def test_recording_as_a_case_links_a_case_the_officer_may_see(officer_sg, settings, sergeant):
    services.open_case(sergeant, "D-1", suspicious_report(), known_at=T0)
    services.open_case(sergeant, "D-HIDDEN", suspicious_report(), known_at=T0)
    services.restrict_case(sergeant, "D-HIDDEN")
    ref = make_report(settings).submission.pk

    assert services.record_as_case(officer_sg, ref, "D-1").case_reference == "D-1"
    assert m.Submission.objects.get(pk=ref).case_reference == "D-1"
    with pytest.raises(services.NotFound, match="there is no case 'D-HIDDEN'"):
        services.record_as_case(officer_sg, ref, "D-HIDDEN")
    assert AuditEntry.objects.filter(event="case.probed", target_ref="D-HIDDEN").exists()
    assert m.Submission.objects.get(pk=ref).case_reference == "D-1"


def test_a_report_naming_a_case_the_officer_may_not_see_is_not_there_for_them(
    officer_sg, settings, sergeant
):
    services.open_case(sergeant, "D-HIDDEN", suspicious_report(), known_at=T0)
    services.restrict_case(sergeant, "D-HIDDEN")
    hidden = make_report(settings, kind="family_concern", case_reference="D-HIDDEN")
    ref = hidden.submission.pk
    missing = ref + 1000
    for call in (
        lambda r: services.triage_item(officer_sg, r, face="web"),
        lambda r: services.open_submission(officer_sg, r, TEAM_PASSPHRASE, face="web"),
        lambda r: services.reply_to_reporter(officer_sg, r, "Hello"),
        lambda r: services.close_submission(officer_sg, r, "Done."),
    ):
        with pytest.raises(services.NotFound) as seen:
            call(ref)
        with pytest.raises(services.NotFound) as absent:
            call(missing)
        assert seen.value.reason == absent.value.reason  # the same words either way
    assert services.triage_queue(officer_sg, face="web").total == 0
    # named on the case, the same officer sees it
    services.name_on_case(sergeant, "D-HIDDEN", "safeguarding1")
    assert services.triage_queue(officer_sg, face="web").rows[0].case_reference == "D-HIDDEN"


NOT_TRIAGING = [r for r in UserRole if not allows(r, Permission.TRIAGE_REPORTS)]


@pytest.mark.parametrize("role", NOT_TRIAGING, ids=lambda r: r.value)
def test_every_other_role_is_refused_every_use_case(db, settings, role):
    ref = make_report(settings, answer_due=DUE - timedelta(days=3)).submission.pk
    actor = make_user(f"{role.value}-1", role)
    calls = [
        lambda: services.triage_queue(actor, face="web"),
        lambda: services.triage_item(actor, ref, face="web"),
        lambda: services.open_submission(actor, ref, TEAM_PASSPHRASE, face="web"),
        lambda: services.reply_to_reporter(actor, ref, "Hello"),
        lambda: services.close_submission(actor, ref, "Done."),
        lambda: services.record_as_case(actor, ref, "D-1"),
    ]
    for call in calls:
        with pytest.raises(services.Forbidden, match="may not open, answer or close reports"):
            call()
    assert not AuditEntry.objects.filter(event__startswith="portal.").exists()
    assert m.Submission.objects.get(pk=ref).status == "new"
    if allows(role, Permission.VIEW_CASE):  # and their overdue items hold no portal report
        assert all(item.submission is None for item in services.overdue_items(actor))
