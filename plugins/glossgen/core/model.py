"""The validated glossary: what every later stage reads, never the YAML itself.

The pydantic models are the schema of an entry file; the loader fills them and adds
what YAML alone cannot check (ids, cross-references, per-language grammar).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal
from typing import Annotated, Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

#: Part-of-speech values, as TBX-Basic names them.
PartOfSpeech = Literal["noun", "verb", "adjective", "adverb", "properNoun", "other"]

#: Ids the site uses for its own pages under glossary/.
RESERVED_IDS = frozenset({"index", "categories", "comparisons", "examples", "print", "translation-status"})
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=rf"^{SLUG.pattern}$")]
SnippetName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
ResultRef = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")]


#: Rows of a comparison table beyond the definition: how concepts differ in practice.
Aspect = Literal["when_set", "examples", "optimized_by", "typical_count", "cost", "transferability"]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Translation(_Schema):
    """One language's text for a concept."""

    term: Text = Field(description="The preferred term, as practitioners of this language write it.")
    abbr: Text | None = Field(None, description="Abbreviation, if one is in use (LoRA, MoE).")
    plural: Text | None = Field(None, description="Plural form of the term, for nouns that have one.")
    gender: Text | None = Field(None, description="Grammatical gender of a noun, as its article: nl de/het, de der/die/das, fr le/la (genders.yml).")
    synonyms: tuple[Text, ...] = Field((), description="Admitted variants: found in use, acceptable.")
    deprecated: tuple[Text, ...] = Field((), description="Variants to avoid; no text of the glossary in this language may use them.")
    forms: tuple[Text, ...] = Field((), description="Inflected forms of the term (djupinlärningen, Gewichten): a link's "
                                                    "text must be the term, its plural, abbreviation, a synonym or one of these.")
    usage: Text | None = Field(None, description="A usage note: which word practitioners use, and pitfalls of the term; "
                                                 "shown under its own label. May call n(), approx(), link() and cite().")
    short: Text = Field(description="One-sentence definition, shown in tooltips, indexes and meta descriptions.")
    body: Text = Field(description="Markdown; may call n(), approx(), link() and cite().")
    diagram: dict[str, Text] = Field(
        default_factory=dict, description="The words of the entry's diagram: its `caption`, and each label the "
                                          "drawing names (data-label); a line break splits a label over lines.")
    aspects: dict[Aspect, Text] = Field(
        default_factory=dict, description="One line per aspect for comparison tables (_comparisons.yml); may call n(), approx().")
    based_on: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{12}$")] | None = Field(
        None, description="Fingerprint of the default-language text this translation was written from "
                          "(set by `glossgen translated`); a different fingerprint marks it outdated.")


class PublishedFigure(_Schema):
    """A figure published elsewhere (paper table, model card) for a snippet result."""

    result: ResultRef = Field(description="The snippet result it corresponds to: snippet.result.")
    value: Decimal = Field(description="The figure as published, in plain units (4.7 million is 4700000).")
    digits: int = Field(ge=1, le=15, description="Significant digits the figure was published with.")
    source: Slug = Field(description="Id of the source in _sources.yml.")
    agrees: bool = Field(True, description="False when the published figure is known to differ, e.g. a rounded model name.")


class EntrySchema(_Schema):
    """The language-independent facts of one concept (languages are checked by the loader)."""

    id: Slug = Field(description="Stable id: the file name, the URL slug and the cross-reference key.")
    category: Slug = Field(description="Id of a category in _categories.yml.")
    pos: PartOfSpeech = Field("noun", description="Part of speech of the term in every language.")
    related: tuple[Slug, ...] = Field((), description="Ids of related concepts.")
    sources: tuple[Slug, ...] = Field((), description="Ids of sources in _sources.yml that the text cites.")
    examples: tuple[SnippetName, ...] = Field((), description="Snippets (snippets/<name>.py) shown on the page.")
    published: tuple[PublishedFigure, ...] = Field((), description="Published figures for snippet results.")
    allow_numbers: tuple[Text, ...] = Field((), description="Numbers the text may type literally, such as years.")
    diagram: Text | None = Field(None, description="An SVG drawing shown on the page; its text elements name labels "
                                                   "(data-label, data-max) that each language's `diagram` fills.")


class Source(_Schema):
    """A work cited by entries."""

    title: Text
    authors: Text | None = None
    year: int | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[^\s\"'<>\\^`{|}]*)?$")] | None = None
    publisher: Text | None = None
    note: Text | None = Field(None, description="Caveats, e.g. 'unconfirmed report'.")


