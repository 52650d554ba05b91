"""The linkage model in use, online: score one case against its candidates and explain each
pair. Thresholds say which pairs are kept as links and which become alerts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vigil.linkage import engines
from vigil.linkage.explain import explain, render
from vigil.linkage.model import Model
from vigil.linkage.profile import Profile, Rarity

KEEP_WEIGHT = 0.0  # a pair is stored as a link from here (odds of 1 to 1)
ALERT_WEIGHT = 10.0  # and put before an analyst from here (about 1000 to 1, p > 0.999)


@dataclass(frozen=True)
class Scored:
    other: str
    match_weight: float
    probability: float
    reasons: list[dict[str, Any]]  # [{feature, weight, sentence}], strongest first


@dataclass(frozen=True)
class Scorer:
    model: Model
    keep_weight: float = KEEP_WEIGHT
    alert_weight: float = ALERT_WEIGHT

    @property
    def version(self) -> str:
        return self.model.version

    def score_one(
        self, profile: Profile, others: Sequence[Profile], rarity: Rarity
    ) -> list[Scored]:
        """``profile`` against each of ``others``, strongest first, each explained."""
        if not others:
            return []
        me = profile.row["unique_id"]
        by_id = {o.row["unique_id"]: o for o in others}
        results = []
        for pair in engines.score_one(self.model, profile.row, [o.row for o in others]):
            other = pair.id_r if pair.id_l == me else pair.id_l
            reasons = explain(profile, by_id[other], pair.contributions, rarity, by_reference=True)
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
