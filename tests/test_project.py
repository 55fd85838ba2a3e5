"""The project's own site: a strict build, every figure in every language, no broken link."""

from __future__ import annotations

import json
import re
import subprocess
from xml.etree import ElementTree
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from glossgen.core import numbers
from glossgen.core.markdown import plain_text
from glossgen.core.model import Glossary
from glossgen.core.results import ValidGlossary
from glossgen.config import settings_from
from glossgen.pipeline import validate_glossary
from mkdocs.config import load_config

from .helpers import LANGUAGES, PROJECT_ROOT as ROOT

pytestmark = pytest.mark.build  # the project's own site, built once for the whole session
EXPECTED = json.loads((ROOT / "tests/expected_results.json").read_text(encoding="utf-8"))
FIGURE_CALL = re.compile(r'\{\{\s*(n|approx|percent)\(\s*"([a-z0-9_]+)\.([a-z0-9_]+)"\s*(?:,\s*(?:digits=)?(\d+)\s*)?\)\s*\}\}')


def prefix(language: str) -> str:
    return "" if language == "en" else f"{language}/"


@pytest.fixture(scope="module")
def site(project_site: Path) -> Path:
    return project_site


@pytest.fixture(scope="module")
def valid() -> ValidGlossary:
    """The glossary as the site's build sees it: its mkdocs.yml's languages and Markdown extensions."""
    return validate_glossary(settings_from(load_config(str(ROOT / "mkdocs.yml"))))


@pytest.fixture(scope="module")
def glossary(valid: ValidGlossary) -> Glossary:
    return valid.glossary


def page(site: Path, relative: str) -> BeautifulSoup:
    return BeautifulSoup((site / relative).read_text(encoding="utf-8"), "html.parser")


def test_the_glossary_holds_the_concepts_it_was_designed_around(glossary: Glossary) -> None:
    assert {"model-parameters", "hyperparameters", "features", "lora", "mixture-of-experts"} <= set(glossary.entries)
    assert len(glossary.entries) >= 30


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_figure_appears_formatted_for_the_language(site: Path, glossary: Glossary, language: str) -> None:
    checked = 0
    for entry in glossary.entries.values():
        text = page(site, f"{prefix(language)}glossary/{entry.id}/index.html").find("article").get_text()
        for kind, snippet, result, digits in FIGURE_CALL.findall(entry.translations[language].body):
            value = EXPECTED[snippet][result]
            if kind == "n":
                shown = numbers.exact(value, language)
            else:
                formatter = numbers.approx if kind == "approx" else numbers.percent
                shown = formatter(value, language, int(digits or 2))
            assert shown in text, f"{entry.id} ({language}): {snippet}.{result} should read {shown!r}"
            checked += 1
    assert checked > 50


CLOSED_MODELS = re.compile(r"GPT-4|Claude|Gemini", re.IGNORECASE)
ESTIMATE_MARKERS = {
    "en": r"report|estimate|unconfirmed|rumou?r",
    "nl": r"rapport|schatting|onbevestigd|gerucht",
    "sv": r"rapport|uppskattning|obekräftad|rykte",
    "de": r"Bericht|Schätzung|unbestätigt|Gerücht",
}


def test_closed_model_figures_are_marked_as_estimates_with_a_source(glossary: Glossary) -> None:
    checked = 0
    for entry in glossary.entries.values():
        for language, translation in entry.translations.items():
            for paragraph in translation.body.split("\n\n"):
                if CLOSED_MODELS.search(paragraph) and FIGURE_CALL.search(paragraph):
                    assert "cite(" in paragraph, f"{entry.id} ({language}): a closed-model figure without a source"
                    assert re.search(ESTIMATE_MARKERS[language], paragraph, re.IGNORECASE), \
                        f"{entry.id} ({language}): a closed-model figure not marked as an estimate or report"
                    checked += 1
    assert checked >= 8


