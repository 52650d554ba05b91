"""The search page: full-text search across the cases, persons and identifiers the user may see
(``vigil.services.readmodels.search``: need-to-know, masking and the audit of every search are
there)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vigil.domain.enums import RecordKind
from vigil.domain.kinds import noun
from vigil.services import MAX_LENGTH, Invalid, page_of, search_cases
from vigil.web.analysis import category_label
from vigil.web.common import actor_of
from vigil.web.views import page

PAGE = 20


@page
def search(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    query = request.GET.get("q")
    kind = request.GET.get("kind", "")
    try:
        number = min(max(1, int(request.GET.get("page", "1"))), 10_000)
    except ValueError:
        number = 1
    results, error = None, None
    if query is not None:
        try:
            results = search_cases(
                actor,
                query,
                face="web",
                limit=PAGE,
                offset=(number - 1) * PAGE,
                sort=request.GET.get("sort"),
                direction=request.GET.get("dir"),
                kind=kind,
            )
        except Invalid as exc:
            error = exc.reason[:1].upper() + exc.reason[1:]
    return render(
        request,
        "vigil/search.html",
        {
            "q": (query or "")[: MAX_LENGTH * 2],
            "results": results,
            "hits": [(hit, category_label(hit.category)) for hit in results.hits]
            if results
            else [],
            "error": error,
            "error_list": [("q", error)] if error else [],
            "page": number,
            "listing": page_of(results.hits, results.total, results.offset, PAGE, results.order)
            if results
            else None,
            "max_length": MAX_LENGTH,
            "kind": kind,
            "kinds": [("", "Any"), *((k.value, noun(k).capitalize()) for k in RecordKind)],
        },
        status=400 if error else 200,
    )
