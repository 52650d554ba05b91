"""Clusters of deaths closer in space and time than chance allows: the space-time permutation
scan statistic.

The method is that of Kulldorff M, Heffernan R, Hartman J, Assunção R, Mostashari F, "A
space-time permutation scan statistic for disease outbreak detection", PLoS Medicine 2(3): e59,
2005 (doi:10.1371/journal.pmed.0020059), as SaTScan runs it, with each death as its own
location:

- A **cylinder** is a circle centred on a death's place, holding the k deaths nearest to it
  (k up to ``max_share`` of all deaths and radius up to ``max_km``; deaths at exactly the same
  distance are in or out together), over a window of days at most ``max_days`` long. In
  **prospective** mode (surveillance, SaTScan's prospective analysis) every window ends on the
  latest day; in **retrospective** mode (batch) any window counts.
- Its **expected** count is the paper's equation: with c_zd the deaths at place z on day d and
  C the total, mu_zd = (sum_z c_zd)(sum_d c_zd) / C, so for a cylinder A holding the places Z
  and the days W, mu_A = (deaths in Z on any day) x (deaths anywhere in W) / C.
- Its statistic is the paper's Poisson generalised likelihood ratio, taken as a logarithm:
  log GLR = c ln(c / mu) + (C - c) ln((C - c) / (C - mu)) when c > mu, else 0, where c is the
  number of deaths observed in it.
- The **most likely cluster** has the largest statistic; **secondary clusters** are the next
  largest that share no death with one chosen before. A cluster needs ``min_cases`` deaths.
- Its **p-value** is by Monte Carlo: the days are permuted over the deaths R times (so both
  margins stay as they are) and p = rank / (R + 1), the rank of the real statistic among the
  R + 1 maxima. Secondary clusters are compared with the same maxima (conservative, as
  SaTScan does). The permutations come from a seeded generator, so a scan is repeatable.

The paper publishes no small table of counts with its expected values to reproduce; the tests
check the expected counts and the statistic against its equations on a table worked by hand,
that a planted cluster is found, and that data without clusters raise false alarms at no more
than the nominal rate.

The Monte Carlo may stop early (``stop_above``): once more replicates than that share of R + 1
beat the real statistic, no cluster can reach it, and ``Scan.stopped`` says so (the p-values
are then lower bounds; the early stop of Besag and Clifford, Biometrika 1991).

Cost: prospective windows take about N x K^2 evaluations a replicate (K the deaths in a
circle), retrospective ones N x K^3, with NumPy doing each replicate in one pass.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = 111.2  # of latitude, for bounding boxes around a death
STUDY_WINDOWS = 3  # the check after a change looks back this many longest windows
_CHUNK = 4_000_000  # array cells a pass may hold (memory stays bounded)

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


class Mode(StrEnum):
    PROSPECTIVE = "prospective"  # windows end on the latest day (surveillance)
    RETROSPECTIVE = "retrospective"  # any window (batch)


@dataclass(frozen=True)
class Point:
    """One death: its id, where it was found, and the day (days since 1970-01-01)."""

    id: str
    latitude: float
    longitude: float
    day: int


@dataclass(frozen=True)
class Settings:
    max_km: float = 1.0
    max_share: float = 0.5  # SaTScan's default upper limit: half the cases
    max_days: int = 365
    replicates: int = 999
    mode: Mode = Mode.RETROSPECTIVE
    min_cases: int = 2
    seed: int = 0
    max_clusters: int = 10
    stop_above: float | None = None  # stop the Monte Carlo once p must exceed this


@dataclass(frozen=True)
class Cluster:
    """A cylinder and what an explanation needs. Days are days since 1970-01-01."""

    cases: tuple[str, ...]  # the deaths in it
    centre: str  # the death at its centre
    latitude: float
    longitude: float
    radius_m: float
    first_day: int  # the window
    last_day: int
    observed: int
    expected: float
    statistic: float  # log of the generalised likelihood ratio
    p: float

    @property
    def days(self) -> int:
        return self.last_day - self.first_day + 1


@dataclass(frozen=True)
class Scan:
    clusters: list[Cluster]  # most likely first
    cases: int
    replicates: int  # replicates run (fewer than asked when stopped early)
    stopped: bool = False
    maxima: list[float] = field(default_factory=list)  # each replicate's largest statistic


def seed_for(*words: str) -> int:
    """A scan's seed from words (a case's reference, a profile's name): the same scan repeats."""
    return zlib.crc32(" ".join(words).encode())


