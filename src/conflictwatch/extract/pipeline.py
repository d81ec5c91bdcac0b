"""The extraction pipeline: gate, sentence selection, spaCy, events, summary.

Cost is dominated by the statistical pipeline (tagger, parser, NER), so we
avoid running it where it cannot matter:

1. A gate on the raw text: an article with fewer than ``gate_min_distinct``
   distinct conflict terms (patterns/events.json) is not parsed at all.
2. Sentence selection: only sentences holding a trigger term, the
   neighbours of casualty sentences (counts and subjects spill over) and
   the lead (headline, dateline, main place) go to spaCy, joined into one condensed text per article so
   the components still see article-level context. An ``OffsetMap`` takes
   every offset in that text back to the article body.
3. ``nlp.pipe`` in batches, optionally in several processes.

The components of the other extraction modules (places, actors, casualties)
are added when their modules provide them; a missing one is skipped, never
imitated.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import importlib
import json
import logging
import multiprocessing
import re
from datetime import date, timedelta
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..article import Article
from ..errors import ConflictWatchError
from . import model
from . import news as news_mod
from . import talks as talks_mod  # registers the cw_talks factory
from . import incidents as incidents_mod  # registers the cw_incidents factory
from .modality import _own_clause_tokens as own_clause_tokens
from .modality import day_rank, focus_span
from .summary import build_summary, time_sort

log = logging.getLogger(__name__)


class ExtractionError(ConflictWatchError):
    """The extraction pipeline could not be built or failed on an input."""


# --- gate and sentence selection -------------------------------------------------------------------

@lru_cache(maxsize=1)
def _events_lexicon() -> dict:
    return json.loads(resources.files("conflictwatch.extract").joinpath("patterns/events.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _gate_re() -> re.Pattern:
    terms = _events_lexicon()["gate_terms"]
    return re.compile(r"\b(" + "|".join(terms) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _sentence_re() -> re.Pattern:
    terms = _events_lexicon()["sentence_terms"]
    return re.compile(r"\b(?:" + "|".join(terms) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _gate_strong_re() -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(_events_lexicon()["gate_strong"]) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _neighbour_re() -> re.Pattern:
    terms = _events_lexicon()["neighbour_terms"]
    return re.compile(r"\b(?:" + "|".join(terms) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _pronoun_follow_re() -> tuple[re.Pattern, re.Pattern]:
    lex = _events_lexicon()
    terms = re.compile(r"\b(?:" + "|".join(lex["pronoun_follow_terms"]) + r")\b", re.IGNORECASE)
    starts = re.compile(r"[\"'“‘]?(?:" + "|".join(lex["pronoun_follow_starts"]) + r")\b", re.IGNORECASE)
    return terms, starts


# Past forms the "stem + suffix" pattern below cannot reach.
_IRREGULAR_PAST = {"break": ("broke", "broken"), "leave": ("left",), "withdraw": ("withdrew", "withdrawn"),
                   "sink": ("sank", "sunk"), "fall": ("fell", "fallen")}


@lru_cache(maxsize=1)
def _object_pronoun_re() -> re.Pattern:
    """A violation or collapse verb with an it/them object ("the militia broke it", "walked out of them").

    Such a sentence after a truce or talks sentence is parsed: its pronoun may be that truce or those
    talks, and neither a violation verb nor a pronoun is a sentence term on its own."""
    import importlib.resources as res
    talks = json.loads(res.files("conflictwatch.extract").joinpath("patterns/talks.json").read_text("utf-8"))
    lemmas = set(_events_lexicon()["ceasefire_violated_verbs"]) | set(talks["collapse_verbs"]) \
        | set(talks["collapse_leave_verbs"]) | set(talks["collapse_phrasal"])
    forms = set()
    for lem in lemmas:
        forms.add(re.escape(lem[:-1] if lem.endswith("e") else lem) + r"\w*")
        forms.update(re.escape(f) for f in _IRREGULAR_PAST.get(lem, ()))
    verb = "|".join(sorted(forms, key=len, reverse=True))
    return re.compile(r"\b(?:" + verb + r")(?:\s+(?:out|away|off|back|down))?(?:\s+(?:of|from))?\s+(?:it|them)\b",
                      re.IGNORECASE)


@lru_cache(maxsize=1)
def _furniture_re() -> re.Pattern:
    alts = sorted((re.escape(p) for p in _events_lexicon()["furniture_prefixes"]), key=len, reverse=True)
    return re.compile(r"(?:" + "|".join(alts) + r")\s*[:|»>\-–—]", re.IGNORECASE)


def is_furniture(sentence: str) -> bool:
    """Page furniture ("Read more: ...", "Related: ...") links to other stories; its words are not this story's."""
    return bool(_furniture_re().match(sentence.lstrip()))


