"""Entry point: parses the command line, reads Settings once, dispatches.

Each command module has ``register(subparsers)``; its parsers set
``func(settings, args) -> int``. Library errors become one clear line on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ..config import Settings
from ..errors import ConflictWatchError

COMMAND_MODULES = ("broker_cmds", "stream_cmds", "demo_cmds", "extract_cmds", "serve_cmds", "schema_cmds")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="conflictwatch", description="Real-time monitor for conflict news.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__package__}.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        return int(args.func(settings, args) or 0)
    except ConflictWatchError as exc:
        print(f"conflictwatch: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
