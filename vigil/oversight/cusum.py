"""Early warning when deaths run above their expected rate: risk-adjusted CUSUM charts.

Two charts, each the cumulative sum of log-likelihood ratio weights, X_t = max(0, X_{t-1} +
W_t), X_0 = 0, which **signals** at the first t with X_t >= h:

- **Bernoulli, case by case** (Steiner SH, Cook RJ, Farewell VT, Treasure T, "Monitoring
  surgical performance using risk-adjusted cumulative sum charts", Biostatistics 1(4):441-452,
  2000, doi:10.1093/biostatistics/1.4.441). Case t has a predicted risk p_t of the outcome
  (death) and an outcome y_t (1 died, 0 not). The chart tests the odds ratio R_0 = 1 (as
  predicted) against R_A (the odds of death multiplied by R_A), and the paper's weight is
      W_t = y_t log(R_A) - log(1 - p_t + R_A p_t)
  (its equation with R_0 = 1). With every p_t equal it is the ordinary Bernoulli CUSUM.
- **Poisson, period by period**, for deaths counted per period against an expected count (a
  doctor's certified deaths against those expected of the practice's patients, as proposed
  after the Shipman inquiry: Spiegelhalter D, Grigg O, Kinsman R, Treasure T, "Risk-adjusted
  sequential probability ratio tests: applications to Bristol, Shipman and adult cardiac
  surgery", Int J Qual Health Care 15(1):7-13, 2003; the Poisson CUSUM of Lucas JM,
  "Counted data CUSUM's", Technometrics 27(2):129-144, 1985). Period t has O_t deaths observed
  and E_t expected; the chart tests the rate ratio 1 against rho, and the weight is
      W_t = O_t log(rho) - (rho - 1) E_t.

The threshold h sets the trade between false alarms and speed. ``run_length`` estimates the
average run length (periods or cases to a signal) by seeded simulation, at the expected rate
(the false-alarm interval) or at a raised one (the delay to detection), and ``threshold_for``
finds the h whose false-alarm interval is a given length. Neither paper's text was at hand
with a numeric example to reproduce, so the tests check the weights against hand computation,
the simulation against a run length known in closed form, and the charts' behaviour on
synthetic doctors.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from vigil.domain.errors import DomainError

Floats = npt.NDArray[np.float64]


def check_ratio(ratio: float, field: str) -> None:
    if not (ratio > 0 and math.isfinite(ratio)) or ratio == 1:
        raise DomainError(field, f"{ratio:g} is not a ratio above 0 other than 1 (2 = doubled)")


def check_threshold(threshold: float) -> None:
    if not (threshold > 0 and math.isfinite(threshold)):
        raise DomainError("threshold", f"{threshold:g} is not a number above 0")


def bernoulli_weight(died: bool, risk: float, odds_ratio: float = 2.0) -> float:
    """Steiner et al.'s weight of one case with predicted risk ``risk`` (0 < p < 1)."""
    check_ratio(odds_ratio, "odds_ratio")
    if not 0 < risk < 1:
        raise DomainError("risk", f"{risk:g} is not a probability between 0 and 1")
    return (math.log(odds_ratio) if died else 0.0) - math.log(1 - risk + odds_ratio * risk)


def poisson_weight(observed: float, expected: float, rate_ratio: float = 2.0) -> float:
    """The weight of one period with ``observed`` deaths where ``expected`` were expected."""
    check_ratio(rate_ratio, "rate_ratio")
    if observed < 0 or not math.isfinite(observed):
        raise DomainError("observed", f"{observed:g} is not a count of deaths")
    if expected < 0 or not math.isfinite(expected):
        raise DomainError("expected", f"{expected:g} is not an expected number of deaths")
    return observed * math.log(rate_ratio) - (rate_ratio - 1) * expected


@dataclass(frozen=True)
class Chart:
    """A CUSUM over a series: its value after each step, and when it first crossed h."""

    values: tuple[float, ...]
    threshold: float

    @property
    def first_signal(self) -> int | None:
        """Index of the first step at or above the threshold, or None."""
        return next((t for t, x in enumerate(self.values) if x >= self.threshold), None)

    @property
    def peak(self) -> float:
        return max(self.values, default=0.0)

    @property
    def peak_at(self) -> int | None:
        return self.values.index(self.peak) if self.values else None


def chart(weights: Iterable[float], threshold: float) -> Chart:
    """X_t = max(0, X_{t-1} + W_t) from X_0 = 0. The chart is not reset after a signal: it
    shows the whole history, and ``first_signal`` says when it first crossed."""
    check_threshold(threshold)
    values: list[float] = []
    x = 0.0
    for w in weights:
        x = max(0.0, x + w)
        values.append(x)
    return Chart(tuple(values), threshold)


def bernoulli_chart(
    died: Sequence[bool], risks: Sequence[float], odds_ratio: float, threshold: float
) -> Chart:
    if len(died) != len(risks):
        raise DomainError("risks", f"{len(risks)} risks for {len(died)} outcomes")
    return chart(
        (bernoulli_weight(y, p, odds_ratio) for y, p in zip(died, risks, strict=True)), threshold
    )


