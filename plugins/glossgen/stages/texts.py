"""Entry text -> rendered Markdown, per language: templates run in the sandbox, first mentions linked.

Short definitions go first, so links in bodies carry their target's definition as a
tooltip. Each field is kept in the memo on its own, under a key over what it was
written from (its source, the entry's facts, every snippet result and source, the
site's Markdown), together with what it read of other entries while it was rendered:
the term and tooltip of every entry it linked to. A kept field is used again only if
those are still the same, so an edit renders again the fields it changed and the
fields that link to what it changed, and no others, however large the glossary.
First mentions are linked in a second step, kept under the rendered body and the
language's forms of every concept; the checks against the output allowlist are kept
under the text they checked.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Callable, Iterator, Mapping

from ..core import numbers
from ..core.errors import Problem
from ..core.markdown import plain_text
from ..core.memo import Memo, digest
from ..core.model import Entry, Glossary
from ..core.results import RenderedText, RenderedTexts, SnippetRun
from ..core.tex import protect_formulas
from .autolink import Mentions, changed_forms, link_first_mentions, mentions_any, mentions_for
from .markup import MarkupCheck, text_problems
from .sandbox import Sandbox, join_citations, text_functions

#: One language's rendered texts, by entry id.
LanguageTexts = Mapping[str, RenderedText]


def text_keys(glossary: Glossary, runs: Mapping[str, SnippetRun]) -> dict[str, str]:
    """Per language, a hash of everything its rendered texts can depend on."""
    shared = hashlib.sha256(repr((sorted((name, sorted(run.results.items())) for name, run in runs.items()),
                                  sorted((source_id, source.model_dump_json()) for source_id, source
                                         in glossary.sources.items()))).encode())
    for entry in glossary.entries.values():
        shared.update(f"\0{entry.id}\0{entry.path}\0{entry.facts_key}".encode())
    keys = {}
    for language in glossary.languages:
        digest = shared.copy()
        for entry in glossary.entries.values():
            digest.update(f"\0{entry.id}\0{entry.translation_keys[language]}".encode())
        keys[language] = digest.hexdigest()
    return keys


def render_texts(glossary: Glossary, runs: Mapping[str, SnippetRun], check: MarkupCheck, *,
                 memo: Memo[str, Any] | None = None,
                 sandbox: Sandbox | None = None) -> tuple[RenderedTexts, list[Problem]]:
    """Every entry's term, short definition, body and aspects, rendered in every language.

    Each rendered text is checked as its page will show it (`check`). Only fields
    rendered and checked without a problem are kept in `memo`.
    """
    keys = text_keys(glossary, runs)
    fields = FieldMemo(memo if memo is not None else Memo(), digest(_shared_inputs(glossary, runs), check.key))
    sandbox = sandbox or Sandbox()
    problems: list[Problem] = []
    by_language: dict[str, LanguageTexts] = {}
    for language in glossary.languages:
        whole = digest("language", fields.shared, language, keys[language])
        kept = fields.memo.find(whole)
        if kept is not None:  # nothing this language's texts read changed: all of them, as they were
            known, used = kept
            fields.keep(used)
            by_language[language] = known
            continue
        fields.used = []
        known, found = _render_language(glossary, runs, language, sandbox, fields)
        for entry_id, text in known.items():
            entry = glossary.entries[entry_id]
            key = digest("checked", fields.shared, language, entry_id, text.term, text.short, text.body,
                         repr(sorted(text.aspects.items())), entry.translation_keys[language])
            if fields.find_value(key) is None:
                checked = text_problems(entry, language, text, check)
                found += checked
                if not checked:
                    fields.put(key, True)
        if not found:
            fields.memo.put(whole, (known, tuple(fields.used)))
        problems += found
        by_language[language] = known
    ordered = {(entry_id, language): by_language[language][entry_id]
               for entry_id in glossary.entries for language in glossary.languages
               if entry_id in by_language[language]}
    return RenderedTexts(ordered, keys, rendered=fields.rendered), problems


class FieldMemo:
    """Rendered fields in the texts memo, each with the terms and tooltips it read of other entries.

    A language whose texts read nothing that changed is kept whole, with the keys of its
    fields (`used`), so that they stay in the memo for the next edit to that language."""

    def __init__(self, memo: Memo[str, Any], shared: str) -> None:
        self.memo, self.shared = memo, shared
        self.rendered: list[tuple[str, str, str]] = []  # (entry id, language, field) rendered in this run
        self.used: list[str] = []                       # the keys the language being rendered asked for

    def find(self, key: str, current: Callable[[str], tuple[str, str | None] | None]) -> Any | None:
        """The field kept under `key`, if every entry it read still reads the same (`current`)."""
        kept = self.find_read(key, current)
        return None if kept is None else kept[0]

    def find_read(self, key: str, current: Callable[[str], tuple[str, str | None] | None]) -> tuple | None:
        """`find`'s field together with what it read."""
        kept = self.find_value(key)
        if kept is None or any(current(entry_id) != seen for entry_id, seen in kept[1]):
            return None
        return kept

    def find_value(self, key: str) -> Any | None:
        self.used.append(key)
        return self.memo.find(key)

    def put(self, key: str, value: Any) -> None:
        self.used.append(key)
        self.memo.put(key, value)

    def keep(self, keys: tuple[str, ...]) -> None:
        """Keep the fields of a language taken whole in the memo, for the run after this one."""
        for key in keys:
            self.memo.find(key)