def gate(text: str, min_distinct: int | None = None) -> bool:
    """Cheap test on raw text: could this article hold a conflict event at all?"""
    if _gate_strong_re().search(text):
        return True
    lex = _events_lexicon()
    need = lex["gate_min_distinct"] if min_distinct is None else min_distinct
    if len(text) < lex["gate_short_chars"]:
        # A brief or an event note seldom repeats a conflict term, and parsing it costs little.
        need = 1
    seen: set[str] = set()
    for m in _gate_re().finditer(text):
        seen.add(m.group(1).lower().rstrip("s"))
        if len(seen) >= need:
            return True
    return False


# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) before whitespace
# and an upper-case letter, digit or opening quote, or at a blank line / line break.
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*")


def split_sentences(body: str) -> list[tuple[int, int]]:
    """Rough sentence spans (start, end) of the body; only used to choose what to parse."""
    spans, start = [], 0
    for m in _SENT_END.finditer(body):
        end = m.start()
        if body[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if body[start:].strip():
        spans.append((start, len(body)))
    # Trim surrounding whitespace so offsets point at text.
    out = []
    for s, e in spans:
        while s < e and body[s].isspace():
            s += 1
        while e > s and body[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


@dataclass
class OffsetMap:
    """Maps offsets in the condensed text back to the body. ``segments``: (text_start, body_start, length)."""
    segments: list[tuple[int, int, int]]

    def to_body(self, pos: int, *, is_end: bool = False) -> int:
        if not self.segments:
            return 0
        starts = [s[0] for s in self.segments]
        probe = pos - 1 if is_end and pos > 0 else pos
        i = max(0, bisect.bisect_right(starts, probe) - 1)
        t0, b0, n = self.segments[i]
        off = min(max(pos - t0, 0), n)
        return b0 + off

    def span(self, start: int, end: int) -> tuple[int, int]:
        s = self.to_body(start)
        e = self.to_body(end, is_end=True)
        return (s, e) if e >= s else (s, s)


SEPARATOR = "\n\n"
# Sentences of an article the gate keeps from the parser that are looked up for its country and place.
# The character cap bounds the cost on pages whose text has no sentence punctuation.
UNPARSED_LEAD_SENTENCES = 6
UNPARSED_LEAD_CHARS = 2000


@dataclass
class Plan:
    """What to parse for one article."""
    text: str
    offsets: OffsetMap
    gated: bool            # True: passed the gate and will be parsed
    n_sentences: int = 0
    n_selected: int = 0


def plan_article(body: str, title: str | None = None, *, select: bool = True, use_gate: bool = True) -> Plan:
    if use_gate and not gate(body if not title else title + "\n" + body):
        return Plan("", OffsetMap([]), False)
    if not select:
        return Plan(body, OffsetMap([(0, 0, len(body))]), True, 1, 1)
    lex = _events_lexicon()
    sents = split_sentences(body)
    sre = _sentence_re()
    keep: set[int] = set(range(min(lex["lead_sentences"], len(sents))))
    k = lex["sentence_neighbours"]
    furniture = {i for i, (s, e) in enumerate(sents) if is_furniture(body[s:e])}
    nre = _neighbour_re()
    for i, (s, e) in enumerate(sents):
        if i not in furniture and sre.search(body, s, e):
            keep.add(i)
            if nre.search(body, s, e):
                keep.update(range(max(0, i - k), min(len(sents), i + k + 1)))
    follow = _pronoun_follow_re()
    for i in sorted(keep):
        if i + 1 < len(sents) and i + 1 not in keep and follow[0].search(body, *sents[i]) and (
                follow[1].match(body, sents[i + 1][0]) or _object_pronoun_re().search(body, *sents[i + 1])):
            keep.add(i + 1)
    keep -= furniture
    # Merge runs of kept sentences into body segments (keeps the original whitespace inside a run).
    runs: list[tuple[int, int]] = []
    for i in sorted(keep):
        s, e = sents[i]
        if runs and i - 1 in keep and runs[-1][1] <= s:
            runs[-1] = (runs[-1][0], e)
        else:
            runs.append((s, e))
    parts, segs, pos = [], [], 0
    for s, e in runs:
        if parts:
            parts.append(SEPARATOR)
            pos += len(SEPARATOR)
        segs.append((pos, s, e - s))
        parts.append(body[s:e])
        pos += e - s
    return Plan("".join(parts), OffsetMap(segs), True, len(sents), len(keep))


# --- line breaks as sentence boundaries --------------------------------------------------------------

class LineBreaks:
    """Marks sentence starts at line breaks before the parser runs (the parser keeps preset boundaries).

    News pages put headlines, captions, bylines and datelines on lines of their
    own without final punctuation; left to itself the parser glues them to the
    next sentence, and a headline's verb then governs the lead's clauses. A
    single line break inside running text (lower-case word, then a lower-case
    word) is treated as wrapping and left alone.
    """

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        for tok in doc[1:]:
            prev = doc[tok.i - 1]
            if not (prev.is_space and "\n" in prev.text) or tok.is_space:
                continue
            before = doc[tok.i - 2] if tok.i >= 2 else None
            wrapped = ("\n\n" not in prev.text.replace(" ", "") and before is not None
                       and before.text[-1:].islower() and tok.text[:1].islower())
            if not wrapped:
                tok.is_sent_start = True
        return doc


@Language.factory("cw_lines")
def make_line_breaks(nlp: Language, name: str) -> LineBreaks:
    return LineBreaks(nlp, name)


# --- guarded components -------------------------------------------------------------------------------

COMPONENT_ERRORS: dict[str, int] = {}


class Guarded:
    """Runs another component; if it raises, logs, counts and passes the Doc on without its output.

    One faulty rule on one odd article must not stop a stream worker or lose the
    other components' results; the count (``COMPONENT_ERRORS``, also
    ``Extractor.component_errors``) keeps such failures visible, and the tests require it to stay 0.
    """

    def __init__(self, nlp: Language, name: str, inner: str, inner_config: dict | None = None):
        self.name = name
        self.inner_name = inner
        self.inner = nlp.create_pipe(inner, config=inner_config or {})

    def __call__(self, doc: Doc) -> Doc:
        try:
            return self.inner(doc)
        except Exception as exc:  # noqa: BLE001 - see class docstring
            COMPONENT_ERRORS[self.inner_name] = COMPONENT_ERRORS.get(self.inner_name, 0) + 1
            log.warning("component %s failed on a doc of %d chars: %r", self.inner_name, len(doc.text), exc)
            return doc


@Language.factory("cw_guarded", default_config={"inner": "", "inner_config": {}})
def make_guarded(nlp: Language, name: str, inner: str, inner_config: dict) -> Guarded:
    return Guarded(nlp, name, inner, inner_config)


# --- pipeline assembly -----------------------------------------------------------------------------

# Component name -> module that registers its factory. Order matters: places and actors before
# the event components that read them.
OPTIONAL_COMPONENTS = (
    ("cw_places", "conflictwatch.extract.geo"),
    ("cw_actors", "conflictwatch.extract.actors"),
    ("cw_casualties", "conflictwatch.extract.casualties"),
)
OWN_COMPONENTS = ("cw_talks", "cw_incidents")


def _optional(module: str):
    try:
        return importlib.import_module(module)
    except Exception as exc:  # a colleague's module that is missing or broken must not stop extraction
        log.warning("extraction component module %s unavailable: %s", module, exc)
        return None


def build_nlp(model_name: str, component_config: dict[str, dict] | None = None) -> tuple[Language, list[str]]:
    """Load the trained pipeline and add the custom components that are available.

    ``component_config`` maps a component name to its factory settings."""
    component_config = component_config or {}
    try:
        nlp = spacy.load(model_name)
    except OSError as exc:
        raise ExtractionError(f"cannot load spaCy model {model_name!r}: {exc}") from None
    added = []
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("cw_lines", before="parser")
        added.append("cw_lines")
    for name, module in OPTIONAL_COMPONENTS:
        if _optional(module) is None:
            continue
        if not Language.has_factory(name):
            log.warning("module %s does not register the %s factory yet; skipped", module, name)
            continue
        try:
            nlp.add_pipe("cw_guarded", name=name, last=True,
                         config={"inner": name, "inner_config": component_config.get(name, {})})
            added.append(name)
        except Exception as exc:
            log.warning("could not add component %s: %s", name, exc)
    for name in OWN_COMPONENTS:
        nlp.add_pipe("cw_guarded", name=name, last=True, config={"inner": name})
        added.append(name)
    return nlp, added


# --- turning docs into Extractions -----------------------------------------------------------------

def _published_date(article: Article) -> str | None:
    try:
        return article.published.date().isoformat() if article.published_at else None
    except ValueError:
        return None


# Exercises every component once at start-up (see Extractor._warm_up); written for this project.
WARM_UP_TEXT = ("Peace talks between the government and the rebels collapsed on Monday in the capital, "
                "a mediator said. An air strike on a market in the town killed five civilians, "
                "including two children, residents told the agency.")


class Extractor:
    """Article -> Extraction. Loads the spaCy pipeline once; reuse the instance.

    ``processes`` > 1 runs batches in a pool of worker processes (each loads the
    pipeline once) when a call brings more than ``batch_size`` articles; call
    ``close()`` (or use ``with``) to stop the pool. Per-article state lives on
    the Doc, but one instance should still serve one thread at a time: the
    spaCy pipeline underneath is not meant for concurrent calls.
    """

    def __init__(self, model_name: str, processes: int = 1, batch_size: int = 32, *, select_sentences: bool = True,
                 use_gate: bool = True, gazetteer_cache: str | None = None):
        """``select_sentences``/``use_gate`` False parse every whole article (for quality comparisons).

        ``gazetteer_cache``: folder where the place index is kept after its first build,
        so later processes load it in about a second instead of building it again."""
        self.model_name = model_name
        self.gazetteer_cache = gazetteer_cache or None
        self.processes = max(1, int(processes))
        self.batch_size = max(1, int(batch_size))
        self.select_sentences = select_sentences
        self.use_gate = use_gate
        self.nlp, self.components = build_nlp(
            model_name, {"cw_places": {"cache_dir": self.gazetteer_cache}} if self.gazetteer_cache else None)
        self._geo = _optional("conflictwatch.extract.geo") if "cw_places" in self.components else None
        self._cas = _optional("conflictwatch.extract.casualties") if "cw_casualties" in self.components else None
        self._dates = _optional("conflictwatch.extract.dates")
        self._codes = _optional("conflictwatch.extract.codes")
        self._actors = _optional("conflictwatch.extract.actors") if "cw_actors" in self.components else None
        self._pool = None
        self._lead_finder = None   # PlaceFinder for unparsed articles, made on first use
        self.stats = {"articles": 0, "parsed": 0, "sentences": 0, "selected": 0, "tokens": 0}
        self._warm_up()

    def _warm_up(self) -> None:
        # Runs once outside any memory zone, so what components build lazily on first use
        # (the actors' PhraseMatchers, with their strings) stays in the Vocab for good.
        self._extract_local([Article(id="warm-up", body=WARM_UP_TEXT, published_at="2020-01-01T00:00:00Z")],
                            zone=False)
        self.stats = dict.fromkeys(self.stats, 0)

    @property
    def component_errors(self) -> dict[str, int]:
        """Failures of guarded components in this process, by component (see ``Guarded``)."""
        return dict(COMPONENT_ERRORS)

    # public API ---------------------------------------------------------------------------------
    def extract(self, article: Article) -> model.Extraction:
        return self.extract_many([article])[0]

    def extract_many(self, articles: Iterable[Article]) -> list[model.Extraction]:
        articles = list(articles)
        if self.processes > 1 and len(articles) > self.batch_size:
            return self._extract_parallel(articles)
        return self._extract_local(articles)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> "Extractor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _extract_parallel(self, articles: list[Article]) -> list[model.Extraction]:
        # spaCy's own n_process ships Docs between processes as msgpack, which drops the Python
        # objects our components keep in Doc extensions; so each worker process runs the whole
        # Extractor (nlp.pipe in batches inside) and returns plain Extraction dataclasses.
        if self._pool is None:
            ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
            self._pool = ctx.Pool(self.processes, initializer=_init_worker,
                                  initargs=(self.model_name, self.batch_size, self.select_sentences, self.use_gate,
                                            self.gazetteer_cache))
        chunks = [articles[i:i + self.batch_size] for i in range(0, len(articles), self.batch_size)]
        out: list[model.Extraction] = []
        for part, stats in self._pool.imap(_work, chunks):
            out.extend(part)
            for k, v in stats.items():
                self.stats[k] += v
        return out

    def _extract_local(self, articles: list[Article], zone: bool = True) -> list[model.Extraction]:
        # spaCy keeps every new string it meets (names, numbers, typos) in the shared Vocab for
        # the life of the process, so a stream worker would grow without bound. Inside a memory
        # zone those entries are dropped at the end of the call; nothing spaCy made may outlive
        # it, and nothing does: Extractions are plain dataclasses built before the zone closes.
        memory_zone = getattr(self.nlp, "memory_zone", None)
        with memory_zone() if zone and memory_zone is not None else contextlib.nullcontext():
            return self._extract_docs(articles)

    def _extract_docs(self, articles: list[Article]) -> list[model.Extraction]:
        plans = [plan_article(a.body, a.title, select=self.select_sentences, use_gate=self.use_gate) for a in articles]
        results: list[model.Extraction | None] = [None] * len(articles)
        docs = []
        for i, (a, p) in enumerate(zip(articles, plans)):
            self.stats["articles"] += 1
            if not p.gated or not p.text.strip():
                results[i] = model.Extraction(a.id, [], self._unparsed_summary(a))
                continue
            doc = self.nlp.make_doc(p.text)
            doc._.cw_published = _published_date(a)
            # The casualties component reads these plain keys (msgpack-safe user_data).
            doc.user_data["published"] = doc._.cw_published
            doc.user_data["article_id"] = a.id
            # Where the condensed text skips body sentences: a pronoun does not look back across them.
            doc.user_data["segment_starts"] = [seg[0] for seg in p.offsets.segments[1:]]
            docs.append((doc, i))
        if docs:
            for doc, i in self.nlp.pipe(docs, as_tuples=True, batch_size=self.batch_size):
                self.stats["parsed"] += 1
                self.stats["tokens"] += len(doc)
                self.stats["sentences"] += plans[i].n_sentences
                self.stats["selected"] += plans[i].n_selected
                results[i] = self._finish(articles[i], plans[i], doc)
        return results  # type: ignore[return-value]

    def _unparsed_summary(self, article: Article) -> model.Summary:
        """An article the gate keeps from the parser still says where it is set: its lead's tokens are
        looked up in the gazetteer (no tagger, parser or NER), so a quiet article's country is known
        at a small fraction of a parse."""
        if self._geo is None:
            return model.Summary()
        try:
            lead = split_sentences(article.body)[:UNPARSED_LEAD_SENTENCES]
            if not lead:
                return model.Summary()
            doc = self.nlp.make_doc(article.body[:min(lead[-1][1], UNPARSED_LEAD_CHARS)])
            self._geo.mark_sentences(doc, lead)
            if self._lead_finder is None:
                self._lead_finder = self._geo.PlaceFinder(cache_dir=self.gazetteer_cache)
            country, main = self._geo.locate(self._lead_finder.find(doc), article.title)
        except Exception as exc:
            log.warning("locate of unparsed %s failed: %s", article.id, exc)
            return model.Summary()
        # The country alone is no place: a quiet article names no scene of an event.
        named = main is not None and main.precision != "country"
        return model.Summary(country=country, place=(main.canonical or main.name) if named else None)

    def _sentence_when(self, text: str, published: str | None) -> model.When:
        if self._dates is None or not published:
            return model.When()
        try:
            return self._dates.resolve_when(text, date.fromisoformat(published))
        except Exception as exc:
            log.debug("resolve_when failed: %s", exc)
            return model.When()

    def _when_of(self, trigger, doc: Doc) -> model.When:
        """Date of the trigger's own clause, else of the clause it hangs on, else the publication day.

        "met on Wednesday, but the talks fell apart": the coordinated clause shares the first
        one's date. "said on Thursday ..., a day after the talks collapsed": a time clause with
        a measured gap is dated from its governing clause's date minus (after) or plus (before)
        the gap.
        """
        node, shift = trigger, 0
        for _ in range(5):
            toks = own_clause_tokens(node)
            w = self._when_in(doc, trigger.sent, toks[0].idx, toks[-1].idx + len(toks[-1].text), own_only=True)
            if w is not None:
                return _shift_when(w, shift) if shift else w
            shift += _time_clause_gap(node)
            head = node.head
            while head.i != head.head.i and head.dep_ not in _CLAUSE_HEAD_DEPS and head.pos_ not in ("VERB", "AUX"):
                head = head.head
            if head.i == node.i:
                break
            node = head
        return self._when_in(doc, trigger.sent, 0, 0)

    def _when_in(self, doc: Doc, sent, lo: int, hi: int, *, fallback_sentence: bool = False,
                 own_only: bool = False) -> model.When | None:
        """Date written inside [lo, hi) of ``sent``; else the sentence's date or the publication day
        (``own_only``: else None)."""
        published = doc._.cw_published
        if self._dates is None or not published:
            return None if own_only else model.When()
        try:
            hits = self._dates.find_whens(sent.text, date.fromisoformat(published))
        except Exception as exc:
            log.debug("find_whens failed: %s", exc)
            return model.When()
        inside = [w for s, e, w, _rep in hits if lo <= sent.start_char + s and sent.start_char + e <= hi
                  and not _gap_phrase(sent.text, s)]
        if inside:
            return inside[0]
        if own_only:
            return None
        if fallback_sentence:
            return self._sentence_when(sent.text, published)
        return model.When(published, "day", None)

    # internals ----------------------------------------------------------------------------------
    def _finish(self, article: Article, plan: Plan, doc: Doc) -> model.Extraction:
        body, omap = article.body, plan.offsets
        mentions = list(getattr(doc._, "cw_places", None) or []) if self._geo else []
        actor_mentions = list(getattr(doc._, "cw_actors", None) or []) if self._actors else []
        published = doc._.cw_published
        # (event in doc offsets, (day rank, text key), focus span for the place)
        events: list[tuple[model.Event, tuple[int, float], tuple[int, int]]] = []

        told: list[tuple[object, float, model.Event]] = []
        for h in doc._.cw_talks or []:
            ev = talks_mod.hit_to_event(h, article.id)
            ev.when = self._when_of(h.trigger, doc)
            if h.modality.commitment or h.modality.modality == "planned":
                ev.when = _forward(ev.when, published)
            key = talks_mod.sort_key(h)
            if _retold(h.trigger, key, ev, told, anchor=h.anchor):
                continue
            told.append((h.trigger, key, ev))
            events.append((ev, (day_rank(h.trigger), key), focus_span(h.trigger)))
        told = []
        for ev, key, focus, trigger in incidents_mod.events_of(doc):
            span = doc.char_span(ev.evidence.start, ev.evidence.end, alignment_mode="expand")
            if span is not None and (ev.when is None or ev.when.date is None):
                ev.when = self._when_in(doc, span, *focus, fallback_sentence=True)
            if _retold(trigger, key, ev, told):
                continue
            told.append((trigger, key, ev))
            events.append((ev, (0, key), focus))
        if self._cas is not None:
            for ev in getattr(doc._, "cw_casualties", None) or []:
                # A figure's place is named after it in its sentence ("killing six in X") or before it.
                off = getattr(getattr(ev, "casualty", None), "anchor_offset", 0) or 0
                if ev.when is None or ev.when.date is None:
                    ev.when = self._sentence_when(ev.evidence.text, published)
                events.append((ev, (0, float(ev.evidence.start)), (ev.evidence.start + off, ev.evidence.end)))

        country = place = None
        main_where: model.Where | None = None
        if self._geo is not None:
            try:
                country, main = self._geo.locate(mentions, article.title)
                place = (main.canonical or main.name) if main is not None else None
                if self._actors is not None:
                    # Talks held abroad: the negotiating parties, not the venue, give the conflict's country.
                    country = self._actors.party_country(actor_mentions, _talks_spans(events), country)
                main_where = self._main_location(country, main)
            except Exception as exc:
                log.warning("locate failed on %s: %s", article.id, exc)

        out: list[tuple[model.Event, tuple[int, float]]] = []
        for ev, key, focus in events:
            s, e = omap.span(ev.evidence.start, ev.evidence.end)
            where = ev.where
            if self._geo is not None and not where.country_code:
                # The event's own clause or sentence names its place; else it happened where the
                # story is (the region key must not come from a place named in another sentence).
                near = self._geo.clause_place(mentions, focus, (ev.evidence.start, ev.evidence.end),
                                              ev.type) if mentions else None
                if near is not None and not (main_where is not None and near.precision == "country"
                                             and near.country_code == main_where.country_code):
                    where = near
                elif main_where is not None:
                    # Also for "in southern Syria" in a story set in one of its provinces: the country
                    # alone would put the event in another partition than the story's other events.
                    where = dataclasses.replace(main_where)
                if ev.type.startswith("talks_") and main_where is not None and where.country_code \
                        and where.country_code != main_where.country_code:
                    # A venue abroad (talks on Ethiopia held in Tanzania): talks tracks are keyed by
                    # country, and the track is the conflict's, so the event goes where the story is.
                    where = dataclasses.replace(main_where)
            actors = ev.actors
            if not actors and actor_mentions:
                actors = [model.Actor(text=m.text, canonical=m.entry.canonical, role=m.role, kind=m.entry.kind)
                          for m in actor_mentions
                          if m.entry.kind != "attribution" and m.start >= ev.evidence.start and m.end <= ev.evidence.end]
                actors = list({(a.canonical, a.role): a for a in actors}.values())
            attribution = ev.attribution
            if self._actors is not None and ev.modality == "reported":
                span = doc.char_span(ev.evidence.start, ev.evidence.end, alignment_mode="expand")
                try:
                    attribution = (self._actors.find_attribution(span) if span is not None else None) or attribution
                except Exception as exc:
                    log.debug("find_attribution failed: %s", exc)
            codes = ev.codes
            if self._codes is not None and not (codes or {}).get("cameo"):
                try:
                    codes = self._codes.codes_for(ev.type, ev.subtype)
                except Exception as exc:
                    log.debug("codes_for(%s, %s) failed: %s", ev.type, ev.subtype, exc)
            new = dataclasses.replace(
                ev,
                article_id=article.id,
                evidence=model.Evidence(text=body[s:e], start=s, end=e),
                where=where,
                codes=codes,
                actors=actors,
                attribution=attribution,
                event_id="",
            )
            out.append((new, key))

        # The article's news: a recalled opposite change of the talks is background (news.py).
        out = news_mod.settle(out, lead=news_mod.lead(body, article.title), published=published)
        ordered = time_sort(out, published)
        deaths = None
        if self._cas is not None:
            deaths = self._cas.civilian_deaths_rollup([e for e in ordered if e.type.endswith("deaths")])
            # A sub-group inside a total ("six civilians, including four children") feeds the roll-up
            # only; on the wire the alert engine would take it for another incident.
            ordered = [e for e in ordered if not self._cas.is_subgroup_figure(e)]
        for n, ev in enumerate(ordered):
            ev.order = n
        summary = build_summary(ordered, civilian_deaths=deaths, country=country, place=place)
        return model.Extraction(article.id, ordered, summary)

    def _main_location(self, country: str | None, main: model.Where | None) -> model.Where | None:
        """Where an event with no place of its own is put: the main place when it lies in the main
        country (a talks venue abroad does not locate the fighting), else the country itself."""
        if not country:
            return None
        if main is not None and main.country_code == country:
            return main
        cand = self._geo.Gazetteer.shared().country(country)
        return cand.to_where(None) if cand is not None else model.Where(country_code=country, precision="country")


def _talks_spans(events) -> list[tuple[int, int]]:
    """Sentences (doc offsets) of the talks events an article newly reports."""
    return [(ev.evidence.start, ev.evidence.end) for ev, _key, _focus in events
            if ev.type.startswith("talks_") and ev.novelty == "new" and ev.modality != "negated"]


_WORKER: Extractor | None = None


def _init_worker(model_name: str, batch_size: int, select: bool, use_gate: bool, gazetteer_cache: str | None) -> None:
    global _WORKER
    _WORKER = Extractor(model_name, processes=1, batch_size=batch_size, select_sentences=select, use_gate=use_gate,
                        gazetteer_cache=gazetteer_cache)


def _work(chunk: list[Article]) -> tuple[list[model.Extraction], dict]:
    assert _WORKER is not None
    before = dict(_WORKER.stats)
    out = _WORKER.extract_many(chunk)
    return out, {k: _WORKER.stats[k] - before[k] for k in before}


_CLAUSE_HEAD_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "parataxis", "csubj", "pcomp"})
_GAP_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7}
_GAP_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


