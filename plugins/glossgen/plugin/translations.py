"""What each language pass is given: its own language's notebooks, and in the preview its own language's generated
pages only, linked to their translations.

mkdocs-static-i18n builds one pass per language, and gives every pass every file of
docs_dir: for each, it makes a localized copy and looks for the file's translations
(`reconfigure_files`). glossgen generates a page per entry in every language, so with
four languages every pass handles four times the pages it builds. In the preview, a
pass is given only the generated pages of its own language; hand-written pages are all
left in. mkdocs-static-i18n always builds the default language, so a rebuild after an
edit to another language's text builds it too, though none of its pages changed; that
pass is given, of its generated pages, only those the `nav` names (`nav_sources`), which
its navigation needs. MkDocs leaves the pages it is not given as they were in the site.

A complete build (`mkdocs build`) gives every pass every file: the site's root sitemap,
which mkdocs-static-i18n writes from every pass's files, lists each page's translations
from the files its pass was given.

Without its translations among the pass's files, mkdocs-static-i18n points a generated
page's language links (the head's `hreflang` alternates and mkdocs-material's language
selector) at each language's home. `LanguagePasses.link_translations` points them back at
the page's translations, which sit at the same place under each language's folder, as
mkdocs-static-i18n would have written them.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any, Collection, Iterator, Mapping, Sequence

from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from ..core.settings import Settings
from ..core.urls import language_prefix, notebook_folder
from .site_fixes import link_languages


class LanguagePasses:
    """What the current language pass was given: every generated page's (name, language), and the settings
    when it was given only its own language's."""

    def __init__(self) -> None:
        self.pages: frozenset[tuple[str, str]] = frozenset()  # (lora, sv): the generated pages, every language
        self.settings: Settings | None = None                   # set when a pass was given only its language's pages
        # src_uri -> the generated page it is, as (lora, sv), or None; for the files of the last pass, and `named_by`
        self.names: dict[str, tuple[str, str] | None] = {}
        self.named_by: Settings | None = None
        self.partial = False  # the pass was given only some of its own language's generated pages

    def pass_files(self, files: Files, language: str, settings: Settings, *, whole: bool,
                   only: Collection[str] | None = None) -> Files:
        """The pass's files: all of them when `whole`, else only `language`'s generated pages among them, and of
        those only the ones named in `only` (src_uri) when it is given."""
        self.settings = None if whole else settings
        self.partial = not whole and only is not None
        if whole:
            return files
        known = self.names if settings == self.named_by else {}
        self.names = {file.src_uri: known[file.src_uri] if file.src_uri in known else _page_of(file.src_uri, settings)
                      for file in files}
        self.named_by = settings
        self.pages = frozenset(page for page in self.names.values() if page is not None)
        return Files([file for file in files if (page := self.names[file.src_uri]) is None
                      or (page[1] == language and (only is None or _named(file.src_uri, only)))])

    def link_translations(self, html: str, page: Page) -> str:
        """A generated page's language links pointed at its translations, when its pass was not given them."""
        settings = self.settings
        generated = settings.generated_page(page.file.src_uri) if settings is not None else None
        if settings is None or generated is None or page.url is None:
            return html
        stem, language = settings.split_language(generated)
        own = language_prefix(language, settings.default_language)
        if not page.url.startswith(own):
            return html
        rest = page.url[len(own):]  # the page's address inside its language's folder: glossary/lora/
        links = {other: get_relative_url(language_prefix(other, settings.default_language) + rest, page.url)
                 for other in settings.languages if other != language and (stem, other) in self.pages}
        return link_languages(html, links)


def _named(src_uri: str, names: Collection[str]) -> bool:
    """Whether a nav names the file: as it is in docs_dir, or, in mkdocs-static-i18n's folder layout, without its
    language's folder (en/glossary/index.md as glossary/index.md), as mkdocs-static-i18n resolves a nav."""
    return src_uri in names or src_uri.partition("/")[2] in names


def _page_of(src_uri: str, settings: Settings) -> tuple[str, str] | None:
    path = settings.generated_page(src_uri)
    return None if path is None else settings.split_language(path)


def own_downloads(generated: Mapping[str, Path], language: str, languages: Sequence[str]) -> Iterator[tuple[str, Path]]:
    """The generated files a language pass is given: all but the other languages' notebooks, which only their own
    language's pages link to (every build, complete or not: each language's pass copies its own)."""
    others = tuple(notebook_folder(other) for other in languages if other != language)
    return ((src_uri, path) for src_uri, path in generated.items() if not src_uri.startswith(others))


def nav_sources(nav: Any) -> set[str]:
    """Every file that mkdocs.yml's `nav` names (and any link it holds), at any depth."""
    if isinstance(nav, str):
        return {nav if "://" in nav else posixpath.normpath(nav)}  # ./glossary/index.md as MkDocs reads it
    items = nav.values() if isinstance(nav, dict) else nav if isinstance(nav, list) else ()
    return set().union(*(nav_sources(item) for item in items))
