"""publish / tail / replay with kafka-python on the real broker (no worker needed)."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone

import pytest

from conflictwatch import topics as T
from conflictwatch.cli.main import main
from conflictwatch.io import publish, read_records

pytestmark = pytest.mark.kafka


@pytest.fixture
def cli_env(topics, monkeypatch):
    for key, value in topics.to_env().items():
        monkeypatch.setenv(key, value)
    return topics


def raw_values(settings):
    return [m.value for m in read_records(settings.bootstrap_servers, settings.topic(T.ARTICLES_RAW), idle_timeout=1.0)]


def test_publish_folder_and_stdin_keep_malformed_lines(cli_env, tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Ceasefire holds in the north\n\nThe truce held for a third day.")
    (folder / "b.json").write_text(json.dumps({"id": "b", "body": "Shelling resumed at dawn."}))
    assert main(["publish", str(folder)]) == 0
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b'{"id": "c", "body": "x"}\nnot json\n\n')))
    assert main(["publish", "-"]) == 0
    values = raw_values(cli_env)
    assert len(values) == 4, "blank lines are skipped, malformed ones are sent for the worker's DLQ"
    by_id = {json.loads(v).get("id"): json.loads(v) for v in values if v != b"not json"}
    assert by_id["a"]["title"] == "Ceasefire holds in the north"
    assert b"not json" in values


def test_tail_prints_readable_and_json(cli_env, capsys):
    record = {"schema": "conflictwatch.dlq/1", "reason": "not_json", "detail": "bad",
              "source": {"topic": "x", "partition": 0, "offset": 7, "key": None}}
    publish(cli_env.bootstrap_servers, cli_env.topic(T.ARTICLES_DLQ), [json.dumps(record).encode()])
    assert main(["tail", "dlq"]) == 0
    assert "not_json" in capsys.readouterr().out
    assert main(["tail", "dlq", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.strip()) == record


def test_replay_from_offset_time_and_dlq(cli_env):
    publish(cli_env.bootstrap_servers, cli_env.topic(T.ARTICLES_RAW),
            [json.dumps({"id": f"r{i}", "body": f"text {i}"}).encode() for i in range(3)])
    assert main(["replay", "--offset", "0"]) == 0
    assert len(raw_values(cli_env)) == 6
    future = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()
    assert main(["replay", "--since", future]) == 0
    assert len(raw_values(cli_env)) == 6, "nothing was published after that time"

    original = json.dumps({"id": "fixed", "body": "now valid"})
    dlq = {"reason": "bad_field", "payload": original, "payload_encoding": "utf-8"}
    undecodable = {"reason": "not_utf8", "payload": "//8=", "payload_encoding": "base64"}
    publish(cli_env.bootstrap_servers, cli_env.topic(T.ARTICLES_DLQ),
            [json.dumps(dlq).encode(), json.dumps(undecodable).encode()])
    assert main(["replay", "--from-topic", "dlq", "--offset", "0"]) == 0
    values = raw_values(cli_env)
    assert len(values) == 7 and values.count(original.encode()) == 1


def test_publish_skips_a_line_over_the_kafka_limit_and_goes_on(cli_env, tmp_path, capsys):
    huge = json.dumps({"id": "huge", "body": "Fighting went on. " * 70_000})  # ~1.3 MB, over Kafka's 1 MB
    lines = [json.dumps({"id": "first", "body": "The convoy reached the city."}), huge,
             json.dumps({"id": "last", "body": "Aid workers returned on Friday."})]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n")
    assert main(["publish", str(source)]) == 1, "the exit status says something was skipped"
    err = capsys.readouterr().err
    assert f"skipped {source}:2" in err and "size limit" in err
    assert "Traceback" not in err
    assert "published 2 article(s)" in err and "skipped 1" in err
    assert sorted(json.loads(v)["id"] for v in raw_values(cli_env)) == ["first", "last"]
