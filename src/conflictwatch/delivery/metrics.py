"""Prometheus metrics of the delivery service (own registry: one per app, so
several apps in one test process do not collide)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class DeliveryMetrics:
    def __init__(self) -> None:
        r = self.registry = CollectorRegistry()
        self.alerts_received = Counter("cw_delivery_alerts_received_total", "Alerts read from the alerts topic by the dispatcher",
                                       ["type"], registry=r)
        self.alerts_invalid = Counter("cw_delivery_alerts_invalid_total", "Records on the alerts topic that are not alerts", registry=r)
        self.webhook_attempts = Counter("cw_webhook_attempts_total", "Webhook POST attempts by outcome and HTTP status",
                                        ["outcome", "status"], registry=r)
        self.webhook_delivered = Counter("cw_webhook_delivered_total", "Alerts delivered to a subscriber", registry=r)
        self.webhook_dead_lettered = Counter("cw_webhook_dead_lettered_total", "Deliveries sent to deliveries.dlq", ["reason"], registry=r)
        self.webhook_latency = Histogram("cw_webhook_request_seconds", "Duration of one webhook POST",
                                         buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10), registry=r)
        self.deliveries_pending = Gauge("cw_webhook_deliveries_pending", "Deliveries queued or retrying, all subscribers", registry=r)
        self.subscriptions = Gauge("cw_subscriptions", "Subscriptions known to this instance", registry=r)
        self.subscriptions_paused = Gauge("cw_subscriptions_paused", "Subscriptions paused (alerts dead-lettered until resumed)",
                                          registry=r)
        self.subscribers_paused = Counter("cw_webhook_subscribers_paused_total",
                                          "Subscribers paused by the dispatcher, by cause (queue_full, retry_budget)",
                                          ["reason"], registry=r)
        self.dispatcher_held = Counter("cw_delivery_dispatcher_held_seconds_total",
                                       "Seconds the dispatcher waited for a subscriber's full queue", registry=r)
        self.feed_refused = Counter("cw_feed_connections_refused_total", "Live-feed connections refused, by limit",
                                    ["limit"], registry=r)
        self.consumer_lag = Gauge("cw_delivery_consumer_lag", "Alerts on the topic not yet read by the dispatcher", ["partition"], registry=r)
        self.feed_clients = Gauge("cw_feed_clients", "Open live-feed (SSE) connections", registry=r)
        self.feed_alerts = Gauge("cw_feed_alerts_buffered", "Alerts held in memory for the live feed", registry=r)

    def render(self) -> bytes:
        return generate_latest(self.registry)
