"""Judging links, and the series that confirmed links form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from itertools import pairwise
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain import limits
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.masking import Redactor
from vigil.linkage.clusters import Components
from vigil.records import models as m
from vigil.services.access import require, visible_cases
from vigil.services.clock import utcnow
from vigil.services.errors import Invalid, NotFound
from vigil.services.masking import case_redactor, shown_name, shown_place, uncounted


class Verdict(StrEnum):
    CONFIRM = "confirm"
    REJECT = "reject"
    UNSURE = "unsure"


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


def judge(actor: Actor, link_id: int, verdict: Verdict, reason: str) -> m.Judgement:
    """An analyst's answer on a link. Append-only; the latest judgement is the one in force."""
    require(actor, Permission.ANSWER_ALERT)
    if not reason or not reason.strip():
        raise Invalid("reason", "a judgement needs a reason")
    if len(reason) > limits.NOTE:
        raise Invalid("reason", f"has {len(reason)} characters; a reason has at most {limits.NOTE}")
    now = utcnow()
    with transaction.atomic():
        link = visible_links(actor).select_related("case_a", "case_b").filter(pk=link_id).first()
        if link is None:
            raise NotFound("link", f"there is no link {link_id}")
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
    return row


def confirmed_pairs(among: QuerySet[m.CaseLink] | None = None) -> list[tuple[str, str]]:
    """Pairs whose latest judgement is 'confirm' (among the links ``among``, else all)."""
    latest: dict[int, tuple[str, str, str]] = {}
    judgements = m.Judgement.objects.all()
    if among is not None:
        judgements = judgements.filter(link__in=among)
    rows = judgements.order_by("at", "id").values_list(
        "link_id", "verdict", "link__case_a__reference", "link__case_b__reference"
    )
    for link_id, verdict, a, b in rows:
        latest[link_id] = (verdict, a, b)
    return [(a, b) for verdict, a, b in latest.values() if verdict == Verdict.CONFIRM]


def confirmed_cluster_pairs(actor: Actor | None = None) -> list[tuple[str, str]]:
    """The cases of each cluster alert whose latest judgement is 'confirm', chained in pairs
    (so that series are the connected groups of confirmed links and confirmed clusters). With
    ``actor``, only clusters whose cases they may all see."""
    latest: dict[int, str] = {}
    for alert_id, verdict in m.ClusterJudgement.objects.order_by("at", "id").values_list(
        "alert_id", "verdict"
    ):
        latest[alert_id] = verdict
    confirmed = [a for a, v in latest.items() if v == Verdict.CONFIRM]
    members: dict[int, list[str]] = {}
    rows = m.ClusterCase.objects.filter(alert_id__in=confirmed)
    if actor is not None:
        hidden = m.ClusterCase.objects.filter(alert_id__in=confirmed).exclude(
            case__in=visible_cases(actor)
        )
        rows = rows.exclude(alert_id__in=hidden.values("alert_id"))
    for alert_id, reference in rows.values_list("alert_id", "case__reference"):
        members.setdefault(alert_id, []).append(reference)
    return [(a, b) for refs in members.values() for a, b in pairwise(refs)]


def series_groups() -> list[list[str]]:
    """Connected groups of cases joined by confirmed links, each sorted, largest first: the
    whole store, for training the model. Faces show ``list_series`` (need-to-know) instead."""
    return Components([*confirmed_pairs(), *confirmed_cluster_pairs()]).groups()


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


@dataclass(frozen=True)
class SeriesCase:
    reference: str
    found_at: datetime | None
    latitude: float | None
    longitude: float | None
    place_type: str
    deceased: str
    category: str


@dataclass(frozen=True)
class SeriesPage:
    name: str
    cases: list[SeriesCase]  # in the order found: the timeline
    links: list[dict[str, object]]  # confirmed links with their reasons

    @property
    def points(self) -> list[tuple[str, float, float]]:
        return [
            (c.reference, c.latitude, c.longitude)
            for c in self.cases
            if c.latitude is not None and c.longitude is not None
        ]


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
                c.reference,
                c.found_at or c.reported_at,
                *shown_place(actor, c),
                c.place_type,
                shown_name(actor, c),
                c.category,
            )
            for c in rows.values()
        ),
        key=lambda c: (c.found_at is None, c.found_at, c.reference),
    )
    links = [
        {
            "a": link.case_a.reference,
            "b": link.case_b.reference,
            "match_weight": link.match_weight,
            "reasons": _redact_reasons(
                link.reasons,
                [redactors[link.case_a.reference], redactors[link.case_b.reference]],
            ),
        }
        for link in among.select_related("case_a", "case_b").filter(
            case_a__reference__in=group, case_b__reference__in=group
        )
        if (link.case_a.reference, link.case_b.reference) in confirmed
    ]
    name = f"Series {group[0]}"
    with transaction.atomic():
        audit.record(actor.username, Event.SERIES_VIEWED, "series", name, {"face": face})
    return SeriesPage(name, cases, links)


def list_alerts(
    actor: Actor, *, face: str, analyst: str | None = None, answered: bool = False
) -> list[dict[str, Any]]:
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
    redactors: dict[int, Redactor] = {}

    def redactor(case: m.Case) -> Redactor:
        if case.pk not in redactors:
            redactors[case.pk] = case_redactor(actor, case)
        return redactors[case.pk]

    rows = [
        {
            "link": a.link_id,
            "a": a.link.case_a.reference,
            "b": a.link.case_b.reference,
            "match_weight": round(a.link.match_weight, 2),
            "analyst": a.analyst,
            "raised_at": a.raised_at.isoformat(),
            "answered": a.answered,
            "reasons": [
                uncounted(redactor(a.link.case_b)(redactor(a.link.case_a)(r["sentence"])))
                for r in a.link.reasons
            ],
        }
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
