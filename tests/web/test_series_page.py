"""The series page: the map's points and distances, the timeline, the link chart and their text
alternatives; need-to-know and masking. The deaths are the synthetic linked pair of
tests/conftest.py, confirmed into a series."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from tests.conftest import ghb_death, make_user
from tests.signin import sign_in
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.config.env import SettingsError
from vigil.config.mapsource import MapBackground, map_background
from vigil.domain import UserRole
from vigil.domain.people import PersonEntry
from vigil.linkage.geo import great_circle_km
from vigil.records import models as records
from vigil.services.linkage.series import Verdict, judge
from vigil.services.readmodels.seriespage import MAX_PAIRED, Leg, distances
from vigil.web.seriesmap import local_clock


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
    assert "No street map is set up" not in page and "vigil-map--plain" not in page


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


# --- distances, the map's background and its Content-Security-Policy, local times ------------


@pytest.fixture
def three_deaths(linked_pair, officer, analyst):
    """L-1 and L-2 as above, and L-3 found 40 m from L-2 a week later with the same phone on a
    finder: every link between them confirmed."""
    ghb_death("L-3", 28, 51.53986, 0.08400, officer)
    services.record_person(
        officer,
        "L-3",
        PersonEntry(
            ref="P-G",
            name="Finder Three",
            roles=["finder"],
            identifiers=[{"kind": "phone", "value": "07700 900461"}],
        ),
    )
    for link in records.CaseLink.objects.all():
        judge(analyst, link.pk, Verdict.CONFIRM, "Same phone, same drug, close by.")
    return ["L-1", "L-2", "L-3"]


def distances_table(page: str) -> list[tuple[str, str]]:
    table = page.split('class="govuk-table vigil-series-distances"', 1)[1].split("</table>")[0]
    cells = re.findall(r'<td class="govuk-table__cell[^"]*">([^<]*)</td>', table)
    return list(zip(cells[::2], cells[1::2], strict=True))


def test_the_page_lists_the_distance_between_every_two_deaths(client, three_deaths):
    sign_in(client, "analyst1")
    page = client.get(reverse("series-detail", args=["L-3"])).content.decode()
    assert "Series L-1" in page

    def apart(a, b):
        return f"{round(great_circle_km(*a, *b) * 1000):,} m"

    one, two, three = (51.5386, 0.0811), (51.5395, 0.0840), (51.53986, 0.08400)
    assert "Distances between the deaths" in page
    assert distances_table(page) == [
        ("L-1 to L-2", apart(one, two)),
        ("L-1 to L-3", apart(one, three)),
        ("L-2 to L-3", apart(two, three)),
    ]
    assert apart(two, three) == "40 m"
    # the map carries the legs in date order, labelled the same way
    legs = script_data(page, "series-map-data")["legs"]
    assert [(leg["from"], leg["to"], leg["label"]) for leg in legs] == [
        ("L-1", "L-2", apart(one, two)),
        ("L-2", "L-3", "40 m"),
    ]


def test_a_person_on_two_cases_is_marked_shared_in_the_chart(client, three_deaths, officer):
    services.record_person(officer, "L-3", PersonEntry(ref="P-F", roles=["witness"]))
    sign_in(client, "analyst1")
    page = client.get(reverse("series-detail", args=["L-1"])).content.decode()
    nodes = {n["id"]: n for n in script_data(page, "series-chart-data")["nodes"]}
    assert nodes["person:P-F"]["shared"] is True
    assert nodes["person:P-F"]["label"] == "Friend Two (shared)"
    assert "shared" not in nodes["person:P-C"]


def test_distances_read_in_kilometres_from_ten_and_a_long_series_lists_the_nearest_only():
    assert Leg("A", "B", 9_999).words == "9,999 m"
    assert Leg("A", "B", 12_345).words == "12.3 km"
    points = [(f"S-{i}", 51.5 + i * 0.001, 0.0) for i in range(MAX_PAIRED)]
    every, complete = distances(points)
    assert complete and len(every) == MAX_PAIRED * (MAX_PAIRED - 1) // 2
    points.append(("S-far", 52.5, 0.0))
    nearest, complete = distances(points)
    assert not complete
    # each case once at least, with its nearest other; the far one is joined to the last
    assert {ref for leg in nearest for ref in (leg.start, leg.end)} == {p[0] for p in points}
    assert nearest[-1].start == f"S-{MAX_PAIRED - 1}" and nearest[-1].end == "S-far"
    assert all(leg.metres < 200 for leg in nearest[:-1])


def test_with_no_map_background_the_page_says_so_in_words(client, series):
    sign_in(client, "analyst1")
    page = client.get(reverse("series-detail", args=["L-1"])).content.decode()
    assert "No street map is set up for this site" in page
    assert "VIGIL_MAP_TILES" not in page and "vigil-map--plain" in page
    data = script_data(page, "series-map-data")
    assert data["tiles"] == "" and data["vector"] == ""


def settings_in_a_new_process(**env: str) -> subprocess.CompletedProcess[str]:
    """Import the settings module as Vigil starts, with these VIGIL_* variables (and a home of
    its own, so that no key file is made beside the repository)."""
    code = (
        "import json, vigil.config.settings as s; "
        "print(json.dumps(s.CONTENT_SECURITY_POLICY['DIRECTIVES']))"
    )
    with tempfile.TemporaryDirectory(prefix="vigil-settings-") as home:
        return subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "VIGIL_HOME": home, **env},
            capture_output=True,
            text=True,
            timeout=120,
        )


def test_the_policy_allows_the_tile_host_only_when_one_is_set():
    plain = json.loads(settings_in_a_new_process(VIGIL_MAP_TILES="").stdout)
    assert plain["img-src"] == ["'self'", "data:"] and plain["connect-src"] == ["'self'"]
    tiles = json.loads(
        settings_in_a_new_process(
            VIGIL_MAP_TILES="https://{s}.tiles.force.example/{z}/{x}/{y}.png"
        ).stdout
    )
    assert tiles["img-src"] == ["'self'", "data:", "https://*.tiles.force.example"]
    assert tiles["connect-src"] == ["'self'"]
    vector = json.loads(
        settings_in_a_new_process(
            VIGIL_MAP_TILES="https://maps.force.example/streets.geojson"
        ).stdout
    )
    assert vector["connect-src"] == ["'self'", "https://maps.force.example"]
    assert vector["img-src"] == ["'self'", "data:"]


def test_a_map_setting_that_is_neither_tiles_nor_a_vector_file_stops_vigil_naming_it(tmp_path):
    wrong = settings_in_a_new_process(VIGIL_MAP_TILES="https://tiles.force.example/map.png")
    assert wrong.returncode != 0
    assert "VIGIL_MAP_TILES: 'https://tiles.force.example/map.png' is neither" in wrong.stderr
    missing = settings_in_a_new_process(VIGIL_MAP_TILES=str(tmp_path / "streets.geojson"))
    assert missing.returncode != 0
    assert "VIGIL_MAP_TILES: cannot read the vector file" in missing.stderr


def test_the_tile_setting_reads_as_tiles_a_vector_file_or_nothing(tmp_path):
    assert map_background("").kind == "none"
    assert map_background("/tiles/{z}/{x}/{y}.png") == MapBackground(
        "tiles", "/tiles/{z}/{x}/{y}.png"
    )
    assert map_background("/tiles/{z}/{x}/{y}.png").image_sources() == []  # Vigil's own host
    streets = tmp_path / "streets.geojson"
    assert map_background(str(streets)).local_file == streets
    assert map_background(f"file://{streets}").local_file == streets
    with pytest.raises(SettingsError, match="VIGIL_MAP_TILES: tiles must be fetched over http"):
        map_background("ftp://tiles.example/{z}/{x}/{y}.png")


STREETS = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "Testing Road"},
            "geometry": {"type": "LineString", "coordinates": [[0.080, 51.538], [0.085, 51.540]]},
        }
    ],
}


def test_a_vector_file_on_the_server_is_served_to_those_who_see_series(client, series, tmp_path):
    streets = tmp_path / "streets.geojson"
    streets.write_text(json.dumps(STREETS))
    make_user("officer2", UserRole.RESPONSE_OFFICER)
    with override_settings(VIGIL=replace(settings.VIGIL, map_tiles=str(streets))):
        sign_in(client, "analyst1")
        page = client.get(reverse("series-detail", args=["L-1"])).content.decode()
        data = script_data(page, "series-map-data")
        assert data["vector"] == reverse("series-map-background") and data["tiles"] == ""
        assert "No street map is set up" not in page
        answer = client.get(data["vector"])
        assert answer.status_code == 200 and answer["Content-Type"] == "application/geo+json"
        assert json.loads(b"".join(answer.streaming_content)) == STREETS
        client.logout()
        sign_in(client, "officer2")
        assert client.get(data["vector"]).status_code == 403
    # with no vector file set, the background is an empty collection
    sign_in(client, "analyst1")
    empty = client.get(reverse("series-map-background"))
    assert empty.status_code == 200 and empty.json() == {
        "type": "FeatureCollection",
        "features": [],
    }


def test_explanations_give_the_time_of_day_in_local_time(client, series):
    # Both deaths were found at 06:30 UTC in June: 07:30 in London (summer time).
    assert any(r["sentence"] == "both found at 06:30 UTC: +1.6" for r in series.reasons)
    sign_in(client, "analyst1")
    page = client.get(reverse("series-detail", args=["L-1"])).content.decode()
    reasons = page.split('class="govuk-list govuk-list--bullet vigil-link-reasons"', 1)[1]
    reasons = reasons.split("</ul>", 1)[0]
    assert "Both found at 07:30" in reasons and "UTC" not in reasons
    alert = client.get(reverse("alert-detail", args=[series.pk])).content.decode()
    explanation = alert.split('class="govuk-table vigil-explanation"', 1)[1].split("</table>")[0]
    assert "Both found at 07:30" in explanation and "UTC" not in explanation


def test_each_time_of_day_is_converted_on_the_day_of_its_case():
    summer = datetime(2015, 6, 1, 1, 10, tzinfo=UTC)  # 02:10 in London
    winter = datetime(2015, 12, 1, 2, 40, tzinfo=UTC)  # 02:40 in London
    sentence = "found at 01:10 and 02:40 UTC, 1 hour 30 minutes apart by the clock"
    assert local_clock(sentence, (summer, winter)) == (
        "found at 02:10 and 02:40, 1 hour 30 minutes apart by the clock"
    )
    assert local_clock(sentence, (winter, summer)) == local_clock(sentence, (summer, winter))
    same = datetime(2015, 12, 8, 1, 10, tzinfo=UTC)  # 01:10 UTC in winter: 01:10 in London
    assert local_clock("both found at 01:10 UTC", (summer, same)) == "found at 01:10 and 02:10"
    # times that match neither case stay as written, in UTC
    assert local_clock(sentence, (same, same)) == sentence
    assert local_clock("found 40 m apart", (summer, winter)) == "found 40 m apart"
