"""Explanations: each feature's contribution as a sentence an inspector can check."""

from __future__ import annotations

import math

import pytest

from vigil.domain import Role
from vigil.linkage.explain import (
    Reason,
    explain,
    format_weight,
    render,
    summary,
    weights_from_splink,
)
from vigil.linkage.profile import Profile

from .factories import FREQUENCIES, north, person, profile


def _pair() -> tuple[Profile, Profile]:
    """Two GHB deaths 40 m apart, three days apart; the caller's phone on A is a friend's on
    B, and the friend's statement on B names the caller on A."""
    lat, lon = north(0.04)
    a = profile(
        "VGL-A",
        person("p1", Role.CALLER, name="Sam Testperson", phone="+44 7700 900461"),
        found_at="2015-06-19T05:30:00Z",
    )
    b = profile(
        "VGL-B",
        person(
            "p2",
            Role.FRIEND,
            name="Jo Testperson",
            phone="07700 900461",
            statement="He went home with Sam Testperson after the party.",
        ),
        found_at="2015-06-22T05:30:00Z",
        location={"latitude": lat, "longitude": lon},
        deceased={"name": "Chris Testvictim", "age": 25},
    )
    return a, b


CONTRIBUTIONS = {
    "distance": 6.2,
    "days_apart": 2.1,
    "place_type": 1.3,
    "age": 0.84,
    "substance": 7.9,
    "identifiers": 11.0,
    "text_names": 4.0,
}


def test_explanation_lists_each_contribution_largest_first() -> None:
    a, b = _pair()
    assert render(explain(a, b, CONTRIBUTIONS, FREQUENCIES)) == [
        "share phone +447700900461: caller (Sam Testperson) on A, friend (Jo Testperson) on B: "
        "+11.0",
        "GHB was found in both; it is found in 0.1% of deaths in the store (4 of 4,000): +7.9",
        "found 40 m apart: +6.2",
        "'Sam Testperson', named in the statement of Jo Testperson on B, is the caller on A: +4.0",
        "found 3 days apart: +2.1",
        "both found in a churchyard: +1.3",
        "aged 23 and 25, 2 years apart: +0.8",
    ]


def test_reasons_carry_the_feature_and_its_weight() -> None:
    a, b = _pair()
    reasons = explain(a, b, {"distance": 6.2, "sex": -0.3}, FREQUENCIES)
    assert reasons == [
        Reason("distance", 6.2, "found 40 m apart"),
        Reason("sex", -0.3, "both male"),
    ]


def test_case_references_replace_a_and_b() -> None:
    a, b = _pair()
    lines = render(explain(a, b, {"identifiers": 11.0}, FREQUENCIES, by_reference=True))
    assert lines == [
        "share phone +447700900461: caller (Sam Testperson) on VGL-A, friend (Jo Testperson) "
        "on VGL-B: +11.0"
    ]


def test_negative_contributions_are_ordered_by_size() -> None:
    a = profile("VGL-A")
    b = profile(
        "VGL-B",
        location={"latitude": north(310)[0]},
        deceased={"sex": "female"},
        toxicology={"substances": ["heroin"]},
    )
    contributions = {"sex": -2.0, "distance": -3.4, "substance": -0.6, "moved": 0.04}
    assert render(explain(a, b, contributions, FREQUENCIES)) == [
        "found 310 km apart: -3.4",
        "one male, one female: -2.0",
        "no substance shared: GHB on A, heroin on B: -0.6",
        "both bodies moved after death: 0.0",
    ]


def test_ties_keep_the_feature_order() -> None:
    a, b = _pair()
    reasons = explain(a, b, {"age": 1.0, "distance": -1.0, "sex": 1.0}, FREQUENCIES)
    assert [r.feature for r in reasons] == ["distance", "sex", "age"]


def test_features_with_nothing_to_compare_are_left_out() -> None:
    a, b = _pair()  # no note on either: the null level, weight 0
    assert explain(a, b, {"note_present": 0.0, "distance": 1.0}, FREQUENCIES) == [
        Reason("distance", 1.0, "found 40 m apart")
    ]


def test_a_missing_value_that_still_carries_weight_is_shown() -> None:
    a, b = _pair()
    assert render(explain(a, b, {"note_present": 0.5}, FREQUENCIES)) == [
        "no note recorded on either: +0.5"
    ]


def test_unknown_feature_names_are_refused() -> None:
    a, b = _pair()
    with pytest.raises(ValueError, match="no pair feature named surname"):
        explain(a, b, {"surname": 1.0}, FREQUENCIES)


def test_each_shared_substance_says_how_often_it_is_found() -> None:
    a = profile("VGL-A", toxicology={"substances": ["ghb", "gbl", "heroin"]})
    b = profile("VGL-B", toxicology={"substances": ["GHB", "gbl"]})
    assert render(explain(a, b, {"substance": 9.0}, FREQUENCIES)) == [
        "GHB was found in both; it is found in 0.1% of deaths in the store (4 of 4,000); "
        "GBL was found in both; it is found in 0.8% of deaths in the store (30 of 4,000): +9.0"
    ]


def test_a_common_substance_says_how_common() -> None:
    a = profile("VGL-A", toxicology={"substances": ["heroin"]})
    b = profile("VGL-B", toxicology={"substances": ["heroin"]})
    assert render(explain(a, b, {"substance": -3.0}, FREQUENCIES)) == [
        "heroin was found in both; it is found in 30% of deaths in the store (1,200 of 4,000): -3.0"
    ]


