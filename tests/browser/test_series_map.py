"""The series page in real Chromium with three deaths a few tens of metres apart: the map has a
scale bar, no label covers a point or another label, the distances are on the page in words,
and in the link chart no edge runs through a node. axe-core finds nothing serious.

The deaths are synthetic: tests/conftest.py's linked pair and a third death 40 m from the
second with the same phone on its finder, every link confirmed.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS, axe, screenshot, sign_in
from tests.conftest import ghb_death, two_similar_deaths
from vigil import services
from vigil.domain import UserRole
from vigil.domain.people import PersonEntry
from vigil.records import models as records
from vigil.services.linkage.series import Verdict, judge

# The boxes of the map's labels and points, in the page's pixels.
BOXES = """() => {
  const rect = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const shown = (e) => !e.hidden && e.offsetWidth > 0;
  return {
    labels: [...document.querySelectorAll('#series-map .leaflet-tooltip')].filter(shown).map(rect),
    points: [...document.querySelectorAll('#series-map path.vigil-map-case')].map(rect),
  };
}"""

# Each edge of the chart that a node other than its two ends lies on: straight edges are
# sampled along their length, arcs at their middle and control point.
EDGES_THROUGH_NODES = """() => {
  const cy = window.vigil.seriesChart;
  const hits = [];
  cy.edges().forEach((edge) => {
    const a = edge.source().position();
    const b = edge.target().position();
    const samples = [];
    if (edge.hasClass('link')) {
      samples.push(edge.midpoint());
    } else {
      for (let t = 0.05; t < 0.96; t += 0.05) {
        samples.push({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t });
      }
    }
    cy.nodes().forEach((node) => {
      if (node.same(edge.source()) || node.same(edge.target())) return;
      const box = node.boundingBox({ includeLabels: false });
      if (samples.some((p) => p.x >= box.x1 && p.x <= box.x2 && p.y >= box.y1 && p.y <= box.y2)) {
        hits.push(`${edge.data('source')} - ${edge.data('target')} through ${node.id()}`);
      }
    });
  });
  return hits;
}"""


def overlapping(boxes: list[list[float]]) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes)
        if i < j and a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]


def three_close_deaths(officer, analyst) -> None:
    two_similar_deaths(officer)
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
    services.record_person(officer, "L-3", PersonEntry(ref="P-F", roles=["witness"]))
    for link in records.CaseLink.objects.all():
        judge(analyst, link.pk, Verdict.CONFIRM, "Same phone, same drug, close by.")


def test_the_series_map_has_a_scale_and_labels_that_do_not_collide(page: Page, browser_user):
    analyst = browser_user("analyst1", UserRole.ANALYST)
    officer = browser_user("officer1", UserRole.RESPONSE_OFFICER)
    three_close_deaths(officer.actor, analyst.actor)
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    sign_in(page, analyst)
    page.goto("/series/L-1/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Series L-1")

    # The scale bar, in metres, and the three points on a plain background.
    expect(page.locator("#series-map .leaflet-control-scale-line")).to_have_count(1)
    scale = page.locator("#series-map .leaflet-control-scale-line").inner_text()
    assert scale.split()[1] in ("m", "km") and scale.split()[0].isdigit(), scale
    expect(page.locator(".leaflet-overlay-pane path.vigil-map-case")).to_have_count(3)
    expect(page.locator("#series-map.vigil-map--plain")).to_have_count(1)
    expect(page.locator(".vigil-map-label")).to_have_text(["1. L-1", "2. L-2", "3. L-3"])

    # No label covers a point or another label, at the first zoom and further out, where the
    # points crowd together (40 m is then a dozen pixels).
    for _ in range(3):
        boxes = page.evaluate(BOXES)
        assert len(boxes["labels"]) >= 3
        assert overlapping(boxes["labels"]) == []
        assert [
            (i, j)
            for i, label in enumerate(boxes["labels"])
            for j, point in enumerate(boxes["points"])
            if overlapping([label, point])
        ] == []
        page.evaluate("() => window.vigil.seriesMap.zoomOut(1, { animate: false })")
        page.wait_for_timeout(300)

    page.evaluate("() => window.vigil.seriesMap.zoomIn(3, { animate: false })")
    page.wait_for_timeout(300)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#series-map").screenshot(path=str(SCREENSHOTS / "series-map.png"))

    # The distances in words on the page.
    distances = page.locator(".vigil-series-distances tbody tr")
    expect(distances).to_have_count(3)
    expect(distances.nth(2)).to_contain_text("L-2 to L-3")
    expect(distances.nth(2)).to_contain_text("40 m")

    # The link chart: no edge through a node; the person on two cases is marked shared.
    page.wait_for_function("() => window.vigil && window.vigil.seriesChart")
    assert page.evaluate(EDGES_THROUGH_NODES) == []
    shared = page.evaluate("() => window.vigil.seriesChart.nodes('.shared').map((n) => n.id())")
    assert sorted(shared) == ["identifier:phone:+447700900461", "person:P-F"]
    page.locator("#series-chart").scroll_into_view_if_needed()
    page.locator("#series-chart").screenshot(path=str(SCREENSHOTS / "series-chart.png"))
    assert axe(page) == []
    screenshot(page, "series-close-deaths")
    assert script_errors == []
