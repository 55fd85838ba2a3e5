"""The words generated pages use around entry text, per language, from gettext catalogs.

glossgen ships a catalog per language (`glossgen/locale/<language>/LC_MESSAGES/glossgen.po`,
made from `core/messages.py` with Babel's tools). A site may add its own catalogs in the same
layout (the plugin's `locale_dir`): a string there overrides the shipped one. A string neither
has falls back to the site's default language, then to English, and is reported as missing.
"""

from __future__ import annotations

import gettext
import re
from functools import cache
from dataclasses import dataclass, field
from importlib import resources
from io import BytesIO
from pathlib import Path
from typing import Iterator, Mapping, Sequence

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_decimal

from .errors import Problem, display_path
from .messages import MESSAGES, Message

DOMAIN = "glossgen"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
SOURCE_LANGUAGE = "en"  # the language of core/messages.py


@dataclass(frozen=True)
class Source:
    """One catalog as gettext reads it, and the keys it translates."""

    keys: frozenset[str]
    mo: bytes = field(repr=False)  # the compiled catalog: plain bytes, so that a build's memory can be saved

    @property
    def translations(self) -> gettext.GNUTranslations:
        return gettext.GNUTranslations(BytesIO(self.mo))


@dataclass(frozen=True)
class Labels(Mapping[str, str]):
    """One language's page words by key (`labels["category"]`), with `count` for the words that have plurals."""

    language: str
    texts: Mapping[str, str]
    sources: tuple[Source, ...] = field(repr=False, compare=False)
    missing: tuple[str, ...] = ()  # keys that fell back to another language

    def __getitem__(self, key: str) -> str:
        return self.texts[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.texts)

    def __len__(self) -> int:
        return len(self.texts)

    def count(self, key: str, number: int) -> str:
        """The plural message `key` for `number` things, with the number in the language's format."""
        message = _BY_KEY[key]
        assert message.plural is not None, key
        text = _giver(self.sources, key).npgettext(key, message.text, message.plural, number)
        return text.format(count=format_decimal(number, locale=_babel_locale(self.language) or SOURCE_LANGUAGE,
                                                numbering_system="default"))


_BY_KEY: Mapping[str, Message] = {message.key: message for message in MESSAGES}


def catalog_path(folder: Path, language: str) -> Path:
    return folder / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_labels(languages: Sequence[str], default_language: str, site_locale_dir: Path | None = None,
                root: Path | None = None) -> tuple[dict[str, Labels], list[Problem]]:
    """Every language's labels, and the problems found: a broken site catalog is an error; strings a language
    lacks are a warning, and show in the default language (or English) meanwhile."""
    problems: list[Problem] = []
    own: dict[str, list[Source]] = {}
    for language in dict.fromkeys([default_language, *languages]):
        own[language] = []
        if site_locale_dir is not None and catalog_path(site_locale_dir, language).is_file():
            path = catalog_path(site_locale_dir, language)
            catalog, errors = _read(path.read_bytes(), language, display_path(path, root))
            problems += errors
            own[language].append(_source(catalog))
        shipped = _shipped(language)
        if shipped is not None:
            own[language].append(shipped)
    result: dict[str, Labels] = {}
    for language in languages:
        sources = tuple(own[language] + (own[default_language] if language != default_language else []))
        known = {key for source in own[language] for key in source.keys}
        missing = () if _is_source(language) else tuple(m.key for m in MESSAGES if m.key not in known)
        if missing:
            shown = display_path(catalog_path(site_locale_dir or (root or Path()) / "locale", language), root)
            words = ", ".join(missing[:6]) + (", …" if len(missing) > 6 else "")
            problems.append(Problem(shown, None, (
                f"{len(missing)} of {len(MESSAGES)} page words have no {language} translation ({words}); they show "
                f"in {default_language if language != default_language else SOURCE_LANGUAGE} until this catalog "
                "has them"), warning=True))
        name = _language_name(default_language, language)
        givers: dict[int, gettext.NullTranslations] = {}
        texts = {message.key: _giver(sources, message.key, givers).pgettext(message.key, message.text)
                 .replace("{language}", name) for message in MESSAGES if message.plural is None}
        result[language] = Labels(language, texts, sources, missing)
    return result, problems


def _giver(sources: Sequence[Source], key: str,
           read: dict[int, gettext.NullTranslations] | None = None) -> gettext.NullTranslations:
    """The first catalog that translates `key`; English, the messages' own language, when none does.
    `read` keeps the catalogs already read, by their place in `sources`."""
    read = read if read is not None else {}
    for index, source in enumerate(sources):
        if key in source.keys:
            if index not in read:
                read[index] = source.translations
            return read[index]
    return gettext.NullTranslations()


def _is_source(language: str) -> bool:
    return language.replace("-", "_").split("_")[0] == SOURCE_LANGUAGE


@cache
def _shipped(language: str) -> Source | None:
    """The catalog glossgen ships for `language` (pt-BR: pt_BR, else pt), read once per process: package data."""
    folder = resources.files("glossgen").joinpath("locale")
    for name in dict.fromkeys([language.replace("-", "_"), language.replace("-", "_").split("_")[0]]):
        candidate = folder.joinpath(name, "LC_MESSAGES", f"{DOMAIN}.po")
        if candidate.is_file():
            return _source(_read(candidate.read_bytes(), language, f"glossgen/locale/{name}")[0])
    return None


def _source(catalog: Catalog) -> Source:
    buffer = BytesIO()
    write_mo(buffer, catalog)
    return Source(frozenset(_translated(catalog)), buffer.getvalue())


def _read(data: bytes, language: str, shown: str) -> tuple[Catalog, list[Problem]]:
    """A catalog, and its problems: syntax, and translations that lose or add a placeholder."""
    locale = _babel_locale(language)
    try:
        catalog = read_po(BytesIO(data), locale=locale, domain=DOMAIN, abort_invalid=True)
    except PoFileError as error:
        line = error.lineno + 1  # Babel counts the file's lines from 0
        return Catalog(locale=locale), [Problem(shown, line, f"not a valid gettext catalog: {str(error).rsplit(' on ', 1)[0]}")]
    problems = []
    for message in catalog:
        if not message.id or message.context not in _BY_KEY:
            continue
        wanted = set(PLACEHOLDER.findall(_BY_KEY[message.context].text))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if any(string and set(PLACEHOLDER.findall(string)) != wanted for string in strings):
            expected = ", ".join(f"{{{name}}}" for name in sorted(wanted)) or "no placeholder"
            problems.append(Problem(shown, message.lineno,
                                    f'msgctxt "{message.context}": the translation must keep {expected} as it is'))
            message.string = tuple("" for _ in strings) if isinstance(message.string, tuple) else ""  # never used
    return catalog, problems


def _translated(catalog: Catalog) -> Iterator[str]:
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and message.context in _BY_KEY and not message.fuzzy and all(strings):
            yield message.context


def parse_locale(language: str) -> Locale | None:
    """CLDR's locale for a site's language code (fr, pt-BR, pt_BR), or None when CLDR does not know it."""
    try:
        return Locale.parse(language, sep="-" if "-" in language else "_")
    except (UnknownLocaleError, ValueError):
        return None


def _babel_locale(language: str) -> str | None:
    locale = parse_locale(language)
    return str(locale) if locale is not None else None


def _language_name(language: str, in_language: str) -> str:
    """`language`'s name as CLDR writes it in `in_language` (English, anglais, Englisch)."""
    where, named = parse_locale(in_language), parse_locale(language)
    if where is None or named is None:
        return language
    return where.languages.get(language.replace("-", "_")) or named.get_display_name(where) or language
