"""YAML files in glossary/ -> a validated Glossary, or every problem found at once.

Layout of the folder: one `<id>.yml` per concept, plus the bibliography in `_sources.yml`
(or several `_sources*.yml` files: source id -> title, authors, year, url) and
`_categories.yml` (category id -> name and description per language).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from pydantic import BaseModel, RootModel

from ..core.errors import GlossaryError, Problem, display_path
from ..core.memo import Memo, digest
from ..core.genders import gender_table
from ..core.model import (RESERVED_IDS, SLUG, Category, CategoryText, Comparison, ComparisonFacts, ComparisonText, Entry,
                          EntrySchema, Glossary, Source, Translation)
from . import diagrams
from .lint import markup_problems
from .schema_errors import short, validate
from .yamlfile import Location, YamlDocument, YamlProblem, parse_yaml, read_input, read_yaml

SOURCES_FILE = "_sources.yml"
CATEGORIES_FILE = "_categories.yml"
COMPARISONS_FILE = "_comparisons.yml"


def load_glossary(folder: Path, languages: Sequence[str], root: Path | None = None) -> Glossary:
    """Read and validate every file in `folder`; raise GlossaryError listing all problems."""
    glossary, problems = read_glossary(folder, languages, root)
    if problems:
        raise GlossaryError(problems)
    return glossary


#: What the loader remembers of one entry file: the entry it made (None if invalid) and its problems.
LoadedEntry = tuple["Entry | None", tuple[Problem, ...]]


def read_glossary(folder: Path, languages: Sequence[str], root: Path | None = None, *,
                  require_all_languages: bool = True, genders: Mapping[str, Mapping[str, str]] | None = None,
                  memo: Memo[str, LoadedEntry] | None = None,
                  contents: Mapping[Path, bytes] | None = None) -> tuple[Glossary, list[Problem]]:
    """The valid part of the glossary in `folder`, and every problem found in the rest.

    With `require_all_languages=False` (translation status), an entry may lack languages
    other than the first; the build always requires all of them. `memo` holds entries by
    the bytes of their file, so that an edit re-reads only the edited entry. `genders` holds each
    gendered language's values (`core.genders.gender_table`, glossgen's own by default). `contents` holds
    entry files' bytes read already, as `yamlfile.read_input` reads them (memory.Inputs).
    """
    memo = memo if memo is not None else Memo()
    genders = genders if genders is not None else gender_table()
    problems: list[Problem] = []
    if not folder.is_dir():
        problems.append(Problem(display_path(folder, root), None, "glossary folder not found; create it or set glossary_dir"))
        return Glossary(tuple(languages), {}, {}, {}), problems
    places: dict[str, tuple[str, int | None]] = {}
    sources: dict[str, Source] = {}
    for path in sorted(folder.glob("_sources*.yml")):
        for source_id, source in _load_mapping_file(path, Source, root, problems, places, "source").items():
            if source_id in sources:
                problems.append(Problem(display_path(path, root), None,
                                        f"source '{source_id}' is defined in more than one _sources*.yml file; keep one"))
            sources[source_id] = source
    categories = {
        category_id: Category(category_id, texts)
        for category_id, texts in _load_categories(folder / CATEGORIES_FILE, languages, root, problems, places).items()
    }
    entries: dict[str, Entry] = {}
    # What shapes every entry's reading besides its own bytes and name: part of each entry's key.
    options = repr(((tuple(languages), require_all_languages),
                    sorted((language, sorted(genders[language])) for language in languages if language in genders)))
    for path in _entry_files(folder, root, problems):
        entry = _load_entry_once(path, languages, root, problems, require_all_languages, genders, memo,
                                 (contents or {}).get(path), options)
        if entry is None:
            continue
        if entry.id in entries:
            problems.append(Problem(entry.path, entry.line_of("id"),
                                    f"id '{entry.id}' is already used by {entries[entry.id].path}; ids must be unique"))
            continue
        entries[entry.id] = entry
    for entry in entries.values():
        problems += _cross_reference_problems(entry, entries, sources, categories)
    comparisons = _load_comparisons(folder / COMPARISONS_FILE, languages, root, problems, places)
    for comparison in comparisons.values():
        problems += _comparison_problems(comparison, entries, display_path(folder / COMPARISONS_FILE, root))
    return (Glossary(tuple(languages), dict(sorted(entries.items())), sources, categories, comparisons, places,
                     {language: genders[language] for language in languages if language in genders}), problems)


def _entry_files(folder: Path, root: Path | None, problems: list[Problem]) -> list[Path]:
    """Every entry file in `folder` (`*.yml` or `*.yaml`, in any case); what cannot be one is reported."""
    found = []
    with os.scandir(folder) as listing:  # a listing's entries know which are folders without a look at each file
        children = sorted((child.name, _is_folder(child)) for child in listing if not child.name.startswith("."))
    for name, is_folder in children:
        path = folder / name
        refused = _not_an_entry(path, is_folder)
        if refused is None:
            found.append(path)
        elif refused:
            problems.append(Problem(display_path(path, root), None, refused))
    return found


def _is_folder(child: os.DirEntry) -> bool:
    """Whether a listed file is a folder, or a link to one, as `Path.is_dir` tells (False where it cannot tell)."""
    try:
        return child.is_dir()
    except OSError:
        return False


def _not_an_entry(path: Path, is_folder: bool) -> str | None:
    """Why a file in the glossary folder is not an entry: "" for the glossary's own files, None for an entry."""
    if is_folder:
        return "folders inside the glossary are not read; move its entries up"
    if path.suffix.lower() not in (".yml", ".yaml"):
        return "not an entry (entries are .yml files); move it out of the glossary"
    if not path.name.startswith("_"):
        return None
    if path.name in (CATEGORIES_FILE, COMPARISONS_FILE) or (path.name.startswith("_sources") and path.suffix == ".yml"):
        return ""
    return (f"unknown file; the glossary's own files are {SOURCES_FILE} (or _sources-*.yml), {CATEGORIES_FILE} "
            f"and {COMPARISONS_FILE}")


