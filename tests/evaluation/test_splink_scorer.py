import numpy as np
import pandas as pd

from vigil.evaluation.crimelinkage import load_benchmark, splits
from vigil.evaluation.report import score_split
from vigil.evaluation.splink_scorer import _crimes_of, splink_scorer


def test_the_splink_model_separates_linked_from_unlinked_crimes():
    bench = load_benchmark()
    figures = score_split(splink_scorer, splits(1, bench), bench)
    assert figures["auc"] > 0.8
    assert figures["auprc"] > 0.3
    assert figures["median_first_rank"] <= 2


def test_crimes_are_recovered_from_a_wide_pair_frame():
    pairs = pd.DataFrame(
        {"crime_id_l": ["a", "a"], "x_l": [1.0, 1.0], "crime_id_r": ["b", "c"], "x_r": [2.0, 3.0]}
    )
    crimes = _crimes_of(pairs)
    assert sorted(crimes["crime_id"]) == ["a", "b", "c"]
    assert np.allclose(sorted(crimes["x"]), [1.0, 2.0, 3.0])
