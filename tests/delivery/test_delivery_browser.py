"""The dashboard in a real headless browser (Debian's chromium driven by
Playwright): alerts published to Kafka appear on the page, article text stays
text, the state panels and the map follow. Saves a screenshot to tests/artifacts/."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import pytest
from aiohttp import ClientSession

from delivery_testkit import aid, apublish, delivery_config, make_alert, running_service, wait_ready

pytestmark = pytest.mark.kafka

CHROMIUM = os.environ.get("CONFLICTWATCH_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


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


def scenario_alerts():
    before = [
        make_alert(101, "talks.collapsed", "SY/Daraa", "warning", 32.62, 36.10, time_="2024-06-04T09:00:00Z",
                   summary="Talks collapsed between Syrian government and opposition factions (SY/Daraa) on 2024-06-04",
                   track={**TRACK, "state": "collapsed", "previous_state": None, "since": "2024-06-04"}),
        make_alert(102, "civilian_deaths.incident", "SY/Idlib", "warning", 35.93, 36.63, time_="2024-06-05T07:00:00Z",
                   summary="7 civilians killed in air strike in Maarat al-Numan, SY/Idlib, on 2024-06-05 (2 sources)",
                   incident={"id": "inc-idlib-1", "revision": 0}, counts={"best": 7, "low": 7, "high": 7}),
    ]
    after = [
        make_alert(103, "talks.resumed", "SY/Daraa", "info", 32.62, 36.10, time_="2024-06-05T09:00:00Z",
                   summary="Talks resumed between Syrian government and opposition factions (SY/Daraa) on 2024-06-05",
                   track={**TRACK, "state": "resumed", "previous_state": "collapsed", "since": "2024-06-05"}),
        make_alert(104, "civilian_deaths.incident", "SY/Daraa", "critical", 32.74, 36.0, time_="2024-06-05T11:00:00Z",
                   summary="12 civilians killed in shelling in Tafas, SY/Daraa, on 2024-06-05 (3 sources)",
                   incident={"id": "inc-daraa-1", "revision": 0}, counts={"best": 12, "low": 10, "high": 12}),
        make_alert(105, "civilian_deaths.incident", "IQ/Nineveh", "warning", 36.34, 43.13, time_="2024-06-05T12:00:00Z",
                   summary=HOSTILE, incident={"id": "inc-mosul-1", "revision": 0}, counts={"best": 5, "low": 5, "high": 5},
                   evidence=[{"event_id": "ev-105", "article_id": "a105", "type": "civilian_deaths", "subtype": None,
                              "modality": "reported", "sentence": "</blockquote><b>bold?</b> An evidence sentence with markup.",
                              "start": 0, "end": 58, "attribution": None, "quantity": None}],
                   articles=[{"id": "a105x", "url": "javascript:window.__xss=3", "title": "Bad link title",
                              "source": "Nowhere", "published_at": "2024-06-05T12:00:00Z"},
                             {"id": "a105", "url": "https://news.example.org/mosul", "title": "Good link title",
                              "source": "Example Wire", "published_at": "2024-06-05T12:00:00Z"}]),
    ]
    return before, after


def test_dashboard_shows_alerts_published_to_kafka(topics):
    reason = _browser_missing()
    if reason:
        pytest.skip(reason)
    from playwright.async_api import async_playwright, expect

    settings = topics
    config = delivery_config(settings)
    before, after = scenario_alerts()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "dashboard.png"

    async def scenario():
        await apublish(settings.bootstrap_servers, config.alerts_topic, before)
        async with running_service(config) as (base, _), ClientSession() as http:
            await wait_ready(http, base)
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                try:
                    page = await browser.new_page(viewport={"width": 1400, "height": 1000})
                    problems: list[str] = []
                    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
                    page.on("pageerror", lambda e: problems.append(str(e)))
                    await page.goto(base + "/")
                    # Alerts already on the topic show up first...
                    for alert in before:
                        await page.wait_for_selector(f'li[data-alert-id="{alert["id"]}"]', timeout=15000)
                    # ...then alerts published while the page is open arrive live.
                    await apublish(settings.bootstrap_servers, config.alerts_topic, after)
                    for alert in after:
                        await page.wait_for_selector(f'li[data-alert-id="{alert["id"]}"]', timeout=15000)
                    # The page's CSP forbids eval, so wait with locators, not wait_for_function.
                    await expect(page.locator("#map circle.pt")).to_have_count(4, timeout=15000)
                    await expect(page.locator("#tracks tbody tr")).to_have_count(1, timeout=15000)
                    await expect(page.locator('#deaths tbody tr[data-region="IQ/Nineveh"]')).to_have_count(1, timeout=15000)
                    await expect(page.locator('#tracks tbody tr')).to_contain_text("resumed", timeout=15000)
                    await page.wait_for_timeout(300)
                    await page.screenshot(path=str(shot), full_page=True)

                    cards = page.locator("#feed li.alert")
                    assert await cards.count() == 5
                    newest = cards.first
                    assert await newest.get_attribute("data-alert-id") == aid(105)
                    # Article-derived text is shown as text, never interpreted.
                    assert await newest.locator(".summary").inner_text() == HOSTILE
                    assert "</blockquote><b>bold?</b>" in await newest.locator(".evidence").inner_text()
                    assert await page.locator("#feed img, #feed script, #feed b").count() == 0
                    assert await page.evaluate("window.__xss === undefined")
                    links = newest.locator(".articles a")
                    assert await links.count() == 1
                    assert await links.first.get_attribute("href") == "https://news.example.org/mosul"
                    assert await links.first.get_attribute("rel") == "noopener noreferrer"
                    assert "Bad link title" in await newest.locator(".articles").inner_text()

                    daraa = page.locator(f'li[data-alert-id="{aid(104)}"]')
                    assert "critical" in (await daraa.locator(".sev").inner_text()).lower()
                    assert await daraa.locator(".region").inner_text() == "SY/Daraa"
                    assert "Test sentence 104" in await daraa.locator(".evidence").inner_text()

                    track_rows = page.locator("#tracks tbody tr")
                    assert await track_rows.count() == 1
                    assert "resumed" in await track_rows.first.inner_text()
                    assert "Syrian government" in await track_rows.first.inner_text()
                    deaths = {await r.get_attribute("data-region"): await r.locator("td.deaths").inner_text()
                              for r in await page.locator("#deaths tbody tr").all()}
                    assert deaths == {"SY/Daraa": "12", "SY/Idlib": "7", "IQ/Nineveh": "5"}
                    assert await page.locator("#map path.land").count() > 10  # offline outlines drawn
                    assert await page.locator("#count").inner_text() == "5 alerts"
                    # The severity filter re-opens the stream with the same filters as the API.
                    await page.select_option("#min-severity", "critical")
                    await expect(page.locator("#feed li.alert")).to_have_count(1, timeout=15000)
                    assert await page.locator("#feed li.alert").first.get_attribute("data-alert-id") == aid(104)
                    await expect(page.locator("#deaths tbody tr")).to_have_count(1, timeout=15000)
                    await expect(page.locator("#tracks tbody tr")).to_have_count(0, timeout=15000)
                    assert problems == [], problems
                finally:
                    await browser.close()

    asyncio.run(scenario())
    assert shot.exists() and shot.stat().st_size > 10_000
