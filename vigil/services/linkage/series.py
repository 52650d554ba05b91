"""Judging links and cluster alerts, and the series that confirmed ones form.

A series is derived, never stored: the connected groups of the cases that confirmed links and
confirmed clusters join (``vigil.records.series``). A judgement re-evaluates, in its own
transaction, every case whose series it may have changed: policy raises the floor of a case in
a confirmed series (the pack's ``{series: confirmed}``), and a case whose category is then below
it goes back to the reviewing officer's queue, the series as the reason (audited,
``case.series_review``). Rejecting later undoes it the same way. Each reader is told of a
case's series as they may see it (``case_series``, ``series_reasons``), as ``series_of`` shows
it: a case they may not see is neither named nor counted.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Case as Choose
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from pydantic import Field, computed_field

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain import limits
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import Category
from vigil.domain.masking import Redactor
from vigil.linkage.clusters import Components
from vigil.records import models as m
from vigil.records.series import (
    Group,
    Verdict,
    all_groups,
    confirmed_clusters,
    confirmed_links,
    group_of,
)
from vigil.records.series import series_groups as series_groups
from vigil.services.access.masking import case_redactor, shown_name, shown_place, uncounted
from vigil.services.access.rules import may, require
from vigil.services.casework.unit import refresh
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid, NotFound
from vigil.services.linkage.clusters import visible_cluster_alerts
from vigil.services.readmodels.shapes import ReadModel

__all__ = [
    "AlertSummary",
    "CaseSeries",
    "LinkJudgement",
    "Point",
    "Reason",
    "SeriesCase",
    "SeriesLink",
    "SeriesPage",
    "SeriesSummary",
    "Verdict",
    "case_series",
    "judge",
    "judge_cluster",
    "list_alerts",
    "list_series",
    "review_due",
    "series_groups",
    "series_of",
    "series_reason_column",
    "series_reasons",
    "visible_links",
]


def link_label(link: m.CaseLink) -> str:
    return f"{link.case_a.reference}~{link.case_b.reference}"


def visible_links(actor: Actor) -> QuerySet[m.CaseLink]:
    """Links between two cases the actor may see (a link to a restricted case the actor is not
    named on does not exist for them)."""

    # Tested on each link's own two cases (no list of every visible case: a store of 100,000
    # cases would be read for each page).
    def seen(side: str) -> Q:
        named = m.CaseAccess.objects.filter(case=OuterRef(side), username=actor.username)
        return Q(**{f"{side}__restricted": False}) | Q(Exists(named))

    return m.CaseLink.objects.filter(seen("case_a"), seen("case_b"))


def _checked(reason: str) -> None:
    if not reason or not reason.strip():
        raise Invalid("reason", "a judgement needs a reason")
    if len(reason) > limits.NOTE:
        raise Invalid("reason", f"has {len(reason)} characters; a reason has at most {limits.NOTE}")


def judge(actor: Actor, link_id: int, verdict: Verdict, reason: str) -> m.Judgement:
    """An analyst's answer on a link. Append-only; the latest judgement is the one in force;
    the cases whose series it changes are re-evaluated in the same transaction."""
    require(actor, Permission.ANSWER_ALERT)
    _checked(reason)
    now = utcnow()
    with transaction.atomic():
        link = visible_links(actor).select_related("case_a", "case_b").filter(pk=link_id).first()
        if link is None:
            raise NotFound("link", f"there is no link {link_id}")
        judged = {link.case_a.reference, link.case_b.reference}
        before = _around(judged)
        row = m.Judgement.objects.create(
            link=link, verdict=verdict.value, reason=reason, by=actor.username, at=now
        )
        m.Alert.objects.filter(link=link).update(answered=True)
        audit.record(
            actor.username,
            Event.LINK_JUDGED,
            "link",
            link_label(link),
            {"verdict": verdict.value, "reason": reason, "match_weight": link.match_weight},
            at=now,
        )
        _feed_back(actor, judged, before, now)
    return row


def judge_cluster(actor: Actor, alert_id: int, verdict: Verdict, reason: str) -> m.ClusterJudgement:
    """An analyst's answer on a cluster alert. Append-only; the latest judgement is the one in
    force; a confirmed cluster's deaths join a series, fed back as ``judge`` does."""
    require(actor, Permission.ANSWER_ALERT)
    _checked(reason)
    now = utcnow()
    with transaction.atomic():
        alert = visible_cluster_alerts(actor).filter(pk=alert_id).first()
        if alert is None:
            raise NotFound("alert", f"there is no cluster alert {alert_id}")
        judged = set(alert.members.values_list("case__reference", flat=True))
        before = _around(judged)
        row = m.ClusterJudgement.objects.create(
            alert=alert, verdict=verdict.value, reason=reason, by=actor.username, at=now
        )
        m.ClusterAlert.objects.filter(pk=alert.pk).update(answered=True)
        audit.record(
            actor.username,
            Event.CLUSTER_JUDGED,
            "cluster",
            str(alert.pk),
            {"verdict": verdict.value, "reason": reason, "cases": sorted(judged)},
            at=now,
        )
        _feed_back(actor, judged, before, now)
    return row


