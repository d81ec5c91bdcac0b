"""Generated input for the fuzz suite: bad records of every kind the contract must
refuse, and good articles (invented text) that must each raise an alert.

Every record knows what it is: a good article (its id must be cited by an alert), a
bad one (it must reach the DLQ, with one of the reasons listed), a duplicate of an
earlier record, or an odd but valid article that may or may not alert.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from conflictwatch import article as A

# Places the gazetteer knows, in different first-level regions, so that each good
# article is its own incident.
TOWNS = ["Aleppo", "Homs", "Idlib", "Deir ez-Zor", "Raqqa", "Hodeidah", "Taiz", "Mosul", "Kirkuk", "Kharkiv",
         "Donetsk", "Khartoum", "Goma", "Mogadishu", "Kandahar", "Benghazi", "Maiduguri", "Timbuktu", "Bunia",
         "Mariupol", "Kherson", "Marib", "Sirte", "Kismayo", "Bamako"]
WEAPONS = ["an air strike", "a drone strike", "an artillery barrage", "a rocket attack"]
PLACES = ["a crowded market", "a bus station", "a school", "a residential block"]
BASE_DAY = date(2025, 1, 6)  # a Monday
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass
class Record:
    kind: str                    # good | bad | duplicate | odd
    payload: bytes
    reasons: frozenset = field(default_factory=frozenset)   # for bad: the accepted DLQ reasons
    article_id: str | None = None                           # for good: must be cited by an alert
    same_as: str | None = None  # a duplicate: the good article it copies (either may be the one kept)


def good_article(n: int, rng: random.Random) -> dict:
    """Article n: its own town and day, so its incident is never joined to another."""
    town = TOWNS[n % len(TOWNS)]
    day = BASE_DAY + timedelta(days=3 * (n // len(TOWNS)) + rng.randrange(2))
    toll = rng.randrange(6, 40)
    body = (f"{toll} civilians were killed on {WEEKDAYS[day.weekday()]} when {rng.choice(WEAPONS)} hit "
            f"{rng.choice(PLACES)} in {town}, local officials said.\n\n"
            f"Rescue teams were still searching the rubble in {town} late in the evening, a medic said.\n\n"
            f"Filed under dispatch {n}.")  # no two good bodies alike: a same body is a duplicate, dropped
    return {"id": f"fz-good-{n}", "source": "Fuzz Wire", "url": f"https://example.org/fuzz/{n}",
            "title": f"Strike in {town} kills civilians", "language": "en",
            "published_at": f"{(day + timedelta(days=1)).isoformat()}T09:00:00Z", "body": body}


def _dumps(obj) -> bytes:
    return json.dumps(obj).encode("utf-8")


def _with(base: dict, **changes) -> dict:
    out = dict(base)
    out.update(changes)
    return out


# Each maker takes (a good article to spoil, rng) and returns (payload, accepted reasons).
def _random_bytes(base, rng):
    data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
    return data, set()  # any reason: random bytes may, rarely, be JSON of any shape


def _truncated_json(base, rng):
    data = _dumps(base)
    return data[: rng.randrange(1, len(data) - 1)], {A.NOT_JSON, A.NOT_UTF8}


def _deep_json(base, rng):
    depth = rng.choice([20, 5_000, 200_000])
    if rng.random() < 0.5:
        return b"[" * depth + b"]" * depth, {A.TOO_DEEP, A.NOT_OBJECT}
    nested = "1"
    for _ in range(min(depth, 50)):
        nested = '{"x": ' + nested + "}"
    return _dumps(base)[:-1] + b', "meta": ' + nested.encode() + b"}", {A.TOO_DEEP}


def _wrong_type(base, rng):
    name, value, reason = rng.choice([
        ("body", 42, A.NO_BODY), ("body", ["a", "list"], A.NO_BODY), ("title", ["a"], A.BAD_FIELD),
        ("id", True, A.BAD_FIELD), ("id", 1.5, A.BAD_FIELD), ("published_at", 20240101, A.BAD_FIELD),
        ("url", {"href": "x"}, A.BAD_FIELD), ("source", 7, A.BAD_FIELD), ("language", ["en"], A.BAD_FIELD),
    ])
    return _dumps(_with(base, **{name: value})), {reason}


def _missing(base, rng):
    out = dict(base)
    if rng.random() < 0.5:
        del out["body"]
    else:
        out["body"] = rng.choice(["", "   \n\t "])
    return _dumps(out), {A.NO_BODY}


def _huge(base, rng):
    name, size, reason = rng.choice([
        ("title", 5_000, A.FIELD_TOO_LARGE), ("url", 3_000, A.FIELD_TOO_LARGE), ("source", 400, A.FIELD_TOO_LARGE),
        ("id", 300, A.FIELD_TOO_LARGE), ("body", 250_000, A.BODY_TOO_LARGE),
    ])
    filler = ("Shelling went on. " * (size // 17 + 1))[:size]
    return _dumps(_with(base, **{name: filler})), {reason}


def _invalid_utf8(base, rng):
    data = _dumps(base)
    cut = rng.randrange(10, len(data) - 10)
    return data[:cut] + rng.choice([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"]) + data[cut:], \
        {A.NOT_UTF8}


def _lone_surrogate(base, rng):
    name = rng.choice(["id", "title", "source", "url", "body", "extra"])
    text = json.dumps(_with(base, **{name: f"{base.get(name, '')}XSURX"}))
    return text.replace("XSURX", rng.choice(["\\ud800", "\\udfff", "\\udbff"])).encode(), {A.NOT_UTF8}


def _bad_characters(base, rng):
    name = rng.choice(["id", "title", "source", "url"])
    char = rng.choice(["\x00", "\x07", "\x1b", "\x85", "\u202e", "\u2066", "\n"])
    return _dumps(_with(base, **{name: f"{base[name]}{char}x"})), {A.BAD_CHARACTERS}


def _extreme_date(base, rng):
    value = rng.choice(["9999-12-31T23:59:59-14:00", "0001-01-01", "0001-01-01T00:00:00+14:00", "1899-12-31",
                        "2999-06-01T00:00:00Z"])
    return _dumps(_with(base, published_at=value)), {A.DATE_OUT_OF_RANGE}


def _unparsable_date(base, rng):
    return _dumps(_with(base, published_at=rng.choice(["last tuesday", "2024-13-45", "yesterday"]))), {A.BAD_FIELD}


def _giant_sentence(base, rng):
    words = "rebels shelled the town and soldiers killed civilians near the market while troops advanced".split()
    run = " ".join(rng.choice(words) for _ in range(2_400))  # ~15,000 characters, no sentence end
    return _dumps(_with(base, body=base["body"] + "\n\n" + run)), {A.SENTENCE_TOO_LONG}


def _giant_token(base, rng):
    return _dumps(_with(base, body=base["body"] + " " + "x" * rng.randrange(2_100, 9_000) + ".")), {A.TOKEN_TOO_LONG}


def _not_object(base, rng):
    return rng.choice([b"[1, 2, 3]", b'"a string"', b"42", b"null", b"true"]), {A.NOT_OBJECT}


def _empty(base, rng):
    return rng.choice([b"", b"   "]), {A.NOT_JSON}


def _language(base, rng):
    return _dumps(_with(base, language=rng.choice(["fr", "ar", "zz-ZZ"]))), {A.UNSUPPORTED_LANGUAGE}


BAD_MAKERS = [_random_bytes, _truncated_json, _deep_json, _wrong_type, _missing, _huge, _invalid_utf8,
              _lone_surrogate, _bad_characters, _extreme_date, _unparsable_date, _giant_sentence, _giant_token,
              _not_object, _empty, _language]


def _odd_body(article: dict, rng: random.Random) -> dict:
    """A valid article whose body holds control, bidi and zero-width characters in a
    trailing paragraph: accepted, and its first paragraph still alerts."""
    tail = rng.choice(["\u202eReport ends.\u202c", "Filed\tat\x0bnight.", "Sources\u200b said\u200f so.",
                       "Note\x1b[31m in red."])
    return _with(article, body=article["body"] + "\n\n" + tail)


def generate(count: int, seed: int) -> list[Record]:
    """``count`` records: about a quarter good articles, the rest bad, odd or duplicates."""
    rng = random.Random(seed)
    records: list[Record] = []
    goods: list[Record] = []
    n_good = 0
    while len(records) < count:
        roll = rng.random()
        if roll < 0.25 or not goods:
            art = good_article(n_good, rng)
            if rng.random() < 0.2:
                art = _odd_body(art, rng)
            rec = Record("good", _dumps(art), article_id=art["id"])
            goods.append(rec)
            n_good += 1
        elif roll < 0.30:
            original = rng.choice(goods)
            if rng.random() < 0.5:
                rec = Record("duplicate", original.payload, same_as=original.article_id)  # the same message again
            else:                                                # the same body under another id
                art = json.loads(original.payload)
                rec = Record("duplicate", _dumps(_with(art, id=art["id"] + "-copy", url=None)),
                             article_id=art["id"] + "-copy", same_as=art["id"])
        else:
            base = _with(good_article(rng.randrange(1_000), rng), id=f"fz-bad-{len(records)}")
            payload, reasons = rng.choice(BAD_MAKERS)(base, rng)
            rec = Record("bad", payload, frozenset(reasons))
        records.append(rec)
    return records


def bad_events(rng: random.Random) -> list[tuple[bytes, set]]:
    """Records written straight to events.normalized that the alert agent must dead-letter."""
    return [
        (b"\xff\xfe not an event", {"not_json"}),
        (b"{truncated", {"not_json"}),
        (b"[" * 100_000 + b"]" * 100_000, {"too_deep"}),
        (b'["a", "list"]', {"not_event"}),
        (b'{"no": "type"}', {"not_event"}),
        (json.dumps({"type": "civilian_deaths", "region": "SY/Aleppo"}).encode(), {"invalid_event"}),
        (json.dumps({"type": "civilian_deaths", "event_id": "e1", "region": 7}).encode(), {"invalid_event"}),
    ]
