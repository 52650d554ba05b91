"""Floor rules of the default pack: each one firing, and not firing, on facts alone."""

from __future__ import annotations

from typing import Any

import pytest

from vigil.domain import Category
from vigil.policy import default_pack, floor_of
from vigil.policy.evaluate import evaluate

from .factories import T0, case, hours, report

UUI = Category.UNEXPECTED_UNDER_INVESTIGATION
YOUNG_IN_CHURCHYARD: dict[str, Any] = {
    "deceased": {"age": 23, "known_illness": None},
    "location": {"place_type": "churchyard"},
}


def young(**deceased: Any) -> dict[str, Any]:
    """The young man in a churchyard, with changes to the deceased."""
    return {**YOUNG_IN_CHURCHYARD, "deceased": {"age": 23, "known_illness": None, **deceased}}


# (case id, changes to the quiet report, the floor rules expected to fire)
CASES: list[tuple[str, dict[str, Any], set[str]]] = [
    ("quiet death", {}, set()),
    ("young, public place", YOUNG_IN_CHURCHYARD, {"young_adult_public_place"}),
    ("young, age 16 (lower bound)", young(age=16), {"young_adult_public_place"}),
    ("young, age 40 (upper bound)", young(age=40), {"young_adult_public_place"}),
    ("age 41 is not young", young(age=41), set()),
    ("age 15 is not an adult", young(age=15), set()),
    ("young with a known illness", young(known_illness=True), set()),
    (
        "young, known illness false still fires",
        young(known_illness=False),
        {"young_adult_public_place"},
    ),
    ("young at home", {"deceased": {"age": 23, "known_illness": None}}, set()),
    (
        "age from date of birth on the day found",
        {
            "deceased": {"age": None, "date_of_birth": "1992-06-19", "known_illness": None},
            "location": {"place_type": "park"},
        },
        {"young_adult_public_place"},
    ),
    ("age unknown: no rule", young(age=None), set()),
    (
        "paraphernalia, toxicology pending",
        {"scene": {"drug_paraphernalia": True}, "toxicology": {"status": "pending"}},
        {"substance_unconfirmed"},
    ),
    (
        "paraphernalia, toxicology confirmed",
        {
            "scene": {"drug_paraphernalia": True},
            "toxicology": {"status": "confirmed", "substances": ["alcohol"]},
        },
        set(),
    ),
    (
        "substance listed, not confirmed",
        {"toxicology": {"status": "pending", "substances": ["heroin"]}},
        {"substance_unconfirmed"},
    ),
    (
        "overdose in the circumstances, no toxicology",
        {"circumstances": "Suspected overdose, found by a friend."},
        {"substance_unconfirmed"},
    ),
    ("drugs in the cause text", {"cause": {"text": "Drugs toxicity?"}}, {"substance_unconfirmed"}),
    (
        "a word that only contains 'drug' is no mention",
        {"circumstances": "Nondrug item found."},
        set(),
    ),
    (
        "GHB found, confirmed",
        {"toxicology": {"status": "confirmed", "substances": ["ghb"]}},
        {"sedative_substance"},
    ),
    (
        "flunitrazepam among others",
        {"toxicology": {"status": "confirmed", "substances": ["alcohol", "Flunitrazepam"]}},
        {"sedative_substance"},
    ),
    (
        "GBL mentioned, not yet tested",
        {"circumstances": "Friends say he took GBL."},
        {"sedative_substance", "substance_unconfirmed"},
    ),
    ("moved after death", {"scene": {"moved_after_death": True}}, {"moved_after_death"}),
    ("moved not known", {"scene": {"moved_after_death": None}}, set()),
    ("account does not fit", {"first_account": {"fits_scene": False}}, {"account_does_not_fit"}),
    ("account fit not assessed", {"first_account": {"fits_scene": None}}, set()),
    ("note present", {"scene": {"note_present": True}}, {"note_present"}),
    ("phone missing", {"scene": {"phone": "missing"}}, {"phone_missing"}),
    ("phone unknown", {"scene": {"phone": "unknown"}}, set()),
    ("injuries seen", {"scene": {"injuries": "Bruising to the neck"}}, {"injuries_or_assault"}),
    ("injuries recorded as none", {"scene": {"injuries": "None visible"}}, set()),
    (
        "assault in the circumstances",
        {"circumstances": "Assaulted outside a pub."},
        {"injuries_or_assault"},
    ),
    (
        "unlawful killing confirmed",
        {"cause": {"status": "confirmed", "text": "Unlawful killing (inquest)"}},
        {"unlawful_killing"},
    ),
    (
        "unlawful killing only suspected",
        {"cause": {"status": "pending", "text": "Unlawful killing?"}},
        set(),
    ),
]


@pytest.mark.parametrize(("changes", "fired"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_floor_rules(changes: dict[str, Any], fired: set[str]) -> None:
    pack = default_pack()
    floor, reasons = floor_of(pack, case(report(**changes)), T0)
    assert {r.rule_id for r in reasons} == fired
    expected = max((pack.floor_rule(r).category for r in fired), key=lambda c: c.rank, default=None)
    assert floor is (expected or Category.EXPECTED)
    for reason in reasons:
        assert reason.reason == pack.floor_rule(reason.rule_id).reason
        assert reason.evidence


def test_floor_is_the_highest_category_fired() -> None:
    changes = {
        "scene": {"phone": "missing"},
        "cause": {"status": "confirmed", "text": "Unlawfully killed"},
    }
    floor, reasons = floor_of(default_pack(), case(report(**changes)), T0)
    assert floor is Category.HOMICIDE
    assert {r.category for r in reasons} == {Category.HOMICIDE, UUI}


def test_floor_evidence_names_this_case_facts() -> None:
    _, reasons = floor_of(default_pack(), case(report(**YOUNG_IN_CHURCHYARD)), T0)
    (reason,) = reasons
    assert "the deceased's age is 23 (between 16 and 40)" in reason.evidence
    assert "whether the deceased had a known illness is not recorded" in reason.evidence
    assert "the place is 'churchyard'" in reason.evidence


def test_evaluation_carries_floor_and_reasons() -> None:
    ev = evaluate(default_pack(), case(report(scene={"phone": "missing"})), T0 + hours(1))
    assert ev.floor is UUI
    assert [r.rule_id for r in ev.floor_reasons] == ["phone_missing"]
    assert ev.to_dict()["floor_reasons"][0]["evidence"] == "the deceased's phone is 'missing'"
