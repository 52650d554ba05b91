"""`vigil bench linkage`: speed, memory and accuracy on a seeded synthetic store with planted
series of varying strength (vigil.linkage.synthetic). It prints figures; it asserts nothing.

- batch: every blocked pair of the store scored on DuckDB (Splink's predict), keeping pairs of
  weight >= 0, as `vigil link --all` does (timed; its peak memory is the figure reported; the
  pairs per second count every blocked pair scored);
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

import numpy as np
import pyarrow as pa
from sklearn.metrics import average_precision_score, roc_auc_score

from vigil.evaluation.metrics import median_first_rank, top10_share
from vigil.linkage import blocking, engines, synthetic
from vigil.linkage.model import Model

ONLINE_SAMPLES = 200
KEEP_WEIGHT = 0.0  # what `vigil link --all` keeps by default

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
    }


def run(model: Model, cases: int, seed: int, say: Callable[[str], None]) -> dict[str, Any]:
    say(f"Generating {cases} synthetic cases (seed {seed})")
    data = synthetic.generate(cases, seed)
    store = engines.table(data.rows)
    say("Batch: scoring every blocked pair on DuckDB, keeping links (weight >= 0)")
    start = time.perf_counter()
    kept = engines.score_table(model, store, KEEP_WEIGHT)
    batch_seconds = time.perf_counter() - start
    batch_peak = _peak_mb()
    say(f"{kept.num_rows} links in {batch_seconds:.1f} s; every pair's weight, for accuracy")
    scored = engines.score_table(model, store)
    figures = _accuracy(scored, data)
    took = _online(model, data.rows, store, seed)
    return {
        "cases": len(data.rows),
        "online_p50_ms": round(statistics.median(took), 1),
        "online_p95_ms": round(statistics.quantiles(took, n=20)[18], 1),
        "batch_seconds": round(batch_seconds, 1),
        "pairs_per_second": round(scored.num_rows / batch_seconds),
        "peak_rss_mb": round(batch_peak),
        **{k: round(v, 4) for k, v in figures.items()},
        "pairs": scored.num_rows,
        "links_kept": kept.num_rows,
        "model": model.version,
        "seed": seed,
    }