def _around(references: Collection[str]) -> set[str]:
    """The cases and every case in a confirmed series with one of them (the whole store)."""
    out, covered = set(references), set[str]()
    for reference in references:
        if reference not in covered and (group := group_of(reference)):
            out.update(group.cases)
            covered.update(group.cases)
    return out


def series_reason(name: str, others: Collection[str]) -> str:
    """'Part of confirmed series L-1 (with cases L-2 and L-3)'."""
    named = sorted(others)
    if not named:
        return f"Part of confirmed series {name}"
    listed = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"
    return f"Part of confirmed series {name} (with case{'s' if len(named) > 1 else ''} {listed})"


def _feed_back(actor: Actor, judged: set[str], before: set[str], now: datetime) -> None:
    """Re-evaluate every case in the series of the judged cases, before and after the
    judgement (floors follow the series, up or down), and audit each case the judgement has
    just made part of a confirmed series below its floor: it goes back to the review queue."""
    after: dict[str, Group] = {}
    for reference in judged:
        if reference not in after and (group := group_of(reference)):
            after.update(dict.fromkeys(group.cases, group))
    cases = m.Case.objects.select_for_update().filter(reference__in=before | set(after))
    for case in cases.order_by("pk"):
        evaluation = refresh(case, now, bump=False).evaluation
        group = after.get(case.reference)
        if (
            group is None
            or group.confirmed_at < now
            or evaluation is None  # not a death: no category to review
            or not evaluation.needs_override
        ):
            continue
        others = [r for r in group.cases if r != case.reference]
        payload = {
            "series": group.name,
            "cases": others,
            "reason": series_reason(group.name, others),
            "floor": evaluation.floor.value,
            "category": evaluation.category.value,
        }
        audit.record(actor.username, Event.SERIES_REVIEW, "case", case.reference, payload, at=now)


def confirmed_pairs(among: QuerySet[m.CaseLink] | None = None) -> list[tuple[str, str]]:
    """Pairs whose latest judgement is 'confirm' (among the links ``among``, else all)."""
    return [(e.a, e.b) for e in confirmed_links(among)]


def confirmed_cluster_pairs(actor: Actor | None = None) -> list[tuple[str, str]]:
    """The cases of each cluster alert whose latest judgement is 'confirm', chained in pairs
    (so that series are the connected groups of confirmed links and confirmed clusters). With
    ``actor``, only clusters whose cases they may all see."""
    among = visible_cluster_alerts(actor) if actor is not None else None
    return [(e.a, e.b) for e in confirmed_clusters(among)]


def list_series(actor: Actor, *, face: str) -> list[list[str]]:
    """The series the actor may see: groups joined by confirmed links between cases they may
    see (a restricted case they are not named on, and its links, are left out, so a series
    never betrays it); audited as a consultation."""
    require(actor, Permission.VIEW_SERIES)
    pairs = [*confirmed_pairs(visible_links(actor)), *confirmed_cluster_pairs(actor)]
    groups = Components(pairs).groups()
    with transaction.atomic():
        audit.record(
            actor.username, Event.SERIES_VIEWED, "series", "*", {"face": face, "count": len(groups)}
        )
    return groups


class Reason(ReadModel):
    """One feature's part in a link's score, in words (redacted for the reader)."""

    feature: str
    weight: float
    sentence: str


class SeriesSummary(ReadModel):
    """A series by name, with its cases."""

    name: str
    cases: list[str]

    @classmethod
    def of(cls, group: list[str]) -> SeriesSummary:
        return cls(name=f"Series {group[0]}", cases=group)


class SeriesCase(ReadModel):
    """A case of a series, masked for the reader: a point of its timeline and its map."""

    reference: str
    found_at: datetime | None
    latitude: float | None
    longitude: float | None
    place_type: str
    deceased: str
    category: str


class Point(ReadModel):
    """A case of a series on the map."""

    reference: str
    latitude: float
    longitude: float


class SeriesLink(ReadModel):
    """A confirmed link of a series, with its reasons redacted for the reader."""

    a: str
    b: str
    match_weight: float
    reasons: tuple[Reason, ...]


