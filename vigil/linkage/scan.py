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
circle), retrospective ones N x K^3, with NumPy doing a chunk of centres in one pass. The work
is kept local and small without changing a result:

- each centre's circle is found among the deaths within ``max_km`` of it (a k-d tree on the
  unit sphere, SciPy's cKDTree), not by measuring all N x N distances;
- centres are scanned in chunks of similar circle size (a crowded place no longer widens every
  centre's arrays to its own size), and a centre with fewer than ``min_cases`` deaths within
  reach, which can hold no cluster, is not scanned. Every replicate permutes the days over all
  N deaths at once and takes the largest statistic over every chunk, so this is a partition of
  the work, not of the study: the maxima, and so the p-values, are those of one scan of the
  whole study, and no correction (Bonferroni or Sidak) is needed;
- the cylinders another one beats for certain, holding the same deaths, are left out: for a
  window, a size at which no death inside it joins the circle (the same deaths as the smaller
  circle, more expected), and a circle that does not hold the window's first and last death
  (the same deaths in a shorter window, fewer expected). Neither can be the largest of a
  replicate, nor be chosen as a cluster: the cylinder that beats it holds the same deaths and
  comes first.

The clusters, p-values and maxima for a seed are the same as an N x N scan's (the tests check
the maxima against every cylinder enumerated one by one).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

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


def _pair_km(lat0: Floats, lon0: Floats, lat: Floats, lon: Floats) -> Floats:
    """:func:`distances_km` for pairs (centre i, point i), the same operations in the same
    order (so a pair's distance does not depend on how it was found)."""
    p1, p2 = np.radians(lat0), np.radians(lat)
    dl = np.radians(lon) - np.radians(lon0)
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    result: Floats = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return result


@dataclass(frozen=True)
class _Circles:
    """For each centre i, the deaths within ``max_km`` of it nearest first (ties by index),
    at most ``max_share`` of all: ``members[start[i]:start[i + 1]]``, with their distances and,
    for each size k, whether a circle holds exactly those k (no tie cut in two). Stored flat,
    so a death in a dense place does not widen the rows of every other."""

    start: Ints  # (N + 1,)
    members: Ints  # flat
    dist: Floats  # flat
    valid: npt.NDArray[np.bool_]  # flat: a circle of this size is allowed

    @property
    def sizes(self) -> Ints:
        sizes: Ints = np.diff(self.start)
        return sizes

    def block(self, rows: Ints, width: int) -> tuple[Ints, npt.NDArray[np.bool_]]:
        """The members of ``rows`` as a (rows, width) array padded with -1, and ``valid``."""
        at = self.start[rows][:, None] + np.arange(width)[None, :]
        present = np.arange(width)[None, :] < self.sizes[rows][:, None]
        at = np.where(present, at, 0)
        members: Ints = np.where(present, self.members[at], -1)
        return members, present & self.valid[at]

    def row(self, row: int) -> Ints:
        members: Ints = self.members[self.start[row] : self.start[row + 1]]
        return members

    def radius_km(self, row: int, k: int) -> float:
        return float(self.dist[self.start[row] + k])


