"""CLI subcommand ``eval``: extraction scored on labelled news or ACLED notes, or (``--alerts``)
alerts scored per labelled article. Scoring lives in conflictwatch.evaluation; this module
runs the extractor or the worker and prints."""

from __future__ import annotations

import json
import sys
import textwrap

from ..errors import ConflictWatchError
from . import extract_cmds


def register(subparsers) -> None:
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
    e.add_argument("--keep-topics", action="store_true",
                   help="with --alerts: keep the run's topics (by default they are deleted after the run)")
    e.add_argument("--timeout", type=float, default=1800.0, help="with --alerts: seconds to wait for the worker per file")
    e.set_defaults(func=cmd_eval)


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
    ex = extract_cmds._extractor(settings)
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
        return score_acled([(r.article.id, r.gold, extract_cmds._summary_json(x)) for r, x in zip(recs, results)],
                           same_place=same_place)
    return score([(r.article.id, r.labels, extract_cmds._summary_json(x)) for r, x in zip(recs, results)], same_place=same_place)


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
    runner = _in_process_runner(settings) if args.in_process else _kafka_runner(settings, args)
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
    dated = {r.article.id: r.article.published_at for r in recs if r.article.published_at}
    report = score_alerts({r.article.id: r.labels for r in recs}, alerts, threshold, dated)
    report = {"file": path, "mode": "in-process" if args.in_process else "kafka", **report}
    if args.scores_only:
        for key in ("false", "missed", "unattributed"):
            report.pop(key, None)
    print(json.dumps(report, ensure_ascii=False) if args.json else format_alert_report(report), flush=True)


class _in_process_runner:
    def __init__(self, settings):
        self.settings, self.ex = settings, None

    def __enter__(self):
        from ..evaluation.stream import ordered_payloads, run_in_process
        self.ex = extract_cmds._extractor(self.settings)
        return lambda recs: run_in_process(self.settings, ordered_payloads(recs), self.ex)

    def __exit__(self, *exc):
        self.ex.close()


class _kafka_runner:
    def __init__(self, settings, args):
        from ..stack import KafkaSession
        self.settings, self.args = settings, args
        self.session = KafkaSession(settings, log=_note)

    def __enter__(self):
        from ..evaluation.stream import ordered_payloads, run_on_worker
        bootstrap = self.session.__enter__().bootstrap
        return lambda recs: run_on_worker(self.settings, bootstrap, ordered_payloads(recs), timeout=self.args.timeout,
                                          keep_topics=self.args.keep_topics, log=_note)

    def __exit__(self, *exc):
        self.session.__exit__(*exc)


def _note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def format_alert_report(rep: dict) -> str:
    out = [f"== {rep['file']} (alerts, {rep['mode']}, {rep['articles']} articles, incident threshold {rep['threshold']})",
           f"  {'alert type':<26} {'P':>6} {'R':>6} {'F1':>6}  alerts true false either  expected found (covered) missed"]
    for kind, m in list(rep["per_type"].items()) + [("all (not windows)", rep["all"])]:
        out.append(f"  {kind:<26} {_num(m['precision'])} {_num(m['recall'])} {_num(m['f1'])}  {m['alerts']:>6} {m['true']:>4}"
                   f" {m['false']:>5} {m['either']:>6}  {m['expected']:>8} {m['found']:>5} {'(' + str(m['covered']) + ')':>9} {m['missed']:>6}")
    out.append("  by id prefix (articles / false alerts / missed alerts): "
               + "  ".join(f"{p} {g['articles']}/{g['false']}/{g['missed']}" for p, g in rep["by_prefix"].items()))
    if rep.get("false"):
        out.append("false alerts:")
        out.extend(f"  {', '.join(x['article_ids'])} {x['type']}: {x.get('summary') or x['alert_id']}" for x in rep["false"])
    if rep.get("missed"):
        out.append("missed alerts:")
        out.extend(f"  {x['article_id']} {x['type']}" for x in rep["missed"])
    if rep.get("unattributed"):
        out.append(f"alerts citing no streamed article: {len(rep['unattributed'])}")
    return "\n".join(out) + "\n"


def _num(x) -> str:
    return f"{'-':>6}" if x is None else f"{x:6.3f}"


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
    ("no_event", "notes with deaths > 0 and no event at all"),
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
