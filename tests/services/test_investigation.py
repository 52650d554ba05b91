from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction

from tests.conftest import SYSTEM, T0, make_user, suspicious_report
from vigil import services
from vigil.domain import (
    Action,
    ActionState,
    CustodyEvent,
    Exhibit,
    LiaisonEntry,
    PersonEntry,
    Referral,
    UserRole,
)
from vigil.records import models as m
from vigil.services.casework.unit import utcnow


def unmet(state, rule):
    return [item for item in state.evaluation.unmet if item.rule_id == rule]


@pytest.fixture
def case(officer):
    services.open_case(officer, "I-1", suspicious_report(), known_at=T0)
    services.record_person(
        officer,
        "I-1",
        PersonEntry(
            ref="P-CALLER",
            name="Caller One",
            roles=["caller"],
            identifiers=[{"kind": "phone", "value": "07700 900461"}],
        ),
    )
    services.record_person(
        officer, "I-1", PersonEntry(ref="P-MUM", name="Mum Testperson", roles=["next_of_kin"])
    )
    return "I-1"


def test_a_note_without_handwriting_examination_is_an_unmet_item(officer, case):
    state = services.view_case(officer, case, face="test")
    assert unmet(state, "note_examined")
    seized = CustodyEvent(kind="seized", at=T0, from_holder="scene", to_holder="PC 1", by="PC 1")
    services.record_exhibit(
        officer, case, Exhibit(ref="N1", description="note", kind="note", custody=[seized])
    )
    assert unmet(services.view_case(officer, case, face="test"), "note_examined"), (
        "seizing the note is not examining it"
    )
    sent = CustodyEvent(
        kind="sent_for_examination",
        at=T0 + timedelta(hours=5),
        from_holder="PC 1",
        to_holder="document examiner",
        by="PC 1",
        examinations=["handwriting", "fingerprints"],
    )
    state = services.record_custody(officer, case, "N1", sent)
    assert not unmet(state, "note_examined")


def test_custody_with_a_gap_is_refused_and_rows_cannot_be_edited(officer, case):
    seized = CustodyEvent(kind="seized", at=T0, from_holder="scene", to_holder="PC 1", by="PC 1")
    services.record_exhibit(
        officer, case, Exhibit(ref="X1", description="cup", kind="container", custody=[seized])
    )
    gap = CustodyEvent(
        kind="booked_in",
        at=T0 + timedelta(hours=1),
        from_holder="PC 9",
        to_holder="store",
        by="PC 9",
    )
    with pytest.raises(services.Invalid, match="gap in custody"):
        services.record_custody(officer, case, "X1", gap)
    assert m.CustodyEvent.objects.count() == 1
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE records_custodyevent SET to_holder = 'someone else'")


def test_a_referral_unanswered_after_24_hours_is_overdue(officer, sergeant, case):
    made = utcnow() - timedelta(hours=25)
    services.make_referral(
        officer,
        case,
        Referral(
            ref="R1",
            to_team="Homicide and Major Crime",
            made_at=made,
            made_by="officer1",
            reason="Young man, public place, phone missing.",
        ),
    )
    overdue = [i for i in services.overdue_items(sergeant) if i.rule_id == "referral_answered"]
    assert [(i.reference, i.subject) for i in overdue] == [(case, "R1")]
    with pytest.raises(services.Invalid, match="needs a reason"):
        services.answer_referral(sergeant, case, "R1", accept=True, reason=" ")
    state = services.answer_referral(sergeant, case, "R1", accept=True, reason="Taken on.")
    assert not unmet(state, "referral_answered")
    assert not [i for i in services.overdue_items(sergeant) if i.rule_id == "referral_answered"]
    with pytest.raises(services.Invalid, match="already"):
        services.answer_referral(sergeant, case, "R1", accept=False, reason="Changed mind.")


def test_an_unanswered_concern_is_unmet_until_answered(officer, case):
    state = services.log_liaison(
        officer,
        case,
        LiaisonEntry(
            person_ref="P-MUM",
            at=T0 + timedelta(hours=3),
            method="in_person",
            officer="officer1",
            summary="Told of the death.",
            concerns=[{"text": "He never took drugs."}],
        ),
    )
    assert unmet(state, "concern_answered")
    assert not unmet(state, "next_of_kin_told")
    concern = m.Concern.objects.get()
    state = services.answer_concern(officer, case, concern.pk, "Toxicology requested for GHB.")
    assert not unmet(state, "concern_answered")


