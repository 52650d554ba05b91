"""Replaying linkage over time, in batch: when would each pair alert and each cluster alert have
been raised, had the cases been recorded as their facts became known?

Every case becomes a sequence of **versions**, one for each moment something about it became
known (its first report, a person, a later update). Version k of a case stands from its moment
until the next. Online, a change re-scores the changed case against the current versions of
its candidates, so a pair is alerted at the first moment at which the versions of both cases
standing then score at or above the alert threshold: the later start of a pair of versions
whose lifetimes overlap. Scoring every version against every other in one batch (the same
profile, model, blocking and threshold as online) gives the same first moments as replaying
change by change through the services, in minutes instead of hours.

One approximation, stated where figures are reported: frequencies (how common a substance, a
first name or an identifier is) are those of the final versions of all the cases replayed,
where online they grow with the store.

Judgements are not in the cases, so a replay can say what an analyst would have decided
(:func:`footprint_alerts`, given a verdict for each alert): each alert judged when raised,
and a later death inside a confirmed series' footprint alerted at once, as online.

The cluster check runs, as online, after each version of a case that a scan profile admits:
a prospective space-time permutation scan (vigil.linkage.scan) of that profile's cases standing
at that moment, within ``2 x max_km`` and ``study_days`` of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from math import cos, radians

from vigil.domain.enums import RecordKind
from vigil.linkage import engines, footprint
from vigil.linkage.clusters import Components
from vigil.linkage.frequency import Frequencies
from vigil.linkage.geo import great_circle_km
from vigil.linkage.model import Model
from vigil.linkage.profile import Profile
from vigil.linkage.scan import KM_PER_DEGREE, Mode, Point, Settings, scan, seed_for
from vigil.linkage.scan_profiles import ScanProfile

SEP = "#"  # a version's id: '<reference>#<index>'


@dataclass(frozen=True)
class Version:
    """A case as it stood from ``start`` until ``end`` (None: to the end of the replay)."""

    reference: str
    index: int
    start: datetime
    end: datetime | None
    profile: Profile
    category: str = ""

    @property
    def id(self) -> str:
        return f"{self.reference}{SEP}{self.index}"


@dataclass(frozen=True)
class Raised:
    """An alert the replay raised: when, on which change (the case saved), and its cases."""

    at: datetime
    trigger: str
    cases: tuple[str, ...]
    kind: str  # 'pair' or 'cluster'
    weight: float | None = None  # a pair's match weight
    p: float | None = None  # a cluster's p-value
    profile: str = ""


def versions_of(
    reference: str,
    moments: Iterable[datetime],
    profile_at: Callable[[datetime], Profile],
    category_at: Callable[[datetime], str] = lambda _: "",
) -> list[Version]:
    """One version per distinct moment, each standing until the next."""
    times = sorted(set(moments))
    return [
        Version(
            reference,
            index,
            at,
            times[index + 1] if index + 1 < len(times) else None,
            profile_at(at),
            category_at(at),
        )
        for index, at in enumerate(times)
    ]


def overlap(a: Version, b: Version) -> bool:
    return (b.end is None or a.start < b.end) and (a.end is None or b.start < a.end)


def pair_alerts(
    model: Model,
    versions: Sequence[Version],
    alert_weight: float,
    *,
    frequencies: Frequencies | None = None,
    memory_limit: str = engines.MEMORY_LIMIT,
) -> list[Raised]:
    """The first moment each pair of cases reached ``alert_weight``, earliest first."""
    if frequencies is None:
        last = {v.reference: v for v in versions}
        frequencies = Frequencies.of_rows(v.profile.row for v in last.values())
    by_id = {v.id: v for v in versions}
    rows = [{**frequencies.annotate(v.profile.row), "unique_id": v.id} for v in versions]
    first: dict[tuple[str, str], Raised] = {}
    for pair in engines.score(model, rows, "duckdb", alert_weight, None, memory_limit):
        a, b = by_id[pair.id_l], by_id[pair.id_r]
        if a.reference == b.reference or not overlap(a, b):
            continue
        later = a if a.start >= b.start else b
        key = (min(a.reference, b.reference), max(a.reference, b.reference))
        seen = first.get(key)
        if seen is None or later.start < seen.at:
            first[key] = Raised(later.start, later.reference, key, "pair", pair.match_weight)
    return sorted(first.values(), key=lambda r: (r.at, r.cases))


@dataclass(frozen=True)
class ScanSettings:
    max_km: float
    max_days: int
    study_days: int
    replicates: int
    alpha: float


def _cell(latitude: float, longitude: float, km: float) -> tuple[int, int]:
    lat = KM_PER_DEGREE * latitude / km
    lon = KM_PER_DEGREE * cos(radians(latitude)) * longitude / km
    return int(lat // 1), int(lon // 1)


def _point(version: Version) -> Point | None:
    """Where and when a death was found; None for a record that is not a death (cluster
    detection is about deaths) or that has no place or time."""
    if version.profile.kind != RecordKind.DEATH.value:
        return None
    row = version.profile.row
    lat, lon, day = row.get("latitude"), row.get("longitude"), row.get("found_day")
    if lat is None or lon is None or day is None:
        return None
    return Point(version.reference, float(lat), float(lon), int(day))


def scan_key(here: Point, profiles: Sequence[ScanProfile]) -> tuple[object, ...]:
    """What a case's cluster check depends on of the case itself: where and when it was found
    and the profiles it belongs to. A change that leaves it as it was (a person added, a
    statement) is not scanned again, online or in a replay."""
    return (here.latitude, here.longitude, here.day, *sorted(p.name for p in profiles))


def cluster_alerts(
    versions: Sequence[Version], profiles: Sequence[ScanProfile], config: ScanSettings
) -> list[Raised]:
    """The cluster alerts the online check would have raised, in order: after each version a
    profile admits whose :func:`scan_key` changed, a prospective scan of that profile's
    standing cases near it. A cluster whose cases an earlier cluster alert already holds is
    not raised again."""
    reach = 2 * config.max_km
    standing: dict[str, Version] = {}
    grid: dict[tuple[int, int], set[str]] = defaultdict(set)
    where: dict[str, tuple[int, int]] = {}
    raised: list[Raised] = []
    held: list[frozenset[str]] = []
    scanned: dict[str, tuple[object, ...]] = {}
    for version in sorted(versions, key=lambda v: (v.start, v.reference, v.index)):
        ref = version.reference
        if ref in where:
            grid[where.pop(ref)].discard(ref)
        standing[ref] = version
        here = _point(version)
        if here is None:
            continue
        cell = _cell(here.latitude, here.longitude, reach)
        grid[cell].add(ref)
        where[ref] = cell
        mine = [p for p in profiles if p.admits(version.profile.row, version.category)]
        key = scan_key(here, mine)
        if not mine or scanned.get(ref) == key:
            continue
        scanned[ref] = key
        near: list[tuple[Version, Point]] = []
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for other in grid.get((cell[0] + dy, cell[1] + dx), ()):
                    point = _point(standing[other])
                    if (
                        point is not None
                        and here.day - config.study_days <= point.day <= here.day
                        and great_circle_km(
                            here.latitude, here.longitude, point.latitude, point.longitude
                        )
                        <= reach
                    ):
                        near.append((standing[other], point))
        near.sort(key=lambda found: found[1].id)  # a scan is repeatable: points in one order
        for profile in mine:
            points = [p for v, p in near if profile.admits(v.profile.row, v.category)]
            settings = Settings(
                max_km=config.max_km,
                max_days=config.max_days,
                replicates=config.replicates,
                mode=Mode.PROSPECTIVE,
                seed=seed_for(ref, profile.name),
                stop_above=config.alpha,
            )
            for cluster in scan(points, settings, ref).clusters:
                cases = frozenset(cluster.cases)
                if cluster.p > config.alpha or any(cases <= h for h in held):
                    continue
                held.append(cases)
                raised.append(
                    Raised(
                        version.start,
                        ref,
                        tuple(sorted(cases)),
                        "cluster",
                        p=cluster.p,
                        profile=profile.name,
                    )
                )
    return raised


def _death(version: Version) -> footprint.Death | None:
    point = _point(version)
    return None if point is None else footprint.Death(version.profile.row, version.category, point)


def _inside(
    version: Version,
    group: Sequence[Version],
    profiles: Sequence[ScanProfile],
    config: ScanSettings,
) -> str | None:
    """The profile named when ``version`` lies inside the footprint of ``group`` (the rule of
    vigil.linkage.footprint), else None. The group's deaths are its footprint."""
    group = [v for v in group if v.profile.kind == RecordKind.DEATH.value]
    if not group:
        return None
    death, members = _death(version), [_death(v) for v in group]
    if death is None or any(m is None for m in members):
        return None
    found = footprint.inside(
        death, [m for m in members if m is not None], profiles, config.max_km, config.max_days
    )
    return None if found is None else found.profile.name


