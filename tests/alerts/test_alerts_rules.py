import pytest

from conflictwatch.alerts import RulesError, load_rules
from conflictwatch.errors import ConflictWatchError


def by_id(rules):
    return {r.id: r for r in rules.rules}


def test_documented_defaults():
    rules = load_rules()
    r = by_id(rules)
    assert r["civilian-deaths-incident"].threshold == 5
    assert r["civilian-deaths-window"].threshold == 20 and r["civilian-deaths-window"].window_hours == 24.0
    assert r["talks-collapsed"].state == "collapsed" and r["talks-resumed"].state == "resumed"
    assert rules.novelty == {"new"} and rules.modalities == {"asserted", "reported"}
    assert rules.join_days == 1


def test_user_file_adds_changes_and_disables(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "incidents:\n  join_days: 2\n"
        "rules:\n"
        "  civilian-deaths-incident:\n    threshold: 10\n"
        "  talks-resumed:\n    enabled: false\n"
        "  mass-casualty:\n    kind: incident\n    threshold: 50\n    severity: critical\n"
        "  week-window:\n    kind: window\n    window_hours: 168\n    threshold: 100\n"
    )
    rules = load_rules(str(path))
    r = by_id(rules)
    assert r["civilian-deaths-incident"].threshold == 10
    assert r["civilian-deaths-incident"].severity == "warning"  # untouched keys keep their defaults
    assert "talks-resumed" not in r
    assert r["mass-casualty"].severity == "critical"
    assert r["week-window"].window_hours == 168.0 and r["week-window"].severity == "warning"
    assert rules.join_days == 2
    assert rules.longest_window_hours == 168.0


def test_overrides_as_env_strings_and_nested():
    rules = load_rules(overrides={
        "rules.civilian-deaths-window.window_hours": "12",
        "counting.modalities": "[asserted]",
        "rules": {"new-one": {"kind": "talks", "state": "collapsed", "severity": "critical", "countries": "[YE]"}},
    })
    r = by_id(rules)
    assert r["civilian-deaths-window"].window_hours == 12.0
    assert rules.modalities == {"asserted"}
    assert r["new-one"].countries == ("YE",)
    assert r["new-one"].applies_to("YE/Taizz", "YE") and not r["new-one"].applies_to("SY/Daraa", "SY")


@pytest.mark.parametrize("yaml_text, message", [
    ("rules:\n  x:\n    kind: incident\n    treshold: 5\n", "unknown keys"),
    ("rules:\n  x:\n    kind: incident\n    threshold: 0\n", "positive integer"),
    ("rules:\n  x:\n    kind: sometimes\n", "kind"),
    ("rules:\n  x:\n    kind: talks\n    state: paused\n", "state"),
    ("rules:\n  x:\n    kind: window\n    threshold: 3\n    severity: urgent\n", "severity"),
    ("- just\n- a list\n", "mapping"),
    ("rules: [", "not valid YAML"),
])
def test_bad_rules_are_rejected_with_a_package_error(tmp_path, yaml_text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml_text)
    with pytest.raises(RulesError, match=message) as info:
        load_rules(str(path))
    assert isinstance(info.value, ConflictWatchError)


def test_missing_file_is_a_rules_error(tmp_path):
    with pytest.raises(RulesError, match="cannot read"):
        load_rules(str(tmp_path / "absent.yaml"))
