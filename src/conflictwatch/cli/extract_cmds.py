"""CLI subcommands ``extract`` and ``eval`` (registered by cli/main.py)."""

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

    e = subparsers.add_parser("eval", help="score extraction against labelled JSONL files (news corpus or ACLED notes)")
    e.add_argument("files", nargs="+", metavar="FILE",
                   help="labelled JSONL: news records with 'labels' (corpus/dev.jsonl) or ACLED notes with 'gold'")
    e.add_argument("--json", action="store_true", help="print one JSON report per file (JSON Lines)")
    e.add_argument("--scores-only", action="store_true",
                   help="leave out the list of misses (their evidence quotes the articles): for held-out sets")
    e.add_argument("--limit", type=int, default=0, metavar="N", help="score only the first N records of each file")
    e.add_argument("--alerts", action="store_true",
                   help="score alerts instead of extraction: stream the labelled news through the real worker "
                        "(embedded broker, or CONFLICTWATCH_BOOTSTRAP_SERVERS) and attribute alerts to articles")
    e.add_argument("--in-process", action="store_true",
                   help="with --alerts: run the extractor and the alert engine in this process, no Kafka "
                        "(quicker for tuning; the Kafka run is the reference)")
    e.add_argument("--timeout", type=float, default=1800.0, help="with --alerts: seconds to wait for the worker per file")
    e.set_defaults(func=cmd_eval)


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


def cmd_eval(settings, args) -> int:
    from ..evaluation.news import gazetteer_same_place
    if args.alerts:
        return cmd_eval_alerts(settings, args)
    try:
        loaded = [_labelled(path, args.limit) for path in args.files]
    except ConflictWatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    empty = [path for path, _, recs in loaded if not recs]
    if empty:
        print(f"error: {empty[0]} holds no records with 'labels' or 'gold'", file=sys.stderr)
        return 2
    ex = _extractor(settings)
    same_place = gazetteer_same_place()
    try:
        for path, fmt, recs in loaded:
            results = ex.extract_many(r.article for r in recs)
            report = _score_file(fmt, recs, results, same_place)
            report = {"file": path, **report}
            if args.scores_only:
                report.pop("misses", None)
            print(json.dumps(report, ensure_ascii=False) if args.json else format_file_report(report))
    finally:
        ex.close()
    return 0


def _labelled(path: str, limit: int):
    """(path, format, labelled records): "acled" when the records carry ACLED's ``gold``, else "news"."""
    from ..extract.loader import iter_records
    recs = [r for r in iter_records(path) if r.labels is not None or r.gold is not None]
    if limit > 0:
        recs = recs[:limit]
    fmt = "acled" if recs and all(r.gold is not None and r.labels is None for r in recs) else "news"
    return path, fmt, [r for r in recs if (r.gold if fmt == "acled" else r.labels) is not None]


def _score_file(fmt: str, recs, results, same_place) -> dict:
    from ..evaluation.acled import score_acled
    from ..evaluation.news import score
    if fmt == "acled":
        return score_acled([(r.article.id, r.gold, _summary_json(x)) for r, x in zip(recs, results)],
                           same_place=same_place)
    return score([(r.article.id, r.labels, _summary_json(x)) for r, x in zip(recs, results)], same_place=same_place)


def cmd_eval_alerts(settings, args) -> int:
    from ..alerts import load_rules
    try:
        loaded = [_labelled(path, args.limit) for path in args.files]
        rules = load_rules(settings.rules_file or None, overrides=settings.rule_overrides())
    except ConflictWatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    bad = [path for path, fmt, recs in loaded if fmt != "news" or not recs]
    if bad:
        print(f"error: {bad[0]} holds no news records with 'labels' (alert evaluation needs talks and toll labels)",
              file=sys.stderr)
        return 2
    threshold = incident_threshold(rules)
    runner = _in_process_runner(settings, rules) if args.in_process else _kafka_runner(settings, args.timeout)
    try:
        with runner as run:
            for path, _fmt, recs in loaded:
                _print_alert_report(path, recs, run(recs), threshold, args)
    except ConflictWatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def incident_threshold(rules) -> int:
    """The incident rule's threshold; with several incident rules, the lowest one that applies everywhere."""
    general = [r.threshold for r in rules.of_kind("incident") if not r.countries and not r.regions]
    every = general or [r.threshold for r in rules.of_kind("incident")]
    if not every:
        raise ConflictWatchError("no civilian-deaths incident rule is enabled")
    return min(every)


def _print_alert_report(path, recs, alerts, threshold, args) -> None:
    from ..evaluation.alerts import score_alerts
    report = score_alerts({r.article.id: r.labels for r in recs}, alerts, threshold)
    report = {"file": path, "mode": "in-process" if args.in_process else "kafka", **report}
    if args.scores_only:
        for key in ("false", "missed", "unattributed"):
            report.pop(key, None)
    print(json.dumps(report, ensure_ascii=False) if args.json else format_alert_report(report), flush=True)


class _in_process_runner:
    def __init__(self, settings, rules):
        self.settings, self.rules, self.ex = settings, rules, None

    def __enter__(self):
        from ..evaluation.stream import ordered_payloads, run_in_process
        self.ex = _extractor(self.settings)
        return lambda recs: run_in_process(self.settings, ordered_payloads(recs), self.ex, self.rules)

    def __exit__(self, *exc):
        self.ex.close()


