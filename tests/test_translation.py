"""Keeping four languages in step: status, outdated pages, recording a translation, new entries."""

from __future__ import annotations

import json

import pytest

from .helpers import Site


def status(site: Site) -> dict:
    result = site.glossgen("status", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["languages"]


@pytest.mark.build
def test_changed_english_text_marks_the_other_languages_outdated_until_recorded(site: Site) -> None:
    assert {language: counts["outdated"] for language, counts in status(site).items()} == {"en": 0, "nl": 0, "sv": 0, "de": 0}
    path = site.root / "glossary/zebra.yml"
    path.write_text(path.read_text().replace("Short definition of zebra in en.", "A striped horse, in en."))

    report = status(site)
    assert {language: report[language]["outdated_ids"] for language in report} == {"en": [], "nl": ["zebra"], "sv": ["zebra"], "de": ["zebra"]}
    text = site.glossgen("status").stdout
    assert "nl: 3 complete, 0 unfinished, 1 outdated, 0 missing\n  outdated: zebra" in text

    assert site.build().returncode == 0
    for language, notice in (("nl", "Deze tekst is mogelijk verouderd"), ("sv", "Den här texten kan vara inaktuell"), ("de", "Dieser Text ist möglicherweise veraltet")):
        outdated = site.html(f"{language}/glossary/zebra/index.html").select("article .glossgen-outdated")
        assert len(outdated) == 1 and outdated[0].get_text().startswith(notice)
        assert not site.html(f"{language}/glossary/apple/index.html").select(".glossgen-outdated")
    assert not site.html("glossary/zebra/index.html").select(".glossgen-outdated")

    recorded = site.glossgen("translated", "zebra", "nl", "sv")
    assert recorded.returncode == 0, recorded.stderr
    report = status(site)
    assert {language: report[language]["outdated_ids"] for language in report} == {"en": [], "nl": [], "sv": [], "de": ["zebra"]}


def test_a_missing_language_is_reported_by_status_and_stops_the_build(site: Site) -> None:
    path = site.root / "glossary/apple.yml"
    path.write_text(path.read_text().split("\nsv:")[0] + "\n")
    report = status(site)
    assert report["sv"]["missing_ids"] == ["apple"] and report["de"]["missing_ids"] == ["apple"]
    assert site.glossgen("validate").returncode == 1


def test_a_new_entry_asks_for_its_articles_and_counts_as_unfinished(site: Site) -> None:
    result = site.glossgen("new", "batch-normalization")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Created glossary/batch-normalization.yml. Fill in, for each of en, nl, sv, de:")
    validated = site.glossgen("validate")
    assert validated.returncode == 1
    assert "glossary/batch-normalization.yml:14: nl.gender: missing (a nl noun needs its article: de/het)" \
        in validated.stderr.splitlines()
    assert "# the article of the term: one of der, die, das" in (site.root / "glossary/batch-normalization.yml").read_text()
    report = status(site)
    assert {language: report[language]["unfinished_ids"] for language in report} == {
        language: ["batch-normalization"] for language in ("en", "nl", "sv", "de")}
    assert report["en"]["complete"] == 4


def test_unfinished_text_is_a_warning_in_validate_and_fails_a_strict_build(site: Site) -> None:
    site.edit("glossary/zebra.yml", "Short definition of zebra in en.", '"To be written: one sentence that defines zebra."')
    validated = site.glossgen("validate")
    assert validated.returncode == 0, validated.stderr
    assert validated.stderr.splitlines() == [
        "glossary/zebra.yml:8: en.short: unfinished (it still holds what glossgen new wrote); write it"]
    assert validated.stdout.strip() == "4 entries in 4 languages, 1 snippets: valid, with 1 warning(s) above."
    built = site.build()
    assert built.returncode != 0
    assert any(line.endswith("glossary/zebra.yml:8: en.short: unfinished (it still holds what glossgen new wrote); "
                             "write it") for line in built.stderr.splitlines()), built.stderr


def test_usage_errors_are_one_line_with_the_valid_choices(site: Site) -> None:
    cases = [
        (("translated", "zebra", "fr"), "glossgen: Invalid value for LANGUAGES: 'fr' is not one of en, nl, sv, de. (see glossgen --help)"),
        (("new", "Bad Id"), "glossgen: 'Bad Id' is not a usable id; use a lowercase slug such as mixture-of-experts (see glossgen --help)"),
        (("new", "zebra"), "glossgen: glossary/zebra.yml already exists (see glossgen --help)"),
        (("new", "okapi", "--category", "animals"), "glossgen: Invalid value for '--category': 'animals' is not one of basics. (see glossgen --help)"),
        (("frobnicate",), "glossgen: No such command 'frobnicate'. (see glossgen --help)"),
    ]
    for args, message in cases:
        result = site.glossgen(*args)
        assert result.returncode == 2, args
        assert result.stderr.splitlines() == [message]
