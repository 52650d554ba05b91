"""The funnel plot as numbers: points, limit lines and axis ticks in SVG coordinates.

Pure geometry for ``funnel.Funnel`` (no Django, no I/O): a template draws <polyline>, <line>
and <circle> elements from these numbers alone, with no JavaScript. SVG's y grows downwards.
The limit lines are sampled at whole denominators (exact binomial limits exist only there, and
step a little as the denominator grows) and cut where they leave the plotting area.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from vigil.oversight.funnel import LEVELS, Funnel


@dataclass(frozen=True)
class Tick:
    value: float
    at: float  # pixels along its axis
    label: str


@dataclass(frozen=True)
class Dot:
    unit: str
    cx: float
    cy: float
    share: float
    classification: str


@dataclass(frozen=True)
class Curve:
    """One limit line, cut where it leaves the plotting area (so maybe in several pieces)."""

    level: float
    side: str  # "upper" or "lower"
    segments: tuple[tuple[tuple[float, float], ...], ...]

    @property
    def polylines(self) -> tuple[str, ...]:
        """Each piece as the ``points`` attribute of an SVG <polyline>."""
        return tuple(" ".join(f"{x:g},{y:g}" for x, y in piece) for piece in self.segments)


@dataclass(frozen=True)
class Plot:
    width: int
    height: int
    left: float  # the plotting area inside the margins
    top: float
    right: float
    bottom: float
    target_y: float
    dots: tuple[Dot, ...]
    curves: tuple[Curve, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]


def nice_ticks(low: float, high: float, count: int = 5, whole: bool = False) -> tuple[float, ...]:
    """Round values from at or below ``low`` to at or above ``high``, about ``count`` of them,
    a step of 1, 2 or 5 times a power of ten apart (at least 1 if ``whole``): the step nearest
    (high - low) / (count - 1) by the rounding of Heckbert PS, "Nice numbers for graph labels",
    Graphics Gems, Academic Press, 1990 (below 1.5 -> 1, 3 -> 2, 7 -> 5, else 10)."""
    high = high if high > low else low + 1
    rough = (high - low) / max(1, count - 1)
    power = 10.0 ** math.floor(math.log10(rough))
    bounds = ((1.5, 1), (3, 2), (7, 5), (math.inf, 10))
    step = power * next(m for bound, m in bounds if rough / power < bound)
    step = max(step, 1.0) if whole else step
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return tuple(round(k * step, 10) for k in range(first, last + 1))


def plot(
    funnel: Funnel,
    width: int = 640,
    height: int = 400,
    margin: tuple[int, int, int, int] = (16, 16, 40, 56),
    samples: int = 160,
) -> Plot:
    """The funnel drawn in a ``width`` x ``height`` box; ``margin`` (top, right, bottom, left,
    as in CSS) leaves room for tick labels. x is the denominator from 0, y the share over a
    range that holds every unit, the target and the limits at the smallest unit."""
    shown = [(u, u.share) for u in funnel.units if u.share is not None]
    smallest = min((u.denominator for u, _ in shown), default=1)
    x_values = nice_ticks(0, max((u.denominator for u, _ in shown), default=1), whole=True)
    reach = [float(funnel.limit(smallest, p)) for p in (0.001, 0.999)]
    seen = [funnel.target, *reach, *(share for _, share in shown)]
    low, high = max(0.0, min(seen)), min(1.0, max(seen))
    if high - low < 0.02:
        low, high = max(0.0, low - 0.01), min(1.0, high + 0.01)
    y_values = nice_ticks(low, high)
    left, top = float(margin[3]), float(margin[0])
    right, bottom = float(width - margin[1]), float(height - margin[2])
    x_hi, y_lo, y_hi = x_values[-1], y_values[0], y_values[-1]

    def px(n: float) -> float:
        return round(left + n / x_hi * (right - left), 1)

    def py(share: float) -> float:
        return round(bottom - (share - y_lo) / (y_hi - y_lo) * (bottom - top), 1)

    grid = np.concatenate([np.geomspace(1, x_hi, samples // 2), np.linspace(1, x_hi, samples // 2)])
    ns = np.unique(np.rint(grid))
    curves = []
    for level in LEVELS:
        for side, p in (("upper", (1 + level) / 2), ("lower", (1 - level) / 2)):
            line = list(zip(ns.tolist(), funnel.limit(ns, p).tolist(), strict=True))
            pieces = _inside(line, y_lo, y_hi)
            segments = tuple(tuple((px(x), py(y)) for x, y in piece) for piece in pieces)
            curves.append(Curve(level, side, segments))
    step = y_values[1] - y_values[0] if len(y_values) > 1 else 1.0
    decimals = max(0, -math.floor(math.log10(step * 100) + 1e-9))
    return Plot(
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        target_y=py(funnel.target),
        dots=tuple(
            Dot(u.unit, px(u.denominator), py(share), share, u.classification) for u, share in shown
        ),
        curves=tuple(curves),
        x_ticks=tuple(Tick(v, px(v), f"{v:,.0f}") for v in x_values),
        y_ticks=tuple(Tick(v, py(v), f"{v * 100:.{decimals}f}%") for v in y_values),
    )


def _inside(
    line: Sequence[tuple[float, float]], low: float, high: float
) -> list[list[tuple[float, float]]]:
    """The pieces of ``line`` whose y lies within [low, high], cut where it crosses them."""
    pieces: list[list[tuple[float, float]]] = []
    for (x0, y0), (x1, y1) in itertools.pairwise(line):
        if y0 == y1:
            start, end = (0.0, 1.0) if low <= y0 <= high else (1.0, 0.0)
        else:
            ta, tb = sorted(((low - y0) / (y1 - y0), (high - y0) / (y1 - y0)))
            start, end = max(0.0, ta), min(1.0, tb)
        if start >= end:
            continue
        a, b = (_along((x0, y0), (x1, y1), t) for t in (start, end))
        if not pieces or pieces[-1][-1] != a:
            pieces.append([a])
        pieces[-1].append(b)
    return pieces


def _along(a: tuple[float, float], b: tuple[float, float], t: float) -> tuple[float, float]:
    """The point a fraction ``t`` of the way from ``a`` to ``b`` (the ends exactly)."""
    if t in (0.0, 1.0):
        return a if t == 0 else b
    return a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
