"""A right-to-left site in headless Chromium: an Arabic and Hebrew site made by `glossgen init`, served on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Iterator

import pytest
from babel.numbers import format_decimal
from playwright.sync_api import Browser, Page

from .chromium import browser, page  # noqa: F401 - the fixtures
from .helpers import serve_folder

pytestmark = pytest.mark.browser

LANGUAGES = ("ar", "en", "he")
#: A second entry whose text links to the example entry, for its tooltip.
WEIGHT = {"ar": ("وزن", "مذكر", "عدد يضربه النموذج في مدخل.", 'الوزن أحد أنواع {{ link("parameter") }}.'),
          "en": ("weight", None, "A number a model multiplies an input by.", 'A weight is one kind of {{ link("parameter") }}.'),
          "he": ("משקל", "זכר", "מספר שהמודל מכפיל בו קלט.", 'משקל הוא סוג של {{ link("parameter") }}.')}


@pytest.fixture(scope="module")
def rtl_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("rtl")
    site = root / "site-source"
    subprocess.run([sys.executable, "-m", "glossgen.cli", "init", str(site), "--languages", ",".join(LANGUAGES)],
                   check=True, capture_output=True, text=True)
    lines = ["id: weights", "category: basics", "related: [parameter]"]
    for language, (term, gender, short, body) in WEIGHT.items():
        lines += [f"{language}:", f"  term: {term}", *([f"  gender: {gender}"] if gender else []),
                  f'  short: "{short}"', f"  body: '{body}'"]
    (site / "glossary/weights.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    served = root / "served"
    served.mkdir()
    with serve_folder(served) as address:
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(served)],
                                cwd=site, capture_output=True, text=True, timeout=300,
                                env={**os.environ, "SITE_URL": address})
        assert result.returncode == 0, result.stderr
        yield address


def prefix(language: str) -> str:
    return "" if language == LANGUAGES[0] else f"{language}/"


def no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


@pytest.mark.parametrize("language", ["ar", "he"])
def test_a_right_to_left_page_reads_from_the_right_with_its_own_numbers(page: Page, rtl_url: str, language: str) -> None:
    page.goto(f"{rtl_url}{prefix(language)}glossary/parameter/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.evaluate("getComputedStyle(document.querySelector('article')).direction") == "rtl"
    article = page.locator("article")
    assert format_decimal(500500, locale=language, numbering_system="default") in article.inner_text()
    width = page.viewport_size["width"]
    heading = page.locator("article h1").bounding_box()
    assert heading["x"] + heading["width"] > width / 2  # the title starts at the right
    no_sideways_scroll(page)


def test_the_language_switcher_keeps_the_term_from_and_to_right_to_left(page: Page, rtl_url: str) -> None:
    page.goto(f"{rtl_url}glossary/weights/")
    for language, term in (("en", "weight"), ("he", "משקל"), ("ar", "وزن")):
        page.locator(".md-header__option .md-select").hover()
        page.locator(f"a.md-select__link[hreflang={language}]").click()
        page.wait_for_url(f"{rtl_url}{prefix(language)}glossary/weights/")
        assert page.locator("h1").inner_text().rstrip("¶").strip() == term
        menu = page.locator(".md-header__option .md-select")
        box = menu.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= page.viewport_size["width"]


@pytest.mark.parametrize("language", ["ar", "he"])
def test_a_term_link_shows_its_definition_inside_the_window(page: Page, rtl_url: str, language: str) -> None:
    page.goto(f"{rtl_url}{prefix(language)}glossary/weights/")
    link = page.locator("article a[href='../parameter/']").first
    link.hover()
    tooltip = page.locator(".md-tooltip2--active .md-tooltip2__inner")
    tooltip.wait_for()
    assert tooltip.inner_text().strip() != ""
    box, anchor = tooltip.bounding_box(), link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"] + 1
    assert box["x"] <= anchor["x"] + anchor["width"] / 2 <= box["x"] + box["width"]  # over the link it explains


@pytest.mark.parametrize("language", ["ar", "he"])
def test_the_index_lists_every_term_in_reach(page: Page, rtl_url: str, language: str) -> None:
    page.goto(f"{rtl_url}{prefix(language)}glossary/")
    links = page.locator("article li > a")
    assert links.count() == 2
    for index in range(links.count()):
        links.nth(index).scroll_into_view_if_needed()
        box = links.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    no_sideways_scroll(page)
    links.first.click()
    page.wait_for_load_state()
    assert "/glossary/" in page.url and page.url != f"{rtl_url}{prefix(language)}glossary/"


@pytest.mark.parametrize("language", ["ar", "he"])
def test_a_phone_never_scrolls_sideways(browser: Browser, rtl_url: str, language: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    phone = context.new_page()
    for path in ("", "glossary/", "glossary/parameter/", "glossary/weights/"):
        phone.goto(f"{rtl_url}{prefix(language)}{path}")
        no_sideways_scroll(phone)
    context.close()
