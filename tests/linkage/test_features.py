"""Pair features: a case table per feature (rows -> level, value, text), boundaries, nulls."""

from __future__ import annotations

from typing import Any

import pytest

from vigil.domain import Role
from vigil.linkage.features import (
    AGE_YEARS,
    BY_NAME,
    DAYS,
    DISTANCE_KM,
    FEATURES,
    MINUTES,
    Feature,
    circular_minutes,
    compare_all,
    gamma_mismatches,
    threshold_level,
)
from vigil.linkage.frequency import Frequencies
from vigil.linkage.geo import describe_km, great_circle_km
from vigil.linkage.profile import COLUMNS, SCORING_COLUMNS, build

from .factories import CHURCHYARD, T0, case, north, person, profile, row

Case = tuple[dict[str, Any], dict[str, Any], int | None, str]


def check(name: str, a: dict[str, Any], b: dict[str, Any], level: int | None, text: str) -> None:
    got = BY_NAME[name].compare(row(**a), row(**b))
    assert (got.level, got.text) == (level, text)


def test_features_are_documented_in_a_fixed_order() -> None:
    assert [f.name for f in FEATURES] == [
        "distance",
        "days_apart",
        "time_of_day",
        "place_type",
        "sex",
        "age",
        "substance",
        "moved",
        "phone_missing",
        "note_present",
        "identifiers",
        "text_names",
    ]
    for f in FEATURES:
        assert "Rule" in f.doc and len(f.doc) > 100, f.name
        assert len(f.levels) >= 2 and set(f.columns) <= {*COLUMNS, *SCORING_COLUMNS}, f.name


def test_every_feature_carries_its_levels_as_sql() -> None:
    for f in FEATURES:
        assert f.null_sql and len(f.level_sql) == len(f.levels) - 1, f.name
        assert all(f"{c}_l" in f.null_sql + " ".join(f.level_sql) for c in f.columns), f.name
    assert BY_NAME["days_apart"].level_sql[0] == "abs(found_day_l - found_day_r) <= 7"
    assert BY_NAME["time_of_day"].level_sql[1] == (
        "least(abs(found_minute_l - found_minute_r), "
        "1440 - abs(found_minute_l - found_minute_r)) <= 180"
    )


def test_a_feature_needs_one_sql_condition_per_level_but_else() -> None:
    sex = BY_NAME["sex"]
    with pytest.raises(ValueError, match="one SQL condition per level"):
        Feature("sex", sex.levels, sex.columns, sex.function, sex.null_sql, ())


def test_level_labels_follow_the_thresholds() -> None:
    assert BY_NAME["distance"].levels == (
        "within 50 m",
        "within 250 m",
        "within 1 km",
        "within 3 km",
        "further apart",
    )
    assert BY_NAME["days_apart"].levels[0] == "within 7 days"
    assert BY_NAME["time_of_day"].levels == ("within 1 hour", "within 3 hours", "further apart")
    assert BY_NAME["age"].levels[-1] == "further apart"
    assert len(BY_NAME["days_apart"].levels) == len(DAYS) + 1
    assert len(BY_NAME["age"].levels) == len(AGE_YEARS) + 1
    assert len(BY_NAME["time_of_day"].levels) == len(MINUTES) + 1


def test_gamma_is_splinks_numbering() -> None:
    distance = BY_NAME["distance"]
    assert [distance.gamma(i) for i in (None, 0, 1, 2, 3, 4)] == [-1, 4, 3, 2, 1, 0]


@pytest.mark.parametrize(
    ("value", "level"),
    [(0.0, 0), (0.05, 0), (0.0500001, 1), (1.0, 2), (1.01, 3), (3.0, 3), (3.0001, 4), (400, 4)],
)
def test_thresholds_are_inclusive(value: float, level: int) -> None:
    assert threshold_level(value, DISTANCE_KM) == level


def _at(km: float) -> dict[str, Any]:
    lat, lon = north(km)
    return {"latitude": lat, "longitude": lon}


HERE = {"latitude": CHURCHYARD[0], "longitude": CHURCHYARD[1]}
DISTANCE: list[Case] = [
    (HERE, HERE, 0, "found at the same spot"),
    (HERE, _at(0.004), 0, "found 4 m apart"),
    (HERE, _at(0.04), 0, "found 40 m apart"),
    (HERE, _at(0.06), 1, "found 60 m apart"),
    (HERE, _at(0.35), 2, "found 350 m apart"),
    (HERE, _at(1.5), 3, "found 1.5 km apart"),
    (HERE, _at(5), 4, "found 5.0 km apart"),
    (HERE, _at(310), 4, "found 310 km apart"),
    (HERE, {"latitude": CHURCHYARD[0]}, None, "where found not recorded on B"),
    ({}, HERE, None, "where found not recorded on A"),
    ({}, {}, None, "where found not recorded on either"),
]


