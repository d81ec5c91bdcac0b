"""Alert rules: the packaged defaults merged with a user's YAML file and overrides.

Rules are data. A user adds a rule of a known kind (talks, incident, window) in
YAML without touching code; the engine evaluates every enabled rule of a kind.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Mapping

import yaml

from .errors import RulesError

SEVERITIES = ("info", "warning", "critical")
KINDS = ("talks", "incident", "window")
TALKS_STATES = ("collapsed", "resumed")


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    severity: str
    state: str | None = None          # talks: the state entered
    threshold: int | None = None      # incident / window: civilian deaths at or above
    window_hours: float | None = None  # window only
    countries: tuple[str, ...] = ()   # empty = every country
    regions: tuple[str, ...] = ()     # region prefixes ("SY/Daraa"); empty = every region

    def applies_to(self, region: str, country: str | None) -> bool:
        if self.countries and (country or "") not in self.countries:
            return False
        if self.regions and not any(region == r or region.startswith(r + "/") for r in self.regions):
            return False
        return True


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...]
    novelty: frozenset[str] = frozenset({"new"})
    modalities: frozenset[str] = frozenset({"asserted", "reported"})
    exclude_subtypes: frozenset[str] = frozenset({"unspecified"})
    min_confidence: float = 0.0
    join_days: int = 1
    retention_days: float = 30.0
    update_min_increase: float | None = 0.2
    grace_hours: float = 6.0
    keep_transitions: int = 20
    backfill_days: int = 3
    rearm_days: float = 14.0
    recent_hours: float = 48.0
    lead_chars: int = 300
    news_max_age_days: float = 30.0
    max_tracks: int = 32
    max_parties: int = 12
    keep_alerts: int = 16
    keep_event_ids: int = 500
    # Size bounds of table values (a value must stay far below Kafka's ~1 MB record limit).
    keep_sources: int = 50
    keep_reports: int = 20
    max_incidents_per_region: int = 1000
    max_text_chars: int = 500
    window_max_incidents: int = 500
    replay_keep_alerts: int = 3  # incidents and windows (replay.keep_alerts)
    config: dict = field(default_factory=dict, compare=False)  # the merged YAML, for display

    def of_kind(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind]

    @property
    def longest_window_hours(self) -> float:
        return max((r.window_hours or 0.0 for r in self.of_kind("window")), default=0.0)


def default_config() -> dict:
    text = resources.files(__package__).joinpath("default_rules.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def load_rules(path: str | None = None, overrides: Mapping[str, Any] | None = None) -> Rules:
    """Defaults, then the user's YAML file at ``path``, then ``overrides``.

    ``overrides`` is either nested like the YAML or flat with dotted keys
    (``{"rules.civilian-deaths-incident.threshold": "10"}``); string values are
    read as YAML scalars so environment strings get their natural types.
    """
    config = default_config()
    if path:
        try:
            with open(path, encoding="utf-8") as fh:
                user = yaml.safe_load(fh) or {}
        except OSError as exc:
            raise RulesError(f"cannot read rules file {path!r}: {exc}") from None
        except yaml.YAMLError as exc:
            raise RulesError(f"rules file {path!r} is not valid YAML: {exc}") from None
        if not isinstance(user, dict):
            raise RulesError(f"rules file {path!r} must hold a mapping at the top")
        config = deep_merge(config, user)
    if overrides:
        config = deep_merge(config, _expand_overrides(overrides))
    return rules_from_config(config)


def deep_merge(base: dict, extra: Mapping) -> dict:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _coerce(key: str, value):
    if isinstance(value, str):
        try:
            return yaml.safe_load(value) if value.strip() else value
        except yaml.YAMLError as exc:
            raise RulesError(f"override {key}={value!r} is not a YAML value: {exc}") from None
    if isinstance(value, Mapping):
        return {k: _coerce(f"{key}.{k}", v) for k, v in value.items()}
    return value


def _expand_overrides(overrides: Mapping[str, Any]) -> dict:
    nested: dict = {}
    for key, value in overrides.items():
        value = _coerce(str(key), value)
        parts = str(key).split(".")
        node = nested
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise RulesError(f"override {key!r} conflicts with another override")
        last = parts[-1]
        if isinstance(value, dict) and isinstance(node.get(last), dict):
            node[last] = deep_merge(node[last], value)
        else:
            node[last] = value
    return nested


def _number(section: dict, key: str, default, *, where: str, allow_none: bool = False):
    value = section.get(key, default)
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise RulesError(f"{where}.{key} must be a non-negative number, got {value!r}")
    return value


def _str_list(value, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(f"{where} must be a list of strings, got {value!r}")
    return tuple(value)


def rules_from_config(config: Mapping) -> Rules:
    if not isinstance(config, Mapping):
        raise RulesError("rules configuration must be a mapping")
    counting = config.get("counting") or {}
    incidents = config.get("incidents") or {}
    windows = config.get("windows") or {}
    tracks = config.get("tracks") or {}
    replay = config.get("replay") or {}
    raw_rules = config.get("rules") or {}
    if not isinstance(raw_rules, Mapping):
        raise RulesError("'rules' must be a mapping of rule id -> rule")
    rules = [_rule(str(rule_id), spec) for rule_id, spec in raw_rules.items() if _enabled(rule_id, spec)]
    # A sorted order keeps alert emission order independent of YAML key order.
    rules.sort(key=lambda r: (KINDS.index(r.kind), r.threshold or 0, r.window_hours or 0, r.id))
    return Rules(
        rules=tuple(rules),
        novelty=frozenset(_str_list(counting.get("novelty", ["new"]), "counting.novelty")),
        modalities=frozenset(_str_list(counting.get("modalities", ["asserted", "reported"]), "counting.modalities")),
        exclude_subtypes=frozenset(_str_list(counting.get("exclude_subtypes", ["unspecified"]), "counting.exclude_subtypes")),
        min_confidence=float(_number(counting, "min_confidence", 0.0, where="counting")),
        join_days=int(_number(incidents, "join_days", 1, where="incidents")),
        retention_days=float(_number(incidents, "retention_days", 30, where="incidents")),
        update_min_increase=_number(incidents, "update_min_increase", 0.2, where="incidents", allow_none=True),
        grace_hours=float(_number(windows, "grace_hours", 6, where="windows")),
        keep_transitions=max(1, int(_number(tracks, "keep_transitions", 20, where="tracks"))),
        backfill_days=int(_number(tracks, "backfill_days", 3, where="tracks")),
        rearm_days=float(_number(tracks, "rearm_days", 14, where="tracks")),
        recent_hours=float(_number(tracks, "recent_hours", 48, where="tracks")),
        lead_chars=int(_number(tracks, "lead_chars", 300, where="tracks")),
        news_max_age_days=float(_number(tracks, "news_max_age_days", 30, where="tracks")),
        max_tracks=max(1, int(_number(tracks, "max_tracks", 32, where="tracks"))),
        max_parties=max(2, int(_number(tracks, "max_parties", 12, where="tracks"))),
        keep_alerts=max(1, int(_number(tracks, "keep_alerts", 16, where="tracks"))),
        keep_event_ids=max(1, int(_number(replay, "keep_event_ids", 500, where="replay"))),
        keep_sources=max(1, int(_number(incidents, "keep_sources", 50, where="incidents"))),
        keep_reports=max(1, int(_number(incidents, "keep_reports", 20, where="incidents"))),
        max_incidents_per_region=max(1, int(_number(incidents, "max_per_region", 1000, where="incidents"))),
        max_text_chars=max(20, int(_number(incidents, "max_text_chars", 500, where="incidents"))),
        window_max_incidents=max(1, int(_number(windows, "max_incidents", 500, where="windows"))),
        replay_keep_alerts=max(1, int(_number(replay, "keep_alerts", 3, where="replay"))),
        config=copy.deepcopy(dict(config)),
    )


def _enabled(rule_id, spec) -> bool:
    if not isinstance(spec, Mapping):
        raise RulesError(f"rule {rule_id!r} must be a mapping, got {spec!r}")
    enabled = spec.get("enabled", True)
    if not isinstance(enabled, bool):
        raise RulesError(f"rule {rule_id!r}: enabled must be true or false")
    return enabled


def _rule(rule_id: str, spec: Mapping) -> Rule:
    where = f"rules.{rule_id}"
    kind = spec.get("kind")
    if kind not in KINDS:
        raise RulesError(f"{where}.kind must be one of {list(KINDS)}, got {kind!r}")
    severity = spec.get("severity", "warning")
    if severity not in SEVERITIES:
        raise RulesError(f"{where}.severity must be one of {list(SEVERITIES)}, got {severity!r}")
    known = {"kind", "severity", "enabled", "countries", "regions", "description"}
    known |= {"talks": {"state"}, "incident": {"threshold"}, "window": {"threshold", "window_hours"}}[kind]
    unknown = set(spec) - known
    if unknown:
        # A typo ("treshold") silently ignored would leave a user believing a rule is active.
        raise RulesError(f"{where} has unknown keys {sorted(unknown)} for kind {kind!r}")
    state = threshold = window_hours = None
    if kind == "talks":
        state = spec.get("state")
        if state not in TALKS_STATES:
            raise RulesError(f"{where}.state must be one of {list(TALKS_STATES)}, got {state!r}")
    else:
        threshold = spec.get("threshold")
        if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
            raise RulesError(f"{where}.threshold must be a positive integer, got {threshold!r}")
    if kind == "window":
        window_hours = spec.get("window_hours", 24)
        if isinstance(window_hours, bool) or not isinstance(window_hours, (int, float)) or window_hours <= 0:
            raise RulesError(f"{where}.window_hours must be a positive number, got {window_hours!r}")
        window_hours = float(window_hours)
    return Rule(
        id=rule_id,
        kind=kind,
        severity=severity,
        state=state,
        threshold=threshold,
        window_hours=window_hours,
        countries=_str_list(spec.get("countries"), f"{where}.countries"),
        regions=_str_list(spec.get("regions"), f"{where}.regions"),
    )