# A change of state and the change back: talks break down and resume, a truce is declared and broken.
_OPPOSITE = {"talks_collapsed": "talks_resumed", "talks_resumed": "talks_collapsed",
             "ceasefire_violated": "ceasefire_declared", "ceasefire_declared": "ceasefire_violated"}
_AGAIN_WORDS = frozenset({"again", "another", "second", "third", "once"})


def _retold(trigger, key: float, ev: model.Event, told: list, anchor=None) -> bool:
    """A later sentence that tells an earlier change of state again: one fact, one event.

    "resumed talks on Thursday ... Both delegations met in X for a new round"; "the truce was
    violated on Monday ... both sides blamed each other for breaking the truce". The same change
    (talks collapsed/resumed, truce declared/violated), new and not hedged, with the same date or no
    date of its own, and no change the other way in between; "again", "another round" or a
    different date make it a second one. ``told``: (trigger, time key, event) of the changes kept
    so far; ``anchor``: the talks noun of a talks trigger, whose modifiers count as the clause's.
    """
    if ev.type not in _OPPOSITE or ev.novelty != "new" or ev.modality not in ("asserted", "reported"):
        return False
    if any(t.lower_ in _AGAIN_WORDS for t in own_clause_tokens(trigger)) or \
            any(t.lower_ in _AGAIN_WORDS for t in trigger.sent if t.head.i == trigger.i or t.head.i == getattr(anchor, "i", -1)):
        return False
    for prev_trigger, lo, prev in told:
        if prev.type != ev.type or prev.novelty != "new" or prev.modality not in ("asserted", "reported"):
            continue
        if prev_trigger.sent.start == trigger.sent.start:
            continue
        if any(o.type == _OPPOSITE[ev.type] and o.novelty == "new" and _between(o, k, prev, lo, ev, key)
               for _, k, o in told):
            continue   # collapsed, resumed, collapsed: each change counts
        if ev.when is None or ev.when.text is None or (prev.when is not None and ev.when.date == prev.when.date):
            return True
    return False


