"""The series page: the map's points and distances, the timeline, the link chart and their text
alternatives; need-to-know and masking. The deaths are the synthetic linked pair of
tests/conftest.py, confirmed into a series."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from tests.conftest import make_user
from tests.signin import sign_in
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import UserRole
from vigil.linkage.geo import great_circle_km
from vigil.services.series import Verdict, judge


@pytest.fixture
def series(linked_pair, analyst):
    judge(analyst, linked_pair.pk, Verdict.CONFIRM, "Same phone, same drug.")
    return linked_pair


def script_data(page: str, element_id: str) -> dict:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', page)
    assert match, element_id
    return json.loads(match.group(1))


def test_the_series_page_has_the_map_timeline_and_chart_with_text_alternatives(client, series):
    sign_in(client, "analyst1")
    response = client.get(reverse("series-detail", args=["L-2"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Series L-1</h1>' in page
    # the map: both points, and the distance between them computed on the server, in metres
    data = script_data(page, "series-map-data")
    assert [c["reference"] for c in data["cases"]] == ["L-1", "L-2"]
    metres = round(great_circle_km(51.5386, 0.0811, 51.5395, 0.0840) * 1000)
    assert data["legs"] == [
        {"from": "L-1", "to": "L-2", "metres": metres, "label": f"{metres:,} m"}
    ]
    assert data["tiles"] == ""
    assert "vendor/leaflet/leaflet.js" in page and "vendor/cytoscape/cytoscape.min.js" in page
    assert "vigil/series.js" in page
    # the table of cases: the same places and distance as text
    table = page.split('class="govuk-table vigil-series-cases"', 1)[1].split("</table>", 1)[0]
    assert table.index("L-1") < table.index("L-2") and f"{metres} m" in table
    # the timeline, in date order
    timeline = page.split('class="moj-timeline vigil-series-timeline"', 1)[1]
    assert timeline.index("1 June 2015") < timeline.index("22 June 2015")
    # the link chart: cases, persons, identifiers (the shared phone once), places, links
    chart = script_data(page, "series-chart-data")
    nodes = {n["id"]: n for n in chart["nodes"]}
    assert {"case:L-1", "case:L-2", "person:P-C", "person:P-F", "place:churchyard"} <= set(nodes)
    phone = nodes["identifier:phone:+447700900461"]
    assert phone["shared"] is True and phone["label"] == "phone +447700900461 (shared)"
    edges = {(e["source"], e["target"]): e for e in chart["edges"]}
    assert edges[("case:L-1", "person:P-C")]["label"] == "caller"
    assert edges[("person:P-F", "identifier:phone:+447700900461")]["kind"] == "identifier"
    link = edges[("case:L-1", "case:L-2")]
    assert link["kind"] == "link" and link["weight"] == round(series.match_weight, 1)
    # ... and as a list of its connections
    assert "L-1 — caller — Caller One" in page
    assert f"L-1 — match weight {series.match_weight:.1f} — L-2" in page
    viewed = AuditEntry.objects.filter(event="series.viewed", actor="analyst1").get()
    assert viewed.verb == "consultation" and viewed.target_ref == "Series L-1"
    cases = AuditEntry.objects.filter(event="case.viewed", actor="analyst1").order_by("seq")
    assert [(e.target_ref, json.loads(e.payload)["series"]) for e in cases] == [
        ("L-1", "Series L-1"),
        ("L-2", "Series L-1"),
    ]


def test_the_tile_source_is_a_setting(client, series):
    sign_in(client, "analyst1")
    tiles = "https://tiles.example.org/{z}/{x}/{y}.png"
    with override_settings(VIGIL=replace(settings.VIGIL, map_tiles=tiles)):
        page = client.get(reverse("series-detail", args=["L-1"])).content.decode()
    assert script_data(page, "series-map-data")["tiles"] == tiles
    assert "No map tiles are configured" not in page


def test_a_case_in_no_series_is_not_found(client, linked_pair):
    sign_in(client, "analyst1")
    assert client.get(reverse("series-detail", args=["L-1"])).status_code == 404
    assert client.get(reverse("series-detail", args=["NOPE"])).status_code == 404


def test_a_restricted_case_breaks_the_series_for_those_not_named(client, series, sergeant):
    services.restrict_case(sergeant, "L-2")
    sign_in(client, "analyst1")
    assert client.get(reverse("series-detail", args=["L-1"])).status_code == 404
    assert client.get(reverse("series-detail", args=["L-2"])).status_code == 404
    assert "L-2" not in client.get(reverse("series-list")).content.decode()


def test_the_panel_sees_the_series_without_names_or_identifiers(client, series):
    make_user("panel1", UserRole.PANEL_MEMBER)
    sign_in(client, "panel1")
    page = client.get(reverse("series-detail", args=["L-1"])).content.decode()
    for secret in ("Caller One", "Friend Two", "900461", "Alex Testperson"):
        assert secret not in page, secret
    chart = script_data(page, "series-chart-data")
    persons = [n for n in chart["nodes"] if n["kind"] == "person"]
    # each withheld person is a node of their own on each case: the chart joins no one
    assert sorted(n["id"] for n in persons) == ["person:L-1:0", "person:L-2:0"]
    assert {n["label"] for n in persons} == {"[withheld]"}
    assert not any(n.get("shared") for n in chart["nodes"])


def test_a_role_without_series_is_refused(client, series):
    sign_in(client, "officer1")
    assert client.get(reverse("series-detail", args=["L-1"])).status_code == 403
    assert client.get(reverse("series-list")).status_code == 403
