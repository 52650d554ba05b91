"""Cases: list and search, read (with ETag), open, record facts and persons, categorise, and
who may see a case."""

from typing import Annotated

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Header, Path, Query, Router

from vigil import services
from vigil.api.documents import case_response
from vigil.api.etags import expected_version
from vigil.api.problems import READ_ERRORS, WRITE_ERRORS
from vigil.api.schemas import DecisionIn, FactsIn, NameIn, OpenCaseIn, PreviewIn, RestrictIn
from vigil.api.security import actor, needs
from vigil.domain.access import Permission
from vigil.domain.base import When
from vigil.domain.enums import RecordKind
from vigil.domain.facts import report_facts
from vigil.domain.people import PersonEntry
from vigil.policy.result import Evaluation
from vigil.services import (
    Access,
    CaseDocument,
    CaseLinks,
    CaseSummary,
    Results,
    Window,
    case_page,
    name_on_case_at_version,
    restrict_case_at_version,
    unname_from_case_at_version,
    unrestrict_case_at_version,
)

FACE = "api"
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="The case's ETag as you read it. Required: 428 without it, 412 if stale.",
    ),
]
CASE = {200: CaseDocument, **WRITE_ERRORS}
UnitParam = Annotated[
    str,
    Query(
        max_length=20,
        description="A command unit's code: its cases and those of the units below it (all "
        "units when empty or 'all'); an unknown code is refused (422)",
    ),
]

router = Router(tags=["cases"])

EXAMPLE_REPORT = {
    "reported_at": "2015-06-02T06:30:00Z",
    "found_at": "2015-06-02T06:10:00Z",
    "location": {
        "address": "St Testing's churchyard, London E6 2AB",
        "latitude": 51.5386,
        "longitude": 0.0811,
        "place_type": "churchyard",
    },
    "deceased": {"sex": "male", "age": 24, "known_illness": False},
    "scene": {"phone": "missing", "note_present": True},
    "toxicology": {"status": "pending"},
}