def _shared_inputs(glossary: Glossary, runs: Mapping[str, SnippetRun]) -> str:
    """What every text may read: every snippet result and every source."""
    return repr((sorted((name, sorted(run.results.items())) for name, run in runs.items()),
                 sorted((source_id, source.model_dump_json()) for source_id, source in glossary.sources.items())))


def _render_language(glossary: Glossary, runs: Mapping[str, SnippetRun], language: str,
                     sandbox: Sandbox, fields: FieldMemo) -> tuple[dict[str, RenderedText], list[Problem]]:
    rendered: dict[tuple[str, str], str] = {}
    tooltips: dict[tuple[str, str], str] = {}
    problems: list[Problem] = []

    def current(entry_id: str) -> tuple[str, str | None, tuple[str, ...]] | None:
        target = glossary.entries.get(entry_id)
        if target is None:
            return None
        return target.translations[language].term, tooltips.get((entry_id, language)), target.forms_of(language)

    def render(entry: Entry, name: str, source: str) -> str | None:
        where = f"{language}.{name}"
        key = digest("field", fields.shared, language, entry.id, entry.path, name, source, entry.facts_key)
        kept = fields.find(key, current)
        if kept is not None:
            return kept
        read: dict[str, tuple[str, str | None] | None] = {}
        reading = _Reading(tooltips, read, current)
        outcome = sandbox.render(source, text_functions(glossary, runs, entry, language, reading),
                                 path=entry.path, first_line=entry.line_of(f"{where}:text"), field=where)
        if isinstance(outcome, Problem):
            problems.append(outcome)
            return None
        output = protect_formulas(join_citations(outcome))
        fields.put(key, (output, tuple(read.items())))
        fields.rendered.append((entry.id, language, name))
        return output

    for entry in glossary.entries.values():  # short definitions first: they are the tooltips of links
        short = render(entry, "short", entry.translations[language].short)
        if short is not None:
            rendered[entry.id, "short"] = short
            tooltips[entry.id, language] = plain_text(short)
    mentions = mentions_for(glossary, language)
    forms = Forms.of(mentions, fields, digest("mentions", fields.shared, language))
    language_tooltips = {entry_id: tip for (entry_id, _), tip in tooltips.items()}
    for entry in glossary.entries.values():
        translation = entry.translations[language]
        sources = {"body": translation.body, **{f"aspects.{name}": text for name, text in translation.aspects.items()},
                   **({"usage": translation.usage} if translation.usage else {})}
        for name, source in sources.items():
            outcome = render(entry, name, source)
            if outcome is not None and name == "body":
                outcome = _linked(outcome, entry.id, mentions, forms, language_tooltips, fields, current)
            if outcome is not None:
                rendered[entry.id, name] = outcome
    texts = {}
    for entry in glossary.entries.values():
        translation = entry.translations[language]
        parts = {name: rendered.get((entry.id, name)) for name in ("short", "body")}
        aspects = {name: rendered.get((entry.id, f"aspects.{name}")) for name in translation.aspects}
        usage = rendered.get((entry.id, "usage"))
        if None not in parts.values() and None not in aspects.values() and (usage is not None or not translation.usage):
            texts[entry.id] = RenderedText(translation.term, parts["short"], parts["body"], aspects, usage)
    return texts, problems


