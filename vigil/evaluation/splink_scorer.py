"""Vigil's method on the crimelinkage benchmark: a Splink (Fellegi-Sunter) model on DuckDB.

The same method as Vigil's linkage of deaths, on the benchmark's own columns: u-probabilities
by random sampling among the training crimes, m-probabilities from the training crimes' solved
series (pairwise labels), term-frequency adjustment on the modus operandi codes so that a rare
shared MO weighs more than a common one. Distance and time thresholds are quantiles of the
training pairs (nothing is set by hand for this data set).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator

QUANTILES = (0.01, 0.05, 0.2, 0.5)
HOURS_OF_DAY = (1.0, 3.0, 6.0)


def _prepare(crimes: pd.DataFrame) -> pd.DataFrame:
    """One row per crime: position, the middle of its time window, its hour of the day."""
    mid = crimes["dt_from"] + (crimes["dt_to"] - crimes["dt_from"]) / 2
    return pd.DataFrame(
        {
            "unique_id": crimes["crime_id"].astype(str),
            "x": crimes["x"].astype(float),
            "y": crimes["y"].astype(float),
            "day": (mid - pd.Timestamp("1970-01-01")).dt.total_seconds() / 86400,
            "hour": mid.dt.hour + mid.dt.minute / 60,
            "mo1": crimes["mo1"].astype("string"),
            "mo2": crimes["mo2"].astype("string"),
            "mo3": crimes["mo3"].astype("string"),
        }
    )


def _crimes_of(pairs: pd.DataFrame) -> pd.DataFrame:
    """The crimes a wide pair frame mentions, one row each."""
    sides = []
    for side in ("l", "r"):
        cols = {c: c.removesuffix(f"_{side}") for c in pairs.columns if c.endswith(f"_{side}")}
        sides.append(pairs[list(cols)].rename(columns=cols))
    return pd.concat(sides).drop_duplicates("crime_id").reset_index(drop=True)


def _thresholds(values: npt.NDArray[np.float64]) -> list[float]:
    cuts = sorted({round(float(np.quantile(values, q)), 3) for q in QUANTILES})
    return [c for c in cuts if c > 0] or [1.0]


def _range_levels(sql: str, cuts: list[float], label: str) -> cl.CustomComparison:
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [
        cll.NullLevel("x" if label == "distance" else "day")
    ]
    levels += [cll.CustomLevel(f"{sql} <= {cut}", f"{label} <= {cut}") for cut in cuts]
    levels.append(cll.ElseLevel())
    return cl.CustomComparison(comparison_levels=levels, output_column_name=label)


def settings(train: pd.DataFrame, prior: float) -> SettingsCreator:
    ids = np.arange(len(train))
    a, b = np.triu_indices(len(ids), k=1)
    km = np.hypot(
        train["x"].to_numpy()[a] - train["x"].to_numpy()[b],
        train["y"].to_numpy()[a] - train["y"].to_numpy()[b],
    )
    days = np.abs(train["day"].to_numpy()[a] - train["day"].to_numpy()[b])
    distance = "sqrt(pow(x_l - x_r, 2) + pow(y_l - y_r, 2))"
    gap = "abs(hour_l - hour_r)"
    hour_levels: list[ComparisonLevelCreator | dict[str, Any]] = [cll.NullLevel("hour")]
    hour_levels += [
        cll.CustomLevel(f"least({gap}, 24 - {gap}) <= {h}", f"within {h} h") for h in HOURS_OF_DAY
    ]
    hour_levels.append(cll.ElseLevel())
    return SettingsCreator(
        link_type="dedupe_only",
        probability_two_random_records_match=prior,
        comparisons=[
            _range_levels(distance, _thresholds(km), "distance"),
            _range_levels("abs(day_l - day_r)", _thresholds(days), "days"),
            cl.CustomComparison(comparison_levels=hour_levels, output_column_name="hour"),
            *(
                cl.ExactMatch(mo).configure(term_frequency_adjustments=True)
                for mo in ("mo1", "mo2", "mo3")
            ),
        ],
        blocking_rules_to_generate_predictions=[{"blocking_rule": "1=1"}],
        retain_intermediate_calculation_columns=False,
    )


def splink_scorer(
    train_crimes: pd.DataFrame, train_pairs: pd.DataFrame, test_pairs: pd.DataFrame
) -> npt.NDArray[np.float64]:
    """The harness's scorer: train on the training crimes, score every test pair."""
    train = _prepare(train_crimes)
    linked = train_pairs[train_pairs["linked"]]
    prior = max(len(linked), 1) / max(len(train_pairs), 1)
    db = DuckDBAPI()
    linker = Linker(db.register(train), settings(train, prior), log_level="WARNING")
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    labels = pd.DataFrame(
        {
            "unique_id_l": linked["crime_id_l"].astype(str),
            "unique_id_r": linked["crime_id_r"].astype(str),
        }
    )
    linker.table_management.register_table(labels, "labels", overwrite=True)
    linker.training.estimate_m_from_pairwise_labels("labels")  # type: ignore[no-untyped-call]
    model = linker.misc.save_model_to_json()
    test = _prepare(_crimes_of(test_pairs))
    tested = DuckDBAPI()
    scorer = Linker(tested.register(test), model, log_level="WARNING")
    scored = scorer.inference.predict().as_pandas_dataframe()  # type: ignore[no-untyped-call]
    weights = {
        frozenset((str(a), str(b))): w
        for a, b, w in zip(
            scored["unique_id_l"], scored["unique_id_r"], scored["match_weight"], strict=True
        )
    }
    return np.array(
        [
            weights[frozenset((str(a), str(b)))]
            for a, b in zip(test_pairs["crime_id_l"], test_pairs["crime_id_r"], strict=True)
        ],
        dtype=float,
    )
