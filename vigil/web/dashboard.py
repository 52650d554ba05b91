"""The signed-in user's dashboard: what waits for them (vigil.services.readmodels.dashboard), each
count
linking to its full list, a page at a time."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from vigil.services import SECTION_TITLES, SECTIONS, Section, dashboard_section
from vigil.services import dashboard as read_dashboard
from vigil.web.common import actor_of
from vigil.web.lists import UnitFilterForm, own_unit_first, read_filters
from vigil.web.views import page

ROWS = 20
PAGE = 50


def full_list(key: str, unit: str = "") -> str:
    """Where a section's count leads: the alert list filtered as the section is (the alerts
    put before the user, unanswered), else the section in full, of the unit shown (``unit``:
    a unit's code or 'all'; the service narrows only the sections about a unit's cases)."""
    if key == "alerts":
        return reverse("alert-list") + "?show=mine"
    query = {"section": key, "unit": unit} if unit else {"section": key}
    return reverse("dashboard-section") + "?" + urlencode(query)


def _unit(request: HttpRequest) -> UnitFilterForm:
    """The command unit the page shows: the address's, else the user's own, else all."""
    form, _ = read_filters(UnitFilterForm, own_unit_first(request.GET, actor_of(request).username))
    assert isinstance(form, UnitFilterForm)
    return form


@page
def dashboard(request: HttpRequest) -> HttpResponse:
    units = _unit(request)
    unit = units.unit_filter()
    board = read_dashboard(actor_of(request), face="web", unit=unit, limit=ROWS)
    shown = (unit or "all") if units.has_units else ""
    sections: list[tuple[str, str, Section[Any], str]] = [
        (key, SECTION_TITLES[key], getattr(board, key), full_list(key, shown)) for key in SECTIONS
    ]
    return render(
        request,
        "vigil/dashboard.html",
        {
            "board": board,
            "sections": [row for row in sections if row[2].shown],
            "lists": {key: url for key, _, _, url in sections},
            "limit": ROWS,
            "unit_form": units,
            "unit_name": units.unit_name(),
        },
    )


@page
def section(request: HttpRequest) -> HttpResponse:
    """One section of the dashboard in full (``?section=overdue``); an unknown section leads
    back to the dashboard."""
    key = request.GET.get("section", "")
    if key not in SECTIONS:
        return redirect("dashboard")
    if key == "alerts":
        return redirect(full_list(key))
    unit = _unit(request).unit_filter()
    listing = dashboard_section(
        actor_of(request), key, face="web", unit=unit, page=request.GET.get("page", "1"), size=PAGE
    )
    return render(
        request,
        "vigil/dashboard_section.html",
        {"key": key, "title": SECTION_TITLES[key], "listing": listing, "rows": listing.rows},
    )
