"""Validated glossary + snippet results -> Markdown pages, one per entry and language.

Pages are plain Markdown with front matter; mkdocs-static-i18n reads the language from
the file name (`lora.md` for the default language, `lora.nl.md`, ...), so a link written
as `weights.md` resolves to the reader's language.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Iterator, Mapping

import icu
import yaml
from babel import Locale
from jinja2 import Environment, PackageLoader, StrictUndefined

from . import numbers
from .autolink import link_first_mentions, mentions_for
from .entry_text import markdown_link, render_text, source_label, text_functions
from .errors import Problem
from .model import Comparison, Entry, Glossary
from .snippets import SnippetRun
from .translation import State, glossary_status, translation_state


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
    aspects: Mapping[str, str] = field(default_factory=dict)


class RenderedTexts(Mapping[tuple[str, str], RenderedText]):
    """Every entry's rendered text by (entry id, language), with the key each language was rendered for."""

    def __init__(self, texts: Mapping[tuple[str, str], RenderedText], language_keys: Mapping[str, str]) -> None:
        self._texts = dict(texts)
        self.language_keys = dict(language_keys)

    def __getitem__(self, key: tuple[str, str]) -> RenderedText:
        return self._texts[key]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


def notebook_path(entry_id: str, language: str) -> str:
    """Where an entry's Jupyter notebook lives in the site, relative to its root."""
    return f"notebooks/{language}/{entry_id}.ipynb"


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
    # JSON strings are valid YAML: quick to write, and any text is safely quoted.
    environment.filters["front_matter"] = lambda data: "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}"
                                                                 for key, value in data.items())
    environment.filters["fence"] = _fence
    environment.filters["plain"] = plain_text
    environment.globals["link"] = markdown_link
    return environment


@cache
def _templates() -> Environment:
    return _environment()


class PageRenderer:
    """Renders pages through the templates, skipping pages whose inputs did not change.

    Each page's key is a hash of its template and of everything the template is given,
    so a page is rendered again exactly when something it shows changed. Kept across
    `mkdocs serve` rebuilds, it makes an edit re-render only the pages that depend on it.
    """

    def __init__(self) -> None:
        self._pages: dict[str, tuple[bytes, Page]] = {}
        self.rendered: list[str] = []

    @property
    def known(self) -> int:
        """How many pages it holds."""
        return len(self._pages)

    def page(self, path: str, template: str, **context: Any) -> Page:
        key = hashlib.sha256(f"{template}\0{sorted(context.items())!r}".encode()).digest()
        cached = self._pages.get(path)
        if cached and cached[0] == key:
            return cached[1]
        page = Page(path, _render(template, **context))
        self._pages[path] = (key, page)
        self.rendered.append(path)
        return page


def render_pages(glossary: Glossary, runs: Mapping[str, SnippetRun], texts: Mapping[tuple[str, str], RenderedText],
                 default_language: str, renderer: PageRenderer | None = None) -> list[Page]:
    """Every generated page of the site, from entry texts already rendered by `render_texts`."""
    renderer = renderer or PageRenderer()
    renderer.rendered = []
    pages: list[Page] = []
    for language in glossary.languages:
        name = lambda stem: page_name(stem, language, default_language)  # noqa: E731
        labels = labels_for(language)
        views = {entry_id: entry_view(glossary, runs, texts, entry, language, default_language)
                 for entry_id, entry in glossary.entries.items()}
        items = {entry_id: list_item(glossary, texts, entry_id, language) for entry_id in glossary.entries}
        for entry_id, view in views.items():
            pages.append(renderer.page(name(entry_id), "entry.md.j2", v=view, labels=labels))
        groups = alphabetical_groups([(item["term"], item) for item in items.values()], language)
        pages.append(renderer.page(name("index"), "index.md.j2", groups=groups, labels=labels))
        categories = [(category_id, category.texts[language], len(glossary.in_category(category_id)))
                      for category_id, category in glossary.categories.items()]
        pages.append(renderer.page(f"categories/{name('index')}", "categories.md.j2", categories=categories, labels=labels))
        for category_id, category in glossary.categories.items():
            members = sorted((items[entry.id] for entry in glossary.in_category(category_id)),
                             key=lambda item: collation_key(item["term"], language))
            pages.append(renderer.page(f"categories/{name(category_id)}", "category.md.j2",
                                       category=category.texts[language], items=members, labels=labels))
        ordered = [views[entry_id] for entry_id in sorted(views, key=lambda i: collation_key(items[i]["term"], language))]
        cited = sorted({source_id for view in ordered for source_id, _ in view["sources"]})
        pages.append(renderer.page(name("print"), "print.md.j2", views=ordered, labels=labels,
                                   sources=[(source_id, glossary.sources[source_id]) for source_id in cited]))
        pages.append(renderer.page(name("examples"), "examples.md.j2",
                                   examples=example_views(glossary, runs, items, language), labels=labels))
        statuses = status_rows(glossary, language, default_language)
        lagging = {entry_id for row in statuses for entry_id in row["status"].outdated}
        pages.append(renderer.page(name("translation-status"), "translation-status.md.j2", statuses=statuses,
                                   items={entry_id: items[entry_id] for entry_id in sorted(lagging)}, labels=labels))
        for comparison in glossary.comparisons.values():
            pages.append(renderer.page(f"comparisons/{name(comparison.id)}", "comparison.md.j2",
                                       **comparison_context(comparison, texts, language, labels)))
    return pages