class SeriesPage(ReadModel):
    """A series: its cases in the order found (the timeline), their places (the map) and the
    confirmed links between them with their reasons (the link chart)."""

    name: str
    cases: list[SeriesCase]  # in the order found: the timeline
    links: list[SeriesLink]  # confirmed links with their reasons

    @computed_field  # type: ignore[prop-decorator]
    @property
    def points(self) -> list[Point]:
        """The cases with a place, for the map."""
        return [
            Point(reference=c.reference, latitude=c.latitude, longitude=c.longitude)
            for c in self.cases
            if c.latitude is not None and c.longitude is not None
        ]

    @property
    def places(self) -> list[tuple[str, float, float]]:
        """``points`` as (reference, latitude, longitude)."""
        return [(p.reference, p.latitude, p.longitude) for p in self.points]


def _redact_reasons(reasons: list[dict[str, Any]], redact: list[Redactor]) -> list[dict[str, Any]]:
    out = []
    for reason in reasons:
        for r in redact:
            reason = r.value(reason)
        out.append(uncounted(reason))
    return out


def series_of(actor: Actor, reference: str, *, face: str) -> SeriesPage:
    """The series a case belongs to (its cases, map points, timeline, links) as the actor may
    see it (``list_series``), masked for their role; audited."""
    require(actor, Permission.VIEW_SERIES)
    among = visible_links(actor)
    confirmed = set(confirmed_pairs(among))
    joined = [*confirmed, *confirmed_cluster_pairs(actor)]
    group = next((g for g in Components(joined).groups() if reference in g), None)
    if group is None:
        raise NotFound("reference", f"case '{reference}' is in no confirmed series")
    rows = {c.reference: c for c in m.Case.objects.filter(reference__in=group)}
    redactors = {ref: case_redactor(actor, c) for ref, c in rows.items()}
    cases = sorted(
        (
            SeriesCase(
                reference=c.reference,
                found_at=c.found_at or c.reported_at,
                latitude=latitude,
                longitude=longitude,
                place_type=c.place_type,
                deceased=shown_name(actor, c),
                category=c.category,
            )
            for c in rows.values()
            for latitude, longitude in [shown_place(actor, c)]
        ),
        key=lambda c: (c.found_at is None, c.found_at, c.reference),
    )
    links = [
        SeriesLink(
            a=link.case_a.reference,
            b=link.case_b.reference,
            match_weight=link.match_weight,
            reasons=_redact_reasons(
                link.reasons,
                [redactors[link.case_a.reference], redactors[link.case_b.reference]],
            ),
        )
        for link in among.select_related("case_a", "case_b").filter(
            case_a__reference__in=group, case_b__reference__in=group
        )
        if (link.case_a.reference, link.case_b.reference) in confirmed
    ]
    name = f"Series {group[0]}"
    with transaction.atomic():
        audit.record(actor.username, Event.SERIES_VIEWED, "series", name, {"face": face})
    return SeriesPage(name=name, cases=cases, links=links)


class AlertSummary(ReadModel):
    """An alert as the list gives it, its reasons masked for the reader."""

    link: int
    a: str
    b: str
    match_weight: float
    analyst: str
    raised_at: datetime
    answered: bool
    reasons: list[str]
    kind_a: str = Field(default="death", description="The kind of record a is.")
    kind_b: str = Field(default="death", description="The kind of record b is.")


class LinkJudgement(ReadModel):
    """An analyst's answer on a link: append-only; the latest is the one in force."""

    verdict: Verdict
    reason: str
    by: str
    at: datetime

    @classmethod
    def of(cls, row: m.Judgement, redact: Callable[[str], str] | None = None) -> LinkJudgement:
        reason = redact(row.reason) if redact else row.reason
        return cls(verdict=Verdict(row.verdict), reason=reason, by=row.by, at=row.at)


def alert_reasons(actor: Actor) -> Callable[[m.Alert], list[str]]:
    """An alert's reasons as ``actor`` may read them: each sentence masked for both cases and
    without the store's counts (one redactor per case, however many alerts it is on)."""
    redactors: dict[int, Redactor] = {}

    def redactor(case: m.Case) -> Redactor:
        if case.pk not in redactors:
            redactors[case.pk] = case_redactor(actor, case)
        return redactors[case.pk]

    def reasons(a: m.Alert) -> list[str]:
        case_a, case_b = a.link.case_a, a.link.case_b
        return [
            uncounted(redactor(case_b)(redactor(case_a)(r["sentence"]))) for r in a.link.reasons
        ]

    return reasons


