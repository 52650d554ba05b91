"""The category in force, the presumption, and checking a decision against the floor."""

from __future__ import annotations

import pytest

from vigil.domain import Category, DomainError, UserRole
from vigil.policy import check_decision, default_pack, evaluate

from .factories import T0, case, decision, hours, report

NOW = T0 + hours(6)
UUI = Category.UNEXPECTED_UNDER_INVESTIGATION
UNS = Category.UNEXPECTED_NOT_SUSPICIOUS
REASON = "Toxicology negative for GHB; CCTV shows him alone all night."

# A young man found dead in a churchyard; the substance is not confirmed.
CHURCHYARD = report(
    circumstances="Found by a passer-by in the churchyard. Suspected overdose.",
    deceased={"age": 24, "sex": "male", "known_illness": None},
    location={"place_type": "churchyard"},
    toxicology={"status": "pending"},
)


def test_churchyard_floor_is_under_investigation() -> None:
    ev = evaluate(default_pack(), case(CHURCHYARD), NOW)
    assert ev.floor is UUI
    assert {r.rule_id for r in ev.floor_reasons} == {
        "young_adult_public_place",
        "substance_unconfirmed",
    }


# (override role, override reason, field at fault or None if the decision may stand)
CHECKS = [
    (None, None, "category"),
    (None, REASON, "category"),
    (UserRole.INVESTIGATOR, REASON, "override_by"),
    (UserRole.RESPONSE_OFFICER, REASON, "override_by"),
    (UserRole.REVIEWING_OFFICER, None, "override_reason"),
    (UserRole.REVIEWING_OFFICER, "   ", "override_reason"),
    (UserRole.REVIEWING_OFFICER, REASON, None),
]


@pytest.mark.parametrize(("role", "reason", "field"), CHECKS)
def test_churchyard_cannot_be_not_suspicious_without_a_supervisor_override(
    role: UserRole | None, reason: str | None, field: str | None
) -> None:
    def decide() -> None:
        check_decision(
            default_pack(),
            case(CHURCHYARD),
            UNS,
            override_by_role=role,
            override_reason=reason,
            now=NOW,
        )

    if field is None:
        decide()
    else:
        with pytest.raises(DomainError) as caught:
            decide()
        assert caught.value.field == field


def test_refusal_says_why() -> None:
    with pytest.raises(DomainError) as caught:
        check_decision(
            default_pack(),
            case(CHURCHYARD),
            Category.EXPECTED,
            override_by_role=None,
            override_reason=None,
            now=NOW,
        )
    assert "below this case's floor 'unexpected, under investigation'" in caught.value.reason
    assert "the place is 'churchyard'" in caught.value.reason
    assert "Only a reviewing officer can record it" in caught.value.reason


@pytest.mark.parametrize("category", [UUI, Category.HOMICIDE])
def test_at_or_above_the_floor_needs_no_override(category: Category) -> None:
    check_decision(
        default_pack(),
        case(CHURCHYARD),
        category,
        override_by_role=None,
        override_reason=None,
        now=NOW,
    )


def test_quiet_death_may_be_expected() -> None:
    check_decision(
        default_pack(),
        case(),
        Category.EXPECTED,
        override_by_role=None,
        override_reason=None,
        now=NOW,
    )


def test_supervisor_roles_come_from_the_pack() -> None:
    pack = default_pack().model_copy(update={"supervisor_roles": frozenset({UserRole.ANALYST})})
    with pytest.raises(DomainError) as caught:
        check_decision(
            pack,
            case(CHURCHYARD),
            UNS,
            override_by_role=UserRole.REVIEWING_OFFICER,
            override_reason=REASON,
            now=NOW,
        )
    assert caught.value.field == "override_by"
    check_decision(
        pack,
        case(CHURCHYARD),
        UNS,
        override_by_role=UserRole.ANALYST,
        override_reason=REASON,
        now=NOW,
    )


