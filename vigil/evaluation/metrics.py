"""Figures of pairwise linkage quality, computed from scored pairs.

A scored set is a sequence of pairs (crime_a, crime_b, linked) and one score per pair (higher
means more likely linked). Scores must be finite. Two families:

- over all pairs: ``auc`` (ROC AUC) and ``auprc`` (average precision), both scikit-learn's;
- per query crime, the analyst's view: for a crime q, every other crime in the scored set is a
  candidate, ranked by the score of its pair with q, highest first. Ties are broken against the
  candidate (the pessimistic rank): a candidate's rank is the number of candidates whose score
  is at least its own, itself included. So a model that gives every pair the same score ranks
  every candidate last, and no result depends on the order of the input.

``median_first_rank``: for each crime with at least one linked partner in the set, the best
rank of a linked partner; the median over those crimes (1 = a true link is always on top).
``top10_share``: each linked pair is counted from both ends (q -> p and p -> q); the share of
those in which the partner's rank is at most 10.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.metrics import average_precision_score, roc_auc_score

__all__ = [
    "METRICS",
    "all_metrics",
    "auc",
    "auprc",
    "median_first_rank",
    "partner_ranks",
    "top10_share",
    "top_k_share",
]

Pairs = Sequence[tuple[str, str, bool]]

#: The figures, in report order.
METRICS = ("auc", "auprc", "median_first_rank", "top10_share")

TOP_K = 10


def _check(pairs: Pairs, scores: npt.ArrayLike) -> tuple[npt.NDArray[np.bool_], Any]:
    s = np.asarray(scores, dtype=float)
    if s.shape != (len(pairs),):
        raise ValueError(f"{s.shape[0] if s.ndim else 0} scores for {len(pairs)} pairs")
    if not np.isfinite(s).all():
        raise ValueError("scores must be finite (no NaN or infinity)")
    y = np.fromiter((bool(p[2]) for p in pairs), dtype=bool, count=len(pairs))
    if y.all() or not y.any():
        raise ValueError("need both linked and unlinked pairs")
    return y, s


def auc(pairs: Pairs, scores: npt.ArrayLike) -> float:
    """Area under the ROC curve (ties count one half, as in scikit-learn)."""
    y, s = _check(pairs, scores)
    return float(roc_auc_score(y, s))


def auprc(pairs: Pairs, scores: npt.ArrayLike) -> float:
    """Average precision (scikit-learn's step-wise area under the precision-recall curve).

    Tied scores enter as one threshold, so their order does not matter.
    """
    y, s = _check(pairs, scores)
    return float(average_precision_score(y, s))


def partner_ranks(pairs: Pairs, scores: npt.ArrayLike) -> dict[str, list[int]]:
    """For each crime with a linked partner: the pessimistic ranks of its linked partners."""
    y, s = _check(pairs, scores)
    by_crime: dict[str, list[tuple[float, bool]]] = {}
    for (a, b, _), is_link, score in zip(pairs, y, s, strict=True):
        by_crime.setdefault(a, []).append((score, bool(is_link)))
        by_crime.setdefault(b, []).append((score, bool(is_link)))
    ranks: dict[str, list[int]] = {}
    for crime in sorted(by_crime):
        candidates = by_crime[crime]
        all_scores = np.sort(np.array([c[0] for c in candidates]))
        linked_scores = np.array([c[0] for c in candidates if c[1]])
        if linked_scores.size == 0:
            continue
        # rank = how many candidates score at least as high (itself included)
        at_least = all_scores.size - np.searchsorted(all_scores, linked_scores, side="left")
        ranks[crime] = sorted(int(r) for r in at_least)
    return ranks


def median_first_rank(pairs: Pairs, scores: npt.ArrayLike) -> float:
    """Median, over crimes with a linked partner, of the best rank of a linked partner."""
    ranks = partner_ranks(pairs, scores)
    return float(np.median([r[0] for r in ranks.values()]))


def top_k_share(pairs: Pairs, scores: npt.ArrayLike, k: int) -> float:
    """Share of linked pairs, counted from both ends, whose partner ranks k or better."""
    ranks = partner_ranks(pairs, scores)
    every = [r for rs in ranks.values() for r in rs]
    return float(np.mean([r <= k for r in every]))


def top10_share(pairs: Pairs, scores: npt.ArrayLike) -> float:
    """Share of linked pairs, counted from both ends, whose partner ranks in the top 10."""
    return top_k_share(pairs, scores, TOP_K)


def all_metrics(pairs: Pairs, scores: npt.ArrayLike) -> dict[str, float]:
    """The four figures of METRICS, by name."""
    return {
        "auc": auc(pairs, scores),
        "auprc": auprc(pairs, scores),
        "median_first_rank": median_first_rank(pairs, scores),
        "top10_share": top10_share(pairs, scores),
    }
