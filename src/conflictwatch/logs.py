"""Structured (JSON lines) logging for the worker and the delivery service."""

from __future__ import annotations

import json
import logging
import logging.config
import time

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
# Never written, whatever a caller passes in ``extra``.
_SECRET_KEYS = {"secret", "api_key", "x-api-key", "authorization", "password", "token"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key.startswith("_"):
                continue
            out[key] = "[redacted]" if key.lower() in _SECRET_KEYS else value
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class RepeatFilter(logging.Filter):
    """Lets through ``burst`` warnings or errors per message template (logger, level,
    unformatted message) per ``window`` seconds and drops the rest; the next line that passes
    carries how many were dropped. A broker outage makes aiokafka and Faust repeat the
    same few errors many times a second; the log should say so, not drown in it."""

    def __init__(self, burst: int = 3, window: float = 10.0, clock=time.monotonic):
        super().__init__()
        self.burst, self.window, self.clock = burst, window, clock
        self._seen: dict[tuple, list] = {}  # key -> [window start, passed, dropped]

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:  # info lines are chosen, not repeated failures
            return True
        key = (record.name, record.levelno, str(record.msg))
        now = self.clock()
        state = self._seen.get(key)
        if state is None or now - state[0] >= self.window:
            dropped = state[2] if state else 0
            state = self._seen[key] = [now, 0, 0]
            if dropped:
                record.suppressed = dropped
        if state[1] >= self.burst:
            state[2] += 1
            return False
        state[1] += 1
        if len(self._seen) > 10_000:  # templates are few; a flood of unique ones must not grow this
            self._seen.clear()
        return True


def logging_config(level: str = "INFO", stream=None) -> dict:
    """JSON-lines logging as a dictConfig: applied by ``configure_logging`` and handed to
    runners that configure logging themselves (Faust's worker replaces the root handlers
    with its own otherwise). Kafka clients' chatter is kept at WARNING or above."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "filters": {"repeats": {"()": RepeatFilter}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["repeats"],
                                "stream": stream if stream is not None else "ext://sys.stderr"}},
        "root": {"level": level.upper(), "handlers": ["stderr"]},
        "loggers": {name: {"level": max(logging.getLevelName(level.upper()), logging.WARNING)}
                    for name in ("aiokafka", "kafka")},
    }


def configure_logging(level: str = "INFO", stream=None) -> None:
    logging.config.dictConfig(logging_config(level, stream))
