"""`vigil bench linkage`: speed, memory and accuracy on a seeded synthetic store with planted
series of varying strength (vigil.linkage.synthetic). It prints figures; it asserts nothing.

- batch: every blocked pair of the store scored on DuckDB (Splink's predict), as
  `vigil link --all` does;
- online: a case taken out of the store and linked as if new: candidates chosen from the store
  (held in DuckDB) by the blocking rules' boxes and shared identifiers or rare substances,
  filtered exactly by the rules, then scored;
- accuracy: over the blocked pairs, with every planted pair the rules did not block counted as
  a miss (scored below everything).
"""

from __future__ import annotations

import random
import resource
import statistics
import time
from collections.abc import Callable
from typing import Any

import pyarrow as pa

from vigil.evaluation.metrics import all_metrics
from vigil.linkage import blocking, engines, synthetic
from vigil.linkage.model import Model

ONLINE_SAMPLES = 200

_CANDIDATES = """
SELECT * FROM store WHERE unique_id <> $id AND (
    (abs(latitude - $lat) <= $area_lat AND abs(longitude - $lon) <= $area_lon
        AND abs(found_day - $day) <= $place_days)
    OR len(list_intersect(identifiers, $identifiers)) > 0
    OR (abs(latitude - $lat) <= $region_lat AND abs(longitude - $lon) <= $region_lon
        AND abs(found_day - $day) <= $region_days
        AND len(list_intersect(rare_substances, $rare)) > 0)
)
"""


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _online(model: Model, rows: list[dict[str, Any]], store: pa.Table, seed: int) -> list[float]:
    con = engines.connect(threads=1)
    con.register("store", store)
    params = {
        "area_lat": blocking.AREA.lat,
        "area_lon": blocking.AREA.lon,
        "place_days": blocking.PLACE.days,
        "region_lat": blocking.REGION.lat,
        "region_lon": blocking.REGION.lon,
        "region_days": blocking.REGION.days,
    }
    took = []
    for new in random.Random(seed).sample(rows, min(ONLINE_SAMPLES, len(rows))):
        start = time.perf_counter()
        found = (
            con.sql(
                _CANDIDATES,
                params={
                    **params,
                    "id": new["unique_id"],
                    "lat": new["latitude"],
                    "lon": new["longitude"],
                    "day": new["found_day"],
                    "identifiers": new["identifiers"],
                    "rare": new["rare_substances"],
                },
            )
            .to_arrow_table()
            .to_pylist()
        )
        candidates = [row for row in found if blocking.admits(new, row)]
        engines.score_one(model, new, candidates)
        took.append((time.perf_counter() - start) * 1000)
    return took


def run(model: Model, cases: int, seed: int, say: Callable[[str], None]) -> dict[str, Any]:
    say(f"Generating {cases} synthetic cases (seed {seed})")
    data = synthetic.generate(cases, seed)
    store = engines.table(data.rows)
    say("Batch: scoring every blocked pair on DuckDB")
    start = time.perf_counter()
    scored = engines.score_table(model, store)
    batch_seconds = time.perf_counter() - start
    say(f"{scored.num_rows} pairs in {batch_seconds:.1f} s; online: {ONLINE_SAMPLES} cases")
    ids = scored.column("unique_id_l").to_pylist(), scored.column("unique_id_r").to_pylist()
    weights = scored.column("match_weight").to_pylist()
    truth = data.true_pairs()
    pairs = [(a, b, (a, b) in truth) for a, b in zip(*ids, strict=True)]
    blocked = {(a, b) for a, b, _ in pairs}
    missed = [(a, b, True) for a, b in truth - blocked]
    floor = min(weights, default=0.0) - 10
    figures = all_metrics(pairs + missed, weights + [floor] * len(missed))
    took = _online(model, data.rows, store, seed)
    return {
        "cases": len(data.rows),
        "online_p50_ms": round(statistics.median(took), 1),
        "online_p95_ms": round(statistics.quantiles(took, n=20)[18], 1),
        "batch_seconds": round(batch_seconds, 1),
        "pairs_per_second": round(scored.num_rows / batch_seconds),
        "peak_rss_mb": round(_peak_mb()),
        **{k: round(v, 4) for k, v in figures.items()},
        "pairs": scored.num_rows,
        "true_pairs": len(truth),
        "true_pairs_not_blocked": len(missed),
        "model": model.version,
        "seed": seed,
    }
