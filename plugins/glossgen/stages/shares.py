"""Each concept's share of the exports: its JSON object, its TBX conceptEntry, its lines per language.

After an edit the exports are made again whole (the preview's idle refresh, the next build),
and at 1,000 concepts building and serializing them costs most of a second, while an edit
changes one concept's share. `ConceptShares` makes each share once per build and, given a
memo, keeps it by a key of every value its making reads: the entry's facts and translations,
its rendered texts, its category, the terms of its related entries, its sources, the results
of its snippets, and the site's address, languages, genders and words. exports.py puts the
shares together into files.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from importlib.metadata import version
from typing import Any, Callable, NamedTuple, TypeVar

from ..core.markdown import link_text, plain_text
from ..core.memo import Memo, digest
from ..core.model import Entry, Source
from ..core.results import ValidGlossary
from ..core.sanitize import sanitize
from ..core.urls import page_url
from . import diagrams

GENERATOR = f"glossgen {version('glossgen')}"

#: TBX-Basic's partOfSpeech list has no properNoun; a proper noun is still a noun.
TBX_PART_OF_SPEECH = {"properNoun": "noun"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: The TBX body's depth below the root (tbx > text > body > conceptEntry): how far a share is indented.
TBX_CONCEPT_LEVEL = 3

# What entry_text writes: link() targets `other-id.md` with a tooltip title, cite() targets `#source-id`.
_ENTRY_TARGET = re.compile(r'\]\((?:(?P<entry>[a-z0-9]+(?:-[a-z0-9]+)*)\.md|(?P<anchor>#source-[a-z0-9-]+))(?P<title> "[^"]*")?\)')

T = TypeVar("T")


class LanguageShare(NamedTuple):
    """One concept's part of one language's exports."""

    short: str                  # the definition as plain text (JSON, TBX, llms.txt)
    csv: tuple[str, str, str]   # its cells in every CSV file of the language: term, definition, synonyms
    llms_line: str              # its line in llms.txt
    llms_full: str              # its section of llms-full.txt


class ConceptShares:
    """Every concept's shares for one site address and layout, each made at most once (see the module)."""

    def __init__(self, valid: ValidGlossary, site_url: str | None = None, *, default_language: str | None = None,
                 output_dir: str = "glossary", memo: Memo[str, Any] | None = None) -> None:
        glossary = valid.glossary
        self.valid, self.site_url, self.output_dir, self.memo = valid, site_url, output_dir, memo
        self.default = default_language or glossary.languages[0]
        self.subject = "en" if "en" in glossary.languages else self.default  # TBX's subject field and references
        words = [(language, valid.labels[language]["sources"]) for language in glossary.languages]
        self._shared = digest(GENERATOR, repr(site_url), self.default, output_dir, repr(glossary.languages),
                              self.subject, repr(sorted(glossary.genders.items())), repr(words))
        self._keys: dict[str, str] = {}
        self._texts: dict[tuple[str, str], str] = {}
        self._made: dict[tuple[str, str], Any] = {}  # (share, entry id) -> the share, in this build

    def key(self, entry: Entry) -> str:
        """A digest of everything the entry's shares show."""
        if entry.id not in self._keys:
            valid, glossary, facts = self.valid, self.valid.glossary, entry.facts
            parts = [self._shared, entry.id, entry.facts_key, self._text(("category", facts.category))]
            for language in glossary.languages:
                text = valid.texts[entry.id, language]
                parts += [entry.translation_keys[language], text.term, text.short, text.body]
            for other in sorted(glossary.related(entry.id)):
                parts += [other, glossary.entries[other].translations[self.subject].term]
            parts += [self._text(("source", source_id)) for source_id in facts.sources]
            parts += [self._text(("run", name)) for name in facts.examples]
            parts += [self._text(("run", figure.result.split(".")[0])) for figure in facts.published]
            self._keys[entry.id] = digest(*parts)
        return self._keys[entry.id]

    def _text(self, shared: tuple[str, str]) -> str:
        """A category, source or snippet run as text for keys, made once per build."""
        if shared not in self._texts:
            kind, name = shared
            glossary = self.valid.glossary
            self._texts[shared] = (repr(glossary.categories[name]) if kind == "category" else
                                   repr(glossary.sources[name]) if kind == "source" else
                                   repr(sorted(self.valid.runs[name].results.items())))
        return self._texts[shared]

    def json(self, entry: Entry) -> str:
        """The concept's object as `json.dumps(..., indent=2)` writes it in the document's list of concepts."""
        return self._kept("json", entry, lambda: json.dumps(
            _concept_json(self, entry), ensure_ascii=False, indent=2).replace("\n", "\n    "))

    def tbx(self, entry: Entry) -> bytes:
        """The concept's conceptEntry, indented as it stands in the TBX file's body."""
        def make() -> bytes:
            concept = _tbx_concept(self, entry)
            ET.indent(concept, space="  ", level=TBX_CONCEPT_LEVEL)
            return ET.tostring(concept, encoding="utf-8", xml_declaration=False)
        return self._kept("tbx", entry, make)

    def language(self, entry: Entry, language: str) -> LanguageShare:
        return self._kept(f"language:{language}", entry, lambda: _language_share(self, entry, language))

    def url(self, entry_id: str, language: str) -> str:
        return page_url(entry_id, language, self.default, self.site_url, self.output_dir)

    def _kept(self, share: str, entry: Entry, make: Callable[[], T]) -> T:
        if (share, entry.id) not in self._made:
            self._made[share, entry.id] = make() if self.memo is None else self.memo.get(f"{share}:{self.key(entry)}", make)
        return self._made[share, entry.id]


