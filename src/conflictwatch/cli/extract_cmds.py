"""CLI subcommand ``extract`` (registered by cli/main.py; it brings ``eval`` along, see eval_cmds)."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap

from ..errors import ConflictWatchError


def register(subparsers) -> None:
    p = subparsers.add_parser("extract", help="extract events from articles (JSONL, .json, .txt or a folder)")
    p.add_argument("file", help="JSONL of articles, a .json, a .txt article, or a folder of those")
    p.add_argument("--json", action="store_true", help="one JSON object per article instead of a table")
    p.add_argument("--all-events", action="store_true", help="table: also list background/hedged events")
    p.set_defaults(func=cmd_extract)

    from . import eval_cmds
    eval_cmds.register(subparsers)


def _extractor(settings):
    from ..extract import Extractor
    return Extractor(settings.spacy_model, processes=settings.nlp_processes, batch_size=settings.batch_size,
                     gazetteer_cache=settings.gazetteer_cache)


def _summary_json(x) -> dict:
    d = x.to_dict()
    s = d["summary"]
    return {"article_id": d["article_id"], "events": d["events"],
            "summary": {"talks_status": s["talks_status"], "civilian_deaths": s["civilian_deaths"],
                        "country": s["country"], "place": s["place"]}}


def cmd_extract(settings, args) -> int:
    from ..extract.loader import iter_records
    # A bad record is reported and skipped, as the worker sends it to the DLQ and goes on;
    # the exit status (1) still tells a script that something was left out.
    skipped = []
    try:
        records = list(iter_records(args.file, skipped))
        ex = _extractor(settings)
        results = ex.extract_many(r.article for r in records)
    except ConflictWatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = sys.stdout
    for x in results:
        if args.json:
            out.write(json.dumps(_summary_json(x), ensure_ascii=False) + "\n")
        else:
            out.write(format_table(x, all_events=args.all_events))
    ex.close()
    for exc in skipped:
        print(f"skipped: {exc}", file=sys.stderr)
    return 1 if skipped else 0


def format_table(x, *, all_events: bool = False) -> str:
    s = x.summary
    deaths = "-" if s.civilian_deaths is None else (
        f"{s.civilian_deaths.best if s.civilian_deaths.best is not None else '?'}"
        f" [{s.civilian_deaths.low}-{s.civilian_deaths.high if s.civilian_deaths.high is not None else ''}]")
    lines = [f"== {x.article_id}  talks: {', '.join(s.talks_status) or 'none'}  civilian deaths: {deaths}"
             f"  country: {s.country or '-'}  place: {s.place or '-'}"]
    shown = [e for e in x.events if all_events or (e.novelty == "new" and e.modality not in ("negated", "conditional"))]
    if shown:
        lines.append(f"   {'#':>2} {'type':<28} {'modality':<11} {'novelty':<10} {'qty':<9} {'where':<18} evidence")
    for e in shown:
        kind = e.type + (f"/{e.subtype}" if e.subtype else "")
        q = "" if e.quantity is None else str(e.quantity.best if e.quantity.best is not None else f">={e.quantity.low}")
        where = (e.where.canonical or e.where.name or "")[:18]
        ev = textwrap.shorten(e.evidence.text.replace("\n", " "), 70, placeholder="…")
        lines.append(f"   {e.order:>2} {kind:<28} {e.modality:<11} {e.novelty:<10} {q:<9} {where:<18} "
                     f"[{e.evidence.start}:{e.evidence.end}] {ev}")
    hidden = len(x.events) - len(shown)
    if hidden:
        lines.append(f"   ({hidden} background, hedged or negated events hidden; --all-events shows them)")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Standalone entry for development: ``python -m conflictwatch.cli.extract_cmds extract FILE``."""
    from ..config import Settings
    parser = argparse.ArgumentParser(prog="conflictwatch")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(Settings.from_env(), args)


if __name__ == "__main__":
    raise SystemExit(main())
