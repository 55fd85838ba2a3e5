"""Each language's search index, written by glossgen from each page's documents.

mkdocs-static-i18n builds every language in a pass of its own inside the default
language's, and mkdocs-material's search plugin, which knows nothing of languages, would
index every pass into one merged index (and, under `--dirty`, merge the previous pass's
into it again). Instead glossgen makes each page's documents itself, with
mkdocs-material's own `SearchIndex`, so that they are the documents mkdocs-material would
make, and hides the page from mkdocs-material's indexing for that moment (`search:
exclude`, its documented front matter, taken back once it has passed), so that no page is
parsed twice. After the last pass it writes one index per language into the language's
folder (`nl/search/search_index.json`), in mkdocs-material's format, with locations
relative to that folder, in the order the pages were built.

A page's documents depend only on its HTML, its table of contents, its address and title
and its search front matter: they are kept on disk under a key over those, one folder per
language, so a page that comes back unchanged is not parsed again. A build that does not
render every page (`--dirty`, and every rebuild of the preview) keeps the documents of
the pages it did not render from the index it wrote before.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any, Mapping, Sequence

from material.plugins.search.plugin import SearchIndex, SearchPlugin
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from ..core.files import replace_file
from ..core.memo import FolderMemo, digest
from ..core.settings import stable_text
from ..core.tex import plain_formulas
from ..core.urls import language_prefix
from ..memory import installed_version
from .rendered import toc_tokens

SEARCH_INDEX = Path("search/search_index.json")
#: The parts of mkdocs-material's search configuration that its index carries.
INDEX_CONFIG = ("lang", "separator", "pipeline", "fields")
_ABSENT = object()


def material_search(config: MkDocsConfig) -> SearchPlugin | None:
    """The site's search plugin, if it is mkdocs-material's and enabled."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    return search if isinstance(search, SearchPlugin) and search.config.enabled else None


class SearchDocuments:
    """The search documents of every page, by language and page address, as its language's index holds them."""

    def __init__(self, folder: Path | None, code: str) -> None:
        # The documents are mkdocs-material's parser's, which splits Chinese words when jieba is there.
        self.folder = folder
        self.code = digest(code, str(installed_version("mkdocs-material")),
                           str(importlib.util.find_spec("jieba") is not None))
        self.documents: dict[str, dict[str, list[dict]]] = {}  # language -> page address -> its documents
        self.pages: dict[str, set[str] | None] = {}            # language -> page addresses in this build (None: all kept)
        self.memos: dict[str, FolderMemo] = {}
        self.hidden: dict[str, Any] = {}                       # src_uri -> the page's own search front matter
        self.written: dict[str, str] = {}  # language -> its index as last written, while none of its documents changed
        self.texts: dict[str, dict[str, tuple[list[dict], str]]] = {}  # language -> page -> its documents, as JSON

    def start(self, site_dir: Path, languages: Sequence[str], default_language: str, *, complete: bool) -> None:
        """Before a build's first pass. One that renders every page indexes every page again; another starts
        from the documents it has, or else from the indexes in `site_dir`."""
        for language in languages:
            if complete:
                self.documents[language] = {}
                self.written.pop(language, None)
            elif language not in self.documents:
                self.documents[language] = read_documents(site_dir, language, default_language)

    def note_pages(self, files: Files, language: str, *, whole: bool = True) -> None:
        """A language pass's pages: the documents of any other page are dropped when the indexes are written.
        A pass given only some of its language's pages (not `whole`) leaves the documents of the others as they are."""
        # A page's address is its file's, but for the home page's: '' where its file's is './'.
        pages = files.documentation_pages() if whole else None
        self.pages[language] = None if pages is None else {"" if file.url == "./" else file.url for file in pages}

    def index_page(self, page: Page, language: str, prefix: str, search_config: Mapping[str, Any]) -> None:
        """Make the page's documents (as mkdocs-material would) and hide the page from mkdocs-material's indexing."""
        meta = {name: page.meta.get(name) for name in ("search", "tags", "title")}
        config = json.dumps({name: search_config[name] for name in INDEX_CONFIG}, sort_keys=True, default=stable_text)
        key = digest(self.code, page.content or "", json.dumps(toc_tokens(page.toc)), page.url, str(page.title),
                     json.dumps(meta, sort_keys=True, default=stable_text), config, prefix)
        memo = self.memos.setdefault(language, FolderMemo(self.folder / language if self.folder else None))
        documents = memo.find(key)
        if not _documents(documents):  # none, or a damaged file
            index = SearchIndex(**search_config)
            index.add_entry_from_context(page)
            documents = [language_document(document, prefix) for document in index.entries]
            memo.put(key, documents)
        self.documents.setdefault(language, {})[page.url] = documents
        self.written.pop(language, None)
        self.hidden[page.file.src_uri] = page.meta.get("search", _ABSENT)
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}

    def show_page(self, page: Page) -> None:
        """After mkdocs-material's search has passed the page: its own front matter back, for the theme."""
        if page.file.src_uri not in self.hidden:
            return
        search = self.hidden.pop(page.file.src_uri)
        if search is _ABSENT:
            del page.meta["search"]
        else:
            page.meta["search"] = search

    def finish(self, site_dir: Path, built: Sequence[str], default_language: str, search_config: Mapping[str, Any],
               *, complete: bool) -> dict[str, list[dict]]:
        """After the last pass: the index of every language built (each pass wrote mkdocs-material's, empty, over
        its own); after a complete build, drop the kept documents no page asked for. Returns, by language, the
        documents of the index written."""
        config = {name: search_config[name] for name in INDEX_CONFIG}
        written = {}
        for language in built:
            documents = self.documents.setdefault(language, {})
            wanted = self.pages.get(language, set())
            for address in [address for address in documents if wanted is not None and address not in wanted]:
                del documents[address]
                self.written.pop(language, None)
            written[language] = [document for page_documents in documents.values() for document in page_documents]
            # A pass that rendered none of the language's pages (the default language's, when another's text
            # changed) writes again the very index it wrote last, without making its JSON again.
            text = self.written.get(language)
            if text is None or not text.startswith(_config_json(config, language)):
                text = write_language_index(site_dir, language, default_language, config, self._json(language))
            else:
                write_index_text(site_dir, language, default_language, text)
            self.written[language] = text
            if complete and language in self.memos:
                self.memos[language].prune()
        self.pages, self.hidden = {}, {}
        return written

    def _json(self, language: str) -> str:
        """The language's documents as one JSON array, each page's made again only when its documents are new:
        in the preview, a save writes again an index of thousands of pages for the few it changed."""
        kept, texts = self.texts.get(language, {}), {}
        for address, documents in self.documents[language].items():
            known = kept.get(address)
            if known is None or known[0] is not documents:
                known = (documents, json.dumps(documents, ensure_ascii=False, separators=(",", ":"))[1:-1])
            texts[address] = known
        self.texts[language] = texts
        return "[" + ",".join(text for _, text in texts.values() if text) + "]"


