"""The consistency dashboard (``vigil.services.readmodels.consistency``): per command unit and
period, the figures the advisory group asked to compare, each with a funnel plot drawn on the
server (SVG, no JavaScript), and the same figures as CSV. Beside it the clearance clusters of
the store's deaths (``services.store_clearance``: MAP's rule by unit x sex x how caused), as a
table and a map of the units drawn on the server."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vigil.domain.errors import DomainError
from vigil.oversight import clearance as rule
from vigil.oversight import unit_map
from vigil.oversight.funnel_plot import plot
from vigil.services import INDICATORS, Consistency, consistency, store_clearance
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


# --- clearance clusters on the store's deaths -------------------------------------------------

SEXES = [("all", "Every sex (each its own group)"), ("female", "Female"), ("male", "Male")]


class ClearanceForm(forms.Form):
    """MAP's settings, as the command line's; each refused with its field named."""

    years = forms.CharField(
        required=False, label="Years found (a year, or a range like 2015-2020)", max_length=20
    )
    sex = forms.ChoiceField(
        required=False,
        choices=SEXES,
        label="Sex of the deceased",
        error_messages={"invalid_choice": "Choose the sex of the deceased from the list"},
    )
    max_clearance = forms.FloatField(
        required=False,
        label="Solved at most (a share from 0 to 1; 0.33 is one in three)",
        error_messages={"invalid": "Enter the share solved as a number from 0 to 1, like 0.33"},
    )
    min_victims = forms.IntegerField(
        required=False,
        label="At least this many deaths in a group",
        error_messages={"invalid": "Enter the smallest group as a whole number, like 2"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["settings"] = self._settings(data)
        except DomainError as exc:
            field = exc.field if exc.field in self.fields else None
            self.add_error(field, f"{exc.reason[:1].upper()}{exc.reason[1:]}")
        return data

    @staticmethod
    def _settings(data: dict[str, Any]) -> rule.Settings:
        years = (data.get("years") or "").strip()
        clearance = data.get("max_clearance")
        victims = data.get("min_victims")
        return rule.Settings(
            years=rule.parse_years(years) if years else None,
            sex=rule.Sex(data.get("sex") or "all"),
            max_clearance=0.33 if clearance is None else clearance,
            min_victims=2 if victims is None else victims,
        )

    def settings(self) -> rule.Settings:
        """The settings asked for; MAP's defaults (every sex) when the form is not valid."""
        if self.is_valid() and "settings" in self.cleaned_data:
            chosen: rule.Settings = self.cleaned_data["settings"]
            return chosen
        return rule.Settings(sex=rule.Sex.ALL)


@page
def clearance_page(request: HttpRequest) -> HttpResponse:
    form, errors = read_filters(ClearanceForm, request.GET)
    assert isinstance(form, ClearanceForm)
    result = store_clearance(actor_of(request), form.settings(), face="web")
    markers = [
        unit_map.Marker(
            g.unit,
            f"{g.unit_name}: {g.sex}, {g.mechanism}: {g.unsolved} unsolved of {g.victims}",
            g.unsolved,
        )
        for g in result.groups
        if g.unsolved
    ]
    drawn = unit_map.draw(result.outlines, markers) if markers else None
    return render(
        request,
        "vigil/oversight/clearance.html",
        {"form": form, "errors": errors, "result": result, "map": drawn},
        status=400 if errors else 200,
    )