def _own_date(ev: model.Event) -> str | None:
    return ev.when.date if ev.when is not None and ev.when.date and ev.when.text else None


def _between(o: model.Event, k: float, prev: model.Event, lo: float, ev: model.Event, key: float) -> bool:
    """Does the change ``o`` lie between ``prev`` and ``ev`` in time?

    Two mentions that carry the same date of their own are one moment: a change dated
    otherwise is not between them, wherever the text tells it ("resumed on Thursday, a day
    after the talks collapsed. The talks broke down on Wednesday ..."). Otherwise, or for a
    change on that same day, the time order of the text decides."""
    day = _own_date(prev)
    if day is not None and day == _own_date(ev) and _own_date(o) is not None and _own_date(o) != day:
        return False
    return lo < k < key


def _time_clause_gap(tok) -> int:
    """Days from the governing clause's date to this clause's fact: "a day after X" -> -1,
    "two days before X" -> +2; 0 when the clause is not such a measured time clause."""
    marks = {c.lower_ for c in tok.children if c.dep_ == "mark"}
    if tok.dep_ == "pobj" and tok.head.lower_ in ("after", "before"):
        marks, carrier = {tok.head.lower_}, tok.head
    else:
        carrier = tok
    direction = -1 if "after" in marks else 1 if "before" in marks else 0
    if not direction:
        return 0
    for c in carrier.children:
        if c.dep_ == "npadvmod" and c.lower_ in _GAP_UNITS:
            n = next((_GAP_NUMBERS.get(g.lower_) or (int(g.text) if g.text.isdigit() else None)
                      for g in c.children if g.dep_ in ("det", "nummod")), None)
            if n:
                return direction * n * _GAP_UNITS[c.lower_]
    return 0