class Forms:
    """A language's forms of every concept (`Mentions`), by key, and what changed since the last run's."""

    def __init__(self, key: str, before: str | None, changed: frozenset[str]) -> None:
        self.key, self.before, self.changed = key, before, changed

    @classmethod
    def of(cls, mentions: Mentions, fields: FieldMemo, slot: str) -> Forms:
        """The forms of `mentions`, compared with those the memo keeps in `slot` from the last run."""
        key = digest(repr(sorted(mentions.terms.items())), repr(sorted(mentions.abbreviations.items())))
        kept = fields.find_value(slot)
        fields.put(slot, (key, mentions))
        if kept is None or kept[0] == key:
            return cls(key, None, frozenset())
        return cls(key, kept[0], changed_forms(kept[1], mentions))

    def hold_for(self, made_under: str, body: str) -> bool:
        """Whether a body linked under the forms `made_under` is linked the same under these."""
        return made_under == self.key or (made_under == self.before and not mentions_any(body, self.changed))


def _linked(body: str, entry_id: str, mentions: Mentions, forms: Forms, tooltips: Mapping[str, str],
            fields: FieldMemo, current: Callable[[str], tuple[str, str | None] | None]) -> str:
    """`body` with its first mentions linked, kept under the body with the forms it was linked under.

    A body linked under the last run's forms is kept when none of the forms that changed
    since occurs in it, so a renamed term links again only the bodies that mention it."""
    key = digest("linked", body, entry_id)
    kept = fields.find_read(key, current)
    if kept is not None:
        (linked, made_under), read = kept
        if forms.hold_for(made_under, body):
            if made_under != forms.key:
                fields.put(key, ((linked, forms.key), read))
            return linked
    linked = link_first_mentions(body, entry_id, mentions, tooltips)
    targets = set(_LINKED.findall(linked)) - set(_LINKED.findall(body))
    fields.put(key, ((linked, forms.key), tuple((target, current(target)) for target in sorted(targets))))
    return linked


_LINKED = re.compile(r"\]\(([a-z0-9-]+)\.md[\s)]")


class _Reading(Mapping[tuple[str, str], str]):
    """The tooltips, noting every entry a text reads through them (and so, through link(), its term)."""

    def __init__(self, tooltips: Mapping[tuple[str, str], str], read: dict, current: Callable) -> None:
        self.tooltips, self.read, self.current = tooltips, read, current

    def __getitem__(self, key: tuple[str, str]) -> str:
        self.read[key[0]] = self.current(key[0])
        return self.tooltips[key]

    def get(self, key, default=None):  # noqa: ANN001, ANN201 - Mapping's signature
        self.read[key[0]] = self.current(key[0])
        return self.tooltips.get(key, default)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.tooltips)

    def __len__(self) -> int:
        return len(self.tooltips)


def check_published(glossary: Glossary, runs: Mapping[str, SnippetRun]) -> list[Problem]:
    """A published figure must exist as a result and agree (or disagree) as the entry says."""
    problems = []
    for entry in glossary.entries.values():
        for index, figure in enumerate(entry.facts.published):
            snippet, name = figure.result.split(".")
            line = entry.line_of(f"published.{index}")
            computed = runs[snippet].results.get(name) if snippet in runs else None
            if computed is None:
                problems.append(Problem(entry.path, line, f"published.{index}.result: no snippet result '{figure.result}'"))
                continue
            agrees = numbers.round_significant(computed, figure.digits) == figure.value
            if agrees != figure.agrees:
                state = "agrees with" if agrees else "differs from"
                problems.append(Problem(entry.path, line,
                                        f"published figure {figure.value} for {figure.result} now {state} the computed "
                                        f"{computed} at {figure.digits} significant digits; check the snippet or set "
                                        f"agrees: {str(agrees).lower()}"))
    return problems
