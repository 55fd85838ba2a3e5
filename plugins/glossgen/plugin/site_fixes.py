"""Checks and fixes on the built site, once every language is written.

- Not-found pages: mkdocs-static-i18n renders `404.html` once per language pass into
  the site root, each pass overwriting the last, with the language links of the page
  built last in the previous pass. `SiteFixes` keeps each language's, pointed at each
  language's home page, and writes it into that language's folder.
- Language alternates: mkdocs-static-i18n gives each page `<link rel="alternate" hreflang>`
  to its translations, relative to the page. Search engines want them absolute, with an
  `x-default` (Google's rules for hreflang), so `Alternates` rewrites them from the page's
  canonical URL. mkdocs-material's language selector fetches `sitemap.xml` beside every
  alternate link, to keep the reader on the same page; so that no request fails, each
  page folder gets a small sitemap of its own: that page and its alternates.
- The search dialog: mkdocs-material's has no accessible name (axe: aria-dialog-name);
  `label_search_dialog` gives it the localized label its own search field carries.
- `audit_site` then checks that nothing was lost on the way: every entry has a page,
  an A-Z index line and search documents in every language.
"""

from __future__ import annotations

import contextlib
import json
import os
import posixpath
import re
from pathlib import Path
from typing import Iterable, Mapping, Sequence
from urllib.parse import urljoin
from xml.sax.saxutils import quoteattr

from ..core.errors import Problem
from ..core.files import replace_file
from ..core.model import RESERVED_IDS, Glossary
from ..core.urls import language_prefix
from .search import SEARCH_INDEX

_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_SEARCH_LABEL = re.compile(r'<input type="text" class="md-search__input" name="query" aria-label="([^"]*)"')
_HTML_LANG = re.compile(r'<html lang="([^"]+)"')
_ALTERNATE_LINK = re.compile(r'(<(?:link rel="alternate"|a) href=")[^"]*(" hreflang="([^"]+)")')
_ALTERNATE_START = '<link rel="alternate"'
_RELATIVE_PAGE_LINK = re.compile(r'href="([^"/]+)/"')  # the A-Z index's line for an entry: href="lora/"
_HEAD_ALTERNATE = re.compile(r'(?P<indent>[ \t]*)<link rel="alternate" href="(?P<href>[^"]*)" hreflang="(?P<lang>[^"]+)">\n?')
_SITEMAP = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n{urls}</urlset>\n')


class SiteFixes:
    """What the fixes keep from one language pass to the end of the build (and, in dirty builds, to the next)."""

    def __init__(self) -> None:
        self.not_found_pages: dict[str, str] = {}   # language -> its 404.html
        self.sitemaps: dict[str, list[str]] = {}    # page folder in the site -> its <url> entries

    def start(self) -> None:
        """Before the first language pass."""
        self.not_found_pages, self.sitemaps = {}, {}

    def page_alternates(self, html: str, page_url: str | None, dest_path: str, default_language: str) -> str:
        """A page's head alternates made absolute from its canonical URL, with x-default; its folder's sitemap noted."""
        if not page_url:
            return html
        head_end = html.find("</head>")
        head_end = head_end if head_end >= 0 else len(html)
        first, last = html.find(_ALTERNATE_START, 0, head_end), html.rfind(_ALTERNATE_START, 0, head_end)
        if first < 0:
            return html
        # the lines from the first alternate to the last: all the regular expressions need to read
        start, end = html.rfind("\n", 0, first) + 1, html.find("\n", last)
        end = end + 1 if 0 <= end < head_end else head_end
        links = html[start:end]
        alternates = {match["lang"]: urljoin(page_url, match["href"]) for match in _HEAD_ALTERNATE.finditer(links)}
        if not alternates:
            return html
        html = html[:start] + absolute_alternates(links, alternates, default_language) + html[end:]
        folder = posixpath.dirname(dest_path)
        if folder:  # the site's root has the full sitemap already
            self.sitemaps.setdefault(folder, []).append(_sitemap_url(page_url, alternates, default_language))
        return html

    def keep_not_found_page(self, site_dir: Path, homes: Mapping[str, str], site_url: str, default_language: str) -> None:
        """After a language pass: keep the 404.html it wrote, its language links pointed at each language's home."""
        page = site_dir / "404.html"
        if page.is_file():
            html = page.read_text(encoding="utf-8")
            language = _HTML_LANG.search(html)
            if language:
                html = link_languages(html, homes)
                if site_url:
                    absolute = {other: urljoin(site_url, home) for other, home in homes.items()}
                    html = absolute_alternates(html, absolute, default_language)
                self.not_found_pages[language.group(1)] = html

    def finish(self, site_dir: Path, default_language: str, built: Sequence[str]) -> None:
        """After the last pass: the not-found pages and folder sitemaps of the languages built here."""
        for language, html in self.not_found_pages.items():
            if language in built:
                replace_file(site_dir / language_prefix(language, default_language) / "404.html", html)
        for folder, urls in self.sitemaps.items():
            replace_file(site_dir / folder / "sitemap.xml", _SITEMAP.format(urls="".join(urls)))


def absolute_alternates(html: str, alternates: Mapping[str, str], default_language: str) -> str:
    """The head's hreflang links as `alternates` (language -> absolute URL), the default language also as x-default."""
    seen: list[str] = []

    def link(match: re.Match[str]) -> str:
        language = match["lang"]
        if language == "x-default" or language not in alternates:
            return ""
        seen.append(language)
        return f'{match["indent"]}<link rel="alternate" href="{alternates[language]}" hreflang="{language}">\n'

    head_end = html.find("</head>")
    head, body = (html[:head_end], html[head_end:]) if head_end >= 0 else (html, "")
    rewritten = _HEAD_ALTERNATE.sub(link, head)
    if default_language in seen:
        last = alternates[seen[-1]]
        anchor = f'<link rel="alternate" href="{last}" hreflang="{seen[-1]}">\n'
        indent = _HEAD_ALTERNATE.search(rewritten)["indent"]
        rewritten = rewritten.replace(anchor, f'{anchor}{indent}<link rel="alternate" '
                                      f'href="{alternates[default_language]}" hreflang="x-default">\n', 1)
    return rewritten + body


