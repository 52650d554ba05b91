"""Training the linkage model on a store's profile rows.

- **u** (how often each level occurs among pairs of unrelated deaths) is estimated by Splink's
  random sampling of pairs (``estimate_u_using_random_sampling``), seeded: unrelated pairs are
  nearly all pairs, so the store itself is the right sample. A level never seen in the sample
  gets half a count (``0.5 / pairs sampled``) instead of Splink's fixed 1e-6; a level of a
  frequency band at least the square of the band's lower bound (:func:`band_floors`).
- **m** (how often each level occurs among pairs in a true series) comes from labelled pairs of
  solved series when there are any (``estimate_m_from_pairwise_labels``), smoothed towards the
  priors in :mod:`vigil.linkage.model` as ``PRIOR_PAIRS`` pseudo-pairs: with few labels the
  priors dominate, with many the labels do, and a level no label reached keeps a share of its
  prior instead of an m of zero. Without labels, m is the priors.
- **no prior odds**: the prior probability that two cases are linked is fixed at one half
  (``model.EVIDENCE_ONLY``), so the match weight is the features' evidence alone and does not
  change with the store's size.
- **the alert threshold** is calibrated (:func:`calibrate`): every pair the blocking rules
  admit in a background of unrelated deaths is scored, and the threshold is the lowest weight
  (to 0.1) at which at most ``false_alerts_per_100`` of them per 100 cases would alert; the
  keep threshold likewise, at most ``LINKS_PER_100`` stored links per 100 cases (without a
  prior most blocked pairs carry some evidence, and a store keeps what an analyst may browse,
  not all of them). Both are saved in model.json beside the m and u values.

Nothing here is tuned to a data set: the only inputs are the rows, the labels and the seed.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import splink
from splink import DuckDBAPI, Linker

from vigil.config.env import FALSE_ALERTS_PER_100
from vigil.linkage import engines, synthetic, timeline
from vigil.linkage.features import FIRST_NAME_BANDS, SUBSTANCE_BANDS
from vigil.linkage.frequency import Frequencies
from vigil.linkage.model import (
    FEATURES,
    MODEL_PATH,
    PRIORS,
    Calibration,
    Model,
    load,
    save,
    settings,
)

PRIOR_PAIRS = 10.0  # weight of the m priors, in labelled pairs
U_MAX_PAIRS = 5e6  # pairs sampled to estimate u
REFERENCE_ROWS = 20_000
LINKS_PER_100 = 50.0  # unrelated pairs kept as links per 100 cases (the keep threshold)
CALIBRATION_SEED = 1  # the reference model is calibrated on another world than its u


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


def band_floors() -> dict[str, tuple[float, ...]]:
    """The least u of each level of a frequency-banded feature: sharing a value found in at
    least a share p of deaths happens to two random deaths at least p * p of the time, so
    a band no sampled pair reached is not scored as if impossible."""
    lower = (0.0, *SUBSTANCE_BANDS)
    floors = {"substance": tuple(p * p for p in lower)}
    floors["text_names"] = (0.0, *(p * p for p in (0.0, *FIRST_NAME_BANDS)))
    return floors


def _unseen_from_reference(
    settings_dict: dict[str, Any], reference: Path = MODEL_PATH
) -> list[str]:
    """A feature none of whose levels was seen among the sampled pairs (a scene flag no case
    of the store has: no body recorded as moved) has no u to learn: its u values are taken
    from the shipped reference model (else equal to m: no evidence either way), not floored,
    which would make one case with the flag weigh as if unrelated pairs never had it. Returns
    the features so filled."""
    known = _levels(load(reference).splink_settings) if reference.exists() else {}
    filled = []
    for feature, levels in _levels(settings_dict).items():
        if any(isinstance(level.get("u_probability"), float | int) for level in levels):
            continue
        theirs = known.get(feature, [])
        for i, level in enumerate(levels):
            u = theirs[i].get("u_probability") if i < len(theirs) else None
            level["u_probability"] = u if isinstance(u, float | int) else level["m_probability"]
        filled.append(feature)
    return filled


def _floor_u(settings_dict: dict[str, Any], pairs: float) -> None:
    """u at least half a sampled pair, and at least the band floor (:func:`band_floors`)."""
    floor = 0.5 / pairs
    floors = band_floors()
    for feature, levels in _levels(settings_dict).items():
        least = floors.get(feature, ())
        for i, level in enumerate(levels):
            u = level.get("u_probability")
            bound = max(floor, least[i] if i < len(least) else 0.0)
            if not isinstance(u, float | int) or u < bound:
                level["u_probability"] = bound


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
        settings(),
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
    unseen = _unseen_from_reference(settings_dict)
    if unseen:
        info["u_from_reference"] = unseen
    _floor_u(settings_dict, pairs)
    return Model(settings_dict, info)


def _ordered(pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    return {(a, b) if a < b else (b, a) for a, b in pairs}


def _lowest(weights: Sequence[float], per_100: float, cases: int) -> float:
    """The lowest weight (to 0.1, not below 0) that at most ``per_100`` of ``weights`` (sorted
    strongest first) per 100 cases reach."""
    allowed = math.floor(per_100 * cases / 100)
    if allowed >= len(weights):
        return 0.0
    return max(0.0, math.floor(weights[allowed] * 10) / 10 + 0.1)


def _strongest_over_versions(
    model: Model, rows: Sequence[dict[str, Any]], versions: Sequence[timeline.Version]
) -> dict[tuple[str, str], float]:
    """Each pair of cases' strongest weight over the pairs of their versions that stood at the
    same time (a replay alerts a pair at the first such moment it reaches the threshold); the
    versions scored with the frequencies of ``rows`` (the cases as they are now). Kept in
    Arrow and pandas columns: a background's versions make millions of blocked pairs."""
    frequencies = Frequencies.of_rows(rows)
    scored = [{**frequencies.annotate(v.profile.row), "unique_id": v.id} for v in versions]
    columns = ["unique_id_l", "unique_id_r", "match_weight"]
    pairs = engines.score_table(model, scored).select(columns).to_pandas()
    never = pd.Timestamp.max.tz_localize("UTC")
    meta = pd.DataFrame(
        {
            "id": [v.id for v in versions],
            "ref": [v.reference for v in versions],
            "start": pd.to_datetime([v.start for v in versions], utc=True),
            "end": pd.to_datetime([v.end or never for v in versions], utc=True),
        }
    ).set_index("id")
    left, right = meta.loc[pairs["unique_id_l"]], meta.loc[pairs["unique_id_r"]]
    stood = (
        (left["ref"].to_numpy() != right["ref"].to_numpy())
        & (left["start"].to_numpy() < right["end"].to_numpy())
        & (right["start"].to_numpy() < left["end"].to_numpy())
    )
    a, b = left["ref"].to_numpy()[stood], right["ref"].to_numpy()[stood]
    frame = pd.DataFrame(
        {
            "a": np.where(a < b, a, b),
            "b": np.where(a < b, b, a),
            "w": pairs["match_weight"].to_numpy()[stood],
        }
    )
    best = frame.groupby(["a", "b"], sort=False)["w"].max()
    return {(str(x), str(y)): float(w) for (x, y), w in best.items()}


