"""Run crimeserieslinkage's naive Bayes pairwise model on one split; run by the PEER venv.

Not imported by Vigil: peer.py runs it as
``<peer-venv>/bin/python peer_script.py IN.json OUT.json`` with PYTHONHASHSEED fixed. It needs
only the peer venv (crimeserieslinkage and its pinned dependencies), not Vigil.

The method is the package's own and follows the R crimelinkage vignette step by step, with the
vignette's settings; only the split differs (training pairs come from the training crimes,
scored pairs are every pair of test crimes):

    seriesData = makeSeriesData(crimes, offenders)
    allPairs = makePairs(seriesData, thres=365, m=40)
    X = compareCrimes(allPairs, crimes, varlist, binary=True)
    NB = naiveBayes(Y ~ spatial + temporal + tod + dow + MO1 + MO2 + MO3,
                    weights=weight, df=10, nbins=15, partition='quantile')
    score = predict(NB, compareCrimes(testPairs, crimes, varlist, binary=True))

Data are only adapted to the package's format: columns crimeID, X, Y, DT.FROM/DT.TO (built by
its datapreprocess from a date and an HH:MM time), MO1..MO3, a default RangeIndex. Input
timestamps come already normalised by Vigil's loader ('2400' is 00:00 of the next day).
"""

from __future__ import annotations

import json
import sys
import warnings
from importlib import metadata
from typing import Any

import crimeserieslinkage as csl
import numpy as np
import pandas as pd

VARLIST = {
    "crimeID": "crimeID",
    "spatial": ["X", "Y"],
    "temporal": ["DT.FROM", "DT.TO"],
    "categorical": ["MO1", "MO2", "MO3"],
}
VARS = ["spatial", "temporal", "tod", "dow", "MO1", "MO2", "MO3"]
PACKAGES = ("crimeserieslinkage", "numpy", "pandas", "scipy", "scikit-learn", "igraph")

# The package spells this function's name with a Cyrillic capital Es (U+0421) for its 'C'.
COMPARE_CRIMES = "compare\u0421rimes"


def crime_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Vigil's crime records -> the package's crime data, through its own datapreprocess."""
    rows = pd.DataFrame(records)
    frame = pd.DataFrame(
        {
            "crimeID": rows["crime_id"].astype(str),
            "X": rows["x"].astype(float),
            "Y": rows["y"].astype(float),
            "DT.FROM": rows["dt_from"].str[:10],
            "a.DT.FROM": rows["dt_from"].str[11:16],
            "DT.TO": rows["dt_to"].str[:10],
            "a.DT.TO": rows["dt_to"].str[11:16],
            "MO1": rows["mo1"],
            "MO2": rows["mo2"],
            "MO3": rows["mo3"],
        }
    )
    return csl.datapreprocess(frame).reset_index(drop=True)


def run(job: dict[str, Any]) -> dict[str, Any]:
    compare_crimes = getattr(csl, COMPARE_CRIMES)
    train = crime_frame(job["train_crimes"])
    test = crime_frame(job["test_crimes"])
    offenders = pd.DataFrame(job["train_offenders"], columns=["offenderID", "crimeID"])

    series = csl.makeSeriesData(train, offenders)
    all_pairs = csl.makePairs(series, thres=365, m=40, seed=job["seed"]).reset_index(drop=True)
    evidence = compare_crimes(all_pairs, train, varlist=VARLIST, binary=True)
    y = pd.DataFrame({"Y": np.where(all_pairs["type"] == "linked", 1, 0)})
    data = pd.concat([evidence, y], axis=1)
    model = csl.naiveBayes(data, VARS, df=10, nbins=15, partition="quantile")

    pairs = pd.DataFrame(job["test_pairs"], columns=["i1", "i2"])
    test_evidence = compare_crimes(pairs, test, varlist=VARLIST, binary=True)
    scores = csl.predictnaiveBayes(model, test_evidence[VARS], var=VARS)
    return {
        "scores": [float(s) for s in scores],
        "train_pairs": {
            "linked": int((all_pairs["type"] == "linked").sum()),
            "unlinked": int((all_pairs["type"] == "unlinked").sum()),
        },
        "versions": {
            "python": sys.version.split()[0],
            **{name: metadata.version(name) for name in PACKAGES},
        },
    }


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: peer_script.py IN.json OUT.json", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        job = json.load(handle)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the package's pandas deprecation warnings
        result = run(job)
    with open(argv[2], "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