def footprint_alerts(
    versions: Sequence[Version],
    raised: Sequence[Raised],
    profiles: Sequence[ScanProfile],
    config: ScanSettings,
    verdict: Callable[[Raised], bool],
) -> list[Raised]:
    """The footprint alerts of a replay in which an analyst judges every alert when it is
    raised (``verdict``: True to confirm its cases as one series): after each version, a case
    inside a confirmed series' footprint (:func:`_inside`) alerts once for that series. A
    confirmed footprint alert adds its case to the series."""
    series = Components()
    pending = sorted(raised, key=lambda r: r.at)
    standing: dict[str, Version] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    out: list[Raised] = []
    i = 0

    def judge(alert: Raised) -> None:
        if verdict(alert):
            for ref in alert.cases[1:]:
                series.join(alert.cases[0], ref)

    for version in sorted(versions, key=lambda v: (v.start, v.reference, v.index)):
        while i < len(pending) and pending[i].at <= version.start:
            judge(pending[i])
            i += 1
        standing[version.reference] = version
        for group in series.groups():
            if len(group) < 2 or version.reference in group:
                continue
            key = (version.reference, frozenset(group))
            if key in seen or any(ref not in standing for ref in group):
                continue
            profile = _inside(version, [standing[ref] for ref in group], profiles, config)
            if profile is None:
                continue
            seen.add(key)
            alert = Raised(
                version.start,
                version.reference,
                tuple(sorted([*group, version.reference])),
                "footprint",
                profile=profile,
            )
            out.append(alert)
            judge(alert)
    return out
