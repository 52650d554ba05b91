"""The analyst's lists a page at a time: linkage alerts (pairs of deaths, or clusters) filtered
by whether they are answered, whose they are and their kind, sorted by an allowed key; and the
series, filtered by whether their cases wait for review. Need-to-know is the one of
``list_alerts``, ``list_cluster_alerts`` and ``list_series``: an alert touching a case the
reader may not see is neither shown nor counted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.records import models as m
from vigil.services.access.rules import require
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid
from vigil.services.linkage.clusters import visible_cluster_alerts
from vigil.services.linkage.series import alert_reasons, list_series, visible_links
from vigil.services.readmodels.listing import Listing, Sort, choose_order, paginate
from vigil.services.readmodels.queues import awaiting_review

#: Which alerts the list shows, by whether they are answered.
ALERT_STATUSES = {
    "awaiting": "Awaiting an answer",
    "answered": "Answered",
    "all": "All",
}
#: The two kinds of alert: a pair of deaths the linkage model scored, or a cluster of deaths
#: closer in space and time than chance allows.
ALERT_KINDS = {"pair": "Pairs of deaths", "cluster": "Clusters of deaths"}

PAIR_SORTS = {
    "weight": Sort(("link__match_weight", "pk"), descending_first=True),
    "raised": Sort(("raised_at", "pk"), descending_first=True),
    "analyst": Sort(("analyst", "pk")),
}
CLUSTER_SORTS = {
    "raised": Sort(("raised_at", "pk"), descending_first=True),
    "observed": Sort(("observed", "pk"), descending_first=True),
    "analyst": Sort(("analyst", "pk")),
}


@dataclass(frozen=True)
class AlertFilters:
    status: str = "awaiting"  # a key of ALERT_STATUSES
    kind: str = "pair"  # a key of ALERT_KINDS
    analyst: str = ""  # only the alerts put before this analyst


@dataclass(frozen=True)
class AlertRow:
    """One alert as the list shows it: a pair (``link`` set) or a cluster (``cluster`` set)."""

    kind: str
    link: int | None
    cluster: int | None
    cases: tuple[str, ...]
    match_weight: float | None
    reasons: tuple[str, ...]
    analyst: str
    raised_at: datetime
    answered: bool


def _check(filters: AlertFilters) -> None:
    if filters.status not in ALERT_STATUSES:
        raise Invalid("status", "choose which alerts to show from the list")
    if filters.kind not in ALERT_KINDS:
        raise Invalid("kind", "choose the kind of alert from the list")


def _answered(query: QuerySet[Any], status: str) -> QuerySet[Any]:
    if status == "awaiting":
        return query.filter(answered=False)
    if status == "answered":
        return query.filter(answered=True)
    return query


def _pair_rows(actor: Actor) -> Any:
    reasons_of = alert_reasons(actor)

    def row(a: m.Alert) -> AlertRow:
        return AlertRow(
            "pair",
            a.link_id,
            None,
            (a.link.case_a.reference, a.link.case_b.reference),
            round(a.link.match_weight, 2),
            tuple(reasons_of(a)),
            a.analyst,
            a.raised_at,
            a.answered,
        )

    return row


def _cluster_row(a: m.ClusterAlert) -> AlertRow:
    return AlertRow(
        "cluster",
        None,
        a.pk,
        tuple(sorted(c.case.reference for c in a.members.all())),
        None,
        (a.explanation,),
        a.analyst,
        a.raised_at,
        a.answered,
    )


def alert_listing(
    actor: Actor,
    *,
    face: str,
    filters: AlertFilters = AlertFilters(),
    sort: str | None = None,
    direction: str | None = None,
    page: object = 1,
    size: int = 50,
) -> Listing[AlertRow]:
    """One page of the alerts the actor may see, filtered and sorted (pairs strongest first,
    clusters newest first, unless another allowed sort is asked for); counted and cut in the
    database; reasons masked for the actor's role; audited as a consultation."""
    require(actor, Permission.VIEW_ALERTS)
    _check(filters)
    payload: dict[str, Any] = {"face": face, "status": filters.status, "kind": filters.kind}
    if filters.kind == "pair":
        order = choose_order(PAIR_SORTS, sort, direction, "weight")
        query: QuerySet[Any] = m.Alert.objects.select_related(
            "link__case_a", "link__case_b"
        ).filter(link__in=visible_links(actor))
        sorts, make, event = PAIR_SORTS, _pair_rows(actor), Event.ALERTS_LISTED
        target = "alerts"
    else:
        order = choose_order(CLUSTER_SORTS, sort, direction, "raised")
        query = visible_cluster_alerts(actor).prefetch_related("members__case")
        sorts, make, event = CLUSTER_SORTS, _cluster_row, Event.CLUSTER_ALERTS_LISTED
        target = "cluster_alerts"
    query = _answered(query, filters.status)
    if filters.analyst:
        query = query.filter(analyst=filters.analyst)
    query = query.order_by(*sorts[order.key].order(order.descending))
    with transaction.atomic():
        listing = paginate(query, page, size, make, order)
        payload |= {"count": len(listing.rows), "total": listing.total, "page": listing.number}
        audit.record(actor.username, event, target, filters.analyst or "*", payload)
    return listing


# --- series -------------------------------------------------------------------------------

#: The series list's status filter: whether any of the series' cases waits for the reviewing
#: officer (a category to decide or sign off).
SERIES_STATUSES = {
    "review": "A case awaits review",
    "reviewed": "No case awaits review",
}


@dataclass(frozen=True)
class SeriesRow:
    name: str  # the series is named after its first case
    cases: tuple[str, ...]
    awaiting_review: int  # of its cases, how many wait in the review queue


def series_listing(
    actor: Actor,
    *,
    face: str,
    status: str = "",
    sort: str | None = None,
    direction: str | None = None,
    page: object = 1,
    size: int = 50,
    now: datetime | None = None,
) -> Listing[SeriesRow]:
    """One page of the series the actor may see (``list_series``: audited there), with how
    many of each one's cases wait for review, optionally only those with (``status`` 'review')
    or without ('reviewed') such a case; largest first, or by name."""
    if status and status not in SERIES_STATUSES:
        raise Invalid("status", "choose a series status from the list")
    groups = list_series(actor, face=face)
    in_queue = set(
        awaiting_review(actor, now or utcnow())
        .filter(reference__in=[r for g in groups for r in g])
        .values_list("reference", flat=True)
    )
    rows = [SeriesRow(g[0], tuple(g), sum(r in in_queue for r in g)) for g in groups]
    if status == "review":
        rows = [r for r in rows if r.awaiting_review]
    elif status == "reviewed":
        rows = [r for r in rows if not r.awaiting_review]
    order = choose_order(
        {"size": Sort((), descending_first=True), "name": Sort(())}, sort, direction, "size"
    )
    if order.key == "name":
        rows.sort(key=lambda r: r.name, reverse=order.descending)
    else:
        rows.sort(key=lambda r: (-len(r.cases), r.name))
        if not order.descending:
            rows.reverse()
    return paginate(rows, page, size, lambda r: r, order)
