"""A SANITY-CHECK baseline scorer for the evaluation harness. It is NOT Vigil's linkage model.

Logistic regression (scikit-learn) on plain pair features: log distance, log days between the
crimes' midpoints, circular time-of-day difference, and MO1..MO3 equal or not. It exists to show
that the harness rewards a sensible scorer; it is never reported as Vigil's figures.

    .venv/bin/python -m tests.evaluation.baseline [--seeds 0 1 2 3 4]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from vigil.evaluation.report import SEEDS, evaluate_scorer


def features(pairs: pd.DataFrame) -> npt.NDArray[np.float64]:
    km = np.hypot(pairs["x_l"] - pairs["x_r"], pairs["y_l"] - pairs["y_r"]) / 1000
    mid_l = pairs["dt_from_l"] + (pairs["dt_to_l"] - pairs["dt_from_l"]) / 2
    mid_r = pairs["dt_from_r"] + (pairs["dt_to_r"] - pairs["dt_from_r"]) / 2
    hours = (mid_l - mid_r).dt.total_seconds().abs() / 3600
    tod = np.minimum(hours % 24, 24 - hours % 24)
    columns = [np.log1p(km), np.log1p(hours / 24), tod]
    for mo in ("mo1", "mo2", "mo3"):
        same = (pairs[f"{mo}_l"] == pairs[f"{mo}_r"]) & pairs[f"{mo}_l"].notna()
        columns.append(same.astype(float))
    return np.column_stack([np.asarray(c, dtype=float) for c in columns])


def logistic_baseline(
    train_crimes: pd.DataFrame, train_pairs: pd.DataFrame, test_pairs: pd.DataFrame
) -> npt.NDArray[np.float64]:
    """Fit on the labelled training pairs; score the test pairs (log-odds)."""
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    model.fit(features(train_pairs), train_pairs["linked"].to_numpy(dtype=bool))
    return np.asarray(model.decision_function(features(test_pairs)), dtype=float)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sanity-check baseline figures as JSON.")
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    args = parser.parse_args(argv)
    print(json.dumps({"baseline": evaluate_scorer(logistic_baseline, args.seeds)}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
