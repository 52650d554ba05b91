"""`vigil bench linkage`: speed, memory and accuracy on a seeded synthetic store with planted
series of varying strength (vigil.linkage.synthetic). It prints figures; it asserts nothing.

- batch: the store (a Parquet file) re-linked in a process of its own, as `vigil link --all`
  does: every blocked pair scored on DuckDB (Splink's predict), the pairs of weight >= 0 kept,
  and the links at or above the alert weight clustered into candidate series (Splink's
  connected components). Its wall time and that process's peak memory are the figures; the
  pairs per second count every blocked pair scored;
  Then, in the same process, the store-wide cluster scan of each profile, as `vigil clusters
  scan` does it (vigil.linkage.storescan.scan_table: retrospective, any window), timed on
  its own; the peak memory is that of the process, over both;
- online: a sample of stored cases each linked as if new: candidates looked up in an indexed
  DuckDB copy of the store (:class:`IndexedStore`: one small query per blocking rule), filtered
  exactly by the rules, then scored with Splink's real-time comparison; then the cluster check
  after the change (vigil.linkage.storescan.check_death: the deaths near it looked up in the
  same copy, and a prospective scan for each profile that admits it). The online figures are
  of both together and of the cluster check alone; since few random cases belong to a profile
  (the synthetic rows have no category, so the profiles of unexplained deaths admit none
  unless the benchmark is given one), both are also timed on a sample of cases a profile
  admits;
- accuracy: over the blocked pairs, with every planted pair the rules did not block counted as
  a miss (scored below everything).
"""

from __future__ import annotations

import math
import multiprocessing
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from sklearn.metrics import average_precision_score, roc_auc_score

from vigil.evaluation.metrics import median_first_rank, top10_share
from vigil.linkage import blocking, engines, storescan, synthetic
from vigil.linkage.footprint import Death
from vigil.linkage.model import Model, from_json
from vigil.linkage.scan import KM_PER_DEGREE, Point
from vigil.linkage.scan_profiles import ScanProfile, default_profiles

ONLINE_SAMPLES = 200
ADMITTED_POOL = 50_000  # cases drawn to find the sample a profile admits
PLACE = ("unique_id", "latitude", "longitude", "found_day", "age", "sex", "place_type")


