"""The linkage model in use, online: score one case against its candidates and explain each
pair. Thresholds say which pairs are kept as links and which become alerts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from vigil.linkage import engines
from vigil.linkage.explain import explain, render
from vigil.linkage.frequency import Frequencies
from vigil.linkage.model import DEFAULT_ALERT_WEIGHT, Model
from vigil.linkage.profile import Profile

KEEP_WEIGHT = 0.0  # a pair is stored as a link from here (evidence for as much as against)


@dataclass(frozen=True)
class Scored:
    other: str
    match_weight: float
    probability: float
    reasons: list[dict[str, Any]]  # [{feature, weight, sentence}], strongest first


@dataclass(frozen=True)
class Scorer:
    """The model with its thresholds: links are kept from ``keep_weight``; alerts are raised
    from ``alert_weight``, by default the model's calibrated threshold (VIGIL_ALERT_WEIGHT,
    when set, is passed here and overrides it)."""

    model: Model
    keep_weight: float = KEEP_WEIGHT
    alert_weight: float = DEFAULT_ALERT_WEIGHT

    @classmethod
    def of(
        cls, model: Model, keep_weight: float | None = None, alert_weight: float | None = None
    ) -> Scorer:
        """The model's own calibrated thresholds unless ``keep_weight`` or ``alert_weight``
        is given."""
        keep = model.keep_weight if keep_weight is None else keep_weight
        chosen = model.alert_weight if alert_weight is None else alert_weight
        return cls(model, keep_weight=keep, alert_weight=chosen)

    @property
    def version(self) -> str:
        return self.model.version

    def score_one(
        self, profile: Profile, others: Sequence[Profile], frequencies: Frequencies
    ) -> list[Scored]:
        """``profile`` against each of ``others``, strongest first, each explained; both
        sides are annotated here with the same ``frequencies``."""
        if not others:
            return []
        me = profile.row["unique_id"]
        profile = replace(profile, row=frequencies.annotate(profile.row))
        by_id = {o.row["unique_id"]: replace(o, row=frequencies.annotate(o.row)) for o in others}
        results = []
        rows = list(by_id.values())
        for pair in engines.score_one(self.model, profile.row, [o.row for o in rows]):
            other = pair.id_r if pair.id_l == me else pair.id_l
            reasons = explain(
                profile, by_id[other], pair.contributions, frequencies, by_reference=True
            )
            results.append(
                Scored(
                    other,
                    pair.match_weight,
                    pair.match_probability,
                    [
                        {"feature": r.feature, "weight": round(r.weight, 2), "sentence": s}
                        for r, s in zip(reasons, render(reasons), strict=True)
                    ],
                )
            )
        return sorted(results, key=lambda s: -s.match_weight)
