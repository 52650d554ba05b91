"""Measuring linkage quality on benchmarks the model was not tuned on.

crimelinkage: the R package's example data, split by offender groups over seeds; the peer is
PyPI's crimeserieslinkage, run in a venv of its own (see README.md here). Figures: metrics.py.
"""

from vigil.evaluation.crimelinkage import (
    Benchmark,
    Pair,
    Split,
    load_benchmark,
    splits,
    test_pairs,
    train_pairs,
)
from vigil.evaluation.metrics import METRICS, all_metrics
from vigil.evaluation.peer import PeerError, PeerRun, run_peer
from vigil.evaluation.report import (
    Scorer,
    crimelinkage_report,
    evaluate_peer,
    evaluate_scorer,
    pair_frame,
)

__all__ = [
    "METRICS",
    "Benchmark",
    "Pair",
    "PeerError",
    "PeerRun",
    "Scorer",
    "Split",
    "all_metrics",
    "crimelinkage_report",
    "evaluate_peer",
    "evaluate_scorer",
    "load_benchmark",
    "pair_frame",
    "run_peer",
    "splits",
    "test_pairs",
    "train_pairs",
]