def test_liaison_with_someone_not_on_the_case_is_refused(officer, case):
    with pytest.raises(services.Invalid, match="not a person on this case") as info:
        services.log_liaison(
            officer,
            case,
            LiaisonEntry(
                person_ref="P-NOBODY", at=T0, method="phone", officer="officer1", summary="x"
            ),
        )
    assert info.value.field == "person_ref"


def test_intelligence_checks_on_the_caller_follow_the_action_lifecycle(officer, investigator, case):
    state = services.view_case(officer, case, face="test")
    assert [i.subject for i in unmet(state, "intelligence_checks")] == ["P-CALLER"]
    services.raise_action(
        officer,
        case,
        Action(
            ref="A1",
            kind="intelligence_check",
            title="Check the caller",
            subject="P-CALLER",
            history=[{"state": "raised", "at": T0, "by": "officer1"}],
        ),
    )
    with pytest.raises(services.Invalid, match="can only become allocated"):
        services.move_action(investigator, case, "A1", ActionState.COMPLETED)
    with pytest.raises(services.Invalid, match="named owner"):
        services.move_action(investigator, case, "A1", ActionState.ALLOCATED)
    services.move_action(investigator, case, "A1", ActionState.ALLOCATED, owner="investigator1")
    state = services.move_action(
        investigator, case, "A1", ActionState.COMPLETED, result="Caller known for supplying GHB."
    )
    assert not unmet(state, "intelligence_checks")
    assert list(m.ActionStep.objects.values_list("state", flat=True)) == [
        "raised",
        "allocated",
        "completed",
    ]


def raised(ref: str, **fields) -> Action:
    return Action(
        ref=ref,
        kind="intelligence_check",
        title="Check the caller",
        history=[{"state": "raised", "at": T0, "by": "officer1"}],
        **fields,
    )


def nothing_changed(reference: str, before: tuple) -> bool:
    return snapshot(reference) == before


def snapshot(reference: str) -> tuple:
    case = m.Case.objects.get(reference=reference)
    return case.version, tuple(
        m.Action.objects.filter(case=case).values_list("ref", "state", "owner")
    )


@pytest.mark.parametrize(
    ("owner", "words"),
    [
        ("DC 9999", "there is no active Vigil user 'DC 9999', so the action would reach nobody"),
        ("gone1", "there is no active Vigil user 'gone1'"),
    ],
)
def test_an_action_is_allocated_only_to_an_active_user(officer, investigator, case, owner, words):
    """Issue 10, item 16: allocated to someone who is not a user, an action reached nobody."""
    make_user("gone1", UserRole.INVESTIGATOR)
    services.set_active(SYSTEM, "gone1", False)
    services.raise_action(officer, case, raised("A1"))
    before = snapshot(case)
    with pytest.raises(services.Invalid) as refused:
        services.move_action(investigator, case, "A1", ActionState.ALLOCATED, owner=owner)
    assert refused.value.field == "owner" and words in refused.value.reason
    with pytest.raises(services.Invalid) as refused:
        services.raise_action(officer, case, raised("A2", owner=owner))
    assert refused.value.field == "owner" and words in refused.value.reason
    assert nothing_changed(case, before)
    services.move_action(investigator, case, "A1", ActionState.ALLOCATED, owner="investigator1")
    assert m.Action.objects.get(ref="A1").owner == "investigator1"


def test_on_a_restricted_case_the_owner_must_be_named(officer, sergeant, investigator, case):
    services.restrict_case(sergeant, case, ["officer1"])
    services.raise_action(officer, case, raised("A1"))
    before = snapshot(case)
    with pytest.raises(services.Invalid) as refused:
        services.move_action(officer, case, "A1", ActionState.ALLOCATED, owner="investigator1")
    assert refused.value.field == "owner"
    assert "not named on this restricted case" in refused.value.reason
    assert nothing_changed(case, before)
    services.name_on_case(sergeant, case, "investigator1")
    services.move_action(officer, case, "A1", ActionState.ALLOCATED, owner="investigator1")


def test_a_closed_action_keeps_its_owner_as_history(officer, case):
    """Only an open action waits for its owner; a filed one names whoever did it."""
    history = [
        {"state": "raised", "at": T0, "by": "officer1"},
        {"state": "allocated", "at": T0 + timedelta(hours=1), "by": "officer1"},
        {"state": "completed", "at": T0 + timedelta(hours=2), "by": "DC 1234"},
    ]
    action = Action(
        ref="A9", kind="gp_contact", title="Call the GP", owner="DC 1234", history=history
    )
    services.raise_action(officer, case, action)
    assert m.Action.objects.get(ref="A9").owner == "DC 1234"