def poisson_chart(
    observed: Sequence[float], expected: Sequence[float], rate_ratio: float, threshold: float
) -> Chart:
    if len(observed) != len(expected):
        raise DomainError("expected", f"{len(expected)} expected counts for {len(observed)}")
    return chart(
        (poisson_weight(o, e, rate_ratio) for o, e in zip(observed, expected, strict=True)),
        threshold,
    )


@dataclass(frozen=True)
class RunLength:
    """Simulated run lengths: their mean, how many runs, and how many had not signalled by
    ``limit`` (counted as ``limit``, so the mean is then a lower bound)."""

    mean: float
    runs: int
    censored: int
    limit: int


def run_length(
    expected: Sequence[float],
    rate_ratio: float,
    threshold: float,
    *,
    true_ratio: float = 1.0,
    runs: int = 1000,
    limit: int = 100_000,
    seed: int = 0,
) -> RunLength:
    """Average run length of the Poisson chart, by simulation. Each run draws the deaths of
    period t from Poisson(true_ratio x E_t), the expected counts ``expected`` repeating in
    turn (one value for a constant rate, twelve for a seasonal year), until the chart signals.
    ``true_ratio`` 1 gives the false-alarm interval, ``rate_ratio`` the delay to detection.
    Seeded: the same arguments give the same answer, and a higher threshold never a shorter
    run (the same draws are reused)."""
    check_ratio(rate_ratio, "rate_ratio")
    check_threshold(threshold)
    if not expected or any(e < 0 or not math.isfinite(e) for e in expected):
        raise DomainError("expected", "give at least one expected count, none below 0")
    per_period = np.asarray(expected, dtype=np.float64)

    def weights(rng: np.random.Generator, t: int, n: int) -> Floats:
        e = float(per_period[t % len(per_period)])
        deaths = rng.poisson(true_ratio * e, n).astype(np.float64)
        weight: Floats = deaths * math.log(rate_ratio) - (rate_ratio - 1) * e
        return weight

    return _simulate(weights, threshold, runs, limit, seed)


def bernoulli_run_length(
    risks: Sequence[float],
    odds_ratio: float,
    threshold: float,
    *,
    true_ratio: float = 1.0,
    runs: int = 1000,
    limit: int = 100_000,
    seed: int = 0,
) -> RunLength:
    """Average run length (in cases) of Steiner et al.'s chart, by simulation: each case's
    risk is drawn from ``risks`` (the case mix), and it dies with the odds multiplied by
    ``true_ratio`` (1: as predicted)."""
    check_ratio(odds_ratio, "odds_ratio")
    check_threshold(threshold)
    mix = np.asarray(risks, dtype=np.float64)
    if not len(mix) or np.any((mix <= 0) | (mix >= 1)):
        raise DomainError("risks", "give at least one risk, each between 0 and 1")

    def weights(rng: np.random.Generator, t: int, n: int) -> Floats:
        p = mix[rng.integers(0, len(mix), n)]
        odds = true_ratio * p / (1 - p)
        died = rng.random(n) < odds / (1 + odds)
        return np.where(died, math.log(odds_ratio), 0.0) - np.log(1 - p + odds_ratio * p)

    return _simulate(weights, threshold, runs, limit, seed)


def _simulate(
    weights: Callable[[np.random.Generator, int, int], Floats],
    threshold: float,
    runs: int,
    limit: int,
    seed: int,
) -> RunLength:
    if runs < 1 or limit < 1:
        raise DomainError("runs", "simulate at least one run of at least one step")
    rng = np.random.default_rng(seed)
    x = np.zeros(runs)
    stopped = np.full(runs, limit, dtype=np.int64)
    live = np.ones(runs, dtype=bool)
    for t in range(limit):
        x = np.maximum(0.0, x + weights(rng, t, runs))
        crossed = live & (x >= threshold)
        stopped[crossed] = t + 1
        live &= ~crossed
        if not live.any():
            break
    censored = int(live.sum())
    return RunLength(float(stopped.mean()), runs, censored, limit)


def threshold_for(
    expected: Sequence[float],
    rate_ratio: float,
    false_alarm_interval: float,
    *,
    runs: int = 500,
    seed: int = 0,
    tolerance: float = 0.01,
) -> float:
    """The smallest threshold h (to ``tolerance``) whose simulated false-alarm interval, the
    average run length at the expected rate, is at least ``false_alarm_interval`` periods."""
    if not false_alarm_interval >= 1:
        raise DomainError(
            "false_alarm_interval", f"{false_alarm_interval:g} is not a number of periods"
        )
    limit = int(false_alarm_interval * 20)

    def long_enough(h: float) -> bool:
        arl = run_length(expected, rate_ratio, h, runs=runs, limit=limit, seed=seed)
        return arl.mean >= false_alarm_interval

    low, high = 0.0, 1.0
    while not long_enough(high):
        low, high = high, high * 2
        if high > 1000:
            raise DomainError("false_alarm_interval", "no threshold gives so long an interval")
    while high - low > tolerance:
        middle = (low + high) / 2
        low, high = (low, middle) if long_enough(middle) else (middle, high)
    return round(high, 6)
