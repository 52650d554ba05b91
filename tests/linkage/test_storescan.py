"""The store-wide and online cluster scans (vigil.linkage.storescan) and the work the scan
splits them into: each centre's circle found from its near deaths only, centres scanned in
chunks, replicates pruned to the cylinders that can be the largest. Checked against a scan
written out by hand (every cylinder, every centre), and through the store functions on
synthetic deaths."""

import math
from dataclasses import replace

import numpy as np
import pyarrow.parquet as pq
import pytest

from vigil.linkage import benchmark, engines, synthetic
from vigil.linkage import scan as scan_module
from vigil.linkage.benchmark import IndexedStore
from vigil.linkage.footprint import Death
from vigil.linkage.geo import great_circle_km
from vigil.linkage.scan import (
    Mode,
    Point,
    Settings,
    distances_km,
    log_likelihood_ratio,
    scan,
)
from vigil.linkage.scan_profiles import ScanProfile, default_profiles
from vigil.linkage.storescan import Config, check_death, scan_store, scan_table

CONFIG = Config(max_km=1.0, max_days=365, replicates=99, alpha=0.01)
GHB = ScanProfile(name="ghb", words="deaths with GHB", substances=("ghb",))
YOUNG = ScanProfile(name="young", words="deaths under 40", age_max=39)


def crowded(rng: np.random.Generator, n: int) -> list[Point]:
    """Deaths in about 2 x 2 km over two months, a fifth of them at a spot shared with another
    death (so that circles of equal distance must stay whole)."""
    lat = 51.5 + rng.random(n) * 0.018
    lon = -0.1 + rng.random(n) * 0.029
    day = 16000 + rng.integers(0, 60, n)
    twins = n // 5
    lat[:twins], lon[:twins] = lat[twins : 2 * twins], lon[twins : 2 * twins]
    return [Point(f"P{i}", float(lat[i]), float(lon[i]), int(day[i])) for i in range(n)]


def every_cylinder(points: list[Point], settings: Settings, days: np.ndarray) -> float:
    """The largest statistic over every cylinder, enumerated one by one: each centre's circles
    of the k nearest deaths (within max_km and max_share, never cutting a tie), each window
    from a day of one of its deaths to a day of another (prospective: to the latest day)."""
    n = len(points)
    lat = np.array([p.latitude for p in points])
    lon = np.array([p.longitude for p in points])
    km = distances_km(lat, lon, lat, lon)
    cap = max(1, min(n, math.floor(settings.max_share * n)))
    latest = int(days.max())
    best = 0.0
    for centre in range(n):
        order = sorted(range(n), key=lambda j: (km[centre, j], j))
        for k in range(1, cap + 1):
            if km[centre, order[k - 1]] > settings.max_km:
                break
            if k < n and km[centre, order[k]] == km[centre, order[k - 1]]:
                continue  # a circle of k would cut a tie in two
            held = days[order[:k]]
            starts = set(held.tolist())
            ends = {latest} if settings.mode is Mode.PROSPECTIVE else starts
            for first in starts:
                for last in ends:
                    if not 0 <= last - first < settings.max_days:
                        continue
                    observed = int(((held >= first) & (held <= last)).sum())
                    if observed < settings.min_cases:
                        continue
                    in_window = int(((days >= first) & (days <= last)).sum())
                    mu = k * in_window / n
                    best = max(best, log_likelihood_ratio(observed, mu, n))
    return best


@pytest.mark.parametrize("mode", list(Mode))
@pytest.mark.parametrize("share", [0.5, 0.2])
def test_every_replicate_maximum_is_that_of_every_cylinder(mode, share):
    rng = np.random.default_rng(4)
    points = crowded(rng, 24)
    settings = Settings(max_km=0.8, max_days=20, max_share=share, mode=mode)
    scanner = scan_module._Scanner(points, settings)
    days = np.array([p.day for p in points], dtype=np.int64)
    for _ in range(4):
        shuffled = rng.permutation(days)
        assert scanner.maximum(shuffled) == pytest.approx(
            every_cylinder(points, settings, shuffled), abs=1e-9
        )
    real = scan(points, replace(settings, replicates=0))
    assert real.clusters[0].statistic == pytest.approx(
        every_cylinder(points, settings, days), abs=1e-9
    )