def test_links_between_entries_carry_the_target_definition_as_tooltip(site: Path, valid: ValidGlossary) -> None:
    glossary = valid.glossary
    tooltips = {(entry_id, language): plain_text(text.short)
                for (entry_id, language), text in valid.texts.items()}
    checked = 0
    for language in LANGUAGES:
        for entry_id in glossary.entries:
            html = page(site, f"{prefix(language)}glossary/{entry_id}/index.html")
            for link in html.select("article a[title]"):
                target = re.fullmatch(r"\.\./([a-z0-9-]+)/", link["href"])
                if target and target.group(1) in glossary.entries:
                    assert link["title"] == tooltips[target.group(1), language].replace('"', "\u201d")
                    checked += 1
    assert checked > 500


def test_every_concept_mentioned_in_a_body_is_linked(site: Path, glossary: Glossary) -> None:
    unlinked = []
    for language in LANGUAGES:
        # The body only: a usage note talks about words, not concepts. A mention is the longest term found at a place: "recurrent neural network" is not a mention of "neural network".
        forms = {form.lower(): other.id for other in glossary.entries.values()
                 for form in (other.translations[language].term, other.translations[language].plural,
                              *other.translations[language].forms) if form}
        mention = re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)),
                             re.IGNORECASE)
        for entry in glossary.entries.values():
            article = page(site, f"{prefix(language)}glossary/{entry.id}/index.html").find("article")
            body_blocks = []
            for block in article.find_all(recursive=False):
                if block.name == "h2":
                    break  # worked examples, related concepts and sources follow the body
                if block.name in ("p", "ul", "ol") and not {"glossgen-short", "glossgen-usage"} & set(block.get("class", [])):
                    body_blocks.append(block)
            body = " ".join(block.get_text(" ") for block in body_blocks)
            hrefs = {a["href"] for block in body_blocks for a in block.find_all("a", href=True)}
            for other_id in {forms[match.group(0).lower()] for match in mention.finditer(body)} - {entry.id}:
                if f"../{other_id}/" not in hrefs:
                    unlinked.append(f"{language}/{entry.id} -> {other_id}")
    assert unlinked == [], unlinked


def test_related_concepts_are_symmetric_on_the_pages(site: Path, glossary: Glossary) -> None:
    for entry in glossary.entries.values():
        for other in entry.facts.related:
            html = page(site, f"de/glossary/{other}/index.html")
            hrefs = {a["href"].rstrip("/").split("/")[-1] for a in html.select("article li a[href]")}
            assert entry.id in hrefs, f"{other} does not show its related concept {entry.id}"


def internal_links(site: Path):
    for html_path in site.rglob("*.html"):
        html = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
        for tag in html.find_all(["a", "link"], href=True):
            yield html_path, tag["href"]


def test_no_broken_internal_link_or_anchor_in_any_language(site: Path) -> None:
    broken = []
    anchors: dict[Path, set[str]] = {}
    for html_path, href in internal_links(site):
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
            continue
        base = site if parts.path.startswith("/") else html_path.parent
        target = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else html_path
        if target.is_dir():
            target = target / "index.html"
        if not target.exists():
            broken.append(f"{html_path.relative_to(site)} -> {href}")
            continue
        if parts.fragment and target.suffix == ".html":
            if target not in anchors:
                soup = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
                anchors[target] = {tag["id"] for tag in soup.find_all(id=True)}
            if parts.fragment not in anchors[target]:
                broken.append(f"{html_path.relative_to(site)} -> {href}")
    assert broken == []


def test_generated_pages_are_git_ignored() -> None:
    result = subprocess.run(["git", "check-ignore", "docs/glossary/lora.nl.md"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_its_own_not_found_page(site: Path, language: str) -> None:
    html = page(site, f"{prefix(language)}404.html")
    assert html.html["lang"] == language


def test_canonical_urls_and_sitemap_cover_every_entry_in_every_language(site: Path, glossary: Glossary) -> None:
    site_url = "https://glossary.example.org/"
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    sitemap = ElementTree.parse(site / "sitemap.xml")
    listed = {loc.text for loc in sitemap.findall(".//s:loc", namespace)}
    for entry_id in glossary.entries:
        for language in LANGUAGES:
            url = f"{site_url}{prefix(language)}glossary/{entry_id}/"
            assert url in listed
            canonical = page(site, f"{prefix(language)}glossary/{entry_id}/index.html").find("link", rel="canonical")
            assert canonical["href"] == url