def expected(in_zone: float, in_window: float, total: float) -> float:
    """mu_A = (deaths in the circle on any day) x (deaths anywhere in the window) / C."""
    return in_zone * in_window / total if total else 0.0


def log_likelihood_ratio(observed: float, mu: float, total: float) -> float:
    """The paper's Poisson GLR, as a logarithm; 0 unless more were observed than expected."""
    value = _llr(np.array([observed], dtype=float), np.array([mu], dtype=float), float(total))
    return float(value[0])


def _llr(c: Floats, mu: Floats, total: float) -> Floats:
    out = np.zeros_like(c)
    high = (c > mu) & (mu > 0)
    cc, mm = c[high], mu[high]
    rest = total - cc
    with np.errstate(divide="ignore", invalid="ignore"):
        outside = np.where(rest > 0, rest * np.log(rest / (total - mm)), 0.0)
    out[high] = cc * np.log(cc / mm) + outside
    return out


def distances_km(lat: Floats, lon: Floats, lat0: Floats, lon0: Floats) -> Floats:
    """Great-circle distances (haversine) between each row point and each column point."""
    p1, p2 = np.radians(lat0)[:, None], np.radians(lat)[None, :]
    dl = np.radians(lon)[None, :] - np.radians(lon0)[:, None]
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    result: Floats = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return result


@dataclass(frozen=True)
class _Circles:
    """For each centre, its neighbours nearest first (padded with -1), their distances, and
    for each size k whether a circle holds exactly those k (no tie cut in two) within limits."""

    members: Ints  # (N, K)
    dist: Floats  # (N, K)
    valid: npt.NDArray[np.bool_]  # (N, K): a circle of size k + 1 is allowed