def _forward(w: model.When, published: str | None) -> model.When:
    """A yearless day named for an agreed or planned step lies ahead, not in the past year
    ("agreed to return to the table on March 3" in an article of March 20)."""
    if not (w.date and published and w.precision == "day" and w.text) or re.search(r"\b\d{4}\b", w.text):
        return w
    if not re.search(r"[A-Za-z]{3,}\.?\s+\d{1,2}\b|\b\d{1,2}\s+[A-Z][a-z]{2,}", w.text):
        return w   # weekdays and relative words are resolved by their own rules
    try:
        d, pub = date.fromisoformat(w.date), date.fromisoformat(published)
    except ValueError:
        return w
    if (pub - d).days <= 7:
        return w
    try:
        ahead = d.replace(year=d.year + 1)
    except ValueError:
        return w
    return model.When(ahead.isoformat(), "day", w.text) if ahead >= pub - timedelta(days=7) else w


def _shift_when(w: model.When, days: int) -> model.When:
    if not w.date or w.precision != "day":
        return w
    try:
        d = date.fromisoformat(w.date).toordinal() + days
    except ValueError:
        return w
    return model.When(date.fromordinal(d).isoformat(), "day", w.text)


def _gap_phrase(text: str, start: int) -> bool:
    """A date after "since" measures a gap ("first talks since March"), it does not date the fact."""
    return bool(re.search(r"\bsince\s+(?:the\s+)?$|\bfirst\s+time\s+(?:in|since)\s+$", text[max(0, start - 25):start], re.I))
