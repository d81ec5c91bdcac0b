"""The delivery service as an aiohttp application.

Why aiohttp beside the worker rather than inside Faust's web server: the
delivery side scales and restarts independently of extraction (a slow webhook
must never hold up the NLP), and it needs long-lived SSE responses that Faust's
web views are not built for. aiohttp is already installed with Faust.
"""

from __future__ import annotations

import asyncio
import collections
import hmac
import json
import logging
import time
from importlib import resources
from pathlib import Path

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from .config import DeliveryConfig
from .errors import InvalidSubscription, StoreError
from .feed import HEARTBEAT_SECONDS, AlertFeed, sse_event
from .metrics import CONTENT_TYPE, DeliveryMetrics
from .security import ApiKeys, check_webhook_url, client_key, parse_networks
from .state import dashboard_state
from .subscriptions import Filter, SubscriptionStore, new_subscription
from .webhooks import Dispatcher

log = logging.getLogger(__name__)

STATIC_DIR = Path(str(resources.files(__package__) / "static"))
SERVICE_KEY = web.AppKey("service", object)
API_KEY_HEADER = "X-API-Key"

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


class DeliveryService:
    """Everything behind the HTTP handlers; started and stopped with the app."""

    def __init__(self, config: DeliveryConfig):
        self.config = config
        self.metrics = DeliveryMetrics()
        self.keys = ApiKeys(config.api_keys)
        self.allow = parse_networks(config.webhook_allow_networks)
        self.store = SubscriptionStore(config.bootstrap_servers, config.subscriptions_topic, self._changed)
        self.dispatcher = Dispatcher(config, self.store, self.metrics)
        self.feed = AlertFeed(config.bootstrap_servers, config.alerts_topic, config.feed_buffer, self.metrics)
        self.started_at = time.time()
        self.feed_clients = 0
        self.feed_clients_by_address: collections.Counter[str] = collections.Counter()

    def _changed(self, sub_id, sub) -> None:
        self.dispatcher.subscription_changed(sub_id, sub)
        if sub is None:
            self.dispatcher.log.forget(sub_id)

    async def start(self) -> None:
        await self.store.start()
        await self.feed.start()
        await self.dispatcher.start()
        if not self.keys.configured:
            log.warning("no API keys configured: the subscription API refuses every request")
        log.info("delivery service started", extra={"subscriptions": len(self.store.all())})

    async def stop(self) -> None:
        self.feed.close()
        await self.dispatcher.stop()
        await self.feed.stop()
        await self.store.stop()

    def healthy(self) -> tuple[bool, dict]:
        checks = {
            "subscriptions": self.store._view.failed is None,
            "feed": self.feed.view.failed is None,
            "deliveries_log": self.dispatcher.log.view.failed is None,
            "dispatcher": self.dispatcher.failed is None,
        }
        return all(checks.values()), checks

    def ready(self) -> tuple[bool, dict]:
        checks = {
            "subscriptions_loaded": self.store.ready,
            "feed_caught_up": self.feed.ready,
            "deliveries_log_loaded": self.dispatcher.log.view.ready.is_set(),
            "dispatcher_consuming": self.dispatcher.consuming.is_set(),
        }
        healthy, _ = self.healthy()
        return healthy and all(checks.values()), checks


# ---------------------------------------------------------------- middleware

def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


@web.middleware
async def errors_middleware(request: web.Request, handler):
    try:
        return await handler(request)
    except InvalidSubscription as exc:
        return _error(400, str(exc))
    except StoreError as exc:
        log.error("store unavailable", extra={"error": str(exc), "path": request.path})
        return _error(503, "subscription store unavailable, try again")
    except web.HTTPException as exc:
        if exc.status >= 400 and exc.content_type != "application/json":
            return _error(exc.status, exc.reason)
        raise
    except (asyncio.CancelledError, ConnectionResetError):
        raise
    except Exception:
        log.exception("unhandled error", extra={"path": request.path, "method": request.method})
        return _error(500, "internal error")


@web.middleware
async def headers_middleware(request: web.Request, handler):
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


class AccessLogger(AbstractAccessLogger):
    """Method, path and status only: query strings may carry ?api_key=."""

    def log(self, request, response, time_taken):
        self.logger.info("request", extra={"method": request.method, "path": request.path,
                                           "status": response.status, "ms": round(time_taken * 1000, 1)})


# ---------------------------------------------------------------- helpers

def service(request: web.Request) -> DeliveryService:
    return request.app[SERVICE_KEY]


def require_owner(request: web.Request) -> str:
    svc = service(request)
    owner = svc.keys.owner(request.headers.get(API_KEY_HEADER))
    if owner is None:
        raise web.HTTPUnauthorized(
            text=json.dumps({"error": "missing or invalid API key (header X-API-Key)"}),
            content_type="application/json",
        )
    return owner


