"""The store's rate screen as pure code: expected counts from peers, signals, words."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from vigil.domain.errors import DomainError
from vigil.oversight import rates
from vigil.oversight.rates import Death, Kind, add_months, screen

START = date(2024, 1, 1)  # baseline 2024, monitored 2025
LAST = date(2025, 12, 1)


def deaths_of(group: str, per_month: list[int]) -> list[Death]:
    return [
        Death(f"{group}-{m}-{k}", add_months(START, m), group, group.title())
        for m, n in enumerate(per_month)
        for k in range(n)
    ]


def peers(count: int, seed: int, rate: float = 2.0) -> list[Death]:
    rng = np.random.default_rng(seed)
    return [d for i in range(count) for d in deaths_of(f"dr peer {i}", list(rng.poisson(rate, 24)))]


def chart_of(result: rates.Screen, group: str) -> rates.GroupChart:
    return next(c for c in result.charts if c.group == group)


@pytest.mark.parametrize("seed", range(5))
def test_a_doctor_at_twice_the_expected_rate_signals_and_one_at_it_does_not(seed):
    rng = np.random.default_rng(100 + seed)
    doubled = list(rng.poisson(2, 12)) + list(rng.poisson(4, 12))
    steady = list(rng.poisson(2, 24))
    found = screen(
        Kind.CERTIFIER,
        peers(20, seed) + deaths_of("dr double", doubled) + deaths_of("dr steady", steady),
        LAST,
        5.0,
    )
    assert chart_of(found, "dr double").signals
    assert not chart_of(found, "dr steady").signals
    assert found.charts[0].group == "dr double"  # signalled first


def test_the_expected_count_is_the_baseline_ratio_to_the_peers_deaths_that_month():
    # baseline: A 12, peers 24 (ratio 0.5); monitored: peers 4 a month, so 2 expected
    found = screen(
        Kind.CERTIFIER,
        deaths_of("a", [1] * 12 + [2] * 12) + deaths_of("b", [2] * 12 + [4] * 12),
        LAST,
        5.0,
    )
    a = chart_of(found, "a")
    assert [m.expected for m in a.months] == [2.0] * 12
    assert a.against == "peers" and not a.signals  # both doubled: a change in the store


def test_a_group_without_enough_deaths_before_is_not_charted_but_counted():
    found = screen(
        Kind.INSTITUTION,
        deaths_of("old ward", [2] * 24) + deaths_of("new ward", [0] * 12 + [9] * 12),
        LAST,
        5.0,
    )
    assert [c.group for c in found.charts] == ["old ward"]
    assert found.not_charted == 1


def test_the_only_group_is_set_against_its_own_past():
    found = screen(Kind.UNIT, deaths_of("ea", [2] * 12 + [4] * 12), LAST, 5.0)
    (chart,) = found.charts
    assert chart.against == "own baseline" and chart.months[0].expected == 2.0
    assert chart.signals


def test_one_excess_is_one_signal_and_a_new_one_after_a_return_to_zero_is_another():
    # January-February and October-December 2025 high, with months at zero between
    mine = [2] * 12 + [8, 8, 0, 0, 0, 0, 0, 0, 0, 8, 8, 8]
    found = screen(Kind.CERTIFIER, deaths_of("x", mine) + deaths_of("y", [2] * 24), LAST, 5.0)
    first, second = chart_of(found, "x").signals
    assert (first.first_month, first.signal_month) == (date(2025, 1, 1), date(2025, 2, 1))
    assert (second.first_month, second.signal_month) == (date(2025, 10, 1), date(2025, 11, 1))
    assert len(first.cases) == first.observed == 16
    assert first.expected == pytest.approx(4.0)


def test_the_signal_is_explained_in_words():
    mine = [1] * 12 + [1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]
    found = screen(Kind.CERTIFIER, deaths_of("dr x", mine) + deaths_of("dr y", [1] * 24), LAST, 4.2)
    chart = chart_of(found, "dr x")
    (signal,) = chart.signals
    words = chart.explain(signal)
    assert words.startswith(f"Dr X certified {signal.observed} deaths in March-")
    assert f"where {signal.expected:.1f} were expected (from its peers)" in words
    assert "the CUSUM passed its threshold 4.2 in" in words


def test_names_are_grouped_whatever_their_case_and_spacing():
    assert rates.normalised("  Dr  A. SMITH (GMC 123) ") == "dr a. smith (gmc 123)"


def test_a_threshold_that_is_not_above_zero_is_refused():
    with pytest.raises(DomainError, match="threshold"):
        screen(Kind.UNIT, [], LAST, 0.0)
