"""Live feed (SSE) on the real broker: replay at start, filters, resume with
Last-Event-ID after a disconnect, bounded buffer, dashboard state endpoint."""

from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp import ClientSession

from delivery_testkit import aid, apublish, delivery_config, make_alert, read_sse, running_service, wait_ready

pytestmark = pytest.mark.kafka


def test_sse_resumes_from_last_event_id_after_a_disconnect(topics):
    settings = topics
    config = delivery_config(settings)
    first = [make_alert(n, subject="SY/Daraa" if n % 2 else "IQ/Nineveh") for n in range(1, 6)]
    later = [make_alert(n, subject="SY/Daraa" if n % 2 else "IQ/Nineveh") for n in range(6, 10)]

    async def scenario():
        # Alerts already on the topic before the service starts are replayed into the buffer.
        await apublish(settings.bootstrap_servers, config.alerts_topic, first)
        async with running_service(config) as (base, _), ClientSession() as http:
            await wait_ready(http, base)
            async with http.get(base + "/alerts/stream", headers={"Last-Event-ID": aid(2)}) as resp:
                assert resp.status == 200
                assert resp.headers["Content-Type"].startswith("text/event-stream")
                events = await read_sse(resp, 3)
            # Kafka orders per key, so compare per region.
            got = [e["id"] for e in events]
            assert sorted(got) == [aid(3), aid(4), aid(5)]
            assert all(e["event"] == "alert" and json.loads(e["data"])["id"] == e["id"] for e in events)
            last_seen = got[-1]

            # Disconnected; more alerts arrive meanwhile; reconnect with the last id seen.
            await apublish(settings.bootstrap_servers, config.alerts_topic, later)
            await asyncio.sleep(1.0)
            async with http.get(base + "/alerts/stream", headers={"Last-Event-ID": last_seen}) as resp:
                events = await read_sse(resp, 4)
                missed = {e["id"] for e in events}
                # Then it stays live: one more alert arrives on the open stream.
                await apublish(settings.bootstrap_servers, config.alerts_topic, [make_alert(10)])
                live = await read_sse(resp, 1)
            already = set(got)
            assert missed == {a["id"] for a in later} and not (missed & already)
            assert live[0]["id"] == aid(10)

            # Same filters as subscriptions; without Last-Event-ID the backlog is the newest matches.
            async with http.get(base + "/alerts/stream?countries=IQ&backlog=2") as resp:
                events = await read_sse(resp, 2)
            assert [json.loads(e["data"])["subject"] for e in events] == ["IQ/Nineveh", "IQ/Nineveh"]
            assert {e["id"] for e in events} <= {aid(6), aid(8)}
            async with http.get(base + "/alerts/stream?min_severity=nonsense") as resp:
                assert resp.status == 400

            async with http.get(base + "/alerts?countries=SY&limit=50") as resp:
                listed = (await resp.json())["alerts"]
            assert sorted(a["id"] for a in listed) == [aid(1), aid(3), aid(5),
                                                        aid(7), aid(9), aid(10)]

    asyncio.run(scenario())


def test_unknown_or_evicted_resume_point_replays_the_buffer_and_duplicates_are_dropped(topics):
    settings = topics
    config = delivery_config(settings, feed_buffer=3, max_feed_clients=1)
    alerts = [make_alert(n) for n in range(1, 6)] + [make_alert(3)]  # 3 again: a duplicate id

    async def scenario():
        await apublish(settings.bootstrap_servers, config.alerts_topic, alerts)
        async with running_service(config) as (base, _), ClientSession() as http:
            await wait_ready(http, base)
            async with http.get(base + "/alerts/stream", headers={"Last-Event-ID": aid(1)}) as resp:
                events = await read_sse(resp, 3)
                async with http.get(base + "/alerts/stream") as second:  # over the connection limit
                    assert second.status == 503 and second.headers["Retry-After"] == "10"
            assert [e["id"] for e in events] == [aid(3), aid(4), aid(5)]
            async with http.get(base + "/api/state") as resp:
                state = await resp.json()
            assert state["alerts"] == 3
            async with http.get(base + "/metrics") as resp:
                assert "cw_feed_alerts_buffered 3.0" in await resp.text()

    asyncio.run(scenario())


def test_transactional_alerts_committed_shown_aborted_never(topics):
    """If the worker writes alerts in Kafka transactions (exactly-once), the
    service reads committed alerts only and still becomes ready."""
    from aiokafka import AIOKafkaProducer

    settings = topics
    config = delivery_config(settings)

    async def send(producer, alert, commit: bool):
        await producer.begin_transaction()
        await producer.send_and_wait(config.alerts_topic, json.dumps(alert).encode(), key=alert["subject"].encode())
        await (producer.commit_transaction() if commit else producer.abort_transaction())

    async def scenario():
        producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers, transactional_id=f"{settings.app_id}-tx")
        await producer.start()
        try:
            await send(producer, make_alert(41), commit=True)
            await send(producer, make_alert(42), commit=False)
            async with running_service(config) as (base, _), ClientSession() as http:
                await wait_ready(http, base)
                await send(producer, make_alert(43), commit=False)
                await send(producer, make_alert(44), commit=True)
                async with http.get(base + "/alerts/stream") as resp:
                    events = await read_sse(resp, 2)
                assert [e["id"] for e in events] == [aid(41), aid(44)]
                await asyncio.sleep(0.5)
                async with http.get(base + "/alerts") as resp:
                    assert [a["id"] for a in (await resp.json())["alerts"]] == [aid(41), aid(44)]
        finally:
            await producer.stop()

    asyncio.run(scenario())
