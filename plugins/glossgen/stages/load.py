"""YAML files in glossary/ -> a validated Glossary, or every problem found at once.

Layout of the folder: one `<id>.yml` per concept, plus the bibliography in `_sources.yml`
(or several `_sources*.yml` files: source id -> title, authors, year, url) and
`_categories.yml` (category id -> name and description per language).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from pydantic import BaseModel, RootModel, ValidationError

from ..core.errors import GlossaryError, Problem, display_path
from ..core.memo import Memo, digest
from ..core.model import (GENDERS, RESERVED_IDS, Category, CategoryText, Comparison, ComparisonFacts, ComparisonText, Entry,
                          EntrySchema, Glossary, Source, Translation)
from .lint import markup_problems
from .yamlfile import Location, YamlDocument, YamlProblem, read_yaml

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
                  require_all_languages: bool = True,
                  memo: Memo[str, LoadedEntry] | None = None) -> tuple[Glossary, list[Problem]]:
    """The valid part of the glossary in `folder`, and every problem found in the rest.

    With `require_all_languages=False` (translation status), an entry may lack languages
    other than the first; the build always requires all of them. `memo` holds entries by
    the bytes of their file, so that an edit re-reads only the edited entry.
    """
    memo = memo if memo is not None else Memo()
    problems: list[Problem] = []
    if not folder.is_dir():
        problems.append(Problem(display_path(folder, root), None, "glossary folder not found; create it or set glossary_dir"))
        return Glossary(tuple(languages), {}, {}, {}), problems
    sources: dict[str, Source] = {}
    for path in sorted(folder.glob("_sources*.yml")):
        for source_id, source in _load_mapping_file(path, Source, root, problems).items():
            if source_id in sources:
                problems.append(Problem(display_path(path, root), None,
                                        f"source '{source_id}' is defined in more than one _sources*.yml file; keep one"))
            sources[source_id] = source
    categories = {
        category_id: Category(category_id, texts)
        for category_id, texts in _load_categories(folder / CATEGORIES_FILE, languages, root, problems).items()
    }
    entries: dict[str, Entry] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "_")) or path.suffix not in (".yml", ".yaml"):
            continue
        entry = _load_entry_once(path, languages, root, problems, require_all_languages, memo)
        if entry is None:
            continue
        if entry.id in entries:
            problems.append(Problem(entry.path, entry.line_of("id"),
                                    f"id '{entry.id}' is already used by {entries[entry.id].path}; ids must be unique"))
            continue
        entries[entry.id] = entry
    for entry in entries.values():
        problems += _cross_reference_problems(entry, entries, sources, categories)
    comparisons = _load_comparisons(folder / COMPARISONS_FILE, languages, root, problems)
    for comparison in comparisons.values():
        problems += _comparison_problems(comparison, entries, display_path(folder / COMPARISONS_FILE, root))
    return Glossary(tuple(languages), dict(sorted(entries.items())), sources, categories, comparisons), problems


def _read(path: Path, root: Path | None, problems: list[Problem]) -> YamlDocument | None:
    try:
        return read_yaml(path)
    except YamlProblem as exc:
        problems.append(Problem(display_path(path, root), exc.line, exc.message))
    except OSError as exc:
        problems.append(Problem(display_path(path, root), None, f"cannot read file: {exc.strerror}"))
    return None


def _load_entry_once(path: Path, languages: Sequence[str], root: Path | None, problems: list[Problem],
                     require_all_languages: bool, memo: Memo[str, LoadedEntry]) -> Entry | None:
    """`_load_entry`, taken from `memo` when the file's bytes and the options are those it was read with."""
    try:
        content = path.read_bytes()
    except OSError:
        return _load_entry(path, languages, root, problems, require_all_languages)
    key = digest(content, display_path(path, root), repr((tuple(languages), require_all_languages)))

    def load() -> LoadedEntry:
        found: list[Problem] = []
        entry = _load_entry(path, languages, root, found, require_all_languages, key)
        return entry, tuple(found)

    entry, found = memo.get(key, load)
    problems += found
    return entry


def _load_entry(path: Path, languages: Sequence[str], root: Path | None, problems: list[Problem],
                require_all_languages: bool = True, key: str = "") -> Entry | None:
    shown = display_path(path, root)
    document = _read(path, root, problems)
    if document is None:
        return None
    data, lines = document.data, document.lines
    if not isinstance(data, dict):
        problems.append(Problem(shown, 1, "an entry must be a mapping of fields (id: ..., category: ..., en: ...)"))
        return None
    found: list[Problem] = []
    facts_data = {key: value for key, value in data.items() if key not in languages}
    facts = _validate(EntrySchema, facts_data, (), lines, shown, found, extra_names=languages)
    translations: dict[str, Translation] = {}
    for language in languages:
        if language not in data:
            if require_all_languages or language == languages[0]:
                found.append(Problem(shown, None, f"missing language '{language}' (every entry needs {', '.join(languages)})"))
            continue
        translation = _validate(Translation, data[language], (language,), lines, shown, found)
        if translation is not None:
            translations[language] = translation
            found += _grammar_problems(language, translation, facts, lines, shown)
            if language == languages[0] and translation.based_on is not None:
                found.append(Problem(shown, lines.get((language, "based_on")),
                                     f"{language}.based_on: the default language is not translated from anything; remove it"))
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