def _circles(points: Sequence[Point], settings: Settings) -> _Circles:
    """Every centre's neighbours within ``max_km``, found with a k-d tree on the unit sphere
    (chord length) and measured by :func:`distances_km`'s haversine: only near pairs are
    measured, not N x N."""
    n = len(points)
    lat = np.array([p.latitude for p in points], dtype=float)
    lon = np.array([p.longitude for p in points], dtype=float)
    cap = max(1, min(n, math.floor(settings.max_share * n)))
    phi, lam = np.radians(lat), np.radians(lon)
    xyz = np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])
    chord = 2 * math.sin(min(settings.max_km / (2 * EARTH_RADIUS_KM), math.pi / 2))
    near = cKDTree(xyz).query_pairs(chord * (1 + 1e-6) + 1e-12, output_type="ndarray")
    own = np.arange(n)
    centre = np.concatenate([own, near[:, 0], near[:, 1]])
    other = np.concatenate([own, near[:, 1], near[:, 0]])
    del near
    dist = _pair_km(lat[centre], lon[centre], lat[other], lon[other])
    inside = dist <= settings.max_km
    centre, other, dist = centre[inside], other[inside], dist[inside]
    order = np.lexsort((other, dist, centre))  # by centre, then nearest, then index
    centre, other, dist = centre[order], other[order], dist[order]
    counts = np.bincount(centre, minlength=n)
    first = np.concatenate([[0], np.cumsum(counts)])
    position = np.arange(len(centre)) - first[centre]
    following = np.append(dist[1:], np.inf)
    last = position == counts[centre] - 1
    valid = last | (dist < following)  # the next neighbour is strictly further
    kept = position < cap
    sizes = np.minimum(counts, cap)
    start = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    return _Circles(start, other[kept].astype(np.int64), dist[kept], valid[kept])


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
        self.chunks = self._row_chunks()

    def in_window(self, first: Ints, last: Ints) -> Floats:
        """Deaths anywhere with first <= day <= last (the same under every permutation)."""
        span = len(self.up_to) - 1
        hi = np.clip(last - self.earliest + 1, 0, span)
        lo = np.clip(first - self.earliest, 0, span)
        result: Floats = self.up_to[hi] - self.up_to[lo]
        return result

    def _windows(self, d: Ints, present: npt.NDArray[np.bool_]) -> tuple[Ints, ...]:
        """Each window as (row, start member, end member or -1 for the latest day, first
        day, last day). Windows start (and end) on a day of a death in the circle: any other
        window holds the same deaths with more expected."""
        s = self.settings
        if s.mode is Mode.PROSPECTIVE:
            wr, wa = np.nonzero(present & (self.latest - d < s.max_days))
            wb = np.full_like(wa, -1)
            return wr, wa, wb, d[wr, wa], np.full(wa.shape, self.latest, dtype=np.int64)
        gap = d[:, None, :] - d[:, :, None]  # (row, start member, end member)
        ok = present[:, :, None] & present[:, None, :] & (gap >= 0) & (gap < s.max_days)
        wr, wa, wb = np.nonzero(ok)
        return wr, wa, wb, d[wr, wa], d[wr, wb]

    def candidates(
        self, days: Ints, rows: Ints, *, best_only: bool = False
    ) -> tuple[Floats, tuple[Ints, ...]]:
        """Statistics of the cylinders centred on ``rows``, and their coordinates as arrays:
        (row, window start member, window end member or -1 for the latest day, size k - 1).

        Cylinders another one beats for certain, holding the same deaths, are left out: for a
        window, only the sizes at which a death inside it joins the circle (moved on to the
        next allowed size) count, and only circles that hold the window's first and last
        death (a circle that does not holds the same deaths in a shorter window, which has no
        more expected). With ``best_only`` (a Monte Carlo replicate) only the largest
        statistic is returned."""
        s = self.settings
        width = int(self.circles.sizes[rows].max()) if len(rows) else 0
        members, valid = self.circles.block(rows, width)
        present = members >= 0
        d = np.where(present, days[np.maximum(members, 0)], np.iinfo(np.int64).min // 2)
        wr, wa, wb, first, last = self._windows(d, present)
        n_window = self.in_window(first, last)
        # next_ok[r, j]: the first allowed size >= j (width when there is none)
        idx = np.where(valid, np.arange(width)[None, :], width)
        next_ok = np.minimum.accumulate(idx[:, ::-1], axis=1)[:, ::-1]
        reach = np.maximum(wa, wb)
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
            joins = inside & (np.arange(width)[None, :] >= reach[part, None])
            p, j = np.nonzero(joins)
            j = next_ok[r[p], j]
            keep = j < width
            p, j = p[keep], j[keep]
            keep = counts[p, j] >= s.min_cases
            p, j = p[keep], j[keep]
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

    def _row_chunks(self) -> list[Ints]:
        """The centres that can hold a cluster (``min_cases`` deaths within reach), in chunks
        of similar circle size, each chunk's arrays within ``_CHUNK`` cells: a few crowded
        places do not widen the arrays of every other centre."""
        sizes = self.circles.sizes
        rows = np.nonzero(sizes >= self.settings.min_cases)[0]
        rows = rows[np.argsort(sizes[rows], kind="stable")]
        power = 1 if self.settings.mode is Mode.PROSPECTIVE else 2
        chunks: list[Ints] = []
        begin = 0
        while begin < len(rows):
            # rows are in increasing size: a chunk's widest row is its last
            cost = sizes[rows[begin : begin + _CHUNK]].astype(np.float64) ** power
            over = np.nonzero(cost * np.arange(1, len(cost) + 1) > _CHUNK)[0]
            end = begin + max(1, int(over[0]) if over.size else len(cost))
            chunks.append(np.sort(rows[begin:end]))
            begin = end
        return chunks

    def maximum(self, days: Ints) -> float:
        best = 0.0
        for rows in self.chunks:
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
    members = scanner.circles.row(row)
    first = days[members[start]]
    last = scanner.latest if end < 0 else days[members[end]]
    inside = members[: k + 1]
    held = days[inside]
    return [int(j) for j in inside[(held >= first) & (held <= last)]]


def _clusters(
    scanner: _Scanner, points: Sequence[Point], days: Ints, about: str | None
) -> list[tuple[float, tuple[int, ...]]]:
    """The cylinders of the real data, greedily: best first, no death in two of them."""
    wanted = None if about is None else next(i for i, p in enumerate(points) if p.id == about)
    found: list[tuple[float, tuple[int, ...]]] = []
    for rows in scanner.chunks:
        stats, where = scanner.candidates(days, rows)
        if wanted is not None:
            keep = _holding(scanner, days, rows, where, wanted)
            stats, where = stats[keep], tuple(w[keep] for w in where)
            if len(stats):  # every cylinder holds the one death: only the best can be chosen
                best = stats == stats.max()
                stats, where = stats[best], tuple(w[best] for w in where)
        for i in np.argsort(-stats, kind="stable")[: 200 * scanner.settings.max_clusters]:
            coords = (int(rows[where[0][i]]), *(int(w[i]) for w in where[1:]))
            found.append((float(stats[i]), coords))
    found.sort(key=lambda f: (-f[0], f[1]))  # ties: by centre, window and size
    chosen: list[tuple[float, tuple[int, ...]]] = []
    taken: set[int] = set()
    for stat, coords in found:
        if stat <= 0 or (wanted is not None and wanted in taken):
            break  # sorted: the rest are no better; about one death: the rest all hold it
        members = set(_members_of(scanner, days, coords))
        if members & taken:
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
    members, _ = scanner.circles.block(rows, int(scanner.circles.sizes[rows].max()))
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
    first = int(days[circles.row(row)[start]])
    last = scanner.latest if end < 0 else int(days[circles.row(row)[end]])
    members = _members_of(scanner, days, coords)
    n_window = float(scanner.in_window(np.array([first]), np.array([last]))[0])
    mu = expected(k + 1, n_window, scanner.n)
    centre = points[row]
    return Cluster(
        cases=tuple(sorted(points[j].id for j in members)),
        centre=centre.id,
        latitude=centre.latitude,
        longitude=centre.longitude,
        radius_m=circles.radius_km(row, k) * 1000,
        first_day=first,
        last_day=last,
        observed=len(members),
        expected=mu,
        statistic=log_likelihood_ratio(len(members), mu, scanner.n),
        p=p,
    )
