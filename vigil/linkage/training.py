"""Training the linkage model on a store's profile rows.

- **u** (how often each level occurs among pairs of unrelated deaths) is estimated by Splink's
  random sampling of pairs (``estimate_u_using_random_sampling``), seeded: unrelated pairs are
  nearly all pairs, so the store itself is the right sample. A level never seen in the sample
  gets half a count (``0.5 / pairs sampled``) instead of Splink's fixed 1e-6.
- **m** (how often each level occurs among pairs in a true series) comes from labelled pairs of
  solved series when there are any (``estimate_m_from_pairwise_labels``), smoothed towards the
  priors in :mod:`vigil.linkage.model` as ``PRIOR_PAIRS`` pseudo-pairs: with few labels the
  priors dominate, with many the labels do, and a level no label reached keeps a share of its
  prior instead of an m of zero. Without labels, m is the priors.
- **the prior probability that two cases are linked** is ``PRIOR_LINKS_PER_CASE`` links per
  case (or the labelled pairs, if more) over all pairs of the store: it depends on the store's
  size, so a model is retrained when the store grows.

Nothing here is tuned to a data set: the only inputs are the rows, the labels and the seed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import splink
from splink import DuckDBAPI, Linker

from vigil.linkage import engines, synthetic
from vigil.linkage.model import (
    FEATURES,
    MODEL_PATH,
    PRIOR_LINKS_PER_CASE,
    PRIORS,
    Model,
    save,
    settings,
)

PRIOR_PAIRS = 10.0  # weight of the m priors, in labelled pairs
U_MAX_PAIRS = 5e6  # pairs sampled to estimate u
REFERENCE_ROWS = 20_000


def prior_match_probability(rows: int, labelled: int = 0) -> float:
    """The probability that two cases of a store of ``rows`` cases are linked."""
    pairs = max(1.0, rows * (rows - 1) / 2)
    return min(0.5, max(PRIOR_LINKS_PER_CASE * rows, labelled, 1.0) / pairs)


def _levels(settings_dict: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each feature's non-null levels, most similar first (as the priors are listed)."""
    return {
        c["output_column_name"]: [
            lv for lv in c["comparison_levels"] if not lv.get("is_null_level")
        ]
        for c in settings_dict["comparisons"]
    }


def _label_counts(
    model: Model, rows: Sequence[dict[str, Any]], labels: Sequence[tuple[str, str]]
) -> dict[str, Counter[int]]:
    """How many labelled pairs fall in each level of each feature (gamma -> count)."""
    counts: dict[str, Counter[int]] = {f: Counter() for f in FEATURES}
    for pair in engines.score_pairs(model, rows, labels):
        for feature, gamma in pair.levels.items():
            counts[feature][gamma] += 1
    return counts


def _smooth_m(settings_dict: dict[str, Any], counts: dict[str, Counter[int]]) -> None:
    """m = (n * m_labels + PRIOR_PAIRS * m_prior) / (n + PRIOR_PAIRS), per feature, where n
    is the labelled pairs not at the feature's null level."""
    for feature, levels in _levels(settings_dict).items():
        n = sum(count for gamma, count in counts[feature].items() if gamma >= 0)
        for level, prior in zip(levels, PRIORS[feature], strict=True):
            learned = level.get("m_probability")  # Splink's estimate; not a number if unseen
            share = float(learned) if n and isinstance(learned, float | int) else 0.0
            level["m_probability"] = (n * share + PRIOR_PAIRS * prior) / (n + PRIOR_PAIRS)


def _floor_u(settings_dict: dict[str, Any], pairs: float) -> None:
    floor = 0.5 / pairs
    for levels in _levels(settings_dict).values():
        for level in levels:
            u = level.get("u_probability")
            if not isinstance(u, float | int) or u < floor:
                level["u_probability"] = floor


def train(
    rows: Sequence[dict[str, Any]],
    labels: Sequence[tuple[str, str]] | None = None,
    seed: int = 0,
    u_max_pairs: float = U_MAX_PAIRS,
) -> Model:
    """A model trained on ``rows`` (profile rows) and, if given, labelled pairs of cases in
    the same solved series (ids of ``rows``; pairs naming other cases are ignored)."""
    ids = {row["unique_id"] for row in rows}
    usable = sorted(
        {(a, b) if a < b else (b, a) for a, b in labels or () if a in ids and b in ids and a != b}
    )
    api = DuckDBAPI(engines.connect())
    linker = Linker(
        api.register(engines.table(rows)),
        settings(prior_match_probability(len(rows), len(usable))),
        log_level=None,
    )
    pairs = min(u_max_pairs, len(rows) * (len(rows) - 1) / 2)
    linker.training.estimate_u_using_random_sampling(
        max_pairs=pairs, seed=seed, min_count_per_level=None
    )
    if usable:
        table = pa.table(
            {"unique_id_l": [a for a, _ in usable], "unique_id_r": [b for _, b in usable]}
        )
        labelled = api.register(table)
        linker.training.estimate_m_from_pairwise_labels(labelled)  # type: ignore[no-untyped-call]
    settings_dict = linker.misc.save_model_to_json()
    settings_dict.pop("linker_uid", None)
    info: dict[str, Any] = {
        "rows": len(rows),
        "labelled_pairs": len(usable),
        "seed": seed,
        "u": f"random sampling of {pairs:.0f} pairs",
        "splink": splink.__version__,
    }
    if usable:
        counts = _label_counts(Model(settings_dict, {}), rows, usable)
        _smooth_m(settings_dict, counts)
        info["m"] = f"{len(usable)} labelled pairs, smoothed with priors ({PRIOR_PAIRS:g} pairs)"
    else:
        info["m"] = "priors (no labelled pairs)"
    _floor_u(settings_dict, pairs)
    return Model(settings_dict, info)


def train_reference(rows: int = REFERENCE_ROWS, seed: int = 0) -> Model:
    """The model shipped in ``model.json``: m from the priors, u from synthetic background
    deaths (``synthetic.generate(rows, seed)``, planted series not labelled). A store retrains
    on its own cases (``train(store_rows, solved_pairs)``) once it has a few thousand."""
    return train(synthetic.generate(rows, seed).rows, None, seed=seed)


def write(model: Model, path: Path = MODEL_PATH) -> Path:
    """Write the model as JSON (Splink's settings inside a versioned envelope)."""
    save(model, path)
    return path
