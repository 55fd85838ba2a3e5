"""The words generated pages use around entry text (labels.yml), per language."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Mapping

import yaml


@cache
def labels() -> Mapping[str, Mapping[str, str]]:
    """labels.yml as shipped with the package; read once, never changed."""
    text = resources.files("glossgen").joinpath("labels.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def labels_for(language: str) -> dict[str, str]:
    return {key: values.get(language, values["en"]) for key, values in labels().items()}
