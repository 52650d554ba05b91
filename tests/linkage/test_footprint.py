"""A confirmed series' footprint (one rule online and in a replay): a new death of the series'
profile, within its spread and its months, is inside; a death outside any of the three is not.
And a replay whose analyst confirms the true alerts raises the footprint alert at once."""

from datetime import UTC, datetime, timedelta

import pytest

from vigil.linkage import footprint, timeline
from vigil.linkage.profile import Profile
from vigil.linkage.scan import Point
from vigil.linkage.scan_profiles import default_profiles

KM_PER_DEGREE = 111.195
UNEXPLAINED = "unexpected_under_investigation"
YOUNG_MAN_GHB = {"age": 23, "sex": "male", "place_type": "churchyard", "substances": ["ghb"]}
SETTINGS = timeline.ScanSettings(max_km=1.0, max_days=365, study_days=730, replicates=9, alpha=0.01)


def death(ref: str, north_m: float, day: int, **row: object) -> footprint.Death:
    point = Point(ref, 51.5390 + north_m / 1000 / KM_PER_DEGREE, 0.0810, day)
    return footprint.Death({**YOUNG_MAN_GHB, **row}, UNEXPLAINED, point)


SERIES = [death("B", 0, 100), death("C", 4, 123)]


@pytest.mark.parametrize(
    ("new", "inside"),
    [
        (death("D", 25, 480), True),  # 25 m away, a year after C, GHB: Barking's fourth
        (death("D", 240, 130), True),  # within the street-sized least spread
        (death("D", 600, 130), False),  # beyond the series' spread (4 m, so 250 m)
        (death("D", 25, 123 + 366), False),  # more than a year after the last
        (death("D", 25, 130, substances=[]), False),  # toxicology not in: not yet GHB
        (death("D", 25, 130, sex="female"), False),  # not of the men's GHB profile
        (death("D", 25, 130, age=62), False),  # not a younger adult
    ],
)
def test_a_death_is_inside_the_footprint_only_by_profile_place_and_time(new, inside):
    found = footprint.inside(new, SERIES, default_profiles(), 1.0, 365)
    assert (found is not None) is inside
    if found:
        assert found.nearest in {"B", "C"} and found.km < 0.25


def test_the_series_spread_widens_the_footprint_up_to_the_maximum():
    wide = [death("A", 0, 100), death("B", 600, 110)]
    assert footprint.inside(death("D", 1100, 130), wide, default_profiles(), 1.0, 365)
    assert footprint.radius_km([d.point for d in wide], 0.5) == 0.5


T0 = datetime(2014, 1, 1, tzinfo=UTC)


def version(d: footprint.Death, start_day: int) -> timeline.Version:
    row = {**d.row, "latitude": d.point.latitude, "longitude": d.point.longitude}
    row["found_day"] = d.point.day
    start = T0 + timedelta(days=start_day)
    return timeline.Version(d.point.id, 0, start, None, Profile(row, {}, {}), d.category)


def test_a_replay_judged_by_an_analyst_alerts_the_footprint_only_after_confirmation():
    b, c = version(SERIES[0], 100), version(SERIES[1], 123)
    d = version(death("D", 25, 480), 480)
    pair = timeline.Raised(c.start, "C", ("B", "C"), "pair", weight=20.0)
    confirmed = timeline.footprint_alerts([b, c, d], [pair], default_profiles(), SETTINGS, bool)
    assert [(r.trigger, r.cases, r.kind, r.at) for r in confirmed] == [
        ("D", ("B", "C", "D"), "footprint", d.start)
    ]
    rejected = timeline.footprint_alerts(
        [b, c, d], [pair], default_profiles(), SETTINGS, lambda _: False
    )
    assert rejected == []
