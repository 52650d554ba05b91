"""The signed-in user's dashboard: what waits for them (vigil.services.readmodels.dashboard), each
count
linking to its full list, a page at a time."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from vigil.services import SECTION_TITLES, SECTIONS, Section, dashboard_section
from vigil.services import dashboard as read_dashboard
from vigil.web.common import actor_of
from vigil.web.views import page

ROWS = 20
PAGE = 50


def full_list(key: str) -> str:
    """Where a section's count leads: the alert list filtered as the section is (the alerts
    put before the user, unanswered), else the section in full."""
    if key == "alerts":
        return reverse("alert-list") + "?show=mine"
    return reverse("dashboard-section") + f"?section={key}"


@page
def dashboard(request: HttpRequest) -> HttpResponse:
    board = read_dashboard(actor_of(request), face="web", limit=ROWS)
    sections: list[tuple[str, str, Section[Any], str]] = [
        (key, SECTION_TITLES[key], getattr(board, key), full_list(key)) for key in SECTIONS
    ]
    return render(
        request,
        "vigil/dashboard.html",
        {
            "board": board,
            "sections": [row for row in sections if row[2].shown],
            "lists": {key: url for key, _, _, url in sections},
            "limit": ROWS,
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
    listing = dashboard_section(
        actor_of(request), key, face="web", page=request.GET.get("page", "1"), size=PAGE
    )
    return render(
        request,
        "vigil/dashboard_section.html",
        {"key": key, "title": SECTION_TITLES[key], "listing": listing, "rows": listing.rows},
    )
