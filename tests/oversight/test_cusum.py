"""Risk-adjusted CUSUM: the weights against hand computation, run lengths against a case known
in closed form, synthetic doctors, and `vigil cusum`."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from typer.testing import CliRunner

from vigil.cli.app import app
from vigil.domain.errors import DomainError
from vigil.oversight import cusum, monitor

runner = CliRunner()

# The false-alarm interval a deployment might configure: a doctor certifying deaths at the
# expected rate raises a false alarm once in 50 years on average (months as periods).
FALSE_ALARM_MONTHS = 600
EXPECTED_PER_MONTH = 0.8  # a synthetic GP's expected certified deaths a month
CAREER_MONTHS = 240  # 20 years, about Shipman's time in Hyde


@pytest.mark.parametrize(
    ("died", "risk", "odds_ratio", "weight"),
    [
        # W = y log R_A - log(1 - p + R_A p), worked by hand:
        (True, 0.1, 2.0, 0.693147 - 0.095310),  # log 2 - log 1.1
        (False, 0.1, 2.0, -0.095310),  # - log 1.1
        (True, 0.5, 2.0, 0.693147 - 0.405465),  # log 2 - log 1.5
        (False, 0.02, 0.5, 0.010050),  # - log 0.99: a chart for improvement
    ],
)
def test_bernoulli_weights_equal_hand_computed_values(died, risk, odds_ratio, weight):
    assert cusum.bernoulli_weight(died, risk, odds_ratio) == pytest.approx(weight, abs=1e-6)


@pytest.mark.parametrize(
    ("observed", "expected", "rate_ratio", "weight"),
    [
        # W = O log rho - (rho - 1) E, worked by hand:
        (3, 1.5, 2.0, 3 * 0.693147 - 1.5),
        (0, 0.8, 2.0, -0.8),
        (2, 1.0, 1.5, 2 * 0.405465 - 0.5),
    ],
)
def test_poisson_weights_equal_hand_computed_values(observed, expected, rate_ratio, weight):
    assert cusum.poisson_weight(observed, expected, rate_ratio) == pytest.approx(weight, abs=1e-6)


def test_with_one_risk_for_all_it_is_the_ordinary_bernoulli_cusum():
    p0 = 0.05
    p1 = 2 * p0 / (1 - p0 + 2 * p0)  # the death rate at twice the odds
    assert cusum.bernoulli_weight(True, p0) == pytest.approx(math.log(p1 / p0))
    assert cusum.bernoulli_weight(False, p0) == pytest.approx(math.log((1 - p1) / (1 - p0)))


def test_a_riskier_case_that_dies_weighs_less_than_a_safe_one():
    assert cusum.bernoulli_weight(True, 0.4) < cusum.bernoulli_weight(True, 0.01)
    assert cusum.bernoulli_weight(False, 0.4) < cusum.bernoulli_weight(False, 0.01)


def test_the_chart_accumulates_floors_at_zero_and_signals_at_the_threshold():
    chart = cusum.chart([1.0, -2.0, 3.0, 2.0, -1.0], threshold=5.0)
    assert chart.values == (1.0, 0.0, 3.0, 5.0, 4.0)
    assert chart.first_signal == 3  # at h exactly
    assert (chart.peak, chart.peak_at) == (5.0, 3)
    assert cusum.chart([-1.0], 5.0).first_signal is None


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: cusum.poisson_weight(1, 1, 1.0), "rate_ratio"),
        (lambda: cusum.poisson_weight(1, -1, 2.0), "expected"),
        (lambda: cusum.bernoulli_weight(True, 1.0), "risk"),
        (lambda: cusum.chart([1.0], 0), "threshold"),
        (lambda: cusum.bernoulli_chart([True], [0.1, 0.2], 2, 4), "risks"),
    ],
)
def test_bad_values_are_refused_naming_them(call, field):
    with pytest.raises(DomainError) as refused:
        call()
    assert refused.value.field == field


def test_simulated_run_length_matches_one_known_in_closed_form():
    # With h below the weight of one death (log 2 - 0.5 = 0.19) and a death-free period
    # weighing -0.5, the chart signals at the first period with a death: a geometric run
    # length with mean 1 / P(O >= 1) = 1 / (1 - e^-0.5) = 2.541.
    arl = cusum.run_length([0.5], 2.0, 0.1, runs=20_000, seed=3)
    assert arl.mean == pytest.approx(1 / (1 - math.exp(-0.5)), rel=0.03)
    assert arl.censored == 0
    # The same for the Bernoulli chart: risk 0.1, it signals at the first death, mean 10.
    arl = cusum.bernoulli_run_length([0.1], 2.0, 0.1, runs=20_000, seed=3)
    assert arl.mean == pytest.approx(10, rel=0.03)


def test_run_lengths_are_seeded_and_grow_with_the_threshold():
    first = cusum.run_length([0.8], 2.0, 3.0, runs=300, seed=7)
    assert cusum.run_length([0.8], 2.0, 3.0, runs=300, seed=7) == first
    assert cusum.run_length([0.8], 2.0, 4.0, runs=300, seed=7).mean > first.mean
    raised = cusum.run_length([0.8], 2.0, 3.0, true_ratio=2.0, runs=300, seed=7)
    assert raised.mean < first.mean / 5  # detection is much faster than a false alarm


@pytest.fixture(scope="module")
def threshold() -> float:
    return cusum.threshold_for([EXPECTED_PER_MONTH], 2.0, FALSE_ALARM_MONTHS, seed=11)


def synthetic_doctor(rate_ratio: float, seed: int, months: int = CAREER_MONTHS) -> list[int]:
    """Certified deaths a month of a synthetic doctor dying patients at ``rate_ratio`` times
    the expected rate."""
    rng = np.random.default_rng(seed)
    return [int(n) for n in rng.poisson(rate_ratio * EXPECTED_PER_MONTH, months)]


def test_the_chosen_threshold_gives_the_configured_false_alarm_interval(threshold):
    arl = cusum.run_length([EXPECTED_PER_MONTH], 2.0, threshold, runs=2000, seed=99, limit=20_000)
    assert arl.mean == pytest.approx(FALSE_ALARM_MONTHS, rel=0.15)  # other draws, same answer
    smaller = cusum.run_length(
        [EXPECTED_PER_MONTH], 2.0, threshold - 0.3, runs=2000, seed=99, limit=20_000
    )
    assert smaller.mean < FALSE_ALARM_MONTHS


def test_a_doctor_at_twice_the_expected_rate_signals(threshold):
    deaths = synthetic_doctor(2.0, seed=1)
    chart = cusum.poisson_chart(deaths, [EXPECTED_PER_MONTH] * CAREER_MONTHS, 2.0, threshold)
    assert chart.first_signal is not None and chart.first_signal < 60  # within five years


def test_a_doctor_at_the_expected_rate_does_not_signal(threshold):
    deaths = synthetic_doctor(1.0, seed=1)
    chart = cusum.poisson_chart(deaths, [EXPECTED_PER_MONTH] * CAREER_MONTHS, 2.0, threshold)
    assert chart.first_signal is None
    assert chart.peak < threshold


def test_over_many_doctors_the_false_alarms_stay_near_the_configured_rate(threshold):
    """Of 300 synthetic doctors at the expected rate, about 1 - e^(-240/600) = 33% raise a
    false alarm in a 20-year career (run lengths are roughly exponential); every one of 300
    at twice the rate is caught."""
    expected = [EXPECTED_PER_MONTH] * CAREER_MONTHS

    def signalled(rate_ratio: float) -> int:
        return sum(
            cusum.poisson_chart(
                synthetic_doctor(rate_ratio, seed), expected, 2.0, threshold
            ).first_signal
            is not None
            for seed in range(1000, 1300)
        )

    assert 0.2 < signalled(1.0) / 300 < 0.45
    assert signalled(2.0) == 300


# `vigil cusum`: a CSV of periods per unit.
def periods_file(tmp_path, rows):
    path = tmp_path / "periods.csv"
    path.write_text("unit,period,deaths,expected\n" + "".join(f"{r}\n" for r in rows))
    return str(path)


def test_the_command_gives_each_units_first_signal_and_largest_value(tmp_path):
    # GP-1: 4 deaths where 1 was expected weighs 4 log 2 - 1 = 1.773 a month: 1.773, 3.545
    # (>= 3, the signal, in month 2), then 1 death weighs log 2 - 1 = -0.307: 3.239.
    # GP-2: one death a month as expected: every weight -0.307, the chart stays at 0.
    rows = ["GP-1,3,1,1", "GP-1,1,4,1", "GP-1,2,4,1", "GP-2,1,1,1", "GP-2,2,1,1"]
    result = runner.invoke(
        app,
        [
            "cusum",
            periods_file(tmp_path, rows),
            "--expected",
            "expected",
            "--observed",
            "deaths",
            "--threshold",
            "3",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    first, second = json.loads(result.stdout)
    assert first["unit"] == "GP-1" and first["signal_period"] == "2"
    assert first["values"] == pytest.approx([1.772589, 3.545177, 3.238325], abs=1e-6)
    assert (first["peak"], first["peak_period"]) == (pytest.approx(3.545177), "2")
    assert (first["observed"], first["expected"]) == (9, 3)
    assert second["unit"] == "GP-2" and second["signal_period"] is None
    assert second["peak"] == 0


def test_the_command_chooses_a_threshold_for_a_false_alarm_interval(tmp_path):
    rows = [f"GP-1,{month},{n},0.8" for month, n in enumerate(synthetic_doctor(2.0, 1), 1)]
    result = runner.invoke(
        app,
        [
            "cusum",
            periods_file(tmp_path, rows),
            "--expected",
            "expected",
            "--observed",
            "deaths",
            "--false-alarm",
            "120",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    (unit,) = json.loads(result.stdout)
    assert unit["threshold"] == cusum.threshold_for([0.8] * CAREER_MONTHS, 2.0, 120)
    assert unit["signal_period"] is not None


@pytest.mark.parametrize(
    ("options", "rows", "message"),
    [
        (["--ratio", "1"], ["A,1,1,1"], "--ratio: 1 is not a ratio above 0 other than 1"),
        (["--ratio", "-2"], ["A,1,1,1"], "--ratio: -2 is not a ratio above 0"),
        (["--threshold", "0"], ["A,1,1,1"], "--threshold: 0 is not a number above 0"),
        (
            ["--threshold", "4", "--false-alarm", "100"],
            ["A,1,1,1"],
            "--threshold: give a threshold or a false-alarm interval, not both",
        ),
        ([], ["A,1,two,1"], "line 2: deaths 'two' is not a number of deaths"),
        ([], ["A,1,1,-1"], "line 2: expected '-1' is not a number of deaths"),
        ([], ["A,1,1,1", "A,1,2,1"], "line 3: unit A has period 1 twice"),
    ],
)
def test_bad_options_and_values_are_refused_naming_them(tmp_path, options, rows, message):
    result = runner.invoke(
        app,
        [
            "cusum",
            periods_file(tmp_path, rows),
            "--expected",
            "expected",
            "--observed",
            "deaths",
            *options,
        ],
    )
    assert result.exit_code == 1
    assert f"Refused {message}" in " ".join(result.output.split())


def test_a_file_without_the_columns_is_refused_naming_them(tmp_path):
    path = periods_file(tmp_path, ["A,1,1,1"])
    result = runner.invoke(app, ["cusum", path, "--expected", "risk", "--observed", "deaths"])
    assert result.exit_code == 1
    assert "Refused FILE: missing columns risk" in result.output


def test_periods_are_ordered_as_numbers_or_as_text():
    rows = [{"unit": "A", "period": p, "o": "0", "e": "1"} for p in ("10", "9", "11")]
    assert [p.period for p in monitor.units(rows, "o", "e")["A"]] == ["9", "10", "11"]
    rows = [{"unit": "A", "period": p, "o": "0", "e": "1"} for p in ("2019-02", "2018-12")]
    assert [p.period for p in monitor.units(rows, "o", "e")["A"]] == ["2018-12", "2019-02"]
