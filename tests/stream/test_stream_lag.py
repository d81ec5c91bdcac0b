"""Consumer-group lag as the worker's /metrics reports it, on the real broker."""

from __future__ import annotations

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.structs import OffsetAndMetadata

from conflictwatch import topics as T
from conflictwatch.worker.lag import GroupLag

pytestmark = pytest.mark.kafka


def test_lag_counts_from_the_committed_offset_or_the_beginning(topics):
    bootstrap, raw = topics.bootstrap_servers, topics.topic(T.ARTICLES_RAW)
    producer = KafkaProducer(bootstrap_servers=bootstrap)
    for value in (b"a", b"b", b"c"):
        producer.send(raw, value=value, partition=1)
    producer.flush()
    producer.close()
    lag = GroupLag(bootstrap, topics.app_id, [raw], min_interval=0)
    try:
        measured = lag.measure()
        assert len(measured) == topics.partitions
        assert sum(measured.values()) == 3, "nothing committed yet: all three wait"
        assert measured[(raw, 1)] == 3

        tp = TopicPartition(raw, 1)
        group = KafkaConsumer(bootstrap_servers=bootstrap, group_id=topics.app_id, enable_auto_commit=False)
        try:
            group.commit({tp: OffsetAndMetadata(2, "", -1)})
        finally:
            group.close(autocommit=False)
        assert lag.measure()[(raw, 1)] == 1
    finally:
        lag.close()


def test_lag_within_the_minimum_interval_is_the_last_figure(topics):
    bootstrap, raw = topics.bootstrap_servers, topics.topic(T.ARTICLES_RAW)
    lag = GroupLag(bootstrap, topics.app_id, [raw], min_interval=3600)
    try:
        assert sum(lag.measure().values()) == 0
        producer = KafkaProducer(bootstrap_servers=bootstrap)
        producer.send(raw, value=b"x", partition=0)
        producer.flush()
        producer.close()
        assert sum(lag.measure().values()) == 0, "no new round trip within the interval"
        lag.min_interval = 0
        assert sum(lag.measure().values()) == 1
    finally:
        lag.close()