def _peak_mb() -> float:
    """This process's own peak resident memory, in MB. On Linux, the high-water mark of its
    address space (``VmHWM``): ``ru_maxrss`` survives ``exec``, so a spawned batch process
    would report the peak of the parent it was forked from (the synthetic store in Python
    objects: 4.9 GB at a million cases, where the batch itself peaked at 3.3 GB)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _deaths(rows: list[dict[str, Any]], category: str) -> list[Death]:
    """The placed rows as deaths for the cluster scans, each given ``category``."""
    return [
        Death(row, category, Point(row["unique_id"], row["latitude"], row["longitude"], day))
        for row in rows
        if row["latitude"] is not None
        and row["longitude"] is not None
        and (day := row["found_day"]) is not None
    ]


def _relink(
    path: str, model_json: dict[str, Any], config: storescan.Config, category: str
) -> dict[str, Any]:
    """The batch, in a process of its own (so that its peak memory is its own): read the store,
    re-link every case, form the candidate series; then scan the store for clusters."""
    start = time.perf_counter()
    store = pq.read_table(path)
    model = from_json(model_json)  # links at its alert weight join candidate series
    links, series = engines.relink_table(model, store, model.keep_weight, model.alert_weight)
    relinked, relink_peak = time.perf_counter(), _peak_mb()
    results = storescan.scan_table(store, default_profiles(), config, category)
    done = time.perf_counter()
    return {
        "seconds": done - start,
        "relink_seconds": relinked - start,
        "scan_seconds": done - relinked,
        "peak_mb": _peak_mb(),
        "relink_peak_mb": relink_peak,
        "links": links.num_rows,
        "series": pc.count_distinct(series["series"]).as_py() if series.num_rows else 0,
        "cases_in_series": series.num_rows,
        "scanned": {
            r.profile.name: {
                "deaths": r.deaths,
                "replicates": r.scan.replicates,
                "clusters_significant": len(r.significant(config.alpha)),
            }
            for r in results
        },
    }


class IndexedStore:
    """Profile rows in DuckDB with what an online lookup needs: the store sorted by latitude,
    an index on references, and exploded, indexed tables of identifiers and rare substances.
    Each blocking rule is one small query; their union is then filtered exactly by
    ``blocking.admits``."""

    def __init__(self, path: str) -> None:
        con = self.con = engines.connect(threads=1)
        con.execute(f"create table store as select * from read_parquet('{path}') order by latitude")
        con.execute("create unique index store_id on store(unique_id)")
        con.execute(
            "create table ident as select unnest(identifiers) as identifier, unique_id, "
            "latitude, longitude, found_day from store order by identifier"
        )
        con.execute("create index ident_id on ident(identifier)")
        con.execute(
            "create table rare as select unnest(rare_substances) as substance, unique_id, "
            "latitude, longitude, found_day from store where len(rare_substances) > 0 "
            "order by substance, latitude"
        )

    def sample(self, count: int, seed: int) -> list[dict[str, Any]]:
        return list(
            self.con.sql(
                f"select * from store using sample {int(count)} rows (reservoir, {int(seed)})"
            )
            .to_arrow_table()
            .to_pylist()
        )

    def _ids(self, sql: str, **params: Any) -> list[str]:
        return [row[0] for row in self.con.execute(sql, params).fetchall()]

    def _box(self, table: str, box: blocking.Box, new: dict[str, Any], extra: str = "") -> str:
        return (
            f"select unique_id from {table} where {extra} latitude between "
            f"{new['latitude'] - box.lat} and {new['latitude'] + box.lat} and longitude between "
            f"{new['longitude'] - box.lon} and {new['longitude'] + box.lon} and found_day between "
            f"{new['found_day'] - box.days} and {new['found_day'] + box.days}"
        )

    def admitted(self, count: int, seed: int, category: str) -> list[dict[str, Any]]:
        """Up to ``count`` cases a scan profile admits, from a sample of the store."""
        found = []
        for row in self.sample(ADMITTED_POOL, seed):
            placed = row["latitude"] is not None and row["found_day"] is not None
            if placed and any(p.admits(row, category) for p in default_profiles()):
                found.append(row)
        return found[:count]

    def near(self, new: dict[str, Any], km: float, days: int) -> list[dict[str, Any]]:
        """The cases within a box of ``km`` around ``new`` found up to ``days`` before it (a
        superset: the check measures each). The store is sorted by latitude, so DuckDB's
        zone maps skip every row group outside the box's latitudes."""
        lat = km / KM_PER_DEGREE
        lon = lat / max(math.cos(math.radians(new["latitude"])), 0.01)
        found: pa.Table = self.con.sql(
            f"select {', '.join(PLACE)}, substances from store "
            "where latitude between $lat0 and $lat1 and longitude between $lon0 and $lon1 "
            "and found_day between $day0 and $day1",
            params={
                "lat0": new["latitude"] - lat,
                "lat1": new["latitude"] + lat,
                "lon0": new["longitude"] - lon,
                "lon1": new["longitude"] + lon,
                "day0": new["found_day"] - days,
                "day1": new["found_day"],
            },
        ).to_arrow_table()
        return list(found.to_pylist())

    def candidates(self, new: dict[str, Any]) -> list[dict[str, Any]]:
        ids: set[str] = set()
        placed = all(new.get(c) is not None for c in ("latitude", "longitude", "found_day"))
        if placed:
            for box in blocking.NEAR:
                ids.update(self._ids(self._box("store", box, new)))
        names = [i for i in new["identifiers"] if i.startswith("name:")]
        others = [i for i in new["identifiers"] if not i.startswith("name:")]
        inside = "identifier in (select unnest($ids::varchar[])) and "
        if others:
            ids.update(
                self._ids(
                    "select unique_id from ident where identifier in "
                    "(select unnest($ids::varchar[]))",
                    ids=others,
                )
            )
        if placed and names:
            ids.update(self._ids(self._box("ident", blocking.REGION, new, inside), ids=names))
        if placed and new["rare_substances"]:
            inside = "substance in (select unnest($rare::varchar[])) and "
            ids.update(
                self._ids(
                    self._box("rare", blocking.REGION, new, inside), rare=new["rare_substances"]
                )
            )
        ids.discard(new["unique_id"])
        return [row for row in self._rows(sorted(ids)) if blocking.admits(new, row)]

    def _rows(self, ids: list[str]) -> list[dict[str, Any]]:
        """The stored rows of ``ids``, looked up in the index on references. One parameter per
        reference: with the references as one list (``in (select unnest($ids))``), DuckDB 2.0
        joins instead of looking up once there are more than about 60, and reads the whole
        store (200 ms at a million cases against 12 ms)."""
        if not ids:
            return []
        marks = ", ".join(["?"] * len(ids))
        found: pa.Table = self.con.sql(
            f"select * from store where unique_id in ({marks})", params=ids
        ).to_arrow_table()
        return list(found.to_pylist())


