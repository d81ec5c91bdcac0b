"""JSON Schemas (draft 2020-12) of the wire contracts: article, event, alert.

``load_schema(name)`` returns the schema as a dict (what ``conflictwatch schema
NAME`` prints); ``validate(name, obj)`` checks an object and raises
``SchemaInvalid`` naming the first offending path.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from importlib import resources

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from ..errors import ConflictWatchError

NAMES = ("article", "event", "alert")


class SchemaError(ConflictWatchError):
    """A schema name is unknown."""


class SchemaInvalid(ConflictWatchError):
    """An object does not follow its schema."""

    def __init__(self, name: str, path: str, message: str):
        super().__init__(f"{name} invalid at {path}: {message}")
        self.name = name
        self.path = path
        self.message = message


@lru_cache(maxsize=None)
def _schema_text(name: str) -> str:
    if name not in NAMES:
        raise SchemaError(f"unknown schema {name!r}; known: {', '.join(NAMES)}")
    return resources.files(__package__).joinpath(f"{name}.json").read_text(encoding="utf-8")


def load_schema(name: str) -> dict:
    return json.loads(_schema_text(name))


@lru_cache(maxsize=None)
def _validator(name: str) -> Draft202012Validator:
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    # Formats are documentation here; the schemas carry patterns for what must hold.
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate(name: str, obj) -> None:
    error = best_match(_validator(name).iter_errors(copy.deepcopy(obj)))
    if error is not None:
        path = "$" + "".join(f"[{p!r}]" if isinstance(p, str) else f"[{p}]" for p in error.absolute_path)
        raise SchemaInvalid(name, path, error.message)


def is_valid(name: str, obj) -> bool:
    return _validator(name).is_valid(obj)