@pytest.mark.parametrize(("a", "b", "level", "text"), DISTANCE)
def test_distance(a: dict[str, Any], b: dict[str, Any], level: int | None, text: str) -> None:
    check("distance", a, b, level, text)


@pytest.mark.parametrize(("km", "level"), [(1.0, 2), (3.0, 3)])
def test_distance_exactly_on_a_threshold(km: float, level: int) -> None:
    # Single precision, as Splink casts: these points come out at exactly the threshold.
    assert great_circle_km(*CHURCHYARD, *north(km)) == km
    assert BY_NAME["distance"].compare(row(**HERE), row(**_at(km))).level == level


@pytest.mark.parametrize(
    ("km", "text"),
    [(0.0004, "0 m"), (0.0996, "100 m"), (0.994, "990 m"), (0.996, "1.0 km"), (9.96, "10 km")],
)
def test_distances_are_rounded_for_reading(km: float, text: str) -> None:
    assert describe_km(km) == text


DAYS_APART: list[Case] = [
    ({"found_day": 100}, {"found_day": 100}, 0, "found on the same day"),
    ({"found_day": 100}, {"found_day": 101}, 0, "found 1 day apart"),
    ({"found_day": 100}, {"found_day": 107}, 0, "found 7 days apart"),
    ({"found_day": 108}, {"found_day": 100}, 1, "found 8 days apart"),
    ({"found_day": 100}, {"found_day": 130}, 1, "found 30 days apart"),
    ({"found_day": 100}, {"found_day": 131}, 2, "found 31 days apart"),
    ({"found_day": 100}, {"found_day": 280}, 2, "found 180 days apart"),
    ({"found_day": 100}, {"found_day": 281}, 3, "found 181 days apart"),
    ({"found_day": 100}, {"found_day": 465}, 3, "found 365 days apart"),
    ({"found_day": 100}, {"found_day": 466}, 4, "found 366 days apart"),
    ({"found_day": 100}, {}, None, "date found not recorded on B"),
]


@pytest.mark.parametrize(("a", "b", "level", "text"), DAYS_APART)
def test_days_apart(a: dict[str, Any], b: dict[str, Any], level: int | None, text: str) -> None:
    check("days_apart", a, b, level, text)


def _m(minute: int) -> dict[str, Any]:
    return {"found_minute": minute}


TIME_OF_DAY: list[Case] = [
    (_m(1430), _m(10), 0, "found at 23:50 and 00:10 UTC, 20 minutes apart by the clock"),
    (_m(10), _m(1430), 0, "found at 00:10 and 23:50 UTC, 20 minutes apart by the clock"),
    (_m(100), _m(100), 0, "both found at 01:40 UTC"),
    (_m(0), _m(60), 0, "found at 00:00 and 01:00 UTC, 1 hour apart by the clock"),
    (_m(0), _m(61), 1, "found at 00:00 and 01:01 UTC, 1 hour 1 minute apart by the clock"),
    (_m(1400), _m(140), 1, "found at 23:20 and 02:20 UTC, 3 hours apart by the clock"),
    (_m(0), _m(181), 2, "found at 00:00 and 03:01 UTC, 3 hours 1 minute apart by the clock"),
    (_m(0), _m(720), 2, "found at 00:00 and 12:00 UTC, 12 hours apart by the clock"),
    ({}, _m(720), None, "time found not recorded on A"),
]


@pytest.mark.parametrize(("a", "b", "level", "text"), TIME_OF_DAY)
def test_time_of_day(a: dict[str, Any], b: dict[str, Any], level: int | None, text: str) -> None:
    check("time_of_day", a, b, level, text)


def test_time_of_day_is_circular() -> None:
    assert circular_minutes(1430, 10) == circular_minutes(10, 1430) == 20
    assert circular_minutes(0, 720) == 720
    assert max(circular_minutes(0, m) for m in range(1440)) == 720


def test_time_of_day_from_cases_found_either_side_of_midnight() -> None:
    a = profile("VGL-A", found_at="2015-06-19T23:50:00Z")
    b = profile("VGL-B", found_at="2015-07-02T00:10:00Z")
    got = BY_NAME["time_of_day"].compare(a.row, b.row)
    assert (got.level, got.value) == (0, 20)