def absolute_links(markdown: str, page: str, language: str, default_language: str, site_url: str | None, *,
                   titles: bool = True, output_dir: str = "glossary") -> str:
    """Entry text with links to other entries and to the page's source list made absolute.

    `titles=False` drops the tooltips (the target's definition) that links to entries carry.
    """
    def target(match: re.Match[str]) -> str:
        url = (page_url(match["entry"], language, default_language, site_url, output_dir) if match["entry"]
               else page + match["anchor"])
        title = (match["title"] or "") if titles else ""
        return f"]({url}{title})"
    return _ENTRY_TARGET.sub(target, markdown)


def _concept_json(shares: ConceptShares, entry: Entry) -> dict[str, Any]:
    valid = shares.valid
    glossary, facts = valid.glossary, entry.facts
    category = glossary.categories[facts.category]
    return {
        "id": entry.id,
        "category": {"id": facts.category, "name": {language: text.name for language, text in category.texts.items()}},
        "part_of_speech": facts.pos,
        "related": sorted(glossary.related(entry.id)),
        "sources": {source_id: source_json(glossary.sources[source_id]) for source_id in facts.sources},
        "examples": {name: dict(valid.runs[name].results) for name in facts.examples},
        "published": [{
            "result": figure.result,
            "value": _number(figure.value),
            "digits": figure.digits,
            "source": figure.source,
            "agrees": figure.agrees,
            "computed": _result(valid, figure.result),
        } for figure in facts.published],
        "translations": {language: _translation_json(shares, entry, language) for language in glossary.languages},
    }


def source_json(source: Source) -> dict[str, Any]:
    return {"title": source.title, "authors": source.authors, "year": source.year, "url": source.url,
            "publisher": source.publisher, "note": source.note}


def _result(valid: ValidGlossary, ref: str) -> int | float:
    snippet, name = ref.split(".")
    return valid.runs[snippet].results[name]


def _translation_json(shares: ConceptShares, entry: Entry, language: str) -> dict[str, Any]:
    translation, text = entry.translations[language], shares.valid.texts[entry.id, language]
    url = shares.url(entry.id, language)
    return {
        "term": translation.term,
        "abbr": translation.abbr,
        "plural": translation.plural,
        "gender": translation.gender,
        "synonyms": list(translation.synonyms),
        "deprecated": list(translation.deprecated),
        "short": shares.language(entry, language).short,
        "body": (absolute_links(text.body, url, language, shares.default, shares.site_url, output_dir=shares.output_dir)
                 if shares.site_url else text.body),
        "url": url,
        "diagram": _diagram_json(entry, language),
    }


def _diagram_json(entry: Entry, language: str) -> dict[str, str] | None:
    diagram = diagrams.entry_diagram(entry, language)
    return None if diagram is None else {"caption": diagram["caption"], "svg": sanitize(diagram["svg"])}


def _tbx_concept(shares: ConceptShares, entry: Entry) -> ET.Element:
    glossary = shares.valid.glossary
    concept = ET.Element("conceptEntry", id=entry.id)
    category = glossary.categories[entry.facts.category].texts[shares.subject].name
    ET.SubElement(concept, "descrip", type="subjectField").text = category
    for other in sorted(glossary.related(entry.id)):
        ref = ET.SubElement(concept, "ref", type="crossReference", target=other)
        ref.text = glossary.entries[other].translations[shares.subject].term
    for source in (glossary.sources[source_id] for source_id in entry.facts.sources):
        if source.url:
            ET.SubElement(concept, "xref", type="externalCrossReference", target=source.url).text = source.title
    for language in glossary.languages:
        _tbx_language(concept, shares, entry, language)
    return concept


