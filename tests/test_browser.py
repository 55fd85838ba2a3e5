"""The built site in headless Chromium (Debian's package, driven by Playwright), served on 127.0.0.1."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from glossgen.core.markdown import plain_text
from glossgen.stages.load import load_glossary

from .chromium import browser, page  # noqa: F401 - the fixtures
from .helpers import PROJECT_ROOT

pytestmark = pytest.mark.browser

AXE = PROJECT_ROOT / "node_modules/axe-core/axe.min.js"
ARTIFACTS = PROJECT_ROOT / "test-artifacts/screenshots"
LANGUAGES = ("en", "nl", "sv", "de")
# The weights entry, searched for by a form a reader would type (a plural, a synonym).
SEARCHES = {"en": "weights", "nl": "gewichten", "sv": "vikter", "de": "Gewichte"}


def prefix(language: str) -> str:
    return "" if language == "en" else f"{language}/"


def test_switching_language_on_a_term_page_keeps_the_term(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}glossary/weights/")
    assert page.locator("h1").inner_text().rstrip("¶").strip() == "weight"
    for language, term in (("de", "Gewicht"), ("sv", "vikt"), ("nl", "gewicht"), ("en", "weight")):
        page.locator(".md-header__option .md-select").hover()
        page.locator(f"a.md-select__link[hreflang={language}]").click()
        page.wait_for_url(f"{base_url}{prefix(language)}glossary/weights/")
        assert page.locator("h1").inner_text().rstrip("¶").strip() == term
        assert page.locator("html").get_attribute("lang") == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_finds_the_localized_term_first_and_only_in_that_language(page: Page, base_url: str, language: str) -> None:
    page.goto(f"{base_url}{prefix(language)}glossary/")
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially(SEARCHES[language], delay=20)
    first = page.locator(".md-search-result__link").first
    first.wait_for()
    assert urlsplit(first.get_attribute("href")).path == f"/{prefix(language)}glossary/weights/"
    paths = [urlsplit(link.get_attribute("href")).path for link in page.locator(".md-search-result__link").all()]
    assert all(path.startswith(f"/{prefix(language)}") for path in paths)
    if language == "en":
        assert not [path for path in paths if path.split("/")[1] in LANGUAGES]


def test_hovering_a_term_link_shows_its_short_definition(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}de/glossary/lora/")
    link = page.locator("article a[href='../fine-tuning/']").first
    link.hover()
    tooltip = page.locator(".md-tooltip2--active .md-tooltip2__inner")
    tooltip.wait_for()
    short = load_glossary(PROJECT_ROOT / "glossary", LANGUAGES).entries["fine-tuning"].translations["de"].short
    assert tooltip.inner_text().strip() == plain_text(short)


@pytest.mark.parametrize("language", LANGUAGES)
def test_phone_viewport_has_no_horizontal_scroll(browser: Browser, base_url: str, language: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
    phone = context.new_page()
    for path in ("", "glossary/", "glossary/lora/", "glossary/mixture-of-experts/"):
        phone.goto(f"{base_url}{prefix(language)}{path}")
        overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{prefix(language)}{path} scrolls sideways by {overflow}px"
    context.close()


def test_pages_make_no_request_outside_localhost_and_screenshots_are_saved(page: Page, base_url: str) -> None:
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        page.goto(f"{base_url}{prefix(language)}glossary/lora/", wait_until="networkidle")
        page.screenshot(path=str(ARTIFACTS / f"lora-{language}.png"), full_page=True)
        assert (ARTIFACTS / f"lora-{language}.png").stat().st_size > 10_000
    page.goto(f"{base_url}", wait_until="networkidle")
    assert hosts == {"127.0.0.1"}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", ["", "glossary/", "glossary/model-parameters/", "glossary/lstm/"])
def test_no_serious_accessibility_violation(page: Page, base_url: str, language: str, path: str) -> None:
    page.goto(f"{base_url}{prefix(language)}{path}")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [(violation["id"], violation["impact"], len(violation["nodes"])) for violation in result["violations"]
               if violation["impact"] in ("serious", "critical")]
    assert serious == []


#: One page of each kind, as the site's own paths; every language has each of them.
PAGE_KINDS = {"home": "", "term": "glossary/lora/", "A-Z index": "glossary/", "categories": "glossary/categories/",
              "category": "glossary/categories/fine-tuning/", "examples": "glossary/examples/", "print": "glossary/print/",
              "hand-written": "add-a-term/", "not found": "404.html"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_logs_an_error_or_fails_a_request(page: Page, base_url: str, language: str) -> None:
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"script: {error}"))
    aborted: list[str] = []  # cancelled because the test moved on to the next page, before an answer came

    def failed(request) -> None:
        if request.failure == "net::ERR_ABORTED":
            aborted.append(request.url)
        else:
            problems.append(f"failed: {request.url} ({request.failure})")

    page.on("requestfailed", failed)
    page.on("response", lambda response: response.status >= 400 and problems.append(f"{response.status}: {response.url}"))
    for kind, path in PAGE_KINDS.items():
        page.goto(f"{base_url}{prefix(language)}{path}", wait_until="networkidle")
        assert page.locator("html").get_attribute("lang") == language, kind
    # What a navigation cancelled must still be there: asked again, each answers.
    problems += [f"{status}: {url}" for url in sorted(set(aborted)) if (status := page.request.get(url).status) >= 400]
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_formulas_are_typeset_by_the_sites_own_katex(page: Page, base_url: str, language: str) -> None:
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    page.goto(f"{base_url}{prefix(language)}glossary/attention/", wait_until="networkidle")
    formulas = page.locator("article .arithmatex .katex")
    formulas.first.wait_for()
    assert formulas.count() >= 5
    rendered = page.locator("article .arithmatex .katex-html").all_inner_texts()
    assert any("softmax" in text and "⊤" in text for text in rendered)
    assert page.evaluate("document.fonts.check('16px KaTeX_Main')")
    assert hosts == {"127.0.0.1"}


#: The entries that have a diagram.
DIAGRAMS = ("attention", "convolutional-neural-network", "lora", "lstm", "mixture-of-experts", "transformer")


@pytest.mark.parametrize("language", LANGUAGES)
def test_diagrams_show_the_page_languages_words_inside_the_drawing_and_request_nothing(
        page: Page, base_url: str, language: str) -> None:
    glossary = load_glossary(PROJECT_ROOT / "glossary", LANGUAGES)
    assert sorted(entry_id for entry_id, entry in glossary.entries.items() if entry.facts.diagram) == list(DIAGRAMS)
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    for entry_id in DIAGRAMS:
        words = glossary.entries[entry_id].translations[language].diagram
        page.goto(f"{base_url}{prefix(language)}glossary/{entry_id}/", wait_until="networkidle")
        svg = page.locator("article figure.glossgen-diagram svg")
        box = svg.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 150, entry_id
        assert svg.locator("title").text_content() == words["caption"]
        assert page.locator("article figure.glossgen-diagram figcaption").text_content() == words["caption"]
        shown = svg.locator("text").all_text_contents()
        for name, text in words.items():
            if name != "caption":
                assert "".join(text.splitlines()) in shown, (entry_id, name)
        # Every word lies inside the drawing as the browser sets it, in the page's font.
        outside = page.evaluate("""svg => {
            const view = svg.viewBox.baseVal;
            return [...svg.querySelectorAll('text')].map(text => [text.textContent, text.getBBox()])
                .filter(([, box]) => box.x < view.x - 1 || box.y < view.y - 1 || box.x + box.width > view.x + view.width + 1
                                     || box.y + box.height > view.y + view.height + 1)
                .map(([words]) => words);
        }""", svg.element_handle())
        assert outside == [], entry_id
    assert hosts == {"127.0.0.1"}
