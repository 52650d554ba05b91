"""A confirmed series' footprint: where, when and among which deaths a new death is taken as
one more of the series, and alerted at once (online: services.clusters; in a replay:
timeline.footprint_alerts). One rule for both.

A death is inside the footprint when:
- **profile**: it belongs to every scan profile (profiles.yaml) that all the series' deaths
  belong to (a series of GHB deaths takes in a new death once its toxicology finds GHB);
- **place**: it lies within the series' own spread of one of its deaths (the largest distance
  between two of them), at least ``MIN_KM`` (a street, as the distance feature's levels) and at
  most VIGIL_CLUSTER_MAX_KM;
- **time**: no further than VIGIL_CLUSTER_MAX_DAYS before its first death or after its last.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from vigil.linkage.geo import great_circle_km
from vigil.linkage.scan import Point
from vigil.linkage.scan_profiles import ScanProfile

MIN_KM = 0.25


@dataclass(frozen=True)
class Death:
    """A death as the footprint sees it: its profile row, its category, where and when."""

    row: Mapping[str, Any]
    category: str
    point: Point


@dataclass(frozen=True)
class Inside:
    """How a death lies inside a footprint: the profile named, the nearest death and its km."""

    profile: ScanProfile
    nearest: str
    km: float


def radius_km(points: Sequence[Point], max_km: float) -> float:
    spread = max(
        (
            great_circle_km(a.latitude, a.longitude, b.latitude, b.longitude)
            for a, b in combinations(points, 2)
        ),
        default=0.0,
    )
    return min(max_km, max(MIN_KM, spread))


def inside(
    death: Death,
    series: Sequence[Death],
    profiles: Sequence[ScanProfile],
    max_km: float,
    max_days: int,
) -> Inside | None:
    """How ``death`` lies inside the footprint of ``series`` (the module's rule), else None."""
    if not series:
        return None
    here, points = death.point, [d.point for d in series]
    days = [p.day for p in points]
    if not min(days) - max_days <= here.day <= max(days) + max_days:
        return None
    km, nearest = min(
        (great_circle_km(here.latitude, here.longitude, p.latitude, p.longitude), p.id)
        for p in points
    )
    if km > radius_km(points, max_km):
        return None
    shared = [p for p in profiles if all(p.admits(d.row, d.category) for d in series)]
    if not shared or not all(p.admits(death.row, death.category) for p in shared):
        return None
    return Inside(shared[0], nearest, km)
