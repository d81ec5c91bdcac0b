"""The embedded broker's storage is formatted with a cluster id the Kafka tool accepts."""

import base64
import re

from conflictwatch.broker.embedded import _cluster_id


def test_cluster_ids_are_kafka_shaped_and_never_look_like_an_option():
    # One random id in 64 would start with "-"; 5,000 draws would meet ~78 of them.
    ids = [_cluster_id() for _ in range(5000)]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22}", i) for i in ids)
    assert not [i for i in ids if i.startswith("-")]
    assert len(base64.urlsafe_b64decode(ids[0] + "==")) == 16
    assert len(set(ids)) == len(ids)