def require_feed_access(request: web.Request) -> None:
    svc = service(request)
    if svc.config.public_feed:
        return
    presented = request.headers.get(API_KEY_HEADER) or request.query.get("api_key")
    if svc.keys.owner(presented) is None:
        raise web.HTTPUnauthorized(text=json.dumps({"error": "API key required"}), content_type="application/json")


def own_subscription(request: web.Request):
    owner = require_owner(request)
    sub = service(request).store.get(request.match_info["sub_id"])
    if sub is None or sub.owner != owner:  # someone else's subscription does not exist for you
        raise web.HTTPNotFound(text=json.dumps({"error": "no such subscription"}), content_type="application/json")
    return sub


def int_param(request: web.Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidSubscription(f"{name} must be an integer") from None
    return max(low, min(high, value))


# ---------------------------------------------------------------- subscription API

async def create_subscription(request: web.Request) -> web.Response:
    owner = require_owner(request)
    svc = service(request)
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise InvalidSubscription("request body must be JSON") from None
    sub = new_subscription(body, owner)
    if len(svc.store.owned_by(owner)) >= svc.config.max_subscriptions_per_key:
        return _error(409, "subscription limit reached for this API key")
    await check_webhook_url(sub.url, svc.allow)
    await svc.store.put(sub)
    log.info("subscription created", extra={"subscription_id": sub.id, "owner": owner})
    return web.json_response(sub.public(), status=201, headers={"Location": f"/subscriptions/{sub.id}"})


async def list_subscriptions(request: web.Request) -> web.Response:
    owner = require_owner(request)
    subs = service(request).store.owned_by(owner)
    return web.json_response({"subscriptions": [s.public() for s in subs]})


async def get_subscription(request: web.Request) -> web.Response:
    sub = own_subscription(request)
    body = sub.public()
    body["pending_deliveries"] = service(request).dispatcher.pending(sub.id)
    return web.json_response(body)


async def resume_subscription(request: web.Request) -> web.Response:
    """Deliver again to a subscriber the dispatcher paused. Alerts dead-lettered
    while it was paused stay in deliveries.dlq (replay them from there)."""
    sub = own_subscription(request)
    if sub.paused_reason:
        await service(request).store.put(sub.resumed())
        log.info("subscription resumed", extra={"subscription_id": sub.id, "was_paused_for": sub.paused_reason})
    return web.json_response(service(request).store.get(sub.id).public())


async def delete_subscription(request: web.Request) -> web.Response:
    sub = own_subscription(request)
    await service(request).store.delete(sub.id)
    log.info("subscription deleted", extra={"subscription_id": sub.id})
    return web.Response(status=204)


async def list_deliveries(request: web.Request) -> web.Response:
    sub = own_subscription(request)
    svc = service(request)
    limit = int_param(request, "limit", 100, 1, svc.config.deliveries_kept)
    records = svc.dispatcher.log.for_subscription(sub.id, limit, request.query.get("alert_id"))
    return web.json_response({"subscription_id": sub.id, "pending": svc.dispatcher.pending(sub.id),
                              "deliveries": records})


# ---------------------------------------------------------------- feed

async def recent_alerts(request: web.Request) -> web.Response:
    require_feed_access(request)
    svc = service(request)
    filt = Filter.from_query(request.query)
    limit = int_param(request, "limit", 100, 1, svc.config.feed_buffer)
    return web.json_response({"alerts": [i.alert for i in svc.feed.recent(limit, filt)]})


async def alert_stream(request: web.Request) -> web.StreamResponse:
    require_feed_access(request)
    svc = service(request)
    filt = Filter.from_query(request.query)
    backlog = int_param(request, "backlog", 100, 0, svc.config.feed_buffer)
    last_id = request.headers.get("Last-Event-ID") or request.query.get("last_event_id")
    address = client_key(request.remote)
    if svc.feed_clients_by_address[address] >= svc.config.max_feed_clients_per_address:
        # 429, not 503: this client holds its share; the others still get in.
        svc.metrics.feed_refused.labels("per_address").inc()
        return web.json_response({"error": "too many live-feed connections from this address"}, status=429,
                                 headers={"Retry-After": "10"})
    if svc.feed_clients >= svc.config.max_feed_clients:
        svc.metrics.feed_refused.labels("total").inc()
        return web.json_response({"error": "too many live-feed connections, retry later"}, status=503,
                                 headers={"Retry-After": "10"})
    resp = web.StreamResponse(headers={
        "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache", "X-Accel-Buffering": "no",
    })
    # Counted before the first await, so simultaneous requests cannot all pass the check.
    svc.feed_clients += 1
    svc.feed_clients_by_address[address] += 1
    svc.metrics.feed_clients.inc()
    try:
        await resp.prepare(request)
        await resp.write(b"retry: 3000\n\n")
        cursor = svc.feed.last_seq
        if last_id:
            seq = svc.feed.seq_of(last_id)
            if seq is None:
                # The resume point fell out of the buffer (or never existed): send
                # everything held, the client deduplicates by id.
                await resp.write(b": last-event-id not in buffer, replaying all buffered alerts\n\n")
                items = svc.feed.after(0, filt)
            else:
                items = svc.feed.after(seq, filt)
        else:
            items = svc.feed.recent(backlog, filt)
        for item in items:
            await resp.write(sse_event(item))
        while not svc.feed.closing.is_set():
            if await svc.feed.wait_after(cursor, HEARTBEAT_SECONDS):
                for item in svc.feed.after(cursor, filt):
                    await resp.write(sse_event(item))
                cursor = svc.feed.last_seq
            elif not svc.feed.closing.is_set():
                await resp.write(b": ping\n\n")
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    finally:
        svc.feed_clients -= 1
        svc.feed_clients_by_address[address] -= 1
        if svc.feed_clients_by_address[address] <= 0:
            del svc.feed_clients_by_address[address]
        svc.metrics.feed_clients.dec()
    return resp


async def state(request: web.Request) -> web.Response:
    require_feed_access(request)
    filt = Filter.from_query(request.query)
    return web.json_response(dashboard_state(a for a in service(request).feed.alerts() if filt.matches(a)))


# ---------------------------------------------------------------- operations

async def healthz(request: web.Request) -> web.Response:
    ok, checks = service(request).healthy()
    return web.json_response({"status": "ok" if ok else "failing", "checks": checks}, status=200 if ok else 503)


async def readyz(request: web.Request) -> web.Response:
    ok, checks = service(request).ready()
    return web.json_response({"status": "ready" if ok else "not_ready", "checks": checks}, status=200 if ok else 503)


def require_metrics_token(request: web.Request) -> None:
    token = service(request).config.metrics_token
    if not token:
        return
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if not (scheme.lower() == "bearer"
            and hmac.compare_digest(presented.strip().encode("utf-8", "replace"), token.encode("utf-8"))):
        raise web.HTTPUnauthorized(text=json.dumps({"error": "metrics need Authorization: Bearer <token>"}),
                                   content_type="application/json", headers={"WWW-Authenticate": "Bearer"})


async def metrics(request: web.Request) -> web.Response:
    require_metrics_token(request)
    body = service(request).metrics.render()
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})