def _p(place: str) -> dict[str, Any]:
    return {"place_type": place}


PLACE: list[Case] = [
    (_p("churchyard"), _p("churchyard"), 0, "both found in a churchyard"),
    (_p("home"), _p("home"), 0, "both found at home"),
    (_p("park"), _p("street"), 1, "found in a park and in a street, both public places"),
    (_p("home"), _p("street"), 2, "found at home and in a street"),
    (_p("hostel"), _p("licensed_premises"), 2, "found in a hostel and in licensed premises"),
    (_p("park"), {}, None, "place type not recorded on B"),
]


@pytest.mark.parametrize(("a", "b", "level", "text"), PLACE)
def test_place_type(a: dict[str, Any], b: dict[str, Any], level: int | None, text: str) -> None:
    check("place_type", a, b, level, text)


SEX: list[Case] = [
    ({"sex": "male"}, {"sex": "male"}, 0, "both male"),
    ({"sex": "female"}, {"sex": "female"}, 0, "both female"),
    ({"sex": "male"}, {"sex": "female"}, 1, "one male, one female"),
    ({}, {"sex": "male"}, None, "sex not recorded on A"),
]


@pytest.mark.parametrize(("a", "b", "level", "text"), SEX)
def test_sex(a: dict[str, Any], b: dict[str, Any], level: int | None, text: str) -> None:
    check("sex", a, b, level, text)


AGE: list[Case] = [
    ({"age": 23}, {"age": 23}, 0, "both aged 23"),
    ({"age": 23}, {"age": 24}, 0, "aged 23 and 24, 1 year apart"),
    ({"age": 23}, {"age": 25}, 0, "aged 23 and 25, 2 years apart"),
    ({"age": 23}, {"age": 26}, 1, "aged 23 and 26, 3 years apart"),
    ({"age": 28}, {"age": 23}, 1, "aged 28 and 23, 5 years apart"),
    ({"age": 23}, {"age": 29}, 2, "aged 23 and 29, 6 years apart"),
    ({"age": 23}, {"age": 33}, 2, "aged 23 and 33, 10 years apart"),
    ({"age": 23}, {"age": 34}, 3, "aged 23 and 34, 11 years apart"),
    ({"age": 23}, {}, None, "age not recorded on B"),
]


@pytest.mark.parametrize(("a", "b", "level", "text"), AGE)
def test_age(a: dict[str, Any], b: dict[str, Any], level: int | None, text: str) -> None:
    check("age", a, b, level, text)


def _s(*substances: str) -> dict[str, Any]:
    return {"substances": list(substances)}


# FREQUENCIES (factories): GHB in 4 of 4,000 deaths (band 0), GBL in 30 (1), heroin in 1,200 (3)
SUBSTANCES: list[Case] = [
    (_s("ghb"), _s("ghb"), 0, "toxicology found GHB in both"),
    (_s("gbl", "ghb"), _s("alcohol", "gbl", "ghb"), 0, "toxicology found GHB and GBL in both"),
    (_s("gbl"), _s("gbl", "heroin"), 1, "toxicology found GBL in both"),
    (_s("ketamine"), _s("ketamine"), 0, "toxicology found ketamine in both"),  # never seen
    (_s("heroin", "ghb"), _s("heroin"), 3, "toxicology found heroin in both"),
    (_s("ghb"), _s("heroin"), 4, "no substance shared: GHB on A, heroin on B"),
    (_s("ghb"), _s(), None, "substances not recorded on B"),
    (_s(), _s(), None, "substances not recorded on either"),
]


@pytest.mark.parametrize(("a", "b", "level", "text"), SUBSTANCES)
def test_substance(a: dict[str, Any], b: dict[str, Any], level: int | None, text: str) -> None:
    check("substance", a, b, level, text)


def test_a_shared_substance_weighs_by_the_frequency_table_at_scoring_time() -> None:
    """The profile stores what was found; the band comes from the table it is scored with,
    the same for both rows, so it cannot differ by which case was saved first."""
    a, b = build(case("VGL-A")).row, build(case("VGL-B")).row
    assert a["substances"] == b["substances"] == ["ghb"] and "substance_bands" not in a
    for count, band in ((4, 0), (40, 1), (150, 2), (900, 3)):
        table = Frequencies({"ghb": count}, {}, 4000)
        got = BY_NAME["substance"].compare(table.annotate(a), table.annotate(b))
        assert (got.level, got.value) == (band, ("ghb",))


