"""Rate alerts for analysts (``services.list_rate_alerts``, ``rate_alert``,
``judge_rate_alert``): the list, linked from the alerts page, and an alert opened with its
explanation, the CUSUM chart drawn on the server (SVG, no JavaScript), the deaths of the run the
reader may see, and the answer (concern / no concern, with a reason)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from vigil.domain.access import Permission
from vigil.oversight.cusum_plot import plot
from vigil.services import (
    RATE_STATUSES,
    Invalid,
    RateVerdict,
    judge_rate_alert,
    list_rate_alerts,
    may,
    rate_alert,
)
from vigil.web.analysis import JudgeForm
from vigil.web.common import actor_of
from vigil.web.lists import read_filters
from vigil.web.views import page

KINDS = {"certifier": "Certifier", "institution": "Institution", "unit": "Command unit"}


class RateFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        label="Answered or not",
        choices=list(RATE_STATUSES.items()),
        error_messages={"invalid_choice": "Choose which alerts to show, answered or not"},
    )
    mine = forms.BooleanField(required=False, label="Only alerts put before me")


@page
def rate_alert_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form, errors = read_filters(RateFilterForm, request.GET)
    data = form.cleaned_data
    status = data.get("status") or "awaiting"
    rows = list_rate_alerts(
        actor, face="web", status=status, analyst=actor.username if data.get("mine") else None
    )
    return render(
        request,
        "vigil/rate_alert_list.html",
        {
            "alerts": [(KINDS.get(r.kind, r.kind), r) for r in rows],
            "form": form,
            "errors": errors,
            "status": status,
        },
        status=400 if errors else 200,
    )


VERDICTS = [
    (RateVerdict.CONCERN.value, "Concern: the rate needs looking into"),
    (RateVerdict.NO_CONCERN.value, "No concern: the rise is explained"),
]


class RateJudgeForm(JudgeForm):
    """The pair alerts' answer form (its reason field), with a rate alert's two verdicts."""

    verdict = forms.ChoiceField(
        choices=VERDICTS,
        error_messages={
            "required": "Select whether there is a concern or not",
            "invalid_choice": "Select whether there is a concern or not",
        },
    )


@page
def rate_alert_detail(request: HttpRequest, rate_alert_id: int) -> HttpResponse:
    actor = actor_of(request)
    form = RateJudgeForm(request.POST or None)
    if request.method == "POST":
        if not may(actor, Permission.ANSWER_ALERT):
            raise PermissionDenied("You may not answer alerts.")
        if form.is_valid():
            verdict = RateVerdict(form.cleaned_data["verdict"])
            try:
                judge_rate_alert(actor, rate_alert_id, verdict, form.cleaned_data["reason"])
            except Invalid as exc:
                form.add_error("reason" if exc.field == "reason" else None, exc.reason.capitalize())
            else:
                words = "a concern" if verdict is RateVerdict.CONCERN else "no concern"
                messages.success(request, f"You answered the rate alert: {words}.")
                return redirect("rate-alert-detail", rate_alert_id=rate_alert_id)
    found = rate_alert(actor, rate_alert_id, face="web")
    chart = plot(
        [f"{m.month:%b %Y}" for m in found.months],
        [m.cusum for m in found.months],
        found.threshold,
    )
    errors: list[Any] = [
        (name if name == "reason" else "verdict", message)
        for name, field_errors in form.errors.items()
        for message in field_errors
    ]
    return render(
        request,
        "vigil/rate_alert_detail.html",
        {
            "found": found,
            "kind": KINDS.get(found.kind, found.kind),
            "chart": chart,
            "verdict": found.answers[-1].verdict if found.answers else None,
            "may_answer": may(actor, Permission.ANSWER_ALERT),
            "form": form,
            "errors": errors,
            "verdicts": VERDICTS,
        },
        status=400 if errors else 200,
    )
