"""The signed-in user's dashboard: what waits for them (vigil.services.dashboard)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vigil.services.dashboard import Section
from vigil.services.dashboard import dashboard as read_dashboard
from vigil.web.common import actor_of
from vigil.web.views import page

ROWS = 20


@page
def dashboard(request: HttpRequest) -> HttpResponse:
    board = read_dashboard(actor_of(request), face="web", limit=ROWS)
    sections: list[tuple[str, str, Section[Any]]] = [
        ("actions", "My actions", board.actions),
        ("overdue", "Overdue checklist items", board.overdue),
        ("alerts", "Alerts awaiting my answer", board.alerts),
        ("referrals", "Referrals awaiting acceptance", board.referrals),
        ("concerns", "Liaison concerns unanswered", board.concerns),
        ("drafts", "My draft reports", board.drafts),
    ]
    return render(
        request,
        "vigil/dashboard.html",
        {
            "board": board,
            "sections": [(key, title, s) for key, title, s in sections if s.shown],
            "limit": ROWS,
        },
    )