def _read(path: Path, root: Path | None, problems: list[Problem]) -> YamlDocument | None:
    try:
        return read_yaml(path, root)
    except YamlProblem as exc:
        problems.append(Problem(display_path(path, root), exc.line, exc.message))
    except OSError as exc:
        problems.append(Problem(display_path(path, root), None, f"cannot read file: {exc.strerror}"))
    return None


def _load_entry_once(path: Path, languages: Sequence[str], root: Path | None, problems: list[Problem],
                     require_all_languages: bool, genders: Mapping[str, Mapping[str, str]],
                     memo: Memo[str, LoadedEntry], content: bytes | None, options: str) -> Entry | None:
    """`_load_entry`, taken from `memo` when the file's bytes (`content`, if read already) and the `options`
    are those it was read with."""
    try:
        content = read_input(path, root) if content is None else content
    except YamlProblem as exc:
        problems.append(Problem(display_path(path, root), exc.line, exc.message))
        return None
    except OSError as exc:
        problems.append(Problem(display_path(path, root), None, f"cannot read file: {exc.strerror}"))
        return None
    key = digest(content, display_path(path, root), options)

    def load() -> LoadedEntry:
        found: list[Problem] = []
        entry = _load_entry(path, content, languages, root, found, require_all_languages, key, genders)
        return entry, tuple(found)

    entry, found = memo.get(key, load)
    problems += found
    return entry


def _load_entry(path: Path, content: bytes, languages: Sequence[str], root: Path | None, problems: list[Problem],
                require_all_languages: bool = True, key: str = "",
                genders: Mapping[str, Mapping[str, str]] | None = None) -> Entry | None:
    shown = display_path(path, root)
    try:
        document = parse_yaml(content)
    except YamlProblem as exc:
        problems.append(Problem(shown, exc.line, exc.message))
        return None
    data, lines = document.data, document.lines
    if not isinstance(data, dict):
        problems.append(Problem(shown, 1, "an entry must be a mapping of fields (id: ..., category: ..., en: ...)"))
        return None
    found: list[Problem] = []
    facts_data = {key: value for key, value in data.items() if key not in languages}
    facts = validate(EntrySchema, facts_data, (), lines, shown, found, extra_names=languages)
    translations: dict[str, Translation] = {}
    for language in languages:
        if language not in data:
            if require_all_languages or language == languages[0]:
                found.append(Problem(shown, None, f"missing language '{language}' (every entry needs {', '.join(languages)})"))
            continue
        block = data[language]
        if isinstance(block, dict) and block.get("gender") == "":  # left empty, as `glossgen new` writes it
            block = {key: value for key, value in block.items() if key != "gender"}
        translation = validate(Translation, block, (language,), lines, shown, found)
        if translation is not None:
            translations[language] = translation
            found += _grammar_problems(language, translation, facts, lines, shown, require_all_languages,
                                       (genders if genders is not None else gender_table()).get(language))
            if language == languages[0] and translation.based_on is not None:
                found.append(Problem(shown, lines.get((language, "based_on")),
                                     f"{language}.based_on: the default language is not translated from anything; remove it"))
    if facts is not None:
        found += _diagram_problems(facts, translations, lines, shown)
    if facts is not None and facts.id != path.stem:
        found.append(Problem(shown, lines.get(("id",)),
                             f"id '{facts.id}' must match the file name; rename the file to {facts.id}{path.suffix} or change the id"))
    if facts is not None and facts.id in RESERVED_IDS:
        found.append(Problem(shown, lines.get(("id",)), f"id '{facts.id}' is reserved for the site's own pages; choose another"))
    problems += found
    if found or facts is None:
        return None
    flat_lines = {".".join(str(part) for part in location if part != "<value>"): line
                  for location, line in lines.items() if location and location[-1] != "<value>"}
    flat_lines.update({".".join(str(p) for p in location[:-1]) + ":text": line
                       for location, line in lines.items() if location and location[-1] == "<value>"})
    return Entry(facts=facts, translations=translations, path=shown, lines=flat_lines, digest=key)


