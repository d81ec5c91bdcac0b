"""`serve`: the delivery service (subscriptions, webhooks, live feed, dashboard)."""

from __future__ import annotations

import argparse
import sys


def register(sub) -> None:
    p = sub.add_parser("serve", help="run the delivery service: subscription API, webhooks, live feed, dashboard")
    p.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port to listen on (default 8080)")
    p.add_argument("--api-keys-file", default=None,
                   help="file with one API key per line (keys on the command line would show in `ps`)")
    p.add_argument("--allow-network", action="append", default=None, metavar="CIDR[:PORT]",
                   help="let webhooks reach this private/loopback network, best on one port (repeatable), "
                        "e.g. 127.0.0.1:8443 or 10.0.0.0/8:443")
    p.add_argument("--retry-initial", type=float, default=None, help="first retry delay in seconds (default 1)")
    p.add_argument("--retry-max-backoff", type=float, default=None, help="cap of the retry delay (default 60)")
    p.add_argument("--retry-budget", type=float, default=None,
                   help="seconds after the first attempt before a delivery is dead-lettered (default 21600)")
    p.add_argument("--private-feed", action="store_true",
                   help="require an API key for the live feed and dashboard data too")
    p.add_argument("--no-create-topics", action="store_true", help="do not create missing topics at start")
    p.add_argument("--loglevel", default="info")
    p.set_defaults(func=cmd_serve)


def read_keys(path: str | None) -> tuple[str, ...]:
    if not path:
        return ()
    with open(path, encoding="utf-8") as fh:
        return tuple(line.strip() for line in fh if line.strip() and not line.lstrip().startswith("#"))


def build_config(settings, args: argparse.Namespace, bootstrap: str):
    from ..delivery import DeliveryConfig

    overrides = dict(
        host=args.host, port=args.port,
        retry_initial=args.retry_initial, retry_max_backoff=args.retry_max_backoff, retry_budget=args.retry_budget,
    )
    keys = read_keys(args.api_keys_file)
    if keys:
        overrides["api_keys"] = keys
    if args.allow_network:
        overrides["webhook_allow_networks"] = tuple(args.allow_network)
    if args.private_feed:
        overrides["public_feed"] = False
    return DeliveryConfig.from_settings(settings.with_(bootstrap_servers=bootstrap), **overrides)


def cmd_serve(settings, args) -> int:
    import asyncio
    import signal

    from ..delivery.app import run
    from ..logs import configure_logging
    from ..runtime import resolve_bootstrap
    from ..topics import create_topics

    configure_logging(args.loglevel)
    bootstrap = resolve_bootstrap(settings, log=lambda m: print(m, file=sys.stderr))
    if not args.no_create_topics:
        create_topics(settings, bootstrap)
    config = build_config(settings, args, bootstrap)
    print(f"conflictwatch delivery service on http://{config.host}:{config.port}/ "
          f"({len(config.api_keys)} API key(s) configured)", file=sys.stderr)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run(config, stop=stop)

    asyncio.run(main())
    return 0
