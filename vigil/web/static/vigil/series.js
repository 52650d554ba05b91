// The series page: its cases on a map (Leaflet) and its link chart (cytoscape.js), drawn from the
// JSON the page carries (#series-map-data, #series-chart-data). Both libraries are served from
// node_modules (static vendor/leaflet, vendor/cytoscape). The page itself holds the same
// information as text (the table of cases with their distances, the list of the chart's
// connections), so nothing is lost without this script. The map and the chart are kept on
// window.vigil for the browser tests.
(function () {
  "use strict";

  function read(id) {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  // With no tile source (VIGIL_MAP_TILES empty, as on a closed network) the map is the points,
  // labelled, and the legs between consecutive cases, labelled in metres, on a blank ground.
  function drawMap(container, data) {
    container.hidden = false;
    const map = L.map(container, { scrollWheelZoom: false, attributionControl: false });
    const places = data.cases.map((c) => [c.lat, c.lon]);
    if (places.length > 1) {
      map.fitBounds(places, { padding: [48, 48], maxZoom: 17 });
    } else if (places.length === 1) {
      map.setView(places[0], 16);
    } else {
      map.setView([51.5074, -0.1278], 10);
    }
    if (data.tiles) {
      L.tileLayer(data.tiles, { maxZoom: 19 }).addTo(map);
    }
    data.legs.forEach((leg) => {
      const ends = [data.cases.find((c) => c.reference === leg.from), data.cases.find((c) => c.reference === leg.to)];
      if (!ends[0] || !ends[1]) {
        return;
      }
      L.polyline(ends.map((c) => [c.lat, c.lon]), {
        className: "vigil-map-leg",
        color: "#1d70b8",
        weight: 3,
        dashArray: "6 6",
      })
        .bindTooltip(leg.label, { permanent: true, direction: "center", className: "vigil-map-distance" })
        .addTo(map);
    });
    data.cases.forEach((c, index) => {
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
          offset: [10, 0],
          className: "vigil-map-label",
        })
        .addTo(map);
      marker.on("click", () => {
        window.location.assign(c.url);
      });
    });
    return map;
  }

  const SHAPES = { case: "round-rectangle", person: "ellipse", identifier: "round-tag", place: "diamond" };
  const COLOURS = { case: "#d4351c", person: "#1d70b8", identifier: "#505a5f", place: "#00703c" };
  const RINGS = { case: 4, place: 3, person: 2, identifier: 1 };

  function drawChart(container, data) {
    container.hidden = false;
    const elements = [
      ...data.nodes.map((node) => ({
        data: { ...node },
        classes: [node.kind, node.shared ? "shared" : ""].join(" ").trim(),
      })),
      ...data.edges.map((edge) => ({ data: { ...edge }, classes: edge.kind })),
    ];
    return cytoscape({
      container,
      elements,
      wheelSensitivity: 0.3,
      layout: {
        name: "concentric",
        animate: false,
        concentric: (node) => RINGS[node.data("kind")] || 0,
        levelWidth: () => 1,
        minNodeSpacing: 30,
      },
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
            width: 22,
            height: 22,
          },
        },
        { selector: "node.case", style: { width: 34, height: 26, "font-weight": "bold", "font-size": 13 } },
        { selector: "node.shared", style: { "border-width": 4, "border-color": "#912b88" } },
        {
          selector: "edge",
          style: {
            width: 1.5,
            "line-color": "#b1b4b6",
            "curve-style": "bezier",
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
            width: (edge) => Math.max(2, Math.min(10, (edge.data("weight") || 0) / 3)),
            "line-color": "#d4351c",
            color: "#0b0c0c",
            "font-size": 11,
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
