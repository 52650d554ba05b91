"""The reviewing officer's queue (vigil.services.queues) and the decision on one case: sign off
the category in force, or choose another with a reason, through ``decide_category`` (below the
floor only a supervisor of the policy pack may, as an override with its own reason)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from vigil import services
from vigil.domain.access import Permission
from vigil.domain.enums import Category
from vigil.services.queues import review_queue
from vigil.web.common import actor_of
from vigil.web.views import checklist, page

PAGE = 50
SIGN_OFF, OVERRIDE = "sign-off", "override"
# Where a refusal of decide_category is shown (beside which field of the form it came from),
# by the field the service names.
FIELD_IDS = {
    "category": "category",
    "override_by": "category",
    "rationale": "rationale",
    "override_reason": "reason",
}


@page
def queue(request: HttpRequest) -> HttpResponse:
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    total, rows = review_queue(
        actor_of(request), face="web", limit=PAGE, offset=(number - 1) * PAGE
    )
    return render(
        request,
        "vigil/review_queue.html",
        {
            "rows": rows,
            "total": total,
            "page": number,
            "has_next": number * PAGE < total,
            "has_prev": number > 1,
        },
    )


def _field_id(action: str, field: str) -> str:
    return f"{action}-{FIELD_IDS[field]}" if field in FIELD_IDS else "decision"


def _decide(request: HttpRequest, reference: str, values: dict[str, str]) -> dict[str, str]:
    """Record the decision the form asks for; the errors by field id (none if recorded)."""
    action = values["action"]
    errors: dict[str, str] = {}
    try:
        version = int(values["version"])
    except ValueError:
        return {"decision": "The form lost the version of the case it was read at: reload it"}
    try:
        category = Category(values["category"])
    except ValueError:
        errors[f"{action}-category"] = "Select the category"
    if not values["rationale"].strip():
        errors[f"{action}-rationale"] = "Enter the reasons for the category"
    if errors:
        return errors
    try:
        services.decide_category(
            actor_of(request),
            reference,
            category,
            values["rationale"].strip(),
            override_reason=values["reason"].strip() or None,
            expected_version=version,
        )
    except services.StaleVersion as exc:
        return {"decision": exc.reason[0].upper() + exc.reason[1:]}
    except services.Invalid as exc:
        return {_field_id(action, exc.field): exc.reason[0].upper() + exc.reason[1:]}
    return {}


@page
@require_http_methods(["GET", "POST"])
def review_case(request: HttpRequest, reference: str) -> HttpResponse:
    actor = actor_of(request)
    services.require(actor, Permission.CATEGORISE)
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = OVERRIDE if request.POST.get("action") == OVERRIDE else SIGN_OFF
        values = {
            "action": action,
            "version": request.POST.get("version", ""),
            "category": request.POST.get("category", ""),
            "rationale": request.POST.get("rationale", ""),
            "reason": request.POST.get("override_reason", ""),
        }
        errors = _decide(request, reference, values)
        if not errors:
            label = Category(values["category"]).label
            verb = "signed off as" if action == SIGN_OFF else "decided:"
            messages.success(request, f"Case {reference}: category {verb} {label}.")
            return redirect("review-queue")
    state = services.view_case(actor, reference, face="web")
    ev = state.evaluation
    context: dict[str, Any] = {
        "case": state.view,
        "ev": ev,
        "checklist": checklist(ev),
        "version": values.get("version") or state.version,
        "values": values,
        "errors": errors,
        "err": {key.replace("-", "_"): message for key, message in errors.items()},
        "summary": list(errors.items()),
        "categories": [
            (c.value, c.label, values.get("action") == OVERRIDE and values["category"] == c.value)
            for c in Category
        ],
        "below": [c.value for c in Category if c.rank < ev.floor.rank],
    }
    return render(request, "vigil/review_case.html", context)
