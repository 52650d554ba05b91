// The series page: its cases on a map (Leaflet) and its link chart (cytoscape.js), drawn from the
// JSON the page carries (#series-map-data, #series-chart-data). Both libraries are served from
// node_modules (static vendor/leaflet, vendor/cytoscape). The page itself holds the same
// information as text (the tables of cases and distances, the list of the chart's connections),
// so nothing is lost without this script. The map and the chart are kept on window.vigil for
// the browser tests.
(function () {
  "use strict";

  function read(id) {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  // --- the map -------------------------------------------------------------------------------

  // A rectangle in the map's pixels, and whether two overlap (with a small gap kept).
  function box(x, y, width, height) {
    return { left: x, top: y, right: x + width, bottom: y + height };
  }

  function overlaps(a, b) {
    const gap = 2;
    return a.left < b.right + gap && b.left < a.right + gap && a.top < b.bottom + gap && b.top < a.bottom + gap;
  }

  // Where a label of this size lands for a Leaflet tooltip direction and offset from point p
  // (Tooltip._setPosition: 'right' puts its left middle at p + offset, and so on).
  function landing(p, direction, offset, width, height) {
    const x = p.x + offset[0];
    const y = p.y + offset[1];
    switch (direction) {
      case "right":
        return box(x, y - height / 2, width, height);
      case "left":
        return box(x - width, y - height / 2, width, height);
      case "top":
        return box(x - width / 2, y - height, width, height);
      case "bottom":
        return box(x - width / 2, y, width, height);
      default:
        return box(x - width / 2, y - height / 2, width, height);
    }
  }

  // The places a case's label may go, nearest first: beside, above or below its point, then
  // further out and diagonally.
  function caseCandidates(height) {
    const out = [];
    [14, 26, 42, 62, 86].forEach((d) => {
      out.push(["right", [d, 0]], ["left", [-d, 0]], ["top", [0, -d]], ["bottom", [0, d]]);
      out.push(["right", [d, -height]], ["right", [d, height]], ["left", [-d, -height]], ["left", [-d, height]]);
    });
    return out;
  }

  // A distance's label sits on its leg, or beside it, above or below; a label that fits
  // nowhere is hidden (the table of distances below the map has every one).
  function legCandidates(height) {
    const out = [["center", [0, 0]]];
    [1, 2, 3].forEach((k) => {
      const d = k * (height / 2 + 6);
      out.push(["right", [d, 0]], ["left", [-d, 0]], ["top", [0, -d]], ["bottom", [0, d]]);
    });
    return out;
  }

  // Place every label where it covers no point and no other label: the cases' labels first,
  // in date order, then the distances. Run again whenever the zoom changes.
  function placeLabels(map, markers, legs) {
    const size = map.getSize();
    const inside = (b) => b.left >= 0 && b.top >= 0 && b.right <= size.x && b.bottom <= size.y;
    const taken = markers.map((marker) => {
      const p = map.latLngToContainerPoint(marker.getLatLng());
      const r = marker.getRadius() + 3;
      return box(p.x - r, p.y - r, 2 * r, 2 * r);
    });
    const place = (tooltip, candidates, hideIfNowhere) => {
      const element = tooltip.getElement();
      if (!element) {
        return;
      }
      element.hidden = false;
      const p = map.latLngToContainerPoint(tooltip.getLatLng());
      const width = element.offsetWidth;
      const height = element.offsetHeight;
      const fits = (c) => {
        const b = landing(p, c[0], c[1], width, height);
        return inside(b) && !taken.some((t) => overlaps(b, t));
      };
      let chosen = candidates.find(fits);
      if (!chosen) {
        if (hideIfNowhere) {
          element.hidden = true;
          return;
        }
        chosen = candidates[0];
      }
      tooltip.options.direction = chosen[0];
      tooltip.options.offset = L.point(chosen[1][0], chosen[1][1]);
      tooltip.update();
      taken.push(landing(p, chosen[0], chosen[1], width, height));
    };
    markers.forEach((marker) => {
      const tooltip = marker.getTooltip();
      place(tooltip, caseCandidates(tooltip.getElement() ? tooltip.getElement().offsetHeight : 20), false);
    });
    legs.forEach((leg) => {
      const tooltip = leg.getTooltip();
      place(tooltip, legCandidates(tooltip.getElement() ? tooltip.getElement().offsetHeight : 20), true);
    });
  }

  // What the points are drawn on: a force's tile server, a GeoJSON vector file (streets,
  // boundaries) or, with neither (as on a closed network), a plain background. The scale bar
  // is there in every case.
  function drawBackground(map, data) {
    if (data.tiles) {
      L.tileLayer(data.tiles, { maxZoom: 19 }).addTo(map);
    } else if (data.vector) {
      fetch(data.vector, { credentials: "same-origin" })
        .then((answer) => (answer.ok ? answer.json() : null))
        .then((shapes) => {
          if (!shapes) {
            return;
          }
          const layer = L.geoJSON(shapes, {
            interactive: false,
            style: { className: "vigil-map-background", color: "#8e9296", weight: 1.5, fill: false },
            pointToLayer: (feature, at) => L.circleMarker(at, { radius: 2, className: "vigil-map-background" }),
          }).addTo(map);
          layer.bringToBack();
        })
        .catch(() => {});
    }
    L.control.scale({ position: "bottomleft", metric: true, imperial: false, maxWidth: 160 }).addTo(map);
  }

  function drawMap(container, data) {
    container.hidden = false;
    const map = L.map(container, { scrollWheelZoom: false, attributionControl: false, maxZoom: 19 });
    const places = data.cases.map((c) => [c.lat, c.lon]);
    if (places.length > 1) {
      map.fitBounds(places, { padding: [64, 64], maxZoom: 18 });
    } else if (places.length === 1) {
      map.setView(places[0], 16);
    } else {
      map.setView([51.5074, -0.1278], 10);
    }
    drawBackground(map, data);
    const legs = [];
    data.legs.forEach((leg) => {
      const ends = [data.cases.find((c) => c.reference === leg.from), data.cases.find((c) => c.reference === leg.to)];
      if (!ends[0] || !ends[1]) {
        return;
      }
      const line = L.polyline(
        ends.map((c) => [c.lat, c.lon]),
        { className: "vigil-map-leg", color: "#1d70b8", weight: 3, dashArray: "6 6" },
      )
        .bindTooltip(leg.label, { permanent: true, direction: "center", className: "vigil-map-distance" })
        .addTo(map);
      legs.push(line);
    });
    const markers = data.cases.map((c, index) => {
      const marker = L.circleMarker([c.lat, c.lon], {
        className: "vigil-map-case",
        radius: 9,
        color: "#0b0c0c",
        weight: 2,
        fillColor: "#d4351c",
        fillOpacity: 0.9,
      })
        .bindTooltip(`${index + 1}. ${c.reference}`, {
          permanent: true,
          direction: "right",
          offset: [14, 0],
          className: "vigil-map-label",
        })
        .addTo(map);
      marker.on("click", () => {
        window.location.assign(c.url);
      });
      return marker;
    });
    const arrange = () => placeLabels(map, markers, legs);
    arrange();
    map.on("zoomend resize", arrange);
    map.vigilArrangeLabels = arrange;
    return map;
  }

  // --- the link chart ------------------------------------------------------------------------

  // Rows, top to bottom: places, cases (in date order), persons, identifiers. Every edge but a
  // case-to-case link joins two neighbouring rows, so no edge runs through a node; a person or
  // identifier on several cases sits between them, where it reads at a glance. Links between
  // cases are drawn as arcs above the cases' row.
  const ROW_HEIGHT = 120;
  const ARC_ROOM = 90; // more room between the places and the cases, for the arcs
  const ROWS = { place: 0, case: ROW_HEIGHT + ARC_ROOM, person: 2 * ROW_HEIGHT + ARC_ROOM, identifier: 3 * ROW_HEIGHT + ARC_ROOM };
  const GAP = 150; // the least distance between two nodes of a row (labels wrap at 140 px)

  function layered(data) {
    const neighbours = new Map(data.nodes.map((n) => [n.id, []]));
    data.edges.forEach((e) => {
      neighbours.get(e.source).push(e.target);
      neighbours.get(e.target).push(e.source);
    });
    const kind = new Map(data.nodes.map((n) => [n.id, n.kind]));
    const row = (k) => data.nodes.filter((n) => n.kind === k).map((n) => n.id);
    const x = new Map();

    // Each case gets a column as wide as the persons and identifiers found only on it.
    const only = (id, k) => neighbours.get(id).filter((m) => kind.get(m) === k);
    let left = 0;
    row("case").forEach((id) => {
      const persons = only(id, "person").filter((p) => only(p, "case").length === 1);
      const idents = persons.flatMap((p) => only(p, "identifier"));
      const width = GAP * Math.max(1.4, persons.length, idents.length);
      x.set(id, left + width / 2);
      left += width;
    });

    // The other rows: each node under (or over) the mean of its neighbours in the row nearer
    // the cases, in that order, spread so that no two are closer than GAP.
    const spread = (ids, towards) => {
      const wanted = ids.map((id, i) => {
        const near = neighbours.get(id).filter((m) => kind.get(m) === towards && x.has(m));
        const mean = near.length ? near.reduce((sum, m) => sum + x.get(m), 0) / near.length : i * GAP;
        return { id, mean };
      });
      wanted.sort((a, b) => a.mean - b.mean);
      let last = -Infinity;
      wanted.forEach((w) => {
        const at = Math.max(w.mean, last + GAP);
        x.set(w.id, at);
        last = at;
      });
      // Centre the row on what it wanted, so a long row spreads both ways.
      if (wanted.length) {
        const drift = wanted.reduce((sum, w) => sum + (x.get(w.id) - w.mean), 0) / wanted.length;
        wanted.forEach((w) => x.set(w.id, x.get(w.id) - drift));
      }
    };
    spread(row("place"), "case");
    spread(row("person"), "case");
    spread(row("identifier"), "person");

    const positions = {};
    data.nodes.forEach((n) => {
      positions[n.id] = { x: x.get(n.id) || 0, y: ROWS[n.kind] ?? ROWS.identifier };
    });
    return positions;
  }

  const SHAPES = { case: "round-rectangle", person: "ellipse", identifier: "round-tag", place: "diamond" };
  const COLOURS = { case: "#d4351c", person: "#1d70b8", identifier: "#505a5f", place: "#00703c" };

  function drawChart(container, data) {
    container.hidden = false;
    const positions = layered(data);
    const order = new Map(data.nodes.filter((n) => n.kind === "case").map((n, i) => [n.id, i]));
    const elements = [
      ...data.nodes.map((node) => ({
        data: { ...node },
        position: positions[node.id],
        classes: [node.kind, node.shared ? "shared" : ""].join(" ").trim(),
      })),
      ...data.edges.map((edge) => {
        const extra = {};
        if (edge.kind === "link") {
          // An arc over the cases between, higher the more cases it spans; always upwards.
          const from = positions[edge.source].x;
          const to = positions[edge.target].x;
          const span = Math.abs((order.get(edge.target) ?? 0) - (order.get(edge.source) ?? 0));
          // The peak of an arc is half its control distance: under the places' row, always.
          extra.arc = (from < to ? -1 : 1) * Math.min(2 * (ROW_HEIGHT + ARC_ROOM) - 90, 70 * span);
        }
        return { data: { ...edge, ...extra }, classes: edge.kind };
      }),
    ];
    return cytoscape({
      container,
      elements,
      wheelSensitivity: 0.3,
      layout: { name: "preset", fit: true, padding: 24 },
      style: [
        {
          selector: "node",
          style: {
            label: "data(label)",
            shape: (node) => SHAPES[node.data("kind")] || "ellipse",
            "background-color": (node) => COLOURS[node.data("kind")] || "#505a5f",
            color: "#0b0c0c",
            "font-size": 11,
            "text-valign": "bottom",
            "text-margin-y": 4,
            "text-wrap": "wrap",
            "text-max-width": 140,
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.85,
            width: 22,
            height: 22,
          },
        },
        { selector: "node.place", style: { "text-valign": "top", "text-margin-y": -4 } },
        { selector: "node.case", style: { width: 34, height: 26, "font-weight": "bold", "font-size": 13 } },
        { selector: "node.shared", style: { "border-width": 4, "border-color": "#912b88", "font-weight": "bold" } },
        {
          selector: "edge",
          style: {
            width: 1.5,
            "line-color": "#b1b4b6",
            "curve-style": "straight",
            label: "data(label)",
            "font-size": 9,
            color: "#505a5f",
            "text-rotation": "autorotate",
            "text-background-color": "#ffffff",
            "text-background-opacity": 1,
          },
        },
        {
          selector: "edge.link",
          style: {
            width: (edge) => Math.max(2, Math.min(6, (edge.data("weight") || 0) / 6)),
            "line-color": "#d4351c",
            color: "#0b0c0c",
            "font-size": 11,
            "curve-style": "unbundled-bezier",
            "control-point-distances": (edge) => edge.data("arc") || -60,
            "control-point-weights": 0.5,
          },
        },
      ],
    });
  }

  function start() {
    window.vigil = window.vigil || {};
    const mapBox = document.getElementById("series-map");
    const mapData = read("series-map-data");
    if (mapBox && mapData && typeof L !== "undefined") {
      window.vigil.seriesMap = drawMap(mapBox, mapData);
    }
    const chartBox = document.getElementById("series-chart");
    const chartData = read("series-chart-data");
    if (chartBox && chartData && typeof cytoscape !== "undefined") {
      window.vigil.seriesChart = drawChart(chartBox, chartData);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
