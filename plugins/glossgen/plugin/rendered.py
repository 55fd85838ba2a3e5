"""Generated pages' HTML, kept from one build to the next.

Converting the generated pages' Markdown is most of what a build costs, and from one build
to the next almost every generated page's Markdown is the same. MkDocs converts a page
between two documented events, `on_page_markdown` and `on_page_content`, and leaves what
the conversion found in the page's public attributes (`toc`, `present_anchor_ids`,
`links_to_anchors`). So when a generated page comes with the same Markdown, in the same
place among the same site files, under the same Markdown configuration and library
versions as a page converted before, glossgen hands MkDocs an empty text to convert and
gives `on_page_content` the earlier HTML, already sanitized, with those attributes as the
earlier conversion left them.

Only pages whose title is in their front matter are reused (MkDocs keeps a title taken
from the HTML to itself); a conversion that logged a warning is never kept, so every build
reports it again; and a page that includes other files (pymdownx.snippets) is always
converted, because its HTML depends on more than its Markdown. A build that hides warnings
(`mkdocs build -q` raises the `mkdocs` logger to ERROR) cannot tell whether a conversion
warned: what it keeps is marked unchecked, and a build that shows warnings converts such a
page again rather than reuse it. A build at DEBUG level (`-v`), for which MkDocs records no
links to anchors, keeps nothing. A site whose Markdown settings hold objects that cannot be
told apart by their text (a lambda, say) reuses nothing. MkDocs' INFO notes about links
(not counted by --strict) are printed only by the build that converts the page; and the key
knows an extension by its distribution's version, so a site's own extension module, edited
in place, calls for emptying `.cache/glossgen/html`.

A page that cannot be reused whole may still be made of parts kept one by one: the
whole-glossary page, an entry at a time (print_parts.py).
"""

from __future__ import annotations

import functools
import json
import logging
import os
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

from ..core.memo import FolderMemo, digest
from ..core.settings import Settings, Unkeyable, stable_text
from ..memory import installed_version
from .print_parts import PrintParts, parts_allowed, unmarked

#: The libraries whose versions shape a converted and sanitized page, besides the site's own extensions'.
_LIBRARIES = ("Markdown", "pymdown-extensions", "Pygments", "mkdocs", "mkdocs-material", "nh3")
_INCLUDE = "--8<--"  # pymdownx.snippets' include marker
_MARK = "kept-for"    # in a language's folder: the site key and layout of the build that kept its HTML
#: Where the usual Markdown extensions come from: top-level module -> distribution.
_KNOWN_MODULES = (("markdown", "Markdown"), ("pymdownx", "pymdown-extensions"), ("material", "mkdocs-material"),
                  ("mkdocs", "mkdocs"))


