"""The first mention of another concept in an entry's body becomes a link to it.

Authors may link explicitly with link(); any concept mentioned by its term, plural or
abbreviation and not linked yet gets a link at its first mention, titled with the
target's short definition (a tooltip). Mentions are found by looking up runs of one to a
few words in a dictionary of every concept's forms, so the cost grows with the amount of
text, not with the number of entries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from ..core.markdown import markdown_link
from ..core.model import Glossary

# Text that must not get a link inside it: links, code, headings, autolinks, attribute lists.
_PROTECTED = re.compile(
    r"\[[^\]]*\]\([^)]*\)"          # [text](target "title")
    r"|^(`{3,}|~{3,}).*?^\1"         # fenced code
    r"|(`+).+?\2"                    # code spans
    r"|\\\(.+?\\\)|\\\[.+?\\\]"        # formulas (TeX)
    r"|^#{1,6} .*$"                  # headings
    r"|<[^>\n]*>"                    # autolinks
    r"|\{[^}\n]*\}",                 # attribute lists
    re.DOTALL | re.MULTILINE,
)
_LINK_TARGET = re.compile(r"\]\(([a-z0-9-]+)\.md[\s)]")


_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Mentions:
    """How the concepts of one language are written: form -> entry id."""

    terms: Mapping[str, str]          # terms and plurals, lowercased: matched in any case
    abbreviations: Mapping[str, str]  # exact case: "MoE" is a concept, "moe" a Dutch word
    longest: int                      # most words in one form
    first_words: frozenset[str]       # lowercased first word of every form: most words start none


def mentions_for(glossary: Glossary, language: str) -> Mentions:
    terms: dict[str, str] = {}
    abbreviations: dict[str, str] = {}
    for entry in glossary.entries.values():
        translation = entry.translations[language]
        for form in (translation.term, translation.plural, *translation.forms):
            if form:
                terms.setdefault(form.lower(), entry.id)
        if translation.abbr:
            abbreviations.setdefault(translation.abbr, entry.id)
    forms = (*terms, *abbreviations)
    longest = max((len(_WORD.findall(form)) for form in forms), default=1)
    first_words = frozenset(words[0].lower() for words in map(_WORD.findall, forms) if words)
    return Mentions(terms, abbreviations, longest, first_words)


def changed_forms(before: Mentions, after: Mentions) -> frozenset[str]:
    """The forms, lowercased, that name another concept (or none) in `after` than in `before`.

    Linking reads the forms only by looking up runs of a text's words, so a text in
    which none of these occurs (`mentions_any`) is linked the same under both."""
    terms = {form for form in before.terms.keys() | after.terms.keys() if before.terms.get(form) != after.terms.get(form)}
    abbreviations = {form.lower() for form in before.abbreviations.keys() | after.abbreviations.keys()
                     if before.abbreviations.get(form) != after.abbreviations.get(form)}
    return frozenset(terms | abbreviations)


def mentions_any(text: str, forms: frozenset[str]) -> bool:
    """Whether any of `forms` (lowercased) occurs in `text`, in any case: a superset of what linking could match."""
    lowered = text.lower()
    return any(form in lowered for form in forms)


def _find_mentions(text: str, mentions: Mentions) -> list[tuple[int, int, str]]:
    """(start, end, entry id) of every mention, the longest form winning at each place."""
    words = [(match.start(), match.end()) for match in _WORD.finditer(text)]
    found = []
    i = 0
    while i < len(words):
        if text[words[i][0]:words[i][1]].lower() not in mentions.first_words:
            i += 1
            continue
        for count in range(min(mentions.longest, len(words) - i), 0, -1):
            start, end = words[i][0], words[i + count - 1][1]
            form = text[start:end]
            target = mentions.abbreviations.get(form) or mentions.terms.get(form.lower())
            if target:
                found.append((start, end, target))
                i += count
                break
        else:
            i += 1
    return found


def link_first_mentions(markdown: str, entry_id: str, mentions: Mentions, tooltips: Mapping[str, str]) -> str:
    """Link the first unlinked mention of each other concept in `markdown`."""
    masked = _PROTECTED.sub(lambda match: "\0" * len(match.group(0)), markdown)
    linked = set(_LINK_TARGET.findall(markdown)) | {entry_id}
    chosen = []
    for start, end, target in _find_mentions(masked, mentions):
        if target not in linked:
            linked.add(target)
            chosen.append((start, end, target))
    for start, end, target in reversed(chosen):
        markdown = markdown[:start] + markdown_link(markdown[start:end], f"{target}.md", tooltips.get(target)) + markdown[end:]
    return markdown