def _diagram_problems(facts: EntrySchema, translations: Mapping[str, Translation], lines: dict[Location, int],
                      shown: str) -> list[Problem]:
    """The drawing must be one that pages can show, and every language must give its words, each fitting."""
    if facts.diagram is None:
        return [Problem(shown, lines.get((language, "diagram")),
                        f"{language}.diagram: the entry has no diagram to put these words in; remove them or add one")
                for language, translation in translations.items() if translation.diagram]
    line = lines.get(("diagram", "<value>"), lines.get(("diagram",)))
    try:
        drawing = diagrams.parse(facts.diagram)
        labels = diagrams.slots(drawing)
        lost = diagrams.drawing_problems(drawing, labels, diagrams.id_prefix(facts.id))
    except diagrams.DiagramProblem as problem:
        at = line + problem.line - 1 if line is not None and problem.line is not None else line
        return [Problem(shown, at, f"diagram: {problem}")]
    if lost:
        return [Problem(shown, line, f"diagram: the page would lose {', '.join(lost)}; a drawing is made of shapes, "
                                     "paths and text, and refers only to its own ids")]
    return [Problem(shown, lines.get((language, "diagram", name), lines.get((language, "diagram"), lines.get((language,)))),
                    f"{language}.diagram: {message}")
            for language, translation in translations.items()
            for name, message in diagrams.label_problems(labels, translation.diagram)]


def _grammar_problems(language: str, text: Translation, facts: EntrySchema | None, lines: dict[Location, int],
                      shown: str, strict: bool = True, genders: Mapping[str, str] | None = None) -> list[Problem]:
    """Articles: a noun needs one where the language has them (for the translation status, not yet)."""
    is_noun = facts is None or facts.pos in ("noun", "properNoun")
    line = lines.get((language, "gender"), lines.get((language,)))  # an empty article: where it is left empty
    if genders is None:
        if text.gender is not None:
            return [Problem(shown, lines.get((language, "gender")), f"{language}.gender: {language} nouns have no grammatical gender; remove it "
                                   "(or list the language's genders under the glossgen plugin's `genders` option)")]
        return []
    if text.gender is None:
        if is_noun and strict:
            return [Problem(shown, line, f"{language}.gender: missing (a {language} noun needs its article: {'/'.join(genders)})")]
        return []
    if text.gender not in genders:
        return [Problem(shown, lines.get((language, "gender")),
                        f"{language}.gender: '{text.gender}' is not an article of {language}; use one of {', '.join(genders)}")]
    return []


def _cross_reference_problems(entry: Entry, entries: dict[str, Entry], sources: dict[str, Source],
                              categories: dict[str, Category]) -> Iterable[Problem]:
    facts = entry.facts
    if facts.category not in categories:
        yield Problem(entry.path, entry.line_of("category"),
                      f"category '{facts.category}' is not defined in {CATEGORIES_FILE}; use one of {', '.join(sorted(categories)) or '(none defined)'}")
    for index, related in enumerate(facts.related):
        if related == entry.id:
            yield Problem(entry.path, entry.line_of(f"related.{index}"), "related lists the entry itself; remove it")
        elif related not in entries:
            yield Problem(entry.path, entry.line_of(f"related.{index}"),
                          f"related id '{related}' does not exist; add glossary/{related}.yml or fix the id")
    for index, source in enumerate(facts.sources):
        if source not in sources:
            yield Problem(entry.path, entry.line_of(f"sources.{index}"),
                          f"source '{source}' is not defined in {SOURCES_FILE}; add it there or fix the id")
    for index, figure in enumerate(facts.published):
        if figure.source not in sources:
            yield Problem(entry.path, entry.line_of(f"published.{index}.source"),
                          f"source '{figure.source}' is not defined in {SOURCES_FILE}; add it there or fix the id")
        elif figure.source not in facts.sources:
            yield Problem(entry.path, entry.line_of(f"published.{index}.source"),
                          f"source '{figure.source}' must also be listed in the entry's sources")


