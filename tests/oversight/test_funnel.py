"""Funnel plots: the limits against the binomial distribution worked independently (by hand
and with scipy's CDF), the interpolation, their shape, the over-dispersion switch, the words
for each unit, and the picture. Every unit and count here is synthetic.

Neither paper's tables were at hand to reproduce, so no figure below is quoted from them: the
exact limits are checked against Spiegelhalter (2005), appendix A.1.1's definition computed
here from binomial coefficients and from scipy's CDF (with the quantile found by counting up,
not by the module's ``ppf``), and tau^2 against DerSimonian and Laird's estimate computed the
meta-analysis way (Cochran's Q about the weighted mean).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binom, chi2, norm

from vigil.domain.errors import DomainError
from vigil.oversight import funnel_plot
from vigil.oversight.funnel import (
    NO_DEATHS,
    WITHIN,
    Adjustment,
    Band,
    Count,
    Method,
    classify,
    dispersion,
    exact_limit,
    funnel,
    normal_limit,
    winsorise,
)

TAILS = (0.001, 0.025, 0.975, 0.999)  # the 99.8% and 95% limits, lower and upper
sizes = st.integers(min_value=1, max_value=2000)
targets = st.floats(min_value=0.01, max_value=0.99)
tails = st.sampled_from(TAILS)


def spiegelhalter(n: int, target: float, p: float) -> float:
    """Appendix A.1.1 worked from scipy's CDF: the smallest r with P(R <= r) >= p, then
    alpha = (P(R <= r) - p) / (P(R <= r) - P(R <= r - 1)) and the limit (r - alpha) / n."""
    r = 0
    while binom.cdf(r, n, target) < p:
        r += 1
    at_r, below = binom.cdf(r, n, target), binom.cdf(r - 1, n, target)
    return (r - (at_r - p) / (at_r - below)) / n


def test_exact_limits_by_hand_for_ten_deaths_at_one_half():
    # Binomial(10, 1/2): P(R <= 1) = 11/1024, P(R <= 2) = 56/1024, P(R <= 7) = 968/1024,
    # P(R <= 8) = 1013/1024 (from the coefficients 1, 10, 45, ...).
    # Upper 95%: r = 8, alpha = (1013/1024 - 0.975) / (45/1024) = 14.6 / 45.
    assert exact_limit(10, 0.5, 0.975) == pytest.approx((8 - 14.6 / 45) / 10, abs=1e-12)
    # Lower 95%: r = 2, alpha = (56/1024 - 0.025) / (45/1024) = 30.4 / 45.
    assert exact_limit(10, 0.5, 0.025) == pytest.approx((2 - 30.4 / 45) / 10, abs=1e-12)
    # So 0.7676 and 0.1324: seven of ten is within, eight is above the 95% limit.


@pytest.mark.parametrize("n", [1, 2, 5, 17, 60, 250, 1000])
@pytest.mark.parametrize("target", [0.05, 0.3, 0.62, 0.9])
@pytest.mark.parametrize("p", TAILS)
def test_exact_limits_equal_the_appendix_worked_from_scipy(n, target, p):
    assert float(exact_limit(n, target, p)) == pytest.approx(spiegelhalter(n, target, p), abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(n=sizes, target=targets, p=tails)
def test_the_limit_is_where_the_straight_line_cdf_reaches_p(n, target, p):
    """Interpolation: the CDF drawn as a straight line from (k, P(R <= k)) to
    (k + 1, P(R <= k + 1)) passes through p at x = n * limit, k = floor(x)."""
    x = n * float(exact_limit(n, target, p))
    k = math.floor(x)
    line = binom.cdf(k, n, target) + (x - k) * binom.pmf(k + 1, n, target)
    assert line == pytest.approx(p, abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(n=sizes, target=targets, p=st.sampled_from((0.001, 0.025)))
def test_limits_mirror_each_other(n, target, p):
    """R ~ Bin(n, t) and n - R ~ Bin(n, 1 - t): the normal limits are mirror images about the
    target, and the interpolated exact ones are too, one step of 1/n apart (the lower limit
    interpolates between r - 1 and r, the mirrored upper one between n - r and n - r + 1)."""
    assert float(exact_limit(n, target, p)) + 1 / n == pytest.approx(
        1 - float(exact_limit(n, 1 - target, 1 - p)), abs=1e-9
    )
    upper, lower = normal_limit(n, target, 1 - p), normal_limit(n, target, p)
    assert float(upper - target) == pytest.approx(float(target - lower))


@settings(max_examples=150, deadline=None)
@given(n=st.integers(min_value=1, max_value=1000), target=st.floats(0.02, 0.98), p=tails)
def test_limits_narrow_as_deaths_grow(n, target, p):
    """The normal limits close in at every step. The exact ones step up and down a little
    (counts are whole numbers), but at twice the deaths the band is narrower."""
    q = 1 - p

    def width(method, size):
        return abs(float(method(size, target, p) - method(size, target, q)))

    assert width(normal_limit, n + 1) < width(normal_limit, n)
    assert width(exact_limit, 2 * n) < width(exact_limit, n)


@pytest.mark.parametrize("p", TAILS)
def test_exact_and_normal_limits_meet_for_many_deaths(p):
    assert float(exact_limit(100_000, 0.3, p)) == pytest.approx(
        float(normal_limit(100_000, 0.3, p)), abs=2e-4
    )


def test_normal_limits_are_the_target_plus_z_standard_errors():
    # 0.4 + 1.959964 * sqrt(0.4 * 0.6 / 150) = 0.4 + 1.959964 * 0.04
    assert float(normal_limit(150, 0.4, 0.975)) == pytest.approx(0.4 + 1.959964 * 0.04, abs=1e-6)
    assert float(normal_limit(150, 0.4, 0.001)) == pytest.approx(0.4 - 3.090232 * 0.04, abs=1e-6)


def test_the_target_is_all_numerators_over_all_denominators():
    result = funnel([Count("A", 1, 2), Count("B", 30, 100), Count("C", 0, 0)])
    assert result.target == pytest.approx(31 / 102)  # not the mean of the shares, 0.4


def test_the_same_share_is_chance_in_a_small_unit_and_flagged_in_a_large_one():
    small, large = Count("Small", 7, 10), Count("Large", 350, 500)
    result = funnel([small, large], target=0.5, adjustment=Adjustment.NONE)
    assert [u.classification for u in result.units] == [WITHIN, "above the 99.8% limit"]


@pytest.mark.parametrize("n", [4, 40, 400, 4000])
def test_a_unit_at_the_target_is_within_limits_at_any_size(n):
    result = funnel([Count("A", n // 4, n)], target=0.25)
    assert result.units[0].classification == WITHIN
    assert result.units[0].z == 0


def test_each_unit_is_put_in_plain_words_against_the_exact_limits():
    counts = [Count(name, k, 100) for name, k in (("A", 50), ("B", 62), ("C", 70), ("D", 38))]
    counts += [Count("E", 30, 100), Count("F", 0, 0)]
    result = funnel(counts, target=0.5, adjustment=Adjustment.NONE)
    # Binomial(100, 1/2), worked independently: 95% limits near 0.4 and 0.6, 99.8% near 0.35
    # and 0.65; each unit's share lies where its words say.
    low998, low95, up95, up998 = (spiegelhalter(100, 0.5, p) for p in TAILS)
    assert 0.30 < low998 < 0.38 < low95 < 0.50 < up95 < 0.62 < up998 < 0.70
    words = {u.unit: u.classification for u in result.units}
    assert words == {
        "A": WITHIN,
        "B": "above the 95% limit",
        "C": "above the 99.8% limit",
        "D": "below the 95% limit",
        "E": "below the 99.8% limit",
        "F": NO_DEATHS,
    }
    empty = result.units[-1]
    assert (empty.share, empty.z) == (None, None)
    assert result.units[1].z == pytest.approx((0.62 - 0.5) / math.sqrt(0.25 / 100))


@pytest.mark.parametrize(
    ("share", "words"),
    [
        (0.50, WITHIN),
        (0.60, WITHIN),  # on the 95% limit counts as within
        (0.61, "above the 95% limit"),
        (0.71, "above the 99.8% limit"),
        (0.39, "below the 95% limit"),
        (0.29, "below the 99.8% limit"),
    ],
)
def test_classify_names_the_widest_limit_passed(share, words):
    bands = (Band(0.95, 0.4, 0.6), Band(0.998, 0.3, 0.7))
    assert classify(share, bands) == words


def test_winsorising_sets_the_tails_to_the_10th_and_90th_percentiles():
    # 0..10: the 10th percentile is 1 and the 90th is 9 (linear interpolation).
    assert winsorise(range(11)).tolist() == [1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9]


def scattered(seed: int, spread: float, units: int = 32) -> list[Count]:
    """Synthetic boroughs: deaths 20-300 each, true shares spread about 0.7 by ``spread``."""
    rng = np.random.default_rng(seed)
    shares = np.clip(rng.normal(0.7, spread, units), 0.05, 0.95)
    deaths = rng.integers(20, 300, units)
    return [
        Count(f"Borough {i}", int(rng.binomial(n, s)), int(n))
        for i, (n, s) in enumerate(zip(deaths, shares, strict=True))
    ]


def test_units_that_vary_by_chance_keep_the_plain_exact_limits():
    result = funnel(scattered(seed=1, spread=0.0))
    spread = result.dispersion
    assert spread.applied is Adjustment.NONE and spread.tau2 == 0
    assert spread.phi is not None and spread.threshold is not None
    assert spread.phi <= spread.threshold
    assert spread.threshold == pytest.approx(chi2.ppf(0.95, 31) / 32)
    assert "within chance" in spread.reason
    ns = np.arange(1, 400)
    assert np.allclose(result.limit(ns, 0.975), exact_limit(ns, result.target, 0.975))


def test_over_dispersed_units_get_wider_additive_limits_and_fewer_flags():
    counts = scattered(seed=2, spread=0.12)
    plain = funnel(counts, adjustment=Adjustment.NONE)
    widened = funnel(counts)
    assert plain.dispersion.applied is Adjustment.NONE
    assert "not widened" in plain.dispersion.reason
    spread = widened.dispersion
    assert spread.applied is Adjustment.ADDITIVE and spread.tau2 > 0
    assert "over-dispersed" in spread.reason and "additive" in spread.reason
    ns = np.arange(1, 400)
    assert np.all(widened.limit(ns, 0.999) > plain.limit(ns, 0.999) - 1e-12)
    expected = normal_limit(ns, widened.target, 0.999, spread.tau2)
    assert np.allclose(widened.limit(ns, 0.999), expected)

    def flagged(f):
        return sum(u.classification != WITHIN for u in f.units)

    assert flagged(widened) < flagged(plain)
    unit = widened.units[0]
    s2 = widened.target * (1 - widened.target) / unit.denominator
    assert unit.z == pytest.approx((unit.share - widened.target) / math.sqrt(s2 + spread.tau2))


def test_multiplicative_adjustment_stretches_limits_and_shrinks_z_by_root_phi():
    counts = scattered(seed=2, spread=0.12)
    for method in Method:
        plain = funnel(counts, method=method, adjustment=Adjustment.NONE)
        stretched = funnel(counts, method=method, adjustment=Adjustment.MULTIPLICATIVE)
        root = math.sqrt(stretched.dispersion.phi or 0)
        assert stretched.dispersion.applied is Adjustment.MULTIPLICATIVE and root > 1
        ns = np.arange(1, 300)
        for p in TAILS:
            gap, widened = plain.limit(ns, p) - plain.target, stretched.limit(ns, p)
            assert np.allclose(widened - stretched.target, root * gap)
        for before, after in zip(plain.units, stretched.units, strict=True):
            assert after.z == pytest.approx((before.z or 0) / root)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), spread=st.floats(0.0, 0.15))
def test_the_adjustment_is_applied_exactly_when_phi_passes_the_chi_square_test(seed, spread):
    result = funnel(scattered(seed, spread, units=12))
    measured = result.dispersion
    assert measured.phi is not None
    over = measured.phi * 12 > chi2.ppf(0.95, 11)
    assert (measured.applied is Adjustment.ADDITIVE) == over
    assert (measured.tau2 > 0) == over


def test_a_given_target_spends_no_degree_of_freedom():
    counts = scattered(seed=3, spread=0.0, units=20)
    assert dispersion(counts, 0.7, estimated=False).threshold == pytest.approx(
        chi2.ppf(0.95, 20) / 20
    )


def test_tau2_is_dersimonian_laird_from_cochrans_q():
    """Unwinsorised, I phi about the overall share is Cochran's Q about the weighted mean
    (the two are the same number), so tau^2 must be the meta-analysis estimate."""
    counts = scattered(seed=4, spread=0.1, units=15)
    y = np.array([c.numerator / c.denominator for c in counts])
    n = np.array([c.denominator for c in counts], dtype=float)
    target = sum(c.numerator for c in counts) / n.sum()
    w = n / (target * (1 - target))
    mean = (w * y).sum() / w.sum()
    q = (w * (y - mean) ** 2).sum()
    expected = max(0.0, (q - (len(y) - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    measured = dispersion(counts, target, fraction=0.0)
    assert measured.phi == pytest.approx(q / len(y))
    assert measured.tau2 == pytest.approx(expected) and expected > 0


def test_every_unit_at_one_hundred_percent_is_within_and_has_nothing_to_measure():
    result = funnel([Count("A", 4, 4), Count("B", 11, 11), Count("C", 0, 0)])
    assert result.target == 1
    assert [u.classification for u in result.units] == [WITHIN, WITHIN, NO_DEATHS]
    assert result.dispersion.phi is None and "100%" in result.dispersion.reason
    assert len(funnel_plot.plot(result).dots) == 2


@pytest.mark.parametrize(
    ("counts", "target", "field"),
    [
        ([Count("A", 0, 0)], None, "counts"),
        ([Count("A", 1, 3)], 0.0, "target"),
        ([Count("A", 1, 3)], 1.2, "target"),
    ],
)
def test_what_cannot_be_compared_is_refused(counts, target, field):
    with pytest.raises(DomainError) as refused:
        funnel(counts, target=target)
    assert refused.value.field == field


def test_a_numerator_above_its_denominator_is_refused():
    with pytest.raises(DomainError, match="between 0 and the total"):
        Count("A", 5, 4)


@pytest.mark.parametrize(
    ("low", "high", "whole", "ticks"),
    [
        (0, 437, True, (0, 100, 200, 300, 400, 500)),
        (0.62, 0.97, False, (0.6, 0.7, 0.8, 0.9, 1.0)),
        (0, 3, True, (0, 1, 2, 3)),
        (0.955, 1.0, False, (0.95, 0.96, 0.97, 0.98, 0.99, 1.0)),
        (0, 1, False, (0, 0.2, 0.4, 0.6, 0.8, 1.0)),
    ],
)
def test_ticks_are_round_numbers_covering_the_range(low, high, whole, ticks):
    assert funnel_plot.nice_ticks(low, high, whole=whole) == pytest.approx(ticks)


def test_the_picture_places_points_limits_and_ticks_in_svg_coordinates():
    counts = [*scattered(seed=5, spread=0.0, units=10), Count("Empty", 0, 0)]
    result = funnel(counts)
    picture = funnel_plot.plot(result, width=500, height=300, margin=(10, 10, 30, 40))
    assert (picture.left, picture.top, picture.right, picture.bottom) == (40, 10, 490, 270)
    x_hi, y_lo, y_hi = (
        picture.x_ticks[-1].value,
        picture.y_ticks[0].value,
        picture.y_ticks[-1].value,
    )

    def back(x, y):  # pixels -> (deaths, share)
        return (x - 40) / 450 * x_hi, y_lo + (270 - y) / 260 * (y_hi - y_lo)

    assert len(picture.dots) == 10
    for dot, unit in zip(picture.dots, result.units, strict=False):
        deaths, share = back(dot.cx, dot.cy)
        assert deaths == pytest.approx(unit.denominator, abs=0.2)
        assert share == pytest.approx(unit.share, abs=0.1 / 260 * (y_hi - y_lo))  # 0.1 px
    assert back(40, picture.target_y)[1] == pytest.approx(result.target, abs=0.01)
    assert picture.x_ticks[0].at == 40 and picture.x_ticks[-1].at == 490
    assert picture.y_ticks[0].at == 270 and picture.y_ticks[-1].at == 10  # y grows downwards
    assert all(t.label.endswith("%") for t in picture.y_ticks)
    assert len(picture.curves) == 4
    for curve in picture.curves:
        p = (1 + curve.level) / 2 if curve.side == "upper" else (1 - curve.level) / 2
        for piece in curve.segments:
            for x, y in piece:
                assert 40 <= x <= 490 and 10 <= y <= 270
            for x, y in piece[1:-1]:  # sampled at whole deaths; the ends may be cut
                deaths, share = back(x, y)
                limit = float(result.limit(round(deaths), p))
                assert share == pytest.approx(limit, abs=0.1 / 260 * (y_hi - y_lo))
        assert all("," in point for text in curve.polylines for point in text.split(" "))


def test_limit_lines_are_cut_at_the_edge_of_the_plotting_area():
    # Large units at 0.7: the share axis starts near 60%, and the 99.8% lower limit for a
    # handful of deaths lies far below it, so the line starts where it crosses the bottom edge.
    counts = [Count(f"Borough {i}", 7 * k, 10 * k) for i, k in enumerate((20, 30, 40, 50))]
    picture = funnel_plot.plot(funnel(counts, adjustment=Adjustment.NONE))
    lower = next(c for c in picture.curves if c.level == 0.998 and c.side == "lower")
    first = lower.segments[0][0]
    assert first[1] == pytest.approx(picture.bottom, abs=0.1)
    assert first[0] > picture.left


def test_z_is_the_standardised_difference_without_adjustment():
    result = funnel([Count("A", 30, 40)], target=0.6, adjustment=Adjustment.NONE)
    assert result.units[0].z == pytest.approx((0.75 - 0.6) / math.sqrt(0.24 / 40))
    assert norm.cdf(result.units[0].z) > 0.97  # a sanity anchor: about 1.94 sd above
