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


def test_month_only_published_is_the_last_day_of_the_month(tmp_path):
    p = tmp_path / "m.jsonl"
    rows = [{"id": "m1", "published": "2023-02", "text": "Body one."},
            {"id": "m2", "published": "2024-02", "text": "Body two."},
            {"id": "m3", "published": "2023-08-07", "text": "Body three."},
            {"id": "m4", "published": None, "text": "Body four."}]
    p.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    recs = list(iter_records(p))
    assert [r.article.published_at[:10] for r in recs[:3]] == ["2023-02-28", "2024-02-29", "2023-08-07"]
    assert [r.published_precision for r in recs] == ["month", "month", "day", None]
    assert recs[3].article.published_at is None


def test_impossible_month_is_a_load_error(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text(json.dumps({"id": "b", "published": "2023-13", "text": "Body."}) + "\n", encoding="utf-8")
    with pytest.raises(LoadError):
        list(iter_records(p))


def test_acled_gold_is_kept_on_the_record(tmp_path):
    p = tmp_path / "acled.jsonl"
    rec = {"id": "acled-X1", "source": "acled", "published_at": "2020-05-09T12:00:00Z", "title": "",
           "body": "On 9 May 2020, gunmen killed two farmers near a village. 2 fatalities.", "language": "en",
           "gold": {"event_type": "Violence against civilians", "fatalities": 2, "country_iso2": "NG"}}
    p.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    (r,) = list(iter_records(p))
    assert r.labels is None and r.gold["fatalities"] == 2
    assert r.published_precision == "time" and r.article.published_at.startswith("2020-05-09T12:00")