def _read_mapping(path: Path, root: Path | None, problems: list[Problem], shape: str) -> YamlDocument | None:
    """An optional file whose top level is a mapping; None (and a Problem if it is malformed) otherwise."""
    if not path.exists():
        return None
    document = _read(path, root, problems)
    if document is not None and not isinstance(document.data, dict):
        problems.append(Problem(display_path(path, root), 1, f"must be a mapping of {shape}"))
        return None
    return document


def _load_mapping_file(path: Path, model: type[BaseModel], root: Path | None, problems: list[Problem],
                       places: dict[str, tuple[str, int | None]], kind: str) -> dict[str, Any]:
    """Read a file of `id: {fields}` pairs, validating each value against `model`; ids must be slugs."""
    document = _read_mapping(path, root, problems, "id: {fields}")
    if document is None:
        return {}
    shown = display_path(path, root)
    found: dict[str, Any] = {}
    for key, value in document.data.items():
        places[f"{kind}:{key}"] = (shown, document.lines.get((key,)))
        if not SLUG.fullmatch(key):
            problems.append(Problem(shown, document.lines.get((key,)), f"{kind} id '{short(key)}' is not valid; use a "
                                    "lowercase slug: letters a-z, digits and single hyphens, e.g. mixture-of-experts"))
            continue
        validated = validate(model, value, (key,), document.lines, shown, problems)
        if validated is not None:
            found[key] = validated
    for location, text in _strings(document.data, ()):
        for offset, message in markup_problems(text):
            line = document.lines.get(location + ("<value>",), document.lines.get(location))
            if line is not None:
                line += text.count("\n", 0, offset)
            problems.append(Problem(shown, line, f"{'.'.join(map(str, location))}: {message}"))
    return found


def _strings(data: Any, location: Location) -> Iterable[tuple[Location, str]]:
    if isinstance(data, str):
        yield location, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, location + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, location + (index,))


def _load_categories(path: Path, languages: Sequence[str], root: Path | None, problems: list[Problem],
                     places: dict[str, tuple[str, int | None]]) -> dict[str, dict[str, CategoryText]]:
    shown = display_path(path, root)
    raw = _load_mapping_file(path, _RawCategory, root, problems, places, "category")
    categories: dict[str, dict[str, CategoryText]] = {}
    for category_id, raw_category in raw.items():
        texts = raw_category.root
        missing = [language for language in languages if language not in texts]
        if missing:
            problems.append(Problem(shown, None, f"category '{category_id}': missing language {', '.join(missing)}"))
            continue
        categories[category_id] = {language: texts[language] for language in languages}
    return categories


class _RawCategory(RootModel[dict[str, CategoryText]]):
    pass


def _load_comparisons(path: Path, languages: Sequence[str], root: Path | None, problems: list[Problem],
                      places: dict[str, tuple[str, int | None]]) -> dict[str, Comparison]:
    document = _read_mapping(path, root, problems, "id: {entries, aspects, en, nl, ...}")
    if document is None:
        return {}
    shown = display_path(path, root)
    comparisons = {}
    for comparison_id, data in document.data.items():
        places[f"comparison:{comparison_id}"] = (shown, document.lines.get((comparison_id,)))
        if not SLUG.fullmatch(comparison_id):
            problems.append(Problem(shown, document.lines.get((comparison_id,)),
                                    f"comparison id '{short(comparison_id)}' is not valid; use a lowercase slug: "
                                    "letters a-z, digits and single hyphens, e.g. mixture-of-experts"))
            continue
        if not isinstance(data, dict):
            problems.append(Problem(shown, document.lines.get((comparison_id,)), f"{comparison_id}: must be a mapping"))
            continue
        facts = validate(ComparisonFacts, {k: v for k, v in data.items() if k not in languages}, (comparison_id,),
                          document.lines, shown, problems, extra_names=languages)
        texts = {}
        for language in languages:
            if language not in data:
                problems.append(Problem(shown, document.lines.get((comparison_id,)), f"{comparison_id}: missing language '{language}'"))
                continue
            text = validate(ComparisonText, data[language], (comparison_id, language), document.lines, shown, problems)
            if text is not None:
                texts[language] = text
        if facts is not None and len(texts) == len(languages):
            comparisons[comparison_id] = Comparison(comparison_id, facts, texts)
    return comparisons


def _comparison_problems(comparison: Comparison, entries: dict[str, Entry], shown: str) -> Iterable[Problem]:
    for entry_id in comparison.facts.entries:
        entry = entries.get(entry_id)
        if entry is None:
            yield Problem(shown, None, f"{comparison.id}: entry '{entry_id}' does not exist")
            continue
        for language, translation in entry.translations.items():
            for aspect in comparison.facts.aspects:
                if aspect not in translation.aspects:
                    yield Problem(entry.path, entry.line_of(language),
                                  f"{language}.aspects.{aspect}: missing (the comparison '{comparison.id}' shows it)")
