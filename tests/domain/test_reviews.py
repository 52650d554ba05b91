"""The pure part of retrospective reviews: distances on the ground, circles, the selection's
checks as a whole, and its words (no internal names reach a reader)."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from vigil.domain.enums import PlaceType
from vigil.domain.reviews import (
    Circle,
    Outcome,
    ReviewDefinition,
    Selection,
    describe,
    km_between,
    selection_problems,
)


def test_distances_on_the_ground():
    # a degree of latitude is about 111.2 km anywhere; a degree of longitude shrinks with cos
    assert km_between(51.0, 0.0, 52.0, 0.0) == pytest.approx(111.2, abs=0.1)
    assert km_between(60.0, 0.0, 60.0, 1.0) == pytest.approx(55.6, abs=0.1)
    assert km_between(51.5, -0.1, 51.5, -0.1) == 0.0


def test_a_circle_holds_what_lies_within_its_radius():
    circle = Circle(latitude=51.5386, longitude=0.0811, km=1)
    assert circle.holds(51.5395, 0.0840)  # about 220 m away
    assert not circle.holds(51.56, 0.0811)  # about 2.4 km north
    assert not circle.holds(None, 0.0811)
    dlat, dlon = circle.degrees()
    assert km_between(51.5386, 0.0811, 51.5386 + dlat, 0.0811) >= 1
    assert km_between(51.5386, 0.0811, 51.5386, 0.0811 + dlon) >= 1
    with pytest.raises(ValidationError):
        Circle(latitude=51.5, longitude=0.1, km=0)


def test_the_selection_tidies_what_is_typed():
    s = Selection(substance=" GHB ", unit=" em ", sexuality="  ")
    assert (s.substance, s.unit, s.sexuality, s.sensitive) == ("ghb", "EM", None, False)
    assert Selection(sexuality="Gay").sensitive


@pytest.mark.parametrize(
    ("selection", "field"),
    [
        (Selection(found_from=date(2015, 2, 1), found_to=date(2015, 1, 1)), "selection.found_to"),
        (Selection(age_from=30, age_to=20), "selection.age_to"),
        (Selection(unit="EM", circle=Circle(latitude=51.5, longitude=0.1, km=1)), "selection.unit"),
    ],
)
def test_a_selection_wrong_as_a_whole_names_the_field(selection, field):
    assert [f for f, _ in selection_problems(selection)] == [field]


def test_a_selection_right_as_a_whole_has_no_problem():
    same_day = Selection(found_from=date(2015, 1, 1), found_to=date(2015, 1, 1), age_from=20)
    assert selection_problems(same_day) == []


def test_the_selection_in_words():
    s = Selection(
        found_from=date(2014, 1, 1),
        found_to=date(2015, 12, 31),
        substance="ghb",
        place_type=PlaceType.CAR_PARK,
        age_from=18,
        age_to=40,
    )
    words = describe(s)
    assert words[0] == "found from 1 Jan 2014 to 31 Dec 2015"
    assert "aged 18 to 40" in words and "found in a place of the kind 'car park'" in words
    assert "_" not in "; ".join(words)  # no code reaches a reader
    assert describe(Selection()) == ["every death"]


def test_outcomes_read_as_words_and_a_review_needs_a_title():
    assert [o.label for o in Outcome] == [
        "No further action",
        "Re-open",
        "Refer",
        "Link to a series",
    ]
    with pytest.raises(ValidationError):
        ReviewDefinition(title="")
