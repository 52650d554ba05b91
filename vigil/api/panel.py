"""The independent advisory panel's review: refer a case or a series, the panel member's queue,
the supervisors' list, a referral's review pack (as the panel sees it), the advice, and the
answer to it. The services hold every rule (need-to-know, masking, who may do what, audit)."""

from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema

from vigil import services
from vigil.api.cases import FACE
from vigil.api.problems import READ_ERRORS
from vigil.api.security import actor, needs
from vigil.domain.access import Permission
from vigil.domain.base import When
from vigil.services import PackDocument, ReferralShown

router = Router(tags=["panel"])

ReferralId = Annotated[int, Path(ge=1, le=2**62, description="The referral's id")]
AdviceId = Annotated[int, Path(ge=1, le=2**62, description="The advice's id")]
REFERRAL = {200: ReferralShown, **READ_ERRORS}
EXAMPLE_REFERRAL = {
    "question": "Was the death categorised too early, before the phone was traced?",
    "panel_member": "",
}


class ReferralIn(Schema):
    question: str = Field(description="What the panel is asked to advise on.")
    panel_member: str = Field(
        default="", description="The panel member to put it to; '' for any panel member."
    )
    answer_due: When | None = Field(
        default=None,
        description=f"When the advice is due; {services.ADVICE_WITHIN.days} days from now if "
        "not given.",
    )


class AdviceIn(Schema):
    text: str


class AdviceAnswerIn(Schema):
    accepted: bool
    reason: str


def _refer(request: HttpRequest, reference: str, body: ReferralIn, series: bool) -> ReferralShown:
    return services.refer_to_panel(
        actor(request),
        reference,
        body.question,
        series=series,
        panel_member=body.panel_member,
        answer_due=body.answer_due,
    )


@router.post(
    "/cases/{path:reference}/panel-referrals",
    response=REFERRAL,
    summary="Refer a case to the advisory panel",
    **needs(Permission.REFER_TO_PANEL, example=EXAMPLE_REFERRAL),
)
def refer_case(request: HttpRequest, reference: str, body: ReferralIn) -> ReferralShown:
    """A restricted case goes only to a panel member named on it; audited."""
    return _refer(request, reference, body, series=False)


@router.post(
    "/series/{path:reference}/panel-referrals",
    response=REFERRAL,
    summary="Refer the confirmed series a case is in to the advisory panel",
    **needs(Permission.REFER_TO_PANEL, example=EXAMPLE_REFERRAL),
)
def refer_series(request: HttpRequest, reference: str, body: ReferralIn) -> ReferralShown:
    """The series as you may see it; its restricted cases go only to a panel member named on
    each; audited."""
    return _refer(request, reference, body, series=True)


@router.get(
    "/panel/queue",
    response={200: list[ReferralShown], **READ_ERRORS},
    summary="The panel member's queue",
    **needs(Permission.ADVISE),
)
def queue(request: HttpRequest) -> list[ReferralShown]:
    """Referrals put to you or to any panel member, on cases you may see; awaiting advice
    first; audited."""
    return services.panel_queue(actor(request), face=FACE)


@router.get(
    "/panel/referrals",
    response={200: list[ReferralShown], **READ_ERRORS},
    summary="Referrals to the panel",
    **needs(Permission.REFER_TO_PANEL),
)
def referrals(request: HttpRequest) -> list[ReferralShown]:
    """Referrals on cases you may see; advice awaiting an answer first; audited."""
    return services.panel_referrals(actor(request), face=FACE)


@router.get(
    "/panel/referrals/{referral_id}",
    response={200: PackDocument, **READ_ERRORS},
    summary="A referral and its review pack",
    **needs(Permission.VIEW_SERIES),
)
def review_pack(request: HttpRequest, referral_id: ReferralId) -> PackDocument:
    """The referral with its advice and answers, and each case (and the series) as the panel
    member's role sees it: no identities, nothing sensitive, places to about a kilometre; each
    case read is audited."""
    return services.review_pack(actor(request), referral_id, face=FACE).document()


@router.post(
    "/panel/referrals/{referral_id}/advice",
    response=REFERRAL,
    summary="Give the panel's advice",
    **needs(
        Permission.ADVISE,
        example={"text": "Trace the phone before the category is decided; ask the family."},
    ),
)
def advise(request: HttpRequest, referral_id: ReferralId, body: AdviceIn) -> ReferralShown:
    """The referring officer must answer it within the deadline; audited."""
    return services.record_advice(actor(request), referral_id, body.text)


@router.post(
    "/panel/advice/{advice_id}/answer",
    response=REFERRAL,
    summary="Answer the panel's advice",
    **needs(
        Permission.REFER_TO_PANEL,
        example={"accepted": True, "reason": "The phone is being traced; category deferred."},
    ),
)
def answer(request: HttpRequest, advice_id: AdviceId, body: AdviceAnswerIn) -> ReferralShown:
    """Accepted or not, with a reason; a later answer supersedes it (both kept); audited."""
    return services.answer_advice(actor(request), advice_id, body.accepted, body.reason)