class CategoryText(_Schema):
    name: Text
    description: Text


class ComparisonFacts(_Schema):
    """A table comparing concepts aspect by aspect; its cells come from the entries' `aspects`."""

    entries: Annotated[tuple[Slug, ...], Field(min_length=2)]
    aspects: Annotated[tuple[Aspect, ...], Field(min_length=1)]


class ComparisonText(_Schema):
    title: Text
    intro: Text


@dataclass(frozen=True)
class Entry:
    """One concept: its facts once, its text in every language."""

    facts: EntrySchema
    translations: Mapping[str, Translation]
    path: str
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    digest: str = field(default="", compare=False, repr=False)  # of the file's bytes and the languages read from it

    @property
    def id(self) -> str:
        return self.facts.id

    def line_of(self, dotted: str) -> int | None:
        """Line of a field such as 'nl.body' in the entry's file, for error messages."""
        return self.lines.get(dotted)

    @cached_property
    def facts_key(self) -> str:
        """The entry's facts as text, for keys: made once per entry (the loader reuses an unchanged file's)."""
        return repr(self.facts)

    def forms_of(self, language: str) -> tuple[str, ...]:
        """Every declared way of writing the term in `language`: term, plural, abbreviation, synonyms, forms."""
        return self._forms[language]

    @cached_property
    def _forms(self) -> Mapping[str, tuple[str, ...]]:
        return {language: tuple(dict.fromkeys(form for form in (text.term, text.plural, text.abbr, *text.synonyms,
                                                                *text.forms) if form))
                for language, text in self.translations.items()}

    @cached_property
    def translation_keys(self) -> Mapping[str, str]:
        """Each language's text as text, for keys that change only with that language."""
        return {language: repr(translation) for language, translation in self.translations.items()}

    @cached_property
    def fingerprints(self) -> Mapping[str, str]:
        """Each language's text fingerprint (`text_fingerprint`), made once per entry."""
        return {language: text_fingerprint(translation) for language, translation in self.translations.items()}


def text_fingerprint(text: Translation) -> str:
    """12 hex digits identifying an entry's text in one language: term, definition, body, diagram words.

    A translation records the fingerprint of the default-language text it follows (`based_on`)."""
    parts = [text.term, text.short, text.body]
    # A diagram's words count once the entry has them; entries without a diagram keep their fingerprint.
    parts += [f"{name}\x1e{words}" for name, words in sorted(text.diagram.items())]
    joined = "\x1f".join(unicodedata.normalize("NFC", part.strip()) for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Category:
    id: str
    texts: Mapping[str, CategoryText]


@dataclass(frozen=True)
class Comparison:
    id: str
    facts: ComparisonFacts
    texts: Mapping[str, ComparisonText]


@dataclass(frozen=True)
class Glossary:
    """Every entry, source and category, checked against each other."""

    languages: tuple[str, ...]
    entries: Mapping[str, Entry]
    sources: Mapping[str, Source]
    categories: Mapping[str, Category]
    comparisons: Mapping[str, Comparison] = field(default_factory=dict)
    #: Where the glossary's own files define each source, category and comparison:
    #: "source:hu2021" -> ("glossary/_sources.yml", 12), for messages.
    places: Mapping[str, tuple[str, int | None]] = field(default_factory=dict, compare=False)
    #: Each gendered language's gender values -> TBX-Basic value (`core.genders.gender_table`).
    genders: Mapping[str, Mapping[str, str]] = field(default_factory=dict, compare=False)

    @cached_property
    def _related(self) -> Mapping[str, tuple[str, ...]]:
        both: dict[str, dict[str, None]] = {entry_id: {} for entry_id in self.entries}
        for entry in self.entries.values():
            for other in entry.facts.related:
                both[entry.id][other] = None
                both.setdefault(other, {})[entry.id] = None
        return {entry_id: tuple(ids) for entry_id, ids in both.items()}

    def related(self, entry_id: str) -> tuple[str, ...]:
        """Related ids in both directions: if A lists B, B shows A too."""
        return self._related[entry_id]

    @cached_property
    def _by_category(self) -> Mapping[str, tuple[Entry, ...]]:
        grouped: dict[str, list[Entry]] = {category_id: [] for category_id in self.categories}
        for entry in self.entries.values():
            grouped.setdefault(entry.facts.category, []).append(entry)
        return {category_id: tuple(entries) for category_id, entries in grouped.items()}

    def in_category(self, category_id: str) -> tuple[Entry, ...]:
        return self._by_category[category_id]
