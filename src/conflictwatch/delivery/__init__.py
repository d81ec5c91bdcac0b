"""Delivery side of conflictwatch: subscriptions, signed webhooks, live feed, dashboard.

One aiohttp service (``conflictwatch serve``) reads the ``alerts`` topic and hands
each alert to the subscribers whose filters match it. See README.md here.
"""

from .config import DeliveryConfig
from .errors import DeliveryError

__all__ = ["DeliveryConfig", "DeliveryError", "create_app"]


def create_app(config: "DeliveryConfig"):
    from .app import create_app as _create

    return _create(config)