def _check(
    store: IndexedStore,
    new: dict[str, Any],
    profiles: tuple[ScanProfile, ...],
    config: storescan.Config,
    category: str,
) -> int:
    """The cluster check after ``new`` is saved, as online: nothing to look up unless a
    profile admits it. Returns the profiles scanned."""
    if new["latitude"] is None or new["longitude"] is None or new["found_day"] is None:
        return 0
    if not any(p.admits(new, category) for p in profiles):
        return 0
    near = _deaths(store.near(new, 2 * config.max_km, config.study_days), category)
    (death,) = _deaths([new], category)
    return len(storescan.check_death(death, near, profiles, config))


def _online(
    model: Model, store: IndexedStore, seed: int, config: storescan.Config, category: str
) -> dict[str, list[float]]:
    """Milliseconds to link each of a sample of stored cases as if it were new, and of its
    cluster check alone; and the same for a sample of cases a profile admits."""
    profiles = default_profiles()
    took: dict[str, list[float]] = {k: [] for k in ("both", "cluster", "admitted", "admitted_both")}
    for new in store.sample(ONLINE_SAMPLES, seed):
        start = time.perf_counter()
        engines.score_one(model, new, store.candidates(new))
        linked = time.perf_counter()
        _check(store, new, profiles, config, category)
        done = time.perf_counter()
        took["both"].append((done - start) * 1000)
        took["cluster"].append((done - linked) * 1000)
    for new in store.admitted(ONLINE_SAMPLES, seed, category):
        start = time.perf_counter()
        engines.score_one(model, new, store.candidates(new))
        linked = time.perf_counter()
        _check(store, new, profiles, config, category)
        done = time.perf_counter()
        took["admitted_both"].append((done - start) * 1000)
        took["admitted"].append((done - linked) * 1000)
    return took


def _quantiles(name: str, took: list[float]) -> dict[str, float | None]:
    """p50 and p95 in milliseconds (None when nothing was timed)."""
    if len(took) < 2:
        return {f"{name}_p50_ms": None, f"{name}_p95_ms": None}
    return {
        f"{name}_p50_ms": round(statistics.median(took), 1),
        f"{name}_p95_ms": round(statistics.quantiles(took, n=20)[18], 1),
    }