@router.get(
    "/cases",
    response={200: Window[CaseSummary], **READ_ERRORS},
    summary="List or search cases",
    **needs(Permission.SEARCH),
)
def list_cases(
    request: HttpRequest,
    q: Annotated[str, Query(max_length=100, description="Reference or name")] = "",
    unit: UnitParam = "",
    kind: Annotated[
        RecordKind | None, Query(description="Only records of this kind (death, drugging, ...)")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> Window[CaseSummary]:
    """Cases the caller may see, most recently reported first, optionally of one command unit
    (and the units below it) and of one kind of record; audited as a consultation."""
    total, rows = services.list_cases(
        actor(request),
        face=FACE,
        search=q.strip(),
        unit=unit.strip(),
        kind=kind.value if kind else "",
        limit=limit,
        offset=offset,
    )
    return Window[CaseSummary](total=total, limit=limit, offset=offset, items=rows)


@router.get(
    "/search",
    response={200: Results, **READ_ERRORS},
    summary="Full-text search across cases, persons and identifiers",
    **needs(Permission.SEARCH),
)
def search_cases(
    request: HttpRequest,
    q: Annotated[str, Query(max_length=200, description="Words, all of which must be found")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> Results:
    """Cases you may see in which every word is found, in what you may see of them (a name
    withheld from you is never matched), with what matched; audited with the words."""
    return services.search_cases(actor(request), q, face=FACE, limit=limit, offset=offset)


@router.post(
    "/reports/preview",
    response={200: Evaluation, **READ_ERRORS},
    summary="What policy says of facts not yet saved",
    **needs(
        Permission.RECORD_CASE,
        example={"report": EXAMPLE_REPORT},
    ),
)
def preview_report(request: HttpRequest, body: PreviewIn) -> Evaluation:
    """The floor, the category and the unmet checklist items for the report (with an open
    case's ``reference``: its facts with these laid over them). Nothing is saved. A record
    that is not a death has no category or checklist: refused, field ``report.kind``."""
    paths = report_facts(body.report).keys()
    evaluation = services.preview_report(
        actor(request), body.report, face=FACE, reference=body.reference, paths=paths
    )
    if evaluation is None:
        raise services.Invalid(
            "report.kind", "only a death has a category and a checklist to preview"
        )
    return evaluation


@router.post(
    "/cases",
    response={201: CaseDocument, **READ_ERRORS},
    summary="Open a case",
    **needs(
        Permission.RECORD_CASE,
        example={
            "reference": "MPS-2015-000124",
            "known_at": "2015-06-02T06:30:00Z",
            "report": EXAMPLE_REPORT,
        },
    ),
)
def open_case(request: HttpRequest, body: OpenCaseIn) -> HttpResponse:
    """A new case with the facts known so far (a draft may hold very few): a death, or with
    ``report.kind`` a drugging report (``drugging``) or an intelligence entry
    (``intelligence``). The kind is fixed once the case is opened."""
    state = services.open_case(actor(request), body.reference, body.report, known_at=body.known_at)
    location = reverse("api:case", args=[state.view.reference])
    return case_response(request, state, status=201, location=location)


@router.post(
    "/cases/{path:reference}/facts",
    response=CASE,
    summary="Record facts",
    **needs(
        Permission.RECORD_CASE,
        example={
            "known_at": "2015-07-20T10:00:00Z",
            "report": {"toxicology": {"status": "confirmed", "substances": ["ghb"]}},
        },
    ),
)
def record_facts(
    request: HttpRequest, reference: str, body: FactsIn, if_match: IfMatch = None
) -> HttpResponse:
    """Record the fields given as known at ``known_at`` (default: now)."""
    version = expected_version(if_match)
    state = services.record_facts(
        actor(request), reference, body.report, known_at=body.known_at, expected_version=version
    )
    return case_response(request, state)


@router.post(
    "/cases/{path:reference}/persons",
    response=CASE,
    summary="Record a person",
    **needs(
        Permission.RECORD_CASE,
        example={
            "ref": "P-2",
            "name": "Sam Friend",
            "roles": ["friend"],
            "identifiers": [{"kind": "phone", "value": "07700 900123"}],
            "statement": "Saw him at a party the night before.",
        },
    ),
)
def record_person(
    request: HttpRequest, reference: str, body: PersonEntry, if_match: IfMatch = None
) -> HttpResponse:
    """Record a person's part in the case (roles merge; new identifiers are added)."""
    version = expected_version(if_match)
    state = services.record_person(actor(request), reference, body, expected_version=version)
    return case_response(request, state)


@router.post(
    "/cases/{path:reference}/category",
    response=CASE,
    summary="Decide the category (sign-off)",
    **needs(
        Permission.CATEGORISE,
        example={
            "category": "homicide",
            "rationale": "Drugged with GHB and moved after death; the caller's account fails.",
        },
    ),
)
def decide_category(
    request: HttpRequest, reference: str, body: DecisionIn, if_match: IfMatch = None
) -> HttpResponse:
    """Below the floor only with a supervisor's ``override_reason``."""
    version = expected_version(if_match)
    state = services.decide_category(
        actor(request),
        reference,
        body.category,
        body.rationale,
        override_reason=body.override_reason,
        expected_version=version,
    )
    return case_response(request, state)


@router.get(
    "/cases/{path:reference}/access",
    response={200: Access, **READ_ERRORS},
    summary="Who may see the case",
    **needs(Permission.VIEW_CASE),
)
def case_access(request: HttpRequest, reference: str) -> Access:
    restricted, named = services.case_access(actor(request), reference, face=FACE)
    return Access(restricted=restricted, named=named)


@router.post(
    "/cases/{path:reference}/restriction",
    response={200: Access, **WRITE_ERRORS},
    summary="Restrict the case to the users named on it",
    **needs(Permission.RESTRICT_CASE, example={"names": []}),
)
def restrict(
    request: HttpRequest, reference: str, body: RestrictIn, if_match: IfMatch = None
) -> Access:
    """You are named, with ``names`` and anyone named before."""
    version = expected_version(if_match)
    named = restrict_case_at_version(actor(request), reference, body.names, version=version)
    return Access(restricted=True, named=named)


@router.delete(
    "/cases/{path:reference}/restriction",
    response={204: None, **WRITE_ERRORS},
    summary="Lift the restriction",
    **needs(Permission.RESTRICT_CASE),
)
def unrestrict(request: HttpRequest, reference: str, if_match: IfMatch = None) -> HttpResponse:
    version = expected_version(if_match)
    unrestrict_case_at_version(actor(request), reference, version=version)
    return HttpResponse(status=204)


@router.post(
    "/cases/{path:reference}/named",
    response={204: None, **WRITE_ERRORS},
    summary="Name a user on the case",
    **needs(Permission.RESTRICT_CASE, example={"username": "duty-inspector"}),
)
def name_user(
    request: HttpRequest, reference: str, body: NameIn, if_match: IfMatch = None
) -> HttpResponse:
    version = expected_version(if_match)
    name_on_case_at_version(actor(request), reference, body.username, version=version)
    return HttpResponse(status=204)


@router.delete(
    "/cases/{path:reference}/named/{username}",
    response={204: None, **WRITE_ERRORS},
    summary="Take a user off the case",
    **needs(Permission.RESTRICT_CASE),
)
def unname_user(
    request: HttpRequest,
    reference: str,
    username: Annotated[str, Path(example="duty-inspector")],
    if_match: IfMatch = None,
) -> HttpResponse:
    version = expected_version(if_match)
    unname_from_case_at_version(actor(request), reference, username, version=version)
    return HttpResponse(status=204)


@router.get(
    "/cases/{path:reference}/links",
    response={200: CaseLinks, **READ_ERRORS},
    summary="Linked cases with the explanation of each score",
    **needs(Permission.VIEW_CASE),
)
def linked_cases(request: HttpRequest, reference: str) -> CaseLinks:
    """Links to cases you may see, strongest first (for roles that see alerts or series), what
    the report still lacks if it is a draft, and the confirmed series the case is in (as you
    may see it: a case you may not see is neither named nor counted); audited as a
    consultation of the case."""
    return case_page(actor(request), reference, face=FACE).linked


# Registered last: ``{path:reference}`` would otherwise swallow the paths above.
read_router = Router(tags=["cases"])


@read_router.get(
    "/cases/{path:reference}",
    response={200: CaseDocument, 304: None, **READ_ERRORS},
    summary="Read a case",
    url_name="case",
    **needs(Permission.VIEW_CASE),
)
def read_case(
    request: HttpRequest,
    reference: str,
    as_of: Annotated[When | None, Query(description="The case as it stood then")] = None,
) -> HttpResponse:
    """The case masked for your role, with an ETag (``If-None-Match`` gives 304); audited."""
    state = services.view_case(actor(request), reference, face=FACE, as_of=as_of)
    return case_response(request, state)