def test_circles_are_the_nearest_deaths_ties_kept_whole():
    rng = np.random.default_rng(9)
    points = crowded(rng, 40)
    settings = Settings(max_km=0.6, max_share=0.25)
    circles = scan_module._circles(points, settings)
    lat = np.array([p.latitude for p in points])
    lon = np.array([p.longitude for p in points])
    km = distances_km(lat, lon, lat, lon)
    for centre in range(len(points)):
        order = sorted(range(len(points)), key=lambda j: (km[centre, j], j))
        near = [j for j in order if km[centre, j] <= 0.6][:10]  # 10: a quarter of 40
        assert circles.row(centre).tolist() == near
    assert circles.sizes.max() == 10


def planted(last_day: int, lat: float, lon: float, gap: int = 7) -> list[Point]:
    """Five deaths within about 50 m, ``gap`` days apart."""
    return [Point(f"S{j}", lat + 0.0001 * j, lon, last_day - gap * j) for j in range(5)]


def towns(rng: np.random.Generator, n: int) -> list[Point]:
    """Deaths in three towns about 50 km apart, each about 5 x 5 km, over three years."""
    centres = [(51.5, -0.1), (51.95, -0.1), (51.5, 0.62)]
    out = []
    for i in range(n):
        lat, lon = centres[i % 3]
        out.append(
            Point(
                f"B{i}",
                float(lat + rng.random() * 0.045),
                float(lon + rng.random() * 0.072),
                int(16000 + rng.integers(0, 1095)),
            )
        )
    return out


@pytest.mark.parametrize("mode", list(Mode))
def test_a_planted_cluster_is_found_the_same_in_small_chunks(mode, monkeypatch):
    points = towns(np.random.default_rng(2), 300) + planted(17094, 51.52, -0.08)
    settings = Settings(replicates=19, mode=mode, seed=3)
    whole = scan(points, settings)
    monkeypatch.setattr(scan_module, "_CHUNK", 400)  # chunks of a few centres
    assert len(scan_module._Scanner(points, settings).chunks) > 5
    chunked = scan(points, settings)
    assert chunked == whole
    assert {f"S{j}" for j in range(5)} <= set(whole.clusters[0].cases)
    assert whole.clusters[0].p <= 0.05


def test_no_clusters_no_more_false_alarms_than_the_nominal_rate_over_towns():
    """100 stores of three towns' background deaths (no space-time interaction), scanned in
    small chunks: the most likely cluster is 'significant' at 0.05 in about 5; allow 10."""
    alarms = 0
    for run in range(100):
        points = towns(np.random.default_rng(2000 + run), 90)
        result = scan(points, Settings(replicates=39, seed=run))
        alarms += bool(result.clusters) and result.clusters[0].p <= 0.05
    assert alarms <= 10


def death(point: Point, **row: object) -> Death:
    return Death(
        {"latitude": point.latitude, "longitude": point.longitude, "found_day": point.day, **row},
        "",
        point,
    )


def test_the_store_scan_scans_each_profile_s_deaths():
    rng = np.random.default_rng(5)
    background = [death(p, substances=["ghb"], age=50) for p in towns(rng, 150)]
    series = [death(p, substances=["ghb"], age=30) for p in planted(16900, 51.52, -0.08, 3)]
    results = scan_store([*background, *series], [GHB, YOUNG], CONFIG)
    by_name = {r.profile.name: r for r in results}
    assert by_name["ghb"].deaths == 155
    assert by_name["young"].deaths == 5  # the five of the series only
    best = by_name["ghb"].scan.clusters[0]
    assert {f"S{j}" for j in range(5)} <= set(best.cases) and best.p <= CONFIG.alpha
    assert by_name["ghb"].significant(CONFIG.alpha)[0] == ", ".join(best.cases)
    # the five alone: no space-time interaction among them to find
    assert by_name["young"].significant(CONFIG.alpha) == []
    again = scan_store([*background, *series], [GHB, YOUNG], CONFIG)
    assert [r.scan for r in again] == [r.scan for r in results]


