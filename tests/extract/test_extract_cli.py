"""The ``extract`` and ``eval`` subcommands, run in-process with the session's Extractor."""

from __future__ import annotations

import argparse
import json

import pytest

from conflictwatch.cli import extract_cmds
from conflictwatch.config import Settings

STORY = ("Peace talks between the government and the rebels collapsed on Wednesday in Geneva. "
         "On Thursday, government warplanes struck the town of Saraqib in Idlib province, killing six civilians, "
         "including two women and three children, a monitor said.")


@pytest.fixture
def cli(extractor, monkeypatch):
    monkeypatch.setattr(extract_cmds, "_extractor", lambda settings: extractor)
    monkeypatch.setattr(extractor, "close", lambda: None)
    parser = argparse.ArgumentParser(prog="conflictwatch")
    extract_cmds.register(parser.add_subparsers(dest="command", required=True))

    def run(*argv):
        args = parser.parse_args(list(argv))
        return args.func(Settings(), args)
    return run


def test_extract_json(cli, tmp_path, capsys):
    p = tmp_path / "in.jsonl"
    p.write_text(json.dumps({"id": "s1", "body": STORY, "published_at": "2023-06-15T09:00:00Z"}) + "\n"
                 + json.dumps({"id": "s2", "body": "The bakery opened a second shop."}) + "\n", encoding="utf-8")
    assert cli("extract", str(p), "--json") == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["article_id"] for x in lines] == ["s1", "s2"]
    s = lines[0]["summary"]
    assert set(s) == {"talks_status", "civilian_deaths", "country", "place"}
    assert s["talks_status"] == ["collapsed"]
    assert lines[0]["events"] and all(e["article_id"] == "s1" for e in lines[0]["events"])
    assert lines[1] == {"article_id": "s2", "events": [],
                        "summary": {"talks_status": [], "civilian_deaths": None, "country": None, "place": None}}


def test_extract_table_from_txt(cli, tmp_path, capsys):
    p = tmp_path / "story.txt"
    p.write_text(STORY, encoding="utf-8")
    assert cli("extract", str(p)) == 0
    out = capsys.readouterr().out
    assert out.startswith("== story  talks: collapsed")
    assert "talks_collapsed" in out


def test_eval_reports_metrics_and_misses(cli, tmp_path, capsys):
    rows = [
        {"id": "e1", "published": "2023-06-15", "text": STORY,
         "labels": {"talks_status": "collapsed", "civilian_deaths": 6, "civilian_deaths_range": None,
                    "country": "Syria", "place": "Saraqib"}},
        {"id": "e2", "published": "2023-06-15", "text": "Peace talks with the rebels resumed on Monday in Oslo.",
         "labels": {"talks_status": "collapsed", "civilian_deaths": None, "civilian_deaths_range": None,
                    "country": "Colombia", "place": "Oslo"}},
    ]
    p = tmp_path / "lab.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert cli("eval", str(p), "--json") == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["articles"] == 2
    assert rep["talks"]["per_label"]["collapsed"]["tp"] == 1
    assert rep["talks"]["per_label"]["collapsed"]["fn"] == 1
    assert rep["talks"]["per_label"]["resumed"]["fp"] == 1
    miss = [m for m in rep["misses"] if m["article_id"] == "e2" and m["field"] == "talks_status"]
    assert miss and miss[0]["evidence"] and "resumed" in miss[0]["evidence"][0]["text"]


def test_missing_file_is_an_error_code(cli, tmp_path, capsys):
    assert cli("extract", str(tmp_path / "nope.jsonl")) == 2
    assert "error" in capsys.readouterr().err


def test_extract_skips_bad_records_reports_them_and_keeps_the_rest(cli, tmp_path, capsys):
    p = tmp_path / "mixed.jsonl"
    p.write_text(json.dumps({"id": "s1", "body": STORY, "published_at": "2023-06-15T09:00:00Z"}) + "\n"
                 + "{not json\n"
                 + json.dumps({"id": "nobody", "title": "no body"}) + "\n"
                 + json.dumps({"id": "s2", "body": "The bakery opened a second shop."}) + "\n", encoding="utf-8")
    assert cli("extract", str(p), "--json") == 1
    captured = capsys.readouterr()
    assert [json.loads(x)["article_id"] for x in captured.out.splitlines()] == ["s1", "s2"]
    assert "mixed:2" not in captured.out
    err = captured.err.splitlines()
    assert len(err) == 2 and "mixed.jsonl:2: not JSON" in err[0] and "no_body" in err[1]
