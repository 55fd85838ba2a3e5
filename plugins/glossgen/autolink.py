"""The first mention of another concept in an entry's body becomes a link to it.

Authors may link explicitly with link(); any concept mentioned by its term, plural or
abbreviation and not linked yet gets a link at its first mention, titled with the
target's short definition (a tooltip). One regular expression per language finds every
mention in one pass, so the cost grows with the amount of text, not with the square of
the number of entries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from .entry_text import markdown_link
from .model import Glossary

# Text that must not get a link inside it: links, code, headings, autolinks, attribute lists.
_PROTECTED = re.compile(
    r"\[[^\]]*\]\([^)]*\)"          # [text](target "title")
    r"|^(`{3,}|~{3,}).*?^\1"         # fenced code
    r"|(`+).+?\2"                    # code spans
    r"|^#{1,6} .*$"                  # headings
    r"|<[^>\n]*>"                    # autolinks
    r"|\{[^}\n]*\}",                 # attribute lists
    re.DOTALL | re.MULTILINE,
)
_LINK_TARGET = re.compile(r"\]\(([a-z0-9-]+)\.md[\s)]")


@dataclass(frozen=True)
class Mentions:
    """How the concepts of one language are written, compiled for searching."""

    terms: re.Pattern | None          # terms and plurals, any case
    abbreviations: re.Pattern | None  # abbreviations, exact case ("MoE", not "moe")
    targets: Mapping[str, str]        # lowercased term or exact abbreviation -> entry id


def mentions_for(glossary: Glossary, language: str) -> Mentions:
    terms: dict[str, str] = {}
    abbreviations: dict[str, str] = {}
    for entry in glossary.entries.values():
        translation = entry.translations[language]
        for form in (translation.term, translation.plural):
            if form:
                terms.setdefault(form.lower(), entry.id)
        if translation.abbr:
            abbreviations.setdefault(translation.abbr, entry.id)
    return Mentions(_alternation(terms, re.IGNORECASE), _alternation(abbreviations, 0),
                    {**terms, **abbreviations})


def _alternation(forms: Mapping[str, str], flags: int) -> re.Pattern | None:
    if not forms:
        return None
    # Longest first, so "multi-head attention" wins over "attention".
    alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", flags)


def link_first_mentions(markdown: str, entry_id: str, mentions: Mentions, tooltips: Mapping[str, str]) -> str:
    """Link the first unlinked mention of each other concept in `markdown`."""
    masked = _PROTECTED.sub(lambda match: "\0" * len(match.group(0)), markdown)
    linked = set(_LINK_TARGET.findall(markdown)) | {entry_id}
    found = []
    for pattern, exact in ((mentions.terms, False), (mentions.abbreviations, True)):
        if pattern is not None:
            found += [(match.start(), match.end(), mentions.targets[match.group(0) if exact else match.group(0).lower()])
                      for match in pattern.finditer(masked)]
    chosen = []
    taken_until = -1
    for start, end, target in sorted(found):
        if target in linked or start < taken_until:
            continue
        linked.add(target)
        chosen.append((start, end, target))
        taken_until = end
    for start, end, target in reversed(chosen):
        markdown = markdown[:start] + markdown_link(markdown[start:end], f"{target}.md", tooltips.get(target)) + markdown[end:]
    return markdown