def test_the_online_check_scans_the_profiles_of_the_death_near_it_before_it():
    rng = np.random.default_rng(6)
    background = [death(p, substances=["ghb"]) for p in towns(rng, 150)]
    series = [death(p, substances=["ghb"]) for p in planted(16900, 51.52, -0.08)]
    newest = series[0]  # S0, the latest death of the series
    later = death(Point("L", 51.5201, -0.08, 16950), substances=["ghb"])  # after it
    far = death(Point("F", 51.56, -0.08, 16890), substances=["ghb"])  # 4.4 km north
    near = [*background, *series, later, far]
    results = check_death(newest, near, [GHB, YOUNG], CONFIG)
    assert [r.profile.name for r in results] == ["ghb"]  # it has no age: not 'young'
    found = results[0].scan.clusters
    assert found and all("S0" in c.cases for c in found)
    assert len({f"S{j}" for j in range(5)} & set(found[0].cases)) >= 4
    assert found[0].p <= CONFIG.alpha
    assert not {"L", "F"} & {case for c in found for case in c.cases}
    assert results[0].deaths < 40  # only those within 2 km: not the other towns
    assert check_death(death(Point("X", 51.5, -0.1, 16000)), near, [GHB], CONFIG) == []


@pytest.mark.parametrize("category", ["", "unexpected_under_investigation"])
def test_the_store_scan_of_a_table_is_that_of_its_deaths(category):
    """The batch's form (an Arrow table, each profile asked once per kind of death) scans the
    same deaths with the same results as the deaths one by one."""
    rows = synthetic.generate(2000, 17).rows
    rows[0] = {**rows[0], "latitude": None}  # a death with no place is left out
    config = replace(CONFIG, replicates=9)
    table = engines.table(rows)
    deaths = [
        death(Point(r["unique_id"], r["latitude"], r["longitude"], r["found_day"]), **r)
        for r in rows
        if r["latitude"] is not None
    ]
    deaths = [replace(d, category=category) for d in deaths]
    profiles = default_profiles()
    by_table = scan_table(table, profiles, config, category)
    one_by_one = scan_store(deaths, profiles, config)
    assert [(r.profile, r.deaths, r.scan) for r in by_table] == [
        (r.profile, r.deaths, r.scan) for r in one_by_one
    ]
    counts = {r.profile.name: r.deaths for r in by_table}
    assert counts["ghb"] > 0
    assert (counts["young_unexplained"] > 0) == bool(category)


def test_the_benchmark_s_nearby_lookup_finds_every_death_the_check_needs(tmp_path):
    """The benchmark's online check looks its deaths up in the indexed store: every case
    within 2 km and the study period before it is found, and the check scans its profiles."""
    rows = synthetic.generate(3000, 23).rows
    path = tmp_path / "store.parquet"
    pq.write_table(engines.table(rows), path)
    store = IndexedStore(str(path))
    profiles = default_profiles()
    admitted = store.admitted(10, 5, "")
    assert admitted and all(any(p.admits(r, "") for p in profiles) for r in admitted)
    for new in admitted:
        found = {r["unique_id"] for r in store.near(new, 2.0, CONFIG.study_days)}
        wanted = {
            r["unique_id"]
            for r in rows
            if r["latitude"] is not None
            and new["found_day"] - CONFIG.study_days <= r["found_day"] <= new["found_day"]
            and great_circle_km(new["latitude"], new["longitude"], r["latitude"], r["longitude"])
            <= 2.0
        }
        assert new["unique_id"] in wanted and wanted <= found
        assert benchmark._check(store, new, profiles, CONFIG, "") >= 1
