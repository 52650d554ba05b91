"""Investigation on a case: liaison and concerns, exhibits and custody, actions, referrals. Each
write needs the case's ETag in If-Match and returns the case as it now stands."""

from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Path, Router

from vigil import services
from vigil.api.cases import CASE, FACE, IfMatch
from vigil.api.documents import case_response
from vigil.api.etags import expected_version
from vigil.api.problems import READ_ERRORS
from vigil.api.schemas import AnswerIn, MoveActionIn, NoticeAnswerIn, ReferralAnswerIn
from vigil.api.security import actor, needs
from vigil.domain.access import Permission
from vigil.domain.investigation import Action, CustodyEvent, Exhibit, LiaisonEntry, Referral
from vigil.services import CaseConcern, case_concerns

router = Router(tags=["casework"])

ExhibitRef = Annotated[str, Path(example="E-1")]
ActionRef = Annotated[str, Path(example="A-1")]
NoticeRef = Annotated[str, Path(example="RL-1")]
ReferralRef = Annotated[str, Path(example="R-1")]
ConcernId = Annotated[int, Path(ge=1, le=2**62)]


@router.get(
    "/cases/{path:reference}/concerns",
    response={200: list[CaseConcern], **READ_ERRORS},
    summary="Concerns of family and friends, with their ids",
    **needs(Permission.VIEW_CASE),
)
def concerns(request: HttpRequest, reference: str) -> list[CaseConcern]:
    return case_concerns(actor(request), reference, face=FACE)


@router.post(
    "/cases/{path:reference}/liaison",
    response=CASE,
    summary="Log contact with family or friends",
    **needs(
        Permission.INVESTIGATE,
        example={
            "person_ref": "P-1",
            "at": "2015-06-03T10:00:00Z",
            "method": "in_person",
            "officer": "DC 1234",
            "summary": "Told of the death; says he never took drugs alone.",
            "concerns": [{"text": "Who was he with that night?"}],
        },
    ),
)
def log_liaison(
    request: HttpRequest, reference: str, body: LiaisonEntry, if_match: IfMatch = None
) -> HttpResponse:
    version = expected_version(if_match)
    state = services.log_liaison(actor(request), reference, body, expected_version=version)
    return case_response(request, state)


@router.post(
    "/cases/{path:reference}/concerns/{concern_id}/answer",
    response=CASE,
    summary="Answer a concern",
    **needs(
        Permission.INVESTIGATE,
        example={"answer": "CCTV from the station shows him with two men; enquiries continue."},
    ),
)
def answer_concern(
    request: HttpRequest,
    reference: str,
    concern_id: ConcernId,
    body: AnswerIn,
    if_match: IfMatch = None,
) -> HttpResponse:
    version = expected_version(if_match)
    state = services.answer_concern(
        actor(request), reference, concern_id, body.answer, expected_version=version
    )
    return case_response(request, state)


@router.post(
    "/cases/{path:reference}/exhibits",
    response=CASE,
    summary="Record an exhibit",
    **needs(
        Permission.INVESTIGATE,
        example={
            "ref": "E-2",
            "description": "Glass bottle with clear liquid",
            "kind": "container",
            "custody": [
                {
                    "kind": "seized",
                    "at": "2015-06-02T07:30:00Z",
                    "from_holder": "scene",
                    "to_holder": "PC 4821",
                    "by": "PC 4821",
                }
            ],
        },
    ),
)
def record_exhibit(
    request: HttpRequest, reference: str, body: Exhibit, if_match: IfMatch = None
) -> HttpResponse:
    version = expected_version(if_match)
    state = services.record_exhibit(actor(request), reference, body, expected_version=version)
    return case_response(request, state)


