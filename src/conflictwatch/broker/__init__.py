"""Embedded single-node Apache Kafka (KRaft) built from Maven Central artifacts."""

from .embedded import BrokerError, EmbeddedBroker, KafkaDistribution

__all__ = ["BrokerError", "EmbeddedBroker", "KafkaDistribution"]
