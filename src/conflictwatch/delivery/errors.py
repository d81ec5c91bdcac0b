"""Errors of the delivery service."""

from ..errors import ConflictWatchError


class DeliveryError(ConflictWatchError):
    """Something in the delivery service failed on purpose-checked grounds."""


class InvalidSubscription(DeliveryError):
    """A subscription request does not describe a usable subscription."""


class UnsafeWebhookURL(InvalidSubscription):
    """A webhook URL points where the service refuses to send (SSRF guard)."""


class UnresolvableWebhookHost(UnsafeWebhookURL):
    """The webhook host does not resolve (now): refused at creation, retried at delivery."""


class StoreError(DeliveryError):
    """The subscriptions topic could not be read or written."""
