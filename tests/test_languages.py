"""Language facts as data: the page words' gettext catalogs, and grammatical genders per language."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from glossgen.core.genders import gender_problems, gender_table
from glossgen.core.labels import load_labels
from glossgen.core.messages import MESSAGES
from glossgen.stages.lint import figure_problems
from glossgen.stages.load import read_glossary

#: The languages whose catalogs glossgen ships.
SHIPPED = ("en", "nl", "sv", "de", "fr", "es", "it", "pt", "da", "nb", "fi", "pl", "ar", "he")
LOCALE = Path(str(resources.files("glossgen").joinpath("locale")))


@pytest.mark.parametrize("language", SHIPPED)
def test_every_shipped_catalog_translates_every_word_and_keeps_its_placeholders(language: str) -> None:
    labels, problems = load_labels([language], language)
    assert problems == []
    words = labels[language]
    assert set(words) == {message.key for message in MESSAGES if message.plural is None}
    for key, text in words.items():
        assert text.strip() and "{" not in text, (key, text)  # {language} filled in, nothing left over
        assert list(figure_problems(text, set())) == [] and not re.search(r"\d", text), (key, text)
    for count in (1, 2, 5, 22, 1000):
        assert words.count("concept_count", count).count(words.count("concept_count", count).split()[0]) >= 1
    if language != "en":  # a translation, not the English source left in place
        english = load_labels(["en"], "en")[0]["en"]
        assert sum(words[key] == english[key] for key in words) <= len(words) // 10, "most words should differ from English"


def test_the_plural_forms_follow_each_language_and_numbers_its_format() -> None:
    labels, _ = load_labels(["en", "fr", "pl", "de"], "en")
    assert labels["en"].count("concept_count", 1) == "1 concept"
    assert labels["en"].count("concept_count", 1000) == "1,000 concepts"
    assert labels["de"].count("concept_count", 1000) == "1.000 Begriffe"
    assert labels["fr"].count("concept_count", 0).split()[0] == "0"  # French: 0 and 1 take the singular
    assert labels["fr"].count("concept_count", 0).split()[1] == labels["fr"].count("concept_count", 1).split()[1]
    polish = {labels["pl"].count("concept_count", n).split(maxsplit=1)[1] for n in (1, 2, 5)}
    assert len(polish) == 3  # one, few, many


def test_the_template_and_every_catalog_list_exactly_the_source_messages(tmp_path: Path) -> None:
    """`make catalogs` was run after the last change to core/messages.py."""
    template = tmp_path / "glossgen.pot"
    subprocess.run([Path(sys.executable).parent / "pybabel", "extract", "--no-default-keywords", "-k", "pgettext:1c,2",
                    "-k", "npgettext:1c,2,3", "-o", str(template), str(Path(resources.files("glossgen")) / "core/messages.py")],
                   check=True, capture_output=True)
    expected = {(message.context, message.id) for message in read_po(template.open("rb")) if message.id}
    assert expected == {(message.key, message.text if message.plural is None else (message.text, message.plural))
                        for message in MESSAGES}
    for path in [LOCALE / "glossgen.pot", *(LOCALE / language / "LC_MESSAGES/glossgen.po" for language in SHIPPED)]:
        assert {(message.context, message.id) for message in read_po(path.open("rb")) if message.id} == expected, path


def catalog(entries: dict[str, str], language: str = "sv") -> str:
    body = "".join(f'msgctxt "{key}"\nmsgid "{next(m.text for m in MESSAGES if m.key == key)}"\nmsgstr "{text}"\n\n'
                   for key, text in entries.items())
    return f'msgid ""\nmsgstr ""\n"Language: {language}\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n\n{body}'


def write_catalog(folder: Path, language: str, text: str) -> Path:
    path = folder / language / "LC_MESSAGES" / "glossgen.po"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_site_catalog_overrides_a_shipped_word_and_keeps_the_rest(tmp_path: Path) -> None:
    write_catalog(tmp_path / "locale", "sv", catalog({"category": "Ämnesområde"}))
    labels, problems = load_labels(["en", "sv"], "en", tmp_path / "locale", tmp_path)
    assert problems == []
    assert labels["sv"]["category"] == "Ämnesområde"
    assert labels["sv"]["sources"] == load_labels(["sv"], "sv")[0]["sv"]["sources"] == "Källor"
    assert labels["en"]["category"] == "Category"


def test_a_language_without_its_words_warns_naming_them_and_shows_the_default_language(tmp_path: Path) -> None:
    write_catalog(tmp_path / "locale", "is", catalog({"category": "Flokkur"}, "is"))
    labels, problems = load_labels(["sv", "is"], "sv", tmp_path / "locale", tmp_path)
    assert len(problems) == 1 and problems[0].warning
    assert str(problems[0]).startswith(f"locale/is/LC_MESSAGES/glossgen.po: {len(MESSAGES) - 1} of {len(MESSAGES)} "
                                       "page words have no is translation (abbreviation, synonyms, deprecated, usage, "
                                       "gender, plural, …); they show in sv")
    assert labels["is"]["category"] == "Flokkur"
    assert labels["is"]["sources"] == "Källor"                  # the default language's word meanwhile
    assert labels["is"].count("concept_count", 2) == "2 begrepp"


def test_a_translation_that_drops_a_placeholder_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = write_catalog(tmp_path / "locale", "sv", catalog({"category": "Kategori", "outdated_notice": "Inaktuell."}))
    labels, problems = load_labels(["en", "sv"], "en", tmp_path / "locale", tmp_path)
    line = path.read_text().splitlines().index('msgctxt "outdated_notice"') + 2  # its msgid
    assert [str(problem) for problem in problems] == [
        f'locale/sv/LC_MESSAGES/glossgen.po:{line}: msgctxt "outdated_notice": the translation must keep {{language}} '
        "as it is"]
    assert labels["sv"]["outdated_notice"].startswith("Den här texten kan vara inaktuell")  # the broken one is not used


def test_a_broken_catalog_is_one_located_error(tmp_path: Path) -> None:
    write_catalog(tmp_path / "locale", "sv", 'msgid ""\nmsgstr ""\n\nmsgctxt "category"\nmsgid "Category\n')
    _, problems = load_labels(["en", "sv"], "en", tmp_path / "locale", tmp_path)
    assert len(problems) == 1 and not problems[0].warning
    assert str(problems[0]) == "locale/sv/LC_MESSAGES/glossgen.po:5: not a valid gettext catalog: missing msgstr for msgid 'Categor'"


# --- grammatical gender -------------------------------------------------------------------------

TERMS = {"en": "weight", "fr": "poids", "fi": "paino", "de": "Gewicht", "ro": "pondere"}


def glossary_with(tmp_path: Path, genders: dict[str, str | None], languages: tuple[str, ...]) -> Path:
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "_categories.yml").write_text("basics:\n" + "".join(
        f"  {language}: {{name: Basics {language}, description: The parts of a model.}}\n" for language in languages))
    blocks = []
    for language in languages:
        lines = [f"{language}:", f"  term: {TERMS[language]}"]
        if genders.get(language):
            lines.append(f"  gender: {genders[language]}")
        lines += [f"  short: A weight in {language}.", f"  body: The weight, in {language}."]
        blocks.append("\n".join(lines))
    (folder / "weights.yml").write_text("id: weights\ncategory: basics\n" + "\n".join(blocks) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(("genders", "expected"), [
    ({"fr": "le", "de": "das"}, []),
    ({"de": "das"}, ["glossary/weights.yml:7: fr.gender: missing (a fr noun needs its article: le/la)"]),
    ({"fr": "le", "de": "das", "fi": "se"},
     ["glossary/weights.yml:14: fi.gender: fi nouns have no grammatical gender; remove it (or list the language's "
      "genders under the glossgen plugin's `genders` option)"]),
    ({"fr": "le", "de": "dat"}, ["glossary/weights.yml:18: de.gender: 'dat' is not an article of de; use one of der, die, das"]),
])
def test_gender_follows_each_language(tmp_path: Path, genders: dict[str, str], expected: list[str]) -> None:
    folder = glossary_with(tmp_path, genders, ("en", "fr", "fi", "de"))
    glossary, problems = read_glossary(folder, ("en", "fr", "fi", "de"), tmp_path)
    assert [str(problem) for problem in problems] == expected
    if not expected:
        assert glossary.genders["fr"]["le"] == "masculine" and "fi" not in glossary.genders


def test_a_site_adds_the_genders_of_its_own_language(tmp_path: Path) -> None:
    folder = glossary_with(tmp_path, {"ro": "o"}, ("en", "ro"))
    _, problems = read_glossary(folder, ("en", "ro"), tmp_path)
    assert [str(problem) for problem in problems] == [
        "glossary/weights.yml:9: ro.gender: ro nouns have no grammatical gender; remove it (or list the language's "
        "genders under the glossgen plugin's `genders` option)"]
    site = {"ro": {"un": "masculine", "o": "feminine"}}
    glossary, problems = read_glossary(folder, ("en", "ro"), tmp_path, genders=gender_table(site))
    assert problems == [] and glossary.genders["ro"]["o"] == "feminine"
    assert gender_problems(site, "mkdocs.yml") == []
    assert [str(problem) for problem in gender_problems({"ro": {"o": "female"}}, "mkdocs.yml")] == [
        "mkdocs.yml: genders.ro.o: 'female' is not a TBX-Basic gender; use one of masculine, feminine, neuter, other"]
