"""Helpers for the delivery tests: a running service, a real webhook receiver,
alerts put on Kafka with kafka-python, and an SSE reader."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import json
import time
from dataclasses import dataclass, field

from aiohttp import ClientSession, web

from conflictwatch.delivery.app import create_app
from conflictwatch.delivery.config import DeliveryConfig
from conflictwatch.delivery.signing import IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify

API_KEY = "test-key-0123456789"
OTHER_KEY = "other-key-9876543210"


def delivery_config(settings, **overrides) -> DeliveryConfig:
    base = dict(
        api_keys=(API_KEY, OTHER_KEY), webhook_allow_networks=("127.0.0.1/32",),
        retry_initial=0.05, retry_max_backoff=0.3, retry_budget=60.0, port=0,
    )
    base.update(overrides)
    return DeliveryConfig.from_settings(settings, **base)


@contextlib.asynccontextmanager
async def running_service(config: DeliveryConfig):
    app = create_app(config)
    runner = web.AppRunner(app, shutdown_timeout=2)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        await runner.cleanup()


@dataclass
class Receiver:
    """A webhook endpoint that fails its first ``fail_first`` requests, then
    verifies each signature and records what it accepted."""

    secret: str
    fail_first: int = 0
    status_when_failing: int = 503
    requests: int = 0
    failures: int = 0
    bad_signatures: int = 0
    accepted: list = field(default_factory=list)    # (idempotency key, alert dict)
    url: str = ""
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    delay: float = 0.0  # seconds before answering: a slow but working receiver

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.requests += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.requests <= self.fail_first:
            self.failures += 1
            return web.Response(status=self.status_when_failing)
        if not verify(self.secret, request.headers.get(TIMESTAMP_HEADER), request.headers.get(SIGNATURE_HEADER), body):
            self.bad_signatures += 1
            return web.Response(status=401)
        alert = json.loads(body)
        assert request.headers[IDEMPOTENCY_HEADER] == alert["id"]
        self.accepted.append((request.headers[IDEMPOTENCY_HEADER], alert))
        self.arrived.set()
        return web.Response(status=204)

    @property
    def ids(self) -> list[str]:
        return [k for k, _ in self.accepted]


@contextlib.asynccontextmanager
async def running_receiver(secret: str, fail_first: int = 0, status: int = 503, port: int = 0, delay: float = 0.0):
    receiver = Receiver(secret=secret, fail_first=fail_first, status_when_failing=status, delay=delay)
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    runner = web.AppRunner(app, shutdown_timeout=1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    receiver.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    try:
        yield receiver
    finally:
        await runner.cleanup()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def aid(n: int) -> str:
    """Alert id of test alert ``n`` (the schema wants cw- and 32 hex digits)."""
    return f"cw-{n:032x}"


def _hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def make_alert(n: int, type_: str = "civilian_deaths.incident", subject: str = "SY/Daraa",
               severity: str = "warning", lat: float | None = 32.62, lon: float | None = 36.1,
               summary: str | None = None, time_: str | None = None, **data_extra) -> dict:
    """A test alert shaped like the alert engine's output (valid against schemas/alert.json).

    ``track``/``incident`` entries in ``data_extra`` are merged into the defaults;
    any other key replaces the data field of that name.
    """
    country = subject.split("/", 1)[0]
    admin1 = subject.split("/", 1)[1] if "/" in subject else None
    when = time_ or f"2024-03-0{1 + n % 9}T10:00:00Z"
    day = when[:10]
    extensions: dict = {}
    data = {
        "severity": severity,
        "summary": summary or f"Test alert number {n} in {subject}",
        "rule": "test-rule",
        "region": subject,
        "country": country,
        "place": {"name": admin1 or country, "canonical": admin1, "geonames_id": None, "country_code": country,
                  "admin1": admin1, "admin1_code": None, "lat": lat, "lon": lon, "precision": "place"},
        "counts": None,
        "evidence": [{"event_id": f"ev-{n}", "article_id": f"a{n}", "type": "civilian_deaths", "subtype": None,
                      "modality": "asserted", "sentence": f"Test sentence {n} written for the delivery tests.",
                      "start": 0, "end": 48, "attribution": None, "quantity": None}],
        "articles": [{"id": f"a{n}", "url": f"https://news.example.org/{n}", "source": "Example Wire",
                      "title": f"Headline {n}", "published_at": when}],
        "first_seen": when,
        "last_seen": when,
    }
    if type_.startswith("talks."):
        track = {"id": "trk-" + _hex(subject), "parties": ["Party A", "Party B"], "state": type_.split(".")[1],
                 "previous_state": None, "since": day, **data_extra.pop("track", {})}
        track.setdefault("current_state", track["state"])
        track["id"] = "trk-" + _hex(track["id"]) if not re.fullmatch(r"trk-[0-9a-f]{32}", track["id"]) else track["id"]
        extensions["trackid"] = track["id"]
        data["track"] = track
    elif type_ == "civilian_deaths.incident":
        incident = {"id": f"inc-{n}", "date": day, "kind": "air_strike", "revision": 0,
                    "sources": ["Example Wire"], "reports": 1, **data_extra.pop("incident", {})}
        extensions["incidentid"] = "inc-" + _hex(incident["id"])
        extensions["revision"] = incident["revision"]
        data.update(incident=incident, rules=["test-rule"], previous_best=None, counts={"low": 6, "high": 6, "best": 6})
    else:
        data.update(counts={"total": 24, "incidents": 2, "threshold": 20},
                    window={"hours": 24, "start": when, "end": when},
                    incidents=[{"id": "inc-x", "date": day, "best": 12}, {"id": "inc-y", "date": day, "best": 12}])
    data.update(data_extra)
    return {
        "specversion": "1.0", "id": aid(n), "source": "conflictwatch", "type": type_, "subject": subject,
        "time": when, "datacontenttype": "application/json", **extensions, "data": data,
    }


def publish(bootstrap: str, topic: str, alerts: list[dict], raw: list[bytes] = ()) -> None:
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all",
                             key_serializer=lambda k: k.encode("utf-8"))
    try:
        for alert in alerts:
            producer.send(topic, key=alert["subject"], value=json.dumps(alert).encode("utf-8"))
        for value in raw:
            producer.send(topic, key="junk", value=value)
        producer.flush(timeout=30)
    finally:
        producer.close()


async def apublish(bootstrap: str, topic: str, alerts: list[dict], raw: list[bytes] = ()) -> None:
    await asyncio.to_thread(publish, bootstrap, topic, alerts, raw)


def read_topic(bootstrap: str, topic: str, expect: int, timeout: float = 30.0) -> list[dict]:
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                             enable_auto_commit=False, group_id=None, consumer_timeout_ms=1000)
    out: list[dict] = []
    deadline = time.monotonic() + timeout
    try:
        while len(out) < expect and time.monotonic() < deadline:
            for msg in consumer:
                out.append(json.loads(msg.value))
    finally:
        consumer.close()
    return out


async def wait_for(predicate, timeout: float = 30.0, interval: float = 0.05, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(interval)


async def wait_ready(session: ClientSession, base: str, timeout: float = 30.0) -> None:
    async def ready():
        async with session.get(base + "/readyz") as resp:
            return resp.status == 200
    await wait_for(ready, timeout, 0.1, "service readiness")


async def read_sse(resp, count: int, timeout: float = 20.0) -> list[dict]:
    """Parse ``count`` events from an open SSE response: [{"id", "event", "data"}]."""
    events: list[dict] = []
    current: dict = {}

    async def loop():
        nonlocal current
        while len(events) < count:
            raw = await resp.content.readline()
            if not raw:
                raise AssertionError("stream closed")
            line = raw.decode("utf-8").rstrip("\n")
            if line == "":
                if "data" in current:
                    events.append(current)
                current = {}
            elif line.startswith(":"):
                continue
            else:
                name, _, value = line.partition(":")
                current[name] = value[1:] if value.startswith(" ") else value

    await asyncio.wait_for(loop(), timeout)
    return events
