"""Confirmed series as the store holds them: the latest judgement on a link or a cluster alert is
the one in force, and series are the connected groups of the cases that confirmed links and
confirmed clusters join. Storage reads only, for the whole store or for the links and alerts
given: need-to-know is the services' business (``vigil.services.linkage.series``)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from itertools import pairwise

from django.db.models import Q, QuerySet

from vigil.domain.case import SeriesMembership
from vigil.linkage.clusters import Components
from vigil.records import models as m


class Verdict(StrEnum):
    CONFIRM = "confirm"
    REJECT = "reject"
    UNSURE = "unsure"


@dataclass(frozen=True)
class Edge:
    """Two cases a confirmation in force joins, and when it was given."""

    a: str
    b: str
    at: datetime


def confirmed_links(
    among: QuerySet[m.CaseLink] | None = None,
    *,
    touching: Collection[str] | None = None,
    when: datetime | None = None,
) -> list[Edge]:
    """Links whose latest judgement (up to ``when``) is 'confirm': among the links ``among``,
    or those of the cases ``touching`` (references), else all."""
    judgements = m.Judgement.objects.all()
    if among is not None:
        judgements = judgements.filter(link__in=among)
    if touching is not None:
        judgements = judgements.filter(
            Q(link__case_a__reference__in=touching) | Q(link__case_b__reference__in=touching)
        )
    if when is not None:
        judgements = judgements.filter(at__lte=when)
    latest: dict[int, tuple[str, Edge]] = {}
    rows = judgements.order_by("at", "id").values_list(
        "link_id", "verdict", "at", "link__case_a__reference", "link__case_b__reference"
    )
    for link_id, verdict, at, a, b in rows:
        latest[link_id] = (verdict, Edge(a, b, at))
    return [edge for verdict, edge in latest.values() if verdict == Verdict.CONFIRM]


def confirmed_clusters(
    among: QuerySet[m.ClusterAlert] | None = None,
    *,
    touching: Collection[str] | None = None,
    when: datetime | None = None,
) -> list[Edge]:
    """The cases of each cluster alert whose latest judgement (up to ``when``) is 'confirm',
    chained in pairs: among the alerts ``among``, or those holding a case ``touching``."""
    judgements = m.ClusterJudgement.objects.all()
    if among is not None:
        judgements = judgements.filter(alert__in=among)
    if touching is not None:
        holding = m.ClusterCase.objects.filter(case__reference__in=touching)
        judgements = judgements.filter(alert_id__in=holding.values("alert_id"))
    if when is not None:
        judgements = judgements.filter(at__lte=when)
    latest: dict[int, tuple[str, datetime]] = {}
    for alert_id, verdict, at in judgements.order_by("at", "id").values_list(
        "alert_id", "verdict", "at"
    ):
        latest[alert_id] = (verdict, at)
    confirmed = {a: at for a, (verdict, at) in latest.items() if verdict == Verdict.CONFIRM}
    members: dict[int, list[str]] = {}
    rows = m.ClusterCase.objects.filter(alert_id__in=confirmed).order_by("case__reference")
    for alert_id, reference in rows.values_list("alert_id", "case__reference"):
        members.setdefault(alert_id, []).append(reference)
    return [
        Edge(a, b, confirmed[alert_id])
        for alert_id, refs in members.items()
        for a, b in pairwise(refs)
    ]


def series_groups() -> list[list[str]]:
    """Connected groups of cases joined by confirmed links and clusters, each sorted, largest
    first: the whole store (training, the footprint check). Faces show the series a reader may
    see (``vigil.services.linkage.series``) instead."""
    edges = [*confirmed_links(), *confirmed_clusters()]
    return Components((e.a, e.b) for e in edges).groups()


@dataclass(frozen=True)
class Group:
    """One confirmed series of the whole store: its cases, sorted, and its latest confirmation."""

    cases: tuple[str, ...]
    confirmed_at: datetime

    @property
    def name(self) -> str:
        return self.cases[0]


def all_groups() -> list[Group]:
    """Every confirmed series of the whole store, with when each was last confirmed."""
    edges = [*confirmed_links(), *confirmed_clusters()]
    components = Components((e.a, e.b) for e in edges)
    latest: dict[str, datetime] = {}
    for edge in edges:
        root = components.find(edge.a)
        latest[root] = max(latest.get(root, edge.at), edge.at)
    return [Group(tuple(g), latest[components.find(g[0])]) for g in components.groups()]


def group_of(reference: str, when: datetime | None = None) -> Group | None:
    """The confirmed series holding the case (as it stood at ``when``), or None: walked out from
    the case through confirmations in force, so a case in no series costs two look-ups."""
    seen, frontier = {reference}, {reference}
    latest: datetime | None = None
    while frontier:
        edges = [
            *confirmed_links(touching=frontier, when=when),
            *confirmed_clusters(touching=frontier, when=when),
        ]
        found = {ref for e in edges for ref in (e.a, e.b)}
        for edge in edges:
            latest = edge.at if latest is None or edge.at > latest else latest
        frontier = found - seen
        seen |= found
    if latest is None or len(seen) < 2:
        return None
    return Group(tuple(sorted(seen)), latest)


def membership(reference: str, when: datetime | None = None) -> SeriesMembership | None:
    """What policy is told of the case's series: that there is one, and when it was last
    confirmed."""
    group = group_of(reference, when)
    return SeriesMembership(group.confirmed_at) if group else None