def test_a_young_store_assumes_deaths_without_the_substance() -> None:
    assert Frequencies({"ghb": 2}, {}, 3).substance_band("ghb") == 1  # 2 of 203: under 1%
    assert Frequencies({"ghb": 2}, {}, 3, prior_cases=0).substance_band("ghb") == 3


SCENE: list[tuple[str, Any, Any, int | None, str]] = [
    ("moved", True, True, 0, "both bodies moved after death"),
    ("moved", True, None, 1, "body moved after death on A only"),
    ("moved", None, True, 1, "body moved after death on B only"),
    ("moved", None, None, None, "neither recorded as moved after death"),
    ("moved", False, None, None, "neither recorded as moved after death"),
    ("phone_missing", True, True, 0, "both phones missing"),
    ("phone_missing", None, True, 1, "phone missing on B only"),
    ("phone_missing", None, None, None, "neither recorded with a phone missing"),
    ("note_present", True, True, 0, "a note found with both"),
    ("note_present", True, None, 1, "a note found on A only"),
    ("note_present", None, None, None, "no note recorded on either"),
]


@pytest.mark.parametrize(("name", "a", "b", "level", "text"), SCENE)
def test_scene(name: str, a: Any, b: Any, level: int | None, text: str) -> None:
    check(name, {name: a}, {name: b}, level, text)


PHONE = "phone:+447700900461"
ADDRESS = "address:14 TEST ROAD BARKING IG11 7QR"
NAME = "name:sam testperson"
FREEPHONE = "orgphone:+448001234567"


def _i(*keys: str) -> dict[str, Any]:
    return {"identifiers": sorted(keys)}


IDENTIFIERS: list[Case] = [
    (_i(PHONE, "name:jo testperson"), _i(PHONE), 0, "share phone +447700900461"),
    (_i("email:sam@example.org"), _i("email:sam@example.org"), 0, "share e-mail sam@example.org"),
    (_i("handle:samtp"), _i("handle:samtp"), 0, "share online handle samtp"),
    (_i(ADDRESS), _i(ADDRESS, PHONE), 1, "share address 14 TEST ROAD BARKING IG11 7QR"),
    (_i(NAME), _i(NAME), 2, "share name Sam Testperson"),
    (_i("alias:big sam"), _i("alias:big sam"), 2, "share alias Big Sam"),
    (_i(NAME, PHONE), _i(PHONE, NAME), 0, "share phone +447700900461 and name Sam Testperson"),
    (_i(NAME, PHONE), _i("phone:+447700900999"), 4, "no identifier shared (2 on A, 1 on B)"),
    # Kinds differ, so these are not the same identifier (text_names catches names).
    (_i("alias:sam testperson"), _i(NAME), 4, "no identifier shared (1 on A, 1 on B)"),
    # An organisation's number is the weakest: any other shared identifier comes first.
    (_i(FREEPHONE), _i(FREEPHONE), 3, "share organisation's number +448001234567"),
    (
        _i(FREEPHONE, NAME),
        _i(NAME, FREEPHONE),
        2,
        "share name Sam Testperson and organisation's number +448001234567",
    ),
    (_i(PHONE), _i(), None, "identifiers not recorded on B"),
]


@pytest.mark.parametrize(("a", "b", "level", "text"), IDENTIFIERS)
def test_identifiers(a: dict[str, Any], b: dict[str, Any], level: int | None, text: str) -> None:
    check("identifiers", a, b, level, text)


def test_identifiers_shared_across_roles() -> None:
    a = profile("VGL-A", person("p1", Role.CALLER, name="Sam Testperson", phone="+44 7700 900461"))
    b = profile(
        "VGL-B",
        person("p2", Role.FRIEND, name="Jo Testperson", phone="07700 900461"),
        deceased={"name": "Chris Testvictim"},
    )
    got = BY_NAME["identifiers"].compare(a.row, b.row)
    assert (got.level, got.value) == (0, (PHONE,))


def test_an_organisations_number_is_keyed_apart_from_a_persons_phone() -> None:
    a = profile("VGL-A", person("p1", Role.CALLER, name="Sam Testperson", phone="0800 123 4567"))
    b = profile(
        "VGL-B",
        person("p2", Role.FRIEND, name="Jo Testperson", phone="0800 1234567"),
        deceased={"name": "Chris Testvictim"},
    )
    assert FREEPHONE in a.row["identifiers"]
    assert not any(key.startswith("phone:") for key in a.row["identifiers"])
    got = BY_NAME["identifiers"].compare(a.row, b.row)
    assert (got.level, got.value) == (3, (FREEPHONE,))
    assert got.text == "share organisation's number +448001234567"


