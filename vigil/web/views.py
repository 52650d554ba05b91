"""Pages. They read through services (which audit every consultation) and never write models."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from vigil import services
from vigil.domain.actor import Actor

PAGE = 50


def _actor(request: HttpRequest) -> Actor:
    try:
        return services.actor_for(request.user.get_username())
    except services.NotFound:
        raise PermissionDenied("This account has no Vigil role.") from None


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    total, rows = services.list_cases(
        _actor(request), face="web", search=search, limit=PAGE, offset=(page - 1) * PAGE
    )
    return render(
        request,
        "vigil/case_list.html",
        {
            "cases": rows,
            "total": total,
            "q": search,
            "page": page,
            "has_next": page * PAGE < total,
            "has_prev": page > 1,
        },
    )


@login_required
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    try:
        state = services.view_case(_actor(request), reference, face="web")
    except services.NotFound:
        raise Http404("No such case") from None
    return render(
        request,
        "vigil/case_detail.html",
        {
            "case": state.view,
            "report": state.view.report,
            "ev": state.evaluation,
        },
    )