async def openapi(request: web.Request) -> web.Response:
    return web.FileResponse(STATIC_DIR / "openapi.json", headers={"Content-Type": "application/json"})


async def index(request: web.Request) -> web.Response:
    return web.FileResponse(STATIC_DIR / "index.html", headers={"Content-Type": "text/html; charset=utf-8",
                                                                 "Cache-Control": "no-cache"})


# ---------------------------------------------------------------- factory

def create_app(config: DeliveryConfig) -> web.Application:
    app = web.Application(client_max_size=config.max_body_bytes,
                          middlewares=[headers_middleware, errors_middleware])
    svc = DeliveryService(config)
    app[SERVICE_KEY] = svc

    async def on_startup(app):
        await svc.start()

    async def on_shutdown(app):
        svc.feed.close()  # lets open SSE responses finish instead of waiting for the shutdown timeout

    async def on_cleanup(app):
        await svc.stop()

    app.on_startup.append(on_startup)
    app.on_shutdown.append(on_shutdown)
    app.on_cleanup.append(on_cleanup)
    r = app.router
    r.add_get("/", index)
    r.add_get("/openapi.json", openapi)
    r.add_get("/healthz", healthz)
    r.add_get("/readyz", readyz)
    r.add_get("/metrics", metrics)
    r.add_post("/subscriptions", create_subscription)
    r.add_get("/subscriptions", list_subscriptions)
    r.add_get("/subscriptions/{sub_id}", get_subscription)
    r.add_delete("/subscriptions/{sub_id}", delete_subscription)
    r.add_post("/subscriptions/{sub_id}/resume", resume_subscription)
    r.add_get("/subscriptions/{sub_id}/deliveries", list_deliveries)
    r.add_get("/alerts", recent_alerts)
    r.add_get("/alerts/stream", alert_stream)
    r.add_get("/api/state", state)
    r.add_static("/static/", STATIC_DIR, show_index=False, follow_symlinks=False)
    return app


async def run(config: DeliveryConfig, *, stop: asyncio.Event | None = None) -> None:
    """Serve until ``stop`` is set (or forever)."""
    app = create_app(config)
    runner = web.AppRunner(app, access_log_class=AccessLogger, shutdown_timeout=5)
    await runner.setup()
    site = web.TCPSite(runner, config.host, config.port)
    await site.start()
    log.info("serving", extra={"host": config.host, "port": config.port})
    try:
        await (stop.wait() if stop else asyncio.Event().wait())
    finally:
        await runner.cleanup()
