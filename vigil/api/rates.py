"""Rate alerts: deaths of a certifier, institution or unit above their expected rate (the
store's CUSUM screen), listed, opened and answered as on the pages."""

from typing import Annotated

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema

from vigil import services
from vigil.api.cases import FACE
from vigil.api.problems import READ_ERRORS
from vigil.api.security import actor, needs
from vigil.domain.access import Permission
from vigil.services import RateAlertPage, RateAlertRow, RateVerdict

router = Router(tags=["rate alerts"])

RateAlertId = Annotated[int, Path(ge=1, le=2**62, description="The rate alert's id")]


class RateAnswerIn(Schema):
    verdict: RateVerdict
    reason: str


@router.get(
    "/rate-alerts",
    response={200: list[RateAlertRow], **READ_ERRORS},
    summary="Rate alerts",
    **needs(Permission.VIEW_ALERTS),
)
def list_rate_alerts(
    request: HttpRequest,
    status: Annotated[str, Query(description="awaiting (the default), answered or all")] = (
        "awaiting"
    ),
    mine: Annotated[bool, Query(description="Only those put before you")] = False,
) -> list[RateAlertRow]:
    """Newest first; audited as a consultation."""
    who = actor(request)
    return services.list_rate_alerts(
        who, face=FACE, status=status, analyst=who.username if mine else None
    )


@router.get(
    "/rate-alerts/{rate_alert_id}",
    response={200: RateAlertPage, **READ_ERRORS},
    summary="A rate alert: its words, its chart by month, the cases you may see, its answers",
    **needs(Permission.VIEW_ALERTS),
)
def rate_alert(request: HttpRequest, rate_alert_id: RateAlertId) -> RateAlertPage:
    return services.rate_alert(actor(request), rate_alert_id, face=FACE)


@router.post(
    "/rate-alerts/{rate_alert_id}/answer",
    response={200: RateAlertPage, **READ_ERRORS},
    summary="Answer a rate alert: concern or no_concern, with a reason",
    **needs(
        Permission.ANSWER_ALERT,
        example={"verdict": "no_concern", "reason": "A hospice ward opened in January."},
    ),
)
def answer(request: HttpRequest, rate_alert_id: RateAlertId, body: RateAnswerIn) -> RateAlertPage:
    """Append-only: the latest answer is the one in force."""
    who = actor(request)
    services.judge_rate_alert(who, rate_alert_id, body.verdict, body.reason)
    return services.rate_alert(who, rate_alert_id, face=FACE)
