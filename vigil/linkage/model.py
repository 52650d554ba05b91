"""The linkage model: one Splink comparison per feature, and the JSON file that holds it.

The features (:mod:`vigil.linkage.features`) define the levels: their thresholds, their
pure-Python ``compare`` and the same levels as SQL. Each comparison's ``output_column_name`` is
the feature's name, so Splink's ``gamma_<feature>`` and ``mw_<feature>`` columns name the
feature an inspector reads about. Levels run: null level first (nothing to compare), then from
most to least similar, then ``ELSE``; Splink numbers them -1 (null), then n-1 (most similar)
down to 0 (else). Where Splink's comparison library has the comparison (distance, days apart,
age, sex) the levels are the library's, at the features' thresholds; elsewhere they are
``CustomLevel`` SQL from the features. A test checks that Splink's level for every pair of a
table equals the feature's ``compare``, so an explanation describes what was scored.

SQL is in DuckDB's dialect (the model's base dialect); :meth:`Model.settings_for` marks every
level and rule with that base dialect, so Splink transpiles it with sqlglot for Spark.

The m-probabilities in ``PRIORS`` are *priors*: the share of pairs of deaths in one true series
expected at each level, from the published cases this project exists for (deaths a few hundred
metres and weeks to months apart, one substance, one caller) and common sense, not fitted to
any data set. Training replaces them with what labelled pairs show, smoothed towards them.

**The score is the evidence alone.** Splink's match weight is log2 of the prior odds that two
random cases are linked plus each comparison's log2 Bayes factor (m/u). The prior odds fall
with the store's size (about -20 for 20,000 cases), so the same two deaths would read
differently in a borough's store and a national one. The model sets the prior probability to
one half (``EVIDENCE_ONLY``, odds of 1, log2 0): the match weight is the sum of the features'
log2 Bayes factors, and the probability shown is that at even prior odds. What becomes an alert
is set by a measured false-alert rate instead (``Calibration``, ``training.calibrate``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import splink
import splink.comparison_level_library as cll
import sqlglot
from splink import SettingsCreator
from splink.comparison_library import CustomComparison, DistanceInKMAtThresholds
from sqlglot import exp

from vigil.linkage import blocking, features
from vigil.linkage.features import AGE_YEARS, DAYS, DISTANCE_KM, Feature

BASE_DIALECT = "duckdb"
FORMAT = "vigil-linkage-model/2"
MODEL_PATH = Path(__file__).with_name("model.json")
# The prior probability that two random cases are linked, as Splink's settings hold it: one half
# (odds 1 to 1, log2 0), so that the match weight is the evidence alone.
EVIDENCE_ONLY = 0.5
# The alert threshold of a model that has not been calibrated (VIGIL_ALERT_WEIGHT overrides).
DEFAULT_ALERT_WEIGHT = 10.0

FEATURES: tuple[str, ...] = tuple(f.name for f in features.FEATURES)

# m-probability priors, one per non-null level in the feature's order (most similar first).
PRIORS: dict[str, tuple[float, ...]] = {
    # a series is a place an offender returns to: at Barking two deaths 4 m apart and a third
    # 25 m away, the first about 500 m off. About one pair in eight at the very spot, most
    # within a neighbourhood, some across a town.
    "distance": (0.12, 0.18, 0.30, 0.20, 0.20),
    # weeks to months apart; a series rarely spans more than a year
    "days_apart": (0.10, 0.20, 0.35, 0.20, 0.15),
    # the same offender's hours: about a third within the hour
    "time_of_day": (0.35, 0.30, 0.35),
    # same kind of place / both public / different
    "place_type": (0.50, 0.20, 0.30),
    # an offender chooses victims: sex nearly always the same
    "sex": (0.90, 0.10),
    "age": (0.35, 0.25, 0.25, 0.15),
    # one offender, one drug: about three pairs in four with toxicology on both share it. The
    # drugs of known series (GHB, sedatives, insulin, opioids given by a carer) are mostly rare
    # among deaths: shared in under 0.1% / under 1% / under 5% / only a common one / none
    "substance": (0.30, 0.30, 0.10, 0.05, 0.25),
    # scene flags, given one scene has it: both / only one (an offender's habit, not always)
    "moved": (0.50, 0.50),
    "phone_missing": (0.50, 0.50),
    "note_present": (0.30, 0.70),
    # phone/e-mail/handle, address, alias/name, only a postcode or an organisation's number,
    # none: the strongest evidence, in few pairs; an offender's series shares a hostel's
    # number or a postcode hardly more often than any two deaths do
    "identifiers": (0.15, 0.05, 0.10, 0.01, 0.69),
    # a full name in one's free text on the other / a rare first name / a common first name /
    # none: families and friends name the people they fear, about one pair in four
    "text_names": (0.20, 0.06, 0.04, 0.70),
}


@dataclass(frozen=True)
class Calibration:
    """The alert threshold and how it was measured: the lowest match weight at which the
    background's unrelated pairs gave at most ``false_alerts_per_100`` alerts per 100 cases."""

    alert_weight: float
    false_alerts_per_100: float
    measured_per_100: float
    background: str
    # The keep threshold likewise: the lowest weight at which unrelated pairs give at most
    # ``links_per_100`` stored links per 100 cases (a store keeps what an analyst may browse,
    # not every blocked pair with some evidence).
    keep_weight: float = 0.0
    links_per_100: float | None = None

    def as_json(self) -> dict[str, Any]:
        kept = (
            {"keep_weight": self.keep_weight, "links_per_100": self.links_per_100}
            if self.links_per_100 is not None
            else {}
        )
        return {
            "alert_weight": self.alert_weight,
            "false_alerts_per_100": self.false_alerts_per_100,
            "measured_per_100": self.measured_per_100,
            "background": self.background,
            **kept,
        }


