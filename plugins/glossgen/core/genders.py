"""Grammatical genders per language (genders.yml, and a site's additions): data, not code."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Mapping

import yaml

from .errors import Problem

#: TBX-Basic's grammaticalGender values.
TBX_GENDERS = ("masculine", "feminine", "neuter", "other")


@cache
def _shipped() -> Mapping[str, Mapping[str, str]]:
    """genders.yml as shipped with the package; read once, never changed."""
    text = resources.files("glossgen").joinpath("genders.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def gender_table(extra: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, dict[str, str]]:
    """Each gendered language's values -> TBX-Basic value; a site's languages replace glossgen's."""
    table = {language: dict(values) for language, values in _shipped().items()}
    for language, values in (extra or {}).items():
        table[str(language)] = {str(value): str(tbx) for value, tbx in (values or {}).items()}
    return table


def gender_problems(extra: Mapping[str, object], where: str) -> list[Problem]:
    """What is wrong with a site's `genders` option, one problem per value."""
    problems = []
    for language, values in extra.items():
        if not isinstance(values, Mapping) or not values:
            problems.append(Problem(where, None, f"genders.{language}: give each gender value with its TBX-Basic "
                                                 f"value, e.g. {{un: masculine, o: feminine}}"))
            continue
        for value, tbx in values.items():
            if tbx not in TBX_GENDERS:
                problems.append(Problem(where, None, f"genders.{language}.{value}: '{tbx}' is not a TBX-Basic "
                                                     f"gender; use one of {', '.join(TBX_GENDERS)}"))
    return problems
