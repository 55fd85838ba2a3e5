"""Diagrams: one drawing per entry, its words in each language, checked at the input and kept safe at the output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from glossgen.core.sanitize import sanitize
from glossgen.pipeline import build_site, export
from glossgen.stages import diagrams

from .helpers import Site, write_site

DRAWING = """\
diagram: |
  <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 120" width="300" height="120">
    <defs>
      <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
        <path d="M0 0L10 5L0 10z" class="arrowhead"/>
      </marker>
    </defs>
    <rect x="10" y="40" width="120" height="40" class="box"/>
    <text x="70" y="60" text-anchor="middle" data-label="weight" data-max="16"/>
    <path d="M130 60H190" class="line" marker-end="url(#arrow)"/>
    <text x="240" y="60" text-anchor="middle" data-label="output" data-max="12"/>
    <text x="160" y="20" text-anchor="middle">W</text>
  </svg>
"""
WORDS = {
    "en": {"caption": "A weight scales its input.", "weight": "weight", "output": "output"},
    "nl": {"caption": "Een gewicht schaalt zijn invoer.", "weight": "gewicht", "output": "uitvoer"},
    "sv": {"caption": "En vikt skalar sin indata.", "weight": "vikt\n(lärd)", "output": "utdata"},
    "de": {"caption": "Ein Gewicht skaliert seine Eingabe.", "weight": "Gewicht", "output": "Ausgabe"},
}
TERMS = {"en": "  term: weight\n", "nl": "  term: gewicht\n", "sv": "  term: vikt\n", "de": "  term: Gewicht\n"}


def with_diagram(site: Site, drawing: str = DRAWING, words: dict[str, dict[str, str]] = WORDS) -> None:
    """The drawing in weights.yml, and each language's words (json strings are valid YAML)."""
    site.edit("glossary/weights.yml", "examples: [dense]\n", f"examples: [dense]\n{drawing}")
    for language, term in TERMS.items():
        if language in words:
            site.edit("glossary/weights.yml", term, f"{term}  diagram: {json.dumps(words[language], ensure_ascii=False)}\n")


