"""The cluster scans of a store, without the database: the batch scan of every death of each
profile (retrospective), and the online check of one death against the deaths near it
(prospective), as pure functions over :class:`~vigil.linkage.footprint.Death` values.

The online check is the one ``services.clusters.scan_after_change`` and the replay
(``timeline.cluster_alerts``) run: for each profile that admits the death, a prospective scan
(vigil.linkage.scan) of that profile's deaths within ``2 x max_km`` of it and found in the
``STUDY_WINDOWS x max_days`` before it, keeping the clusters that hold it. The batch scan is
``services.clusters.scan_store``'s: a retrospective scan of all of a profile's deaths. The
benchmark (``vigil bench linkage``) times both; the settings (VIGIL_CLUSTER_*) are passed in,
since this package reads no settings.

A store-wide scan is local work: a cylinder's radius is at most ``max_km``, so each centre
needs only the deaths within ``max_km`` of it (found with a k-d tree, vigil.linkage.scan), and
the centres are scanned in chunks of similar circle size. Each Monte Carlo replicate permutes
the days over all the profile's deaths at once and takes the largest statistic over every
chunk, so the maxima, and the p-values, are those of the scan over the whole study; no
correction for the chunks is needed, because the test is the same test.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from vigil.linkage.footprint import Death
from vigil.linkage.geo import great_circle_km
from vigil.linkage.scan import STUDY_WINDOWS, Mode, Point, Scan, Settings, scan, seed_for
from vigil.linkage.scan_profiles import ScanProfile

# The columns of a profile row a scan profile reads (ScanProfile.admits; besides the category).
ADMITTED_BY = ("age", "sex", "place_type", "substances")


@dataclass(frozen=True)
class Config:
    """The cluster settings (VIGIL_CLUSTER_MAX_KM, _MAX_DAYS, _REPLICATES, _ALPHA)."""

    max_km: float
    max_days: int
    replicates: int
    alpha: float

    def settings(self, mode: Mode, seed: int) -> Settings:
        """The scan's settings; the Monte Carlo stops once no cluster can reach ``alpha``."""
        return Settings(
            max_km=self.max_km,
            max_days=self.max_days,
            replicates=self.replicates,
            mode=mode,
            seed=seed,
            stop_above=self.alpha,
        )

    @property
    def study_days(self) -> int:
        """How far back the online check looks."""
        return STUDY_WINDOWS * self.max_days


@dataclass(frozen=True)
class ProfileResult:
    """One profile's scan: the profile, how many deaths it admitted, and the scan."""

    profile: ScanProfile
    deaths: int
    scan: Scan

    def significant(self, alpha: float) -> list[str]:
        """The cases of each cluster at or below ``alpha``, as 'A, B, C'."""
        return [", ".join(c.cases) for c in self.scan.clusters if c.p <= alpha]


def _batch(profile: ScanProfile, points: list[Point], config: Config) -> ProfileResult:
    found = scan(points, config.settings(Mode.RETROSPECTIVE, seed_for(profile.name)))
    return ProfileResult(profile, len(points), found)


def scan_store(
    deaths: Sequence[Death], profiles: Sequence[ScanProfile], config: Config
) -> list[ProfileResult]:
    """The batch scan: every death of each profile, any window (retrospective), seeded by the
    profile's name so that a scan repeats."""
    return [
        _batch(p, [d.point for d in deaths if p.admits(d.row, d.category)], config)
        for p in profiles
    ]


def scan_table(
    store: pa.Table, profiles: Sequence[ScanProfile], config: Config, category: str = ""
) -> list[ProfileResult]:
    """:func:`scan_store` over a store of profile rows as an Arrow table (the batch's form),
    every death of category ``category``. A profile reads only ``ADMITTED_BY`` of a row, so
    it is asked once for each distinct combination of them, not once for each of a million
    rows; the deaths are then picked out column by column."""
    placed = pc.and_(
        pc.and_(pc.is_valid(store["latitude"]), pc.is_valid(store["longitude"])),
        pc.is_valid(store["found_day"]),
    )
    store = store.filter(placed)
    text = [
        pc.fill_null(pc.cast(store["age"], pa.string()), ""),
        pc.fill_null(store["sex"], ""),
        pc.fill_null(store["place_type"], ""),
        pc.fill_null(pc.binary_join(store["substances"], ","), ""),
    ]
    key = pc.dictionary_encode(pc.binary_join_element_wise(*text, "|")).combine_chunks()
    codes = key.indices.to_numpy(zero_copy_only=False)
    _, first = np.unique(codes, return_index=True)
    kinds = store.select(list(ADMITTED_BY)).take(pa.array(first)).to_pylist()
    ids = store["unique_id"].to_pylist()
    lat = store["latitude"].to_numpy()
    lon = store["longitude"].to_numpy()
    day = store["found_day"].to_numpy()
    results = []
    for profile in profiles:
        admitted = np.array([profile.admits(row, category) for row in kinds], dtype=bool)
        rows = np.nonzero(admitted[codes])[0] if len(kinds) else np.zeros(0, dtype=np.int64)
        points = [Point(ids[i], float(lat[i]), float(lon[i]), int(day[i])) for i in rows]
        results.append(_batch(profile, points, config))
    return results


def check_death(
    death: Death, near: Sequence[Death], profiles: Sequence[ScanProfile], config: Config
) -> list[ProfileResult]:
    """The online check of ``death`` (see the module's docstring). ``near`` holds the standing
    deaths around it (a superset is fine: distance and day are checked here; ``death`` itself
    may be among them). Only the profiles that admit ``death`` are scanned."""
    here = death.point
    reach = 2 * config.max_km
    around = [
        d
        for d in near
        if d.point.id != here.id
        and here.day - config.study_days <= d.point.day <= here.day
        and great_circle_km(here.latitude, here.longitude, d.point.latitude, d.point.longitude)
        <= reach
    ]
    results = []
    for profile in profiles:
        if not profile.admits(death.row, death.category):
            continue
        points = [here, *(d.point for d in around if profile.admits(d.row, d.category))]
        settings = config.settings(Mode.PROSPECTIVE, seed_for(here.id, profile.name))
        results.append(ProfileResult(profile, len(points), scan(points, settings, here.id)))
    return results
