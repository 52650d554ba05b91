"""Retrospective reviews of past deaths (``vigil.services`` ``define_review``, ``review_page``,
``record_outcome``): the list of reviews with the form that defines one, a review's deaths with
the items never done under today's policy, what today's linkage finds and an outcome form for
each, and the review's report as a page and as a PDF (the case file's PDF path,
``vigil.web.casefile.pdf_of``)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods

from vigil import services
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.reviews import OUTCOME_LABELS, Outcome, ReviewDefinition
from vigil.web import forms
from vigil.web.casefile import pdf_of
from vigil.web.common import actor_of
from vigil.web.report_fields import PLACE_TYPES, F
from vigil.web.views import page

NEW_FORM, OUTCOME_FORM = "new-review", "outcome"
SENSITIVE = F(
    "selection.sexuality",
    "Recorded sexuality mentions",
    hint="Words of the deceased's recorded sexuality, for example gay. A sensitive field: "
    "only readers allowed sensitive fields may read a review that selects by it.",
)
DEFINE = (
    F("title", "Title of the review", hint="For example, GHB deaths in east London, 2014-15."),
    F("selection.found_from", "Found on or after", "date"),
    F("selection.found_to", "Found on or before", "date"),
    F("selection.substance", "Substance toxicology found", hint="For example ghb."),
    F("selection.place_type", "Type of place", "select", choices=PLACE_TYPES),
    F("selection.age_from", "Aged from", "int", width="3", inputmode="numeric"),
    F("selection.age_to", "Aged up to", "int", width="3", inputmode="numeric"),
    F("selection.unit", "Command unit", hint="Its code; the units below it are included."),
    F("selection.circle.latitude", "Or a circle: latitude of its centre", "float", width="10"),
    F("selection.circle.longitude", "Longitude of its centre", "float", width="10"),
    F("selection.circle.km", "Radius in kilometres", "float", width="5"),
    F("reviewers", "Reviewers", "list", hint="User names, separated by commas (you, if none)."),
    F("panel_sits", "The independent advisory panel sits on this review", "checkbox"),
)
OUTCOMES = tuple((o.value, OUTCOME_LABELS[o]) for o in Outcome)
OUTCOME = forms.Layout.of(
    F("outcome", "Outcome", "radios", choices=OUTCOMES),
    F("rationale", "Rationale", "textarea", hint="Recorded with your name."),
    F("team", "Refer to which team", hint="For a referral: for example Homicide."),
    F("link_to", "The other death of the series", hint="To link to a series: its reference."),
)


REQUIRED = ("outcome", "rationale")


def outcome_counts(content: services.ReviewPage) -> list[tuple[str, int]]:
    """How many of the deaths have each outcome in force, in the order of the outcomes."""
    given = [d.outcome.outcome for d in content.deaths if d.outcome]
    return [(o.label, given.count(o)) for o in Outcome if o in given]


def _define_layout(actor: Actor) -> forms.Layout:
    """The fields of a new review: recorded sexuality only for a reader allowed it; the
    command unit chosen from the units loaded, if there are any."""
    fields = list(DEFINE)
    units = services.unit_choices()
    if units:
        fields[7] = replace(fields[7], kind="select", choices=tuple(units), hint="")
    if services.may(actor, Permission.SEE_SENSITIVE):
        fields.insert(8, SENSITIVE)
    return forms.Layout.of(*fields)


def _define(actor: Actor, entry: forms.Entry) -> int | None:
    """The review the form defines, or None with the errors beside the fields."""
    if entry.has_errors:
        return None
    definition = entry.model_of(ReviewDefinition, entry.given())
    if definition is None:
        return None
    try:
        return services.define_review(actor, definition)
    except services.Invalid as exc:
        entry.refuse(exc.field, exc.reason)
    except services.Forbidden as exc:
        entry.add(None, forms.sentence(exc.reason))
    return None


@page
@require_http_methods(["GET", "POST"])
def review_list(request: HttpRequest) -> HttpResponse:
    """The reviews (newest first) and the form that defines a new one."""
    actor = actor_of(request)
    services.require(actor, services.REVIEW_PERMISSION)
    layout = _define_layout(actor)
    entry = layout.entry(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        created = _define(actor, entry)
        if created is not None:
            messages.success(request, "Review defined: its deaths are re-linked and listed.")
            return redirect("review-detail", created)
    context = {
        "reviews": services.list_reviews(actor, face="web"),
        "entry": entry,
        "fields": list(entry.bound_fields()),
        "errors": forms.error_list(
            entry.bound_fields(), entry.form.non_field_errors(), form_id=NEW_FORM
        ),
        "form_id": NEW_FORM,
    }
    return render(request, "vigil/reviews/list.html", context)


def prefix_of(reference: str) -> str:
    """The prefix of a death's outcome form (its fields' names and ids): from its reference,
    which may hold characters an id may not."""
    return "o" + hashlib.sha256(reference.encode()).hexdigest()[:10]


def _outcome(actor: Actor, review_id: int, reference: str, entry: forms.Entry) -> bool:
    """Record the outcome the form gives; False with the errors added to it."""
    if entry.has_errors:
        return False
    values = entry.given()
    try:
        services.record_outcome(
            actor,
            review_id,
            reference,
            Outcome(values["outcome"]),
            values["rationale"],
            team=values.get("team"),
            link_to=values.get("link_to"),
        )
    except services.Invalid as exc:
        entry.refuse(exc.field if exc.field in OUTCOME.fields else "", exc.reason)
        return False
    except services.Forbidden as exc:  # a referral by a role that may not make one
        entry.add(None, forms.sentence(exc.reason))
        return False
    return True


def _post(request: HttpRequest, actor: Actor, review_id: int) -> tuple[bool, Any]:
    """A form of the review page: re-link, close, or one death's outcome. (done, the outcome
    form with its errors and its reference, if that was it)."""
    action = forms.button(request.POST, (OUTCOME_FORM, "relink", "close"))
    if action in ("relink", "close"):
        try:
            if action == "relink":
                count = services.relink_review(actor, review_id)
                messages.success(request, f"{count} death{'s' if count != 1 else ''} re-linked.")
            else:
                services.close_review(actor, review_id)
                messages.success(request, "Review closed: it takes no more outcomes.")
        except services.Invalid as exc:
            messages.error(request, forms.sentence(exc.reason))
        return True, None
    reference = forms.hidden_text(request.POST, "reference")
    entry = OUTCOME.entry(request.POST, prefix=prefix_of(reference), required=REQUIRED)
    if _outcome(actor, review_id, reference, entry):
        messages.success(request, f"Outcome recorded for case {reference}.")
        return True, None
    return False, (reference, entry)


@page
@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    """The review's deaths, each with the items never done under today's policy, what today's
    linkage finds and (for its reviewers) an outcome form."""
    actor = actor_of(request)
    posted = None
    if request.method == "POST":
        done, posted = _post(request, actor, review_id)
        if done:
            return redirect("review-detail", review_id)
    content = services.review_page(actor, review_id, face="web")
    rows = []
    for death in content.deaths:
        prefix = prefix_of(death.reference)
        entry = posted[1] if posted and posted[0] == death.reference else None
        entry = entry or OUTCOME.entry(prefix=prefix)
        rows.append({"death": death, "entry": entry, "prefix": prefix})
    errors = []
    if posted:
        entry = posted[1]
        errors = forms.error_list(
            entry.bound_fields(), entry.form.non_field_errors(), form_id=prefix_of(posted[0])
        )
    context = {
        "page": content,
        "review": content.review,
        "rows": rows,
        "errors": errors,
        "open": content.review.status == "open",
    }
    return render(request, "vigil/reviews/detail.html", context)


def report_html(request: HttpRequest, actor: Actor, content: services.ReviewPage) -> str:
    """The review's report as the print template writes it (already masked)."""
    context = {
        "page": content,
        "review": content.review,
        "reader": actor.username,
        "role": actor.role,
        "printed": services.utcnow(),
        "counts": outcome_counts(content),
    }
    return render_to_string("vigil/reviews/report_print.html", context, request=request)


@page
def review_report(request: HttpRequest, review_id: int) -> HttpResponse:
    """The review's report as a page."""
    actor = actor_of(request)
    content = services.review_page(actor, review_id, face="report")
    context = {"page": content, "review": content.review, "counts": outcome_counts(content)}
    return render(request, "vigil/reviews/report.html", context)


@page
def review_report_pdf(request: HttpRequest, review_id: int) -> HttpResponse:
    """The review's report as a PDF, masked for the reader."""
    actor = actor_of(request)
    content = services.review_page(actor, review_id, face="pdf")
    pdf = pdf_of(report_html(request, actor, content), f"{review_id}", title="Review")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="review-{review_id}.pdf"'
    return response