def list_item(glossary: Glossary, texts: Mapping[tuple[str, str], RenderedText], entry_id: str,
              language: str) -> dict[str, str | None]:
    """What lists of concepts show of one: term, abbreviation, definition."""
    text = texts[entry_id, language]
    return {"id": entry_id, "term": text.term, "abbr": glossary.entries[entry_id].translations[language].abbr,
            "short": text.short, "tooltip": plain_text(text.short)}


def _render(template: str, **context: Any) -> str:
    return _templates().get_template(template).render(**context)


def text_keys(glossary: Glossary, runs: Mapping[str, SnippetRun]) -> dict[str, str]:
    """Per language, a hash of everything its rendered texts can depend on.

    An entry's text can show snippet results, link to any entry (term and definition) and
    cite sources, and its body links the first mention of every term, so the key covers
    every entry's facts and text in that language, every result and every source.
    """
    shared = hashlib.sha256(repr((sorted((name, sorted(run.results.items())) for name, run in runs.items()),
                                  sorted((source_id, source.model_dump_json()) for source_id, source
                                         in glossary.sources.items()))).encode())
    for entry in glossary.entries.values():
        shared.update(f"\0{entry.id}\0{entry.facts.model_dump_json()}".encode())
    keys = {}
    for language in glossary.languages:
        digest = shared.copy()
        for entry in glossary.entries.values():
            digest.update(f"\0{entry.id}\0{entry.translations[language].model_dump_json()}".encode())
        keys[language] = digest.hexdigest()
    return keys


def render_texts(glossary: Glossary, runs: Mapping[str, SnippetRun],
                 previous: RenderedTexts | None = None) -> tuple[RenderedTexts, list[Problem]]:
    """Run every entry's short and body templates in the sandbox, per language.

    Short definitions go first, so links in bodies carry their target's definition as
    tooltip. A language whose key (`text_keys`) equals the one in `previous` takes its
    texts from there.
    """
    keys = text_keys(glossary, runs)
    rendered: dict[tuple[str, str, str], str] = {}
    tooltips: dict[tuple[str, str], str] = {}
    problems: list[Problem] = []
    texts: dict[tuple[str, str], RenderedText] = {}
    for language in glossary.languages:
        if previous and getattr(previous, "language_keys", {}).get(language) == keys[language]:
            texts.update({(entry_id, language): previous[entry_id, language] for entry_id in glossary.entries})
            continue
        for entry in glossary.entries.values():  # short definitions first: they are the tooltips of links
            outcome = _render_field(glossary, runs, entry, language, "short", entry.translations[language].short,
                                    tooltips)
            if isinstance(outcome, Problem):
                problems.append(outcome)
            else:
                rendered[entry.id, language, "short"] = outcome
                tooltips[entry.id, language] = plain_text(outcome)
        mentions = mentions_for(glossary, language)
        language_tooltips = {entry_id: tip for (entry_id, tip_language), tip in tooltips.items() if tip_language == language}
        for entry in glossary.entries.values():
            translation = entry.translations[language]
            fields = {"body": translation.body, **{f"aspects.{name}": text for name, text in translation.aspects.items()}}
            for name, source in fields.items():
                outcome = _render_field(glossary, runs, entry, language, name, source, tooltips)
                if isinstance(outcome, Problem):
                    problems.append(outcome)
                    continue
                if name == "body":
                    outcome = link_first_mentions(outcome, entry.id, mentions, language_tooltips)
                rendered[entry.id, language, name] = outcome
        for entry in glossary.entries.values():
            translation = entry.translations[language]
            parts = {name: rendered.get((entry.id, language, name)) for name in ("short", "body")}
            aspects = {name: rendered.get((entry.id, language, f"aspects.{name}")) for name in translation.aspects}
            if None not in parts.values() and None not in aspects.values():
                texts[entry.id, language] = RenderedText(translation.term, parts["short"], parts["body"], aspects)
    ordered = {(entry_id, language): texts[entry_id, language]
               for entry_id in glossary.entries for language in glossary.languages if (entry_id, language) in texts}
    return RenderedTexts(ordered, keys), problems


