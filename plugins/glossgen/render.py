"""Validated glossary + snippet results -> Markdown pages, one per entry and language.

Pages are plain Markdown with front matter; mkdocs-static-i18n reads the language from
the file name (`lora.md` for the default language, `lora.nl.md`, ...), so a link written
as `weights.md` resolves to the reader's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Mapping

import icu
import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined

from . import numbers
from .entry_text import markdown_link, render_text, source_label, text_functions
from .errors import Problem
from .model import Entry, Glossary
from .snippets import SnippetRun


@dataclass(frozen=True)
class Page:
    """A generated page: its path inside the generated folder and its Markdown."""

    path: str
    content: str


@dataclass(frozen=True)
class RenderedText:
    term: str
    short: str
    body: str


def page_name(stem: str, language: str, default_language: str) -> str:
    return f"{stem}.md" if language == default_language else f"{stem}.{language}.md"


@cache
def labels() -> Mapping[str, Mapping[str, str]]:
    text = resources.files("glossgen").joinpath("labels.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def labels_for(language: str) -> dict[str, str]:
    return {key: values.get(language, values["en"]) for key, values in labels().items()}


def _environment() -> Environment:
    environment = Environment(loader=PackageLoader("glossgen", "templates"), undefined=StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)
    environment.filters["front_matter"] = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000).strip()
    environment.filters["fence"] = _fence
    environment.filters["plain"] = plain_text
    environment.globals["link"] = markdown_link
    return environment


@cache
def _templates() -> Environment:
    return _environment()


def render_pages(glossary: Glossary, runs: Mapping[str, SnippetRun], texts: Mapping[tuple[str, str], RenderedText],
                 default_language: str) -> list[Page]:
    """Every generated page of the site, from entry texts already rendered by `render_texts`."""
    pages: list[Page] = []
    for language in glossary.languages:
        name = lambda stem: page_name(stem, language, default_language)  # noqa: E731
        for entry in glossary.entries.values():
            pages.append(Page(name(entry.id), render_entry(glossary, runs, texts, entry, language)))
        pages.append(Page(name("index"), render_index(glossary, texts, language)))
        pages.append(Page(f"categories/{name('index')}", render_categories(glossary, texts, language)))
        for category_id in glossary.categories:
            pages.append(Page(f"categories/{name(category_id)}", render_category(glossary, texts, language, category_id)))
    return pages


def render_texts(glossary: Glossary, runs: Mapping[str, SnippetRun]) -> tuple[dict[tuple[str, str], RenderedText], list[Problem]]:
    """Run every entry's short and body templates in the sandbox, per language.

    Short definitions go first, so links in bodies carry their target's definition as tooltip.
    """
    rendered: dict[tuple[str, str, str], str] = {}
    tooltips: dict[tuple[str, str], str] = {}
    problems: list[Problem] = []
    for field in ("short", "body"):
        for entry in glossary.entries.values():
            for language, translation in entry.translations.items():
                where = f"{language}.{field}"
                outcome = render_text(getattr(translation, field), text_functions(glossary, runs, entry, language, tooltips),
                                      path=entry.path, first_line=entry.line_of(f"{where}:text"), field=where)
                if isinstance(outcome, Problem):
                    problems.append(outcome)
                    continue
                rendered[entry.id, language, field] = outcome
                if field == "short":
                    tooltips[entry.id, language] = plain_text(outcome)
    texts = {
        (entry.id, language): RenderedText(translation.term, rendered[entry.id, language, "short"], rendered[entry.id, language, "body"])
        for entry in glossary.entries.values() for language, translation in entry.translations.items()
        if (entry.id, language, "short") in rendered and (entry.id, language, "body") in rendered
    }
    return texts, problems


def check_published(glossary: Glossary, runs: Mapping[str, SnippetRun]) -> list[Problem]:
    """A published figure must exist as a result and agree (or disagree) as the entry says."""
    problems = []
    for entry in glossary.entries.values():
        for index, figure in enumerate(entry.facts.published):
            snippet, name = figure.result.split(".")
            line = entry.line_of(f"published.{index}")
            computed = runs.get(snippet).results.get(name) if snippet in runs else None
            if computed is None:
                problems.append(Problem(entry.path, line, f"published.{index}.result: no snippet result '{figure.result}'"))
                continue
            agrees = numbers.round_significant(computed, figure.digits) == figure.value
            if agrees != figure.agrees:
                state = "agrees with" if agrees else "differs from"
                problems.append(Problem(entry.path, line,
                                        f"published figure {figure.value} for {figure.result} now {state} the computed {computed} "
                                        f"at {figure.digits} significant digits; check the snippet or set agrees: {str(agrees).lower()}"))
    return problems


def render_entry(glossary: Glossary, runs: Mapping[str, SnippetRun], texts: Mapping[tuple[str, str], RenderedText],
                 entry: Entry, language: str) -> str:
    translation = entry.translations[language]
    text = texts[entry.id, language]
    category = glossary.categories[entry.facts.category].texts[language]
    related = [(other, texts[other, language]) for other in glossary.related(entry.id)]
    published = [{
        "result": figure.result,
        "computed": numbers.exact(runs[figure.result.split(".")[0]].results[figure.result.split(".")[1]], language),
        "published": numbers.approx(figure.value, language, figure.digits),
        "source_id": figure.source,
        "source": source_label(glossary.sources[figure.source]),
        "agrees": figure.agrees,
    } for figure in entry.facts.published]
    return _templates().get_template("entry.md.j2").render(
        entry=entry, t=translation, text=text, language=language, labels=labels_for(language),
        description=plain_text(text.short), category_id=entry.facts.category, category=category,
        related=related, examples=[runs[name] for name in entry.facts.examples], published=published,
        sources=[(source_id, glossary.sources[source_id]) for source_id in entry.facts.sources],
    )


def render_index(glossary: Glossary, texts: Mapping[tuple[str, str], RenderedText], language: str) -> str:
    groups = alphabetical_groups([(texts[entry_id, language].term, entry_id) for entry_id in glossary.entries], language)
    return _templates().get_template("index.md.j2").render(
        groups=groups, texts=texts, glossary=glossary, language=language, labels=labels_for(language))


def render_categories(glossary: Glossary, texts: Mapping[tuple[str, str], RenderedText], language: str) -> str:
    return _templates().get_template("categories.md.j2").render(
        glossary=glossary, language=language, labels=labels_for(language))


def render_category(glossary: Glossary, texts: Mapping[tuple[str, str], RenderedText], language: str,
                    category_id: str) -> str:
    entries = [(texts[e.id, language].term, e.id) for e in glossary.in_category(category_id)]
    ordered = [entry_id for _, entry_id in sorted(entries, key=lambda pair: collation_key(pair[0], language))]
    return _templates().get_template("category.md.j2").render(
        category=glossary.categories[category_id].texts[language], entry_ids=ordered, texts=texts,
        glossary=glossary, language=language, labels=labels_for(language))


@cache
def _collator(language: str) -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale(language))


def collation_key(text: str, language: str) -> bytes:
    return _collator(language).getSortKey(text)


def alphabetical_groups(items: list[tuple[str, Any]], language: str) -> list[tuple[str, list[Any]]]:
    """Group (term, value) pairs under the initial letters of `language`'s alphabet, in its order."""
    index = icu.AlphabeticIndex(icu.Locale(language))
    for position, (term, _) in enumerate(items):
        index.addRecord(term, position)
    groups: list[tuple[str, list[Any]]] = []
    while index.nextBucket():
        members = []
        while index.nextRecord():
            members.append(items[index.recordData])
        if members:
            members.sort(key=lambda pair: collation_key(pair[0], language))
            label = index.bucketLabel if index.bucketLabelType == icu.UAlphabeticIndexLabelType.NORMAL else "#"
            groups.append((label, [value for _, value in members]))
    return groups


_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def plain_text(markdown: str) -> str:
    """Markdown of one sentence as plain text, for meta descriptions and tooltips."""
    text = _MARKDOWN_LINK.sub(r"\1", markdown)
    return re.sub(r"[*_`]", "", text).strip()


def _fence(code: str) -> str:
    """A backtick fence longer than any run of backticks inside `code`."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    return "`" * max(3, longest + 1)
