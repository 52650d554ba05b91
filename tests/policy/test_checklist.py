"""The default checklist: each item met and unmet with its reason, deadlines and overdue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from vigil.domain import ActionState, Category, ExhibitKind, Role, UserRole
from vigil.policy import ChecklistRule, Evaluation, UnmetItem, default_pack, evaluate

from .factories import (
    DECIDED,
    T0,
    action,
    case,
    complete_case,
    concern,
    decision,
    exhibit,
    hours,
    liaison,
    person,
    referral,
    report,
)

NOW = T0 + hours(30)
UUI = Category.UNEXPECTED_UNDER_INVESTIGATION
NOTE_NO_HANDWRITING = (
    exhibit("E1", ExhibitKind.NOTE, examinations=("fingerprints",)),
    exhibit("E2", ExhibitKind.BEDDING),
    exhibit("E3", ExhibitKind.CONTAINER),
)


def rule(rule_id: str) -> ChecklistRule:
    return default_pack().checklist_rule(rule_id)


def run(now: datetime = NOW, **changes: Any) -> Evaluation:
    return evaluate(default_pack(), complete_case(**changes), now)


def only(ev: Evaluation) -> UnmetItem:
    assert len(ev.unmet) == 1, [u.rule_id for u in ev.unmet]
    return ev.unmet[0]


def test_complete_case_meets_every_item() -> None:
    ev = run()
    assert ev.floor is UUI  # the checklist items all apply
    assert ev.unmet == ()


# (case id, changes to the complete case, unmet rule, subject, words of the reason)
UNMET: list[tuple[str, dict[str, Any], str, str | None, str]] = [
    (
        "no sergeant",
        {"report": {"attendance": {"sergeant_or_above": False}}},
        "sergeant_attended",
        None,
        "a sergeant or above did not attend",
    ),
    (
        "no intelligence check on the caller",
        {"actions": ()},
        "intelligence_checks",
        "jo-testcaller",
        "no action of kind 'intelligence check' about 'Jo Testcaller' (caller) "
        "that is completed is recorded",
    ),
    (
        "check raised, not completed",
        {
            "actions": (
                action(
                    "A1", "intelligence_check", subject="jo-testcaller", state=ActionState.ALLOCATED
                ),
            )
        },
        "intelligence_checks",
        "jo-testcaller",
        "that is completed is recorded",
    ),
    (
        "check on someone else",
        {"actions": (action("A1", "intelligence_check", subject="pat-testperson"),)},
        "intelligence_checks",
        "jo-testcaller",
        "about 'Jo Testcaller' (caller)",
    ),
    (
        "a host with no check",
        {
            "persons": (
                person("jo-testcaller", Role.CALLER),
                person("lee-testhost", Role.HOST),
                person("pat-testperson", Role.NEXT_OF_KIN),
            )
        },
        "intelligence_checks",
        "lee-testhost",
        "about 'Lee Testhost' (host)",
    ),
    (
        "next of kin never told",
        {"liaison": ()},
        "next_of_kin_told",
        "pat-testperson",
        "no liaison entry with 'Pat Testperson' (next of kin) is recorded",
    ),
    (
        "the next of kin told, the partner not",
        {
            "persons": (
                person("jo-testcaller", Role.CALLER),
                person("pat-testperson", Role.NEXT_OF_KIN),
                person("kit-testpartner", Role.PARTNER),
            ),
        },
        "next_of_kin_told",
        "kit-testpartner",
        "no liaison entry with 'Kit Testpartner' (partner) is recorded",
    ),
    (
        "no next of kin or partner, and no friend told",
        {
            "persons": (
                person("jo-testcaller", Role.CALLER),
                person("kim-testfriend", Role.FRIEND),
            ),
            "liaison": (),
        },
        "family_told",
        None,
        "no liaison entry that is with family is recorded",
    ),
    (
        "no family on record at all",
        {"persons": (person("jo-testcaller", Role.CALLER),), "liaison": ()},
        "family_told",
        None,
        "no liaison entry that is with family is recorded",
    ),
    (
        "no family on record, only the caller spoken to",
        {
            "persons": (person("jo-testcaller", Role.CALLER),),
            "liaison": (liaison("jo-testcaller"),),
        },
        "family_told",
        None,
        "no liaison entry that is with family is recorded",
    ),
    (
        "toxicology without GHB",
        {"report": {"toxicology": {"includes_ghb": False}}},
        "toxicology_with_ghb",
        None,
        "toxicology does not ask for GHB",
    ),
    (
        "toxicology not requested",
        {"report": {"toxicology": {"requested_at": None, "includes_ghb": None}}},
        "toxicology_with_ghb",
        None,
        "the time toxicology was requested is not recorded",
    ),
    (
        "no devices recorded",
        {"report": {"devices": []}},
        "devices_examined",
        None,
        "no device is recorded",
    ),
    (
        "phone seized, not examined",
        {"report": {"devices": [{"kind": "phone", "status": "seized"}]}},
        "devices_examined",
        None,
        "device 'phone' has status 'seized', not 'examined' or 'not found'",
    ),
    ("no CCTV sought", {"report": {"cctv": []}}, "cctv_sought", None, "no CCTV entry is recorded"),
    (
        "note not sent for handwriting",
        {"exhibits": NOTE_NO_HANDWRITING},
        "note_examined",
        None,
        "no exhibit of kind 'note' sent for 'handwriting' examination is recorded",
    ),
    (
        "bedding not seized",
        {
            "exhibits": (
                exhibit("E1", ExhibitKind.NOTE, examinations=("handwriting",)),
                exhibit("E2", ExhibitKind.BEDDING, seized=False),
                exhibit("E3", ExhibitKind.CONTAINER),
            )
        },
        "bedding_seized",
        None,
        "no exhibit of kind 'bedding' or 'clothing' that is seized",
    ),
    (
        "no container seized",
        {
            "exhibits": (
                exhibit("E1", ExhibitKind.NOTE, examinations=("handwriting",)),
                exhibit("E2", ExhibitKind.BEDDING),
            )
        },
        "containers_seized",
        None,
        "of kind 'container' or 'drug paraphernalia' that is seized",
    ),
    (
        "referral pending",
        {"referrals": (referral("R1"),)},
        "referral_answered",
        "R1",
        "referral R1 to 'Homicide team' is not answered",
    ),
    (
        "concern unanswered",
        {
            "liaison": (
                liaison(
                    "pat-testperson", concerns=(concern("Where is his phone?", answered=False),)
                ),
            )
        },
        "concern_answered",
        "pat-testperson",
        "concern 'Where is his phone?' raised by 'Pat Testperson' (next of kin) is not answered",
    ),
    (
        "no decision",
        {"decisions": ()},
        "category_decided",
        None,
        "no category decision is recorded",
    ),
    (
        "decided by a response officer alone",
        {"decisions": (decision(UUI, by="pc_testperson"),)},
        "category_decided",
        None,
        "is not made or signed off by a reviewing officer (pc_testperson is a response officer)",
    ),
    (
        "decided by someone who is no user",
        {"decisions": (decision(UUI, by="gone_testperson"),)},
        "category_decided",
        None,
        "(gone_testperson is no user with a role)",
    ),
    (
        "decided below the floor, no override",
        {"decisions": (decision(Category.UNEXPECTED_NOT_SUSPICIOUS),)},
        "override_recorded",
        None,
        "has no supervisor's override with a reason",
    ),
    (
        "an action past its deadline",
        {
            "actions": (
                action("A1", "intelligence_check", subject="jo-testcaller"),
                action("A9", "trace_witness", state=ActionState.ALLOCATED, deadline=T0 + hours(12)),
            )
        },
        "action_on_time",
        "A9",
        "action A9 'trace_witness' is overdue",
    ),
]


@pytest.mark.parametrize(
    ("changes", "rule_id", "subject", "reason"), [u[1:] for u in UNMET], ids=[u[0] for u in UNMET]
)
def test_item_unmet_with_reason(
    changes: dict[str, Any], rule_id: str, subject: str | None, reason: str
) -> None:
    item = only(run(**changes))
    rule_ = rule(rule_id)
    assert item.rule_id == rule_id
    assert item.subject == subject
    assert reason in item.reason
    assert (item.title, item.rule, item.owner_role) == (rule_.title, rule_.rule, rule_.owner_role)


# Items that do not apply to this case are not unmet, whatever is missing.
NOT_APPLICABLE: list[tuple[str, dict[str, Any]]] = [
    (
        "no note, no note exhibit",
        {"report": {"scene": {"note_present": False}}, "exhibits": NOTE_NO_HANDWRITING[1:]},
    ),
    (
        "nothing disturbed, nothing seized",
        {
            "report": {
                "scene": {"bedding_or_clothing_disturbed": False, "drug_paraphernalia": None}
            },
            "exhibits": (exhibit("E1", ExhibitKind.NOTE, examinations=("handwriting",)),),
        },
    ),
    (
        "no one in a checked role",
        {"persons": (person("pat-testperson", Role.NEXT_OF_KIN),), "actions": ()},
    ),
    ("no referrals", {"referrals": ()}),
    (
        "no next of kin or partner: a friend told is the family told",
        {
            "persons": (
                person("jo-testcaller", Role.CALLER),
                person("kim-testfriend", Role.FRIEND),
            ),
            "liaison": (liaison("kim-testfriend"),),
        },
    ),
    (
        "a friend not told where the next of kin was: friends are not each told",
        {
            "persons": (
                person("jo-testcaller", Role.CALLER),
                person("pat-testperson", Role.NEXT_OF_KIN),
                person("kim-testfriend", Role.FRIEND),
            ),
        },
    ),
    (
        "a late action already completed",
        {
            "actions": (
                action("A1", "intelligence_check", subject="jo-testcaller", deadline=T0 + hours(1)),
            )
        },
    ),
    (
        "below the floor with an override",
        {
            "decisions": (
                decision(
                    Category.UNEXPECTED_NOT_SUSPICIOUS,
                    override_by="insp_testperson",
                    override_reason="Toxicology and CCTV rule out a third party.",
                ),
            )
        },
    ),
]


@pytest.mark.parametrize(
    "changes", [n[1] for n in NOT_APPLICABLE], ids=[n[0] for n in NOT_APPLICABLE]
)
def test_item_not_applicable(changes: dict[str, Any]) -> None:
    assert run(**changes).unmet == ()


CATEGORY_ITEMS = {
    "sergeant_attended",
    "family_told",  # no one is on record: the family is to be found and told
    "toxicology_with_ghb",
    "devices_examined",
    "cctv_sought",
}


def test_quiet_death_decided_not_suspicious_needs_none_of_the_investigation_items() -> None:
    ev = evaluate(default_pack(), case(decisions=(decision(Category.EXPECTED),)), NOW)
    assert ev.floor is Category.EXPECTED
    assert ev.unmet == ()


def test_undecided_quiet_death_is_presumed_under_investigation_and_gets_the_checklist() -> None:
    ev = evaluate(default_pack(), case(), NOW)
    assert ev.category is UUI
    assert {u.rule_id for u in ev.unmet} == CATEGORY_ITEMS | {"category_decided"}


def test_quiet_death_decided_under_investigation_gets_the_checklist() -> None:
    ev = evaluate(default_pack(), case(decisions=(decision(UUI),)), NOW)
    assert {u.rule_id for u in ev.unmet} == CATEGORY_ITEMS


def test_a_case_with_a_note_and_no_handwriting_examination_shows_that_item() -> None:
    ev = evaluate(
        default_pack(),
        case(report(scene={"note_present": True}), exhibits=NOTE_NO_HANDWRITING[:1]),
        NOW,
    )
    (item,) = [u for u in ev.unmet if u.rule_id == "note_examined"]
    assert item.owner_role is UserRole.INVESTIGATOR
    assert item.deadline == T0 + hours(72)
    assert not item.overdue
    assert "handwriting" in item.reason


@pytest.mark.parametrize(
    ("now", "overdue"), [(T0 + hours(23), False), (T0 + hours(24), False), (T0 + hours(25), True)]
)
def test_referral_unanswered_after_24_hours_is_overdue(now: datetime, overdue: bool) -> None:
    item = only(run(now, referrals=(referral("R1", made_at=T0),)))
    assert item.rule_id == "referral_answered"
    assert item.owner_role is UserRole.REVIEWING_OFFICER
    assert item.deadline == T0 + hours(24)
    assert item.overdue is overdue


def test_referral_deadline_runs_from_when_it_was_made() -> None:
    item = only(run(T0 + hours(30), referrals=(referral("R1", made_at=T0 + hours(10)),)))
    assert item.deadline == T0 + hours(34)
    assert not item.overdue


# (case id, changes to the complete case, now, the one unmet item's deadline, overdue)
DEADLINES: list[tuple[str, dict[str, Any], datetime, datetime, bool]] = [
    (
        "sergeant: 2h from reported_at",
        {"report": {"attendance": {"sergeant_or_above": None}}},
        T0 + hours(3),
        T0 + hours(2),
        True,
    ),
    (
        "sergeant, not yet late",
        {"report": {"attendance": {"sergeant_or_above": None}}},
        T0 + hours(1),
        T0 + hours(2),
        False,
    ),
    ("devices: 7 days", {"report": {"devices": []}}, T0 + hours(30), T0 + hours(7 * 24), False),
    (
        "intelligence check: 24h from when the person became known",
        {
            "persons": (
                person("jo-testcaller", Role.CALLER, known_at=T0 + hours(10)),
                person("pat-testperson", Role.NEXT_OF_KIN),
            ),
            "actions": (),
        },
        T0 + hours(30),
        T0 + hours(34),
        False,
    ),
    (
        "intelligence check, person's time not recorded: from reported_at",
        {"actions": ()},
        T0 + hours(30),
        T0 + hours(24),
        True,
    ),
    (
        "concern: 48h from the liaison entry",
        {
            "liaison": (
                liaison(
                    "pat-testperson",
                    at=T0 + hours(5),
                    concerns=(concern("Who was he with?", answered=False),),
                ),
            )
        },
        T0 + hours(60),
        T0 + hours(53),
        True,
    ),
    (
        "override: 24h from the decision",
        {"decisions": (decision(Category.EXPECTED),)},
        T0 + hours(20),
        DECIDED + hours(24),
        False,
    ),
    (
        "action: its own deadline",
        {
            "actions": (
                action("A1", "intelligence_check", subject="jo-testcaller"),
                action("A2", "house_to_house", state=ActionState.RAISED, deadline=T0 + hours(6)),
            )
        },
        T0 + hours(7),
        T0 + hours(6),
        True,
    ),
]


@pytest.mark.parametrize(
    ("changes", "now", "deadline", "overdue"),
    [d[1:] for d in DEADLINES],
    ids=[d[0] for d in DEADLINES],
)
def test_deadlines_and_overdue(
    changes: dict[str, Any], now: datetime, deadline: datetime, overdue: bool
) -> None:
    item = only(run(now, **changes))
    assert item.deadline == deadline
    assert item.overdue is overdue
    assert run(now, **changes).overdue == ((item,) if overdue else ())


def test_no_reported_time_means_no_deadline() -> None:
    ev = evaluate(default_pack(), case(report(reported_at=None)), NOW)
    assert ev.unmet
    assert all(u.deadline is None and not u.overdue for u in ev.unmet)


def test_every_unmet_item_is_json_ready() -> None:
    data = run(referrals=(referral("R1"),)).to_dict()
    assert data["unmet"] == [
        {
            "rule_id": "referral_answered",
            "title": rule("referral_answered").title,
            "rule": rule("referral_answered").rule,
            "reason": "referral R1 to 'Homicide team' is not answered",
            "owner_role": "reviewing_officer",
            "deadline": (T0 + hours(24)).isoformat().replace("+00:00", "Z"),
            "subject": "R1",
            "overdue": True,
        }
    ]