def test_no_decision_means_presumed_under_investigation() -> None:
    ev = evaluate(default_pack(), case(), NOW)
    assert (ev.category, ev.presumed, ev.floor) == (UUI, True, Category.EXPECTED)
    assert "until the investigation establishes otherwise" in ev.category_rationale
    assert (ev.decided_by, ev.decided_at, ev.override_by, ev.override_reason) == (None,) * 4
    assert not ev.below_floor and not ev.needs_override


def test_a_pack_may_presume_otherwise_but_never_below_the_floor() -> None:
    pack = default_pack().model_copy(update={"presumption": Category.EXPECTED})
    assert evaluate(pack, case(), NOW).category is Category.EXPECTED
    ev = evaluate(pack, case(CHURCHYARD), NOW)
    assert ev.category is UUI
    assert "floor is above the pack's presumption" in ev.category_rationale


def test_latest_decision_is_in_force() -> None:
    decisions = (
        decision(UUI, at=T0 + hours(2)),
        decision(Category.HOMICIDE, at=T0 + hours(5)),
        decision(UNS, at=T0 + hours(3)),
    )
    ev = evaluate(default_pack(), case(CHURCHYARD, decisions=decisions), NOW)
    assert (ev.category, ev.presumed, ev.decided_at) == (Category.HOMICIDE, False, T0 + hours(5))
    assert ev.category_rationale == decisions[1].rationale


def test_decision_below_floor_without_override_needs_one() -> None:
    ev = evaluate(default_pack(), case(CHURCHYARD, decisions=(decision(UNS),)), NOW)
    assert (ev.category, ev.below_floor, ev.needs_override) == (UNS, True, True)
    assert "override_recorded" in {u.rule_id for u in ev.unmet}


def test_decision_below_floor_with_override_stands() -> None:
    decided = decision(UNS, override_by="insp_testperson", override_reason=REASON)
    ev = evaluate(default_pack(), case(CHURCHYARD, decisions=(decided,)), NOW)
    assert (ev.below_floor, ev.needs_override) == (True, False)
    assert (ev.override_by, ev.override_reason) == ("insp_testperson", REASON)
    assert "override_recorded" not in {u.rule_id for u in ev.unmet}
    # the floor still decides which procedures apply
    assert "sergeant_attended" in {u.rule_id for u in ev.unmet}


def test_evaluation_records_the_pack_version() -> None:
    pack = default_pack().model_copy(update={"name": "trial", "version": "9.9"})
    data = evaluate(pack, case(), NOW).to_dict()
    assert (data["pack_name"], data["pack_version"]) == ("trial", "9.9")
    assert data["evaluated_at"] == "2015-06-19T14:00:00Z"


def test_now_must_have_a_time_zone() -> None:
    with pytest.raises(ValueError, match="time zone"):
        evaluate(default_pack(), case(), NOW.replace(tzinfo=None))


def decided(ev_case_decision: object) -> bool:
    """Whether 'category decided' is met."""
    ev = evaluate(default_pack(), case(CHURCHYARD, decisions=(ev_case_decision,)), NOW)
    return "category_decided" not in {u.rule_id for u in ev.unmet}


def test_only_a_reviewing_role_decides_or_signs_off_a_category() -> None:
    assert decided(decision(UUI))  # the inspector's own decision
    assert not decided(decision(UUI, by="pc_testperson"))  # the response officer's own
    # signed off: the inspector's override on the officer's decision
    assert decided(
        decision(UNS, by="pc_testperson", override_by="insp_testperson", override_reason=REASON)
    )


def test_signoff_roles_come_from_the_pack() -> None:
    pack = default_pack().model_copy(
        update={"signoff_roles": frozenset({UserRole.RESPONSE_OFFICER})}
    )
    ev = evaluate(pack, case(CHURCHYARD, decisions=(decision(UUI, by="pc_testperson"),)), NOW)
    assert "category_decided" not in {u.rule_id for u in ev.unmet}
