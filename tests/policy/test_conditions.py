"""The condition language: verdicts, the reasons given, and durations."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import TypeAdapter

from vigil.domain import CaseView, Category, ExhibitKind, Role
from vigil.policy.conditions import Condition
from vigil.policy.durations import format_duration, parse_duration
from vigil.policy.facts import age_at_death, read_facts
from vigil.policy.scope import Scope

from .factories import T0, case, exhibit, person, report

CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)


def check(
    data: dict[str, Any], case_: CaseView, category: Category | None = None
) -> tuple[bool, str]:
    scope = Scope(case_, T0, read_facts(case_.report), floor=category, category=category)
    outcome = CONDITION.validate_python(data).check(scope)
    return outcome.ok, outcome.why


PHONE_MISSING = case(report(scene={"phone": "missing"}))

# (case id, condition, case, verdict, reason)
VERDICTS: list[tuple[str, dict[str, Any], CaseView, bool, str]] = [
    ("equals", {"fact": "scene.phone", "equals": "missing"}, PHONE_MISSING, True,
     "the deceased's phone is 'missing'"),
    ("equals, case-insensitive", {"fact": "scene.phone", "equals": "MISSING"}, PHONE_MISSING,
     True, "the deceased's phone is 'missing'"),
    ("equals fails", {"fact": "scene.phone", "equals": "present"}, PHONE_MISSING, False,
     "the deceased's phone is 'missing', not 'present'"),
    ("not keeps the facts as the reason", {"not": {"fact": "scene.phone", "equals": "missing"}},
     PHONE_MISSING, False, "the deceased's phone is 'missing'"),
    ("unrecorded fact", {"fact": "deceased.known_illness", "equals": True},
     case(report(deceased={"known_illness": None})), False, "whether the deceased had "
     "a known illness is not recorded"),
    ("a flag is not the number 1", {"fact": "deceased.known_illness", "equals": 1},
     case(), False, "the deceased had a known illness"),
    ("in", {"fact": "location.place_type", "in": ["park", "home"]}, case(), True,
     "the place is 'home'"),
    ("in fails", {"fact": "location.place_type", "in": ["park", "street"]}, case(), False,
     "the place is 'home', not 'park' or 'street'"),
    ("between", {"fact": "deceased.age", "between": [80, 90]}, case(), True,
     "the deceased's age is 84 (between 80 and 90)"),
    ("between fails", {"fact": "deceased.age", "between": [16, 40]}, case(), False,
     "the deceased's age is 84, not between 16 and 40"),
    ("present, list", {"fact": "toxicology.substances", "present": True},
     case(report(toxicology={"substances": ["ghb", "alcohol"]})), True,
     "the list of substances found is 'ghb' and 'alcohol'"),
    ("present: false", {"fact": "scene.injuries", "present": False}, case(), True,
     "the record of injuries is not recorded"),
    ("contains_any", {"fact": "toxicology.substances", "contains_any": ["GHB", "ketamine"]},
     case(report(toxicology={"substances": ["alcohol", "ghb"]})), True,
     "the list of substances found includes 'ghb'"),
    ("contains_any fails", {"fact": "toxicology.substances", "contains_any": "ketamine"},
     case(report(toxicology={"substances": ["alcohol"]})), False,
     "the list of substances found ('alcohol') includes none of 'ketamine'"),
    ("text names the word found",
     {"text": ["circumstances", "cause.text"], "mentions": ["overdos", "drug"]},
     case(report(circumstances="Possible overdose; drugs nearby.")), True,
     "the account of the circumstances mentions 'overdose' and 'drugs'"),
    ("text matches at the start of a word only", {"text": "circumstances", "mentions": ["drug"]},
     case(report(circumstances="A nondrug item.")), False,
     "the account of the circumstances mentions none of 'drug'"),
    ("text with nothing recorded", {"text": ["cause.text"], "mentions": ["drug"]}, case(),
     False, "the cause of death as written: nothing recorded"),
    ("all: the failures", {"all": [{"fact": "scene.phone", "equals": "missing"},
                                   {"fact": "deceased.age", "between": [16, 40]},
                                   {"fact": "location.place_type", "equals": "park"}]},
     PHONE_MISSING, False, "the deceased's age is 84, not between 16 and 40; the place is "
     "'home', not 'park'"),
    ("any: the successes", {"any": [{"fact": "scene.phone", "equals": "missing"},
                                    {"fact": "deceased.age", "between": [16, 40]}]},
     PHONE_MISSING, True, "the deceased's phone is 'missing'"),
    ("some", {"some": "exhibits", "where": {"kind": "note", "seized": True}},
     case(exhibits=(exhibit("E1", ExhibitKind.NOTE),)), True,
     "recorded: exhibit E1 'note from the scene'"),
    ("some fails", {"some": "exhibits", "where": {"kind": "note", "seized": True}},
     case(exhibits=(exhibit("E1", ExhibitKind.NOTE, seized=False),)), False,
     "no exhibit of kind 'note' that is seized is recorded"),
    ("every on nothing", {"every": "devices", "where": {"status": "examined"}}, case(), True,
     "no devices are recorded"),
    ("every names each failure", {"every": "devices", "where": {"status": "examined"}},
     case(report(devices=[{"kind": "phone", "status": "sought", "description": "black"},
                          {"kind": "tablet", "status": "examined"}])), False,
     "device 'phone' (black) has status 'sought', not 'examined'"),
    ("liaison by role", {"some": "liaison", "where": {"person_roles": "next_of_kin"}},
     case(persons=(person("kim-testfriend", Role.FRIEND),)), False,
     "no liaison entry with a person who is 'next of kin' is recorded"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("condition", "case_", "ok", "why"), [v[1:] for v in VERDICTS], ids=[v[0] for v in VERDICTS]
)
def test_verdict_and_reason(condition: dict[str, Any], case_: CaseView, ok: bool, why: str) -> None:
    assert check(condition, case_) == (ok, why)


@pytest.mark.parametrize(
    ("category", "ok"),
    [
        (Category.UNEXPECTED_NOT_SUSPICIOUS, False),
        (Category.UNEXPECTED_UNDER_INVESTIGATION, True),
        (Category.HOMICIDE, True),
    ],
)
def test_category_at_least(category: Category, ok: bool) -> None:
    verdict, why = check({"category_at_least": "unexpected_under_investigation"}, case(), category)
    assert verdict is ok
    assert f"'{category.label.lower()}'" in why


@pytest.mark.parametrize(
    ("born", "age"),
    [(date(1992, 6, 18), 23), (date(1992, 6, 19), 23), (date(1992, 6, 20), 22), (None, None)],
)
def test_age_from_date_of_birth_on_the_day_found(born: date | None, age: int | None) -> None:
    # found_at is 2015-06-19 07:00 UTC in the factory report
    subject = report(deceased={"age": None, "date_of_birth": born and born.isoformat()})
    assert age_at_death(subject) == age
    assert read_facts(subject)["deceased.age"] == age


def test_recorded_age_wins_over_date_of_birth() -> None:
    assert age_at_death(report(deceased={"age": 30, "date_of_birth": "1900-01-01"})) == 30


@pytest.mark.parametrize(
    ("text", "expected", "spelt"),
    [
        ("30m", timedelta(minutes=30), "30m"),
        ("2h", timedelta(hours=2), "2h"),
        ("24h", timedelta(days=1), "1d"),
        ("72h", timedelta(days=3), "3d"),
        (" 7d ", timedelta(days=7), "1w"),
        ("2w", timedelta(weeks=2), "2w"),
        ("90m", timedelta(minutes=90), "90m"),
    ],
)
def test_durations(text: str, expected: timedelta, spelt: str) -> None:
    assert parse_duration(text) == expected
    assert format_duration(expected) == spelt


@pytest.mark.parametrize("text", ["24x", "h", "0h", "-1h", "1.5h", "24", 24, None, "1 day"])
def test_not_durations(text: object) -> None:
    with pytest.raises(ValueError, match="is not a duration like 24h or 7d"):
        parse_duration(text)
