"""The Kafka to run on and the worker as a child process, for commands that run the whole
pipeline for a while (`demo`, `eval --alerts`).

``KafkaSession``: the configured cluster, else the embedded broker — reused when it is
already running, otherwise started and, on exit, stopped again. ``start_worker`` runs
``python -m conflictwatch worker`` with the given settings in its environment;
``stop_process`` asks it to stop (SIGTERM: Faust commits and flushes) and kills it only
if it does not.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from .config import Settings


class KafkaSession:
    def __init__(self, settings: Settings, log=print):
        self.settings = settings
        self.log = log
        self.broker = None
        self.bootstrap = settings.bootstrap_servers

    def __enter__(self) -> "KafkaSession":
        if self.bootstrap:
            return self
        from .broker import EmbeddedBroker
        broker = EmbeddedBroker(self.settings)
        if broker.is_running():
            self.bootstrap = broker.bootstrap  # someone else's broker: leave it running
            return self
        self.log(f"» starting embedded Kafka {self.settings.kafka_version} on {broker.bootstrap}")
        self.bootstrap = broker.start(log=self.log)
        self.broker = broker
        return self

    def __exit__(self, *exc) -> None:
        if self.broker is not None:
            self.broker.stop()
            self.log("» embedded Kafka stopped")


def start_worker(settings: Settings, log_path: str) -> subprocess.Popen:
    os.makedirs(os.path.dirname(log_path) or ".", exist_ok=True)
    with open(log_path, "ab") as out:
        return subprocess.Popen([sys.executable, "-m", "conflictwatch", "worker", "--loglevel", "info"],
                                env={**os.environ, **settings.to_env()}, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)


def stop_process(proc: subprocess.Popen | None, timeout: float = 30.0) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
