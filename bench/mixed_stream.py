"""A synthetic news stream for benchmarks: mostly not about conflict, like a real wire.

Every sentence here is written for conflictwatch; articles are assembled from
templates with seeded randomness, so a run is reproducible.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

NON_CONFLICT = [
    "The central bank left interest rates unchanged on {day}, citing slower growth in consumer spending.",
    "Shares in the carmaker rose {n} percent after it reported higher quarterly profits than analysts expected.",
    "The home side won the cup final {n}-1 after a late goal from their young striker.",
    "Forecasters expect heavy rain across the coast this weekend, with temperatures falling by {n} degrees.",
    "The museum will reopen its east wing on {day} after a renovation that took {n} months.",
    "A new smartphone from the company goes on sale next month with a larger battery and a faster chip.",
    "City council members voted {n} to 3 to extend the bus network to the northern suburbs.",
    "The festival drew more than {n},000 visitors over three days, organisers said.",
    "Researchers published a study showing that regular walking lowers blood pressure in older adults.",
    "The airline added {n} routes to its summer schedule and plans to hire more cabin crew.",
    "Farmers said the harvest was better than last year thanks to a mild spring.",
    "The orchestra announced a tour of {n} cities, opening with a programme of new works.",
    "Union leaders and the employer resumed contract talks on {day} over pay and shift patterns.",
    "The tech firm said it would open a research centre employing {n}0 engineers.",
]

PLACES = [("Daraa", "Syria"), ("Idlib", "Syria"), ("Hodeidah", "Yemen"), ("Taiz", "Yemen"), ("Kherson", "Ukraine"),
          ("Kharkiv", "Ukraine"), ("Goma", "Democratic Republic of the Congo"), ("El Fasher", "Sudan"),
          ("Maiduguri", "Nigeria"), ("Mopti", "Mali"), ("Kunduz", "Afghanistan"), ("Mosul", "Iraq")]
NUMBER_WORDS = ["five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]

CONFLICT = [
    "{Num} civilians were killed on {day} when an air strike hit a market in {place}, local officials said.",
    "Shelling struck a residential district of {place} on {day}, killing {n} civilians, including two children, a monitoring group said.",
    "Peace talks between the government and the rebels broke down on {day} after the two sides failed to agree on a prisoner exchange.",
    "Negotiators from both sides returned to the table on {day} in a new round of talks mediated by regional envoys.",
    "More than {n}00 families fled {place} after clashes between the army and armed groups, aid agencies said.",
    "Medics said at least {n} people were wounded in the attack on the outskirts of {place}.",
]


def _day(rng: random.Random) -> str:
    return rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])


def mixed_articles(n: int, conflict_share: float = 0.2, seed: int = 1, sentences: int = 14) -> list[dict]:
    rng = random.Random(seed)
    start = date(2022, 1, 3)
    out = []
    for i in range(n):
        conflict = rng.random() < conflict_share
        place, country = rng.choice(PLACES)
        lines = []
        for _ in range(sentences):
            pool = CONFLICT if conflict and rng.random() < 0.4 else NON_CONFLICT
            tmpl = rng.choice(pool)
            lines.append(tmpl.format(day=_day(rng), n=rng.randint(2, 9), Num=rng.choice(NUMBER_WORDS).capitalize(),
                                     place=place))
        body = " ".join(lines[:4]) + "\n\n" + " ".join(lines[4:9]) + "\n\n" + " ".join(lines[9:])
        if conflict:
            body = f"{place}, {country} - " + body
        out.append({
            "id": f"mix-{seed}-{i}",
            "source": "Bench Wire",
            "title": f"Bench story {i}",
            "published_at": (start + timedelta(days=i % 700)).isoformat() + "T12:00:00Z",
            "body": body,
            "_conflict": conflict,
        })
    return out


def alerting_article(i: int, tag: str) -> dict:
    """An article that must give one civilian-deaths incident alert, distinct from every other i.

    The date is in the body: the worker drops exact duplicate bodies, and without it
    articles i and i+24 would read the same."""
    place, country = PLACES[i % len(PLACES)]
    day = date(2021, 1, 4) + timedelta(days=3 * i)
    return {
        "id": f"lat-{tag}-{i}",
        "source": "Bench Wire",
        "title": f"Air strike in {place}",
        "published_at": day.isoformat() + "T18:00:00Z",
        "body": (f"{place}, {country} - {NUMBER_WORDS[i % len(NUMBER_WORDS)].capitalize()} civilians were killed on "
                 f"{day.strftime('%A')}, {day.strftime('%B')} {day.day}, when an air strike hit a crowded market in {place}, residents said.\n\n"
                 "Rescue teams searched the rubble for survivors into the night."),
    }