def list_alerts(
    actor: Actor, *, face: str, analyst: str | None = None, answered: bool = False
) -> list[AlertSummary]:
    """Alerts between cases the actor may see, strongest first: unanswered ones (all with
    ``answered``), optionally one analyst's; reasons masked for the actor's role; audited as a
    consultation."""
    require(actor, Permission.VIEW_ALERTS)
    query = m.Alert.objects.select_related("link__case_a", "link__case_b").filter(
        link__in=visible_links(actor)
    )
    if not answered:
        query = query.filter(answered=False)
    if analyst:
        query = query.filter(analyst=analyst)
    reasons_of = alert_reasons(actor)
    rows = [
        AlertSummary(
            link=a.link_id,
            a=a.link.case_a.reference,
            b=a.link.case_b.reference,
            match_weight=round(a.link.match_weight, 2),
            analyst=a.analyst,
            raised_at=a.raised_at,
            answered=a.answered,
            reasons=reasons_of(a),
            kind_a=a.link.case_a.kind,
            kind_b=a.link.case_b.kind,
        )
        for a in query.order_by("-link__match_weight")
    ]
    with transaction.atomic():
        audit.record(
            actor.username,
            Event.ALERTS_LISTED,
            "alerts",
            analyst or "*",
            {"face": face, "count": len(rows)},
        )
    return rows


class CaseSeries(ReadModel):
    """The confirmed series a case is in, as one reader may see it: as on the series' own
    page, only the confirmed links and clusters between cases they may see join it, so a case
    they may not see is neither named nor counted, nor is a series held together by one."""

    name: str = Field(description="The series' reference, its first case (GET /api/series/NAME)")
    others: tuple[str, ...] = Field(
        description="The other cases of the series (a case you may not see is neither named nor "
        "counted)"
    )
    browsable: bool = Field(description="Whether you may open the series (you may see series)")

    @computed_field(description="In words, as the review queue gives it")  # type: ignore[prop-decorator]
    @property
    def reason(self) -> str:
        return series_reason(self.name, self.others)


def _seen_groups(actor: Actor, among: Collection[str] | None = None) -> list[list[str]]:
    """The series as ``actor`` may see them (of the cases ``among``, if given)."""
    links, alerts = visible_links(actor), visible_cluster_alerts(actor)
    if among is not None:
        links = links.filter(case_a__reference__in=among, case_b__reference__in=among)
        alerts = alerts.filter(members__case__reference__in=among).distinct()
    edges = [*confirmed_links(links), *confirmed_clusters(alerts)]
    return Components((e.a, e.b) for e in edges).groups()


def case_series(actor: Actor, case: m.Case) -> CaseSeries | None:
    """The confirmed series ``case`` is in, as ``actor`` may see it (they may see the case: the
    caller checked), or None. Derived from the judgements in force, so a series a later
    judgement undid is never shown."""
    group = group_of(case.reference)
    if group is None:
        return None
    seen = next((g for g in _seen_groups(actor, group.cases) if case.reference in g), None)
    if seen is None:
        return None
    others = tuple(r for r in seen if r != case.reference)
    return CaseSeries(name=seen[0], others=others, browsable=may(actor, Permission.VIEW_SERIES))


def series_reasons(actor: Actor) -> dict[str, str]:
    """For each case in a series the actor may see, the reason the review queue shows:
    'Part of confirmed series L-1 (with case L-2)'."""
    return {
        reference: series_reason(group[0], [r for r in group if r != reference])
        for group in _seen_groups(actor)
        for reference in group
    }


def series_reason_column(actor: Actor) -> Choose:
    """``series_reasons`` as a column of a query of cases ('' for a case in no series)."""
    whens = [When(reference=r, then=Value(why)) for r, why in series_reasons(actor).items()]
    return Choose(*whens, default=Value(""), output_field=CharField())


def review_due() -> list[int]:
    """Cases whose category is below their floor and whose decision in force was made before
    their series was last confirmed: an override given then did not weigh the series, so they
    are back in the review queue (policy says the same: ``needs_override``)."""
    since = {r: g.confirmed_at for g in all_groups() for r in g.cases}
    latest = m.CategoryDecision.objects.filter(case=OuterRef("pk")).order_by("-decided_at", "-pk")
    rows = (
        m.Case.objects.filter(reference__in=since)
        .annotate(decided_at=Subquery(latest.values("decided_at")[:1]))
        .values_list("pk", "reference", "category", "floor", "decided_at")
    )
    return [
        pk
        for pk, reference, category, floor, decided_at in rows
        if decided_at is not None
        and decided_at < since[reference]
        and _rank(category) < _rank(floor)
    ]


def _rank(category: str) -> int:
    return Category(category).rank if category else -1