def _library(comparison: Any) -> list[dict[str, Any]]:
    """The level dicts of a Splink library comparison, in the base dialect."""
    levels: list[dict[str, Any]] = comparison.create_comparison_dict(BASE_DIALECT)[
        "comparison_levels"
    ]
    return levels


def _absolute(column: str, thresholds: tuple[float, ...]) -> list[dict[str, Any]]:
    return _library(
        CustomComparison(
            [
                cll.NullLevel(column),
                *(cll.AbsoluteDifferenceLevel(column, t) for t in thresholds),
                cll.ElseLevel(),
            ]
        )
    )


def _custom(feature: Feature) -> list[dict[str, Any]]:
    """The feature's own SQL as Splink level dicts."""
    return [
        {"sql_condition": feature.null_sql, "is_null_level": True},
        *({"sql_condition": sql} for sql in feature.level_sql),
        {"sql_condition": "ELSE"},
    ]


_LIBRARY = {
    "distance": lambda: _library(DistanceInKMAtThresholds("latitude", "longitude", DISTANCE_KM)),
    "days_apart": lambda: _absolute("found_day", DAYS),
    "age": lambda: _absolute("age", AGE_YEARS),
    "sex": lambda: _library(
        CustomComparison([cll.NullLevel("sex"), cll.ExactMatchLevel("sex"), cll.ElseLevel()])
    ),
}


def comparison(feature: Feature, m: tuple[float, ...]) -> dict[str, Any]:
    """One feature as a Splink comparison dict, its levels labelled as the feature labels
    them, with m-probabilities ``m`` (one per non-null level)."""
    levels = _LIBRARY[feature.name]() if feature.name in _LIBRARY else _custom(feature)
    if len(levels) != len(feature.levels) + 1 or len(m) != len(feature.levels):
        raise ValueError(f"{feature.name}: levels and priors do not match the feature")
    levels[0]["label_for_charts"] = "nothing to compare"
    for level, label, m_probability in zip(levels[1:], feature.levels, m, strict=True):
        level["label_for_charts"] = label
        level["m_probability"] = m_probability
    return {"output_column_name": feature.name, "comparison_levels": levels}


