"""`conflictwatch serve` as a real process: starts on the configured broker,
serves the API, logs JSON lines without secrets, stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from delivery_testkit import free_port

pytestmark = pytest.mark.kafka

KEY = "cli-test-key-0123456789"
SECRET = "cli-test-secret-abcdefghij"


def _request(method: str, url: str, body: dict | None = None, headers: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_serve_command_runs_the_service_and_stops_on_sigterm(settings, tmp_path):
    keys = tmp_path / "keys.txt"
    keys.write_text(f"# one key per line\n{KEY}\n")
    port = free_port()
    env = {**os.environ, "CONFLICTWATCH_BOOTSTRAP_SERVERS": settings.bootstrap_servers,
           "CONFLICTWATCH_TOPIC_PREFIX": settings.topic_prefix, "CONFLICTWATCH_APP_ID": settings.app_id,
           "CONFLICTWATCH_HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "conflictwatch", "serve", "--port", str(port), "--api-keys-file", str(keys),
         "--allow-network", "127.0.0.1/32", "--retry-initial", "0.1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _ = _request("GET", base + "/readyz")
                if status == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "serve did not become ready"
            time.sleep(0.3)
        status, text = _request("POST", base + "/subscriptions",
                                {"url": "http://127.0.0.1:9/hook", "secret": SECRET}, {"X-API-Key": KEY})
        assert status == 201 and SECRET not in text
        status, _ = _request("GET", base + "/subscriptions?api_key=" + KEY)  # keys only in the header
        assert status == 401
        status, text = _request("GET", base + "/metrics")
        assert status == 200 and "cw_subscriptions 1.0" in text
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            out, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
    assert proc.returncode == 0, err
    lines = [line for line in err.splitlines() if line.startswith("{")]
    records = [json.loads(line) for line in lines]  # every structured line is valid JSON
    assert any(r["msg"] == "subscription created" for r in records)
    assert any(r["msg"] == "request" and r.get("path") == "/subscriptions" for r in records)
    assert SECRET not in out + err and KEY not in out + err
