"""A case as the API returns it: the JSON body and its ETag."""

from django.http import HttpRequest, HttpResponse

from vigil.api.etags import etag, not_modified
from vigil.services import CaseDocument, CaseState, case_record

JSON = "application/json"
_MOMENT = {"evaluation": {"evaluated_at"}}  # left out of the ETag: it changes on every read


def case_tag(case: CaseDocument) -> str:
    return etag(case.version, case.model_dump_json(exclude=_MOMENT).encode())


def case_response(
    request: HttpRequest, state: CaseState, *, status: int = 200, location: str | None = None
) -> HttpResponse:
    """The case with its ``ETag``; 304 without a body if ``If-None-Match`` names that tag."""
    case = case_record(state)
    tag = case_tag(case)
    if status == 200 and request.method == "GET" and not_modified(request, tag):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(case.model_dump_json(), status=status, content_type=JSON)
    response["ETag"] = tag
    response["Cache-Control"] = "private, no-cache"
    if location:
        response["Location"] = location
    return response