def _grammar_problems(language: str, text: Translation, facts: EntrySchema | None,
                      lines: dict[Location, int], shown: str) -> list[Problem]:
    genders = GENDERS.get(language)
    is_noun = facts is None or facts.pos in ("noun", "properNoun")
    line = lines.get((language,))
    if genders is None:
        if text.gender is not None:
            return [Problem(shown, lines.get((language, "gender")), f"{language}.gender: {language} nouns have no grammatical gender; remove it")]
        return []
    if text.gender is None:
        if is_noun:
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


def _load_mapping_file(path: Path, model: type[BaseModel], root: Path | None,
                       problems: list[Problem]) -> dict[str, Any]:
    """Read a file of `id: {fields}` pairs, validating each value against `model`."""
    document = _read_mapping(path, root, problems, "id: {fields}")
    if document is None:
        return {}
    shown = display_path(path, root)
    found: dict[str, Any] = {}
    for key, value in document.data.items():
        validated = _validate(model, value, (key,), document.lines, shown, problems)
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


def _load_categories(path: Path, languages: Sequence[str], root: Path | None,
                     problems: list[Problem]) -> dict[str, dict[str, CategoryText]]:
    shown = display_path(path, root)
    raw = _load_mapping_file(path, _RawCategory, root, problems)
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


def _load_comparisons(path: Path, languages: Sequence[str], root: Path | None,
                      problems: list[Problem]) -> dict[str, Comparison]:
    document = _read_mapping(path, root, problems, "id: {entries, aspects, en, nl, ...}")
    if document is None:
        return {}
    shown = display_path(path, root)
    comparisons = {}
    for comparison_id, data in document.data.items():
        if not isinstance(data, dict):
            problems.append(Problem(shown, document.lines.get((comparison_id,)), f"{comparison_id}: must be a mapping"))
            continue
        facts = _validate(ComparisonFacts, {k: v for k, v in data.items() if k not in languages}, (comparison_id,),
                          document.lines, shown, problems, extra_names=languages)
        texts = {}
        for language in languages:
            if language not in data:
                problems.append(Problem(shown, document.lines.get((comparison_id,)), f"{comparison_id}: missing language '{language}'"))
                continue
            text = _validate(ComparisonText, data[language], (comparison_id, language), document.lines, shown, problems)
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


def _validate(model: type[BaseModel], data: Any, location: Location, lines: dict[Location, int],
              shown: str, problems: list[Problem], extra_names: Sequence[str] = ()) -> Any:
    """Validate `data` against `model`, turning each pydantic error into a located Problem."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            where = location + tuple(error["loc"])
            problems.append(Problem(shown, _nearest_line(where, lines), _explain(model, where, error, extra_names)))
    return None


def _nearest_line(location: Location, lines: dict[Location, int]) -> int | None:
    while location:
        if location in lines:
            return lines[location]
        location = location[:-1]
    return None


def _explain(model: type[BaseModel], location: Location, error: dict[str, Any], extra_names: Sequence[str]) -> str:
    field = ".".join(str(part) for part in location) or "file"
    kind = error["type"]
    if kind == "missing":
        hint = " (every language needs term, short and body)" if model is Translation else ""
        return f"{field}: missing{hint}"
    if kind == "extra_forbidden":
        valid = sorted(_fields_at(model, location[len(location) - len(error['loc']):-1])) + list(extra_names)
        return f"unknown field '{field}'; valid fields here: {', '.join(valid)}"
    if kind == "string_too_short":
        return f"{field}: must not be empty"
    if kind == "string_type":
        return f"{field}: must be text, not {_describe(error['input'])}"
    if kind in ("tuple_type", "list_type"):
        return f"{field}: must be a list, e.g. [a, b], not {_describe(error['input'])}"
    if kind == "model_type" or kind == "dict_type":
        return f"{field}: must be a mapping of fields, not {_describe(error['input'])}"
    if kind == "string_pattern_mismatch":
        return f"{field}: '{error['input']}' is not valid; {_pattern_hint(location)}"
    if kind in ("int_parsing", "int_type"):
        return f"{field}: must be a whole number, not '{error['input']}'"
    if kind in ("decimal_parsing", "decimal_type"):
        return f"{field}: must be a number, not '{error['input']}'"
    return f"{field}: {error['msg'][0].lower()}{error['msg'][1:]}"


def _fields_at(model: type[BaseModel], relative: Location) -> list[str]:
    current: Any = model
    for part in relative:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        annotation = info.annotation
        args = getattr(annotation, "__args__", ())
        current = next((a for a in args if isinstance(a, type) and issubclass(a, BaseModel)), annotation)
    return list(getattr(current, "model_fields", {}))


def _pattern_hint(location: Location) -> str:
    last = next((part for part in reversed(location) if isinstance(part, str)), "")
    if last == "result":
        return "write snippet.result, e.g. dense_layer.total"
    if last == "examples":
        return "write a snippet name: lowercase letters, digits and underscores"
    if last == "url":
        return "write a full http(s) URL"
    return "use a lowercase slug: letters a-z, digits and single hyphens, e.g. mixture-of-experts"


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'"