@router.post(
    "/cases/{path:reference}/exhibits/{exhibit_ref}/custody",
    response=CASE,
    summary="Record a custody event",
    **needs(
        Permission.INVESTIGATE,
        example={
            "kind": "booked_in",
            "at": "2015-06-02T09:00:00Z",
            "from_holder": "PC 4821",
            "to_holder": "Property store",
            "by": "PC 4821",
        },
    ),
)
def record_custody(
    request: HttpRequest,
    reference: str,
    exhibit_ref: ExhibitRef,
    body: CustodyEvent,
    if_match: IfMatch = None,
) -> HttpResponse:
    """Appended to the exhibit's chain: it must start where the last event ended."""
    version = expected_version(if_match)
    state = services.record_custody(
        actor(request), reference, exhibit_ref, body, expected_version=version
    )
    return case_response(request, state)


@router.post(
    "/cases/{path:reference}/actions",
    response=CASE,
    summary="Raise an action",
    **needs(
        Permission.INVESTIGATE,
        example={
            "ref": "A-2",
            "kind": "cctv",
            "title": "Seek CCTV from the station and the churchyard gate",
            "history": [{"state": "raised", "at": "2015-06-02T08:00:00Z", "by": "PS 1234"}],
        },
    ),
)
def raise_action(
    request: HttpRequest, reference: str, body: Action, if_match: IfMatch = None
) -> HttpResponse:
    version = expected_version(if_match)
    state = services.raise_action(actor(request), reference, body, expected_version=version)
    return case_response(request, state)


@router.post(
    "/cases/{path:reference}/actions/{action_ref}/steps",
    response=CASE,
    summary="Move an action one step on",
    **needs(
        Permission.INVESTIGATE,
        example={"state": "allocated", "owner": "investigator1", "note": "Urgent"},
    ),
)
def move_action(
    request: HttpRequest,
    reference: str,
    action_ref: ActionRef,
    body: MoveActionIn,
    if_match: IfMatch = None,
) -> HttpResponse:
    """raised -> allocated (to a named owner) -> completed -> resulted -> filed."""
    version = expected_version(if_match)
    state = services.move_action(
        actor(request),
        reference,
        action_ref,
        body.state,
        owner=body.owner,
        note=body.note,
        result=body.result,
        expected_version=version,
    )
    return case_response(request, state)


@router.post(
    "/cases/{path:reference}/actions/{notice_ref}/answer",
    response=CASE,
    summary="Answer a notice of a restricted link",
    **needs(
        Permission.ANSWER_ALERT,
        example={"result": "Asked the team: they will name me if the reporter agrees."},
    ),
)
def answer_notice(
    request: HttpRequest,
    reference: str,
    notice_ref: NoticeRef,
    body: NoticeAnswerIn,
    if_match: IfMatch = None,
) -> HttpResponse:
    """A notice the linkage engine raised on a death linked to a record you may not see: the
    result recorded, the action resulted."""
    version = expected_version(if_match)
    state = services.answer_notice(
        actor(request), reference, notice_ref, body.result, expected_version=version
    )
    return case_response(request, state)


@router.post(
    "/cases/{path:reference}/referrals",
    response=CASE,
    summary="Make a referral",
    **needs(
        Permission.INVESTIGATE,
        example={
            "ref": "R-2",
            "to_team": "Homicide and Major Crime Command",
            "made_at": "2015-06-02T09:00:00Z",
            "made_by": "PS 1234",
            "reason": "Second GHB death near the churchyard in a month.",
        },
    ),
)
def make_referral(
    request: HttpRequest, reference: str, body: Referral, if_match: IfMatch = None
) -> HttpResponse:
    version = expected_version(if_match)
    state = services.make_referral(actor(request), reference, body, expected_version=version)
    return case_response(request, state)


@router.post(
    "/cases/{path:reference}/referrals/{referral_ref}/answer",
    response=CASE,
    summary="Accept or decline a referral",
    **needs(
        Permission.ANSWER_REFERRAL,
        example={"accept": True, "reason": "Accepted: linked to an open series."},
    ),
)
def answer_referral(
    request: HttpRequest,
    reference: str,
    referral_ref: ReferralRef,
    body: ReferralAnswerIn,
    if_match: IfMatch = None,
) -> HttpResponse:
    version = expected_version(if_match)
    state = services.answer_referral(
        actor(request), reference, referral_ref, body.accept, body.reason, expected_version=version
    )
    return case_response(request, state)
