"""Private feed: the dashboard trades the key (header only) for a signed session
cookie; a key in the query string is refused; single alerts for permalinks."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import ClientSession, CookieJar

from delivery_testkit import API_KEY, aid, apublish, delivery_config, make_alert, read_sse, running_service, wait_ready

from conflictwatch.delivery.sessions import issue, owner_of, session_secret

SECRET = session_secret(["key-one-0123456789", "key-two-0123456789"])


def test_a_session_token_is_valid_until_it_expires_and_only_with_the_same_keys():
    token = issue(SECRET, "key-abc", now=1000.0, lifetime=60)
    assert owner_of(SECRET, token, 1059.0) == "key-abc"
    assert owner_of(SECRET, token, 1060.0) is None                         # expired
    assert owner_of(session_secret(["key-one-0123456789"]), token, 1001.0) is None  # keys file changed
    owner, expiry, mac = token.split(".")
    assert owner_of(SECRET, f"key-other.{expiry}.{mac}", 1001.0) is None   # owner swapped
    assert owner_of(SECRET, f"{owner}.{int(expiry) + 9999}.{mac}", 1001.0) is None  # expiry stretched
    for junk in (None, "", "a.b", "x..", "key.１２.ab", "a" * 500):
        assert owner_of(SECRET, junk, 1001.0) is None
    assert "0123456789" not in token


@pytest.mark.kafka
def test_private_feed_accepts_the_header_or_the_session_cookie_never_a_query_key(topics):
    config = delivery_config(topics, public_feed=False)
    alerts = [make_alert(1), make_alert(2, subject="IQ/Nineveh")]

    async def scenario():
        await apublish(topics.bootstrap_servers, config.alerts_topic, alerts)
        async with running_service(config) as (base, _), ClientSession() as anon:
            await wait_ready(anon, base)
            for path in ("/alerts", "/api/state", f"/alerts/{aid(1)}", "/alerts/stream"):
                async with anon.get(base + path) as resp:
                    assert resp.status == 401, path
                async with anon.get(base + path + "?api_key=" + API_KEY) as resp:
                    assert resp.status == 401, path  # a key in a URL ends up in logs
            async with anon.get(base + "/session") as resp:
                assert await resp.json() == {"private_feed": True, "signed_in": False}
            async with anon.get(base + "/alerts", headers={"X-API-Key": API_KEY}) as resp:
                assert resp.status == 200
            async with anon.post(base + "/session", headers={"X-API-Key": "wrong-key-0000000000"}) as resp:
                assert resp.status == 401
            async with anon.post(base + "/session?api_key=" + API_KEY) as resp:
                assert resp.status == 401

            async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as browser:
                async with browser.post(base + "/session", headers={"X-API-Key": API_KEY}) as resp:
                    assert resp.status == 200
                    cookie = resp.cookies["cw_session"]
                    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/"
                    assert API_KEY not in cookie.value
                async with browser.get(base + "/session") as resp:
                    assert (await resp.json())["signed_in"] is True
                async with browser.get(base + f"/alerts/{aid(2)}") as resp:
                    assert resp.status == 200 and (await resp.json())["subject"] == "IQ/Nineveh"
                async with browser.get(base + "/alerts/cw-unknown") as resp:
                    assert resp.status == 404
                async with browser.get(base + "/alerts/stream?backlog=5") as resp:
                    assert resp.status == 200
                    got = {e["id"] for e in await read_sse(resp, 2)}
                assert got == {aid(1), aid(2)}
                async with browser.delete(base + "/session") as resp:
                    assert resp.status == 204
                async with browser.get(base + "/api/state") as resp:
                    assert resp.status == 401

    asyncio.run(scenario())


@pytest.mark.kafka
def test_one_alert_by_id_on_the_public_feed(topics):
    config = delivery_config(topics, feed_buffer=3)
    alerts = [make_alert(n) for n in range(1, 6)]

    async def scenario():
        await apublish(topics.bootstrap_servers, config.alerts_topic, alerts)
        async with running_service(config) as (base, _), ClientSession() as http:
            await wait_ready(http, base)
            for n in (3, 4, 5):
                async with http.get(base + f"/alerts/{aid(n)}") as resp:
                    assert resp.status == 200 and (await resp.json())["id"] == aid(n)
            async with http.get(base + f"/alerts/{aid(1)}") as resp:
                assert resp.status == 404  # fell out of the buffer
            async with http.get(base + "/session") as resp:
                assert await resp.json() == {"private_feed": False, "signed_in": False}

    asyncio.run(scenario())
