"""Run the real worker (`python -m conflictwatch worker`) as a child process."""

from __future__ import annotations

import json
import os
import uuid
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conflictwatch import topics as T
from conflictwatch.config import Settings
from conflictwatch.topics import create_topics
from conflictwatch.io import publish, read_records


class WorkerProcess:
    def __init__(self, settings, log_path: Path):
        self.settings = settings
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None

    def start(self) -> "WorkerProcess":
        env = {**os.environ, **self.settings.to_env()}
        out = open(self.log_path, "ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "conflictwatch", "worker", "--loglevel", "info"],
                                     env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        return self

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no final commit or flush."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


@pytest.fixture
def start_worker(tmp_path):
    started = []

    def _start(settings) -> WorkerProcess:
        proc = WorkerProcess(settings, tmp_path / f"worker-{len(started)}.log").start()
        started.append(proc)
        return proc

    yield _start
    for proc in started:
        proc.stop()


class Topics:
    """Read and write one test's topics with kafka-python."""

    def __init__(self, settings):
        self.settings = settings
        self.bootstrap = settings.bootstrap_servers

    def publish(self, *payloads) -> None:
        values = [p if isinstance(p, bytes) else json.dumps(p).encode() for p in payloads]
        publish(self.bootstrap, self.settings.topic(T.ARTICLES_RAW), values)

    def watch(self, name: str) -> Watch:
        return Watch(self.bootstrap, self.settings.topic(name))

    def records(self, name: str) -> list[dict]:
        return [json.loads(m.value) for m in read_records(self.bootstrap, self.settings.topic(name), idle_timeout=1.0)]

    def wait_for(self, name: str, predicate, timeout: float = 180.0, worker: WorkerProcess | None = None) -> list[dict]:
        """Poll a topic until predicate(records) holds; fail with the worker's log otherwise."""
        deadline = time.monotonic() + timeout
        records: list[dict] = []
        while time.monotonic() < deadline:
            records = self.records(name)
            if predicate(records):
                return records
            if worker and worker.proc and worker.proc.poll() is not None:
                break
            time.sleep(1.0)
        log = worker.log_tail() if worker else ""
        raise AssertionError(f"condition on {name} not met; got {len(records)} record(s): "
                             f"{[r.get('type') or r.get('reason') for r in records]}\n--- worker log ---\n{log}")


class Watch:
    """Sees records as soon as they land on a topic (from the end at creation time)."""

    def __init__(self, bootstrap: str, topic: str):
        from kafka import KafkaConsumer, TopicPartition

        self.consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
        tps = [TopicPartition(topic, p) for p in self.consumer.partitions_for_topic(topic)]
        self.consumer.assign(tps)
        self.consumer.seek_to_end(*tps)
        for tp in tps:
            self.consumer.position(tp)  # resolve "end" now, not at the first poll

    def first(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(self.consumer.poll(timeout_ms=20).values()):
                return True
        return False

    def close(self) -> None:
        self.consumer.close()


@pytest.fixture
def kafka_topics(topics) -> Topics:
    return Topics(topics)


# One worker for a whole module of scenarios (start-up, with spaCy and the
# gazetteer, is the slow part); the module keeps its scenarios apart itself.
@pytest.fixture(scope="module")
def pipeline(kafka_bootstrap, tmp_path_factory):
    home = tmp_path_factory.mktemp("scenarios")
    tag = uuid.uuid4().hex[:8]
    settings = Settings.from_env().with_(bootstrap_servers=kafka_bootstrap, topic_prefix=f"s{tag}.",
                                         app_id=f"cw-scn-{tag}", home=str(home), partitions=3, web_port=0)
    create_topics(settings, kafka_bootstrap)
    worker = WorkerProcess(settings, home / "worker.log").start()
    yield Topics(settings), worker
    worker.stop()