def _t(text_names: list[str], names: list[str]) -> dict[str, Any]:
    return {"text_names": text_names, "names": names}


SAM = "sam testperson"
NO_NAME = "no name in either case's free text is on the other"
TEXT_NAMES: list[Case] = [
    (_t([SAM], []), _t([], [SAM]), 0, "'Sam Testperson', named in the free text on A, is on B"),
    (_t([], [SAM]), _t([SAM], []), 0, "'Sam Testperson', named in the free text on B, is on A"),
    (
        _t([SAM], ["jo testperson"]),
        _t(["jo testperson"], [SAM]),
        0,
        "'Jo Testperson', named in the free text on B, is on A; "
        "'Sam Testperson', named in the free text on A, is on B",
    ),
    (_t([SAM], []), _t([], ["jo testperson"]), 3, NO_NAME),
    (_t([SAM], []), _t([SAM], []), 3, NO_NAME),
    (_t([], [SAM]), _t([], [SAM]), None, "no names in the free text of either"),
    # a first name alone, weighed by how common it is (FREQUENCIES: Gabriel on 2 of 4,000
    # cases, Sam on 60)
    (
        {"text_first_names": ["gabriel"]},
        {"first_names": ["gabriel"]},
        1,
        "'Gabriel', named in the free text on A, is a first name on B",
    ),
    (
        {"first_names": ["sam"]},
        {"text_first_names": ["sam"]},
        2,
        "'Sam', named in the free text on B, is a first name on A",
    ),
    ({"text_first_names": ["gabriel"]}, {"text_first_names": ["gabriel"]}, 3, NO_NAME),
]


@pytest.mark.parametrize(("a", "b", "level", "text"), TEXT_NAMES)
def test_text_names(a: dict[str, Any], b: dict[str, Any], level: int | None, text: str) -> None:
    check("text_names", a, b, level, text)


def test_text_names_from_cases_in_either_direction() -> None:
    a = profile("VGL-A", person("p1", Role.CALLER, name="Sam Testperson"))
    b = profile("VGL-B", first_account={"account": "He left with Sam Testperson at midnight."})
    forward = BY_NAME["text_names"].compare(a.row, b.row)
    backward = BY_NAME["text_names"].compare(b.row, a.row)
    assert (forward.level, forward.value) == (0, ((SAM, 1),))
    assert (backward.level, backward.value) == (0, ((SAM, 0),))


def test_a_text_name_can_be_the_deceased_on_the_other_case() -> None:
    a = profile("VGL-A")
    b = profile(
        "VGL-B",
        deceased={"name": "Chris Testvictim"},
        circumstances="A friend of Alex Testvictim, who died last year.",
    )
    assert BY_NAME["text_names"].compare(a.row, b.row).value == (("alex testvictim", 1),)


def test_sides_name_the_cases_in_the_text() -> None:
    got = BY_NAME["moved"].compare(row(moved=True), row(), ("VGL-1", "VGL-2"))
    assert got.text == "body moved after death on VGL-1 only"


def test_two_cases_from_the_factory_match_on_every_feature_they_have() -> None:
    a = profile("VGL-A", found_at=T0.isoformat())
    b = profile("VGL-B", found_at=T0.replace(day=22).isoformat())
    levels = {name: c.level for name, c in compare_all(a.row, b.row).items()}
    assert levels == {
        "distance": 0,
        "days_apart": 0,
        "time_of_day": 0,
        "place_type": 0,
        "sex": 0,
        "age": 0,
        "substance": 0,
        "moved": 0,
        "phone_missing": 0,
        "note_present": None,
        "identifiers": 2,  # the deceased's name
        "text_names": None,
    }


def test_gamma_mismatches_name_the_features_splink_disagrees_on() -> None:
    a, b = row(age=23, sex="male"), row(age=30, sex="male")
    assert gamma_mismatches(a, b, {"gamma_age": 1, "gamma_sex": 1, "gamma_moved": -1}) == {}
    assert gamma_mismatches(a, b, {"gamma_age": 2, "gamma_sex": 0}) == {
        "age": (2, 1),
        "sex": (0, 1),
    }
