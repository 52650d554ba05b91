"""Funnel plots with control limits: is a unit's share different, or only small?

A share such as "deaths with a sergeant in attendance" is plotted, per unit (borough) and
period, against its denominator (the unit's deaths), with control limits around a target that
narrow as the denominator grows, so that a small unit is not blamed for what chance alone does.
The target is the overall share (all numerators over all denominators) unless one is given.

- **Exact binomial limits** with the interpolation of Spiegelhalter DJ, "Funnel plots for
  comparing institutional performance", Statistics in Medicine 24(8):1185-1202, 2005, appendix
  A.1.1: with r_p the p-th quantile of Binomial(n, target) (P(R < r_p) <= p <= P(R <= r_p)),
      alpha = (P(R <= r_p) - p) / (P(R <= r_p) - P(R <= r_p - 1)),   limit = (r_p - alpha) / n:
  the CDF drawn as straight lines between whole numbers, and the limit where it reaches p.
  (So the limits are not quite mirror images: the lower limit for target t and p, plus 1/n, is
  one minus the upper limit for 1 - t and 1 - p.) **Normal approximation**, the same paper's
  limits for a proportion: target +- z_p sqrt(target (1 - target) / n).
  The 95% limits are p = 0.025 and 0.975, the 99.8% limits p = 0.001 and 0.999; a share on a
  limit counts as within it.
- **Over-dispersion** (Spiegelhalter DJ, "Handling over-dispersion of performance indicators",
  Qual Saf Health Care 14:347-351, 2005; Spiegelhalter DJ, Sherlaw-Johnson C, Bardsley M et al.,
  "Statistical methods for healthcare regulation: rating, screening and surveillance", JRSS A
  175(1):1-47, 2012). z_i = (y_i - target) / s_i with s_i = sqrt(target (1 - target) / n_i);
  the z-scores are Winsorised (those below the 10th percentile set to it, those above the 90th
  set to it; percentiles interpolated linearly), and phi = sum(z_i^2) / I over the I units
  with deaths. Only when I phi exceeds the 95th percentile of chi-square are the units called
  over-dispersed and the limits widened. (The degrees of freedom, I - 1 when the target is
  taken from the units and I when it is given, are the usual count; the papers' wording was
  not at hand to check.) *Multiplicative*: each limit's distance from the target times
  sqrt(phi), and z / sqrt(phi). *Additive random effects*, with DerSimonian and Laird's
  estimate (DerSimonian R, Laird N, "Meta-analysis in clinical trials", Controlled Clinical
  Trials 7:177-188, 1986) from the Winsorised phi, as the 2012 paper gives it:
      tau^2 = (I phi - (I - 1)) / (sum w_i - sum w_i^2 / sum w_i),  w_i = 1 / s_i^2
  (0 when negative), limits target +- z_p sqrt(s^2 + tau^2) whichever method was chosen (the
  papers give no exact form), and z = (y - target) / sqrt(s^2 + tau^2). The QSHC paper finds
  the additive form the better founded ("a stronger conceptual foundation"): it is the default.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from scipy.stats import binom, chi2, norm

from vigil.domain.errors import DomainError

Floats = npt.NDArray[np.float64]
LEVELS = (0.95, 0.998)  # two-sided: p = 0.025 / 0.975 and 0.001 / 0.999
WINSORISE = 0.1  # at the 10th and 90th percentiles (QSHC 2005)
NO_DEATHS = "no deaths in the period"
WITHIN = "within limits"


class Method(StrEnum):
    EXACT = "exact binomial"
    NORMAL = "normal approximation"


class Adjustment(StrEnum):
    NONE = "none"
    MULTIPLICATIVE = "multiplicative"
    ADDITIVE = "additive random effects"


@dataclass(frozen=True)
class Count:
    """One unit's figures: of ``denominator`` deaths, ``numerator`` met the standard."""

    unit: str
    numerator: int
    denominator: int

    def __post_init__(self) -> None:
        if not 0 <= self.numerator <= self.denominator:
            raise DomainError(
                f"{self.unit}.numerator",
                f"{self.numerator} of {self.denominator} is not a count between 0 and the total",
            )


