"""Fair delivery on the real broker: a dead subscriber is paused and dead-lettered
instead of stalling the dispatcher, and a restart while it still holds the
committed offset back re-sends nothing to the healthy subscriber."""

from __future__ import annotations

import asyncio
import collections

import pytest
from aiohttp import ClientSession

from delivery_testkit import (aid, API_KEY, apublish, delivery_config, make_alert, read_topic, running_receiver,
                              running_service, wait_for, wait_ready)

pytestmark = pytest.mark.kafka

HEALTHY_SECRET = "healthy-receiver-secret-01"
DEAD_SECRET = "dead-receiver-secret-0002"
HEADERS = {"X-API-Key": API_KEY}
SUBJECTS = ("SY/Daraa", "SY/Idlib", "YE/Taiz", "IQ/Nineveh")  # several keys, so several partitions
BOUND = 100
FIRST, TOTAL, AFTER_RESUME = 60, 1000, 5


def alerts(numbers) -> list[dict]:
    return [make_alert(n, subject=SUBJECTS[n % len(SUBJECTS)]) for n in numbers]


async def subscription(http, base, sub_id) -> dict:
    async with http.get(f"{base}/subscriptions/{sub_id}", headers=HEADERS) as resp:
        assert resp.status == 200
        return await resp.json()


def test_dead_subscriber_is_paused_and_the_healthy_one_gets_every_alert_once_across_a_restart(topics):
    settings = topics
    # A long retry budget: only the queue bound can stop the dead subscriber here.
    config = delivery_config(settings, subscriber_queue_max=BOUND, retry_budget=3600.0)
    wanted = [aid(n) for n in range(1, TOTAL + 1)]

    async def scenario():
        async with running_receiver(HEALTHY_SECRET) as healthy, \
                running_receiver(DEAD_SECRET, fail_first=10**9, status=503) as dead, ClientSession() as http:
            async with running_service(config) as (base, _):
                await wait_ready(http, base)
                subs = {}
                for name, rec, secret in (("healthy", healthy, HEALTHY_SECRET), ("dead", dead, DEAD_SECRET)):
                    async with http.post(base + "/subscriptions", headers=HEADERS,
                                         json={"url": rec.url, "secret": secret}) as resp:
                        assert resp.status == 201, await resp.text()
                        subs[name] = (await resp.json())["id"]

                # Fewer alerts than the bound: the dead subscriber keeps them queued and
                # retrying, so the committed offset cannot pass its first alert.
                await apublish(settings.bootstrap_servers, config.alerts_topic, alerts(range(1, FIRST + 1)))
                await wait_for(lambda: len(healthy.accepted) >= FIRST, timeout=60, what="first healthy deliveries")
                await wait_for(lambda: dead.requests >= 3, timeout=30, what="dead subscriber retrying")
                # The receiver counts an alert before the service records it: a restart
                # in between may legitimately re-send it (at least once), so wait.
                await wait_for(lambda: _drained(http, base, subs["healthy"]), timeout=30, what="healthy recorded")
                assert (await subscription(http, base, subs["dead"]))["pending_deliveries"] == FIRST
                assert (await subscription(http, base, subs["dead"]))["status"] == "active"

            # Restart: the uncommitted alerts are read again, but the healthy subscriber's
            # progress on the deliveries topic says it already has them.
            async with running_service(config) as (base, _):
                await wait_ready(http, base)
                await apublish(settings.bootstrap_servers, config.alerts_topic, alerts(range(FIRST + 1, TOTAL + 1)))
                await wait_for(lambda: len(healthy.accepted) >= TOTAL, timeout=180, what="all healthy deliveries")

                dead_sub = await wait_for(
                    lambda: _paused_and_drained(http, base, subs["dead"]), timeout=120, what="dead subscriber drained")
                assert dead_sub["paused_reason"] == "queue_full" and dead_sub["paused_at"]
                await asyncio.sleep(1.5)  # a duplicate would arrive now
                assert sorted(healthy.ids) == sorted(wanted) and len(healthy.ids) == TOTAL
                assert healthy.bad_signatures == 0
                per_subject = collections.defaultdict(list)
                for _, alert in healthy.accepted:
                    per_subject[alert["subject"]].append(int(alert["id"][3:], 16))
                assert all(seq == sorted(seq) for seq in per_subject.values())  # per-partition order kept

                async with http.get(base + "/metrics") as resp:
                    text = await resp.text()
                assert 'cw_webhook_subscribers_paused_total{reason="queue_full"} 1.0' in text
                assert "cw_subscriptions_paused 1.0" in text
                await wait_for(lambda: _drained(http, base, subs["healthy"]), timeout=30, what="healthy recorded")
                attempts_while_paused = dead.requests
                await asyncio.sleep(1.0)
                assert dead.requests == attempts_while_paused  # paused: no more attempts

            # The pause survives a restart; resuming through the API delivers again.
            async with running_service(config) as (base, _):
                await wait_ready(http, base)
                assert (await subscription(http, base, subs["dead"]))["status"] == "paused"
                dead.fail_first = 0  # the endpoint is back
                async with http.post(f"{base}/subscriptions/{subs['dead']}/resume", headers=HEADERS) as resp:
                    assert resp.status == 200
                    body = await resp.json()
                assert body["status"] == "active" and body["paused_reason"] is None
                async with http.post(f"{base}/subscriptions/{subs['dead']}/resume",
                                     headers={"X-API-Key": "other-key-9876543210"}) as resp:
                    assert resp.status == 404  # only the owner may resume
                later = list(range(TOTAL + 1, TOTAL + AFTER_RESUME + 1))
                await apublish(settings.bootstrap_servers, config.alerts_topic, alerts(later))
                await wait_for(lambda: len(dead.accepted) >= AFTER_RESUME and len(healthy.accepted) >= TOTAL + AFTER_RESUME,
                               timeout=60, what="deliveries after resume")
                await asyncio.sleep(1.0)
                assert sorted(dead.ids) == sorted(aid(n) for n in later)
                assert sorted(healthy.ids) == sorted(wanted + [aid(n) for n in later])
            return subs

    subs = asyncio.run(scenario())
    dlq = read_topic(settings.bootstrap_servers, config.dlq_topic, expect=TOTAL, timeout=60)
    assert all(d["subscription_id"] == subs["dead"] for d in dlq)
    assert sorted(d["alert_id"] for d in dlq) == sorted(wanted)  # every alert the dead one missed, once
    assert {d["reason"] for d in dlq} == {"paused"}
    assert all(d["alert"]["id"] == d["alert_id"] for d in dlq)


