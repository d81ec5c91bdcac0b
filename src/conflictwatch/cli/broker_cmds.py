"""`broker start|stop|status`, `topics create|list`, `worker`."""

from __future__ import annotations

import json


def register(sub) -> None:
    p = sub.add_parser("broker", help="run the embedded single-node Kafka (KRaft)")
    p.add_argument("action", choices=["start", "stop", "status"])
    p.set_defaults(func=cmd_broker)

    p = sub.add_parser("topics", help="create or list the declared topics")
    p.add_argument("action", choices=["create", "list"])
    p.set_defaults(func=cmd_topics)

    p = sub.add_parser("worker", help="run the stream worker (Faust)")
    p.add_argument("--loglevel", default="warning")
    p.set_defaults(func=cmd_worker)


def cmd_broker(settings, args) -> int:
    from ..broker import EmbeddedBroker

    broker = EmbeddedBroker(settings)
    if args.action == "start":
        print(f"Kafka {settings.kafka_version} running on {broker.start()} (log: {broker.log_file})")
    elif args.action == "stop":
        print("stopped" if broker.stop() else "not running")
    else:
        status = broker.status()
        print(json.dumps(status, indent=2))
        return 0 if status["running"] else 1
    return 0


def cmd_topics(settings, args) -> int:
    from ..runtime import resolve_bootstrap
    from ..topics import ALL_TOPICS, create_topics

    if args.action == "create":
        for name, state in create_topics(settings, resolve_bootstrap(settings)).items():
            print(f"{name:40} {state}")
    else:
        for spec in ALL_TOPICS:
            print(f"{spec.full_name(settings):40} partitions={spec.partitions(settings)} {spec.config}  # {spec.purpose}")
    return 0


def cmd_worker(settings, args) -> int:
    from ..worker.run import run_worker

    return run_worker(settings, loglevel=args.loglevel)
