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
from datetime import date
from functools import cached_property
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from babel import Locale
from babel.dates import format_date
from jinja2 import Environment, PackageLoader, StrictUndefined

from ..core import numbers
from ..core.collation import alphabetical_groups, collation_key
from ..core.labels import Labels
from ..core.markdown import fence, markdown_link, plain_text, table_cell
from ..core.memo import Memo, MemoBytecodeCache, digest
from ..core.model import Comparison, Entry, Glossary
from ..core.results import Page, RenderedText, RenderedTexts, SnippetRun
from ..core.urls import notebook_path, page_name
from . import diagrams
from .sandbox import source_label
from .translation import LanguageStatus, State, glossary_status, translation_state


class PageRenderer:
    """Renders pages through the templates, taking from `memo` every page whose inputs did not change.

    Each page's key is a hash of its path, its template and everything the template is
    given, so a page is rendered again exactly when something it shows changed.
    `rendered` lists the pages rendered anew.
    """

    def __init__(self, memo: Memo[str, Page] | None = None, templates: Memo[str, bytes] | None = None) -> None:
        self.memo = memo if memo is not None else Memo()
        self.rendered: list[str] = []
        self._recording: list[list[str]] = []  # the page keys used inside each `grouped` under way
        # `templates` keeps the compiled templates from one build to the next (Jinja checks their source).
        self.environment = Environment(loader=PackageLoader("glossgen", "templates"), undefined=StrictUndefined,
                                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                                       autoescape=False,
                                       bytecode_cache=MemoBytecodeCache(templates) if templates is not None else None)
        # JSON strings are valid YAML: quick to write, and any text is safely quoted.
        self.environment.filters["front_matter"] = lambda data: "\n".join(
            f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in data.items())
        self.environment.filters["fence"] = fence
        self.environment.filters["plain"] = plain_text
        self.environment.globals["link"] = markdown_link
        if templates is not None:  # every template, used or not by this build, stays compiled for the next
            for name in self.environment.list_templates(extensions=["j2"]):
                self.environment.get_template(name)

    def page(self, path: str, template: str, **context: Any) -> Page:
        key = hashlib.sha256(f"{path}\0{template}\0{sorted(context.items())!r}".encode()).hexdigest()
        self._note(key)
        return self.memo.get(key, lambda: self._render(path, template, context))

    def keyed_page(self, path: str, template: str, key: str, context: Callable[[], Mapping[str, Any]]) -> Page:
        """A page whose caller keys it by everything its `context()` is made from, so that a page taken
        from the memo costs no context at all."""
        page_key = digest(path, template, key)
        self._note(page_key)
        return self.memo.get(page_key, lambda: self._render(path, template, context()))

    def keyed_pages(self, key: str, specs: Callable[[], Iterable[tuple[str, str, str, Callable[[], Mapping[str, Any]]]]]
                    ) -> list[Page]:
        """Pages made together, under one `key` over all that any of them reads; `specs()` gives each one's
        path, template, own key and context, as for `keyed_page`."""
        return self.grouped(key, lambda: [self.keyed_page(*spec) for spec in specs()])

    def grouped(self, key: str, make: Callable[[], list[Page]]) -> list[Page]:
        """The pages `make()` renders, kept together under one `key` over all that any of them reads, so that a
        hit costs none of their keys or contexts. The key of every page made inside stays in the memo as well:
        when `key` changes, only the pages whose own key changed are rendered again."""
        kept = self.memo.find(key)
        if kept is not None:
            self.keep(key)
            pages, keys = kept
        else:
            self._recording.append([])
            try:
                made = make()
            finally:
                keys = tuple(self._recording.pop())
            pages = tuple(made)
            self.memo.put(key, (pages, keys))
        self._note(key, *keys)
        return list(pages)

    def keep(self, key: str) -> None:
        """Keep in the memo, for a later build, the pages made under `key` by `grouped`, if there are any."""
        kept = self.memo.find(key)
        if kept is not None:
            for page_key in kept[1]:
                self.memo.find(page_key)

    def find(self, slot: str) -> Any | None:
        """A value other than a page kept in the memo under `slot`, kept with the pages of the group being made."""
        self._note(slot)
        return self.memo.find(slot)

    def put(self, slot: str, value: Any) -> None:
        self._note(slot)
        self.memo.put(slot, value)

    def _note(self, *keys: str) -> None:
        if self._recording:
            self._recording[-1].extend(keys)

    def _render(self, path: str, template: str, context: Mapping[str, Any]) -> Page:
        self.rendered.append(path)
        return Page(path, self.environment.get_template(template).render(**context))


