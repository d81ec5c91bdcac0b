"""`schema NAME`: print a JSON Schema of the wire contracts."""

from __future__ import annotations

import json


def register(sub) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of article, event or alert")
    p.add_argument("name", choices=["article", "event", "alert"])
    p.set_defaults(func=cmd_schema)


def cmd_schema(settings, args) -> int:
    from ..schemas import load_schema

    print(json.dumps(load_schema(args.name), indent=2))
    return 0
