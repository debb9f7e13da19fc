// fogmap desk: the map and the timeline of the incidents page. Both read the API with
// the page's own filter (its query string), so they always show what the table shows.
// Values from the store are set as text (textContent, Leaflet tooltips built from DOM
// nodes), never as markup.
"use strict";

(function () {
  const COLOURS = {
    "Battles": "#c0392b",
    "Explosions/Remote violence": "#e67e22",
    "Violence against civilians": "#8e44ad",
    "Protests": "#2980b9",
    "Riots": "#16a085",
    "Strategic developments": "#7f8c8d",
  };
  const colour = (type) => COLOURS[type] || "#34495e";

  function text(tag, value, className) {
    const node = document.createElement(tag);
    node.textContent = value == null ? "" : String(value);
    if (className) node.className = className;
    return node;
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(url + ": " + response.status);
    return response.json();
  }

  function tooltip(p) {
    const tip = document.createElement("div");
    tip.className = "marker-tip";
    tip.append(text("strong", (p.sub_event_type || p.event_type) + " · " + (p.date_start || "undated")));
    tip.append(document.createElement("br"), text("span", [p.place, p.admin1, p.country].filter(Boolean).join(", ")));
    tip.append(document.createElement("br"), text("span", p.reports + " reports, " + p.independent_sources + " independent"));
    return tip;
  }

  function drawMap(element) {
    const map = L.map(element, { worldCopyJump: true, minZoom: 1, maxZoom: 12 });
    map.setView([25, 30], 2);
    const tiles = element.dataset.tiles;
    if (tiles) {
      L.tileLayer(tiles, {
        maxNativeZoom: 6,
        maxZoom: 12,
        attribution: "© OpenStreetMap contributors",
      }).addTo(map);
    }
    getJSON(element.dataset.outlines).then((atlas) => {
      const countries = topojson.feature(atlas, atlas.objects.countries);
      L.geoJSON(countries, {
        style: { color: "#4b5563", weight: 0.7, fill: !tiles, fillColor: "#f4f1ea", fillOpacity: 1 },
        interactive: false,
      }).addTo(map).bringToBack();
    }).catch(() => {});
    const clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40, chunkedLoading: true });
    map.addLayer(clusters);
    getJSON(element.dataset.geojson).then((collection) => {
      const markers = [];
      for (const feature of collection.features) {
        const p = feature.properties;
        const [lon, lat] = feature.geometry.coordinates;
        const marker = L.circleMarker([lat, lon], {
          radius: 6 + Math.min(8, Math.sqrt(p.reports || 1) * 2),
          color: "#fff",
          weight: 1,
          fillColor: colour(p.event_type),
          fillOpacity: 0.9,
        });
        marker.bindTooltip(() => tooltip(p));  // built when shown, not for every marker
        marker.incident = feature.id;
        marker.on("click", () => { window.location.assign("/incidents/" + encodeURIComponent(feature.id)); });
        markers.push(marker);
      }
      clusters.addLayers(markers);
      const note = document.getElementById("map-note");
      if (note && collection.truncated) {
        note.textContent = "The map shows the newest " + markers.length + " located incidents; narrow the filter to see the rest.";
        note.hidden = false;
      }
      element.dataset.markers = String(markers.length);
      performance.mark("fogmap:map");  // for measuring the page: bench/desk_latency.py
      if (markers.length) map.fitBounds(clusters.getBounds(), { maxZoom: 6, padding: [20, 20] });
      element.dispatchEvent(new CustomEvent("fogmap:loaded"));
    });
    return map;
  }

  function drawTimeline(element, form) {
    const svgNS = "http://www.w3.org/2000/svg";
    getJSON(element.dataset.url).then((data) => {
      const svg = document.createElementNS(svgNS, "svg");
      element.append(svg);
      const width = element.clientWidth || 400;
      const height = element.clientHeight || 300;
      svg.setAttribute("viewBox", "0 0 " + width + " " + height);
      const left = 30, bottom = 24, top = 18;
      const n = data.buckets.length;
      const totals = data.buckets.map((_, i) =>
        Object.values(data.series).reduce((sum, counts) => sum + counts[i], 0));
      const most = Math.max(1, ...totals);
      const step = n ? (width - left - 8) / n : 0;
      const scale = (height - bottom - top) / most;
      const hint = document.createElementNS(svgNS, "text");
      hint.setAttribute("x", left); hint.setAttribute("y", 12); hint.setAttribute("class", "hint");
      hint.textContent = n ? "incidents per " + data.bucket + " by type · drag across to filter by date" : "no dated incident";
      svg.append(hint);
      data.buckets.forEach((day, i) => {
        let y = height - bottom;
        for (const [type, counts] of Object.entries(data.series)) {
          if (!counts[i]) continue;
          const bar = document.createElementNS(svgNS, "rect");
          const h = counts[i] * scale;
          y -= h;
          bar.setAttribute("x", left + i * step + 1);
          bar.setAttribute("y", y);
          bar.setAttribute("width", Math.max(1, step - 2));
          bar.setAttribute("height", h);
          bar.setAttribute("fill", colour(type));
          const title = document.createElementNS(svgNS, "title");
          title.textContent = day + ": " + counts[i] + " " + type;
          bar.append(title);
          svg.append(bar);
        }
      });
      for (const i of [0, n - 1]) {
        if (i < 0 || !n) continue;
        const label = document.createElementNS(svgNS, "text");
        label.setAttribute("x", left + i * step);
        label.setAttribute("y", height - 6);
        label.setAttribute("class", "axis");
        label.textContent = data.buckets[i];
        svg.append(label);
      }
      const axis = document.createElementNS(svgNS, "text");
      axis.setAttribute("x", 2); axis.setAttribute("y", top + 8); axis.setAttribute("class", "axis");
      axis.textContent = String(most);
      svg.append(axis);
      // Brushing: drag across the bars; the days covered become the filter's dates.
      const brush = document.createElementNS(svgNS, "rect");
      brush.setAttribute("class", "brush");
      brush.setAttribute("y", top); brush.setAttribute("height", height - bottom - top);
      brush.setAttribute("width", 0);
      svg.append(brush);
      performance.mark("fogmap:timeline");
      const at = (event) => {
        const box = svg.getBoundingClientRect();
        return (event.clientX - box.left) * (width / box.width);
      };
      const bucketAt = (x) => Math.max(0, Math.min(n - 1, Math.floor((x - left) / step)));
      let start = null;
      svg.addEventListener("pointerdown", (event) => {
        if (!n) return;
        start = at(event);
        svg.setPointerCapture(event.pointerId);
      });
      svg.addEventListener("pointermove", (event) => {
        if (start === null) return;
        const x = at(event);
        brush.setAttribute("x", Math.min(start, x));
        brush.setAttribute("width", Math.abs(x - start));
      });
      svg.addEventListener("pointerup", (event) => {
        if (start === null) return;
        const x = at(event);
        const [a, b] = [bucketAt(Math.min(start, x)), bucketAt(Math.max(start, x))];
        start = null;
        const last = new Date(data.buckets[b] + "T00:00:00Z");
        if (data.bucket === "week") last.setUTCDate(last.getUTCDate() + 6);
        form.elements.since.value = data.buckets[a];
        form.elements.until.value = last.toISOString().slice(0, 10);
        form.submit();
      });
    });
  }

  const mapElement = document.getElementById("map");
  if (mapElement) window.fogmapMap = drawMap(mapElement);
  const timelineElement = document.getElementById("timeline");
  const form = document.getElementById("filters");
  if (timelineElement && form) drawTimeline(timelineElement, form);
})();