def test_across_roles_the_deceased_home_is_the_callers_address() -> None:
    a = profile(
        "VGL-A",
        person("p1", Role.CALLER, name="Sam Testperson", address="14 Elm Rd, London E6 2AB"),
    )
    b = profile(
        "VGL-B",
        deceased={"name": "Gabriel Testvictim", "home_address": "14 Elm Road, London E6 2AB"},
    )
    assert render(explain(a, b, {"identifiers": 11.9}, FREQUENCIES)) == [
        "share address 14 ELM ROAD LONDON E6 2AB: caller (Sam Testperson) on A, home of the "
        "deceased (Gabriel Testvictim) on B: +11.9"
    ]


def test_an_identifier_in_free_text_says_where_it_was_written() -> None:
    a = profile("VGL-A", person("p1", Role.CALLER, name="Sam Testperson", phone="07700 900461"))
    b = profile(
        "VGL-B",
        person("p2", Role.FRIEND, name="Jo Testperson", statement="His number: 07700 900461."),
        deceased={"name": "Chris Testvictim"},
    )
    assert render(explain(a, b, {"identifiers": 20.5}, FREQUENCIES)) == [
        "share phone +447700900461: caller (Sam Testperson) on A, written in the statement of "
        "Jo Testperson on B: +20.5"
    ]


def test_a_first_name_in_the_note_says_where_and_how_common() -> None:
    b = profile("VGL-B", deceased={"name": "Gabriel Testvictim"})
    c = profile(
        "VGL-C",
        deceased={"name": "Chris Testvictim"},
        scene={"note_present": True, "note_description": "I am sorry, Gabriel."},
    )
    assert render(explain(c, b, {"text_names": 9.0}, FREQUENCIES)) == [
        "the note on A names 'Gabriel'; the deceased (Gabriel Testvictim) on B is named "
        "Gabriel, a first name on under 0.1% of the store's cases (2 of 4,000): +9.0"
    ]


def test_identifiers_group_roles_by_person_and_name_every_kind() -> None:
    address = "14 Test Rd, Barking IG11 7QR"
    a = profile(
        "VGL-A",
        person("p1", Role.CALLER, Role.FRIEND, name="Sam Testperson", address=address),
        person("p2", Role.NEXT_OF_KIN, name="Lee Testperson", handle="@samtp"),
    )
    b = profile(
        "VGL-B",
        person("p3", Role.PERSON_OF_INTEREST, name="Sam Testperson", handle="SamTP"),
        person("p4", Role.HOST, name="Max Testperson", address=address),
        deceased={"name": "Chris Testvictim"},
    )
    assert render(explain(a, b, {"identifiers": 12.5}, FREQUENCIES)) == [
        "share online handle samtp: next of kin (Lee Testperson) on A, person of interest "
        "(Sam Testperson) on B; address 14 TEST ROAD BARKING IG11 7QR: caller and friend "
        "(Sam Testperson) on A, host (Max Testperson) on B; name Sam Testperson: caller and "
        "friend (Sam Testperson) on A, person of interest (Sam Testperson) on B: +12.5"
    ]


def test_no_shared_identifier_is_said_plainly() -> None:
    a, b = _pair()
    b2 = profile(
        "VGL-C",
        person("p9", Role.FINDER, name="Kim Testperson", phone="07700 900999"),
        deceased={"name": "Kim Testvictim"},
    )
    assert render(explain(a, b2, {"identifiers": -0.1}, FREQUENCIES)) == [
        "no identifier shared (3 on A, 3 on B): -0.1"
    ]
    assert b.row["identifiers"]  # the pair itself shares one


def test_text_name_in_either_direction_says_where_and_who() -> None:
    a, b = _pair()
    assert render(explain(b, a, {"text_names": 4.0}, FREQUENCIES)) == [
        "'Sam Testperson', named in the statement of Jo Testperson on A, is the caller on B: +4.0"
    ]


def test_text_name_of_an_alias_or_of_the_deceased() -> None:
    a = profile("VGL-A", person("p1", Role.FRIEND, name="Jo Testperson", alias="Sammy Testperson"))
    b = profile(
        "VGL-B",
        deceased={"name": "Chris Testvictim"},
        first_account={"account": "Sammy Testperson said Alex Testvictim knew him."},
    )
    assert render(explain(a, b, {"text_names": 5.0}, FREQUENCIES)) == [
        "'Alex Testvictim', named in the first account on B, is the deceased on A; "
        "'Sammy Testperson', named in the first account on B, is an alias of the friend "
        "(Jo Testperson) on A: +5.0"
    ]


@pytest.mark.parametrize(
    ("weight", "text"),
    [(6.24, "+6.2"), (-3.36, "-3.4"), (0.04, "0.0"), (-0.04, "0.0"), (11, "+11.0")],
)
def test_weights_are_signed_to_one_decimal(weight: float, text: str) -> None:
    assert format_weight(weight) == text


@pytest.mark.parametrize(
    ("weight", "probability", "text"),
    [
        (14.24, 0.99947, "match weight 14.2 (probability 99.9%)"),
        (0.0, 0.5, "match weight 0.0 (probability 50.0%)"),
        (30.0, 0.99999999, "match weight 30.0 (probability over 99.9%)"),
        (-25.0, 1e-8, "match weight -25.0 (probability under 0.1%)"),
        (99.0, 1.0, "match weight 99.0 (probability 100.0%)"),
    ],
)
def test_summary(weight: float, probability: float, text: str) -> None:
    assert summary(weight, probability) == text


def test_weights_from_a_splink_prediction_row() -> None:
    record = {
        "match_weight": 9.0,
        "mw_distance": 6.2,
        "mw_tf_adj_distance": 0.5,
        "mw_sex": None,
        "bf_age": 4.0,
        "gamma_distance": 3,
        "unique_id_l": "VGL-A",
    }
    weights = weights_from_splink(record)
    assert weights.keys() == {"distance", "age"}
    assert math.isclose(weights["distance"], 6.7) and weights["age"] == 2.0