def render_pages(glossary: Glossary, runs: Mapping[str, SnippetRun], texts: RenderedTexts,
                 all_labels: Mapping[str, Labels], default_language: str, renderer: PageRenderer | None = None,
                 changes: Mapping[str, date] | None = None, *, print_pages: bool = True) -> list[Page]:
    """Every generated page of the site, from entry texts already rendered by `render_texts`.

    `changes` holds when each entry file last changed (by its path), for the pages to say so.
    Without `print_pages`, the whole-glossary page of each language is left out.
    """
    renderer = renderer or PageRenderer()
    changes = changes or {}
    pages: list[Page] = []
    statuses = glossary_status(glossary, default_language)
    titles: dict[str, str] = {}  # each snippet's title, read from its source when a page first needs it
    # What a language's pages read besides its texts and its entry pages' key: an edit to another language
    # costs that language's pages nothing, not even their keys (but for its translation status, shown everywhere).
    shared = digest(repr(statuses), repr(sorted(glossary.comparisons.items())))
    for language in glossary.languages:
        status = next(status for status in statuses if status.language == language)
        keys = EntryKeys(glossary, runs, texts, language, default_language, status, dict(all_labels[language]),
                         renderer)
        # one key over what every entry page of the language reads: a change to a page of the language's own
        # (the A-Z index, a category) renders again none of its entry pages
        entry_key = digest("entry pages", texts.language_keys[language], keys.key_of_language(changes))
        key = digest(entry_key, shared)
        views = LanguageViews(glossary, runs, texts, language, default_language, changes)
        pages += renderer.grouped(digest("language pages", key), lambda language=language, keys=keys, views=views,
                                  entry_key=entry_key: (
            _language_pages(all_labels[language], renderer, keys, entry_key, views, statuses, titles)))
        if print_pages:
            pages += renderer.grouped(digest("print page", key), lambda language=language, views=views: [
                _print_page(all_labels[language], renderer, views)])
        else:  # deferred: kept for the build that makes it, if the language does not change before then
            renderer.keep(digest("print page", key))
    return pages


class LanguageViews:
    """What the pages of one language show of its entries, each made when a page first needs it."""

    def __init__(self, glossary: Glossary, runs: Mapping[str, SnippetRun], texts: RenderedTexts, language: str,
                 default_language: str, changes: Mapping[str, date]) -> None:
        self.glossary, self.runs, self.texts, self.changes = glossary, runs, texts, changes
        self.language, self.default_language = language, default_language
        self.views: dict[str, dict[str, Any]] = {}

    def name(self, stem: str) -> str:
        return page_name(stem, self.language, self.default_language)

    @cached_property
    def items(self) -> dict[str, dict[str, str | None]]:
        return {entry_id: list_item(self.glossary, self.texts, entry_id, self.language)
                for entry_id in self.glossary.entries}

    def view(self, entry: Entry) -> dict[str, Any]:
        if entry.id not in self.views:
            self.views[entry.id] = entry_view(self.glossary, self.runs, self.texts, entry, self.language,
                                              self.default_language, self.changes.get(entry.path), self.items)
        return self.views[entry.id]


def _language_pages(words: Labels, renderer: PageRenderer, keys: EntryKeys, entry_key: str, views: LanguageViews,
                    statuses: Sequence[LanguageStatus], titles: dict[str, str]) -> list[Page]:
    """Every generated page of one language but its whole-glossary page (`entry_key`: its entry pages' key)."""
    glossary, runs, language, name, items = views.glossary, views.runs, views.language, views.name, views.items
    labels = dict(words)

    def entry_pages() -> Iterator[tuple[str, str, str, Callable[[], Mapping[str, Any]]]]:
        for entry in glossary.entries.values():
            yield (name(entry.id), "entry.md.j2", keys.key(entry, views.changes.get(entry.path)),
                   lambda entry=entry: {"v": views.view(entry), "labels": labels})

    pages = renderer.keyed_pages(entry_key, entry_pages)
    groups = alphabetical_groups([(item["term"], item) for item in items.values()], language)
    pages.append(renderer.page(name("index"), "index.md.j2", groups=groups, labels=labels,
                               total=words.count("concept_count", len(items))))
    categories = [(category_id, category.texts[language], words.count("concept_count", len(glossary.in_category(category_id))))
                  for category_id, category in glossary.categories.items()]
    pages.append(renderer.page(f"categories/{name('index')}", "categories.md.j2", categories=categories, labels=labels))
    for category_id, category in glossary.categories.items():
        members = sorted((items[entry.id] for entry in glossary.in_category(category_id)),
                         key=lambda item: collation_key(item["term"], language))
        pages.append(renderer.page(f"categories/{name(category_id)}", "category.md.j2",
                                   category=category.texts[language], items=members, labels=labels))
    using = repr([(entry.id, entry.facts.examples, items[entry.id]) for entry in glossary.entries.values()
                  if entry.facts.examples])
    pages.append(renderer.keyed_page(name("examples"), "examples.md.j2",
                                     digest(keys.labels, repr(sorted(keys.runs.items())), using),
                                     lambda: {"examples": example_views(glossary, runs, items, language,
                                                                        titles or _titles(runs, titles)),
                                              "labels": labels}))
    rows = status_rows(statuses, language)
    lagging = {entry_id for row in rows for entry_id in (*row["status"].outdated, *row["status"].unfinished)}
    pages.append(renderer.page(name("translation-status"), "translation-status.md.j2", statuses=rows,
                               items={entry_id: items[entry_id] for entry_id in sorted(lagging)}, labels=labels))
    for comparison in glossary.comparisons.values():
        pages.append(renderer.page(f"comparisons/{name(comparison.id)}", "comparison.md.j2",
                                   **comparison_context(comparison, views.texts, language, labels)))
    return pages