def _circles(points: Sequence[Point], settings: Settings) -> _Circles:
    n = len(points)
    lat = np.array([p.latitude for p in points], dtype=float)
    lon = np.array([p.longitude for p in points], dtype=float)
    cap = max(1, min(n, math.floor(settings.max_share * n)))
    rows_m, rows_d = [], []
    step = max(1, _CHUNK // max(n, 1))
    for start in range(0, n, step):
        d = distances_km(lat, lon, lat[start : start + step], lon[start : start + step])
        order = np.argsort(d, axis=1, kind="stable")[:, : cap + 1]
        rows_m.append(order)
        rows_d.append(np.take_along_axis(d, order, axis=1))
    members, dist = np.vstack(rows_m), np.vstack(rows_d)
    k = min(cap, members.shape[1])
    nxt = dist[:, 1 : k + 1]
    if nxt.shape[1] < k:
        nxt = np.hstack([nxt, np.full((n, k - nxt.shape[1]), np.inf)])
    within = dist[:, :k] <= settings.max_km
    valid = within & (dist[:, :k] < nxt)  # the next neighbour is strictly further
    keep = np.where(within, members[:, :k], -1)
    width = int(within.sum(axis=1).max()) if n else 0
    return _Circles(keep[:, :width], dist[:, :width], valid[:, :width])


class _Scanner:
    """Every allowed cylinder's statistic for one assignment of days to deaths."""

    def __init__(self, points: Sequence[Point], settings: Settings) -> None:
        self.settings = settings
        self.n = len(points)
        self.circles = _circles(points, settings)
        all_days = np.array([p.day for p in points], dtype=np.int64)
        self.earliest, self.latest = int(all_days.min()), int(all_days.max())
        # up_to[i]: deaths on or before day earliest + i - 1 (up_to[0] = 0)
        per_day = np.bincount(all_days - self.earliest, minlength=self.latest - self.earliest + 1)
        self.up_to = np.concatenate([[0.0], np.cumsum(per_day, dtype=float)])

    def in_window(self, first: Ints, last: Ints) -> Floats:
        """Deaths anywhere with first <= day <= last (the same under every permutation)."""
        span = len(self.up_to) - 1
        hi = np.clip(last - self.earliest + 1, 0, span)
        lo = np.clip(first - self.earliest, 0, span)
        result: Floats = self.up_to[hi] - self.up_to[lo]
        return result

    def candidates(
        self, days: Ints, rows: Ints, *, best_only: bool = False
    ) -> tuple[Floats, tuple[Ints, ...]]:
        """Statistics of the cylinders centred on ``rows``, and their coordinates as arrays:
        (row, window start member, window end member or -1 for the latest day, size k - 1).
        Windows start (and end) on a day of a death in the circle: any other window holds the
        same deaths with more expected."""
        s, c = self.settings, self.circles
        members = c.members[rows]
        present = members >= 0
        d = np.where(present, days[np.maximum(members, 0)], np.iinfo(np.int64).min // 2)
        if s.mode is Mode.PROSPECTIVE:
            wr, wa = np.nonzero(present & (self.latest - d < s.max_days))
            wb = np.full_like(wa, -1)
            first, last = d[wr, wa], np.full(wa.shape, self.latest, dtype=np.int64)
        else:
            gap = d[:, None, :] - d[:, :, None]  # (row, start member, end member)
            ok = present[:, :, None] & present[:, None, :] & (gap >= 0) & (gap < s.max_days)
            wr, wa, wb = np.nonzero(ok)
            first, last = d[wr, wa], d[wr, wb]
        n_window = self.in_window(first, last)
        width = d.shape[1]
        stats_parts: list[Floats] = []
        where_parts: list[tuple[Ints, ...]] = []
        step = max(1, _CHUNK // max(width, 1))
        k = np.arange(1, width + 1, dtype=float)
        for i in range(0, len(wr), step):
            part = slice(i, i + step)
            r = wr[part]
            dj = d[r]
            inside = (dj >= first[part, None]) & (dj <= last[part, None]) & present[r]
            counts = np.cumsum(inside, axis=1, dtype=np.int32)  # in the window among first k
            mask = c.valid[rows[r]] & (counts >= s.min_cases)
            p, j = np.nonzero(mask)
            mu = k[j] * n_window[part][p] / self.n
            stats = _llr(counts[p, j].astype(float), mu, float(self.n))
            if best_only:
                stats_parts.append(stats[:1] if stats.size < 2 else stats.max(keepdims=True))
                continue
            stats_parts.append(stats)
            where_parts.append((r[p], wa[part][p], wb[part][p], j))
        if not stats_parts or best_only:
            empty = np.zeros(0, dtype=np.int64)
            return np.concatenate([np.zeros(0), *stats_parts]), (empty, empty, empty, empty)
        stats = np.concatenate(stats_parts)
        where = tuple(np.concatenate([w[n] for w in where_parts]) for n in range(4))
        return stats, where

    def row_chunks(self) -> list[Ints]:
        size = max(1, self.circles.members.shape[1])
        cells = size if self.settings.mode is Mode.PROSPECTIVE else size**2
        step = max(1, _CHUNK // cells)
        return [np.arange(i, min(i + step, self.n)) for i in range(0, self.n, step)]

    def maximum(self, days: Ints) -> float:
        best = 0.0
        for rows in self.row_chunks():
            stats, _ = self.candidates(days, rows, best_only=True)
            if stats.size:
                best = max(best, float(stats.max()))
        return best


def scan(points: Sequence[Point], settings: Settings, about: str | None = None) -> Scan:
    """The most likely cluster and the secondary ones, each with its Monte Carlo p-value.
    With ``about``, only clusters holding that death are returned (the test is still over
    every cylinder, so its p-values stay valid)."""
    if len({p.id for p in points}) != len(points):
        raise ValueError("each point needs its own id")
    if len(points) < settings.min_cases or (about and all(p.id != about for p in points)):
        return Scan([], len(points), 0)
    scanner = _Scanner(points, settings)
    days = np.array([p.day for p in points], dtype=np.int64)
    found = _clusters(scanner, points, days, about)
    if not found:
        return Scan([], len(points), 0)
    rng = np.random.default_rng(settings.seed)
    total = settings.replicates + 1
    limit = None if settings.stop_above is None else settings.stop_above * total
    best = max(f[0] for f in found)
    beaten = np.zeros(len(found), dtype=np.int64)
    statistics = np.array([f[0] for f in found])
    maxima: list[float] = []
    stopped = False
    for _ in range(settings.replicates):
        top = scanner.maximum(rng.permutation(days))
        maxima.append(top)
        beaten += top >= statistics - 1e-9
        if limit is not None and 1 + int(beaten[statistics == best][0]) > limit:
            stopped = True
            break
    clusters = [
        _cluster(scanner, points, days, coords, float((1 + b) / total))
        for (stat, coords), b in zip(found, beaten, strict=True)
    ]
    return Scan(clusters, len(points), len(maxima), stopped, maxima)


def _members_of(scanner: _Scanner, days: Ints, coords: tuple[int, ...]) -> list[int]:
    row, start, end, k = coords
    members = scanner.circles.members[row, : k + 1]
    first = days[scanner.circles.members[row, start]]
    last = scanner.latest if end < 0 else days[scanner.circles.members[row, end]]
    return [int(j) for j in members if j >= 0 and first <= days[j] <= last]


def _clusters(
    scanner: _Scanner, points: Sequence[Point], days: Ints, about: str | None
) -> list[tuple[float, tuple[int, ...]]]:
    """The cylinders of the real data, greedily: best first, no death in two of them."""
    wanted = None if about is None else next(i for i, p in enumerate(points) if p.id == about)
    found: list[tuple[float, tuple[int, ...]]] = []
    for rows in scanner.row_chunks():
        stats, where = scanner.candidates(days, rows)
        if wanted is not None:
            keep = _holding(scanner, days, rows, where, wanted)
            stats, where = stats[keep], tuple(w[keep] for w in where)
        for i in np.argsort(-stats, kind="stable")[: 200 * scanner.settings.max_clusters]:
            coords = (int(rows[where[0][i]]), *(int(w[i]) for w in where[1:]))
            found.append((float(stats[i]), coords))
    found.sort(key=lambda f: -f[0])
    chosen: list[tuple[float, tuple[int, ...]]] = []
    taken: set[int] = set()
    for stat, coords in found:
        members = set(_members_of(scanner, days, coords))
        if stat <= 0 or members & taken:
            continue
        chosen.append((stat, coords))
        taken |= members
        if len(chosen) >= scanner.settings.max_clusters:
            break
    return chosen


def _holding(
    scanner: _Scanner, days: Ints, rows: Ints, where: tuple[Ints, ...], wanted: int
) -> npt.NDArray[np.bool_]:
    """Which candidate cylinders hold the death ``wanted``."""
    members = scanner.circles.members[rows]
    has = (members == wanted).any(axis=1)
    pos = np.argmax(members == wanted, axis=1)
    row, start, end, k = where
    first = days[members[row, start]]
    last = np.where(end < 0, scanner.latest, days[members[row, np.maximum(end, 0)]])
    day = days[wanted]
    held: npt.NDArray[np.bool_] = has[row] & (pos[row] <= k) & (first <= day) & (day <= last)
    return held


def _cluster(
    scanner: _Scanner, points: Sequence[Point], days: Ints, coords: tuple[int, ...], p: float
) -> Cluster:
    row, start, end, k = coords
    circles = scanner.circles
    first = int(days[circles.members[row, start]])
    last = scanner.latest if end < 0 else int(days[circles.members[row, end]])
    members = _members_of(scanner, days, coords)
    n_window = float(scanner.in_window(np.array([first]), np.array([last]))[0])
    mu = expected(k + 1, n_window, scanner.n)
    centre = points[row]
    return Cluster(
        cases=tuple(sorted(points[j].id for j in members)),
        centre=centre.id,
        latitude=centre.latitude,
        longitude=centre.longitude,
        radius_m=float(circles.dist[row, k]) * 1000,
        first_day=first,
        last_day=last,
        observed=len(members),
        expected=mu,
        statistic=log_likelihood_ratio(len(members), mu, scanner.n),
        p=p,
    )
