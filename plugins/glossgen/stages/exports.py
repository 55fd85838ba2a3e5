"""The glossary for other tools: JSON, TBX, bilingual CSV and llms.txt.

Every export is a pure function of a validated glossary; `export_files` makes them all.
Entry text is exported as the site renders it: figures already formatted for the
language, and links to other entries (`weights.md`) and citations (`#source-hu2021`)
made absolute wherever a site URL is known. The JSON shape is described by
`schemas/glossary.schema.json`; change the two together, and bump SCHEMA_VERSION whenever
the shape changes.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from importlib.metadata import version
from itertools import permutations
from typing import Any, Collection, Iterable

from ..core.collation import collation_key
from ..core.markdown import link_text, plain_text
from ..core.model import Entry, Glossary, Source
from ..core.results import ValidGlossary
from ..core.sanitize import sanitize
from ..core.urls import language_prefix, page_url, site_base
from . import diagrams

SCHEMA_VERSION = 2  # 2: each translation's diagram
GENERATOR = f"glossgen {version('glossgen')}"

#: TBX-Basic's partOfSpeech list has no properNoun; a proper noun is still a noun.
TBX_PART_OF_SPEECH = {"properNoun": "noun"}
_TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# What entry_text writes: link() targets `other-id.md` with a tooltip title, cite() targets `#source-id`.
_ENTRY_TARGET = re.compile(r'\]\((?:(?P<entry>[a-z0-9]+(?:-[a-z0-9]+)*)\.md|(?P<anchor>#source-[a-z0-9-]+))(?P<title> "[^"]*")?\)')


def absolute_links(markdown: str, page: str, language: str, default_language: str, site_url: str, *,
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


def glossary_json(valid: ValidGlossary, site_url: str | None = None, *,
                  default_language: str | None = None, output_dir: str = "glossary") -> dict[str, Any]:
    """Everything the site shows, as one JSON-ready dict (see schemas/glossary.schema.json)."""
    glossary = valid.glossary
    default = default_language or glossary.languages[0]
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": GENERATOR,
        "languages": list(glossary.languages),
        "default_language": default,
        "categories": {category_id: {language: {"name": text.name, "description": text.description}
                                     for language, text in category.texts.items()}
                       for category_id, category in glossary.categories.items()},
        "sources": {source_id: _source_json(source) for source_id, source in glossary.sources.items()},
        "concepts": [_concept_json(valid, entry, default, site_url, output_dir) for entry in _by_id(glossary)],
        "snippets": {name: {"results": dict(run.results)} for name, run in sorted(valid.runs.items())},
    }


def _concept_json(valid: ValidGlossary, entry: Entry, default: str, site_url: str | None,
                  output_dir: str) -> dict[str, Any]:
    glossary, facts = valid.glossary, entry.facts
    category = glossary.categories[facts.category]
    return {
        "id": entry.id,
        "category": {"id": facts.category, "name": {language: text.name for language, text in category.texts.items()}},
        "part_of_speech": facts.pos,
        "related": sorted(glossary.related(entry.id)),
        "sources": {source_id: _source_json(glossary.sources[source_id]) for source_id in facts.sources},
        "examples": {name: dict(valid.runs[name].results) for name in facts.examples},
        "published": [{
            "result": figure.result,
            "value": _number(figure.value),
            "digits": figure.digits,
            "source": figure.source,
            "agrees": figure.agrees,
            "computed": _result(valid, figure.result),
        } for figure in facts.published],
        "translations": {language: _translation_json(valid, entry, language, default, site_url, output_dir)
                         for language in glossary.languages},
    }


def _source_json(source: Source) -> dict[str, Any]:
    return {"title": source.title, "authors": source.authors, "year": source.year, "url": source.url,
            "publisher": source.publisher, "note": source.note}


def _result(valid: ValidGlossary, ref: str) -> int | float:
    snippet, name = ref.split(".")
    return valid.runs[snippet].results[name]


def _translation_json(valid: ValidGlossary, entry: Entry, language: str, default: str,
                      site_url: str | None, output_dir: str) -> dict[str, Any]:
    translation, text = entry.translations[language], valid.texts[entry.id, language]
    url = page_url(entry.id, language, default, site_url, output_dir)
    return {
        "term": translation.term,
        "abbr": translation.abbr,
        "plural": translation.plural,
        "gender": translation.gender,
        "synonyms": list(translation.synonyms),
        "deprecated": list(translation.deprecated),
        "short": plain_text(text.short),
        "body": (absolute_links(text.body, url, language, default, site_url, output_dir=output_dir) if site_url
                 else text.body),
        "url": url,
        "diagram": _diagram_json(entry, language),
    }


def _diagram_json(entry: Entry, language: str) -> dict[str, str] | None:
    diagram = diagrams.entry_diagram(entry, language)
    return None if diagram is None else {"caption": diagram["caption"], "svg": sanitize(diagram["svg"])}


def glossary_tbx(valid: ValidGlossary, *, default_language: str | None = None) -> bytes:
    """The glossary as TBX-Basic (ISO 30042:2019, DCA style), pretty-printed UTF-8."""
    glossary = valid.glossary
    default = default_language or glossary.languages[0]
    subject_language = "en" if "en" in glossary.languages else default
    # A plain xmlns attribute keeps the element names unprefixed and the root attributes in order.
    root = ET.Element("tbx", {"type": "TBX-Basic", "style": "dca", _XML_LANG: default, "xmlns": _TBX_NAMESPACE})
    source_desc = ET.SubElement(ET.SubElement(ET.SubElement(root, "tbxHeader"), "fileDesc"), "sourceDesc")
    ET.SubElement(source_desc, "p").text = f"Generated by {GENERATOR} from the glossary's YAML entries."
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for entry in _by_id(glossary):
        concept = ET.SubElement(body, "conceptEntry", id=entry.id)
        category = glossary.categories[entry.facts.category].texts[subject_language].name
        ET.SubElement(concept, "descrip", type="subjectField").text = category
        for other in sorted(glossary.related(entry.id)):
            ref = ET.SubElement(concept, "ref", type="crossReference", target=other)
            ref.text = glossary.entries[other].translations[subject_language].term
        for source in (glossary.sources[source_id] for source_id in entry.facts.sources):
            if source.url:
                ET.SubElement(concept, "xref", type="externalCrossReference", target=source.url).text = source.title
        for language in glossary.languages:
            _tbx_language(concept, valid, entry, language)
    ET.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"


def _tbx_language(concept: ET.Element, valid: ValidGlossary, entry: Entry, language: str) -> None:
    translation = entry.translations[language]
    section = ET.SubElement(concept, "langSec", {_XML_LANG: language})
    definition = ET.SubElement(section, "descripGrp")
    ET.SubElement(definition, "descrip", type="definition").text = plain_text(valid.texts[entry.id, language].short)
    if entry.facts.sources:
        ET.SubElement(definition, "admin", type="source").text = valid.glossary.sources[entry.facts.sources[0]].title
    # Term -> its termNotes, in the order TBX lists them; the first mention of a term wins.
    pos = {"partOfSpeech": TBX_PART_OF_SPEECH.get(entry.facts.pos, entry.facts.pos)}
    gender = valid.glossary.genders.get(language, {}).get(translation.gender or "")  # genders.yml: its TBX value
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


def glossary_csv(valid: ValidGlossary, source: str, target: str) -> str:
    """One row per concept: id, then term, definition and synonyms ("; "-separated) in `source` and `target`."""
    languages = valid.glossary.languages
    for language in (source, target):
        if language not in languages:
            raise ValueError(f"unknown language '{language}'; the glossary has {', '.join(languages)}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180: CRLF, quotes only where needed
    writer.writerow(["id", *(f"{language} {column}" for language in (source, target)
                             for column in ("term", "definition", "synonyms"))])
    for entry in _by_id(valid.glossary):
        row = [entry.id]
        for language in (source, target):
            translation = entry.translations[language]
            row += [translation.term, plain_text(valid.texts[entry.id, language].short), "; ".join(translation.synonyms)]
        writer.writerow([_inert_cell(cell) for cell in row])
    return buffer.getvalue()


def llms_txt(valid: ValidGlossary, language: str, site_url: str, title: str, *,
             default_language: str | None = None, output_dir: str = "glossary") -> str:
    """An llms.txt index (llmstxt.org) of one language: every concept linked, grouped by category."""
    glossary = valid.glossary
    default = default_language or glossary.languages[0]
    labels = valid.labels[language]
    lines = [f"# {title}", "", f"> {labels.count('llms_summary', len(glossary.entries))}", ""]
    for category_id, category in glossary.categories.items():
        entries = _by_term(valid, glossary.in_category(category_id), language)
        if not entries:
            continue
        lines += [f"## {category.texts[language].name}", ""]
        for entry in entries:
            text = valid.texts[entry.id, language]
            url = page_url(entry.id, language, default, site_url, output_dir)
            lines.append(f"- [{link_text(text.term)}]({url}): {plain_text(text.short)}")
        lines.append("")
    # "Optional" is a keyword of the llms.txt format (may be skipped for a shorter context), so it stays English.
    full_text = f"{site_base(site_url)}{language_prefix(language, default)}llms-full.txt"
    lines += ["## Optional", "", f"- [{labels['full_text']}]({full_text}): {labels['full_text_note']}", ""]
    return "\n".join(lines)


def llms_full_txt(valid: ValidGlossary, language: str, site_url: str, title: str, *,
                  default_language: str | None = None, output_dir: str = "glossary") -> str:
    """The whole glossary in one language as one Markdown document, links made absolute."""
    glossary = valid.glossary
    default = default_language or glossary.languages[0]
    labels = valid.labels[language]
    parts = [f"# {title}\n\n> {labels.count('llms_summary', len(glossary.entries))}\n"]
    for entry in _by_term(valid, glossary.entries.values(), language):
        translation, text = entry.translations[language], valid.texts[entry.id, language]
        url = page_url(entry.id, language, default, site_url, output_dir)
        heading = f"{translation.term} ({translation.abbr})" if translation.abbr else translation.term
        part = [f"## {heading}", f"<{url}>",
                absolute_links(text.short, url, language, default, site_url, titles=False, output_dir=output_dir),
                absolute_links(text.body, url, language, default, site_url, titles=False, output_dir=output_dir).strip()]
        if entry.facts.sources:
            part += [f"### {labels['sources']}",
                     "\n".join(f"- {source_line(glossary.sources[source_id])}" for source_id in entry.facts.sources)]
        parts.append("\n\n".join(part) + "\n")
    return "\n".join(parts)


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


#: What `write_exports` can write, as `glossgen export` names the formats.
FORMATS = ("json", "tbx", "csv", "llms")


def export_files(valid: ValidGlossary, site_url: str, title: str, *, default_language: str | None = None,
                 output_dir: str = "glossary", formats: Collection[str] = FORMATS,
                 languages: Collection[str] | None = None) -> dict[str, str | bytes]:
    """The exports in `formats`, by their path in the site or an export folder.

    `languages` narrows the per-language files (CSV pairs by source language, llms.txt).
    """
    default = default_language or valid.glossary.languages[0]
    chosen = [language for language in valid.glossary.languages if languages is None or language in languages]
    files: dict[str, bytes | str] = {}
    if "json" in formats:
        files["glossary.json"] = json.dumps(glossary_json(valid, site_url, default_language=default, output_dir=output_dir),
                                            ensure_ascii=False, indent=2) + "\n"
    if "tbx" in formats:
        files["glossary.tbx"] = glossary_tbx(valid, default_language=default)
    if "csv" in formats:
        for source, target in permutations(valid.glossary.languages, 2):
            if source in chosen:
                files[f"glossary-{source}-{target}.csv"] = glossary_csv(valid, source, target)
    if "llms" in formats:
        for language in chosen:
            prefix = language_prefix(language, default)
            options = {"default_language": default, "output_dir": output_dir}
            files[f"{prefix}llms.txt"] = llms_txt(valid, language, site_url, title, **options)
            files[f"{prefix}llms-full.txt"] = llms_full_txt(valid, language, site_url, title, **options)
    return files


def _inert_cell(text: str) -> str:
    """A cell no spreadsheet takes for a formula: one that begins with = + - @, a tab or a return gets a ' first.

    OWASP's advice for CSV injection; the quote shows in a text editor, and spreadsheets hide it.
    """
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _by_id(glossary: Glossary) -> list[Entry]:
    return sorted(glossary.entries.values(), key=lambda entry: entry.id)


def _by_term(valid: ValidGlossary, entries: Iterable[Entry], language: str) -> list[Entry]:
    """Entries in the alphabetical order of their terms in `language`."""
    return sorted(entries, key=lambda entry: collation_key(valid.texts[entry.id, language].term, language))


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
