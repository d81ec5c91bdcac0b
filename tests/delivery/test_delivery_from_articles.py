"""The whole chain on the real broker: articles in, the real worker, the delivery
service, a webhook receiver that verifies signatures, and the live feed.

The other delivery tests publish hand-made alerts; this one checks that what the
worker really produces passes the service's validation, reaches a subscriber whose
filter matches it (and only that subscriber), signed, once, with its evidence.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from importlib import resources

import pytest
from aiohttp import ClientSession

from delivery_testkit import API_KEY, delivery_config, read_sse, running_receiver, running_service, wait_for, wait_ready

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

HEADERS = {"X-API-Key": API_KEY}
SECRET_SY = "syria-desk-secret-000111"
SECRET_YE = "yemen-desk-secret-000222"


def samples(*ids: str) -> list[bytes]:
    text = resources.files("conflictwatch.samples").joinpath("articles.jsonl").read_text()
    found = {}
    for line in text.splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict) and obj.get("id") in ids:
            found[obj["id"]] = line.encode()
    return [found[i] for i in ids]


def test_worker_alerts_reach_the_matching_subscriber_signed_once_and_the_feed(topics, tmp_path):
    settings = topics
    config = delivery_config(settings)
    log = open(tmp_path / "worker.log", "ab")
    worker = subprocess.Popen([sys.executable, "-m", "conflictwatch", "worker", "--loglevel", "info"],
                              env={**os.environ, **settings.to_env()}, stdout=log, stderr=subprocess.STDOUT)

    async def scenario():
        async with running_receiver(SECRET_SY, fail_first=1) as syria, running_receiver(SECRET_YE) as yemen, \
                running_service(config) as (base, _app), ClientSession() as http:
            await wait_ready(http, base)
            for url, secret, filters in ((syria.url, SECRET_SY, {"countries": ["SY"]}),
                                         (yemen.url, SECRET_YE, {"countries": ["YE"], "types": ["civilian_deaths"]})):
                async with http.post(base + "/subscriptions", headers=HEADERS,
                                     json={"url": url, "secret": secret, "filters": filters}) as resp:
                    assert resp.status == 201, await resp.text()

            async with http.get(base + "/alerts/stream", params={"countries": "SY"}) as feed:
                from kafka import KafkaProducer

                producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers)
                for value in samples("sample-daraa-talks", "sample-yemen-strike"):
                    producer.send(settings.topic("articles.raw"), value=value)
                producer.flush()
                producer.close()

                streamed = await read_sse(feed, 3, timeout=180)

            await wait_for(lambda: len(syria.accepted) >= 3 and len(yemen.accepted) >= 1, timeout=60,
                           what="webhook deliveries")
            await asyncio.sleep(1.5)  # a duplicate or a stray alert would arrive now

            types = sorted(a["type"] for _, a in syria.accepted)
            assert types == ["civilian_deaths.incident", "talks.collapsed", "talks.resumed"]
            assert syria.failures == 1 and syria.bad_signatures == 0, "retried after the first 503, then verified"
            assert len(set(syria.ids)) == 3, "each alert once"
            assert [a["type"] for _, a in yemen.accepted] == ["civilian_deaths.incident"]
            assert yemen.accepted[0][1]["data"]["counts"]["best"] == 12
            six = next(a for _, a in syria.accepted if a["type"] == "civilian_deaths.incident")
            assert six["data"]["counts"]["best"] == 6
            assert six["data"]["evidence"][0]["sentence"].startswith("Six civilians were killed")

            assert sorted(json.loads(e["data"])["type"] for e in streamed) == types
            assert {e["id"] for e in streamed} == set(syria.ids)

            async with http.get(base + "/metrics") as resp:
                text = await resp.text()
            assert "cw_delivery_alerts_invalid_total 0.0" in text, "every alert the worker wrote is valid"

    try:
        asyncio.run(scenario())
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        log.close()
