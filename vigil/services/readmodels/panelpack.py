"""The review pack: what the independent advisory panel reads of a referral.

It is the case, or the series, as the panel member's role sees it, read through the same read
models as the case page and the series page (``case_page``, ``series_chart``) with the reader's
own name (so need-to-know is theirs) and the panel member's role (so the mask is the panel's:
no names or identifiers of anyone, nothing sensitive, the place only to about a kilometre).
There is no second masking here. A supervisor who opens the pack sees exactly what the panel
sees; each case read is audited as a consultation, as on its own page.

A series is read as it stands now; if the confirmations that joined it have since been undone,
the pack holds the cases the referral put before the panel, each on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import UserRole
from vigil.services.access.rules import require
from vigil.services.casework.unit import CaseDocument, case_record
from vigil.services.errors import NotFound
from vigil.services.linkage.series import SeriesPage
from vigil.services.readmodels.casepage import CasePage, case_page
from vigil.services.readmodels.panel import ReferralShown, panel_referral
from vigil.services.readmodels.seriespage import SeriesChart, series_chart
from vigil.services.readmodels.shapes import ReadModel


def as_panel(actor: Actor) -> Actor:
    """The reader as the panel sees: their own name (need-to-know), the panel member's role
    (the mask)."""
    return Actor(actor.username, UserRole.PANEL_MEMBER)


class PackDocument(ReadModel):
    """The review pack as the API gives it: the referral, each case as the panel sees it, and
    the series (null for a case, or for a series no longer confirmed)."""

    referral: ReferralShown
    cases: list[CaseDocument]
    series: SeriesPage | None


@dataclass(frozen=True)
class ReviewPack:
    referral: ReferralShown
    pages: tuple[CasePage, ...]  # each case as the panel sees it, in the order found
    series: SeriesChart | None = None  # a series referred, as the panel sees it

    def document(self) -> PackDocument:
        return PackDocument(
            referral=self.referral,
            cases=[case_record(p.state) for p in self.pages],
            series=self.series.page if self.series else None,
        )


def review_pack(actor: Actor, referral_id: int, *, face: str) -> ReviewPack:
    """The pack of a referral the actor may see (every case of it): for the panel, and for the
    supervisors who refer and answer. It shows links and series, so it needs ``view_series``."""
    require(actor, Permission.VIEW_CASE)
    require(actor, Permission.VIEW_SERIES)
    referral = panel_referral(actor, referral_id)
    reader = as_panel(actor)
    chart, references = None, referral.cases
    if referral.kind == "series":
        try:
            chart = series_chart(reader, referral.reference, face=face)
        except NotFound:  # no longer a confirmed series: the cases as referred
            chart = None
        else:
            references = [c.reference for c in chart.page.cases]
    pages = tuple(case_page(reader, reference, face=face) for reference in references)
    return ReviewPack(referral, pages, chart)
