"""A CUSUM chart over time as numbers: the line, the threshold and the axis ticks in SVG
coordinates, for a template to draw with <polyline>, <line> and <text> alone (no JavaScript),
as ``funnel_plot`` does for the funnel. SVG's y grows downwards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vigil.oversight.funnel_plot import Tick, nice_ticks


@dataclass(frozen=True)
class Point:
    label: str
    x: float
    y: float
    value: float
    above: bool  # at or above the threshold


@dataclass(frozen=True)
class CusumPlot:
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    threshold: float
    threshold_y: float
    points: tuple[Point, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]

    @property
    def polyline(self) -> str:
        """The chart as the ``points`` attribute of an SVG <polyline>."""
        return " ".join(f"{p.x:g},{p.y:g}" for p in self.points)


def plot(
    labels: Sequence[str],
    values: Sequence[float],
    threshold: float,
    width: int = 640,
    height: int = 280,
    margin: tuple[int, int, int, int] = (16, 16, 40, 48),
    most_ticks: int = 12,
) -> CusumPlot:
    """The chart of ``values`` (one per period, named by ``labels``) in a ``width`` x
    ``height`` box, with the threshold line; the y axis from 0 holds the threshold and the
    highest value."""
    if len(labels) != len(values):
        raise ValueError("one label per value")
    y_values = nice_ticks(0.0, max([threshold, *values]) * 1.05)
    left, top = float(margin[3]), float(margin[0])
    right, bottom = float(width - margin[1]), float(height - margin[2])
    y_hi = y_values[-1]
    last = max(1, len(values) - 1)

    def px(i: int) -> float:
        return round(left + i / last * (right - left), 1)

    def py(v: float) -> float:
        return round(bottom - v / y_hi * (bottom - top), 1)

    step = max(1, -(-len(labels) // most_ticks))
    return CusumPlot(
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        threshold=threshold,
        threshold_y=py(threshold),
        points=tuple(
            Point(label, px(i), py(v), v, v >= threshold)
            for i, (label, v) in enumerate(zip(labels, values, strict=True))
        ),
        x_ticks=tuple(Tick(i, px(i), labels[i]) for i in range(0, len(labels), step)),
        y_ticks=tuple(Tick(v, py(v), f"{v:g}") for v in y_values),
    )
