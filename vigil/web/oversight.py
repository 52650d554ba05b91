"""The consistency dashboard (``vigil.services.readmodels.consistency``): per command unit and
period, the figures the advisory group asked to compare, each with a funnel plot drawn on the
server (SVG, no JavaScript), and the same figures as CSV."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vigil.oversight.funnel_plot import plot
from vigil.services import INDICATORS, Consistency, consistency
from vigil.web.common import actor_of
from vigil.web.lists import read_filters
from vigil.web.views import page

DEFAULT_DAYS = 365
LONGEST = timedelta(days=3660)  # ten years: a longer period is almost surely a mistyped year


class PeriodForm(forms.Form):
    start = forms.DateField(
        required=False,
        label="From (the first day)",
        error_messages={"invalid": "Enter the first day as a date, like 2026-01-31"},
    )
    end = forms.DateField(
        required=False,
        label="To (the last day)",
        error_messages={"invalid": "Enter the last day as a date, like 2026-12-31"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        end = data.get("end") or date.today()
        start = data.get("start") or end - timedelta(days=DEFAULT_DAYS)
        if start > end:
            self.add_error("start", "The first day must not be after the last day")
        elif end - start > LONGEST:
            self.add_error("start", "Choose a period of at most ten years")
        data["start"], data["end"] = start, end
        return data

    def period(self) -> tuple[datetime, datetime]:
        """[start, end + 1 day) in UTC; the last ``DEFAULT_DAYS`` when the form is not valid."""
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or date.today()
        start = data.get("start") or end - timedelta(days=DEFAULT_DAYS)
        return (
            datetime.combine(start, time(), UTC),
            datetime.combine(end + timedelta(days=1), time(), UTC),
        )


def _read(request: HttpRequest) -> tuple[PeriodForm, list[Any], Consistency]:
    form, errors = read_filters(PeriodForm, request.GET)
    assert isinstance(form, PeriodForm)
    start, end = form.period()
    return form, errors, consistency(actor_of(request), start, end, face="web")


@page
def consistency_page(request: HttpRequest) -> HttpResponse:
    form, errors, result = _read(request)
    panels = []
    for indicator in INDICATORS:
        drawn = result.funnels.get(indicator.key)
        placed = {r.unit: r.classification for r in drawn.units} if drawn else {}
        rows = [
            (u.name, u.met[indicator.key], u.of[indicator.key], placed.get(u.name, ""))
            for u in result.units
        ]
        panels.append(
            {
                "indicator": indicator,
                "funnel": drawn,
                "percent": f"{drawn.target * 100:.1f}%" if drawn else "",
                "plot": plot(drawn, width=560, height=320) if drawn else None,
                "rows": rows,
            }
        )
    return render(
        request,
        "vigil/oversight/consistency.html",
        {
            "form": form,
            "errors": errors,
            "result": result,
            "panels": panels,
            "last_day": (result.end - timedelta(days=1)).date(),
            "query": request.GET.urlencode(),
        },
    )


@page
def consistency_csv(request: HttpRequest) -> HttpResponse:
    """One row per unit and indicator: counts, share, and where the funnel places it."""
    _, _, result = _read(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"consistency-{result.start:%Y-%m-%d}-to-{result.end - timedelta(days=1):%Y-%m-%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(["unit", "indicator", "met", "of", "share", "funnel", "deaths"])
    for indicator in INDICATORS:
        drawn = result.funnels.get(indicator.key)
        placed = {r.unit: r.classification for r in drawn.units} if drawn else {}
        for unit in result.units:
            met, of = unit.met[indicator.key], unit.of[indicator.key]
            share = f"{met / of:.4f}" if of else ""
            where = placed.get(unit.name, "") if of else ""
            writer.writerow([unit.name, indicator.title, met, of, share, where, unit.deaths])
    return response