def _tbx_language(concept: ET.Element, shares: ConceptShares, entry: Entry, language: str) -> None:
    glossary, translation = shares.valid.glossary, entry.translations[language]
    section = ET.SubElement(concept, "langSec", {XML_LANG: language})
    definition = ET.SubElement(section, "descripGrp")
    ET.SubElement(definition, "descrip", type="definition").text = shares.language(entry, language).short
    if entry.facts.sources:
        ET.SubElement(definition, "admin", type="source").text = glossary.sources[entry.facts.sources[0]].title
    # Term -> its termNotes, in the order TBX lists them; the first mention of a term wins.
    pos = {"partOfSpeech": TBX_PART_OF_SPEECH.get(entry.facts.pos, entry.facts.pos)}
    gender = glossary.genders.get(language, {}).get(translation.gender or "")  # genders.yml: its TBX value
    terms = {translation.term: {**pos, **({"grammaticalGender": gender} if gender else {}),
                                "administrativeStatus": "preferredTerm-admn-sts"}}
    if translation.abbr:
        terms.setdefault(translation.abbr, {**pos, "termType": _term_type(translation.abbr, translation.term),
                                            "administrativeStatus": "admittedTerm-admn-sts"})
    for variant in translation.synonyms:
        terms.setdefault(variant, {**pos, "administrativeStatus": "admittedTerm-admn-sts"})
    for variant in translation.deprecated:
        terms.setdefault(variant, {**pos, "administrativeStatus": "deprecatedTerm-admn-sts"})
    for term, term_notes in terms.items():
        term_sec = ET.SubElement(section, "termSec")
        ET.SubElement(term_sec, "term").text = term
        for note_type, value in term_notes.items():
            ET.SubElement(term_sec, "termNote", type=note_type).text = value


def _term_type(abbr: str, term: str) -> str:
    """TBX termType of an abbreviation: acronym if built from the initials of `term`'s words (LLM, LoRA, MoE).

    TBX-Basic has no value for initialisms; a borrowed abbreviation (LLM beside "großes
    Sprachmodell") is not formed from the term it stands beside.
    """
    initials = "".join(word[0] for word in re.split(r"[\s\-]+", term.lower()) if word)
    letters = [character.lower() for character in abbr if character.isalpha()]
    capitals = [character.lower() for character in abbr if character.isupper()]
    return "acronym" if initials in ("".join(letters), "".join(capitals)) else "abbreviation"


def _language_share(shares: ConceptShares, entry: Entry, language: str) -> LanguageShare:
    glossary = shares.valid.glossary
    translation, text = entry.translations[language], shares.valid.texts[entry.id, language]
    url, short = shares.url(entry.id, language), plain_text(text.short)
    options = {"titles": False, "output_dir": shares.output_dir}
    heading = f"{translation.term} ({translation.abbr})" if translation.abbr else translation.term
    part = [f"## {heading}", f"<{url}>",
            absolute_links(text.short, url, language, shares.default, shares.site_url, **options),
            absolute_links(text.body, url, language, shares.default, shares.site_url, **options).strip()]
    if entry.facts.sources:
        part += [f"### {shares.valid.labels[language]['sources']}",
                 "\n".join(f"- {source_line(glossary.sources[source_id])}" for source_id in entry.facts.sources)]
    cells = (translation.term, short, "; ".join(translation.synonyms))
    return LanguageShare(short, tuple(inert_cell(cell) for cell in cells), f"- [{link_text(text.term)}]({url}): {short}",
                         "\n\n".join(part) + "\n")


def inert_cell(text: str) -> str:
    """A cell no spreadsheet takes for a formula: one that begins with = + - @, a tab or a return gets a ' first.

    OWASP's advice for CSV injection; the quote shows in a text editor, and spreadsheets hide it.
    """
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def source_line(source: Source) -> str:
    """A source as one line of Markdown: 'Hu et al. (2021). [LoRA: ...](https://...).'"""
    line = f"[{link_text(source.title)}]({source.url})" if source.url else f"*{source.title}*"
    if source.publisher:
        line += f", {source.publisher}"
    if source.authors:
        line = f"{source.authors} ({source.year}). {line}" if source.year else f"{source.authors}. {line}"
    elif source.year:
        line += f", {source.year}"
    return f"{line}. *{source.note}*" if source.note else f"{line}."


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