def line_of(site: Site, text: str) -> int:
    lines = (site.root / "glossary/weights.yml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return write_site(tmp_path)


def test_the_drawing_shows_each_languages_words(site: Site) -> None:
    with_diagram(site)
    assert site.problems() == []
    pages = {page.path: page.content for page in build_site(site.settings()).pages}
    for language, name in (("en", "weights.md"), ("sv", "weights.sv.md"), ("de", "weights.de.md")):
        figure = BeautifulSoup(pages[name], "html.parser").select_one("figure.glossgen-diagram")
        svg = figure.select_one("svg")
        assert svg["role"] == "img" and svg.title.get_text() == WORDS[language]["caption"]
        assert figure.figcaption.get_text() == WORDS[language]["caption"]
        labels = [text.get_text("|") for text in svg.select("text")]
        assert labels == [WORDS[language]["weight"].replace("\n", "|"), WORDS[language]["output"], "W"]
    # A label over two lines: one tspan per line, centred on the text's own position.
    swedish = BeautifulSoup(pages["weights.sv.md"], "html.parser").select("figure svg text")[0]
    assert [(tspan["x"], tspan["dy"], tspan.get_text()) for tspan in swedish.select("tspan")] == [
        ("70", "-0.6em", "vikt"), ("70", "1.2em", "(lärd)")]


def test_the_drawing_is_one_html_block_with_ids_of_its_own(site: Site) -> None:
    with_diagram(site)
    page = next(page.content for page in build_site(site.settings()).pages if page.path == "weights.md")
    block = page[page.index('<figure class="glossgen-diagram"'):page.index("</figure>")]
    assert "\n\n" not in block and all(line.strip() for line in block.splitlines())  # Markdown keeps it whole
    svg = BeautifulSoup(block, "html.parser").select_one("svg")
    assert svg.select_one("marker")["id"] == "weights-diagram-arrow"
    assert svg.select_one("path.line")["marker-end"] == "url(#weights-diagram-arrow)"
    markup = block[block.index("<svg"):block.index("</svg>") + len("</svg>")]
    assert sanitize(markup) == markup  # the page's allowlist keeps all of it


def test_words_are_text_never_markup(site: Site) -> None:
    words = {**WORDS, "nl": {**WORDS["nl"], "output": "<b>uit</b>"}}
    with_diagram(site, words=words)
    line = line_of(site, "<b>uit</b>")
    assert site.problems() == [f"glossary/weights.yml:{line}: nl.diagram.output: raw HTML '<b>' is not allowed; write "
                               "Markdown instead",
                               f"glossary/weights.yml:{line}: nl.diagram.output: raw HTML '</b>' is not allowed; write "
                               "Markdown instead"]
    # And where no check stood before it, the drawing escapes what it is given.
    drawing = DRAWING.split("|\n", 1)[1].replace("\n  ", "\n")
    svg = BeautifulSoup(diagrams.render(drawing, {"caption": "<i>c</i>", "weight": "<b>&amp;</b>", "output": "x"},
                                        "weights"), "html.parser")
    assert svg.select_one("b") is None and svg.select_one("i") is None
    assert svg.select("text")[0].get_text() == "<b>&amp;</b>" and svg.title.get_text() == "<i>c</i>"


def test_the_json_export_carries_each_languages_drawing(site: Site) -> None:
    with_diagram(site)
    exported = json.loads(export(site.settings(), formats=["json"])["glossary.json"])
    weights = next(concept for concept in exported["concepts"] if concept["id"] == "weights")
    german = weights["translations"]["de"]["diagram"]
    assert german["caption"] == WORDS["de"]["caption"] and ">Ausgabe</text>" in german["svg"]
    assert all(concept["translations"]["en"]["diagram"] is None for concept in exported["concepts"]
               if concept["id"] != "weights")


def test_a_missing_label_names_the_language_and_the_labels(site: Site) -> None:
    words = {**WORDS, "sv": {"caption": "En vikt skalar sin indata.", "weight": "vikt"}}
    with_diagram(site, words=words)
    assert site.problems() == [f"glossary/weights.yml:{line_of(site, 'En vikt skalar')}: sv.diagram: missing label "
                               "'output' (the drawing shows weight, output)"]


def test_a_language_without_words_is_an_error_not_an_empty_drawing(site: Site) -> None:
    with_diagram(site, words={language: words for language, words in WORDS.items() if language != "de"})
    line = line_of(site, "de:")
    assert site.problems() == [
        f"glossary/weights.yml:{line}: de.diagram: missing 'caption': the figure's caption, also read out by screen readers",
        f"glossary/weights.yml:{line}: de.diagram: missing label 'weight' (the drawing shows weight, output)",
        f"glossary/weights.yml:{line}: de.diagram: missing label 'output' (the drawing shows weight, output)"]


def test_a_line_too_long_for_its_place_is_an_error(site: Site) -> None:
    words = {**WORDS, "de": {**WORDS["de"], "weight": "Gewicht\nvortrainiert und eingefroren"}}
    with_diagram(site, words=words)
    assert site.problems() == [f"glossary/weights.yml:{line_of(site, 'vortrainiert')}: de.diagram: 'vortrainiert und "
                               "eingefroren' has 28 characters; the drawing has room for 16 per line (break it over "
                               "lines, or shorten it)"]


def test_an_unknown_label_is_named(site: Site) -> None:
    words = {**WORDS, "en": {**WORDS["en"], "input": "input"}}
    with_diagram(site, words=words)
    assert site.problems() == [f"glossary/weights.yml:{line_of(site, 'A weight scales')}: en.diagram: the drawing has "
                               "no label 'input'; its labels are weight, output"]


def test_words_without_a_drawing_are_an_error(site: Site) -> None:
    site.edit("glossary/weights.yml", TERMS["nl"], f"{TERMS['nl']}  diagram: {{caption: Een gewicht.}}\n")
    assert site.problems() == [f"glossary/weights.yml:{line_of(site, 'Een gewicht.')}: nl.diagram: the entry has no "
                               "diagram to put these words in; remove them or add one"]


@pytest.mark.parametrize(("drawing", "message"), [
    pytest.param(DRAWING.replace('class="box"/>', 'class="box">'), "diagram: not well-formed SVG (mismatched tag) at "
                 "column 3; fix the markup", id="malformed"),
    pytest.param(DRAWING.replace('data-max="12"', ""), "diagram: data-label 'output' needs data-max, the characters a "
                 "line of it has room for", id="no-room"),
    pytest.param(DRAWING.replace('<text x="70" y="60" text-anchor="middle" data-label="weight" data-max="16"/>',
                                 '<text x="70" y="60" data-label="weight" data-max="16">weight</text>'),
                 "diagram: data-label 'weight': leave the <text> empty; each language gives its words", id="words-in-drawing"),
    pytest.param(DRAWING.replace("<svg ", "<html ").replace("</svg>", "</html>"),
                 'diagram: the drawing must be one <svg xmlns="http://www.w3.org/2000/svg"> element', id="not-svg"),
])
def test_a_drawing_that_cannot_be_shown_is_located(site: Site, drawing: str, message: str) -> None:
    with_diagram(site, drawing)
    problems = site.problems()
    assert len(problems) == 1 and problems[0].endswith(f": {message}"), problems


def test_a_malformed_drawing_names_its_line_in_the_file(site: Site) -> None:
    with_diagram(site, DRAWING.replace('class="box"/>', 'class="box">'))
    line = line_of(site, "</svg>")  # where expat finds that the <rect> was left open
    assert site.problems()[0].startswith(f"glossary/weights.yml:{line}: ")


@pytest.mark.parametrize(("change", "lost"), [
    pytest.param(("<defs>", "<script>alert(1)</script><defs>"), "<script>", id="script"),
    pytest.param(('class="box"/>', 'class="box" onclick="alert(1)"/>'), "onclick on <rect>", id="event-handler"),
    pytest.param(('marker-end="url(#arrow)"', 'marker-end="url(https://example.org/m.svg#a)"'), "marker-end on <path>",
                 id="outside-url"),
    pytest.param(("<defs>", '<use href="https://example.org/x.svg#a"/><defs>'),
                 "href 'https://example.org/x.svg#a' on <use>", id="outside-use"),
    pytest.param(("<defs>", '<image href="https://example.org/tracker.png"/><defs>'), "<image>", id="image"),
    pytest.param(("<defs>", '<foreignObject><p>x</p></foreignObject><defs>'), "<foreignobject>", id="foreign-object"),
    pytest.param(('class="box"/>', 'class="box" style="fill: url(https://example.org/)"/>'), "style on <rect>",
                 id="style"),
])
def test_a_drawing_that_would_run_or_load_something_is_refused(site: Site, change: tuple[str, str], lost: str) -> None:
    with_diagram(site, DRAWING.replace(*change))
    problems = site.problems()
    assert len(problems) == 1 and lost in problems[0] and problems[0].startswith(
        f"glossary/weights.yml:{line_of(site, 'diagram: |') + 1}: diagram: the page would lose "), problems


def test_a_declaration_is_refused_before_parsing() -> None:
    bomb = '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">&b;</svg>'
    with pytest.raises(diagrams.DiagramProblem, match="may not declare a DOCTYPE or entities"):
        diagrams.parse(bomb)


def test_a_drawing_nested_too_deep_is_refused_not_a_crash() -> None:
    deep = '<svg xmlns="http://www.w3.org/2000/svg">' + "<g>" * 5000 + "</g>" * 5000 + "</svg>"
    with pytest.raises(diagrams.DiagramProblem, match="nests elements more than 32 deep"):
        diagrams.parse(deep)


def test_the_output_allowlist_holds_even_for_a_drawing_the_input_check_never_saw() -> None:
    hostile = ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><a href="javascript:alert(1)">'
               '<text onmouseover="alert(1)">x</text></a><use href="https://example.org/x.svg#a"/>'
               '<path d="M0 0" marker-end="url(https://example.org/)" fill="url(#ok)"/></svg>')
    assert sanitize(hostile) == ('<svg xmlns="http://www.w3.org/2000/svg"><a><text>x</text></a><use></use>'
                                 '<path d="M0 0" fill="url(#ok)"></path></svg>')


@pytest.mark.build
def test_the_built_pages_show_the_drawing_whole(site: Site) -> None:
    with_diagram(site)
    result = site.build()
    assert result.returncode == 0, result.stderr
    for relative, language in (("glossary/weights/index.html", "en"), ("sv/glossary/weights/index.html", "sv")):
        figure = site.html(relative).select_one("article figure.glossgen-diagram")
        svg = figure.select_one("svg")
        assert svg.title.get_text() == figure.figcaption.get_text() == WORDS[language]["caption"]
        assert [text.get_text("|") for text in svg.select("text")][1] == WORDS[language]["output"]
        assert svg.select_one("path.line")["marker-end"] == "url(#weights-diagram-arrow)"  # kept by the page's allowlist
    # Search finds the concepts a page is about, not the words of its drawing (a label names other concepts).
    index = (site.site_dir / "sv/search/search_index.json").read_text(encoding="utf-8")
    assert "Short definition of vikt in sv." in index and WORDS["sv"]["caption"] not in index
    # On the whole-glossary page too, with ids that stay unique there.
    printed = site.html("sv/glossary/print/index.html").select("figure.glossgen-diagram svg marker")
    assert [marker["id"] for marker in printed] == ["weights-diagram-arrow"]
