// conflictwatch dashboard. Every piece of alert text reaches the page through
// textContent or SVG text nodes, never innerHTML: alert text comes from news articles.
"use strict";
(() => {
  const MAX_CARDS = 200;
  const W = 900, H = 480;
  const SEVERITY_RANK = { info: 0, warning: 1, critical: 2 };
  const PRECISION_WORD = { admin1: "province", country: "country", region: "area" };
  const SVG_NS = "http://www.w3.org/2000/svg";
  const alerts = new Map();          // alert id -> alert, arrival order
  let countries = null;              // Natural Earth features by ISO numeric id
  let places = { countries: {}, admin1: {} };
  let source = null;
  let refreshTimer = null;
  let focusDone = "";                // the hash whose target was already scrolled to
  let privateFeed = false;
  let signIns = 0;                   // a 401 to a request sent before the latest sign-in is stale
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

  // ------------------------------------------------------------ URL: filters in the query, focus in the hash

  function filterParams() {
    const p = new URLSearchParams();
    const sev = $("min-severity").value;
    if (sev && sev !== "info") p.set("min_severity", sev);
    const types = $("types").value;
    if (types) p.set("types", types);
    const country = $("country").value.trim().toUpperCase();
    if (/^[A-Z]{2}$/.test(country)) p.set("countries", country);
    return p;
  }

  function readFilters() {
    const q = new URLSearchParams(location.search);
    const sev = q.get("min_severity");
    if (sev && SEVERITY_RANK[sev] !== undefined) $("min-severity").value = sev;
    const types = q.get("types");
    if (types === "talks" || types === "civilian_deaths") $("types").value = types;
    const country = str(q.get("countries")).toUpperCase();
    if (/^[A-Z]{2}$/.test(country)) $("country").value = country;
  }

  function writeFilters() {
    const q = filterParams().toString();
    history.replaceState(null, "", location.pathname + (q ? "?" + q : "") + location.hash);
  }

  function focusTarget() {
    const h = new URLSearchParams(location.hash.slice(1));
    for (const kind of ["alert", "track", "region"]) {
      if (h.get(kind)) return { kind, id: h.get(kind) };
    }
    return null;
  }

  function permalink(kind, id) {
    const q = filterParams().toString();
    return location.pathname + (q ? "?" + q : "") + "#" + new URLSearchParams({ [kind]: id }).toString();
  }

  function linkTo(kind, id, text) {
    const a = el("a", "permalink", text);
    a.href = permalink(kind, id);
    a.title = "Link to this " + kind;
    return a;
  }

  // ------------------------------------------------------------ private feed

  async function sessionStatus() {
    try {
      const resp = await fetch("/session", { headers: { Accept: "application/json" }, credentials: "same-origin" });
      return resp.ok ? await resp.json() : { private_feed: false, signed_in: false };
    } catch (e) {
      return { private_feed: false, signed_in: false };
    }
  }

  function showSignIn(message) {
    if (source) source.close();
    source = null;
    setStatus("error", "sign in");
    // A late 401 from a panel refresh must not wipe what the form is telling the user.
    if (message || $("signin").hidden) $("signin-error").textContent = message || "";
    if ($("signin").hidden) {
      $("signin").hidden = false;
      $("api-key").focus();
    }
  }

  async function signIn(event) {
    event.preventDefault();
    const key = $("api-key").value;
    let resp;
    try {
      resp = await fetch("/session", { method: "POST", headers: { "X-API-Key": key }, credentials: "same-origin" });
    } catch (e) {
      $("signin-error").textContent = "the service did not answer";
      return;
    }
    if (!resp.ok) {
      $("signin-error").textContent = resp.status === 401 ? "this key is not valid" : "sign-in failed (" + resp.status + ")";
      return;
    }
    signIns += 1;
    $("api-key").value = "";
    $("signin").hidden = true;
    $("sign-out").hidden = false;
    connect();
  }

  async function signOut() {
    await fetch("/session", { method: "DELETE", credentials: "same-origin" }).catch(() => null);
    $("sign-out").hidden = true;
    alerts.clear();
    $("feed").replaceChildren();
    scheduleRefresh();
    showSignIn("");
  }

  // ------------------------------------------------------------ live feed

  function connect() {
    if (source) source.close();
    alerts.clear();
    $("feed").replaceChildren();
    $("feed-empty").hidden = false;
    focusDone = "";
    fetched.clear();
    writeFilters();
    scheduleRefresh();
    const params = filterParams();
    params.set("backlog", "200");
    source = new EventSource("/alerts/stream?" + params.toString());
    setStatus("connecting", "connecting…");
    source.onopen = () => setStatus("live", "live");
    source.onerror = async () => {
      setStatus("error", "reconnecting…");  // EventSource retries with Last-Event-ID
      if (privateFeed) {
        const s = await sessionStatus();
        if (!s.signed_in) showSignIn("the session ended; sign in again");
      }
    };
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

  function firstSentence(data) {
    const evidence = Array.isArray(data.evidence) ? data.evidence : [];
    // Evidence items carry the sentence as "sentence" (alert schema); "text" is the event model's name.
    return evidence.map((e) => (typeof e === "string" ? e : e && (e.sentence || e.text)))
      .find((t) => typeof t === "string" && t);
  }

  function articleList(data) {
    const articles = Array.isArray(data.articles) ? data.articles : [];
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
    return list;
  }

  function card(alert) {
    const data = alert.data || {};
    const sev = severityOf(alert);
    const li = el("li", "alert " + sev);
    li.dataset.alertId = alert.id;
    li.dataset.region = str(alert.subject);
    const spot = placement(alert);
    const meta = el("div", "meta");
    const where = el("span", "place " + (spot ? "precision-" + spot.precision : "unplaced"), spot ? spot.label : "unplaced");
    meta.append(el("span", "sev " + sev, sev), el("span", "type", str(alert.type).replace(/[._]/g, " ")),
      el("span", "region", alert.subject || data.region || "unknown region"), where,
      el("time", "when", shortTime(alert.time)), linkTo("alert", alert.id, "link"));
    li.append(meta, el("p", "summary", data.summary || "(no summary)"));
    const sentence = firstSentence(data);
    if (sentence) li.append(el("blockquote", "evidence", sentence));
    const articles = articleList(data);
    if (articles.children.length) li.append(articles);
    return li;
  }

  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => { drawMap(); loadState(); }, 200);
  }

  // ------------------------------------------------------------ state panels

  async function loadState() {
    let state;
    const asked = signIns;
    try {
      const resp = await fetch("/api/state?" + filterParams().toString(),
        { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (resp.status === 401) {
        if (asked === signIns) showSignIn("");
        return;
      }
      if (!resp.ok) return;
      state = await resp.json();
    } catch (e) {
      return;
    }
    renderTracks(state.tracks || []);
    renderDeaths(state.civilian_deaths || {});
    applyFocus();
  }

  function stateBadge(state) {
    return el("span", "state " + (state === "collapsed" ? "collapsed" : "resumed"), state || "unknown");
  }

  function renderTracks(tracks) {
    const list = $("tracks");
    list.replaceChildren();
    for (const t of tracks) {
      const li = el("li", "track");
      li.dataset.trackId = str(t.track_id);
      li.dataset.alertId = str(t.alert_id);
      const parties = Array.isArray(t.parties) && t.parties.length ? t.parties.join(" · ") : "parties not named";
      const head = el("div", "track-head");
      head.append(stateBadge(t.state), el("span", "parties", t.names || parties),
        el("span", "muted", t.region || ""), linkTo("track", str(t.track_id), "link"));
      li.append(head);
      const extra = [];
      if (t.venue) extra.push("talks in " + t.venue);
      if (Array.isArray(t.mediators) && t.mediators.length) extra.push("mediators: " + t.mediators.join(", "));
      if (extra.length) li.append(el("div", "track-extra", extra.join(" · ")));
      const steps = el("ol", "timeline");
      for (const s of Array.isArray(t.timeline) ? t.timeline : []) {
        const step = el("li", "step " + (s.state === "collapsed" ? "collapsed" : "resumed"));
        step.dataset.alertId = str(s.alert_id);
        step.dataset.since = str(s.since);
        step.append(el("time", null, str(s.since)), document.createTextNode(" " + str(s.state)));
        if (s.rearmed) step.append(el("span", "muted", " (again)"));
        if (s.current_state && s.current_state !== s.state) step.append(el("span", "muted", " (reported late)"));
        step.append(document.createTextNode(" "), linkTo("alert", str(s.alert_id), "alert"));
        steps.append(step);
      }
      li.append(steps);
      list.append(li);
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
      const name = el("td", "region-name");
      name.append(linkTo("region", str(r.region), str(r.region)));
      const win = el("td", "window-alert");
      if (r.window_alert) {
        const w = r.window_alert;
        const a = linkTo("alert", str(w.alert_id), w.total + " in " + w.incidents);
        win.append(a);
        if (!r.window_alert_current) win.append(el("span", "muted", " (earlier)"));
      }
      const barCell = el("td", "bar-cell");
      const bar = el("div", "bar");
      bar.style.width = Math.round((100 * (Number(r.deaths) || 0)) / top) + "%";
      barCell.append(bar);
      tr.append(name, el("td", "deaths", r.deaths), el("td", "incidents", r.incidents), win, barCell);
      body.append(tr);
    }
    $("deaths-empty").hidden = rows.length > 0;
    $("window").textContent = info.window_end
      ? "(" + info.window_hours + " h per region, to " + shortTime(info.window_end) + ")" : "";
  }

  // ------------------------------------------------------------ permalinks

  function mark(selector, cls) {
    const nodes = [...document.querySelectorAll(selector)];
    for (const n of nodes) n.classList.add(cls);
    return nodes;
  }

  function applyFocus() {
    for (const n of document.querySelectorAll(".focused, .related")) n.classList.remove("focused", "related");
    const target = focusTarget();
    if (!target) return;
    const esc = CSS.escape(target.id);
    let main = [];
    if (target.kind === "alert") {
      main = mark(`#feed li[data-alert-id="${esc}"]`, "focused");
      mark(`#map g.marker[data-alert-ids~="${esc}"]`, "focused");
      if (!main.length && focusDone !== location.hash) fetchAlert(target.id);
    } else if (target.kind === "track") {
      main = mark(`#tracks li[data-track-id="${esc}"]`, "focused");
      for (const step of main.flatMap((t) => [...t.querySelectorAll(".step")])) {
        const found = mark(`#feed li[data-alert-id="${CSS.escape(step.dataset.alertId)}"]`, "related");
        if (!found.length && focusDone !== location.hash) fetchAlert(step.dataset.alertId);
      }
    } else {
      main = mark(`#deaths tr[data-region="${esc}"]`, "focused");
      mark(`#feed li[data-region="${esc}"]`, "related");
      mark(`#map g.marker[data-regions~="${CSS.escape(target.id.replace(/\s/g, "_"))}"]`, "focused");
    }
    if (main.length && focusDone !== location.hash) {
      focusDone = location.hash;
      main[0].scrollIntoView({ block: "center" });
    }
  }

  const fetched = new Set();  // alert ids a permalink already asked the service for

  // A permalink's alert may be older than the page's backlog: ask for it once.
  async function fetchAlert(id) {
    if (fetched.has(id)) return;
    fetched.add(id);
    try {
      const resp = await fetch("/alerts/" + encodeURIComponent(id), { credentials: "same-origin" });
      if (!resp.ok) return;
      const alert = await resp.json();
      if (alert && alert.id === id) onAlert(alert);
    } catch (e) {
      /* the permalink's alert is gone from the feed: nothing to show */
    }
  }

  // ------------------------------------------------------------ places

  function countryCentroid(cc) {
    const entry = places.countries[cc];
    const feature = entry && countries && countries.get(entry.id);
    if (!feature) return null;
    // The largest polygon: a country's overseas islands must not pull its marker into the sea.
    const polys = feature.geometry.type === "MultiPolygon"
      ? feature.geometry.coordinates.map((c) => ({ type: "Polygon", coordinates: c })) : [feature.geometry];
    const biggest = polys.reduce((a, b) => (d3.geoArea(b) > d3.geoArea(a) ? b : a));
    const [lon, lat] = d3.geoCentroid(biggest);
    return { lat, lon, name: entry.name };
  }

  // Where an alert goes on the map, with how precise that is; null = no place at all.
  function placement(alert) {
    const data = alert.data || {};
    const place = data.place || {};
    const subject = str(alert.subject);
    const cc = str(place.country_code || data.country || (subject && subject !== "unknown" ? subject.split("/")[0] : ""));
    const admin1 = str(place.admin1 || (subject.includes("/") ? subject.split("/")[1] : ""));
    const lat = Number(place.lat), lon = Number(place.lon);
    if (place.lat !== null && place.lon !== null && Number.isFinite(lat) && Number.isFinite(lon)) {
      const precision = PRECISION_WORD[place.precision] ? place.precision : "place";
      const name = precision === "admin1" ? admin1 || str(place.canonical || place.name)
        : precision === "country" ? (places.countries[cc] || {}).name || cc : str(place.canonical || place.name || subject);
      return spot(lat, lon, precision, name);
    }
    const a1 = admin1 && places.admin1[cc + "/" + admin1];
    if (a1) return spot(a1[0], a1[1], "admin1", admin1);
    const c = /^[A-Z]{2}$/.test(cc) ? countryCentroid(cc) : null;
    return c ? spot(c.lat, c.lon, "country", c.name) : null;
  }

  function spot(lat, lon, precision, name) {
    const word = PRECISION_WORD[precision];
    return { lat, lon, precision, name, label: word ? name + " (" + word + ")" : name };
  }

  // ------------------------------------------------------------ map

  function markers() {
    const byPlace = new Map();
    const unplaced = [];
    for (const a of alerts.values()) {
      const s = placement(a);
      if (!s) {
        unplaced.push(a);
        continue;
      }
      // One marker per place and label: two towns never share a marker's name.
      const key = s.label + "|" + s.lat.toFixed(2) + "," + s.lon.toFixed(2);
      const m = byPlace.get(key) || { ...s, alerts: [], sev: "info" };
      m.alerts.push(a);
      if (SEVERITY_RANK[severityOf(a)] > SEVERITY_RANK[m.sev]) m.sev = severityOf(a);
      byPlace.set(key, m);
    }
    return { list: [...byPlace.values()], unplaced };
  }

  function projectionFor(list) {
    const projection = d3.geoNaturalEarth1();
    if (!list.length) return projection.fitExtent([[4, 4], [W - 4, H - 4]], { type: "Sphere" });
    const lons = list.map((m) => m.lon), lats = list.map((m) => m.lat);
    // At least 10° across, so one marker shows its surroundings, not a blank square.
    const pad = Math.max(3, (10 - (Math.max(...lons) - Math.min(...lons))) / 2, (6 - (Math.max(...lats) - Math.min(...lats))) / 2);
    const box = { type: "MultiPoint", coordinates: [
      [Math.max(-180, Math.min(...lons) - pad), Math.max(-85, Math.min(...lats) - pad)],
      [Math.min(180, Math.max(...lons) + pad), Math.min(85, Math.max(...lats) + pad)]] };
    return projection.fitExtent([[30, 20], [W - 30, H - 20]], box);
  }

  function drawMap() {
    if (typeof d3 === "undefined") return;
    const { list, unplaced } = markers();
    const projection = projectionFor(list).clipExtent([[0, 0], [W, H]]);
    const path = d3.geoPath(projection);
    const nodes = [svg("path", { d: path({ type: "Sphere" }), class: "sea" }),
      svg("path", { d: path(d3.geoGraticule10()), class: "grid" })];
    const hot = new Set(list.map((m) => m.alerts.map((a) => str((a.data && a.data.place && a.data.place.country_code)
      || str(a.subject).split("/")[0]))).flat().map((cc) => (places.countries[cc] || {}).id));
    if (countries) {
      for (const [id, f] of countries) {
        const d = path(f);
        if (d) nodes.push(svg("path", { d, class: hot.has(id) ? "land hot" : "land" }));
      }
    }
    // On a narrow screen the SVG is scaled down: grow markers and labels so they stay readable.
    const k = Math.max(1, Math.min(2.6, 820 / ($("map").clientWidth || W)));
    const boxes = [];  // label boxes already placed: a label never prints over another one
    const order = (m) => SEVERITY_RANK[m.sev];
    for (const m of list.sort((a, b) => order(a) - order(b))) {
      const xy = projection([m.lon, m.lat]);
      if (!xy) continue;
      const [px, py] = xy;
      const g = svg("g", { class: "marker precision-" + m.precision });
      g.dataset.alertIds = m.alerts.map((a) => a.id).join(" ");
      g.dataset.regions = [...new Set(m.alerts.map((a) => str(a.subject).replace(/\s/g, "_")))].join(" ");
      g.dataset.place = m.label;
      const r = k * ((m.precision === "place" ? 6 : 9) + Math.min(6, 2 * (m.alerts.length - 1)));
      const circle = svg("circle", { cx: px.toFixed(1), cy: py.toFixed(1), r: r.toFixed(1), class: "pt " + m.sev });
      circle.append(svg("title", {}, m.label + "\n" + m.alerts.map((a) => (a.data && a.data.summary) || a.type).join("\n")));
      g.append(circle);
      const label = labelBox(m.label, px, py, r, k, boxes);
      if (label) g.append(svg("text", { ...label, class: "pt-label", "font-size": (13 * k).toFixed(1) }, m.label));
      nodes.push(g);
    }
    $("map").replaceChildren(...nodes);
    renderUnplaced(unplaced);
  }

  // Right of the point, else left, else below, else above; null when all four collide.
  function labelBox(text, px, py, r, k, boxes) {
    const w = text.length * 7 * k, h = 14 * k, gap = r + 3 * k;
    const options = [
      { x: px + gap, y: py + 4 * k, anchor: "start", box: [px + gap, py - h / 2, w, h] },
      { x: px - gap, y: py + 4 * k, anchor: "end", box: [px - gap - w, py - h / 2, w, h] },
      { x: px, y: py + gap + h * 0.8, anchor: "middle", box: [px - w / 2, py + gap, w, h] },
      { x: px, y: py - gap - 3 * k, anchor: "middle", box: [px - w / 2, py - gap - h, w, h] },
    ];
    const fits = ([x, y, bw, bh]) => x >= 0 && x + bw <= W && y >= 0 && y + bh <= H
      && !boxes.some(([a, b, c, d]) => x < a + c && a < x + bw && y < b + d && b < y + bh);
    const pick = options.find((o) => fits(o.box));
    if (!pick) return null;
    boxes.push(pick.box);
    return { x: pick.x.toFixed(1), y: pick.y.toFixed(1), "text-anchor": pick.anchor };
  }

  function renderUnplaced(unplaced) {
    const node = $("unplaced");
    node.replaceChildren();
    if (!unplaced.length) return;
    node.append(document.createTextNode(" · unplaced (no place at all): "));
    unplaced.forEach((a, i) => {
      if (i) node.append(document.createTextNode(", "));
      const link = linkTo("alert", a.id, str(a.subject) || str(a.type));
      link.dataset.alertId = a.id;
      node.append(link);
    });
  }

  async function loadJson(url) {
    try {
      const resp = await fetch(url);
      return resp.ok ? await resp.json() : null;
    } catch (e) {
      return null;  // the map still shows the graticule and the points
    }
  }

  async function loadMapData() {
    const [world, known] = await Promise.all([loadJson("/static/vendor/countries-50m.json"),
      loadJson("/static/vendor/places.json")]);
    if (known) places = known;
    if (world && typeof topojson !== "undefined") {
      countries = new Map(topojson.feature(world, world.objects.countries).features.map((f) => [str(f.id), f]));
    }
    // Cards drawn before the places arrived may say "unplaced": redraw them.
    for (const li of document.querySelectorAll("#feed li.alert")) {
      const a = alerts.get(li.dataset.alertId);
      if (a) li.replaceWith(card(a));
    }
    scheduleRefresh();
  }

  document.addEventListener("DOMContentLoaded", async () => {
    readFilters();
    for (const id of ["min-severity", "types", "country"]) $(id).addEventListener("change", connect);
    $("signin-form").addEventListener("submit", signIn);
    $("sign-out").addEventListener("click", signOut);
    window.addEventListener("hashchange", () => { focusDone = ""; applyFocus(); });
    const mapReady = loadMapData();
    const status = await sessionStatus();
    privateFeed = status.private_feed;
    await mapReady;
    if (privateFeed && !status.signed_in) {
      showSignIn("");
      return;
    }
    $("sign-out").hidden = !privateFeed;
    connect();
  });
})();
