"""Configuration of the delivery service.

Built from the project's Settings (bootstrap, topic prefix, app id) plus the
delivery-specific values, which are explicit arguments until Settings carries
them (see README.md, "Configuration").
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from ..config import Settings
from ..topics import ALERTS, DELIVERIES, DELIVERIES_DLQ, SUBSCRIPTIONS


@dataclass(frozen=True)
class DeliveryConfig:
    bootstrap_servers: str
    alerts_topic: str = ALERTS
    subscriptions_topic: str = SUBSCRIPTIONS
    deliveries_topic: str = DELIVERIES
    dlq_topic: str = DELIVERIES_DLQ
    # Consumer group of the webhook dispatcher; its committed offsets say which
    # alerts every subscriber has had (or had dead-lettered).
    group_id: str = "conflictwatch-delivery"
    host: str = "127.0.0.1"
    port: int = 8080
    # Keys accepted in X-API-Key. No key configured = subscription API locked.
    api_keys: tuple[str, ...] = ()
    # Networks a webhook may resolve into although they are loopback/private/
    # link-local, optionally with one port: "10.0.0.0/8" (any port),
    # "127.0.0.1:8443", "[fd00::/8]:443". A port keeps a key holder off the
    # other services of an allowed network (the Kafka port, a database).
    webhook_allow_networks: tuple[str, ...] = ()
    webhook_timeout: float = 10.0
    # Backoff: initial * 2**(attempt-1), capped, times a jitter in [0.5, 1].
    retry_initial: float = 1.0
    retry_max_backoff: float = 60.0
    # A delivery is dead-lettered once this much time has passed since its first
    # attempt (a receiver down for minutes still gets everything).
    retry_budget: float = 6 * 3600.0
    # 0 = no attempt limit, only the time budget.
    retry_max_attempts: int = 0
    # Deliveries queued per subscriber. A subscriber whose queue is full while
    # its deliveries fail is paused and its backlog dead-lettered; one that
    # answers makes the dispatcher wait (backpressure), up to subscriber_stall_max.
    subscriber_queue_max: int = 1000
    # Seconds the dispatcher may wait, in all, on one subscriber's full queue
    # (reset whenever that queue empties) before pausing it as too slow.
    subscriber_stall_max: float = 300.0
    max_body_bytes: int = 64 * 1024
    # Alerts kept in memory for the live feed and Last-Event-ID resume.
    feed_buffer: int = 1000
    # Open SSE connections accepted at once (each holds a task and a socket),
    # and from one client address, so one client cannot take them all.
    max_feed_clients: int = 200
    max_feed_clients_per_address: int = 10
    # Delivery-log records kept in memory per subscription for the query endpoint.
    deliveries_kept: int = 500
    # The feed and dashboard show alerts derived from public news; set False to
    # require an API key there too (header, or ?api_key= for EventSource).
    public_feed: bool = True
    # Bearer token /metrics requires; empty = public (see README.md, "Operations").
    metrics_token: str = ""
    # Cap on subscriptions a single API key may hold.
    max_subscriptions_per_key: int = 100

    def __post_init__(self) -> None:
        # Zero would stall the dispatcher (every queue "full") or refuse every feed client.
        for name in ("subscriber_queue_max", "max_feed_clients", "max_feed_clients_per_address"):
            if getattr(self, name) < 1:
                raise ValueError(f"delivery setting {name} must be at least 1")

    @classmethod
    def from_settings(cls, settings: Settings, **overrides) -> "DeliveryConfig":
        values = dict(
            bootstrap_servers=settings.bootstrap_servers,
            alerts_topic=settings.topic(ALERTS),
            subscriptions_topic=settings.topic(SUBSCRIPTIONS),
            deliveries_topic=settings.topic(DELIVERIES),
            dlq_topic=settings.topic(DELIVERIES_DLQ),
            group_id=f"{settings.app_id}-delivery",
        )
        # Settings fields the lead may add later (CONFLICTWATCH_DELIVERY_*) win
        # over the defaults here without a code change.
        for f in fields(cls):
            name = "delivery_" + f.name
            if hasattr(settings, name):
                values[f.name] = getattr(settings, name)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes) -> "DeliveryConfig":
        return replace(self, **changes)

    def __repr__(self) -> str:  # never print the API keys
        shown = ", ".join(
            f"{f.name}={_shown(self, f.name)}"
            for f in fields(self)
        )
        return f"DeliveryConfig({shown})"


def _shown(config: DeliveryConfig, name: str) -> str:
    if name == "api_keys":
        return f"<{len(config.api_keys)} keys>"
    if name == "metrics_token":
        return "<set>" if config.metrics_token else "''"
    return repr(getattr(config, name))