class WarningCount(logging.Handler):
    """Counts the warnings and errors MkDocs and its plugins log."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass
class Conversion:
    """A generated page between on_page_markdown and on_page_content."""

    key: str
    language: str
    markdown: str
    kept: dict | None   # the earlier conversion, when it is reused
    warnings: int       # warnings logged before the conversion started
    parts: PrintParts | None = None  # a page of marked parts, some of them kept (print_parts.py)


class RenderedPages:
    """The converted, sanitized HTML of generated pages, one folder per language under `folder`."""

    def __init__(self, folder: Path | None, code: str) -> None:
        self.folder, self.code = folder, code
        self.memos: dict[str, FolderMemo] = {}
        self.under_way: dict[str, Conversion] = {}   # src_uri -> the page being converted
        self.keys: dict[str, str] = {}               # src_uri -> the key its HTML was last kept under
        self.reused: dict[str, int] = {}             # language -> pages reused in this build
        self.converted: dict[str, int] = {}          # language -> pages converted in this build
        self.warnings = WarningCount()
        self.site = ""                               # the key of the pass's Markdown configuration
        self._files: tuple[Files, str] | None = None
        self._versions: str | None = None
        self._includes = False
        self._config: MkDocsConfig | None = None     # the pass's configuration, when pages may be built of parts
        self.parts: dict[str, list[int]] = {}         # language -> [parts kept, parts converted] in this build

    def start_pass(self, config: MkDocsConfig) -> None:
        """Start a language pass: its Markdown configuration, and the count of warnings."""
        logger = logging.getLogger("mkdocs")
        if self.warnings not in logger.handlers:
            logger.addHandler(self.warnings)
        self.site = self.site_key(config)
        self._includes = bool((config.mdx_configs.get("pymdownx.snippets") or {}).get("auto_append"))
        self._config = config if parts_allowed(config) else None

    def site_key(self, config: MkDocsConfig) -> str:
        """What every page's HTML depends on: glossgen, the libraries, the Markdown configuration, and how
        MkDocs validates links while it converts; '' when a setting cannot be told apart from another."""
        try:
            settings = json.dumps([config.markdown_extensions, config.mdx_configs, config.validation,
                                   config.use_directory_urls], sort_keys=True,
                                  default=functools.partial(stable_text, strict=True))
        except Unkeyable:
            return ""
        return digest(self.code, self._library_versions(config), settings)

    def kept_for(self, languages: Iterable[str], config: MkDocsConfig, layout: str) -> bool:
        """Whether the last complete build of each of `languages` kept its HTML for this site and `layout`
        (the names of the site's inputs), so that a build of them converts little."""
        site = self.site_key(config)
        if self.folder is None or not site:
            return False
        marks = {_mark(site, layout, checked=True)}
        if not _warnings_shown():  # what a quiet build kept is converted again by one that shows warnings
            marks.add(_mark(site, layout, checked=False))
        try:
            return all((self.folder / language / _MARK).read_text(encoding="utf-8") in marks for language in languages)
        except (OSError, ValueError):
            return False

    def before(self, markdown: str, page: Page, files: Files, language: str) -> str:
        """The Markdown MkDocs should convert: the page's own, or nothing when its HTML is kept."""
        if not self.site or "title" not in page.meta or self._includes or _INCLUDE in markdown:
            return markdown
        src_uri = page.file.src_uri
        key = digest(self.site, self._files_key(files), src_uri, page.url, markdown)
        memo = self.memos.setdefault(language, FolderMemo(self.folder / language if self.folder else None))
        previous = self.keys.get(src_uri)
        if previous is not None and previous != key:
            memo.forget(previous)  # in the preview: the page's earlier HTML is not needed again
        kept = memo.find(key)
        if not _whole(kept) or (not kept["checked"] and _warnings_shown()):
            kept = None  # none, damaged, or kept by a build that could not see the conversion's warnings
        elif isinstance(kept.get("parts"), list):
            memo.keep(kept["parts"])  # a page of parts reused whole: its parts stay for its next edit
        parts, converted = None, markdown
        if kept is None and self._config is not None:
            split = PrintParts.split(markdown, digest(self.site, self._files_key(files), src_uri, page.url), memo)
            parts, converted = split if split is not None else (None, markdown)
        self.under_way[src_uri] = Conversion(key, language, markdown, kept, self.warnings.count, parts)
        return "" if kept is not None else converted

    def after(self, html: str, page: Page, files: Files, clean: Callable[[str], tuple[str, list[str]]]
              ) -> tuple[str, list[str]]:
        """The page's sanitized HTML and what sanitizing removed: kept from before, or `clean(html)` now."""
        conversion = self.under_way.pop(page.file.src_uri, None)
        if conversion is None or conversion.parts is None:
            html = unmarked(html)  # a page of parts converted whole
        if conversion is None:
            return clean(html)
        kept = conversion.kept
        if kept is not None:
            page.markdown = conversion.markdown
            page.toc = get_toc(kept["toc"])
            page.present_anchor_ids = set(kept["anchors"])
            found = {src: files.get_file_from_path(src) for src in kept["links"]}
            page.links_to_anchors = {file: links for src, links in kept["links"].items()
                                     if (file := found[src]) is not None}
            self.keys[page.file.src_uri] = conversion.key
            self.reused[conversion.language] = self.reused.get(conversion.language, 0) + 1
            return kept["html"], kept["lost"]
        clean_html, lost = self._join(conversion, html, page, files, clean) if conversion.parts is not None else clean(html)
        self.converted[conversion.language] = self.converted.get(conversion.language, 0) + 1
        links = page.links_to_anchors  # None when MkDocs logs at DEBUG (-v): not kept, so no check is lost
        if self.warnings.count == conversion.warnings and links is not None:
            if conversion.parts is not None:
                conversion.parts.keep(self.memos[conversion.language])
            self.memos[conversion.language].put(conversion.key, {
                "checked": _warnings_shown(), "html": clean_html, "lost": lost, "toc": toc_tokens(page.toc),
                "anchors": sorted(page.present_anchor_ids or ()),
                "links": {file.src_uri: dict(anchors) for file, anchors in links.items()},
                **({"parts": [part.key for part in conversion.parts.parts]} if conversion.parts is not None else {}),
            })
            self.keys[page.file.src_uri] = conversion.key
        return clean_html, lost

    def _join(self, conversion: Conversion, html: str, page: Page, files: Files,
              clean: Callable[[str], tuple[str, list[str]]]) -> tuple[str, list[str]]:
        """A page of parts, whole and sanitized: the kept parts put back, or when the conversion moved the
        marks, the page converted again whole."""
        parts = conversion.parts
        assert parts is not None and self._config is not None
        joined = parts.join(html, page, clean)
        if joined is None:
            page.markdown = parts.markdown
            page.render(self._config, files)
            parts.converted = []
            return clean(unmarked(page.content or ""))
        counts = self.parts.setdefault(conversion.language, [0, 0])
        counts[0] += len(parts.parts) - len(parts.converted)
        counts[1] += len(parts.converted)
        return joined

    def finish(self, languages: Iterable[str], complete: bool, layout: str = "") -> str | None:
        """End a build of `languages`; after a complete one, drop the HTML no page asked for, and mark what is
        kept with the site's key and `layout` (see `kept_for`).

        Returns what was reused and converted, for the log, or None when no generated page was built."""
        languages = list(languages)
        if complete:
            for language in languages:
                if language in self.memos:
                    self.memos[language].prune()
                    if self.folder is not None:
                        mark = self.folder / language / _MARK
                        if self.site:
                            mark.parent.mkdir(parents=True, exist_ok=True)
                            mark.write_text(_mark(self.site, layout, checked=_warnings_shown()), encoding="utf-8")
                        else:
                            mark.unlink(missing_ok=True)
        reused = sum(self.reused.get(language, 0) for language in languages)
        converted = sum(self.converted.get(language, 0) for language in languages)
        parts = [sum(self.parts.get(language, [0, 0])[index] for language in languages) for index in (0, 1)]
        self.reused, self.converted, self.under_way, self.parts = {}, {}, {}, {}
        if reused + converted == 0:
            return None
        return (f"{', '.join(languages)}: {reused} of {reused + converted} generated pages' HTML reused "
                f"from the previous build, {converted} converted"
                + (f"; of the whole-glossary pages' entries, {parts[0]} kept, {parts[1]} converted" if sum(parts) else ""))

    def close(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)

    def _files_key(self, files: Files) -> str:
        """The site files of this pass, as links resolve against them: computed once per pass."""
        if self._files is None or self._files[0] is not files:
            parts = [f"{file.src_uri}\n{file.dest_uri}\n{file.inclusion.name}" for file in files]
            self._files = (files, digest(*parts))
        return self._files[1]

    def _library_versions(self, config: MkDocsConfig) -> str:
        if self._versions is None:
            names = set(_LIBRARIES)
            # A name without a module ("toc") is one of Python-Markdown's own extensions.
            modules = {name.split(".")[0] if "." in name else "markdown"
                       for name in (extension if isinstance(extension, str) else type(extension).__module__
                                    for extension in config.markdown_extensions)}
            known = dict(_KNOWN_MODULES)
            unknown = modules - known.keys()
            names.update(known[module] for module in modules - unknown)
            if unknown:  # reading every installed distribution's file list takes a while: only when needed
                distributions = metadata.packages_distributions()
                for module in unknown:
                    names.update(distributions.get(module, ()))
            self._versions = ",".join(f"{name}=={installed_version(name)}" for name in sorted(names))
        return self._versions


def _whole(kept: object) -> bool:
    """Whether a kept value has every part a reused page needs (a file may be damaged or foreign)."""
    return (isinstance(kept, dict) and isinstance(kept.get("html"), str) and isinstance(kept.get("toc"), list)
            and isinstance(kept.get("anchors"), list) and isinstance(kept.get("links"), dict)
            and isinstance(kept.get("lost"), list) and isinstance(kept.get("checked"), bool))


def _mark(site: str, layout: str, *, checked: bool) -> str:
    """What `finish` writes beside a language's kept HTML: for which site and inputs, and whether warnings were seen."""
    return digest(site, layout) + ("" if checked else " unchecked")


def _warnings_shown() -> bool:
    """Whether a warning logged during a conversion reaches MkDocs' handlers (and the count)."""
    return logging.getLogger("mkdocs").isEnabledFor(logging.WARNING)


def toc_tokens(links: Iterable[AnchorLink]) -> list[dict[str, Any]]:
    """A table of contents as the tokens `get_toc` makes it from."""
    return [{"level": link.level, "id": link.id, "name": link.title, "children": toc_tokens(link.children)}
            for link in links]


def input_layout(settings: Settings, docs_dir: Path) -> str:
    """The names of the site's inputs (entries, snippets, hand-written pages): a new or removed one changes
    the files every page is converted among, and so the key of every page's HTML."""
    names = [path.name for folder in (settings.glossary_dir, settings.snippets_dir) if folder.is_dir()
             for path in folder.iterdir()]
    for folder, children, files in os.walk(docs_dir):
        children[:] = [child for child in children if Path(folder, child) not in settings.page_folders]
        names += [os.path.join(folder, name) for name in files]
    return digest(*sorted(names))
