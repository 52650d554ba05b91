"""What the API answers when it refuses: always JSON with ``error`` (a code), ``field`` (what
is at fault, dotted, or empty) and ``reason`` (a sentence), and for a refused permission the
``permission`` named. The services' errors map to statuses here and nowhere else:

| refusal                                   | status |
|-------------------------------------------|--------|
| not signed in, or second factor not given | 401    |
| role lacks the permission; CSRF failed    | 403    |
| no such case, or one the user may not see | 404    |
| If-Match stale (``StaleVersion``)         | 412    |
| input breaks a rule (``Invalid``)         | 422    |
| a write without If-Match                  | 428    |

Django's own answers under /api/ are problems too, never HTML pages (``ApiProblems``, a
middleware): an unknown path (404 ``not_found``), a method the path does not take (405
``method_not_allowed``, with ``Allow``), a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``
(413 ``too_large``), a server error (500 ``server_error``, which says nothing of its cause;
the log has it) and any other error status.
"""

import json
import re
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from vigil.domain.access import Permission
from vigil.services import Forbidden, Invalid, NotFound, ServiceError, StaleVersion


class FieldProblem(Schema):
    field: str
    reason: str


class Problem(Schema):
    error: str
    field: str = ""
    reason: str
    permission: str | None = None
    errors: list[FieldProblem] = []


class Refused(Exception):
    """The actor's role lacks ``permission`` (raised before the service is called)."""

    def __init__(self, permission: Permission, reason: str) -> None:
        super().__init__(reason)
        self.permission = permission
        self.reason = reason


class CsrfFailed(Exception):
    pass


class PreconditionRequired(Exception):
    """A write to a case without If-Match."""


class PreconditionFailed(Exception):
    """If-Match is not an ETag this API gave."""


# Error statuses an operation may answer, for the OpenAPI document.
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 412: Problem, 428: Problem}


def _problem(
    api: NinjaAPI, request: HttpRequest, status: int, error: str, reason: str, **extra: Any
) -> HttpResponse:
    body = {"error": error, "field": "", "reason": reason, "errors": [], **extra}
    if body["field"] and not body["errors"]:
        body["errors"] = [{"field": body["field"], "reason": reason}]
    return api.create_response(request, body, status=status)


def _permission_named(reason: str) -> str | None:
    """The permission a service's ``Forbidden`` refers to ("a <role> may not <words>")."""
    for permission in Permission:
        if reason.endswith(f"may not {permission.words}"):
            return permission.value
    return None


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    # Ninja's locations are (source, [body parameter,] field, ...).
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[2:]
    elif parts:
        parts = parts[1:]
    return ".".join(parts)


def _reason(message: str) -> tuple[str, str]:
    message = message.removeprefix("Value error, ")
    named = re.match(r"^([\w.]+): (.+)$", message)
    return (named.group(1), named.group(2)) if named else ("", message)


