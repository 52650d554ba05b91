"""The audit reader's page: who viewed or changed a case, what a user did
(``vigil.services.readmodels.auditreader``: the ``read_audit`` permission, need-to-know and the
audit of
every reading are there)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vigil.services import PAGE, Invalid, NotFound, audit_trail
from vigil.web.common import actor_of
from vigil.web.views import page


@page
def audit_page(request: HttpRequest) -> HttpResponse:
    case = request.GET.get("case", "")[:200]
    user = request.GET.get("user", "")[:200]
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    trail, errors, status = None, [], 200
    try:
        trail = audit_trail(
            actor_of(request),
            case=case,
            user=user,
            face="web",
            limit=PAGE,
            offset=(number - 1) * PAGE,
        )
    except NotFound as exc:  # a hidden case answers exactly as a missing one
        errors, status = [("case", _sentence(exc.reason))], 404
    except Invalid as exc:
        errors, status = [(exc.field, _sentence(exc.reason))], 400
    return render(
        request,
        "vigil/audit_trail.html",
        {"case": case, "username": user, "trail": trail, "errors": errors, "page": number},
        status=status,
    )


def _sentence(reason: str) -> str:
    return reason[:1].upper() + reason[1:]