async def _paused_and_drained(http, base, sub_id):
    sub = await subscription(http, base, sub_id)
    return sub if sub["status"] == "paused" and sub["pending_deliveries"] == 0 else None


def test_a_slow_subscriber_is_paused_once_it_has_held_the_others_back_too_long(topics):
    settings = topics
    config = delivery_config(settings, subscriber_queue_max=5, subscriber_stall_max=1.0)
    numbers = range(2001, 2061)
    wanted = {aid(n) for n in numbers}

    async def scenario():
        async with running_receiver(HEALTHY_SECRET) as fast, running_receiver(DEAD_SECRET, delay=0.3) as slow, \
                running_service(config) as (base, _), ClientSession() as http:
            await wait_ready(http, base)
            subs = {}
            for name, rec, secret in (("fast", fast, HEALTHY_SECRET), ("slow", slow, DEAD_SECRET)):
                async with http.post(base + "/subscriptions", headers=HEADERS,
                                     json={"url": rec.url, "secret": secret}) as resp:
                    subs[name] = (await resp.json())["id"]
            # 60 alerts at 0.3 s each would hold everyone for 18 s without the stall limit.
            await apublish(settings.bootstrap_servers, config.alerts_topic, alerts(numbers))
            await wait_for(lambda: len(fast.accepted) >= len(wanted), timeout=60, what="fast deliveries")
            slow_sub = await wait_for(lambda: _paused_and_drained(http, base, subs["slow"]), timeout=30,
                                      what="slow subscriber paused")
            await asyncio.sleep(1.0)
            assert sorted(fast.ids) == sorted(wanted) and fast.bad_signatures == 0
            assert slow_sub["paused_reason"] == "too_slow"
            async with http.get(base + "/metrics") as resp:
                text = await resp.text()
            assert 'cw_webhook_subscribers_paused_total{reason="too_slow"} 1.0' in text
            return subs["slow"], list(slow.ids)

    slow_id, slow_got = asyncio.run(scenario())
    assert 0 < len(slow_got) < len(wanted) and len(set(slow_got)) == len(slow_got)
    dlq = read_topic(settings.bootstrap_servers, config.dlq_topic, expect=len(wanted) - len(slow_got), timeout=30)
    missed = [d["alert_id"] for d in dlq if d["subscription_id"] == slow_id]
    # Every alert reached the slow subscriber or its dead-letter record, never both.
    assert sorted(missed + slow_got) == sorted(wanted)
    assert {d["paused_reason"] for d in dlq} == {"too_slow"}


async def _drained(http, base, sub_id):
    return (await subscription(http, base, sub_id))["pending_deliveries"] == 0
