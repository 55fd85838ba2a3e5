"""pydantic's validation errors, as located one-line problems an author can act on."""

from __future__ import annotations

from typing import Any, Sequence

from pydantic import BaseModel, ValidationError

from ..core.errors import Problem
from ..core.model import Translation
from .yamlfile import Location


def validate(model: type[BaseModel], data: Any, location: Location, lines: dict[Location, int],
              shown: str, problems: list[Problem], extra_names: Sequence[str] = ()) -> Any:
    """Validate `data` against `model`, turning each pydantic error into a located Problem."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            where = location + tuple(error["loc"])
            problems.append(Problem(shown, _nearest_line(where, lines), _explain(model, where, error, extra_names)))
    return None


def _nearest_line(location: Location, lines: dict[Location, int]) -> int | None:
    while location:
        if location in lines:
            return lines[location]
        location = location[:-1]
    return None


def _explain(model: type[BaseModel], location: Location, error: dict[str, Any], extra_names: Sequence[str]) -> str:
    field = ".".join(str(part) for part in location) or "file"
    kind = error["type"]
    if kind == "missing":
        hint = " (every language needs term, short and body)" if model is Translation else ""
        return f"{field}: missing{hint}"
    if kind == "extra_forbidden":
        valid = sorted(_fields_at(model, location[len(location) - len(error['loc']):-1])) + list(extra_names)
        return f"unknown field '{field}'; valid fields here: {', '.join(valid)}"
    if kind == "string_too_short":
        return f"{field}: must not be empty"
    if kind == "string_type":
        return f"{field}: must be text, not {_describe(error['input'])}"
    if kind in ("tuple_type", "list_type"):
        return f"{field}: must be a list, e.g. [a, b], not {_describe(error['input'])}"
    if kind == "model_type" or kind == "dict_type":
        return f"{field}: must be a mapping of fields, not {_describe(error['input'])}"
    if kind == "string_pattern_mismatch":
        return f"{field}: '{error['input']}' is not valid; {_pattern_hint(location)}"
    if kind in ("int_parsing", "int_type"):
        return f"{field}: must be a whole number, not '{error['input']}'"
    if kind in ("decimal_parsing", "decimal_type"):
        return f"{field}: must be a number, not '{error['input']}'"
    return f"{field}: {error['msg'][0].lower()}{error['msg'][1:]}"


def _fields_at(model: type[BaseModel], relative: Location) -> list[str]:
    current: Any = model
    for part in relative:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        annotation = info.annotation
        args = getattr(annotation, "__args__", ())
        current = next((a for a in args if isinstance(a, type) and issubclass(a, BaseModel)), annotation)
    return list(getattr(current, "model_fields", {}))


def _pattern_hint(location: Location) -> str:
    last = next((part for part in reversed(location) if isinstance(part, str)), "")
    if last == "result":
        return "write snippet.result, e.g. dense_layer.total"
    if last == "examples":
        return "write a snippet name: lowercase letters, digits and underscores"
    if last == "url":
        return "write a full http(s) URL, with no spaces, quotes or angle brackets"
    return "use a lowercase slug: letters a-z, digits and single hyphens, e.g. mixture-of-experts"


def short(text: str) -> str:
    return text if len(text) <= 40 else f"{text[:37]}..."


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'"
