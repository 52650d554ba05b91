"""The independent advisory panel's review (issue 14, item 4): who may refer, advise and answer;
need-to-know is never passed by a referral; every step audited and append-only.

The deaths and people are synthetic (``tests.conftest``: invented names, the Ofcom drama range
for phone numbers)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction

from tests.conftest import make_user, suspicious_report
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import UserRole
from vigil.records import models as m
from vigil.records.panel import panel_referred_at
from vigil.services.linkage.series import Verdict, judge

QUESTION = "Was the category right, given the phone that was never found?"


@pytest.fixture
def panel(db):
    return make_user("panel1", UserRole.PANEL_MEMBER)


@pytest.fixture
def case(officer):
    services.open_case(officer, "P-1", suspicious_report(), known_at=suspicious_report().found_at)
    return "P-1"


def test_a_referral_is_advised_on_and_answered_each_step_audited(case, sergeant, panel):
    referral = services.refer_to_panel(sergeant, case, QUESTION)
    assert (referral.kind, referral.reference, referral.cases) == ("case", case, [case])
    assert referral.status == "advice_due" and referral.panel_member == ""
    assert referral.answer_due - referral.referred_at == services.ADVICE_WITHIN
    assert [r.id for r in services.panel_queue(panel, face="test")] == [referral.id]

    advised = services.record_advice(panel, referral.id, "Ask for the phone's records.")
    advice = advised.advice[0]
    assert advised.status == "answer_due" and advice.answer is None
    assert advice.answer_due - advice.at == services.ANSWER_WITHIN

    answered = services.answer_advice(sergeant, advice.id, False, "Already refused by the network.")
    assert answered.status == "answered"
    again = services.answer_advice(sergeant, advice.id, True, "The network now agrees.")
    answers = again.advice[0].answers
    assert [a.accepted for a in answers] == [False, True]  # kept; the latest in force
    assert again.advice[0].answer is not None and again.advice[0].answer.accepted

    events = list(
        AuditEntry.objects.filter(event__startswith="panel.").values_list("event", "target_ref")
    )
    assert events == [
        ("panel.referred", case),
        ("panel.advised", case),
        ("panel.advice_answered", case),
        ("panel.advice_answered", case),
    ]


def test_the_rows_are_append_only(case, sergeant, panel):
    referral = services.refer_to_panel(sergeant, case, QUESTION)
    services.record_advice(panel, referral.id, "Ask for the phone's records.")
    advice = m.PanelAdvice.objects.get()
    services.answer_advice(sergeant, advice.pk, True, "Done.")
    tables = ("panelreferral", "panelreferralcase", "paneladvice", "adviceanswer")
    for table in tables:
        for sql in (f"DELETE FROM records_{table}", f"UPDATE records_{table} SET id = id"):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
                c.execute(sql)
    assert m.AdviceAnswer.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "call"),
    [
        (UserRole.RESPONSE_OFFICER, "refer"),
        (UserRole.INVESTIGATOR, "refer"),
        (UserRole.PANEL_MEMBER, "refer"),
        (UserRole.REVIEWING_OFFICER, "advise"),
        (UserRole.ANALYST, "advise"),
        (UserRole.PANEL_MEMBER, "answer"),
        (UserRole.INVESTIGATOR, "answer"),
    ],
)
def test_only_supervisors_refer_and_answer_and_only_the_panel_advises(
    case, sergeant, panel, role, call
):
    referral = services.refer_to_panel(sergeant, case, QUESTION)
    advice = services.record_advice(panel, referral.id, "Ask for the phone's records.").advice[0]
    who = make_user(f"someone-{role.value}", role)
    calls = {
        "refer": lambda: services.refer_to_panel(who, case, QUESTION),
        "advise": lambda: services.record_advice(who, referral.id, "More."),
        "answer": lambda: services.answer_advice(who, advice.id, True, "Yes."),
    }
    with pytest.raises(services.Forbidden):
        calls[call]()


def test_the_question_goes_to_the_panel_member_named_or_to_any(case, sergeant, panel):
    other = make_user("panel2", UserRole.PANEL_MEMBER)
    referral = services.refer_to_panel(sergeant, case, QUESTION, panel_member="panel2")
    assert services.panel_queue(panel, face="test") == []
    assert [r.id for r in services.panel_queue(other, face="test")] == [referral.id]
    with pytest.raises(services.Forbidden, match="put to panel2"):
        services.record_advice(panel, referral.id, "Mine.")
    with pytest.raises(services.Invalid, match="no active panel member 'sergeant1'"):
        services.refer_to_panel(sergeant, case, QUESTION, panel_member="sergeant1")


@pytest.mark.parametrize(
    ("question", "due_days", "field"),
    [("  ", None, "question"), ("x" * 5001, None, "question"), (QUESTION, -1, "answer_due")],
)
def test_a_referral_needs_a_question_and_a_due_date_to_come(
    case, sergeant, question, due_days, field
):
    due = services.utcnow() + timedelta(days=due_days) if due_days is not None else None
    with pytest.raises(services.Invalid) as refused:
        services.refer_to_panel(sergeant, case, question, answer_due=due)
    assert refused.value.field == field
    assert not m.PanelReferral.objects.exists()


# --- need-to-know


@pytest.fixture
def restricted(case, sergeant):
    services.restrict_case(sergeant, case)
    return case


def test_a_restricted_case_is_referred_only_by_someone_named_on_it(restricted, panel):
    outsider = make_user("sergeant2", UserRole.REVIEWING_OFFICER)
    hidden = pytest.raises(services.NotFound, match=f"there is no case '{restricted}'")
    with hidden:
        services.refer_to_panel(outsider, restricted, QUESTION)
    assert not m.PanelReferral.objects.exists()


def test_a_restricted_case_reaches_only_a_panel_member_named_on_it(restricted, sergeant, panel):
    with pytest.raises(services.Invalid, match="no panel member is named on it"):
        services.refer_to_panel(sergeant, restricted, QUESTION)
    with pytest.raises(services.Invalid, match="panel1 is not named on it"):
        services.refer_to_panel(sergeant, restricted, QUESTION, panel_member="panel1")
    assert not m.PanelReferral.objects.exists()

    other = make_user("panel2", UserRole.PANEL_MEMBER)
    services.name_on_case(sergeant, restricted, "panel2")
    referral = services.refer_to_panel(sergeant, restricted, QUESTION)  # to any: panel2 sees it
    assert services.panel_queue(panel, face="test") == []
    assert [r.id for r in services.panel_queue(other, face="test")] == [referral.id]
    with pytest.raises(services.NotFound) as refused:
        services.record_advice(panel, referral.id, "I may not see it.")
    with pytest.raises(services.NotFound) as missing:
        services.record_advice(panel, 987654, "Nor this.")
    assert refused.value.reason == missing.value.reason  # no trace of the hidden referral
    with pytest.raises(services.NotFound):
        services.review_pack(panel, referral.id, face="test")
    assert services.record_advice(other, referral.id, "Seen.").status == "answer_due"


def test_a_series_covers_its_cases_as_the_supervisor_sees_them(linked_pair, sergeant, analyst):
    judge(analyst, linked_pair.pk, Verdict.CONFIRM, "Same phone, same drug.")
    before = services.utcnow()
    referral = services.refer_to_panel(sergeant, "L-2", QUESTION, series=True)
    assert (referral.kind, referral.reference, referral.cases) == ("series", "L-1", ["L-1", "L-2"])
    assert referral.name == "Series L-1"
    for reference in ("L-1", "L-2"):
        referred = panel_referred_at(reference)
        assert referred is not None and referred >= before
        assert panel_referred_at(reference, when=before) is None
    assert AuditEntry.objects.get(event="panel.referred").target_ref == "Series L-1"


def test_a_case_in_no_series_cannot_be_referred_as_one(case, sergeant):
    with pytest.raises(services.Invalid, match="in no confirmed series"):
        services.refer_to_panel(sergeant, case, QUESTION, series=True)
    assert panel_referred_at(case) is None


def test_a_referral_meets_the_pack_rule_that_requires_it(linked_pair, sergeant, analyst):
    """The default pack requires every case of a confirmed series to be referred
    (``series_to_panel``): the item is on both checklists until the series is referred, and
    the referral clears it at once, in the store's checklist too."""
    judge(analyst, linked_pair.pk, Verdict.CONFIRM, "Same phone, same drug.")

    def required() -> dict[str, bool]:
        return {
            ref: m.ChecklistItem.objects.filter(
                case__reference=ref, rule_id="series_to_panel"
            ).exists()
            for ref in ("L-1", "L-2")
        }

    assert required() == {"L-1": True, "L-2": True}
    services.refer_to_panel(sergeant, "L-1", QUESTION, series=True)
    assert required() == {"L-1": False, "L-2": False}
    state = services.view_case(sergeant, "L-2", face="test")
    assert state.evaluation is not None
    assert "series_to_panel" not in {item.rule_id for item in state.evaluation.unmet}
