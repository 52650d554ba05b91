"""Everything the case page shows, read in one audited consultation: the case (masked for the
reader), whether its report is still a draft, the cases linked to it with the explanation
of each score (links to cases the reader may not see do not exist for them), and the confirmed
series it is in (a case of it the reader may not see is neither named nor counted)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from pydantic import Field

from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.records import models as m
from vigil.services.access.masking import case_redactor, uncounted
from vigil.services.access.rules import may, require, use_case, visible_case
from vigil.services.casework.unit import CaseState
from vigil.services.linkage.resemblance import Resemblance, resemblance
from vigil.services.linkage.series import CaseSeries, Reason, case_series, visible_links
from vigil.services.readmodels.reading import consult
from vigil.services.readmodels.reporting import still_to_record
from vigil.services.readmodels.shapes import ReadModel
from vigil.services.readmodels.units import unit_words

LINKS_SHOWN = 50


class LinkedCase(ReadModel):
    """Another case the linkage model scored against this one."""

    link: int
    reference: str
    match_weight: float
    probability: float
    reasons: tuple[Reason, ...]
    verdict: str = Field(description="The judgement in force: confirm, reject, unsure or ''.")
    alert: bool  # the link raised an alert
    scored_at: datetime


class CaseLinks(ReadModel):
    """The links part of the case page, as the API gives it."""

    total: int
    links: tuple[LinkedCase, ...]
    still_to_record: dict[str, str] = Field(
        description="What a finished report still needs (empty unless it is a draft)."
    )
    resemblance: Resemblance = Field(
        description="What this death is like: shown to every reader of the case, masked"
    )
    series: CaseSeries | None = Field(
        default=None,
        description="The confirmed series the case is in, as you may see it; null if none "
        "(derived from the judgements in force: a rejected link leaves no series behind)",
    )


@dataclass(frozen=True)
class CasePage:
    state: CaseState
    still_to_record: dict[str, str]  # empty unless the report is a draft
    links: tuple[LinkedCase, ...]  # strongest first, at most LINKS_SHOWN
    links_total: int
    resemblance: Resemblance  # what this death is like, for every reader (masked)
    series: CaseSeries | None = None  # the confirmed series it is in, as the reader may see it
    unit: str = ""  # its command unit in words, and how it was given ('' for none)

    @property
    def linked(self) -> CaseLinks:
        return CaseLinks(
            total=self.links_total,
            links=self.links,
            still_to_record=self.still_to_record,
            resemblance=self.resemblance,
            series=self.series,
        )


def _verdicts(links: list[m.CaseLink]) -> dict[int, str]:
    latest: dict[int, str] = {}
    rows = m.Judgement.objects.filter(link__in=links).order_by("at", "id")
    for link_id, verdict in rows.values_list("link_id", "verdict"):
        latest[link_id] = verdict
    return latest


def linked_cases(actor: Actor, case: m.Case) -> tuple[int, tuple[LinkedCase, ...]]:
    """The links of ``case`` to other cases the actor may see, strongest first, with their
    reasons redacted for the actor's view of both cases and without counts of the whole store
    (empty without ``view_alerts`` or ``view_series``: linkage is the analysts' and
    reviewers' business)."""
    if not (may(actor, Permission.VIEW_ALERTS) or may(actor, Permission.VIEW_SERIES)):
        return 0, ()
    query = (
        visible_links(actor)
        .filter(Q(case_a=case) | Q(case_b=case))
        .select_related("case_a", "case_b", "alert")
    )
    rows = list(query.order_by("-match_weight", "pk")[:LINKS_SHOWN])
    total = query.count() if len(rows) == LINKS_SHOWN else len(rows)
    verdicts = _verdicts(rows)
    here = case_redactor(actor, case)
    out = []
    for link in rows:
        other = link.case_b if link.case_a_id == case.pk else link.case_a
        there = case_redactor(actor, other)
        out.append(
            LinkedCase(
                link=link.pk,
                reference=other.reference,
                match_weight=round(link.match_weight, 2),
                probability=link.probability,
                reasons=tuple(
                    Reason(
                        feature=str(r.get("feature", "")),
                        weight=round(float(r.get("weight", 0.0)), 2),
                        sentence=uncounted(there(here(str(r.get("sentence", ""))))),
                    )
                    for r in link.reasons
                ),
                verdict=verdicts.get(link.pk, ""),
                alert=hasattr(link, "alert"),
                scored_at=link.scored_at,
            )
        )
    return total, tuple(out)


def case_page(actor: Actor, reference: str, *, face: str) -> CasePage:
    """The case page's content; audited as a consultation of the case (``view_case``). A case
    the actor may not see is not found, exactly as a missing one."""
    require(actor, Permission.VIEW_CASE)
    with use_case(actor):  # a hidden or missing case is audited as a probe
        case = visible_case(actor, reference)
        # The links first, the audited view last: the audit chain's lock is then held only
        # for the end of the transaction, not while the links are read.
        total, links = linked_cases(actor, case)
        like = resemblance(actor, case)
        series = case_series(actor, case)
        state = consult(actor, case, face=face)
    unit = unit_words(case.unit_id)
    if unit:
        named = state.view.report.location.unit == case.unit_id
        unit += " (named on the report)" if named else " (where its coordinates fall)"
    return CasePage(state, still_to_record(state.view.report), links, total, like, series, unit)
