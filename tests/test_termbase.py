"""One term per concept per language: declared forms autolink and may be link texts; usage notes are data."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossgen.core.errors import GlossaryError
from glossgen.pipeline import build_site

from .helpers import Site, write_site


def test_an_inflected_form_autolinks_to_its_concept(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    site.edit("glossary/weights.yml", "  term: vikt\n", '  term: vikt\n  forms: ["vikterna"]\n')
    site.edit("glossary/error.yml", "Body of öga:", "Body of öga, som vikterna bär:")
    body = build_site(site.settings()).valid.texts["error", "sv"].body
    assert "[vikterna](weights.md" in body


def test_a_declared_form_may_be_a_link_text(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    site.edit("glossary/error.yml", "Body of öga:", 'Body of öga, som {{ link("weights", "vikterna") }} bär:')
    assert site.problems() == [
        "glossary/error.yml:LINE: sv.body: link text 'vikterna' is not a declared form of 'weights' in sv; write one of "
        "'vikt', or add it to weights's sv.forms".replace("LINE", str(_line(site, "glossary/error.yml", "vikterna")))]
    site.edit("glossary/weights.yml", "  term: vikt\n", '  term: vikt\n  forms: ["vikterna"]\n')
    assert site.problems() == []


@pytest.mark.build
def test_a_usage_note_is_shown_under_its_own_label(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    site.edit("glossary/weights.yml", "  term: vikt\n", "  term: vikt\n  usage: I facktext skrivs vikt, inte viktning.\n")
    result = site.build()
    assert result.returncode == 0, result.stderr
    note = site.html("sv/glossary/weights/index.html").select_one("article p.glossgen-usage")
    assert note is not None and note.get_text(" ", strip=True) == "Språkbruk: I facktext skrivs vikt, inte viktning."
    assert site.html("glossary/weights/index.html").select_one("article p.glossgen-usage") is None


def _line(site: Site, relative: str, text: str) -> int:
    lines = (site.root / relative).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_english_keeps_one_spelling_convention(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    site.edit("glossary/weights.yml", "Body of weight:", "Body of weight, a Colour of the optimised model:")
    line = _line(site, "glossary/weights.yml", "Colour")
    assert site.problems() == [
        f"glossary/weights.yml:{line}: en.body: 'Colour' is British spelling, and the glossary spells English as en-US; "
        "write 'Color'",
        f"glossary/weights.yml:{line}: en.body: 'optimised' is British spelling, and the glossary spells English as "
        "en-US; write 'optimized'"]
    site.edit("glossary/weights.yml", "a Colour of the optimised model", "a color of the optimized model")
    assert site.problems() == []
    problems = [str(problem) for problem in _problems(site, spelling="en-GB")]
    assert problems == [
        f"glossary/weights.yml:{line}: en.body: 'color' is American spelling, and the glossary spells English as en-GB; "
        "write 'colour'",
        f"glossary/weights.yml:{line}: en.body: 'optimized' is American spelling, and the glossary spells English as "
        "en-GB; write 'optimised'"]
    assert _problems(site, spelling="") == []


def _problems(site: Site, **settings: object) -> list:
    try:
        build_site(site.settings(**settings))
    except GlossaryError as error:
        return error.problems
    return []
