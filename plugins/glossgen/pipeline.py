"""The one way through: YAML + snippets -> validated glossary -> pages.

The MkDocs plugin and the `glossgen` command both call `build_glossary`; neither has a
copy of these steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from .errors import GlossaryError, Problem
from .lint import lint_glossary
from .load import read_glossary
from .model import Glossary
from .render import Page, render_pages
from .snippets import DEFAULT_TIMEOUT, SnippetRun, available_snippets, run_snippets, snippet_path
from .errors import display_path


@dataclass(frozen=True)
class Settings:
    """Where the inputs are and how to treat them; paths are absolute."""

    root: Path
    glossary_dir: Path
    snippets_dir: Path
    cache_dir: Path | None
    languages: Sequence[str]
    default_language: str
    snippet_timeout: float = DEFAULT_TIMEOUT


@dataclass(frozen=True)
class GlossaryBuild:
    glossary: Glossary
    runs: Mapping[str, SnippetRun]
    pages: Sequence[Page]


def validate_glossary(settings: Settings) -> tuple[Glossary, Mapping[str, SnippetRun]]:
    """Load, lint and run snippets, reporting every problem of every stage at once."""
    glossary, problems = read_glossary(settings.glossary_dir, settings.languages, settings.root)
    problems += lint_glossary(glossary)
    names = available_snippets(settings.snippets_dir)
    for entry in glossary.entries.values():
        for index, name in enumerate(entry.facts.examples):
            if name not in names:
                shown = display_path(snippet_path(settings.snippets_dir, name), settings.root)
                problems.append(Problem(entry.path, entry.line_of(f"examples.{index}"),
                                        f"example '{name}' has no snippet; add {shown} or fix the name"))
    try:
        runs = run_snippets(settings.snippets_dir, names, cache_dir=settings.cache_dir, root=settings.root,
                            timeout=settings.snippet_timeout)
    except GlossaryError as error:
        problems += error.problems
        runs = {}
    if problems:
        raise GlossaryError(problems)
    return glossary, runs


def build_glossary(settings: Settings) -> GlossaryBuild:
    glossary, runs = validate_glossary(settings)
    return GlossaryBuild(glossary, runs, render_pages(glossary, runs, settings.default_language))