def _sitemap_url(page_url: str, alternates: Mapping[str, str], default_language: str) -> str:
    links = {**alternates, "x-default": alternates.get(default_language, page_url)}
    return (f"  <url>\n    <loc>{_xml(page_url)}</loc>\n"
            + "".join(f'    <xhtml:link rel="alternate" hreflang="{language}" href={quoteattr(url)}/>\n'
                      for language, url in links.items())
            + "  </url>\n")


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_CITATION_LINK = re.compile(r'<a href="#source-([a-z0-9]+(?:-[a-z0-9]+)*)">')
_SOURCE_ITEM = re.compile(r'(<span id="source-([a-z0-9]+(?:-[a-z0-9]+)*)"></span>)(.*?)(</li>)', re.DOTALL)


def link_citations(html: str, back: str) -> str:
    """Number a page's citations (`cite-hu2021-1`, ...) and link each source in its list back to its first one."""
    counts: dict[str, int] = {}
    first: dict[str, str] = {}

    def citation(match: re.Match[str]) -> str:
        source_id = match.group(1)
        counts[source_id] = counts.get(source_id, 0) + 1
        anchor = first.setdefault(source_id, f"cite-{source_id}-1") if counts[source_id] == 1 else \
            f"cite-{source_id}-{counts[source_id]}"
        return f'<a href="#source-{source_id}" id="{anchor}">'

    def source(match: re.Match[str]) -> str:
        anchor = first.get(match.group(2))
        if anchor is None:
            return match.group(0)
        return (f'{match.group(1)}{match.group(3)} <a class="glossgen-backlink" href="#{anchor}" title="{back}" '
                f'aria-label="{back}">↩</a>{match.group(4)}')

    return _SOURCE_ITEM.sub(source, _CITATION_LINK.sub(citation, html))


def label_search_dialog(html: str) -> str:
    """Give mkdocs-material's search dialog the accessible name its search field already carries."""
    label = _SEARCH_LABEL.search(html)
    if label:
        html = html.replace(_SEARCH_DIALOG, f'{_SEARCH_DIALOG[:-1]} aria-label="{label.group(1)}">', 1)
    return html


def link_languages(html: str, links: Mapping[str, str]) -> str:
    """Point a page's language links (alternates and the selector) at `links` (language -> address)."""
    return _ALTERNATE_LINK.sub(
        lambda link: f"{link.group(1)}{links[link.group(3)]}{link.group(2)}" if link.group(3) in links else link.group(0),
        html)


def audit_site(site_dir: Path, glossary: Glossary, default_language: str, output_dir: str = "glossary",
               languages: Sequence[str] | None = None, indexes: Mapping[str, Iterable[dict]] | None = None,
               ) -> list[Problem]:
    """Every entry must have a page, an index line and search documents in every language (or in `languages`).

    `indexes` holds, by language, the documents of the search indexes this build wrote itself, as it wrote them;
    the others are read from the site."""
    problems = []
    expected = set(glossary.entries)
    section_prefix = f"{output_dir}/"  # an entry's page is searched as glossary/lora/
    section_depth = section_prefix.count("/")
    for language in glossary.languages if languages is None else languages:
        root = site_dir / language_prefix(language, default_language)
        section = root / output_dir
        where = f"{site_dir.name}/{language_prefix(language, default_language)}{output_dir}/"
        with os.scandir(section) if section.is_dir() else contextlib.nullcontext([]) as children:
            pages = {child.name for child in children if child.is_dir() and child.name not in RESERVED_IDS
                     and os.path.isfile(os.path.join(child.path, "index.html"))}
        if pages != expected:
            problems.append(Problem(where, None, f"{language}: {len(pages)} term pages for {len(expected)} entries"
                                    f" (missing: {', '.join(sorted(expected - pages)) or '-'};"
                                    f" unexpected: {', '.join(sorted(pages - expected)) or '-'})"))
        index_html = (section / "index.html").read_text(encoding="utf-8") if (section / "index.html").is_file() else ""
        listed = expected & set(_RELATIVE_PAGE_LINK.findall(index_html))
        if listed != expected:
            problems.append(Problem(f"{where}index.html", None,
                                    f"{language}: the A-Z index lists {len(listed)} of {len(expected)} entries"
                                    f" (missing: {', '.join(sorted(expected - listed))})"))
        search_path = root / SEARCH_INDEX
        documents = (indexes or {}).get(language)
        if documents is None:
            documents = json.loads(search_path.read_text(encoding="utf-8"))["docs"] if search_path.is_file() else []
        searchable = set()
        for document in documents:  # a page's own document (glossary/lora/), not its sections' (#...)
            location = document["location"]
            if "#" not in location and location.startswith(section_prefix) and location.endswith("/"):
                if location.count("/") == section_depth + 1:
                    searchable.add(location[len(section_prefix):-1])
        if not expected <= searchable:
            problems.append(Problem(f"{site_dir.name}/{language_prefix(language, default_language)}{SEARCH_INDEX.as_posix()}",
                                    None, f"{language}: the search index has {len(expected & searchable)} of "
                                    f"{len(expected)} entries (missing: {', '.join(sorted(expected - searchable))})"))
    return problems