def _render_field(glossary: Glossary, runs: Mapping[str, SnippetRun], entry: Entry, language: str, name: str,
                  source: str, tooltips: Mapping[tuple[str, str], str]) -> str | Problem:
    where = f"{language}.{name}"
    return render_text(source, text_functions(glossary, runs, entry, language, tooltips),
                       path=entry.path, first_line=entry.line_of(f"{where}:text"), field=where)


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


def entry_view(glossary: Glossary, runs: Mapping[str, SnippetRun], texts: Mapping[tuple[str, str], RenderedText],
               entry: Entry, language: str, default_language: str) -> dict[str, Any]:
    """Everything a template shows of one entry in one language."""
    text = texts[entry.id, language]
    published = []
    for figure in entry.facts.published:
        snippet, result = figure.result.split(".")
        published.append({
            "result": figure.result,
            "computed": numbers.exact(runs[snippet].results[result], language),
            "published": numbers.approx(figure.value, language, figure.digits),
            "source_id": figure.source,
            "source": source_label(glossary.sources[figure.source]),
            "agrees": figure.agrees,
        })
    return {
        "id": entry.id,
        "t": entry.translations[language],
        "text": text,
        "description": plain_text(text.short),
        "outdated": translation_state(entry, language, default_language) is State.OUTDATED,
        "category_id": entry.facts.category,
        "category": glossary.categories[entry.facts.category].texts[language],
        "related": [(other, {"term": texts[other, language].term, "tooltip": plain_text(texts[other, language].short)})
                    for other in glossary.related(entry.id)],
        "examples": [example_code(runs[name]) for name in entry.facts.examples],
        "published": published,
        "sources": [(source_id, glossary.sources[source_id]) for source_id in entry.facts.sources],
        "link_prefix": "",
        "notebook": f"../{notebook_path(entry.id, language)}",
    }


_SECTION_MARKER = re.compile(r"^\s*#\s*-+8<-+\s*\[(start|end):[\w-]+\]\s*$")


def example_code(run: SnippetRun) -> dict[str, str]:
    """A snippet as shown on a page: source without its embedding markers, and its output."""
    code = "\n".join(line for line in run.source.splitlines() if not _SECTION_MARKER.match(line)).rstrip()
    output = run.output.rstrip()
    return {"file": run.path.name, "code": code, "fence": _fence(code), "output": output, "output_fence": _fence(output)}


def example_views(glossary: Glossary, runs: Mapping[str, SnippetRun], items: Mapping[str, dict],
                  language: str) -> list[dict[str, Any]]:
    users: dict[str, list[str]] = {name: [] for name in runs}
    for entry in glossary.entries.values():
        for name in entry.facts.examples:
            users[name].append(entry.id)
    return [{
        "name": name,
        "file": run.path.name,
        "title": run_title(run),
        "used_by": [items[entry_id] for entry_id in users[name]],
        "results": [(result, numbers.exact(value, language)) for result, value in run.results.items()],
    } for name, run in sorted(runs.items())]


def run_title(run: SnippetRun) -> str:
    """First line of the snippet's docstring: what it computes."""
    try:
        docstring = ast.get_docstring(ast.parse(run.source)) or ""
    except SyntaxError:
        docstring = ""
    return docstring.strip().splitlines()[0] if docstring.strip() else ""


def comparison_context(comparison: Comparison, texts: Mapping[tuple[str, str], RenderedText], language: str,
                       labels: Mapping[str, str]) -> dict[str, Any]:
    columns = [(entry_id, texts[entry_id, language]) for entry_id in comparison.facts.entries]
    rows = [(labels["definition"], [_table_cell(text.short) for _, text in columns])]
    rows += [(labels[f"aspect_{aspect}"], [_table_cell(text.aspects[aspect]) for _, text in columns])
             for aspect in comparison.facts.aspects]
    return {"comparison": comparison.texts[language], "columns": columns, "rows": rows, "labels": labels}


def _table_cell(markdown: str) -> str:
    """Markdown fit for one table cell: on one line, with pipes escaped."""
    return " ".join(markdown.split()).replace("|", "\\|")


def status_rows(glossary: Glossary, language: str, default_language: str) -> list[dict[str, Any]]:
    """Translation status of every language, named in `language`."""
    return [{"name": Locale.parse(status.language).get_display_name(language).capitalize(), "status": status}
            for status in glossary_status(glossary, default_language)]


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
