"""Every Kafka topic conflictwatch uses, declared once.

Topics are created explicitly, never by a producer: Faust tables need their
source topic and changelog to have the same partition count, and a topic
auto-created by a producer would get the broker default instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .config import Settings
from .errors import ConflictWatchError

DAY_MS = 24 * 3600 * 1000


class TopicError(ConflictWatchError):
    """A topic could not be created, or exists with an incompatible layout."""


@dataclass(frozen=True)
class TopicSpec:
    name: str
    keyed: bool                 # keyed topics get Settings.partitions; the rest get 1
    config: dict = field(default_factory=dict)
    purpose: str = ""
    changelog: bool = False     # a Faust table changelog: named after the app id, not the prefix

    def partitions(self, settings: Settings) -> int:
        return settings.partitions if self.keyed else 1

    def full_name(self, settings: Settings) -> str:
        return f"{settings.app_id}-{self.name}-changelog" if self.changelog else settings.topic(self.name)


ARTICLES_RAW = "articles.raw"
ARTICLES_DLQ = "articles.dlq"
EVENTS = "events.normalized"
EVENTS_DLQ = "events.dlq"
ALERTS = "alerts"
SUBSCRIPTIONS = "subscriptions"
DELIVERIES = "deliveries"
DELIVERIES_DLQ = "deliveries.dlq"

TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(ARTICLES_RAW, True, {"cleanup.policy": "delete", "retention.ms": str(7 * DAY_MS)},
              "raw articles from producers, keyed by article id"),
    TopicSpec(ARTICLES_DLQ, False, {"cleanup.policy": "delete", "retention.ms": str(30 * DAY_MS)},
              "rejected input with a machine-readable reason"),
    # Keyed by region: one region's alert state lives on one partition, and the
    # Faust changelogs of the alert tables are co-partitioned with this topic.
    TopicSpec(EVENTS, True, {"cleanup.policy": "delete", "retention.ms": str(30 * DAY_MS)},
              "normalized events, keyed by region"),
    TopicSpec(EVENTS_DLQ, False, {"cleanup.policy": "delete", "retention.ms": str(30 * DAY_MS)},
              "events the alert stage could not handle, with a machine-readable reason"),
    # Alerts are the product's record; kept a year. The worker re-reads this topic at
    # start to never emit an alert id twice.
    TopicSpec(ALERTS, True, {"cleanup.policy": "delete", "retention.ms": str(365 * DAY_MS)},
              "CloudEvents alerts, keyed by region"),
    TopicSpec(SUBSCRIPTIONS, False, {"cleanup.policy": "compact", "min.compaction.lag.ms": "0"},
              "webhook/feed subscriptions, compacted by subscription id"),
    TopicSpec(DELIVERIES, False, {"cleanup.policy": "delete", "retention.ms": str(30 * DAY_MS)},
              "webhook delivery log"),
    TopicSpec(DELIVERIES_DLQ, False, {"cleanup.policy": "delete", "retention.ms": str(30 * DAY_MS)},
              "webhook deliveries that failed after the last retry"),
)

# The alert agent's Faust tables. Their changelogs are declared here too:
# Faust would create them itself, but then checks the partition count against
# metadata fetched before the creation and crashes the agent (PartitionsMismatch).
TABLES = ("tracks", "incidents", "windows", "article-digests")
CHANGELOGS: tuple[TopicSpec, ...] = tuple(
    TopicSpec(table, True, {"cleanup.policy": "compact"}, f"changelog of the {table} table", changelog=True)
    for table in TABLES
)

ALL_TOPICS = TOPICS + CHANGELOGS
BY_NAME = {t.name: t for t in TOPICS}


def create_topics(settings: Settings, bootstrap: str, specs=ALL_TOPICS) -> dict[str, str]:
    """Create the declared topics; idempotent. Returns {topic: "created"|"exists"}.

    An existing topic with a different partition count is an error, since Faust's
    co-partitioning would silently break.
    """
    from kafka import KafkaAdminClient
    from kafka.admin import NewTopic
    from kafka.errors import KafkaError, TopicAlreadyExistsError

    try:
        admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="conflictwatch-admin", request_timeout_ms=15000)
    except (KafkaError, OSError) as exc:
        raise TopicError(f"cannot reach Kafka at {bootstrap}: {exc}") from None
    try:
        existing = set(admin.list_topics())
        result: dict[str, str] = {}
        new = []
        for spec in specs:
            name = spec.full_name(settings)
            if name in existing:
                result[name] = "exists"
            else:
                new.append(NewTopic(name, spec.partitions(settings), settings.replication, topic_configs=spec.config))
                result[name] = "created"
        for topic in new:
            try:
                admin.create_topics([topic])
            except TopicAlreadyExistsError:
                result[topic.name] = "exists"  # created concurrently by another process
        _check_partitions(admin, settings, specs)
        return result
    except KafkaError as exc:
        raise TopicError(f"creating topics on {bootstrap} failed: {exc}") from None
    finally:
        admin.close()


def _check_partitions(admin, settings: Settings, specs) -> None:
    import time

    names = [s.full_name(settings) for s in specs]
    # A topic created a moment ago can show 0 partitions until the metadata settles.
    deadline = time.monotonic() + 15
    while True:
        # kafka-python 2.x names the field "topic", 3.x "name".
        counts = {d.get("name") or d.get("topic"): len(d.get("partitions") or []) for d in admin.describe_topics(names)}
        if all(counts.get(n) for n in names) or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    for spec, name in zip(specs, names):
        want = spec.partitions(settings)
        if counts.get(name) != want:
            raise TopicError(
                f"topic {name} has {counts.get(name)} partitions, conflictwatch expects {want} "
                "(set CONFLICTWATCH_PARTITIONS to match, or recreate the topic)"
            )