def _print_page(words: Labels, renderer: PageRenderer, views: LanguageViews) -> Page:
    """The whole-glossary page of one language: every entry, in its alphabetical order."""
    glossary, items, language = views.glossary, views.items, views.language
    ordered = [views.view(glossary.entries[entry_id])
               for entry_id in sorted(glossary.entries, key=lambda i: collation_key(items[i]["term"], language))]
    cited = sorted({source_id for view in ordered for source_id, _ in view["sources"]})
    return renderer.page(views.name("print"), "print.md.j2", views=ordered, labels=dict(words),
                         sources=[(source_id, glossary.sources[source_id]) for source_id in cited])


def list_item(glossary: Glossary, texts: Mapping[tuple[str, str], RenderedText], entry_id: str,
              language: str) -> dict[str, str | None]:
    """What lists of concepts show of one: term, abbreviation, definition."""
    text = texts[entry_id, language]
    return {"id": entry_id, "term": text.term, "abbr": glossary.entries[entry_id].translations[language].abbr,
            "short": text.short, "tooltip": plain_text(text.short)}


class EntryKeys:
    """The keys of one language's entry pages: a digest of everything `entry_view` reads for an entry, and so
    of everything its page shows. What entries share (sources, categories, snippets) is made once.

    Each key is kept in the renderer's memo with the very values it was made from (the entry, its text, its
    related entries' texts, its state and date, and what all entries share), so an entry whose values equal
    those of the last run gets its key back without hashing: an edit costs the other entries of its language a
    comparison of objects that are, but for the edited entry's, the same ones."""

    def __init__(self, glossary: Glossary, runs: Mapping[str, SnippetRun],
                 texts: Mapping[tuple[str, str], RenderedText], language: str, default_language: str,
                 status: LanguageStatus, labels: Mapping[str, str], renderer: PageRenderer) -> None:
        self.glossary, self.texts = glossary, texts
        self.language, self.default_language = language, default_language
        self.states = status.states()
        self.labels = repr(sorted(labels.items()))
        self.sources = {source_id: repr(source) for source_id, source in glossary.sources.items()}
        self.categories = {category_id: repr(category.texts[language])
                           for category_id, category in glossary.categories.items()}
        self.runs = {name: digest(run.path.name, run.source, run.output, repr(sorted(run.results.items())))
                     for name, run in runs.items()}
        self.renderer = renderer
        # what every entry's key reads alike: the labels, the languages, the sources, categories and snippets
        self.shared = digest(self.labels, language, default_language, repr(sorted(self.sources.items())),
                             repr(sorted(self.categories.items())), repr(sorted(self.runs.items())))

    def key_of_language(self, changes: Mapping[str, date]) -> str:
        """With the language's text key (render_texts), everything `key` reads for any of its entries."""
        return digest(self.shared, repr(sorted((entry_id, state.value) for entry_id, state in self.states.items())),
                      repr(sorted((path, day.isoformat()) for path, day in changes.items())))

    def key(self, entry: Entry, changed: date | None) -> str:
        text = self.texts[entry.id, self.language]
        related = tuple(self.texts[other, self.language] for other in self.glossary.related(entry.id))
        made_from = (self.shared, entry, text, related, self.states[entry.id], changed)
        slot = f"entry page key\0{self.language}\0{entry.id}"
        kept = self.renderer.find(slot)
        if kept is not None and kept[0] == made_from:
            return kept[1]
        key = self._key(entry, text, changed)
        self.renderer.put(slot, (made_from, key))
        return key

    def _key(self, entry: Entry, text: RenderedText, changed: date | None) -> str:
        facts = entry.facts
        parts = [self.labels, entry.path, entry.facts_key, entry.translation_keys[self.language], self.language,
                 self.default_language, self.states[entry.id].value, text.term, text.short, text.body,
                 repr(sorted(text.aspects.items())), self.categories[facts.category],
                 repr([(other, self.texts[other, self.language].term, self.texts[other, self.language].short)
                       for other in self.glossary.related(entry.id)]),  # a related entry's term and tooltip
                 changed.isoformat() if changed else ""]
        for name in sorted({*facts.examples, *(figure.result.split(".")[0] for figure in facts.published)}):
            parts += [name, self.runs[name]]
        for source_id in sorted({*facts.sources, *(figure.source for figure in facts.published)}):
            parts += [source_id, self.sources[source_id]]
        return digest(*parts)


