"""A death with the Barking features cannot be closed as 'not suspicious' without a
supervisor's recorded override."""

import pytest

from tests.conftest import T0, expected_report, suspicious_report
from vigil import services
from vigil.domain import Category, DeathReport
from vigil.records import models as m

NOT_SUSPICIOUS = Category.UNEXPECTED_NOT_SUSPICIOUS

# Each feature alone raises the floor: (fields set on an otherwise plain report, floor rule).
FEATURES = [
    (
        {"deceased": {"age": 24, "known_illness": False}, "location": {"place_type": "park"}},
        "young_adult_public_place",
    ),
    ({"toxicology": {"status": "pending", "substances": ["heroin"]}}, "substance_unconfirmed"),
    ({"scene": {"moved_after_death": True}}, "moved_after_death"),
    ({"first_account": {"fits_scene": False}}, "account_does_not_fit"),
    ({"scene": {"note_present": True}}, "note_present"),
    ({"scene": {"phone": "missing"}}, "phone_missing"),
]


@pytest.mark.parametrize(("facts", "rule"), FEATURES)
def test_each_feature_raises_the_floor_and_blocks_not_suspicious(officer, sergeant, facts, rule):
    report = DeathReport.model_validate({"reported_at": T0, **facts})
    state = services.open_case(officer, "K-1", report, known_at=T0)
    assert state.evaluation.floor is Category.UNEXPECTED_UNDER_INVESTIGATION
    assert rule in {r.rule_id for r in state.evaluation.floor_reasons}
    with pytest.raises(services.Invalid, match="below") as info:
        services.decide_category(officer, "K-1", NOT_SUSPICIOUS, "Looks like an overdose.")
    assert info.value.field == "category"
    # a supervisor without a reason is refused too
    with pytest.raises(services.Invalid):
        services.decide_category(sergeant, "K-1", NOT_SUSPICIOUS, "Looks like an overdose.")
    assert not m.CategoryDecision.objects.exists()


def test_a_supervisor_can_override_with_a_reason_and_it_is_recorded(officer, sergeant):
    services.open_case(officer, "K-2", suspicious_report(), known_at=T0)
    state = services.decide_category(
        sergeant,
        "K-2",
        NOT_SUSPICIOUS,
        "Post-mortem found a natural cause.",
        override_reason="Pathologist confirms sudden cardiac death; note examined and genuine.",
    )
    ev = state.evaluation
    assert ev.category is NOT_SUSPICIOUS and ev.below_floor and not ev.needs_override
    assert ev.override_by == "sergeant1"
    assert m.CategoryDecision.objects.get().override_by == "sergeant1"


def test_an_officer_cannot_record_an_override(officer):
    services.open_case(officer, "K-3", suspicious_report(), known_at=T0)
    with pytest.raises(services.Invalid, match="a reviewing officer must"):
        services.decide_category(
            officer, "K-3", NOT_SUSPICIOUS, "Overdose.", override_reason="I am sure."
        )


def test_a_decision_needs_a_rationale(officer):
    services.open_case(officer, "K-4", expected_report(), known_at=T0)
    with pytest.raises(services.Invalid) as info:
        services.decide_category(officer, "K-4", Category.EXPECTED, "  ")
    assert info.value.field == "rationale"


def test_at_or_above_the_floor_needs_no_override(officer):
    services.open_case(officer, "K-5", expected_report(), known_at=T0)
    state = services.decide_category(officer, "K-5", Category.EXPECTED, "GP will certify.")
    assert state.evaluation.category is Category.EXPECTED
    assert state.evaluation.floor is Category.EXPECTED


def test_without_a_decision_a_death_is_treated_as_suspicious(officer):
    state = services.open_case(officer, "K-6", expected_report(), known_at=T0)
    assert state.evaluation.category is Category.UNEXPECTED_UNDER_INVESTIGATION
    assert state.evaluation.presumed
