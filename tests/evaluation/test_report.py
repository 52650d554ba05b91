"""The scorer harness: what a scorer is given, and the figures it gets (no peer here)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from tests.evaluation.baseline import logistic_baseline
from vigil.evaluation import crimelinkage as cl
from vigil.evaluation import report
from vigil.evaluation.metrics import METRICS


@pytest.fixture(scope="module")
def bench() -> cl.Benchmark:
    return cl.load_benchmark()


def test_pair_frame_is_wide_with_l_and_r_columns(bench: cl.Benchmark) -> None:
    pairs = [("C:1", "C:3", False), ("C:2", "C:3", True)]
    frame = report.pair_frame(pairs, bench.crimes, labels=True)
    assert list(frame["crime_id_l"]) == ["C:1", "C:2"]
    assert list(frame["linked"]) == [False, True]
    assert frame.loc[0, "x_l"] == 13661.1
    assert frame.loc[1, "x_r"] == frame.loc[0, "x_r"]
    assert {"dt_from_l", "dt_to_r", "mo1_l", "mo3_r"} <= set(frame.columns)
    assert "linked" not in report.pair_frame(pairs, bench.crimes, labels=False).columns


def test_scorer_sees_training_data_and_unlabelled_test_pairs(bench: cl.Benchmark) -> None:
    seen: dict[str, Any] = {}

    def spy(train: pd.DataFrame, train_pairs: pd.DataFrame, test: pd.DataFrame) -> np.ndarray:
        seen.update(train=train, train_pairs=train_pairs, test=test)
        return np.asarray(-np.hypot(test["x_l"] - test["x_r"], test["y_l"] - test["y_r"]))

    figures = report.evaluate_scorer(spy, seeds=[3], benchmark=bench)
    split = cl.splits(3, bench)
    assert tuple(seen["train"]["crime_id"]) == split.train_crimes
    assert "linked" in seen["train_pairs"].columns
    assert "linked" not in seen["test"].columns
    assert len(seen["test"]) == len(cl.test_pairs(split, bench))
    assert set(seen["test"]["crime_id_l"]) <= set(split.test_crimes)
    assert figures["auc"]["per_seed"][0] > 0.6  # nearby crimes are more often linked
    assert figures["auc"]["sd"] is None


def test_constant_scorer_gets_chance_and_last_ranks(bench: cl.Benchmark) -> None:
    def constant(train: pd.DataFrame, pairs: pd.DataFrame, test: pd.DataFrame) -> np.ndarray:
        return np.zeros(len(test))

    figures = report.evaluate_scorer(constant, seeds=[0, 1], benchmark=bench)
    n_test = [len(cl.splits(s, bench).test_crimes) for s in (0, 1)]
    assert figures["auc"]["mean"] == 0.5
    assert figures["median_first_rank"]["per_seed"] == [n - 1.0 for n in n_test]
    assert figures["top10_share"]["mean"] == 0.0
    assert figures["auc"]["sd"] == 0.0


def test_sanity_baseline_beats_chance_on_every_seed(bench: cl.Benchmark) -> None:
    figures = report.evaluate_scorer(logistic_baseline, benchmark=bench)
    assert set(figures) == set(METRICS)
    assert len(figures["auc"]["per_seed"]) == 5
    assert min(figures["auc"]["per_seed"]) > 0.7
    assert figures["auprc"]["mean"] > 0.1


def test_summarise_mean_and_sample_sd() -> None:
    runs = [dict.fromkeys(METRICS, v) for v in (1.0, 2.0, 3.0)]
    out = report.summarise(runs)
    assert out["auc"] == {"mean": 2.0, "sd": 1.0, "per_seed": [1.0, 2.0, 3.0]}
