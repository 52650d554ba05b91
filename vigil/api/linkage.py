"""Linkage: alerts, an alert opened with the two cases side by side, judging a link, series."""

from dataclasses import asdict
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Query, Router

from vigil.api.cases import FACE
from vigil.api.documents import case_out
from vigil.api.problems import READ_ERRORS
from vigil.api.schemas import (
    AlertOut,
    ComparisonOut,
    JudgementIn,
    JudgementOut,
    SeriesOut,
    SeriesSummary,
)
from vigil.api.security import actor, needs
from vigil.domain.access import Permission
from vigil.services import comparison, series

router = Router(tags=["linkage"])

LinkId = Annotated[int, Path(ge=1, le=2**62, description="The link's id (an alert's link)")]


@router.get(
    "/alerts",
    response={200: list[AlertOut], **READ_ERRORS},
    summary="Linkage alerts",
    **needs(Permission.VIEW_ALERTS),
)
def list_alerts(
    request: HttpRequest,
    mine: Annotated[bool, Query(description="Only those awaiting your answer")] = False,
    answered: Annotated[bool, Query(description="Answered ones too")] = False,
) -> list[dict[str, Any]]:
    """Alerts between cases you may see, strongest first; audited as a consultation."""
    who = actor(request)
    return series.list_alerts(
        who, face=FACE, analyst=who.username if mine else None, answered=answered
    )


@router.get(
    "/alerts/{link_id}",
    response={200: ComparisonOut, **READ_ERRORS},
    summary="An alert: both cases side by side with the explanation",
    **needs(Permission.VIEW_ALERTS),
)
def alert(request: HttpRequest, link_id: LinkId) -> dict[str, Any]:
    found = comparison.compare(actor(request), link_id, face=FACE)
    return {**asdict(found), "a": case_out(found.a), "b": case_out(found.b)}


@router.post(
    "/alerts/{link_id}/judgement",
    response={200: JudgementOut, **READ_ERRORS},
    summary="Judge a link: confirm, reject or unsure, with a reason",
    **needs(
        Permission.ANSWER_ALERT,
        example={"verdict": "confirm", "reason": "Same caller's phone, same drug, 300 m apart."},
    ),
)
def judge(request: HttpRequest, link_id: LinkId, body: JudgementIn) -> dict[str, Any]:
    """Append-only: the latest judgement is the one in force; confirmed links form series."""
    row = series.judge(actor(request), link_id, body.verdict, body.reason)
    return {"verdict": row.verdict, "reason": row.reason, "by": row.by, "at": row.at}


@router.get(
    "/series",
    response={200: list[SeriesSummary], **READ_ERRORS},
    summary="Series",
    **needs(Permission.VIEW_SERIES),
)
def list_series(request: HttpRequest) -> list[dict[str, Any]]:
    """Groups of cases joined by confirmed links between cases you may see; audited."""
    groups = series.list_series(actor(request), face=FACE)
    return [{"name": f"Series {group[0]}", "cases": group} for group in groups]


@router.get(
    "/series/{path:reference}",
    response={200: SeriesOut, **READ_ERRORS},
    summary="A series: cases, map points, timeline and links",
    **needs(Permission.VIEW_SERIES),
)
def series_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    """The series that ``reference`` (any of its cases) belongs to; audited."""
    page = series.series_of(actor(request), reference, face=FACE)
    return {
        "name": page.name,
        "cases": [asdict(c) for c in page.cases],
        "points": [
            {"reference": ref, "latitude": lat, "longitude": lon} for ref, lat, lon in page.points
        ],
        "links": page.links,
    }