def computed_figure(value: int | float, language: str, digits: int) -> str:
    """A computed figure beside a published one: every digit, or past 10^15 two digits more than the paper gives."""
    if abs(value) < numbers.SCIENTIFIC_FROM:
        return numbers.exact(value, language)
    return numbers.scientific(value, language, digits + 2)


def entry_view(glossary: Glossary, runs: Mapping[str, SnippetRun], texts: Mapping[tuple[str, str], RenderedText],
               entry: Entry, language: str, default_language: str, changed: date | None = None,
               items: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """Everything a template shows of one entry in one language (`items`: the language's `list_item`s, if made)."""
    text = texts[entry.id, language]
    items = items if items is not None else {other: list_item(glossary, texts, other, language)
                                             for other in (entry.id, *glossary.related(entry.id))}
    published = []
    for figure in entry.facts.published:
        snippet, result = figure.result.split(".")
        published.append({
            "result": figure.result,
            "computed": computed_figure(runs[snippet].results[result], language, figure.digits),
            "published": numbers.approx(figure.value, language, figure.digits),
            "source_id": figure.source,
            "source": source_label(glossary.sources[figure.source]),
            "agrees": figure.agrees,
        })
    return {
        "id": entry.id,
        "t": entry.translations[language],
        "text": text,
        "description": items[entry.id]["tooltip"],
        "outdated": translation_state(entry, language, default_language) is State.OUTDATED,
        "category_id": entry.facts.category,
        "category": glossary.categories[entry.facts.category].texts[language],
        "related": [(other, {"term": items[other]["term"], "tooltip": items[other]["tooltip"]})
                    for other in glossary.related(entry.id)],
        "examples": [example_code(runs[name]) for name in entry.facts.examples],
        "published": published,
        "diagram": diagrams.entry_diagram(entry, language),
        "sources": [(source_id, glossary.sources[source_id]) for source_id in entry.facts.sources],
        "link_prefix": "",
        "notebook": f"../{notebook_path(entry.id, language)}" if entry.facts.examples else None,
        "changed": {"iso": changed.isoformat(), "text": format_date(changed, format="long", locale=language)}
                   if changed else None,
    }


_SECTION_MARKER = re.compile(r"^\s*#\s*-+8<-+\s*\[(start|end):[\w-]+\]\s*$")


def example_code(run: SnippetRun) -> dict[str, str]:
    """A snippet as shown on a page: source without its embedding markers, and its output."""
    code = "\n".join(line for line in run.source.splitlines() if not _SECTION_MARKER.match(line)).rstrip()
    output = run.output.rstrip()
    return {"file": run.path.name, "code": code, "fence": fence(code), "output": output, "output_fence": fence(output)}


def example_views(glossary: Glossary, runs: Mapping[str, SnippetRun], items: Mapping[str, dict],
                  language: str, titles: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    titles = titles if titles is not None else {name: run_title(run) for name, run in runs.items()}
    users: dict[str, list[str]] = {name: [] for name in runs}
    for entry in glossary.entries.values():
        for name in entry.facts.examples:
            users[name].append(entry.id)
    return [{
        "name": name,
        "file": run.path.name,
        "title": titles[name],
        "used_by": [items[entry_id] for entry_id in users[name]],
        "results": [(result, numbers.exact(value, language)) for result, value in run.results.items()],
    } for name, run in sorted(runs.items())]


def _titles(runs: Mapping[str, SnippetRun], titles: dict[str, str]) -> dict[str, str]:
    titles.update((name, run_title(run)) for name, run in runs.items())
    return titles


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
    rows = [(labels["definition"], [table_cell(text.short) for _, text in columns])]
    rows += [(labels[f"aspect_{aspect}"], [table_cell(text.aspects[aspect]) for _, text in columns])
             for aspect in comparison.facts.aspects]
    return {"comparison": comparison.texts[language], "columns": columns, "rows": rows, "labels": labels}


def status_rows(statuses: Sequence[LanguageStatus], language: str) -> list[dict[str, Any]]:
    """Translation status of every language (`glossary_status`), named in `language`."""
    return [{"name": Locale.parse(status.language).get_display_name(language).capitalize(), "status": status}
            for status in statuses]