def exact_limit(n: npt.ArrayLike, target: float, p: float) -> Floats:
    """Spiegelhalter's interpolated binomial limit (a share) at each denominator in ``n``."""
    size = np.asarray(n, dtype=np.float64)
    r = binom.ppf(p, size, target)
    at_r, below = binom.cdf(r, size, target), binom.cdf(r - 1, size, target)
    alpha = (at_r - p) / (at_r - below)
    return np.asarray((r - alpha) / size, dtype=np.float64)


def normal_limit(n: npt.ArrayLike, target: float, p: float, tau2: float = 0.0) -> Floats:
    """target + z_p sqrt(target (1 - target) / n + tau2) at each denominator in ``n``."""
    size = np.asarray(n, dtype=np.float64)
    spread = np.sqrt(target * (1 - target) / size + tau2)
    return np.asarray(target + float(norm.ppf(p)) * spread, dtype=np.float64)


def winsorise(z: npt.ArrayLike, fraction: float = WINSORISE) -> Floats:
    """``z`` with values beyond its ``fraction`` and 1 - ``fraction`` quantiles set to them."""
    values = np.asarray(z, dtype=np.float64)
    low, high = np.quantile(values, [fraction, 1 - fraction])
    return np.asarray(np.clip(values, low, high), dtype=np.float64)


@dataclass(frozen=True)
class Dispersion:
    """How much more the units vary than chance allows, and what was done about it."""

    phi: float | None  # mean squared Winsorised z-score; None when it cannot be measured
    threshold: float | None  # phi above this is over-dispersion (chi-square, 95%)
    tau2: float  # between-unit variance of the share, additive form (0 unless applied)
    applied: Adjustment  # NONE unless the test found over-dispersion
    reason: str

    @property
    def inflation(self) -> float:
        return math.sqrt(self.phi) if self.applied is Adjustment.MULTIPLICATIVE and self.phi else 1


def dispersion(
    counts: Sequence[Count],
    target: float,
    adjustment: Adjustment = Adjustment.ADDITIVE,
    *,
    estimated: bool = True,
    fraction: float = WINSORISE,
) -> Dispersion:
    """Measure phi over the units with deaths; widen the limits only if the test says so.
    ``estimated`` says the target was taken from these units (one degree of freedom spent)."""
    sizes = np.array([c.denominator for c in counts if c.denominator], dtype=np.float64)
    shares = np.array([c.numerator / c.denominator for c in counts if c.denominator])
    units = len(sizes)
    if not 0 < target < 1:
        flat = f"every unit's share is {target:.0%}: nothing varies, nothing to measure"
        return Dispersion(None, None, 0.0, Adjustment.NONE, flat)
    if units < 2:
        return Dispersion(None, None, 0.0, Adjustment.NONE, "too few units to measure spread")
    variance = target * (1 - target) / sizes
    phi = float(np.mean(winsorise((shares - target) / np.sqrt(variance), fraction) ** 2))
    threshold = float(chi2.ppf(0.95, units - 1 if estimated else units)) / units
    measured = f"phi = {phi:.2f}, the test's threshold {threshold:.2f}"
    if phi <= threshold:
        return Dispersion(phi, threshold, 0.0, Adjustment.NONE, f"within chance ({measured})")
    if adjustment is Adjustment.NONE:
        kept = f"over-dispersed ({measured}); limits not widened, as asked"
        return Dispersion(phi, threshold, 0.0, Adjustment.NONE, kept)
    weights = 1 / variance
    tau2 = (units * phi - (units - 1)) / (weights.sum() - (weights**2).sum() / weights.sum())
    tau2 = max(0.0, float(tau2)) if adjustment is Adjustment.ADDITIVE else 0.0
    how = (
        f"tau = {math.sqrt(tau2) * 100:.1f} percentage points"
        if tau2
        else f"times sqrt(phi) = {math.sqrt(phi):.2f}"
    )
    widened = f"over-dispersed ({measured}): limits widened, {adjustment} ({how})"
    return Dispersion(phi, threshold, tau2, adjustment, widened)


