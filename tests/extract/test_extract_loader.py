"""Reading articles from JSONL, the labelled corpus format, .json, .txt and folders."""

from __future__ import annotations

import json

import pytest

from conflictwatch.extract.loader import LoadError, iter_records, load_articles


def test_jsonl_of_articles(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text(json.dumps({"id": "x1", "body": "Rebels shelled the town.", "published_at": "2023-05-01T08:00:00Z"})
                 + "\n\n" + json.dumps({"body": "Second article."}) + "\n", encoding="utf-8")
    arts = load_articles(p)
    assert [a.id for a in arts] == ["x1", "a:3"]
    assert arts[0].published_at.startswith("2023-05-01")
    assert arts[1].published_at is None


def test_labelled_corpus_format(tmp_path):
    p = tmp_path / "dev.jsonl"
    rec = {"id": "d1", "source": "https://example.org/story", "published": "2020-02-14", "title": "T",
           "text": "T\nBody of the story.", "labels": {"talks_status": "none", "civilian_deaths": None}}
    p.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    (r,) = list(iter_records(p))
    assert r.article.body == "T\nBody of the story."
    assert r.article.published_at.startswith("2020-02-14")
    assert r.article.url == "https://example.org/story"
    assert r.labels == {"talks_status": "none", "civilian_deaths": None}


def test_txt_json_and_folder(tmp_path):
    (tmp_path / "b.txt").write_text("A plain text article.", encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps([{"body": "one"}, {"body": "two"}]), encoding="utf-8")
    (tmp_path / "skip.md").write_text("ignored", encoding="utf-8")
    arts = load_articles(tmp_path)
    assert [a.body for a in arts] == ["one", "two", "A plain text article."]
    assert arts[2].id == "b"


def test_bad_inputs_raise_load_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json}\n", encoding="utf-8")
    with pytest.raises(LoadError):
        load_articles(bad)
    nobody = tmp_path / "nobody.jsonl"
    nobody.write_text(json.dumps({"id": "z"}) + "\n", encoding="utf-8")
    with pytest.raises(LoadError):
        load_articles(nobody)
    with pytest.raises(LoadError):
        load_articles(tmp_path / "missing.jsonl")


def test_bad_records_collected_when_asked(tmp_path):
    p = tmp_path / "mixed.jsonl"
    p.write_text("{not json}\n" + json.dumps({"id": "ok", "body": "Text."}) + "\n" + json.dumps({"id": "z"}) + "\n",
                 encoding="utf-8")
    skipped = []
    assert [r.article.id for r in iter_records(p, skipped)] == ["ok"]
    assert [type(e) for e in skipped] == [LoadError, LoadError]
    assert "no_body" in str(skipped[1])
