"""A synthetic news stream in which most articles are not about armed conflict.

Every sentence here was written for this benchmark (templates with random
fills); nothing comes from the labelled corpus. Articles are 350-550 tokens,
close to a wire story, so per-article costs are realistic.

    python bench/extract_stream.py --n 500 --conflict-share 0.2 > stream.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys

CITIES = ["Lyon", "Osaka", "Porto", "Leeds", "Dortmund", "Valencia", "Denver", "Perth", "Gothenburg", "Quebec",
          "Bologna", "Utrecht", "Graz", "Cork", "Tampere", "Brno", "Malmo", "Austin", "Kyoto", "Adelaide"]
PEOPLE = ["Maria Lopez", "Jon Berg", "Aiko Tanaka", "Peter Novak", "Grace Obi", "Luis Ortega", "Hanna Weiss",
          "Tom Reilly", "Sara Lind", "Omar Haddad", "Ines Duarte", "Marek Zielinski"]
COMPANIES = ["Northwind Foods", "Bluepeak Energy", "Cobalt Systems", "Harbor Logistics", "Greenfield Retail",
             "Summit Pharma", "Lumen Telecom", "Redwood Motors", "Atlas Textiles", "Polar Software"]
TEAMS = ["City Rovers", "United Athletic", "Harbour FC", "Valley Wanderers", "Royal Blues", "Northern Stars"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

TOPICS = {
    "business": [
        "{company} reported a {pct} percent rise in quarterly revenue on {day}, beating analysts' forecasts.",
        "Shares in {company} climbed {pct} percent in early trading in {city}.",
        "The chief executive, {person}, said demand had held up better than expected across its main markets.",
        "The company plans to open {num} new stores in {city} and expand its online business next year.",
        "Analysts said higher prices had protected margins even as volumes fell slightly in the second half.",
        "{company} also raised its full-year outlook and announced a share buyback worth {num} million.",
        "Costs for energy and transport eased during the quarter, according to the company's finance chief.",
        "The firm employs about {num}00 people and has its headquarters in {city}.",
        "Competitors are expected to publish their own results later this month.",
        "Investors welcomed the update, and trading volumes were well above the daily average.",
        "{person}, an analyst at a local brokerage, called the figures solid but warned about slowing consumer spending.",
        "The board proposed a dividend of {num} cents a share, payable in the spring.",
    ],
    "sport": [
        "{team} beat {team2} {g1}-{g2} on {day} to move up to third place in the league.",
        "The winning goal came in the {min}th minute from a low shot that crept inside the post.",
        "Coach {person} praised his young squad for keeping their shape after a difficult first half.",
        "The visitors had most of the possession but created few clear chances in front of a crowd of {num},000.",
        "A late header from a corner was cleared off the line by the home captain.",
        "The club confirmed that its goalkeeper would miss the next {g1} matches with a shoulder injury.",
        "{team} travel to {city} next weekend for a cup tie against a side from the second division.",
        "Supporters sang throughout the second half despite the cold and steady rain.",
        "The result leaves {team2} in the bottom half of the table with {num} points from {g2}0 games.",
        "Tickets for the next home match go on sale on {day}, the club said.",
        "The striker has now scored {g1} goals in his last four appearances.",
        "Both managers agreed that the referee had handled a tense game well.",
    ],
    "science": [
        "Researchers in {city} have developed a new battery material that charges in under {min} minutes.",
        "The study, published on {day} in a peer-reviewed journal, tested the cells over {num} charging cycles.",
        "Lead author {person} said the results could help cut the cost of storing solar power.",
        "The team used a cheap salt instead of rare metals, which makes the design easier to scale up.",
        "Independent experts called the work promising but said long-term tests were still needed.",
        "The project received funding from a university programme and two private foundations.",
        "Similar approaches have struggled with heat in the past, the researchers noted.",
        "A pilot line producing larger cells is planned at a plant near {city}.",
        "The scientists now want to test the material in cold climates.",
        "{person} said the group would publish its full data set later this year.",
    ],
    "weather": [
        "Heavy snow closed several roads around {city} on {day}, and schools opened two hours late.",
        "Forecasters expect temperatures to fall to minus {g1} degrees overnight.",
        "Road crews worked through the night to clear the main routes into the city centre.",
        "Trains ran with delays of up to {min} minutes, the rail operator said.",
        "The airport cancelled {num} flights and asked passengers to check the status of their journeys.",
        "{person}, who runs a bakery in the old town, said few customers had come in all morning.",
        "Milder air is expected to arrive from the west by the weekend, bringing rain.",
        "Officials urged drivers to avoid unnecessary trips and to carry warm clothing.",
        "Power was briefly cut to around {num}00 homes after a line came down under the weight of the snow.",
        "Ski resorts in the hills above {city} reported their best conditions in years.",
    ],
    "culture": [
        "A new exhibition of modern prints opened at the city museum in {city} on {day}.",
        "The show brings together {num} works by artists from a dozen countries.",
        "Curator {person} said the aim was to show how printmaking changed after the invention of cheap colour inks.",
        "Visitors queued around the block on the opening night, and the museum extended its hours.",
        "The exhibition runs until the end of the summer and then travels to {city2}.",
        "Several pieces have never been shown in public before, having been kept in private collections.",
        "A programme of talks by the artists accompanies the show.",
        "Critics have praised the lighting and the clear labels, written in three languages.",
        "School groups can visit for free on weekday mornings.",
        "The museum expects more than {num},000 visitors over the run.",
    ],
    "local": [
        "The city council of {city} approved a plan on {day} to add {num} kilometres of cycle lanes.",
        "Work on the first section is due to start in the spring and to take about {g1} months.",
        "Councillor {person} said the lanes would link the railway station with the university.",
        "Some shop owners worried about losing parking spaces outside their businesses.",
        "The council promised to consult residents on the exact route before construction begins.",
        "The project will cost about {num} million, part of it paid by a national transport fund.",
        "Cycling has doubled in the city over the past decade, according to council counts.",
        "A public meeting on the plan will be held at the town hall next month.",
        "Bus routes along the main avenue will be adjusted while the work goes on.",
        "{person} also announced new benches and trees for the central square.",
    ],
}

CONFLICT_LEADS = [
    "Peace talks between the government and the rebels collapsed on {day} in {venue}, negotiators said.",
    "Government warplanes struck the town of {town} on {day}, killing {n} civilians, a monitoring group said.",
    "The rebel delegation walked out of the ceasefire negotiations in {venue} on {day}.",
    "Peace talks between the army and the insurgents resumed in {venue} on {day} after a two-month pause.",
    "Shelling of residential areas in {town} killed at least {n} people on {day}, local officials said.",
    "A car bomb exploded near a market in {town} on {day}, killing {n} civilians and wounding dozens.",
]
CONFLICT_BODY = [
    "The two sides had met for {g1} days under the auspices of regional mediators.",
    "Residents said the strikes hit a school and a clinic on the eastern edge of {town}.",
    "Rescue workers pulled {n} bodies from the rubble, including {k} children.",
    "The army said it had targeted militant positions and denied hitting civilian buildings.",
    "Aid agencies warned that thousands of displaced families were sleeping in the open.",
    "A spokesman for the rebels said they would not return to the talks until the bombardment stopped.",
    "The ceasefire agreed in the spring has been violated repeatedly, according to the monitors.",
    "The United Nations envoy urged both sides to show restraint and return to the negotiating table.",
    "Fighting has displaced more than {n}0,000 people from the province since the start of the year.",
    "Witnesses described hearing jets overhead before a series of loud explosions.",
    "The government accused the rebels of using the truce to rearm.",
    "Hospitals in the region are short of blood and surgical supplies, doctors said.",
]
VENUES = ["Geneva", "Doha", "Nairobi", "Addis Ababa", "Oslo", "Abuja"]
TOWNS = ["Kafr Nabl", "Saraqib", "Maarat al-Numan", "Taiz", "Beni", "Gao", "Kidal", "Marib"]


def _fill(t: str, rnd: random.Random) -> str:
    return t.format(
        company=rnd.choice(COMPANIES), person=rnd.choice(PEOPLE), city=rnd.choice(CITIES), city2=rnd.choice(CITIES),
        team=rnd.choice(TEAMS), team2=rnd.choice(TEAMS), day=rnd.choice(DAYS), pct=rnd.randint(2, 19),
        num=rnd.randint(3, 90), g1=rnd.randint(1, 5), g2=rnd.randint(0, 4), min=rnd.randint(10, 89),
        venue=rnd.choice(VENUES), town=rnd.choice(TOWNS), n=rnd.randint(2, 40), k=rnd.randint(1, 5),
    )


def non_conflict_article(rnd: random.Random, i: int, min_tokens: int = 350) -> dict:
    topic = rnd.choice(sorted(TOPICS))
    bank = TOPICS[topic]
    sents, tokens = [], 0
    while tokens < min_tokens:
        s = _fill(rnd.choice(bank), rnd)
        sents.append(s)
        tokens += len(s.split()) + 2
    return {"id": f"bench-{i:05d}", "title": f"{topic.title()} news {i}", "body": _para(sents, rnd),
            "published_at": "2024-03-14T09:00:00Z", "kind": topic}


def conflict_article(rnd: random.Random, i: int, min_tokens: int = 350) -> dict:
    sents = [_fill(rnd.choice(CONFLICT_LEADS), rnd)]
    tokens = len(sents[0].split())
    filler_topic = TOPICS[rnd.choice(sorted(TOPICS))]
    while tokens < min_tokens:
        # Real conflict stories also carry context that triggers nothing: about a third of sentences here.
        bank = CONFLICT_BODY if rnd.random() < 0.65 else filler_topic
        s = _fill(rnd.choice(bank), rnd)
        sents.append(s)
        tokens += len(s.split()) + 2
    return {"id": f"bench-{i:05d}", "title": f"World news {i}", "body": _para(sents, rnd),
            "published_at": "2024-03-14T09:00:00Z", "kind": "conflict"}


def _para(sents: list[str], rnd: random.Random) -> str:
    out, cur = [], []
    for s in sents:
        cur.append(s)
        if len(cur) >= rnd.randint(2, 4):
            out.append(" ".join(cur))
            cur = []
    if cur:
        out.append(" ".join(cur))
    return "\n\n".join(out)


def stream(n: int, conflict_share: float = 0.2, seed: int = 7) -> list[dict]:
    rnd = random.Random(seed)
    return [conflict_article(rnd, i) if rnd.random() < conflict_share else non_conflict_article(rnd, i)
            for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--conflict-share", type=float, default=0.2)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    for a in stream(args.n, args.conflict_share, args.seed):
        sys.stdout.write(json.dumps(a) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