class _kafka_runner:
    def __init__(self, settings, timeout):
        from ..evaluation.stream import KafkaSession
        self.settings, self.timeout = settings, timeout
        self.session = KafkaSession(settings, log=_note)

    def __enter__(self):
        from ..evaluation.stream import ordered_payloads, run_on_worker
        bootstrap = self.session.__enter__().bootstrap
        return lambda recs: run_on_worker(self.settings, bootstrap, ordered_payloads(recs), timeout=self.timeout,
                                          log=_note)

    def __exit__(self, *exc):
        self.session.__exit__(*exc)


def _note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def format_alert_report(rep: dict) -> str:
    out = [f"== {rep['file']} (alerts, {rep['mode']}, {rep['articles']} articles, incident threshold {rep['threshold']})",
           f"  {'alert type':<26} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn"]
    for kind, m in list(rep["per_type"].items()) + [("all", rep["all"])]:
        out.append(f"  {kind:<26} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}  {m['tp']:>3} {m['fp']:>3} {m['fn']:>3}")
    out.append("  alerts emitted: " + (", ".join(f"{k} {v}" for k, v in rep["alerts"].items()) or "none"))
    out.append("  by id prefix (articles / false / missed): "
               + "  ".join(f"{p} {g['articles']}/{g['false']}/{g['missed']}" for p, g in rep["by_prefix"].items()))
    for key, title in (("false", "false alerts"), ("missed", "missed alerts")):
        if rep.get(key):
            out.append(f"{title}:")
            out.extend(f"  {x['article_id']} {x['type']}" for x in rep[key])
    if rep.get("unattributed"):
        out.append(f"alerts citing no streamed article: {len(rep['unattributed'])}")
    return "\n".join(out) + "\n"


def format_file_report(rep: dict) -> str:
    head = f"== {rep['file']} ({rep['format']}, {rep['articles']} records)"
    body = format_acled_report(rep) if rep["format"] == "acled" else format_report(rep)
    return head + "\n" + body + "\n"


_ACLED_ROWS = (
    ("civilian_exact", "civilian targeting, deaths > 0: exact civilian deaths"),
    ("civilian_missed", "civilian targeting, deaths > 0: no civilian figure (missed)"),
    ("civilian_zero_ok", "civilian targeting, deaths = 0: no civilian deaths predicted"),
    ("battle_as_civilian", "battles reported as civilian deaths"),
    ("country", "country (ISO2)"),
    ("place", "place (location / admin2 / admin1)"),
    ("no_event", "notes with no event at all"),
)


def format_acled_report(rep: dict) -> str:
    out = [f"  {'measure':<62} {'rate':>6}  count"]
    for key, title in _ACLED_ROWS:
        r = rep[key]
        rate = "-" if r["accuracy"] is None else f"{r['accuracy']:.3f}"
        out.append(f"  {title:<62} {rate:>6}  {r['correct']}/{r['total']}")
    if rep.get("misses"):
        out.append("misses:")
    for m in rep.get("misses", []):
        out.append(f"  {m['article_id']} {m['field']}: gold {json.dumps(m['gold'], ensure_ascii=False)}"
                   f" predicted {json.dumps(m['predicted'], ensure_ascii=False)}")
    return "\n".join(out)


def _rate(r: dict) -> str:
    acc = "-" if r["accuracy"] is None else f"{r['accuracy']:.3f}"
    return f"{acc} ({r['correct']}/{r['total']})"


def format_report(rep: dict) -> str:
    t = rep["talks"]
    out = [f"articles: {rep['articles']}", "talks status:"]
    for lab, m in list(t["per_label"].items()) + [("micro", t["micro"])]:
        out.append(f"  {lab:<10} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}"
                   f"  (tp {m['tp']} fp {m['fp']} fn {m['fn']})")
    out.append(f"  time order of two-label articles: {t['order_exact']['correct']}/{t['order_exact']['total']}")
    d = rep["civilian_deaths"]
    out.append(f"civilian deaths: exact {_rate(d['exact'])}  within range {_rate(d['within_range'])}"
               f"  exact where a toll is labelled {_rate(d['exact_where_labelled'])}")
    out.append(f"country: {_rate(rep['country'])}  place: {_rate(rep['place'])}"
               f"  place where a toll is labelled: {_rate(rep['place_death_incidents'])}")
    if rep.get("misses"):
        out.append("misses:")
    for m in rep.get("misses", []):
        out.append(f"  {m['article_id']} {m['field']}: gold {json.dumps(m['gold'], ensure_ascii=False)}"
                   f" predicted {json.dumps(m['predicted'], ensure_ascii=False)}")
        for e in m["evidence"]:
            txt = textwrap.shorten((e.get("text") or "").replace("\n", " "), 110, placeholder="…")
            out.append(f"      {e['type']} {e.get('modality')}/{e.get('novelty')} [{e.get('start')}:{e.get('end')}] {txt}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Standalone entry for development: ``python -m conflictwatch.cli.extract_cmds extract FILE``."""
    from ..config import Settings
    parser = argparse.ArgumentParser(prog="conflictwatch")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(Settings.from_env(), args)


if __name__ == "__main__":
    raise SystemExit(main())