def _accuracy(scored: pa.Table, data: synthetic.Synthetic) -> dict[str, float]:
    """The four figures, with every planted pair the blocking missed counted as scored below
    everything. AUC and average precision over all blocked pairs (scikit-learn, as in
    vigil.evaluation.metrics); ranks over the pairs of the planted cases only, which is all a
    rank of a true link depends on."""
    frame = scored.select(["unique_id_l", "unique_id_r", "match_weight"]).to_pandas()
    truth = data.true_pairs()
    keys = frame["unique_id_l"] + "|" + frame["unique_id_r"]
    linked = keys.isin({f"{a}|{b}" for a, b in truth}).to_numpy()
    blocked = set(keys[linked])
    missed = [(a, b) for a, b in truth if f"{a}|{b}" not in blocked]
    blocked_pairs = set(truth) - set(missed)
    floor = float(frame["match_weight"].min()) - 10 if len(frame) else -10.0
    weights = np.concatenate([frame["match_weight"].to_numpy(), np.full(len(missed), floor)])
    labels = np.concatenate([linked, np.ones(len(missed), dtype=bool)])
    planted = set(data.series)
    near = frame[frame["unique_id_l"].isin(planted) | frame["unique_id_r"].isin(planted)]
    pairs = [
        (a, b, (a, b) in truth)
        for a, b in zip(near["unique_id_l"], near["unique_id_r"], strict=True)
    ]
    pairs += [(a, b, True) for a, b in missed]
    scores = [*near["match_weight"], *([floor] * len(missed))]
    return {
        "auc": float(roc_auc_score(labels, weights)),
        "auprc": float(average_precision_score(labels, weights)),
        "median_first_rank": median_first_rank(pairs, scores),
        "top10_share": top10_share(pairs, scores),
        "true_pairs": len(truth),
        "true_pairs_not_blocked": len(missed),
        **{
            f"{kind}_pairs_not_blocked": len(data.true_pairs(kind) - blocked_pairs)
            for kind in synthetic.STRENGTHS
        },
        **{f"{kind}_pairs": len(data.true_pairs(kind)) for kind in synthetic.STRENGTHS},
    }


def run(
    model: Model,
    cases: int,
    seed: int,
    say: Callable[[str], None],
    config: storescan.Config,
    category: str = "",
) -> dict[str, Any]:
    """The figures. ``config``: the cluster settings; ``category``: the category every
    synthetic death is given for the scan profiles (none by default)."""
    say(f"Generating {cases} synthetic cases (seed {seed})")
    data = synthetic.generate(cases, seed)
    with tempfile.TemporaryDirectory(prefix="vigil-bench-") as folder:
        path = str(Path(folder) / "store.parquet")
        pq.write_table(engines.table(data.rows), path)
        say(
            "Batch: re-linking every case, forming series and scanning for clusters, in a "
            "process of its own"
        )
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            batch = pool.submit(_relink, path, model.as_json(), config, category).result()
        say(
            f"{batch['links']} links, {batch['series']} candidate series in "
            f"{batch['relink_seconds']:.1f} s, cluster scan {batch['scan_seconds']:.1f} s; "
            "now every pair's weight, for accuracy"
        )
        scored = engines.score_table(model, pq.read_table(path))
        figures = _accuracy(scored, data)
        say(
            f"Online: indexing the store, then linking {ONLINE_SAMPLES} cases one at a time "
            "with the cluster check"
        )
        took = _online(model, IndexedStore(path), seed, config, category)
    return {
        "cases": len(data.rows),
        **_quantiles("online", took["both"]),
        **_quantiles("online_cluster", took["cluster"]),
        **_quantiles("admitted_online", took["admitted_both"]),
        **_quantiles("admitted_cluster", took["admitted"]),
        "admitted_cases": len(took["admitted"]),
        "batch_seconds": round(batch["seconds"], 1),
        "relink_seconds": round(batch["relink_seconds"], 1),
        "cluster_scan_seconds": round(batch["scan_seconds"], 1),
        "cluster_scans": batch["scanned"],
        "pairs_per_second": round(scored.num_rows / batch["relink_seconds"]),
        "peak_rss_mb": round(batch["peak_mb"]),
        "relink_peak_rss_mb": round(batch["relink_peak_mb"]),
        **{k: round(v, 4) for k, v in figures.items()},
        "pairs": scored.num_rows,
        "links_kept": batch["links"],
        "candidate_series": batch["series"],
        "cases_in_series": batch["cases_in_series"],
        "model": model.version,
        "seed": seed,
    }
