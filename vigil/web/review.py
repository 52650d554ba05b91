"""The reviewing officer's queue (vigil.services.readmodels.queues) and the decision on one case:
sign off
the category in force, or choose another with a reason, through ``decide_category`` (below the
floor only a supervisor of the policy pack may, as an override with its own reason)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from vigil import services
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.enums import Category
from vigil.services import current_pack, review_listing
from vigil.web import forms
from vigil.web.common import actor_of
from vigil.web.lists import UnitFilterForm, own_unit_first, read_filters, sort_params
from vigil.web.report_fields import F
from vigil.web.templatetags.vigil_words import words
from vigil.web.views import checklist, page

PAGE = 50
SIGN_OFF, OVERRIDE = "sign-off", "override"
RATIONALE = F(
    "rationale", "Reasons for the category", "textarea", hint="Recorded with your name on the case."
)
REASON = F("reason", "Reason for overriding the floor", "textarea")
CATEGORIES = tuple((c.value, c.label) for c in Category)
# The two forms of the page: sign off the category in force (posted with it), or choose one.
DECISION = {
    SIGN_OFF: forms.Layout.of(
        F("category", "Category", "hidden", choices=CATEGORIES), RATIONALE, REASON
    ),
    OVERRIDE: forms.Layout.of(
        F("category", "Category", "radios", choices=CATEGORIES),
        replace(RATIONALE, hint=""),
        replace(REASON, hint="Needed only for a category below the floor."),
    ),
}
# Where a refusal of decide_category is shown, by the field the service names.
FIELDS = {
    "category": "category",
    "override_by": "category",
    "rationale": "rationale",
    "override_reason": "reason",
}


@page
def queue(request: HttpRequest) -> HttpResponse:
    """The queue, sorted and a page at a time by the address; ``overdue=yes`` keeps only the
    cases with overdue checklist items; ``unit`` one command unit's (by default the user's
    own), or all units."""
    actor = actor_of(request)
    overdue_only = request.GET.get("overdue") == "yes"
    units, _ = read_filters(UnitFilterForm, own_unit_first(request.GET, actor.username))
    unit = units.unit_filter()
    listing = review_listing(
        actor,
        face="web",
        overdue_only=overdue_only,
        unit=unit,
        size=PAGE,
        **sort_params(request.GET),
    )
    return render(
        request,
        "vigil/review_queue.html",
        {
            "listing": listing,
            "rows": listing.rows,
            "total": listing.total,
            "overdue_only": overdue_only,
            "unit_form": units,
            "unit_name": units.unit_name(),
        },
    )


def _decision(data: Any | None, action: str) -> forms.Entry:
    """One of the two forms of the page; the other is shown empty."""
    layout = DECISION[action]
    return layout.entry(data, prefix=action, required=("category", "rationale"))


def _refusal(actor: Actor, chosen: Category, exc: services.Invalid) -> tuple[str, str]:
    """Where on the form a refusal of the decision goes, in one or two plain sentences."""
    supervisors = " or ".join(sorted(words(r) for r in current_pack().supervisor_roles))
    below = f"{chosen.label} is below this case's floor"
    if exc.field == "override_reason":
        return "reason", (
            f"Enter your reason for overriding the floor: {below}, so it stands only as your "
            "override with a reason."
        )
    if exc.field == "category":
        return "category", (
            f"{below}: only a {supervisors} can choose it, as an override with a reason. "
            "Choose a category at or above the floor."
        )
    if exc.field == "override_by":
        return "category", (
            f"A {words(actor.role)} cannot override the floor: {below}, and only a "
            f"{supervisors} can choose it. Choose a category at or above the floor."
        )
    return FIELDS.get(exc.field, ""), forms.sentence(exc.reason)


def _decide(actor: Actor, reference: str, entry: forms.Entry, version: int | None) -> bool:
    """Record the decision the form asks for; False with the errors added to the form."""
    if version is None:
        entry.add(None, forms.LOST)
        return False
    if entry.has_errors:
        return False
    values = entry.values
    chosen = Category(values["category"])
    try:
        services.decide_category(
            actor,
            reference,
            chosen,
            values["rationale"],
            override_reason=values.get("reason") or None,
            expected_version=version,
        )
    except services.StaleVersion as exc:
        entry.add(None, forms.sentence(exc.reason))
    except services.Invalid as exc:
        field, message = _refusal(actor, chosen, exc)
        entry.add(field or None, message)
    else:
        return True
    return False


@page
@require_http_methods(["GET", "POST"])
def review_case(request: HttpRequest, reference: str) -> HttpResponse:
    """The case's category, floor and checklist, and the two decisions a reviewing officer can
    record: sign off the category in force, or choose another (below the floor, an override
    with a reason)."""
    actor = actor_of(request)
    services.require(actor, Permission.CATEGORISE)
    action = forms.button(request.POST, (SIGN_OFF, OVERRIDE)) if request.POST else SIGN_OFF
    version = forms.version_read(request.POST) if request.method == "POST" else None
    posted = _decision(request.POST, action) if request.method == "POST" else None
    if posted is not None and _decide(actor, reference, posted, version):
        label = Category(posted.values["category"]).label
        verb = "signed off as" if action == SIGN_OFF else "decided:"
        messages.success(request, f"Case {reference}: category {verb} {label}.")
        return redirect("review-queue")
    state = services.view_case(actor, reference, face="web")
    ev = state.evaluation
    if ev is None:  # not a death: no category to decide
        raise Http404("Only a death has a category to decide")
    sign_off, override = (
        posted if posted is not None and action == name else _decision(None, name)
        for name in (SIGN_OFF, OVERRIDE)
    )
    sign_off.form.initial = {"category": ev.category.value}
    override.form.specs["category"] = replace(
        override.form.specs["category"],
        hint=f"Below the floor ({ev.floor.label.lower()}) only a supervisor may decide, as an "
        "override with a reason.",
    )
    category = override.form.fields["category"]
    category.choices = [  # type: ignore[attr-defined]
        (c.value, c.label + (" (below the floor)" if c.rank < ev.floor.rank else ""))
        for c in Category
    ]
    shown = posted or sign_off
    context: dict[str, Any] = {
        "case": state.view,
        "ev": ev,
        "checklist": checklist(ev),
        "version": state.version if version is None else version,
        "sign_off": sign_off,
        "override": override,
        "stale": posted.form.non_field_errors() if posted else [],
        "summary": forms.error_list(
            shown.bound_fields(), shown.form.non_field_errors(), form_id="decision"
        ),
    }
    return render(request, "vigil/review_case.html", context)
