// conflictwatch dashboard. Every piece of alert text reaches the page through
// textContent or SVG text nodes, never innerHTML: alert text comes from news articles.
"use strict";
(() => {
  const MAX_CARDS = 200;
  const W = 900, H = 450;
  const SEVERITY_RANK = { info: 0, warning: 1, critical: 2 };
  const SVG_NS = "http://www.w3.org/2000/svg";
  const alerts = new Map();          // alert id -> alert, arrival order
  let world = null;
  let source = null;
  let refreshTimer = null;
  const $ = (id) => document.getElementById(id);

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  // Only http(s) links: a "javascript:" URL in an article must never become clickable.
  function safeUrl(raw) {
    if (typeof raw !== "string") return null;
    try {
      const url = new URL(raw);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  const str = (v) => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));
  const severityOf = (a) => (a.data && SEVERITY_RANK[a.data.severity] !== undefined ? a.data.severity : "info");
  const shortTime = (t) => str(t).replace("T", " ").replace(/:\d\d(\.\d+)?(Z|[+-]00:00)$/, " UTC");

  function filterParams() {
    const p = new URLSearchParams();
    const sev = $("min-severity").value;
    if (sev && sev !== "info") p.set("min_severity", sev);
    const country = $("country").value.trim().toUpperCase();
    if (/^[A-Z]{2}$/.test(country)) p.set("countries", country);
    return p;
  }

  function connect() {
    if (source) source.close();
    alerts.clear();
    $("feed").replaceChildren();
    $("feed-empty").hidden = false;
    scheduleRefresh();
    const params = filterParams();
    params.set("backlog", "200");
    source = new EventSource("/alerts/stream?" + params.toString());
    setStatus("connecting", "connecting…");
    source.onopen = () => setStatus("live", "live");
    source.onerror = () => setStatus("error", "reconnecting…");  // EventSource retries with Last-Event-ID
    source.addEventListener("alert", (event) => {
      let alert;
      try { alert = JSON.parse(event.data); } catch (e) { return; }
      if (alert && typeof alert.id === "string") onAlert(alert);
    });
  }

  function setStatus(cls, text) {
    const node = $("status");
    node.className = "status " + cls;
    node.textContent = text;
  }

  function onAlert(alert) {
    if (alerts.has(alert.id)) return;
    alerts.set(alert.id, alert);
    const feed = $("feed");
    feed.prepend(card(alert));
    while (feed.children.length > MAX_CARDS) feed.lastElementChild.remove();
    $("feed-empty").hidden = true;
    $("count").textContent = alerts.size + (alerts.size === 1 ? " alert" : " alerts");
    scheduleRefresh();
  }

  function card(alert) {
    const data = alert.data || {};
    const sev = severityOf(alert);
    const li = el("li", "alert " + sev);
    li.dataset.alertId = alert.id;
    const meta = el("div", "meta");
    meta.append(el("span", "sev " + sev, sev), el("span", "type", str(alert.type).replace(/[._]/g, " ")),
      el("span", "region", alert.subject || data.region || "unknown region"), el("time", "when", shortTime(alert.time)));
    li.append(meta, el("p", "summary", data.summary || "(no summary)"));
    const evidence = Array.isArray(data.evidence) ? data.evidence : [];
    // Evidence items carry the sentence as "sentence" (alert schema); "text" is the event model's name.
    const sentence = evidence.map((e) => (typeof e === "string" ? e : e && (e.sentence || e.text)))
      .find((t) => typeof t === "string" && t);
    if (sentence) li.append(el("blockquote", "evidence", sentence));
    const articles = Array.isArray(data.articles) ? data.articles : [];
    if (articles.length) {
      const list = el("ul", "articles");
      for (const art of articles.slice(0, 8)) {
        if (!art || typeof art !== "object") continue;
        const label = str(art.title) || str(art.source) || str(art.url) || "article";
        const item = el("li");
        const href = safeUrl(art.url);
        if (href) {
          const a = el("a", null, label);
          a.href = href;
          a.target = "_blank";
          a.rel = "noopener noreferrer";
          item.append(a);
        } else {
          item.append(el("span", null, label));
        }
        if (art.source && art.title) item.append(document.createTextNode(" — " + str(art.source)));
        list.append(item);
      }
      li.append(list);
    }
    return li;
  }

  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => { drawMap(); loadState(); }, 200);
  }

  // ------------------------------------------------------------ state panels

  async function loadState() {
    let state;
    try {
      const resp = await fetch("/api/state?" + filterParams().toString(), { headers: { Accept: "application/json" } });
      if (!resp.ok) return;
      state = await resp.json();
    } catch (e) {
      return;
    }
    renderTracks(state.tracks || []);
    renderDeaths(state.civilian_deaths || {});
  }

  function renderTracks(tracks) {
    const body = $("tracks").tBodies[0];
    body.replaceChildren();
    for (const t of tracks) {
      const tr = el("tr");
      tr.dataset.trackId = str(t.track_id);
      const state = el("td");
      state.append(el("span", "state " + (t.state === "collapsed" ? "collapsed" : "resumed"), t.state));
      const parties = Array.isArray(t.parties) && t.parties.length ? t.parties.join(", ") : "unnamed parties";
      tr.append(el("td", null, t.region || ""), el("td", null, parties), state, el("td", null, shortTime(t.since)));
      body.append(tr);
    }
    $("tracks-empty").hidden = tracks.length > 0;
  }

  function renderDeaths(info) {
    const rows = Array.isArray(info.regions) ? info.regions : [];
    const body = $("deaths").tBodies[0];
    body.replaceChildren();
    const top = Math.max(1, ...rows.map((r) => Number(r.deaths) || 0));
    for (const r of rows) {
      const tr = el("tr");
      tr.dataset.region = str(r.region);
      const barCell = el("td");
      const bar = el("div", "bar");
      bar.style.width = Math.round((100 * (Number(r.deaths) || 0)) / top) + "%";
      barCell.append(bar);
      tr.append(el("td", null, r.region), el("td", "deaths", r.deaths), el("td", null, r.incidents), barCell);
      body.append(tr);
    }
    $("deaths-empty").hidden = rows.length > 0;
    $("window").textContent = info.window_end
      ? "(" + info.window_hours + " h to " + shortTime(info.window_end) + ")" : "";
  }

  // ------------------------------------------------------------ map

  function points() {
    const byPlace = new Map();
    for (const a of alerts.values()) {
      const place = (a.data && a.data.place) || {};
      const lat = Number(place.lat), lon = Number(place.lon);
      if (place.lat === null || place.lon === null || !Number.isFinite(lat) || !Number.isFinite(lon)) continue;
      const key = lat.toFixed(2) + "," + lon.toFixed(2);
      const p = byPlace.get(key) || { lat, lon, name: str(place.name || place.canonical || a.subject), alerts: [], sev: "info" };
      p.alerts.push(a);
      if (SEVERITY_RANK[severityOf(a)] > SEVERITY_RANK[p.sev]) p.sev = severityOf(a);
      byPlace.set(key, p);
    }
    return [...byPlace.values()];
  }

  function view(pts) {
    if (!pts.length) return { lon0: -180, lat1: 90, span: 360 };
    const lons = pts.map((p) => p.lon), lats = pts.map((p) => p.lat);
    const pad = 3;
    const minLon = Math.min(...lons) - pad, maxLon = Math.max(...lons) + pad;
    const minLat = Math.min(...lats) - pad, maxLat = Math.max(...lats) + pad;
    const span = Math.min(360, Math.max(24, maxLon - minLon, 2 * (maxLat - minLat)));
    const cLon = (minLon + maxLon) / 2, cLat = (minLat + maxLat) / 2;
    const lat1 = Math.min(90, Math.max(-90 + span / 2, cLat + span / 4));
    return { lon0: cLon - span / 2, lat1, span };
  }

  function drawMap() {
    const map = $("map");
    const pts = points();
    const v = view(pts);
    const k = W / v.span;
    const x = (lon) => ((lon - v.lon0) * k).toFixed(1);
    const y = (lat) => ((v.lat1 - lat) * k).toFixed(1);
    const path = (ring) => "M" + ring.map(([lon, lat]) => x(lon) + " " + y(lat)).join("L") + "Z";
    const nodes = [];
    if (world) {
      for (const ring of Object.values(world.land || {})) nodes.push(svg("path", { d: path(ring), class: "land" }));
      for (const ring of Object.values(world.water || {})) nodes.push(svg("path", { d: path(ring), class: "water" }));
    }
    const step = [1, 2, 5, 10, 15, 30].find((s) => v.span / s <= 14) || 30;
    const grid = svg("g", { class: "graticule" });
    for (let lon = Math.ceil(v.lon0 / step) * step; lon <= v.lon0 + v.span; lon += step) {
      grid.append(svg("line", { x1: x(lon), x2: x(lon), y1: 0, y2: H, class: "grid" }));
      grid.append(svg("text", { x: Number(x(lon)) + 2, y: H - 4, class: "grid-label" }, Math.abs(lon) + (lon < 0 ? "°W" : "°E")));
    }
    const lat0 = v.lat1 - v.span / 2;
    for (let lat = Math.ceil(lat0 / step) * step; lat <= v.lat1; lat += step) {
      grid.append(svg("line", { x1: 0, x2: W, y1: y(lat), y2: y(lat), class: "grid" }));
      grid.append(svg("text", { x: 3, y: Number(y(lat)) - 3, class: "grid-label" }, Math.abs(lat) + (lat < 0 ? "°S" : "°N")));
    }
    nodes.push(grid);
    const order = (p) => SEVERITY_RANK[p.sev];
    const labelled = [];  // skip a label that would print over another one
    for (const p of pts.sort((a, b) => order(a) - order(b))) {
      const g = svg("g", { class: "marker" });
      g.dataset.alertIds = p.alerts.map((a) => a.id).join(" ");
      const r = 6 + Math.min(6, 2 * (p.alerts.length - 1));
      const px = Number(x(p.lon)), py = Number(y(p.lat));
      const circle = svg("circle", { cx: px, cy: py, r, class: "pt " + p.sev });
      circle.append(svg("title", {}, p.alerts.map((a) => (a.data && a.data.summary) || a.type).join("\n")));
      g.append(circle);
      if (!labelled.some(([lx, ly]) => Math.abs(lx - px) < 60 && Math.abs(ly - py) < 14)) {
        labelled.push([px, py]);
        const left = px > W - 110;  // near the right edge the label goes to the left of the point
        g.append(svg("text", { x: left ? px - r - 3 : px + r + 3, y: py + 4, class: "pt-label",
          "text-anchor": left ? "end" : "start" }, p.name));
      }
      nodes.push(g);
    }
    map.replaceChildren(...nodes);
    const located = pts.reduce((n, p) => n + p.alerts.length, 0);
    const missing = alerts.size - located;
    $("map-note").textContent = missing > 0
      ? "· " + missing + (missing === 1 ? " alert has" : " alerts have") + " no coordinates" : "";
  }

  async function loadWorld() {
    try {
      const resp = await fetch("/static/world.json");
      if (resp.ok) world = await resp.json();
    } catch (e) {
      world = null;  // the map still shows the grid and the points
    }
    drawMap();
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("min-severity").addEventListener("change", connect);
    $("country").addEventListener("change", connect);
    loadWorld();
    connect();
  });
})();
