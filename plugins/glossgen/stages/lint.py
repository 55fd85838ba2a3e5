"""Rules for entry text that YAML types cannot express.

- No raw HTML and no script URLs: entry text is Markdown written by contributors and
  must not put markup or code into readers' pages.
- No typed figures: a number of four or more digits, or a number with a scale word,
  belongs in a snippet and reaches the text through n() or approx(); an entry may allow
  a literal (a year) explicitly with `allow_numbers`.
- No variant that any concept declares `deprecated` in a language, in any text of that language.
"""

from __future__ import annotations

import re
import unicodedata
from importlib import resources
from typing import Iterator

import yaml

from ..core.errors import Problem
from ..core.memo import Memo, digest
from ..core.model import Entry, Glossary, Translation
from ..core.tex import FORMULA
from .scaffold import unfinished_fields

#: Fields rendered as running text: checked for typed figures and variants to avoid.
PROSE_FIELDS = ("short", "body", "usage")
#: Every text field of a translation: checked for markup that could reach a reader's browser.
TEXT_FIELDS = ("term", "abbr", "plural", "gender", "synonyms", "deprecated", "forms", "short", "body", "usage")

_TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_MARKDOWN_CODE = re.compile(r"^(`{3,}|~{3,})[^\n]*\n.*?^\1[ \t]*$|(`+)(?!`).+?(?<!`)\2(?!`)", re.DOTALL | re.MULTILINE)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])[^>]*>?")
_HTML_COMMENT = re.compile(r"<!--")
_SCRIPT_URL = re.compile(r"\]\(\s*<?\s*(javascript|vbscript|data):", re.IGNORECASE)
_BARE_SCRIPT_URL = re.compile(r"<\s*(javascript|vbscript|data):", re.IGNORECASE)
# Embeddings, overrides and isolates reorder the text a reader sees ("Trojan Source"); marks (U+200E/F) are harmless.
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
# pymdownx.snippets would paste another file into the page.
_SNIPPET_INCLUDE = re.compile(r"-{1,}8<-{1,}")
# Python-Markdown's attr_list turns "{: onclick=... }" or "{ .class }" into HTML attributes.
_ATTRIBUTE_LIST = re.compile(r"\{:?[ \t]*[.#]?[A-Za-z_][^{}\n]*\}")
_LONG_NUMBER = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:[,.'\u00a0\u202f ]\d{3})+|\d{4,})(?![\w])")
_SCALE_WORDS = (
    "thousand|million|millions|billion|billions|trillion|trillions|"
    "duizend|miljoen|miljoenen|miljard|miljarden|biljoen|biljoenen|triljoen|triljard|"
    "tusen|miljon|miljoner|miljarder|biljon|biljoner|triljon|triljoner|"
    "tausend|millionen|milliarde|milliarden|billionen"
)
_SCALED_NUMBER = re.compile(rf"\d+(?:[.,]\d+)?\s*(?:{_SCALE_WORDS})\b", re.IGNORECASE)


def lint_glossary(glossary: Glossary, memo: Memo[str, tuple[Problem, ...]] | None = None,
                  spelling: str = "en-US") -> list[Problem]:
    """Problems in every entry's text; `memo` holds them by the digest of the entry's file. `spelling` is the
    English convention the glossary holds to (en-US or en-GB; '' checks none)."""
    problems: list[Problem] = []
    convention = Spelling(spelling)
    for entry in glossary.entries.values():
        if memo is None or not entry.digest:
            problems.extend(lint_entry(entry, convention))
        else:  # an entry's problems follow from its file and the spelling convention alone
            problems.extend(memo.get(digest(entry.digest, spelling),
                                     lambda entry=entry: tuple(lint_entry(entry, convention))))
    return [*problems, *shared_term_problems(glossary), *avoided_variant_problems(glossary)]


class Spelling:
    """One English spelling convention (en-US or en-GB; anything else checks none), read from spelling.yml
    the first time an entry needs it."""

    def __init__(self, convention: str) -> None:
        self.convention = convention if convention in ("en-US", "en-GB") else ""
        self._pattern: tuple[re.Pattern[str], dict[str, str]] | None = None

    def pattern(self) -> tuple[re.Pattern[str], dict[str, str]]:
        if self._pattern is None:
            pairs = yaml.safe_load(resources.files("glossgen").joinpath("spelling.yml").read_text(encoding="utf-8"))
            wrong = {british: american for british, american in pairs.items()} if self.convention == "en-US" else \
                {american: british for british, american in pairs.items()}
            alternatives = "|".join(map(re.escape, sorted(wrong, key=len, reverse=True)))
            self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE), wrong
        return self._pattern

    def problems(self, entry: Entry) -> Iterator[Problem]:
        """Each word of the other convention in the entry's English prose, naming the one to write."""
        if not self.convention:
            return
        for language, translation in entry.translations.items():
            if language.split("-")[0].split("_")[0] != "en":
                continue
            pattern, wrong = self.pattern()
            for where, text, is_prose in _text_fields(language, translation):
                if not is_prose:
                    continue
                for match in pattern.finditer(_without_template_code(text)):
                    right = wrong[match.group(0).lower()]
                    right = right.capitalize() if match.group(0)[0].isupper() else right
                    other = "British" if self.convention == "en-US" else "American"
                    yield Problem(entry.path, _line(entry, where, match.start()),
                                  f"{where}: '{match.group(0)}' is {other} spelling, and the glossary spells English "
                                  f"as {self.convention}; write '{right}'")