@dataclass(frozen=True)
class Band:
    """The control limits at one denominator and level (0.95 or 0.998), as shares. A limit
    may lie below 0 or above 1 for few deaths: no share can pass it, so none is flagged."""

    level: float
    lower: float
    upper: float


@dataclass(frozen=True)
class UnitResult:
    unit: str
    numerator: int
    denominator: int
    share: float | None  # None when the unit had no deaths (then it is not plotted)
    z: float | None
    classification: str


@dataclass(frozen=True)
class Funnel:
    """Limits, dispersion and each unit's place in the funnel."""

    target: float
    method: Method
    dispersion: Dispersion
    units: tuple[UnitResult, ...]

    def limit(self, n: npt.ArrayLike, p: float) -> Floats:
        """The limit for tail probability ``p`` at each denominator in ``n``."""
        size = np.asarray(n, dtype=np.float64)
        if not 0 < self.target < 1:
            return np.full(size.shape, self.target)
        if self.dispersion.applied is Adjustment.ADDITIVE:
            return normal_limit(size, self.target, p, self.dispersion.tau2)
        plain = (exact_limit if self.method is Method.EXACT else normal_limit)(size, self.target, p)
        return np.asarray(self.target + self.dispersion.inflation * (plain - self.target))

    def bands(self, n: int) -> tuple[Band, ...]:
        tails = [(1 - level) / 2 for level in LEVELS]
        return tuple(
            Band(level, float(self.limit(n, tail)), float(self.limit(n, 1 - tail)))
            for level, tail in zip(LEVELS, tails, strict=True)
        )


def classify(share: float, bands: Sequence[Band]) -> str:
    """Plain words for where ``share`` lies: beyond the widest limit it passes, or within
    (a share exactly on a limit is within it)."""
    for band in sorted(bands, key=lambda b: -b.level):
        side = "above" if share > band.upper else "below" if share < band.lower else None
        if side:
            return f"{side} the {band.level * 100:g}% limit"
    return WITHIN


def funnel(
    counts: Sequence[Count],
    target: float | None = None,
    method: Method = Method.EXACT,
    adjustment: Adjustment = Adjustment.ADDITIVE,
) -> Funnel:
    """Each unit against ``target`` (by default the overall share: all numerators over all
    denominators). A unit with no deaths is listed as such, and counts for nothing."""
    if target is not None and not 0 < target < 1:
        raise DomainError("target", f"{target:g} is not a share strictly between 0 and 1")
    total = sum(c.denominator for c in counts)
    if target is None and not total:
        raise DomainError("counts", "no unit had a death in the period: nothing to compare")
    centre = target if target is not None else sum(c.numerator for c in counts) / total
    spread = dispersion(counts, centre, adjustment, estimated=target is None)
    shell = Funnel(centre, method, spread, ())
    return Funnel(centre, method, spread, tuple(_result(c, shell) for c in counts))


def _result(count: Count, funnel: Funnel) -> UnitResult:
    if not count.denominator:
        return UnitResult(count.unit, 0, 0, None, None, NO_DEATHS)
    share, target, spread = count.numerator / count.denominator, funnel.target, funnel.dispersion
    variance = target * (1 - target) / count.denominator * spread.inflation**2 + spread.tau2
    z = (share - target) / math.sqrt(variance) if variance else 0.0
    return UnitResult(
        count.unit,
        count.numerator,
        count.denominator,
        share,
        z,
        classify(share, funnel.bands(count.denominator)),
    )
