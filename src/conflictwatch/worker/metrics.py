"""Prometheus metrics of the worker, served at /metrics by the Faust web server."""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry()

ARTICLES = Counter("cw_articles_consumed_total", "Articles read from articles.raw", registry=REGISTRY)
PROCESSED = Counter("cw_articles_processed_total", "Articles fully handled (events published, rejected or dropped)", registry=REGISTRY)
REJECTED = Counter("cw_articles_rejected_total", "Articles sent to the DLQ", ["reason"], registry=REGISTRY)
DUPLICATES = Counter("cw_articles_duplicate_total", "Exact duplicate articles dropped", registry=REGISTRY)
EVENTS = Counter("cw_events_extracted_total", "Events published to events.normalized", ["type"], registry=REGISTRY)
ALERTS = Counter("cw_alerts_emitted_total", "Alerts published", ["type"], registry=REGISTRY)
ALERTS_SUPPRESSED = Counter("cw_alerts_suppressed_total", "Alerts not republished because their id was already on the topic", registry=REGISTRY)
RULE_ERRORS = Counter("cw_alert_rule_errors_total", "Events the alert rules failed on (logged, skipped)", registry=REGISTRY)
LATENCY = Histogram(
    "cw_processing_latency_seconds", "From the article's Kafka timestamp to its events being published",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60), registry=REGISTRY,
)
EXTRACT_SECONDS = Histogram("cw_extract_batch_seconds", "NLP time per batch", registry=REGISTRY)
CONSUMER_LAG = Gauge("cw_consumer_lag", "Messages not yet committed by the worker's consumer group",
                     ["topic", "partition"], registry=REGISTRY)
LAG_ERRORS = Counter("cw_consumer_lag_errors_total", "Scrapes on which the lag could not be read", registry=REGISTRY)
STATE_VALUE_BYTES = Histogram(
    "cw_state_value_bytes", "Size of each table value written (JSON bytes; Kafka's record limit is about 1 MB)",
    ["table"], buckets=(256, 1024, 4096, 16384, 65536, 131072, 262144, 524288, 1048576), registry=REGISTRY,
)
STATE_LARGEST_BYTES = Gauge("cw_state_largest_value_bytes", "Largest value held in a table (JSON bytes)", ["table"],
                            registry=REGISTRY)
STATE_BYTES = Gauge("cw_state_bytes", "Total size of a table's values held by this worker (JSON bytes)", ["table"],
                    registry=REGISTRY)
STATE_KEYS = Gauge("cw_state_keys", "Keys of a table held by this worker", ["table"], registry=REGISTRY)
EMITTED_IDS = Gauge("cw_emitted_ids", "Published alert ids remembered to drop replayed alerts", registry=REGISTRY)