def shared_term_problems(glossary: Glossary) -> Iterator[Problem]:
    """Two concepts may not have one term in one language (compared as Unicode NFC, in any case)."""
    for language in glossary.languages:
        seen: dict[str, Entry] = {}
        for entry in glossary.entries.values():
            translation = entry.translations.get(language)
            if translation is None:
                continue
            term = unicodedata.normalize("NFC", translation.term).casefold()
            first = seen.setdefault(term, entry)
            if first is not entry:
                yield Problem(entry.path, entry.line_of(f"{language}.term"),
                              f"{language}.term: '{translation.term}' is already the term of {first.path}; "
                              "each concept needs a term of its own in each language")


def lint_entry(entry: Entry, spelling: Spelling) -> Iterator[Problem]:
    yield from spelling.problems(entry)
    allowed = set(entry.facts.allow_numbers)
    for language, translation in entry.translations.items():
        for name in unfinished_fields(translation):
            where = f"{language}.{name}"
            yield Problem(entry.path, entry.line_of(f"{where}:text") or entry.line_of(where),
                          f"{where}: unfinished (it still holds what glossgen new wrote); write it", warning=True)
        for where, text, is_prose in _text_fields(language, translation):
            found = list(markup_problems(text))
            if not where.endswith(".body") and ".diagram." not in where and "\n" in text.strip():
                found.append((text.index("\n"), "must be one line (it is also shown inside lists, tables and "
                                                 "tooltips); join the lines"))
            if is_prose:
                found += figure_problems(text, allowed)
            for offset, message in sorted(found):
                yield Problem(entry.path, _line(entry, where, offset), f"{where}: {message}")


def _text_fields(language: str, translation: Translation) -> Iterator[tuple[str, str, bool]]:
    """(dotted field name, text, whether it is running prose) for every text of a translation."""
    for field in TEXT_FIELDS:
        value = getattr(translation, field)
        if isinstance(value, tuple):
            for index, text in enumerate(value):
                yield f"{language}.{field}.{index}", text, False
        elif value is not None:
            yield f"{language}.{field}", value, field in PROSE_FIELDS
    for aspect, text in translation.aspects.items():
        yield f"{language}.aspects.{aspect}", text, True
    for name, text in translation.diagram.items():
        yield f"{language}.diagram.{name}", text, False


