"""`eval --alerts` end to end: invented labelled articles through the real worker on the test broker.

Two labels are wrong on purpose (a collapse labelled "none", a budget story labelled
"resumed"), so the run must report one false and one missed alert, by article id; the
in-process mode must agree with the Kafka run.
"""

from __future__ import annotations

import json
import os

import pytest

from conflictwatch.cli.main import main

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


def _lab(talks="none", deaths=None):
    return {"talks_status": talks, "civilian_deaths": deaths, "civilian_deaths_range": None, "country": None,
            "place": None}


ROWS = [
    # Published out of order on purpose: the run sorts by date (e6 is month-only: the end of March 2024).
    {"id": "e6", "published": "2024-03", "labels": _lab("none"),
     "text": "Peace talks between the Colombian government and the ELN rebels collapsed on Friday in Mexico City, "
             "the mediators said."},
    {"id": "e1", "published": "2022-04-06", "labels": _lab("collapsed"),
     "text": "Peace talks between the Colombian government and the ELN rebels collapsed on Tuesday in Havana, "
             "negotiators said."},
    {"id": "e2", "published": "2022-09-14", "labels": _lab("resumed"),
     "text": "Peace talks between the Colombian government and the ELN rebels resumed on Monday in Caracas after "
             "a five-month break."},
    {"id": "e3", "published": "2022-10-02", "labels": _lab("none", 9),
     "text": "Gunmen stormed the village of Kurmin Dangana in Kaduna state, Nigeria, on Saturday, killing nine "
             "villagers, police said."},
    {"id": "e4", "published": "2022-10-20", "labels": _lab("resumed"),
     "text": "The city council approved a new budget for road repairs on Thursday."},
    {"id": "e5", "published": None, "labels": _lab("none", 2),
     "text": "Two civilians were killed when a shell hit a house in the town of Bakhmut, Ukraine, on Sunday, "
             "officials said."},
]


@pytest.fixture
def labelled(settings, tmp_path, monkeypatch):
    for key, value in settings.to_env().items():
        monkeypatch.setenv(key, value)
    path = tmp_path / "labelled.jsonl"
    path.write_text("".join(json.dumps({**r, "title": None}) + "\n" for r in ROWS), encoding="utf-8")
    return str(path)


def _run(capsys, *argv) -> dict:
    assert main(["eval", "--alerts", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_eval_alerts_on_the_worker_matches_in_process(labelled, capsys):
    rep = _run(capsys, labelled, "--timeout", "300")
    assert rep["mode"] == "kafka" and rep["articles"] == 6 and rep["threshold"] == 5
    pt = rep["per_type"]
    c, r, i = pt["talks.collapsed"], pt["talks.resumed"], pt["civilian_deaths.incident"]
    assert (c["alerts"], c["true"], c["false"], c["found"], c["missed"]) == (2, 1, 1, 1, 0)
    assert (r["alerts"], r["true"], r["false"], r["found"], r["missed"]) == (1, 1, 0, 1, 1)
    assert (i["alerts"], i["true"], i["false"], i["found"], i["missed"]) == (1, 1, 0, 1, 0)
    assert [(f["type"], f["article_ids"]) for f in rep["false"]] == [("talks.collapsed", ["e6"])]
    assert rep["missed"] == [{"article_id": "e4", "type": "talks.resumed"}]
    from kafka import KafkaAdminClient
    admin = KafkaAdminClient(bootstrap_servers=os.environ["CONFLICTWATCH_BOOTSTRAP_SERVERS"])
    try:
        left = [t for t in admin.list_topics() if ".eval-" in t or "-eval-" in t]
    finally:
        admin.close()
    assert not [t for t in left if t.startswith(os.environ["CONFLICTWATCH_TOPIC_PREFIX"] + "eval-")], left
    local = _run(capsys, labelled, "--in-process")
    assert local["mode"] == "in-process"
    for key in ("per_type", "all", "false", "missed", "by_prefix"):
        assert local[key] == rep[key], key
