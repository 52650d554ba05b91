"""The analyst's pages: the alert queue, an alert opened side by side with the explanation of its
score and the answer to it, and the series (list; map, timeline and link chart).

They read through services (``list_alerts``, ``comparison.compare``, ``list_series``,
``seriespage.series_chart``: need-to-know, masking and the audit are theirs) and write only
through ``series.judge``.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.timezone import localtime

from vigil.config.mapsource import map_background
from vigil.domain.access import Permission
from vigil.domain.actor import Actor
from vigil.domain.case import CaseView
from vigil.domain.enums import Category
from vigil.domain.identifiers import normalise_name
from vigil.domain.masking import WITHHELD
from vigil.domain.people import PersonEntry
from vigil.linkage.explain import format_weight, summary
from vigil.services import (
    ALERT_KINDS,
    ALERT_STATUSES,
    AlertFilters,
    Invalid,
    Reason,
    SeriesChart,
    SeriesLink,
    Verdict,
    alert_listing,
    compare,
    list_series,
    may,
    metres,
    series_chart,
    series_listing,
)
from vigil.services import judge_alert as judge
from vigil.web.common import actor_of
from vigil.web.lists import AlertFilterForm, SeriesFilterForm, read_filters, sort_params
from vigil.web.seriesmap import local_clock, map_data
from vigil.web.views import page


def _words(value: str) -> str:
    return value.replace("_", " ")


def category_label(value: str) -> str:
    """'Unexpected, under investigation' for 'unexpected_under_investigation'."""
    try:
        return Category(value).label
    except ValueError:
        return _words(value).capitalize()


def _own_name(person: PersonEntry, kind: str, normalised: str) -> bool:
    """The person's name among their identifiers (shown as the person already)."""
    if kind != "name" or not person.name or person.name == WITHHELD:
        return False
    try:
        return normalise_name(person.name) == normalised
    except ValueError:
        return False


# --- the alert queue -------------------------------------------------------------------------

SHOWS = {
    "awaiting": "Awaiting an answer",
    "mine": "Before me",
    "all": "All alerts",
}
PAGE = 50


def _alert_filters(request: HttpRequest, actor: Actor) -> tuple[AlertFilters, str, list[Any]]:
    """The filters from the address: ``show`` (the tabs: awaiting, mine, all) sets the
    defaults, the form's fields (status, kind, mine) refine them."""
    show = request.GET.get("show", "awaiting")
    show = show if show in SHOWS else "awaiting"
    form, errors = read_filters(AlertFilterForm, request.GET)
    data = form.cleaned_data
    status = data.get("status") or ("all" if show == "all" else "awaiting")
    mine = bool(data.get("mine")) or show == "mine"
    if status == "all" and not mine:
        show = "all"
    elif status == "awaiting":
        show = "mine" if mine else "awaiting"
    else:
        show = ""
    filters = AlertFilters(status, data.get("kind") or "pair", actor.username if mine else "")
    return filters, show, errors


def _title(filters: AlertFilters) -> str:
    title = "Answered alerts" if filters.status == "answered" else "All alerts"
    return title + (" before me" if filters.analyst else "")


