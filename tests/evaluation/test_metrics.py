"""The figures on tiny hand-computed cases, ties included (pessimistic ranks)."""

from __future__ import annotations

import math

import pytest

from vigil.evaluation import metrics as m

# Crimes A-D; each case: pairs with labels, scores, expected figures (worked out by hand).
DISTINCT = (
    [
        ("A", "B", True),
        ("A", "C", False),
        ("A", "D", False),
        ("B", "C", False),
        ("B", "D", True),
        ("C", "D", False),
    ],
    [0.9, 0.8, 0.1, 0.2, 0.7, 0.3],
    # AUC: 0.9 beats 4 negatives, 0.7 beats 3 -> 7/8. AP: P=1 at R=.5, P=2/3 at R=1.
    # First ranks: A->B 1, B->A 1 (B->D 2), D->B 1; C has no link. Top-1: 3 of 4 ends.
    {"auc": 7 / 8, "auprc": 0.5 + 0.5 * 2 / 3, "median_first_rank": 1.0, "top1": 3 / 4},
)
TIED = (
    [
        ("A", "B", True),
        ("A", "C", False),
        ("A", "D", False),
        ("B", "C", False),
        ("B", "D", False),
        ("C", "D", True),
    ],
    [0.5, 0.5, 0.1, 0.0, 0.0, 0.2],
    # AUC: 0.5 ties one negative (half) and beats 3; 0.2 beats 3 -> 6.5/8.
    # AP: threshold .5 gives P=1/2 at R=1/2; .2 gives P=2/3 at R=1 -> .25 + 1/3.
    # Ranks: A->B 2 (tied with C, pessimistic), B->A 1, C->D 2, D->C 1 -> median 1.5.
    {"auc": 6.5 / 8, "auprc": 0.25 + 1 / 3, "median_first_rank": 1.5, "top1": 2 / 4},
)
ALL_EQUAL = (
    DISTINCT[0],
    [0.5] * 6,
    # Everything tied: every candidate ranks last (3 of 3); AP is the prevalence.
    {"auc": 0.5, "auprc": 2 / 6, "median_first_rank": 3.0, "top1": 0.0},
)
TIED_LINKS = (
    [
        ("A", "B", True),
        ("A", "C", True),
        ("A", "D", False),
        ("B", "C", True),
        ("B", "D", False),
        ("C", "D", False),
    ],
    [0.5, 0.5, 0.1, 0.9, 0.0, 0.0],
    # A's two links tie: both rank 2, so A's first rank is 2. B: C 1, A 2. C: B 1, A 2.
    # AUC: all positives beat all negatives -> 1. AP: 1. Top-1: B->C and C->B of 6 ends.
    {"auc": 1.0, "auprc": 1.0, "median_first_rank": 1.0, "top1": 2 / 6},
)
CASES = {"distinct": DISTINCT, "tied": TIED, "all_equal": ALL_EQUAL, "tied_links": TIED_LINKS}


@pytest.mark.parametrize("name", CASES)
def test_hand_computed_case(name: str) -> None:
    pairs, scores, want = CASES[name]
    assert m.auc(pairs, scores) == pytest.approx(want["auc"])
    assert m.auprc(pairs, scores) == pytest.approx(want["auprc"])
    assert m.median_first_rank(pairs, scores) == want["median_first_rank"]
    assert m.top_k_share(pairs, scores, 1) == pytest.approx(want["top1"])
    assert m.top10_share(pairs, scores) == 1.0  # at most 3 candidates each


def test_tied_links_ranks() -> None:
    pairs, scores, _ = TIED_LINKS
    assert m.partner_ranks(pairs, scores) == {"A": [2, 2], "B": [1, 2], "C": [1, 2]}


def test_figures_do_not_depend_on_pair_order() -> None:
    pairs, scores, _ = TIED
    flipped = [(b, a, y) for a, b, y in reversed(pairs)]
    assert m.all_metrics(flipped, list(reversed(scores))) == m.all_metrics(pairs, scores)


def test_top10_counts_both_ends_and_ties_against_the_partner() -> None:
    # Query Q with 12 candidates: L (linked) ties with 10 others at 1.0, one scores 2.0.
    others = [f"U{i}" for i in range(11)]
    pairs = [("Q", "L", True)] + [("Q", o, False) for o in others]
    scores = [1.0] + [1.0] * 10 + [2.0]
    # Q->L: 12 candidates score >= 1.0, so rank 12; L->Q: L's only candidate, rank 1.
    assert m.partner_ranks(pairs, scores)["Q"] == [12]
    assert m.top10_share(pairs, scores) == 0.5
    assert m.median_first_rank(pairs, scores) == pytest.approx((12 + 1) / 2)


def test_all_metrics_names() -> None:
    pairs, scores, _ = DISTINCT
    assert tuple(m.all_metrics(pairs, scores)) == m.METRICS


@pytest.mark.parametrize(
    ("scores", "message"),
    [([0.1] * 5, "5 scores for 6 pairs"), ([0.1] * 5 + [math.nan], "finite")],
)
def test_bad_scores_are_refused(scores: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        m.auc(DISTINCT[0], scores)


def test_one_class_is_refused() -> None:
    with pytest.raises(ValueError, match="both"):
        m.auc([("A", "B", False), ("A", "C", False)], [0.1, 0.2])
