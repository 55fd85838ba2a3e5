"""Entry text -> rendered Markdown, per language: templates run in the sandbox, first mentions linked.

Short definitions go first, so links in bodies carry their target's definition as a
tooltip. A language's texts depend on every entry of that language (any text may link
to any entry, and bodies link first mentions of every term), on every snippet result
and on every source: `text_keys` hashes exactly that, and a language whose key is in
the memo is not rendered again.
"""

from __future__ import annotations

import hashlib
from typing import Mapping

from ..core import numbers
from ..core.errors import Problem
from ..core.markdown import plain_text
from ..core.memo import Memo
from ..core.model import Entry, Glossary
from ..core.results import RenderedText, RenderedTexts, SnippetRun
from .autolink import link_first_mentions, mentions_for
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
        shared.update(f"\0{entry.id}\0{entry.path}\0{entry.facts.model_dump_json()}".encode())
    keys = {}
    for language in glossary.languages:
        digest = shared.copy()
        for entry in glossary.entries.values():
            digest.update(f"\0{entry.id}\0{entry.translations[language].model_dump_json()}".encode())
        keys[language] = digest.hexdigest()
    return keys


def render_texts(glossary: Glossary, runs: Mapping[str, SnippetRun], check: MarkupCheck, *,
                 memo: Memo[str, LanguageTexts] | None = None,
                 sandbox: Sandbox | None = None) -> tuple[RenderedTexts, list[Problem]]:
    """Every entry's term, short definition, body and aspects, rendered in every language.

    Each rendered text is checked as its page will show it (`check`). Only languages
    rendered without a problem are kept in `memo`.
    """
    keys = text_keys(glossary, runs)
    sandbox = sandbox or Sandbox()
    problems: list[Problem] = []
    by_language: dict[str, LanguageTexts] = {}
    for language in glossary.languages:
        key = f"{keys[language]}:{check.key}"
        known = memo.find(key) if memo is not None else None
        if known is None:
            known, found = _render_language(glossary, runs, language, sandbox)
            for entry_id, text in known.items():
                found += text_problems(glossary.entries[entry_id], language, text, check)
            problems += found
            if memo is not None and not found:
                memo.put(key, known)
        by_language[language] = known
    ordered = {(entry_id, language): by_language[language][entry_id]
               for entry_id in glossary.entries for language in glossary.languages
               if entry_id in by_language[language]}
    return RenderedTexts(ordered, keys), problems


def _render_language(glossary: Glossary, runs: Mapping[str, SnippetRun], language: str,
                     sandbox: Sandbox) -> tuple[dict[str, RenderedText], list[Problem]]:
    rendered: dict[tuple[str, str], str] = {}
    tooltips: dict[tuple[str, str], str] = {}
    problems: list[Problem] = []

    def render(entry: Entry, name: str, source: str) -> str | None:
        where = f"{language}.{name}"
        outcome = sandbox.render(source, text_functions(glossary, runs, entry, language, tooltips),
                                 path=entry.path, first_line=entry.line_of(f"{where}:text"), field=where)
        if isinstance(outcome, Problem):
            problems.append(outcome)
            return None
        return join_citations(outcome)

    for entry in glossary.entries.values():  # short definitions first: they are the tooltips of links
        short = render(entry, "short", entry.translations[language].short)
        if short is not None:
            rendered[entry.id, "short"] = short
            tooltips[entry.id, language] = plain_text(short)
    mentions = mentions_for(glossary, language)
    language_tooltips = {entry_id: tip for (entry_id, _), tip in tooltips.items()}
    for entry in glossary.entries.values():
        translation = entry.translations[language]
        fields = {"body": translation.body, **{f"aspects.{name}": text for name, text in translation.aspects.items()}}
        for name, source in fields.items():
            outcome = render(entry, name, source)
            if outcome is not None:
                if name == "body":
                    outcome = link_first_mentions(outcome, entry.id, mentions, language_tooltips)
                rendered[entry.id, name] = outcome
    texts = {}
    for entry in glossary.entries.values():
        translation = entry.translations[language]
        parts = {name: rendered.get((entry.id, name)) for name in ("short", "body")}
        aspects = {name: rendered.get((entry.id, f"aspects.{name}")) for name in translation.aspects}
        if None not in parts.values() and None not in aspects.values():
            texts[entry.id] = RenderedText(translation.term, parts["short"], parts["body"], aspects)
    return texts, problems


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
