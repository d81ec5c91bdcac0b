"""Size of the worker's table values, as Prometheus metrics.

Every table value is written whole to its changelog on each change, and a value
over Kafka's record limit stops the worker at every restart; so the size of each
value written, and the largest and total size per table, are watched.
"""

from __future__ import annotations

import json
from collections.abc import MutableMapping

from . import metrics


def json_size(value) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


class SizedTable(MutableMapping):
    """A table seen through its value sizes: writes are measured as they happen,
    values recovered from the changelog when the metrics are published."""

    def __init__(self, name: str, table: MutableMapping):
        self.name = name
        self.table = table
        self.sizes: dict = {}

    def __getitem__(self, key):
        return self.table[key]

    def __setitem__(self, key, value):
        self.table[key] = value
        size = json_size(value)
        self.sizes[key] = size
        metrics.STATE_VALUE_BYTES.labels(self.name).observe(size)

    def __delitem__(self, key):
        del self.table[key]
        self.sizes.pop(key, None)

    def __contains__(self, key):
        return key in self.table

    def __iter__(self):
        return iter(self.table)

    def __len__(self):
        return len(self.table)

    def get(self, key, default=None):
        return self.table.get(key, default)

    def items(self):
        return self.table.items()

    def publish(self) -> None:
        """Set the gauges from the table as it is now (keys gained or lost in a rebalance included)."""
        keys = set(self.table.keys())
        for gone in set(self.sizes) - keys:
            del self.sizes[gone]
        for key in keys - set(self.sizes):
            self.sizes[key] = json_size(self.table[key])
        metrics.STATE_KEYS.labels(self.name).set(len(self.sizes))
        metrics.STATE_BYTES.labels(self.name).set(sum(self.sizes.values()))
        metrics.STATE_LARGEST_BYTES.labels(self.name).set(max(self.sizes.values(), default=0))
