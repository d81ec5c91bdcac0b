"""Alert engine: negotiation tracks, civilian-death incidents and windows -> CloudEvents alerts.

See README.md in this folder for the rules, incident joining, ids and the
replay guarantee.
"""

from .engine import AlertEngine
from .errors import AlertError, EventInvalid, RulesError
from .rules import Rule, Rules, load_rules

__all__ = ["AlertEngine", "AlertError", "EventInvalid", "Rule", "Rules", "RulesError", "load_rules"]
