"""Resolve where Kafka is: the configured cluster, or the embedded broker."""

from __future__ import annotations

from .config import Settings


def resolve_bootstrap(settings: Settings, start: bool = True, log=print) -> str:
    """The bootstrap servers to use. With none configured, the embedded broker on
    127.0.0.1:<broker_port>, started if ``start`` and not already running."""
    if settings.bootstrap_servers:
        return settings.bootstrap_servers
    from .broker import BrokerError, EmbeddedBroker

    broker = EmbeddedBroker(settings)
    if broker.is_running():
        return broker.bootstrap
    if not start:
        raise BrokerError(
            f"no Kafka configured and the embedded broker is not running on {broker.bootstrap}; "
            "run `conflictwatch broker start` or set CONFLICTWATCH_BOOTSTRAP_SERVERS"
        )
    log(f"starting the embedded Kafka broker on {broker.bootstrap}")
    return broker.start(log=log)
