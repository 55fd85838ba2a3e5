"""The one way through: YAML + snippets -> validated glossary -> pages.

The MkDocs plugin and the `glossgen` command both call `build_glossary`; neither has a
copy of these steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from .entry_text import use_compiled_cache
from .errors import GlossaryError, Problem, display_path
from .lint import lint_glossary
from .load import read_glossary
from .model import Glossary
from .render import Page, PageRenderer, RenderedTexts, check_published, render_pages, render_texts
from .snippets import DEFAULT_TIMEOUT, SnippetRun, available_snippets, run_snippets, snippet_path


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
class ValidGlossary:
    """A glossary that passed every check, with its snippet results and rendered entry texts."""

    glossary: Glossary
    runs: Mapping[str, SnippetRun]
    texts: RenderedTexts


@dataclass(frozen=True)
class GlossaryBuild(ValidGlossary):
    pages: Sequence[Page]


def validate_glossary(settings: Settings, previous: ValidGlossary | None = None) -> ValidGlossary:
    """Load, lint, run snippets and render entry text, reporting every problem found at once.

    `previous`, a result of the same glossgen code, lends its rendered texts to every
    language whose inputs did not change.
    """
    use_compiled_cache(settings.cache_dir / "entry-text" if settings.cache_dir else None)
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
    if not problems:
        texts, problems = render_texts(glossary, runs, previous.texts if previous else None)
        problems += check_published(glossary, runs)
    if problems:
        raise GlossaryError(problems)
    return ValidGlossary(glossary, runs, texts)


def build_glossary(settings: Settings, renderer: PageRenderer | None = None,
                   previous: ValidGlossary | None = None) -> GlossaryBuild:
    valid = validate_glossary(settings, previous)
    pages = render_pages(valid.glossary, valid.runs, valid.texts, settings.default_language, renderer)
    return GlossaryBuild(valid.glossary, valid.runs, valid.texts, pages)
