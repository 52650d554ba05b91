"""What the officer at the scene is told once a death is saved: "this death is like N other
cases", with the strongest links and any cluster of deaths it falls in, so that they learn what
the analyst will (DESIGN: "The officer at the scene is told, masked by role, that a death
resembles open cases").

Every reader of the case gets it, not only analysts: the cases counted and named are those the
reader may see (a link to a hidden case does not exist for them, nor does its count), the
reasons are redacted for the reader's view of both cases and carry no counts of the store, and
a cluster is shown only when the reader may see all of its deaths.
"""

from __future__ import annotations

from django.db.models import Q
from pydantic import Field

from vigil.domain.actor import Actor
from vigil.records import models as m
from vigil.services.access.masking import case_redactor, uncounted
from vigil.services.linkage.clusters import visible_cluster_alerts
from vigil.services.linkage.linking import scorer
from vigil.services.linkage.series import visible_links
from vigil.services.readmodels.shapes import ReadModel

STRONGEST = 3  # links shown by name
REASONS = 3  # reasons shown for each


class Resembling(ReadModel):
    """Another case this death is like, and why in a few words."""

    reference: str
    match_weight: float
    reasons: tuple[str, ...]


class Resemblance(ReadModel):
    """What this death is like, as one reader may see it."""

    cases: int = Field(
        description="Other cases you may see linked to this one at or above the alert threshold"
    )
    strongest: tuple[Resembling, ...]
    clusters: tuple[str, ...] = Field(
        description="Each cluster of deaths this one falls in, in words"
    )

    @property
    def any(self) -> bool:
        return bool(self.cases or self.clusters)


def resemblance(actor: Actor, case: m.Case) -> Resemblance:
    """What this death is like, for ``actor`` (who may see ``case``: the caller checked)."""
    strong = (
        visible_links(actor)
        .filter(Q(case_a=case) | Q(case_b=case), match_weight__gte=scorer().alert_weight)
        .select_related("case_a", "case_b")
        .order_by("-match_weight", "pk")
    )
    here = case_redactor(actor, case)
    shown = []
    for link in strong[:STRONGEST]:
        other = link.case_b if link.case_a_id == case.pk else link.case_a
        there = case_redactor(actor, other)
        reasons = [
            uncounted(there(here(str(r.get("sentence", "")))))
            for r in link.reasons
            if float(r.get("weight", 0.0)) > 0
        ]
        shown.append(
            Resembling(
                reference=other.reference,
                match_weight=round(link.match_weight, 1),
                reasons=tuple(reasons[:REASONS]),
            )
        )
    clusters = visible_cluster_alerts(actor).filter(members__case=case).order_by("-raised_at")
    return Resemblance(
        cases=strong.count(),
        strongest=tuple(shown),
        clusters=tuple(here(c.explanation) for c in clusters),
    )
