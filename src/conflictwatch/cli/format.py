"""Human-readable one-liners for alerts, events and DLQ records."""

from __future__ import annotations

import json


def _short(text: str | None, width: int = 110) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def alert_line(alert: dict) -> str:
    data = alert.get("data") or {}
    evidence = next((e.get("sentence") for e in data.get("evidence") or [] if e.get("sentence")), "")
    line = f"[{alert.get('time', '')[:19]}] {alert.get('type', '?'):26} {data.get('severity', ''):8} {alert.get('subject', '')}: {data.get('summary', '')}"
    return line + (f"\n    evidence: \"{_short(evidence)}\"" if evidence else "")


def event_line(event: dict) -> str:
    q = event.get("quantity") or {}
    qty = f" n={q.get('best') if q.get('best') is not None else (q.get('low'), q.get('high'))}" if q else ""
    sub = f"/{event['subtype']}" if event.get("subtype") else ""
    when = (event.get("when") or {}).get("date") or ""
    return (f"{event.get('type', '?')}{sub:14} {event.get('modality', ''):11} {event.get('novelty', ''):10} "
            f"{event.get('region', ''):14} {when:10}{qty}  \"{_short((event.get('evidence') or {}).get('text'), 80)}\"")


def dlq_line(record: dict) -> str:
    src = record.get("source") or {}
    return f"{record.get('reason', '?'):22} {record.get('detail', '')}  (from {src.get('topic')}[{src.get('partition')}]@{src.get('offset')})"


FORMATTERS = {"alerts": alert_line, "events": event_line, "dlq": dlq_line, "events-dlq": dlq_line}


def render(kind: str, value: bytes, as_json: bool) -> str:
    if as_json:
        return value.decode("utf-8", "replace")
    try:
        return FORMATTERS[kind](json.loads(value))
    except (ValueError, TypeError, AttributeError):
        return value.decode("utf-8", "replace")