def install(api: NinjaAPI) -> None:
    """Register the handlers that turn refusals into problems on ``api``."""

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        reason = "sign in, with your password and the code from your authenticator, first"
        response = _problem(api, request, 401, "unauthenticated", reason)
        response["WWW-Authenticate"] = 'Cookie realm="vigil", cookie-name="sessionid"'
        return response

    @api.exception_handler(Refused)
    def refused(request: HttpRequest, exc: Refused) -> HttpResponse:
        return _problem(
            api,
            request,
            403,
            "forbidden",
            exc.reason,
            field="permission",
            permission=exc.permission.value,
        )

    @api.exception_handler(CsrfFailed)
    def csrf_failed(request: HttpRequest, exc: CsrfFailed) -> HttpResponse:
        reason = "CSRF check failed: send the csrftoken cookie's value in an X-CSRFToken header"
        return _problem(api, request, 403, "csrf", reason)

    @api.exception_handler(PreconditionRequired)
    def precondition_required(request: HttpRequest, exc: PreconditionRequired) -> HttpResponse:
        reason = "send If-Match with the ETag of the case as you read it (GET it first)"
        return _problem(api, request, 428, "precondition_required", reason, field="If-Match")

    @api.exception_handler(PreconditionFailed)
    def precondition_failed(request: HttpRequest, exc: PreconditionFailed) -> HttpResponse:
        reason = "If-Match is not the ETag of the case as it stands; GET it again"
        return _problem(api, request, 412, "precondition_failed", reason, field="If-Match")

    @api.exception_handler(ServiceError)
    def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        if isinstance(exc, Forbidden):
            return _problem(
                api,
                request,
                403,
                "forbidden",
                exc.reason,
                field=exc.field,
                permission=_permission_named(exc.reason),
            )
        if isinstance(exc, NotFound):
            return _problem(api, request, 404, "not_found", exc.reason, field=exc.field)
        if isinstance(exc, StaleVersion):
            return _problem(api, request, 412, "precondition_failed", exc.reason, field="If-Match")
        status = 422 if isinstance(exc, Invalid) else 400
        return _problem(api, request, status, "invalid", exc.reason, field=exc.field)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = []
        for error in exc.errors:
            field = _field(error.get("loc", ()))
            named, reason = _reason(str(error.get("msg", "is not valid")))
            if named:
                field = f"{field}.{named}" if field else named
            errors.append({"field": field, "reason": reason})
        first = errors[0] if errors else {"field": "", "reason": "the request is not valid"}
        return _problem(
            api, request, 422, "invalid", first["reason"], field=first["field"], errors=errors
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return _problem(api, request, exc.status_code, "bad_request", exc.message)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _problem(api, request, 404, "not_found", NOT_FOUND)

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return _problem(api, request, 413, "too_large", TOO_LARGE)

    @api.exception_handler(DataError)
    def store_refused(request: HttpRequest, exc: DataError) -> HttpResponse:
        # The store refused a value (PostgreSQL: longer than its column); nothing was changed.
        reason = "a value is longer or larger than the store accepts"
        return _problem(api, request, 422, "invalid", reason)


NOT_FOUND = "there is nothing at this address; the OpenAPI document at /api/openapi.json lists them"
TOO_LARGE = "the request body is larger than Vigil accepts"
# What Django's own answers (not the API's) mean, by status, for ``ApiProblems``.
_DJANGO_ANSWERS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "the request could not be read"),
    403: ("forbidden", "the request was refused"),
    404: ("not_found", NOT_FOUND),
    405: ("method_not_allowed", "this address does not take that method"),
    413: ("too_large", TOO_LARGE),
    500: ("server_error", "the server failed to answer; nothing was changed, and it is logged"),
}


def _is_json(response: HttpResponseBase) -> bool:
    return str(response.get("Content-Type", "")).startswith("application/json")


class ApiProblems:
    """Under /api/, an error status that Django answered itself (no route, a method not
    allowed, a server error, a body too large) becomes a JSON problem like the API's own; the
    API's answers and everything outside /api/ pass unchanged. Placed in settings.MIDDLEWARE
    outside the middleware whose refusals it rewrites."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            not request.path_info.startswith("/api/")
            or response.status_code < 400
            or _is_json(response)
        ):
            return response
        problem = _plain_problem(response.status_code)
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if response.has_header(header):
                problem[header] = response[header]
        return problem

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        """A body too large found outside the API's own handlers (a middleware read it)."""
        if request.path_info.startswith("/api/") and isinstance(exc, RequestDataTooBig):
            return _plain_problem(413)
        return None


def _plain_problem(status: int) -> HttpResponse:
    """A problem for a status Django answered (no request to the API's renderer)."""
    if status in _DJANGO_ANSWERS:
        error, reason = _DJANGO_ANSWERS[status]
    else:
        known = status in {s.value for s in HTTPStatus}
        error, reason = "error", HTTPStatus(status).phrase.lower() if known else "error"
    body = {"error": error, "field": "", "reason": reason, "errors": []}
    return HttpResponse(
        json.dumps(body), status=status, content_type="application/json; charset=utf-8"
    )
