"""A user's work: the dashboard and the overdue checklist items."""

from typing import Annotated

from django.http import HttpRequest
from ninja import Query, Router

from vigil import services
from vigil.api.cases import FACE, UnitParam
from vigil.api.problems import READ_ERRORS
from vigil.api.security import actor, needs
from vigil.domain.access import Permission
from vigil.services import (
    Dashboard,
    OverdueItem,
    QueueRow,
    Window,
    case_overdue,
)

router = Router(tags=["work"])


@router.get(
    "/dashboard",
    response={200: Dashboard, **READ_ERRORS},
    summary="Your work",
    **needs(Permission.VIEW_CASE),
)
def dashboard(request: HttpRequest, unit: UnitParam = "") -> Dashboard:
    """Your open actions, overdue checklist items, alerts awaiting your answer, referrals
    awaiting acceptance, concerns unanswered and your draft reports, on the cases you may see
    (overdue items and concerns of one command unit and those below it, if ``unit`` is given);
    audited."""
    return services.dashboard(actor(request), face=FACE, unit=unit.strip())


@router.get(
    "/review-queue",
    response={200: Window[QueueRow], **READ_ERRORS},
    summary="Cases awaiting categorisation or sign-off",
    **needs(Permission.CATEGORISE),
)
def review_queue(
    request: HttpRequest,
    unit: UnitParam = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> Window[QueueRow]:
    """Cases with no category decided, or below the floor without an override; those with
    overdue checklist items first; optionally of one command unit and those below it;
    audited."""
    total, rows = services.review_queue(
        actor(request), face=FACE, unit=unit.strip(), limit=limit, offset=offset
    )
    return Window[QueueRow](total=total, limit=limit, offset=offset, items=rows)


@router.get(
    "/overdue",
    response={200: list[OverdueItem], **READ_ERRORS},
    summary="Overdue checklist items",
    **needs(Permission.VIEW_CASE),
)
def overdue(request: HttpRequest) -> list[OverdueItem]:
    """Unmet checklist items past their deadline on the cases you may see, oldest first;
    audited."""
    return case_overdue(actor(request), face=FACE)
