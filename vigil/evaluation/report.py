"""Figures for any pairwise scorer and for the peer, on the same offender-group splits.

A scorer is ``score(train_crimes, train_pairs, test_pairs) -> scores`` (one per test pair):

- ``train_crimes``: the training crimes (columns CRIME_COLUMNS of crimelinkage.py);
- ``train_pairs``: labelled training pairs, one row per pair: ``crime_id_l``, ``crime_id_r``,
  every other crime column suffixed ``_l`` / ``_r`` (Splink's convention), and ``linked``;
- ``test_pairs``: every pair of test crimes in the same wide form, without ``linked``.

Higher scores mean more likely linked. The figures (metrics.py) are computed per seed, then
summarised as mean and sample standard deviation (n - 1) over the seeds.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from vigil.evaluation.crimelinkage import (
    CRIME_COLUMNS,
    Benchmark,
    Pair,
    Split,
    load_benchmark,
    splits,
    test_pairs,
    train_pairs,
)
from vigil.evaluation.metrics import METRICS, all_metrics
from vigil.evaluation.peer import peer_env, run_peer

__all__ = [
    "SEEDS",
    "Scorer",
    "crimelinkage_report",
    "evaluate_peer",
    "evaluate_scorer",
    "pair_frame",
    "split_facts",
    "summarise",
]

Scorer = Callable[[pd.DataFrame, pd.DataFrame, pd.DataFrame], npt.ArrayLike]

SEEDS = range(5)


def pair_frame(pairs: Sequence[Pair], crimes: pd.DataFrame, *, labels: bool) -> pd.DataFrame:
    """Pairs as one wide row each: the columns of both crimes, suffixed _l and _r."""
    frame = pd.DataFrame(list(pairs), columns=["crime_id_l", "crime_id_r", "linked"])
    table = crimes[list(CRIME_COLUMNS)]
    for side in ("l", "r"):
        renamed = table.rename(columns={c: f"{c}_{side}" for c in CRIME_COLUMNS})
        frame = frame.merge(renamed, on=f"crime_id_{side}", how="left", validate="many_to_one")
    columns = ["crime_id_l", "crime_id_r"]
    columns += [f"{c}_{s}" for c in CRIME_COLUMNS[1:] for s in ("l", "r")]
    return frame[[*columns, "linked"]] if labels else frame[columns]


def _crimes(benchmark: Benchmark, ids: tuple[str, ...]) -> pd.DataFrame:
    crimes = benchmark.crimes
    return crimes[crimes["crime_id"].isin(set(ids))].reset_index(drop=True).copy()


def split_facts(split: Split, benchmark: Benchmark) -> dict[str, int]:
    """Sizes of one split, for the report."""
    pairs = test_pairs(split, benchmark)
    return {
        "seed": split.seed,
        "train_crimes": len(split.train_crimes),
        "test_crimes": len(split.test_crimes),
        "test_pairs": len(pairs),
        "test_linked_pairs": sum(p[2] for p in pairs),
    }


def summarise(per_seed: list[dict[str, float]]) -> dict[str, dict[str, Any]]:
    """{metric: {mean, sd, per_seed}}; sd is None for a single seed."""
    out: dict[str, dict[str, Any]] = {}
    for name in METRICS:
        values = [run[name] for run in per_seed]
        out[name] = {
            "mean": statistics.fmean(values),
            "sd": statistics.stdev(values) if len(values) > 1 else None,
            "per_seed": values,
        }
    return out


def score_split(scorer: Scorer, split: Split, benchmark: Benchmark) -> dict[str, float]:
    """Train and score one split with scorer; its four figures."""
    pairs = test_pairs(split, benchmark)
    train = _crimes(benchmark, split.train_crimes)
    test = _crimes(benchmark, split.test_crimes)
    scores = np.asarray(
        scorer(
            train,
            pair_frame(train_pairs(split, benchmark), train, labels=True),
            pair_frame(pairs, test, labels=False),
        ),
        dtype=float,
    )
    return all_metrics(pairs, scores)


def evaluate_scorer(
    scorer: Scorer, seeds: Iterable[int] = SEEDS, benchmark: Benchmark | None = None
) -> dict[str, Any]:
    """The figures of any scorer over seeds: {metric: {mean, sd, per_seed}}."""
    bench = benchmark or load_benchmark()
    return summarise([score_split(scorer, splits(s, bench), bench) for s in seeds])


def evaluate_peer(
    seeds: Iterable[int] = SEEDS,
    benchmark: Benchmark | None = None,
    venv: Path | None = None,
) -> dict[str, Any]:
    """The peer's figures over seeds, plus ``peer_env`` (versions, pins, workarounds)."""
    bench = benchmark or load_benchmark()
    per_seed: list[dict[str, float]] = []
    versions: dict[str, str] = {}
    train: list[dict[str, int]] = []
    for seed in seeds:
        split = splits(seed, bench)
        pairs = test_pairs(split, bench)
        run = run_peer(split, pairs, benchmark=bench, venv=venv)
        per_seed.append(all_metrics(pairs, run.scores))
        versions = run.versions
        train.append({"seed": seed, **run.train_pairs})
    env = peer_env(versions)
    env["train_pairs"] = train
    return {**summarise(per_seed), "peer_env": env}


def crimelinkage_report(
    vigil: Scorer,
    seeds: Iterable[int] = SEEDS,
    benchmark: Benchmark | None = None,
    venv: Path | None = None,
) -> dict[str, Any]:
    """What `vigil evaluate crimelinkage --json` prints: vigil, peer, peer_env and the splits."""
    bench = benchmark or load_benchmark()
    seeds = list(seeds)
    peer = evaluate_peer(seeds, bench, venv)
    return {
        "benchmark": "crimelinkage example (fictitious), offender-group splits, test share 0.3",
        "seeds": seeds,
        "splits": [split_facts(splits(s, bench), bench) for s in seeds],
        "vigil": evaluate_scorer(vigil, seeds, bench),
        "peer": {k: v for k, v in peer.items() if k != "peer_env"},
        "peer_env": peer["peer_env"],
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Print the peer's figures as JSON: python -m vigil.evaluation [--seeds 0 1 2 3 4]."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    args = parser.parse_args(argv)
    bench = load_benchmark()
    out = {
        "seeds": args.seeds,
        "splits": [split_facts(splits(s, bench), bench) for s in args.seeds],
        "peer": evaluate_peer(args.seeds, bench),
    }
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