def settings(probability_two_random_records_match: float = EVIDENCE_ONLY) -> SettingsCreator:
    """The model's Splink settings before training (u unknown, m from the priors)."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[comparison(f, PRIORS[f.name]) for f in features.FEATURES],
        blocking_rules_to_generate_predictions=list(blocking.rules()),
        probability_two_random_records_match=probability_two_random_records_match,
        retain_matching_columns=True,  # gamma_<feature> columns come with them
        retain_intermediate_calculation_columns=True,  # mw_<feature> columns
    )


@dataclass(frozen=True)
class Model:
    """A trained model: Splink's own settings JSON, how it was trained, its calibration (the
    alert threshold, None until calibrated) and a version digest of all three."""

    splink_settings: dict[str, Any]
    training: dict[str, Any]
    calibration: Calibration | None = None

    @property
    def version(self) -> str:
        content = {"splink": self.splink_settings}
        if self.calibration is not None:
            content["calibration"] = self.calibration.as_json()
        digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
        return f"{FORMAT}+{digest[:12]}"

    @property
    def keep_weight(self) -> float:
        """The calibrated keep threshold, or 0 (evidence for as much as against) without one."""
        return self.calibration.keep_weight if self.calibration else 0.0

    @property
    def alert_weight(self) -> float:
        """The calibrated alert threshold, or DEFAULT_ALERT_WEIGHT without a calibration."""
        return self.calibration.alert_weight if self.calibration else DEFAULT_ALERT_WEIGHT

    def settings_for(self, dialect: str) -> dict[str, Any]:
        """Splink settings for ``dialect`` (``duckdb`` or ``spark``): every level and rule is
        marked as written in the base dialect, so Splink transpiles them if they differ."""
        data = json.loads(json.dumps(self.splink_settings))
        data.pop("sql_dialect", None)
        base = self.splink_settings.get("sql_dialect", BASE_DIALECT)
        for comparison in data["comparisons"]:
            for level in comparison["comparison_levels"]:
                if dialect == base or level["sql_condition"].strip().upper() == "ELSE":
                    continue
                if dialect == "spark" and "list_has_any" in level["sql_condition"]:
                    level["sql_condition"] = _spark(level["sql_condition"], base)
                else:
                    level["base_dialect_str"] = base
        for rule in data["blocking_rules_to_generate_predictions"]:
            rule["sql_dialect"] = base
        return data  # type: ignore[no-any-return]

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": self.version,
            "splink_version": splink.__version__,
            "training": self.training,
            "calibration": self.calibration.as_json() if self.calibration else None,
            "splink_settings": self.splink_settings,
        }


def _spark(sql: str, base: str) -> str:
    """``sql`` in Spark's dialect. sqlglot writes DuckDB's list_has_any(a, b) as ``a && b``,
    which Spark does not have; Spark's name for it is arrays_overlap."""

    def overlap(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.ArrayOverlaps):
            return exp.Anonymous(this="arrays_overlap", expressions=[node.this, node.expression])
        return node

    return sqlglot.parse_one(sql, read=base).transform(overlap).sql(dialect="spark")


def from_json(data: dict[str, Any]) -> Model:
    if data.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} file (format is {data.get('format')!r})")
    calibration = Calibration(**data["calibration"]) if data.get("calibration") else None
    model = Model(data["splink_settings"], data.get("training", {}), calibration)
    names = [c["output_column_name"] for c in model.splink_settings["comparisons"]]
    if tuple(names) != FEATURES:
        raise ValueError(f"the model's comparisons {names} are not the features {FEATURES}")
    if data.get("version") not in (None, model.version):
        raise ValueError(
            f"version {data.get('version')} does not match the settings' content "
            f"({model.version}): the file was edited by hand"
        )
    return model


def load(path: Path | str = MODEL_PATH) -> Model:
    try:
        return from_json(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: cannot load the linkage model ({exc})") from exc


def save(model: Model, path: Path = MODEL_PATH) -> None:
    path.write_text(json.dumps(model.as_json(), indent=2) + "\n", encoding="utf-8")
