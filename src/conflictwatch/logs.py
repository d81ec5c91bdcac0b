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


def logging_config(level: str = "INFO", stream=None) -> dict:
    """JSON-lines logging as a dictConfig: applied by ``configure_logging`` and handed to
    runners that configure logging themselves (Faust's worker replaces the root handlers
    with its own otherwise). Kafka clients' chatter is kept at WARNING or above."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json",
                                "stream": stream if stream is not None else "ext://sys.stderr"}},
        "root": {"level": level.upper(), "handlers": ["stderr"]},
        "loggers": {name: {"level": max(logging.getLevelName(level.upper()), logging.WARNING)}
                    for name in ("aiokafka", "kafka")},
    }


def configure_logging(level: str = "INFO", stream=None) -> None:
    logging.config.dictConfig(logging_config(level, stream))
