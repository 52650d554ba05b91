"""Linkage: alerts, an alert opened with the two cases side by side, judging a link, series."""

from typing import Annotated

from django.http import HttpRequest
from ninja import Path, Query, Router

from vigil import services
from vigil.api.cases import FACE
from vigil.api.problems import READ_ERRORS
from vigil.api.schemas import JudgementIn
from vigil.api.security import actor, needs
from vigil.domain.access import Permission
from vigil.services import (
    AlertSummary,
    Comparison,
    LinkJudgement,
    SeriesPage,
    SeriesSummary,
    compare,
    judge_alert,
    series_of,
)

router = Router(tags=["linkage"])

LinkId = Annotated[int, Path(ge=1, le=2**62, description="The link's id (an alert's link)")]


@router.get(
    "/alerts",
    response={200: list[AlertSummary], **READ_ERRORS},
    summary="Linkage alerts",
    **needs(Permission.VIEW_ALERTS),
)
def list_alerts(
    request: HttpRequest,
    mine: Annotated[bool, Query(description="Only those awaiting your answer")] = False,
    answered: Annotated[bool, Query(description="Answered ones too")] = False,
) -> list[AlertSummary]:
    """Alerts between cases you may see, strongest first; audited as a consultation."""
    who = actor(request)
    return services.list_alerts(
        who, face=FACE, analyst=who.username if mine else None, answered=answered
    )


@router.get(
    "/alerts/{link_id}",
    response={200: Comparison, **READ_ERRORS},
    summary="An alert: both cases side by side with the explanation",
    **needs(Permission.VIEW_ALERTS),
)
def alert(request: HttpRequest, link_id: LinkId) -> Comparison:
    return compare(actor(request), link_id, face=FACE)


@router.post(
    "/alerts/{link_id}/judgement",
    response={200: LinkJudgement, **READ_ERRORS},
    summary="Judge a link: confirm, reject or unsure, with a reason",
    **needs(
        Permission.ANSWER_ALERT,
        example={"verdict": "confirm", "reason": "Same caller's phone, same drug, 300 m apart."},
    ),
)
def judge(request: HttpRequest, link_id: LinkId, body: JudgementIn) -> LinkJudgement:
    """Append-only: the latest judgement is the one in force; confirmed links form series."""
    return LinkJudgement.of(judge_alert(actor(request), link_id, body.verdict, body.reason))


@router.get(
    "/series",
    response={200: list[SeriesSummary], **READ_ERRORS},
    summary="Series",
    **needs(Permission.VIEW_SERIES),
)
def list_series(request: HttpRequest) -> list[SeriesSummary]:
    """Groups of cases joined by confirmed links between cases you may see; audited."""
    return [SeriesSummary.of(group) for group in services.list_series(actor(request), face=FACE)]


@router.get(
    "/series/{path:reference}",
    response={200: SeriesPage, **READ_ERRORS},
    summary="A series: cases, map points, timeline and links",
    **needs(Permission.VIEW_SERIES),
)
def series_detail(request: HttpRequest, reference: str) -> SeriesPage:
    """The series that ``reference`` (any of its cases) belongs to; audited."""
    return series_of(actor(request), reference, face=FACE)
