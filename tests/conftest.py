"""Shared fixtures: one real embedded Kafka broker per test session.

Each test gets its own topic prefix and Faust app id, so tests never see each
other's messages or consumer groups while sharing one broker (start-up is the
slow part). Set CONFLICTWATCH_TEST_BOOTSTRAP to use an existing broker instead.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from conflictwatch.config import Settings


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory) -> str:
    existing = os.environ.get("CONFLICTWATCH_TEST_BOOTSTRAP")
    if existing:
        yield existing
        return
    from conflictwatch.broker.embedded import EmbeddedBroker, free_port_pair

    home = tmp_path_factory.mktemp("broker")
    base = Settings.from_env()  # honours CONFLICTWATCH_CACHE_DIR / KAFKA_VERSION
    broker = EmbeddedBroker(base.with_(home=str(home)), port=free_port_pair())
    bootstrap = broker.start(timeout=120)
    yield bootstrap
    broker.stop()


@pytest.fixture
def settings(kafka_bootstrap, tmp_path) -> Settings:
    """Settings isolated for one test: own topics, own consumer group, own state folder."""
    tag = uuid.uuid4().hex[:8]
    return Settings.from_env().with_(
        bootstrap_servers=kafka_bootstrap,
        topic_prefix=f"t{tag}.",
        app_id=f"cw-test-{tag}",
        home=str(tmp_path),
        partitions=3,
        web_port=0,
    )


@pytest.fixture
def topics(settings):
    from conflictwatch.topics import create_topics

    create_topics(settings, settings.bootstrap_servers)
    return settings


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
