"""Pages. They read through services (which audit every consultation) and never write models."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import wraps
from itertools import groupby
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import ensure_csrf_cookie

from vigil import services
from vigil.domain.access import Permission
from vigil.domain.case import CaseView
from vigil.domain.enums import ACTION_DONE
from vigil.policy import Evaluation
from vigil.services import case_page, may
from vigil.web import report_fields as fields
from vigil.web.common import actor_of
from vigil.web.lists import CaseFilterForm, own_unit_first, read_filters, sort_params
from vigil.web.report_kinds import form_for
from vigil.web.templatetags.vigil_words import words

PAGE = 50
View = Callable[..., HttpResponse]


def page(view: View) -> View:
    """A signed-in page whose services' refusals read as HTTP: ``Forbidden`` is 403 and
    ``NotFound`` (a missing case, or one the user may not know exists) is 404."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except services.Forbidden as exc:
            raise PermissionDenied(exc.reason) from None
        except services.NotFound as exc:
            raise Http404(exc.reason) from None

    return wrapped


@ensure_csrf_cookie  # the front door hands out the CSRF cookie (the JSON API's clients use it)
@page
def home(request: HttpRequest) -> HttpResponse:
    """The front door: the signed-in user's dashboard."""
    actor_of(request)
    return redirect("dashboard")


@page
def case_list(request: HttpRequest) -> HttpResponse:
    """The cases the user may see, filtered, sorted and a page at a time, all by the address;
    of the user's own command unit unless the address names another (or all)."""
    actor = actor_of(request)
    form, errors = read_filters(CaseFilterForm, own_unit_first(request.GET, actor.username))
    filters = form.filters()
    listing = services.case_listing(
        actor, face="web", filters=filters, size=PAGE, **sort_params(request.GET)
    )
    return render(
        request,
        "vigil/case_list.html",
        {
            "listing": listing,
            "cases": listing.rows,
            "form": form,
            "errors": errors,
            "filtered": any(replace(filters, unit="").payload().values()),
            "unit_name": form.unit_name(),
        },
        status=400 if errors else 200,
    )


def timeline(view: CaseView) -> list[dict[str, Any]]:
    """When each fact became known: the facts grouped by the moment and the author that
    recorded them together, newest first, each as its label and its (masked) value."""
    facts = sorted(view.facts, key=lambda f: (f.known_at, f.recorded_by, f.seq))
    form = form_for(view.report.kind)
    label = form.label_of
    batches = [
        {
            "known_at": known_at,
            "recorded_by": recorded_by,
            "facts": [
                {
                    "path": f.path,
                    "label": label(f.path),
                    "shown": form.fact_shown(f.path, f.value),
                }
                for f in batch
            ],
        }
        for (known_at, recorded_by), batch in groupby(
            facts, key=lambda f: (f.known_at, f.recorded_by)
        )
    ]
    return batches[::-1]


def people_rows(view: CaseView) -> dict[str, list[Any]]:
    """The persons (name, parts, identifiers, statement) and the liaison log with each entry's
    person by name, as the case page and the case file show them (withheld values shown as
    withheld)."""
    names = {p.ref: p.name or p.ref for p in view.persons}
    return {
        "persons": [
            {
                "ref": p.ref,
                "name": fields.shown(None, p.name),
                "roles": ", ".join(words(r) for r in p.roles),
                "identifiers": [
                    (words(i.kind), fields.shown(None, i.value)) for i in p.identifiers
                ],
                "statement": p.statement,
            }
            for p in view.persons
        ],
        "liaison": [
            (e, fields.shown(None, names.get(e.person_ref, e.person_ref))) for e in view.liaison
        ],
    }


def checklist(evaluation: Evaluation | None) -> list[dict[str, Any]]:
    """The unmet items, overdue first, then by deadline (none for a record that is not a
    death, which has no checklist)."""
    items = sorted(
        evaluation.unmet if evaluation else (),
        key=lambda i: (not i.overdue, i.deadline is None, i.deadline or 0, i.title),
    )
    return [
        {
            "title": i.title,
            "rule": i.rule,
            "reason": i.reason,
            "subject": i.subject,
            "owner": words(i.owner_role),
            "deadline": i.deadline,
            "overdue": i.overdue,
        }
        for i in items
    ]


def _rows(name: str, items: tuple[Any, ...]) -> list[list[fields.Shown]]:
    columns = fields.ROWS[name][1]
    return [[fields.shown(f, getattr(item, f.path)) for f in columns] for item in items]


@page
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    actor = actor_of(request)
    content = case_page(actor, reference, face="web")
    view, evaluation = content.state.view, content.state.evaluation
    done = ACTION_DONE
    form = form_for(view.report.kind)
    rows = form.report_rows(view.report)
    return render(
        request,
        "vigil/case_detail.html",
        {
            "case": view,
            "report": view.report,
            "form": form,
            "ev": evaluation,
            "decision": view.decision,
            "draft": list(content.still_to_record.values()),
            "report_rows": rows,
            "rs": fields.shown_fields(view.report),
            "devices": _rows("devices", view.report.devices),
            "device_fields": fields.ROWS["devices"][1],
            "cctv": _rows("cctv", view.report.cctv),
            "cctv_fields": fields.ROWS["cctv"][1],
            "checklist": checklist(evaluation),
            **people_rows(view),
            "open_actions": sum(1 for a in view.actions if a.state not in done),
            "notices": services.open_notices(actor, view),
            "timeline": timeline(view),
            "links": content.links,
            "links_total": content.links_total,
            "like": content.resemblance,
            "series": content.series,
            "unit": content.unit,
            "may_edit": may(actor, Permission.RECORD_CASE),
            "may_review": may(actor, Permission.CATEGORISE),
            "links_visible": bool(content.links_total)
            or may(actor, Permission.VIEW_ALERTS)
            or may(actor, Permission.VIEW_SERIES),
        },
    )