def language_document(document: dict, prefix: str) -> dict:
    """A search document of one language's index: its location inside the language's folder, formulas as text."""
    return {**document, "location": document["location"][len(prefix):],
            "title": plain_formulas(document["title"]), "text": plain_formulas(document["text"])}


def read_documents(site_dir: Path, language: str, default_language: str) -> dict[str, list[dict]]:
    """The documents of a language's index in `site_dir`, by page address (none if there is no index)."""
    prefix = language_prefix(language, default_language)
    try:
        index = json.loads((site_dir / prefix / SEARCH_INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    documents = index.get("docs") if isinstance(index, dict) else None
    if not _documents(documents):
        return {}  # not an index glossgen wrote: every page's documents are made again as it is built
    pages: dict[str, list[dict]] = {}
    for document in documents:
        pages.setdefault(prefix + document["location"].split("#", 1)[0], []).append(document)
    return pages


def _documents(value: object) -> bool:
    """Whether `value` is a list of search documents, each with its location, title and text."""
    return isinstance(value, list) and all(
        isinstance(document, dict) and all(isinstance(document.get(name), str) for name in ("location", "title", "text"))
        for document in value)


def write_language_index(site_dir: Path, language: str, default_language: str, config: Mapping,
                         documents: str) -> str:
    """Write one language's search index (mkdocs-material's format) into its folder, its `documents` given as
    their JSON array; return its text."""
    text = _config_json(config, language) + ',"docs":' + documents + "}"
    write_index_text(site_dir, language, default_language, text)
    return text


def write_index_text(site_dir: Path, language: str, default_language: str, text: str) -> None:
    replace_file(site_dir / language_prefix(language, default_language) / SEARCH_INDEX, text)


def _config_json(config: Mapping, language: str) -> str:
    """The start of a language's index, up to its documents: `{"config":{...}`."""
    return '{"config":' + json.dumps({**config, "lang": [language]}, ensure_ascii=False, separators=(",", ":"))