@page
def alert_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    filters, show, errors = _alert_filters(request, actor)
    listing = alert_listing(
        actor, face="web", filters=filters, size=PAGE, **sort_params(request.GET)
    )
    title = SHOWS.get(show) or _title(filters)
    if filters.kind == "cluster":
        title = f"Clusters: {title[:1].lower()}{title[1:]}"
    return render(
        request,
        "vigil/alert_list.html",
        {
            "alerts": listing.rows,
            "listing": listing,
            "filters": filters,
            "show": show,
            "shows": SHOWS.items(),
            "title": title,
            "statuses": ALERT_STATUSES.items(),
            "kinds": ALERT_KINDS.items(),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


# --- an alert opened -------------------------------------------------------------------------

VERDICTS = [
    (Verdict.CONFIRM.value, "Confirm: the two deaths are linked"),
    (Verdict.REJECT.value, "Reject: they are not linked"),
    (Verdict.UNSURE.value, "Unsure: more is needed before deciding"),
]


class JudgeForm(forms.Form):
    verdict = forms.ChoiceField(
        choices=VERDICTS,
        error_messages={
            "required": "Select whether you confirm or reject the link, or are unsure",
            "invalid_choice": "Select whether you confirm or reject the link, or are unsure",
        },
    )
    reason = forms.CharField(
        max_length=2000,
        strip=True,
        error_messages={
            "required": "Enter the reason for your answer",
            "max_length": "The reason must be 2,000 characters or fewer",
        },
    )


def _persons(view: CaseView, shared: frozenset[str]) -> list[dict[str, Any]]:
    return [
        {
            "name": p.name or p.ref,
            "roles": ", ".join(r.value.replace("_", " ") for r in p.roles),
            "identifiers": [
                {
                    "kind": i.kind.value,
                    "value": i.normalised,
                    "shared": f"{i.kind.value}:{i.normalised}" in shared,
                }
                for i in p.identifiers
                if not _own_name(p, i.kind.value, i.normalised)
            ],
        }
        for p in view.persons
    ]


def _identifiers(persons: tuple[PersonEntry, ...]) -> set[str]:
    return {
        f"{i.kind.value}:{i.normalised}"
        for p in persons
        for i in p.identifiers
        if i.normalised != WITHHELD
    }


def _when(at: datetime | None) -> str:
    return localtime(at).strftime("%-d %b %Y %H:%M") if at else "not known"


def _yes(value: bool | None, yes: str) -> str | None:
    return yes if value else None


def _facts(view: CaseView) -> dict[str, list[str]]:
    """What the linkage features compared, as words, by row."""
    r = view.report
    place = r.location
    where = place.address or "no address"
    if place.latitude is not None and place.longitude is not None:
        where += f" ({place.latitude:.5f}, {place.longitude:.5f})"
    age = f"age {r.deceased.age}" if r.deceased.age is not None else "age not known"
    status = r.toxicology.status.value
    scene = [
        _yes(r.scene.moved_after_death, "moved after death"),
        f"phone {r.scene.phone.value}",
        _yes(r.scene.note_present, "a note was found"),
        _yes(r.scene.drug_paraphernalia, "drug paraphernalia"),
        _yes(r.scene.bedding_or_clothing_disturbed, "bedding or clothing disturbed"),
        f"position: {r.scene.position}" if r.scene.position else None,
    ]
    return {
        "Found": [_when(r.found_at or r.reported_at)],
        "Where": [where],
        "Place type": [
            (place.place_type.value if place.place_type else "not known").replace("_", " ")
        ],
        "Deceased": [f"{r.deceased.name or 'unidentified'}, {r.deceased.sex.value}, {age}"],
        "Substances": list(r.toxicology.substances) or [f"none ({_words(status)})"],
        "Scene": [s for s in scene if s],
    }


def comparison_rows(a: CaseView, b: CaseView) -> list[dict[str, Any]]:
    """Rows of the side-by-side table: each fact for both cases, values on both marked."""
    fa, fb = _facts(a), _facts(b)
    rows = []
    for label in fa:
        both = set(fa[label]) & set(fb[label]) if label in ("Place type", "Substances") else set()
        rows.append(
            {
                "label": label,
                "a": [{"text": t, "shared": t in both} for t in fa[label]],
                "b": [{"text": t, "shared": t in both} for t in fb[label]],
            }
        )
    return rows


def _apart(a: CaseView, b: CaseView) -> int | None:
    la, lb = a.report.location, b.report.location
    if la.latitude is None or la.longitude is None or lb.latitude is None or lb.longitude is None:
        return None
    return metres(la.latitude, la.longitude, lb.latitude, lb.longitude)


def reasons(stored: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Each reason's sentence (without the weight its stored form ends with) and its weight,
    the largest part first."""
    rows = []
    for r in sorted(stored, key=lambda r: -abs(float(r["weight"]))):
        weight = format_weight(float(r["weight"]))
        rows.append({"sentence": str(r["sentence"]).removesuffix(f": {weight}"), "weight": weight})
    return rows


def _moment(view: CaseView) -> datetime | None:
    """When the case was found, or reported: the time of day the linkage engine compared."""
    return view.report.found_at or view.report.reported_at


def _stored(reasons: tuple[Reason, ...]) -> list[dict[str, Any]]:
    """A series link's reasons as the reasons of an alert are stored."""
    return [r.model_dump() for r in reasons]


def _local_reasons(stored: list[dict[str, Any]], *moments: datetime | None) -> list[dict[str, Any]]:
    """The reasons with their times of day in the site's time zone (``local_clock``)."""
    return [{**r, "sentence": local_clock(str(r["sentence"]), moments)} for r in stored]


def _series_with(actor: Actor, reference: str) -> list[str]:
    return next((g for g in list_series(actor, face="web") if reference in g), [])


@page
def alert_detail(request: HttpRequest, link_id: int) -> HttpResponse:
    actor = actor_of(request)
    form = JudgeForm(request.POST or None)
    if request.method == "POST":
        if not may(actor, Permission.ANSWER_ALERT):
            raise PermissionDenied("You may not answer alerts.")
        if form.is_valid():
            verdict = Verdict(form.cleaned_data["verdict"])
            try:
                judge(actor, link_id, verdict, form.cleaned_data["reason"])
            except Invalid as exc:
                form.add_error("reason" if exc.field == "reason" else None, exc.reason.capitalize())
            else:
                words = {"confirm": "confirmed", "reject": "rejected", "unsure": "marked unsure"}
                messages.success(request, f"You {words[verdict.value]} the link.")
                return redirect("alert-detail", link_id=link_id)
    found = compare(actor, link_id, face="web")
    a, b = (state.view for state in found.states)
    shared = frozenset(_identifiers(a.persons) & _identifiers(b.persons))
    verdict_now = found.judgements[-1].verdict if found.judgements else None
    errors = [
        (name if name == "reason" else "verdict", message)
        for name, field_errors in form.errors.items()
        for message in field_errors
    ]
    return render(
        request,
        "vigil/alert_detail.html",
        {
            "found": found,
            "a": a,
            "b": b,
            "rows": comparison_rows(a, b),
            "persons": (_persons(a, shared), _persons(b, shared)),
            "shared": sorted(shared),
            "apart": _apart(a, b),
            "reasons": reasons(_local_reasons(_stored(found.reasons), _moment(a), _moment(b))),
            "total": summary(found.match_weight, found.probability),
            "verdict": verdict_now,
            "series": _series_with(actor, a.reference) if verdict_now == "confirm" else [],
            "may_answer": may(actor, Permission.ANSWER_ALERT),
            "form": form,
            "errors": errors,
            "verdicts": VERDICTS,
        },
        status=400 if errors else 200,
    )


# --- series ----------------------------------------------------------------------------------


@page
def series_list(request: HttpRequest) -> HttpResponse:
    form, errors = read_filters(SeriesFilterForm, request.GET)
    status = form.cleaned_data.get("status") or ""
    listing = series_listing(
        actor_of(request), face="web", status=status, size=PAGE, **sort_params(request.GET)
    )
    return render(
        request,
        "vigil/series_list.html",
        {
            "series": listing.rows,
            "listing": listing,
            "form": form,
            "status": status,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


_POSTCODE_AREA = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*[0-9][A-Z]{2}\b")


class _Graph:
    """Nodes and edges for cytoscape, each once, in the order first met."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self.edges: dict[tuple[str, str], dict[str, Any]] = {}

    def node(self, node_id: str, label: str, kind: str, **extra: Any) -> str:
        self.nodes.setdefault(node_id, {"id": node_id, "label": label, "kind": kind, **extra})
        return node_id

    def edge(self, source: str, target: str, label: str, kind: str, **extra: Any) -> None:
        key = (source, target)
        if key in self.edges:
            if label not in self.edges[key]["label"].split(", "):
                self.edges[key]["label"] += f", {label}"
            return
        self.edges[key] = {
            "id": f"e{len(self.edges)}",
            "source": source,
            "target": target,
            "label": label,
            "kind": kind,
            **extra,
        }


def link_chart(chart: SeriesChart) -> dict[str, Any]:
    """The link chart: a node for each case, each person, each identifier (shared or not) and
    each place type and area; edges case-person, person-identifier, case-place and case-case
    (a confirmed link, with its match weight). A person or identifier on more than one case is
    marked shared. A person whose identity is withheld gets a node of their own on each case,
    so the chart never joins people the reader may not see."""
    graph = _Graph()
    holders: dict[str, set[str]] = {}
    for side in chart.sides:
        case = graph.node(f"case:{side.reference}", side.reference, "case")
        place = side.report.location
        if place.place_type:
            kind = place.place_type.value
            graph.edge(
                case, graph.node(f"place:{kind}", _words(kind), "place"), "found at", "place"
            )
        area = _POSTCODE_AREA.search((place.address or "").upper())
        if area and place.address != WITHHELD:
            graph.edge(
                case,
                graph.node(f"area:{area.group(1)}", area.group(1), "place"),
                "in area",
                "place",
            )
        for n, person in enumerate(side.persons):
            hidden = person.ref in side.hidden_persons
            person_id = f"person:{side.reference}:{n}" if hidden else f"person:{person.ref}"
            graph.node(person_id, WITHHELD if hidden else person.name or person.ref, "person")
            if not hidden:
                holders.setdefault(person_id, set()).add(side.reference)
            roles = ", ".join(_words(r.value) for r in person.roles)
            graph.edge(case, person_id, roles, "person")
            for m_, ident in enumerate(person.identifiers):
                if _own_name(person, ident.kind.value, ident.normalised):
                    continue
                if hidden or ident.normalised == WITHHELD:
                    node = f"identifier:{side.reference}:{n}:{m_}"
                    label = f"{ident.kind.value} {WITHHELD}"
                else:
                    node = f"identifier:{ident.kind.value}:{ident.normalised}"
                    label = f"{ident.kind.value} {ident.normalised}"
                    holders.setdefault(node, set()).add(side.reference)
                graph.node(node, label, "identifier")
                graph.edge(person_id, node, ident.kind.value, "identifier")
    for node_id, cases in holders.items():
        if len(cases) > 1:  # an identifier, or a person, on more than one case
            graph.nodes[node_id]["shared"] = True
            graph.nodes[node_id]["label"] += " (shared)"
    for link in chart.page.links:
        weight = link.match_weight
        graph.edge(
            f"case:{link.a}",
            f"case:{link.b}",
            f"match weight {weight:.1f}",
            "link",
            weight=round(weight, 1),
        )
    return {"nodes": list(graph.nodes.values()), "edges": list(graph.edges.values())}


@page
def series_detail(request: HttpRequest, reference: str) -> HttpResponse:
    chart = series_chart(actor_of(request), reference, face="web")
    graph = link_chart(chart)
    labels = {n["id"]: n["label"] for n in graph["nodes"]}
    distance = {leg.end: leg for leg in chart.legs}
    moments = {s.reference: s.report.found_at or s.report.reported_at for s in chart.sides}

    def when(link: SeriesLink, side: str) -> datetime | None:
        return moments.get(getattr(link, side))

    return render(
        request,
        "vigil/series_detail.html",
        {
            "chart": chart,
            "series": chart.page,
            "cases": [
                (case, distance.get(case.reference), category_label(case.category))
                for case in chart.page.cases
            ],
            "map_data": map_data(chart),
            "chart_data": graph,
            "edges": [
                (labels[e["source"]], e["label"], labels[e["target"]]) for e in graph["edges"]
            ],
            "background": map_background(settings.VIGIL.map_tiles).kind,
            "links": [
                (link, _local_reasons(_stored(link.reasons), *(when(link, k) for k in "ab")))
                for link in chart.page.links
            ],
        },
    )
