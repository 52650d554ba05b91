"""The space-time permutation scan statistic (Kulldorff et al. 2005): its equations on a table
worked by hand, a planted cluster found, false alarms at no more than the nominal rate on data
without clusters, and the same answer under the same seed."""

import math
from dataclasses import replace

import numpy as np
import pytest

from vigil.linkage.scan import (
    Mode,
    Point,
    Settings,
    expected,
    log_likelihood_ratio,
    scan,
)

# Three deaths at place X, three at place Y (3 km away), one at Z (10 km away); days as below.
TINY = [
    Point("X1", 51.5000, 0.0000, 10),
    Point("X2", 51.5000, 0.0000, 11),
    Point("X3", 51.5000, 0.0000, 12),
    Point("Y1", 51.5270, 0.0000, 0),
    Point("Y2", 51.5270, 0.0000, 1),
    Point("Y3", 51.5270, 0.0000, 12),
    Point("Z1", 51.5900, 0.0000, 11),
]
TINY_SETTINGS = Settings(max_km=1.0, max_days=5, replicates=0, mode=Mode.RETROSPECTIVE)


def test_expected_count_is_the_papers_equation():
    # mu_A = (deaths in the circle, all days) x (deaths anywhere in the window) / C
    assert expected(3, 2, 7) == pytest.approx(6 / 7)
    assert expected(3, 5, 7) == pytest.approx(15 / 7)


def test_likelihood_ratio_is_the_papers_equation():
    # (c/mu)^c ((C-c)/(C-mu))^(C-c), as a logarithm, worked by hand for c=2, mu=6/7, C=7
    by_hand = 2 * math.log(7 / 3) + 5 * math.log(35 / 43)
    assert by_hand == pytest.approx(0.66534, abs=1e-5)
    assert log_likelihood_ratio(2, 6 / 7, 7) == pytest.approx(by_hand)
    assert log_likelihood_ratio(1, 2.0, 7) == 0.0  # fewer than expected: no cluster
    assert log_likelihood_ratio(7, 3.0, 7) == pytest.approx(7 * math.log(7 / 3))


def test_the_most_likely_and_secondary_clusters_of_a_table_worked_by_hand():
    result = scan(TINY, TINY_SETTINGS)
    first, second = result.clusters[:2]
    # Y on days 0-1: 2 observed; 3 deaths at Y ever x 2 deaths anywhere on days 0-1 / 7
    assert first.cases == ("Y1", "Y2")
    assert (first.first_day, first.last_day) == (0, 1)
    assert first.observed == 2 and first.expected == pytest.approx(6 / 7)
    assert first.statistic == pytest.approx(2 * math.log(7 / 3) + 5 * math.log(35 / 43))
    # X on days 10-12 (its best window; it shares no death with the first): 3 x 5 / 7
    assert second.cases == ("X1", "X2", "X3")
    assert second.expected == pytest.approx(15 / 7)
    assert second.statistic == pytest.approx(3 * math.log(7 / 5) + 4 * math.log(28 / 34))
    assert second.radius_m == 0.0 and second.centre.startswith("X")
    assert first.p == 1.0  # no replicates: rank 1 of 1


def test_prospective_windows_end_on_the_latest_day():
    result = scan(TINY, replace(TINY_SETTINGS, mode=Mode.PROSPECTIVE))
    assert all(c.last_day == 12 for c in result.clusters)
    assert result.clusters[0].cases == ("X1", "X2", "X3")


def background(rng: np.random.Generator, n: int) -> list[Point]:
    """Deaths spread at random over about 20 x 20 km and three years (no clusters)."""
    lat = 51.45 + rng.random(n) * 0.18
    lon = -0.05 + rng.random(n) * 0.29
    day = 16000 + rng.integers(0, 1095, n)
    return [Point(f"B{i}", float(lat[i]), float(lon[i]), int(day[i])) for i in range(n)]


def planted(last_day: int) -> list[Point]:
    """Five deaths within about 50 m of a churchyard in a month."""
    return [Point(f"S{j}", 51.5386 + 0.0001 * j, 0.0811, last_day - 7 * j) for j in range(5)]


@pytest.mark.parametrize("mode", list(Mode))
def test_a_planted_cluster_is_found_with_a_small_p(mode):
    points = background(np.random.default_rng(7), 200) + planted(17094)
    result = scan(points, Settings(replicates=99, mode=mode, seed=1))
    best = result.clusters[0]
    assert {f"S{j}" for j in range(5)} <= set(best.cases)
    assert best.p <= 0.02
    assert best.observed > 5 * best.expected


@pytest.mark.parametrize(("mode", "deaths"), [(Mode.PROSPECTIVE, 150), (Mode.RETROSPECTIVE, 60)])
def test_no_clusters_no_more_false_alarms_than_the_nominal_rate(mode, deaths):
    """100 stores of background deaths (days at random, so no space-time interaction): the most
    likely cluster is 'significant' at 0.05 in about 5 of them; allow up to 10."""
    alarms = 0
    for run in range(100):
        points = background(np.random.default_rng(1000 + run), deaths)
        result = scan(points, Settings(replicates=39, mode=mode, seed=run))
        alarms += bool(result.clusters) and result.clusters[0].p <= 0.05
    assert alarms <= 10


def test_the_same_seed_gives_the_same_answer():
    points = background(np.random.default_rng(3), 120) + planted(17094)
    one = scan(points, Settings(replicates=49, seed=5))
    two = scan(points, Settings(replicates=49, seed=5))
    assert one == two


def test_about_keeps_only_clusters_holding_that_death():
    points = background(np.random.default_rng(7), 200) + planted(17094)
    result = scan(points, Settings(replicates=9, mode=Mode.PROSPECTIVE), about="S0")
    assert result.clusters and all("S0" in c.cases for c in result.clusters)
    assert scan(points, Settings(replicates=9), about="nobody").clusters == []


def test_an_early_stop_when_no_cluster_can_be_significant():
    points = background(np.random.default_rng(11), 80)
    result = scan(points, Settings(replicates=999, mode=Mode.PROSPECTIVE, stop_above=0.01))
    assert result.stopped and result.replicates < 999
    assert all(c.p > 0.01 for c in result.clusters)
