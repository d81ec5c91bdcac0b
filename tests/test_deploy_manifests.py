"""docker-compose.yml and deploy/ must agree with the topic declarations and the settings."""

from __future__ import annotations

import re
import shlex

import yaml

from conflictwatch.cli.main import build_parser
from conflictwatch.config import PREFIX, Settings
from conflictwatch.topics import ALL_TOPICS


def expected(partitions: int) -> dict[str, tuple[int, dict]]:
    s = Settings(partitions=partitions)
    return {t.full_name(s): (t.partitions(s), t.config) for t in ALL_TOPICS}


def test_compose_creates_every_declared_topic_with_its_layout(repo_root):
    compose = yaml.safe_load((repo_root / "docker-compose.yml").read_text())
    partitions = int(compose["services"]["worker"]["environment"]["CONFLICTWATCH_PARTITIONS"])
    script = compose["services"]["topics"]["command"][0]
    found = {}
    for line in script.splitlines():
        if "kafka-topics.sh" not in line:
            continue
        args = shlex.split(line)
        name = args[args.index("--topic") + 1]
        configs = dict(args[i + 1].split("=", 1) for i, a in enumerate(args) if a == "--config")
        found[name] = (int(args[args.index("--partitions") + 1]), configs)
    assert found == expected(partitions)
    assert compose["services"]["kafka"]["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"


def test_kubernetes_topics_match_declarations_and_config(repo_root):
    docs = [d for d in yaml.safe_load_all((repo_root / "deploy/k8s/topics.yaml").read_text()) if d]
    config = yaml.safe_load((repo_root / "deploy/k8s/config.yaml").read_text())["data"]
    found = {d["spec"]["topicName"]: (d["spec"]["partitions"], d["spec"]["config"]) for d in docs}
    assert found == expected(int(config["CONFLICTWATCH_PARTITIONS"]))


def test_manifests_use_only_known_settings_and_commands(repo_root):
    known = {PREFIX + name.upper() for name in Settings.__dataclass_fields__}
    config = yaml.safe_load((repo_root / "deploy/k8s/config.yaml").read_text())["data"]
    compose = yaml.safe_load((repo_root / "docker-compose.yml").read_text())
    used = set(config)
    for svc in ("worker", "serve"):
        used |= set(compose["services"][svc].get("environment", {}))
    assert used <= known, f"unknown settings: {used - known}"

    subcommands = set(build_parser()._subparsers._group_actions[0].choices)  # noqa: SLF001
    manifests = [compose["services"]["worker"]["command"], compose["services"]["serve"]["command"]]
    for doc in yaml.safe_load_all((repo_root / "deploy/k8s/worker.yaml").read_text()):
        if doc and doc["kind"] == "Deployment":
            manifests.append(doc["spec"]["template"]["spec"]["containers"][0]["command"])
    for command in manifests:
        assert command[0] == "conflictwatch" and command[1] in subcommands, command
    assert re.search(r"^CMD \[\"conflictwatch\", \"worker\"\]", (repo_root / "deploy/Dockerfile").read_text(), re.M)