def calibrate(
    model: Model,
    rows: Sequence[dict[str, Any]],
    links: Iterable[tuple[str, str]] = (),
    false_alerts_per_100: float = FALSE_ALERTS_PER_100,
    background: str = "",
    versions: Sequence[timeline.Version] | None = None,
) -> Model:
    """``model`` with its alert threshold measured on ``rows`` (annotated profile rows of a
    background; ``links``: pairs of it that are truly linked, left out): the lowest weight,
    to 0.1 and not below 0, at which the other pairs the blocking rules admit give at most
    ``false_alerts_per_100`` alerts per 100 cases. Each pair alerts once, when its second case
    arrives, so a replay of these cases would raise that many false alerts. With ``versions``
    (the cases as their facts became known, vigil.linkage.timeline), a pair counts at its
    strongest over the versions that stood together, as a replay alerts it."""
    if false_alerts_per_100 < 0:
        raise ValueError("false alerts per 100 cases cannot be negative")
    known = _ordered(links)
    if versions:
        strongest = _strongest_over_versions(model, rows, versions)
        cases = len({v.reference for v in versions})
    else:
        scored = engines.score_table(model, rows)
        data = scored.select(["unique_id_l", "unique_id_r", "match_weight"]).to_pydict()
        strongest = dict(
            zip(
                zip(data["unique_id_l"], data["unique_id_r"], strict=True),
                data["match_weight"],
                strict=True,
            )
        )
        cases = len(rows)
    weights = sorted(
        (w for (a, b), w in strongest.items() if ((a, b) if a < b else (b, a)) not in known),
        reverse=True,
    )
    threshold = _lowest(weights, false_alerts_per_100, cases)
    keep = min(threshold, _lowest(weights, LINKS_PER_100, cases))
    alerts = sum(1 for w in weights if w >= threshold)
    calibration = Calibration(
        alert_weight=round(threshold, 1),
        false_alerts_per_100=false_alerts_per_100,
        measured_per_100=round(100 * alerts / max(1, cases), 3),
        background=background
        or f"{cases} cases{' as their facts became known' if versions else ''}, "
        f"{len(weights)} unrelated blocked pairs",
        keep_weight=round(keep, 1),
        links_per_100=LINKS_PER_100,
    )
    return Model(model.splink_settings, model.training, calibration)


def train_reference(
    rows: int = REFERENCE_ROWS,
    seed: int = 0,
    false_alerts_per_100: float = FALSE_ALERTS_PER_100,
) -> Model:
    """The model shipped in ``model.json``: m from the priors, u from synthetic background
    deaths (``synthetic.generate(rows, seed)``, planted series not labelled), the alert
    threshold calibrated on another synthetic world (``CALIBRATION_SEED``, its planted series
    left out). A store retrains on its own cases (``train(store_rows, solved_pairs)``) once it
    has a few thousand."""
    trained = train(synthetic.generate(rows, seed).rows, None, seed=seed)
    world = synthetic.generate(rows, seed + CALIBRATION_SEED)
    return calibrate(
        trained,
        world.rows,
        world.true_pairs(),
        false_alerts_per_100,
        f"synthetic world (seed {seed + CALIBRATION_SEED}): {len(world.rows)} cases, "
        "planted series left out",
    )


def write(model: Model, path: Path = MODEL_PATH) -> Path:
    """Write the model as JSON (Splink's settings inside a versioned envelope)."""
    save(model, path)
    return path
