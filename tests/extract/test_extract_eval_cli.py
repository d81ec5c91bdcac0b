"""``eval`` over several files: news and ACLED formats detected per file, month-only dates, --scores-only."""

from __future__ import annotations

import argparse
import json

import pytest

from conflictwatch.cli import extract_cmds
from conflictwatch.config import Settings

NEWS = {"id": "n1", "published": "2022-03", "title": None,
        "text": "Gunmen stormed the village of Kurmin Dangana in Kaduna state on Sunday, killing five villagers, "
                "police said.",
        "labels": {"talks_status": "none", "civilian_deaths": 5, "civilian_deaths_range": None,
                   "country": "Nigeria", "place": "Kurmin Dangana"}}
ACLED = [
    {"id": "acled-T1", "source": "acled", "published_at": "2020-05-03T12:00:00Z", "title": "", "language": "en",
     "body": "On 3 May 2020, gunmen shot dead four farmers in Kurmin Dangana village, Kauru LGA, Kaduna state. "
             "4 fatalities.",
     "gold": {"event_type": "Violence against civilians", "civilian_targeting": True, "fatalities": 4,
              "country": "Nigeria", "country_iso2": "NG", "admin1": "Kaduna", "admin2": "Kauru", "admin3": "",
              "location": "Kurmin Dangana"}},
    {"id": "acled-T2", "source": "acled", "published_at": "2020-05-04T12:00:00Z", "title": "", "language": "en",
     "body": "On 4 May 2020, soldiers clashed with militants near Gao. 3 militants were killed. 3 fatalities.",
     "gold": {"event_type": "Battles", "civilian_targeting": False, "fatalities": 3, "country": "Mali",
              "country_iso2": "ML", "admin1": "Gao", "admin2": "Gao", "admin3": "", "location": "Gao"}},
]


@pytest.fixture
def cli(extractor, monkeypatch):
    monkeypatch.setattr(extract_cmds, "_extractor", lambda settings: extractor)
    monkeypatch.setattr(extractor, "close", lambda: None)
    parser = argparse.ArgumentParser(prog="conflictwatch")
    extract_cmds.register(parser.add_subparsers(dest="command", required=True))
    return lambda *argv: (lambda a: a.func(Settings(), a))(parser.parse_args(list(argv)))


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_one_report_per_file_with_format_detected(cli, tmp_path, capsys):
    news = _write(tmp_path / "news.jsonl", [NEWS])
    acled = _write(tmp_path / "acled.jsonl", ACLED)
    assert cli("eval", news, acled, "--json") == 0
    reps = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(r["file"], r["format"], r["articles"]) for r in reps] == [(news, "news", 1), (acled, "acled", 2)]
    a = reps[1]
    assert a["civilian_exact"]["total"] == 1 and a["civilian_missed"]["total"] == 1
    assert a["battle_as_civilian"]["total"] == 1 and a["country"]["total"] == 2
    assert "misses" in a


def test_table_and_scores_only(cli, tmp_path, capsys):
    acled = _write(tmp_path / "acled.jsonl", ACLED)
    assert cli("eval", acled, "--limit", "1") == 0
    out = capsys.readouterr().out
    assert out.startswith(f"== {acled} (acled, 1 records)")
    assert "battles reported as civilian deaths" in out and "-  0/0" in out
    assert cli("eval", acled, "--scores-only", "--json") == 0
    assert "misses" not in json.loads(capsys.readouterr().out)


def test_unlabelled_file_is_an_error(cli, tmp_path, capsys):
    plain = _write(tmp_path / "plain.jsonl", [{"id": "p", "body": "Nothing labelled here."}])
    assert cli("eval", plain) == 2
    assert "no records" in capsys.readouterr().err
