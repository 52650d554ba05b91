"""Judging links, and the series that confirmed links form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.db import transaction

from vigil.audit import service as audit
from vigil.audit.events import Event
from vigil.domain.actor import Actor
from vigil.domain.enums import UserRole
from vigil.linkage.clusters import Components
from vigil.records import models as m
from vigil.services.errors import Forbidden, Invalid, NotFound
from vigil.services.unit import utcnow

JUDGES = frozenset({UserRole.ANALYST, UserRole.REVIEWING_OFFICER})


class Verdict(StrEnum):
    CONFIRM = "confirm"
    REJECT = "reject"
    UNSURE = "unsure"


def link_label(link: m.CaseLink) -> str:
    return f"{link.case_a.reference}~{link.case_b.reference}"


def judge(actor: Actor, link_id: int, verdict: Verdict, reason: str) -> m.Judgement:
    """An analyst's answer on a link. Append-only; the latest judgement is the one in force."""
    if actor.role not in JUDGES:
        raise Forbidden("role", "only an analyst or a reviewing officer judges links")
    if not reason or not reason.strip():
        raise Invalid("reason", "a judgement needs a reason")
    now = utcnow()
    with transaction.atomic():
        link = m.CaseLink.objects.select_related("case_a", "case_b").filter(pk=link_id).first()
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


def confirmed_pairs() -> list[tuple[str, str]]:
    """Pairs whose latest judgement is 'confirm'."""
    latest: dict[int, tuple[str, str, str]] = {}
    rows = m.Judgement.objects.order_by("at", "id").values_list(
        "link_id", "verdict", "link__case_a__reference", "link__case_b__reference"
    )
    for link_id, verdict, a, b in rows:
        latest[link_id] = (verdict, a, b)
    return [(a, b) for verdict, a, b in latest.values() if verdict == Verdict.CONFIRM]


def series_groups() -> list[list[str]]:
    """Connected groups of cases joined by confirmed links, each sorted, largest first."""
    return Components(confirmed_pairs()).groups()


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


def series_of(actor: Actor, reference: str, *, face: str) -> SeriesPage:
    """The series a case belongs to (its cases, map points, timeline, links); audited."""
    group = next((g for g in series_groups() if reference in g), None)
    if group is None:
        raise NotFound("reference", f"case '{reference}' is in no confirmed series")
    cases = sorted(
        (
            SeriesCase(
                c.reference,
                c.found_at or c.reported_at,
                c.latitude,
                c.longitude,
                c.place_type,
                c.deceased_name,
                c.category,
            )
            for c in m.Case.objects.filter(reference__in=group)
        ),
        key=lambda c: (c.found_at is None, c.found_at, c.reference),
    )
    confirmed = set(confirmed_pairs())
    links = [
        {
            "a": link.case_a.reference,
            "b": link.case_b.reference,
            "match_weight": link.match_weight,
            "reasons": link.reasons,
        }
        for link in m.CaseLink.objects.select_related("case_a", "case_b").filter(
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
    """Alerts, strongest first: unanswered ones (all with ``answered``), optionally one
    analyst's; audited as a consultation."""
    query = m.Alert.objects.select_related("link__case_a", "link__case_b")
    if not answered:
        query = query.filter(answered=False)
    if analyst:
        query = query.filter(analyst=analyst)
    rows = [
        {
            "link": a.link_id,
            "a": a.link.case_a.reference,
            "b": a.link.case_b.reference,
            "match_weight": round(a.link.match_weight, 2),
            "analyst": a.analyst,
            "raised_at": a.raised_at.isoformat(),
            "answered": a.answered,
            "reasons": [r["sentence"] for r in a.link.reasons],
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
