"""The dashboard in a real headless browser (Debian's chromium driven by
Playwright), checked as an analyst sees it: alerts published to Kafka appear,
article text stays text, every card's place is a marker with the same name (or
listed as unplaced), track timelines are in order, the deaths table agrees with
the window alert, filters live in the URL, permalinks open their target, and the
private feed works with a session cookie. Saves desktop and phone screenshots
to tests/artifacts/."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
from pathlib import Path

import pytest
from aiohttp import ClientSession

from delivery_testkit import API_KEY, aid, apublish, delivery_config, make_alert, running_service, wait_ready

pytestmark = pytest.mark.kafka

CHROMIUM = os.environ.get("CONFLICTWATCH_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
WAIT = 15000


def _browser_missing() -> str | None:
    if not os.path.exists(CHROMIUM):
        return f"chromium not installed at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "Python playwright not installed (pip install playwright; no `playwright install` needed)"
    return None


TRACK = {"id": "trk-daraa", "parties": ["Syrian government", "opposition factions"]}
HOSTILE = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> & "quotes"'


def _place(name, cc, admin1=None, lat=None, lon=None, precision="place"):
    return {"name": name, "canonical": name, "geonames_id": None, "country_code": cc, "admin1": admin1,
            "admin1_code": None, "lat": lat, "lon": lon, "precision": precision}


def scenario_alerts(tracks_fields: bool = True):
    """Alerts before the page opens and alerts published while it is open.

    ``tracks_fields``: talks alerts carry ``venue`` and ``mediators`` (the tracks
    rework); off, they have the older shape the alert schema on main describes."""
    def talks_extra(mediators, venue):
        if not tracks_fields:
            return {}
        return {"mediators": mediators, "venue": venue and {"name": venue, "country_code": "JO"}}

    before = [
        make_alert(101, "talks.collapsed", "SY", "warning", None, None, time_="2024-06-03T09:00:00Z",
                   summary="Talks between the Syrian government and opposition factions collapsed on 2024-06-03",
                   track={**TRACK, "state": "collapsed", "previous_state": None, "since": "2024-06-03"},
                   place=_place("Syria", "SY", precision="country"), **talks_extra(["United Nations"], None)),
        make_alert(102, "civilian_deaths.incident", "SY/Idlib", "warning", time_="2024-06-05T07:00:00Z",
                   summary="7 civilians killed in an air strike in Maarat al-Numan, SY/Idlib, on 2024-06-05",
                   place=_place("Maarat al-Numan", "SY", "Idlib", 35.64, 36.68),
                   incident={"id": "inc-idlib-1", "revision": 0}, counts={"best": 7, "low": 7, "high": 7}),
    ]
    after = [
        # Published before the resumption it follows in time: the timeline must still be in order.
        make_alert(107, "talks.collapsed", "SY", "warning", None, None, time_="2024-06-08T09:00:00Z",
                   summary="Talks between the Syrian government and opposition factions collapsed again on 2024-06-08",
                   track={**TRACK, "state": "collapsed", "previous_state": "resumed", "since": "2024-06-08"},
                   place=_place("Syria", "SY", precision="country"), **talks_extra(["United Nations"], None)),
        make_alert(103, "talks.resumed", "SY", "info", time_="2024-06-05T09:00:00Z",
                   summary="Talks between the Syrian government and opposition factions resumed in Amman on 2024-06-05",
                   track={**TRACK, "state": "resumed", "previous_state": "collapsed", "since": "2024-06-05",
                          "current_state": "collapsed"},
                   place=_place("Amman", "JO", None, 31.95, 35.93),
                   **talks_extra(["United Nations", "Jordan", "Syrian government"], "Amman")),
        make_alert(104, "civilian_deaths.incident", "SY/Daraa", "critical", time_="2024-06-05T11:00:00Z",
                   summary="12 civilians killed by shelling in Tafas, SY/Daraa, on 2024-06-05",
                   place=_place("Tafas", "SY", "Daraa", 32.74, 36.07),
                   incident={"id": "inc-daraa-1", "revision": 0}, counts={"best": 12, "low": 10, "high": 12}),
        # Three of its four incidents were below the incident threshold: no alert of their own.
        make_alert(106, "civilian_deaths.window", "SY/Daraa", "critical", time_="2024-06-05T11:00:00Z",
                   summary="23 civilians killed in SY/Daraa within 24 h across 4 incidents",
                   place=_place("Daraa", "SY", "Daraa", precision="admin1"),
                   counts={"total": 23, "incidents": 4, "threshold": 20},
                   window={"hours": 24, "start": "2024-06-04T11:00:00Z", "end": "2024-06-05T11:00:00Z"},
                   incidents=[{"id": "inc-daraa-1", "date": "2024-06-05", "best": 12},
                              {"id": "inc-daraa-2", "date": "2024-06-05", "best": 4},
                              {"id": "inc-daraa-3", "date": "2024-06-05", "best": 4},
                              {"id": "inc-daraa-4", "date": "2024-06-04", "best": 3}]),
        make_alert(105, "civilian_deaths.incident", "IQ/Nineveh", "warning", 36.34, 43.13, time_="2024-06-05T12:00:00Z",
                   summary=HOSTILE, incident={"id": "inc-mosul-1", "revision": 0}, counts={"best": 5, "low": 5, "high": 5},
                   place=_place("Mosul", "IQ", "Nineveh", 36.34, 43.13),
                   evidence=[{"event_id": "ev-105", "article_id": "a105", "type": "civilian_deaths", "subtype": None,
                              "modality": "reported", "sentence": "</blockquote><b>bold?</b> An evidence sentence with markup.",
                              "start": 0, "end": 58, "attribution": None, "quantity": None}],
                   articles=[{"id": "a105x", "url": "javascript:window.__xss=3", "title": "Bad link title",
                              "source": "Nowhere", "published_at": "2024-06-05T12:00:00Z"},
                             {"id": "a105", "url": "https://news.example.org/mosul", "title": "Good link title",
                              "source": "Example Wire", "published_at": "2024-06-05T12:00:00Z"}]),
        # No place at all: the only alert the map may call unplaced.
        make_alert(108, "civilian_deaths.incident", "unknown", "warning", time_="2024-06-05T10:00:00Z",
                   summary="6 civilians killed in an attack whose place the reports do not give",
                   place=_place(None, None), country=None,
                   incident={"id": "inc-nowhere-1", "revision": 0}, counts={"best": 6, "low": 6, "high": 6}),
    ]
    return before, after


ALL = [a for batch in scenario_alerts() for a in batch]
EXPECTED_PLACE = {aid(101): "Syria (country)", aid(107): "Syria (country)", aid(102): "Maarat al-Numan",
                  aid(103): "Amman", aid(104): "Tafas", aid(106): "Daraa (province)", aid(105): "Mosul",
                  aid(108): "unplaced"}


@contextlib.asynccontextmanager
async def dashboard(settings, alerts, **config_overrides):
    """A running delivery service with ``alerts`` on the topic, and a headless Chromium."""
    from playwright.async_api import async_playwright

    config = delivery_config(settings, **config_overrides)
    await apublish(settings.bootstrap_servers, config.alerts_topic, alerts)
    async with running_service(config) as (base, _), ClientSession() as http:
        await wait_ready(http, base)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                yield base, browser, config
            finally:
                await browser.close()


async def open_page(browser, url, width=1400, height=1000, problems=None):
    context = await browser.new_context(viewport={"width": width, "height": height})
    page = await context.new_page()
    if problems is not None:
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
    await page.goto(url)
    return page


async def card_places(page) -> dict:
    return {await li.get_attribute("data-alert-id"): await li.locator(".place").inner_text()
            for li in await page.locator("#feed li.alert").all()}


async def check_markers_match_cards(page) -> None:
    """Every card's place is the label of the one marker holding that alert; only
    alerts without any place are listed as unplaced; nothing is on the map twice."""
    on_map: dict[str, str] = {}
    for marker in await page.locator("#map g.marker").all():
        label = await marker.get_attribute("data-place")
        for alert_id in (await marker.get_attribute("data-alert-ids")).split():
            assert alert_id not in on_map, alert_id
            on_map[alert_id] = label
    unplaced = {await a.get_attribute("data-alert-id") for a in await page.locator("#unplaced a").all()}
    cards = await card_places(page)
    for alert_id, place in cards.items():
        if place == "unplaced":
            assert alert_id in unplaced and alert_id not in on_map
        else:
            assert on_map.get(alert_id) == place, (alert_id, place, on_map.get(alert_id))
    assert set(on_map) | unplaced == set(cards)


def skip_without_browser():
    reason = _browser_missing()
    if reason:
        pytest.skip(reason)


def test_dashboard_shows_alerts_as_an_analyst_sees_them(topics):
    skip_without_browser()
    from playwright.async_api import expect

    settings = topics
    before, after = scenario_alerts()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    async def scenario():
        problems: list[str] = []
        async with dashboard(settings, before) as (base, browser, config):
            page = await open_page(browser, base + "/", problems=problems)
            # Alerts already on the topic show up first...
            for alert in before:
                await page.wait_for_selector(f'li[data-alert-id="{alert["id"]}"]', timeout=WAIT)
            # ...then alerts published while the page is open arrive live.
            await apublish(settings.bootstrap_servers, config.alerts_topic, after)
            for alert in after:
                await page.wait_for_selector(f'li[data-alert-id="{alert["id"]}"]', timeout=WAIT)
            # The page's CSP forbids eval, so wait with locators, not wait_for_function.
            await expect(page.locator("#tracks li.track .step")).to_have_count(3, timeout=WAIT)
            await expect(page.locator('#deaths tbody tr[data-region="IQ/Nineveh"]')).to_have_count(1, timeout=WAIT)
            await expect(page.locator("#map g.marker")).to_have_count(6, timeout=WAIT)

            # The map: Natural Earth countries, markers where the cards say.
            assert await page.locator("#map path.land").count() > 10   # the countries in view
            assert await page.locator("#map path.land.hot").count() >= 3   # SY, IQ, JO
            assert await card_places(page) == EXPECTED_PLACE
            await check_markers_match_cards(page)
            assert await page.locator("#map g.marker.precision-country").count() == 1
            assert await page.locator("#map g.marker.precision-admin1").count() == 1
            assert await page.locator("#unplaced a").count() == 1

            # The track: one row, parties apart from mediators, transitions in time order.
            track = page.locator("#tracks li.track")
            assert await track.count() == 1
            assert await track.locator(".parties").inner_text() == "Syrian government · opposition factions"
            extra = await track.locator(".track-extra").inner_text()
            assert "talks in Amman" in extra and "mediators: United Nations, Jordan" in extra
            assert "Syrian government" not in extra
            steps = track.locator(".step")
            assert [await s.get_attribute("data-alert-id") for s in await steps.all()] == [aid(101), aid(103), aid(107)]
            assert [await s.get_attribute("data-since") for s in await steps.all()] == [
                "2024-06-03", "2024-06-05", "2024-06-08"]
            assert (await track.locator(".track-head .state").inner_text()) == "collapsed"
            assert await steps.nth(1).locator("a").get_attribute("href") == f"/#alert={aid(103)}"

            # Deaths: the table and the window alert say the same.
            window = next(a for a in after if a["type"] == "civilian_deaths.window")
            row = page.locator('#deaths tbody tr[data-region="SY/Daraa"]')
            assert await row.locator("td.deaths").inner_text() == str(window["data"]["counts"]["total"])
            assert await row.locator("td.incidents").inner_text() == str(window["data"]["counts"]["incidents"])
            assert await row.locator("td.window-alert").inner_text() == "23 in 4"
            deaths = {await r.get_attribute("data-region"): await r.locator("td.deaths").inner_text()
                      for r in await page.locator("#deaths tbody tr").all()}
            assert deaths == {"SY/Daraa": "23", "SY/Idlib": "7", "IQ/Nineveh": "5", "unknown": "6"}

            # Cards: article-derived text stays text, links only http(s).
            cards = page.locator("#feed li.alert")
            assert await cards.count() == 8
            hostile = page.locator(f'li[data-alert-id="{aid(105)}"]')
            assert await hostile.locator(".summary").inner_text() == HOSTILE
            assert "</blockquote><b>bold?</b>" in await hostile.locator(".evidence").inner_text()
            assert await page.locator("#feed img, #feed script, #feed b").count() == 0
            assert await page.evaluate("window.__xss === undefined")
            links = hostile.locator(".articles a")
            assert await links.count() == 1
            assert await links.first.get_attribute("href") == "https://news.example.org/mosul"
            assert await links.first.get_attribute("rel") == "noopener noreferrer"
            assert await page.locator("#count").inner_text() == "8 alerts"

            await page.wait_for_timeout(300)
            await page.screenshot(path=str(ARTIFACTS / "dashboard-desktop.png"))  # the first screen
            await page.screenshot(path=str(ARTIFACTS / "dashboard-desktop-full.png"), full_page=True)
            phone = await open_page(browser, base + "/", width=390, height=844, problems=problems)
            await expect(phone.locator("#feed li.alert")).to_have_count(8, timeout=WAIT)
            await expect(phone.locator("#map g.marker")).to_have_count(6, timeout=WAIT)
            await phone.wait_for_timeout(300)
            await phone.screenshot(path=str(ARTIFACTS / "dashboard-phone.png"))  # the first screen
            await phone.screenshot(path=str(ARTIFACTS / "dashboard-phone-full.png"), full_page=True)
            # Nothing wider than the phone's screen.
            assert await phone.evaluate("document.documentElement.scrollWidth") <= 390

            # Filters go into the URL and come back on reload.
            await page.select_option("#min-severity", "critical")
            await expect(page.locator("#feed li.alert")).to_have_count(2, timeout=WAIT)
            assert "min_severity=critical" in page.url
            await page.select_option("#types", "civilian_deaths")
            await page.fill("#country", "SY")
            await page.dispatch_event("#country", "change")
            await expect(page.locator("#feed li.alert")).to_have_count(2, timeout=WAIT)
            await page.reload()
            assert await page.locator("#min-severity").input_value() == "critical"
            assert await page.locator("#types").input_value() == "civilian_deaths"
            assert await page.locator("#country").input_value() == "SY"
            await expect(page.locator("#feed li.alert")).to_have_count(2, timeout=WAIT)
            assert {await li.get_attribute("data-alert-id") for li in await page.locator("#feed li.alert").all()} == {
                aid(104), aid(106)}
            await expect(page.locator("#tracks li.track")).to_have_count(0, timeout=WAIT)
            await expect(page.locator("#map g.marker")).to_have_count(2, timeout=WAIT)
            await check_markers_match_cards(page)
        assert problems == [], problems

    asyncio.run(scenario())
    for name in ("dashboard-desktop.png", "dashboard-phone.png"):
        assert (ARTIFACTS / name).stat().st_size > 10_000


def test_permalinks_open_an_alert_a_track_and_a_region_with_their_evidence_highlighted(topics):
    skip_without_browser()
    from playwright.async_api import expect

    before, after = scenario_alerts()

    async def scenario():
        async with dashboard(topics, before + after) as (base, browser, _):
            # The filters hide the linked alert from the stream (as an alert older than
            # the backlog would be): the page asks the service for it.
            urls: list[str] = []
            context = await browser.new_context(viewport={"width": 1400, "height": 1000})
            page = await context.new_page()
            page.on("request", lambda r: urls.append(r.url))
            await page.goto(f"{base}/?types=talks#alert={aid(104)}")
            card = page.locator(f'#feed li[data-alert-id="{aid(104)}"]')
            await expect(card).to_have_class("alert critical focused", timeout=WAIT)
            assert f"{base}/alerts/{aid(104)}" in urls
            await expect(page.locator("#feed li.alert")).to_have_count(4, timeout=WAIT)  # 3 talks + the linked one
            assert await page.locator("#feed li.focused").count() == 1
            assert "Test sentence 104" in await card.locator(".evidence").inner_text()
            await expect(page.locator(f'#map g.marker.focused[data-alert-ids~="{aid(104)}"]')).to_have_count(1, timeout=WAIT)
            assert await card.is_visible()
            # The card's own link is the permalink, filters included.
            href = await card.locator("a.permalink").get_attribute("href")
            assert href == f"/?types=talks#alert={aid(104)}"

            # A track's permalink (filters included) also brings its transitions' cards.
            track_id = before[0]["trackid"]
            page = await open_page(browser, f"{base}/?countries=SY#track={track_id}")
            track_row = page.locator(f'#tracks li[data-track-id="{track_id}"]')
            await expect(track_row).to_have_class("track focused", timeout=WAIT)
            related = page.locator("#feed li.related")
            await expect(related).to_have_count(3, timeout=WAIT)
            assert {await r.get_attribute("data-alert-id") for r in await related.all()} == {aid(101), aid(103), aid(107)}

            page = await open_page(browser, base + "/?countries=SY#region=SY%2FDaraa")
            region_row = page.locator('#deaths tr[data-region="SY/Daraa"]')
            await expect(region_row).to_have_class("focused", timeout=WAIT)
            await expect(page.locator("#feed li.related")).to_have_count(2, timeout=WAIT)
            assert await page.locator("#map g.marker.focused").count() >= 1
            # Following a link on the page moves the focus.
            await page.locator(f'#tracks li.track .step[data-alert-id="{aid(103)}"] a').click()
            await expect(page.locator(f'#feed li[data-alert-id="{aid(103)}"]')).to_have_class(
                "alert info focused", timeout=WAIT)
            assert page.url.endswith(f"/?countries=SY#alert={aid(103)}")
            assert await page.locator("#deaths tr.focused").count() == 0

    asyncio.run(scenario())


def test_private_feed_opens_with_a_session_cookie_and_never_puts_the_key_in_a_url(topics):
    skip_without_browser()
    from playwright.async_api import expect

    before, after = scenario_alerts()

    async def scenario():
        async with dashboard(topics, before + after, public_feed=False) as (base, browser, _):
            urls: list[str] = []
            page = await open_page(browser, base + "/")
            page.on("request", lambda r: urls.append(r.url))
            await expect(page.locator("#signin")).to_be_visible(timeout=WAIT)
            assert await page.locator("#feed li.alert").count() == 0
            await page.fill("#api-key", "not-a-key-at-all")
            await page.click("#signin-form button")
            await expect(page.locator("#signin-error")).to_have_text("this key is not valid", timeout=WAIT)
            await page.fill("#api-key", API_KEY)
            await page.click("#signin-form button")
            await expect(page.locator("#feed li.alert")).to_have_count(8, timeout=WAIT)
            await expect(page.locator("#status")).to_have_text("live", timeout=WAIT)
            await expect(page.locator("#tracks li.track")).to_have_count(1, timeout=WAIT)
            assert await page.locator("#signin").is_hidden()
            cookies = await page.context.cookies()
            (session,) = [c for c in cookies if c["name"] == "cw_session"]
            assert session["httpOnly"] and session["sameSite"] == "Strict"
            assert API_KEY not in session["value"]
            assert urls and not any(API_KEY in u for u in urls)
            # A reload keeps the session (no key typed again).
            await page.reload()
            await expect(page.locator("#feed li.alert")).to_have_count(8, timeout=WAIT)
            assert await page.locator("#signin").is_hidden()
            # Signing out closes the feed again.
            await page.click("#sign-out")
            await expect(page.locator("#signin")).to_be_visible(timeout=WAIT)
            await page.reload()
            await expect(page.locator("#signin")).to_be_visible(timeout=WAIT)
            assert await page.locator("#feed li.alert").count() == 0

    asyncio.run(scenario())