def markup_problems(text: str) -> Iterator[tuple[int, str]]:
    """Raw HTML, script URLs, attribute lists and reordering controls: anything that could put code into a page
    or make it read other than it is.

    Code spans and fenced code are left out: Markdown shows their content as text.
    """
    for match in _BIDI_CONTROL.finditer(text):
        yield match.start(), (f"bidirectional control character U+{ord(match.group(0)):04X} is not allowed "
                              "(it reorders what readers see); remove it")
    text = _without_code(text)
    for match in _HTML_TAG.finditer(text):
        yield match.start(), f"raw HTML '{match.group(0)[:40]}' is not allowed; write Markdown instead"
    for match in _HTML_COMMENT.finditer(text):
        yield match.start(), "HTML comments are not allowed; remove the comment"
    for pattern in (_SCRIPT_URL, _BARE_SCRIPT_URL):
        for match in pattern.finditer(text):
            yield match.start(), f"'{match.group(1)}:' links are not allowed; link to an http(s) address"
    for match in _SNIPPET_INCLUDE.finditer(text):
        yield match.start(), "'--8<--' file includes are not allowed in entry text; list the snippet under examples"
    for match in _ATTRIBUTE_LIST.finditer(_without_template_code(text)):
        yield match.start(), f"attribute list '{match.group(0)[:40]}' is not allowed; remove it"


def figure_problems(text: str, allowed: set[str]) -> Iterator[tuple[int, str]]:
    """Figures typed into prose instead of taken from a snippet."""
    prose = _without_template_code(text)
    for match in _SCALED_NUMBER.finditer(prose):
        if match.group(0) not in allowed:
            yield match.start(), (f"typed figure '{match.group(0)}'; compute it in a snippet and write "
                                  "{{ approx(\"snippet.result\") }} instead")
    for match in _LONG_NUMBER.finditer(prose):
        digits = re.sub(r"\D", "", match.group(0))
        if match.group(0) not in allowed and digits not in allowed:
            yield match.start(), (f"typed number '{match.group(0)}'; take it from a snippet with "
                                  "{{ n(\"snippet.result\") }}, or list it under allow_numbers if it is a year")


def avoided_variant_problems(glossary: Glossary) -> Iterator[Problem]:
    """The termbase holds across the glossary: a variant one concept declares `deprecated` in a language is an
    error in every text of that language, naming the preferred term."""
    for language in glossary.languages:
        avoided: dict[str, tuple[str, str]] = {}  # variant, casefolded -> (preferred term, entry id)
        for entry in glossary.entries.values():
            translation = entry.translations.get(language)
            for variant in translation.deprecated if translation else ():
                avoided.setdefault(variant.casefold(), (translation.term, entry.id))
        if not avoided:
            continue
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(variant) for variant in
                                                     sorted(avoided, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)
        for entry in glossary.entries.values():
            translation = entry.translations.get(language)
            if translation is None:
                continue
            for where, text, is_prose in _text_fields(language, translation):
                if not is_prose:
                    continue
                for match in pattern.finditer(_without_template_code(text)):
                    preferred, owner = avoided[match.group(0).casefold()]
                    yield Problem(entry.path, _line(entry, where, match.start()),
                                  f"{where}: '{match.group(0)}' is a variant to avoid ({glossary.entries[owner].path}); "
                                  f"write '{preferred}'")


def _without_code(text: str) -> str:
    """Blank out Markdown code (fenced blocks and `spans`) and formulas (TeX: braces are not attribute lists),
    keeping offsets."""
    blank = _MARKDOWN_CODE.sub(lambda m: " " * len(m.group(0)), text)
    return FORMULA.sub(lambda m: " " * len(m.group(0)), blank)


def _without_template_code(text: str) -> str:
    """Blank out {{ ... }} and {% ... %} so offsets still point into the original text."""
    return _TEMPLATE_CODE.sub(lambda m: " " * len(m.group(0)), text)


def _line(entry: Entry, where: str, offset: int) -> int | None:
    first = entry.line_of(f"{where}:text")
    if first is None:
        return entry.line_of(where)
    return first + entry_text_line(entry, where, offset)


def entry_text_line(entry: Entry, where: str, offset: int) -> int:
    language, field, *rest = where.split(".")
    translation = entry.translations[language]
    text = translation.aspects.get(rest[0]) if field == "aspects" else getattr(translation, field)
    return text.count("\n", 0, offset) if isinstance(text, str) else 0
