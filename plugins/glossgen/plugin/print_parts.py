"""The whole-glossary page, converted one entry at a time, each entry's part kept for the next build.

The print page shows every entry of a language, 1.2 MB of Markdown at 300 concepts, and
after an edit MkDocs would convert all of it again for the one entry that changed. Its
template marks where each entry's part begins (`<!-- glossgen:entry lora -->`) and where
the parts end. When the page itself cannot be reused whole (rendered.py), `PrintParts`
leaves out of what MkDocs converts every part whose HTML was kept from an earlier
conversion of the same Markdown, in the same page among the same site files under the same
Markdown configuration; after the conversion it puts the kept parts back between their
marks, and keeps the parts just converted. A part is kept sanitized: the output allowlist
holds each part, and the page's head and tail, on its own, so that an edit sanitizes again
only what it converted (a whole-glossary page is 7-8 MB of HTML at 1,000 concepts).

A part's HTML is kept only where it cannot depend on the rest of the page:
- every Markdown extension of the site is one that converts a block without state shared
  across the document (`_CONTEXT_FREE`: no footnotes, abbreviations or numbered tabs, and
  pymdownx.highlight numbering no lines), and
- every heading of the page has an id of its own (`{#...}`): the template gives its headings
  ids made from the entry's id. A heading written in an entry's text would take its id from
  the document's other headings, so then the page is converted whole, as before.

The page's table of contents is made of each part's headings, and its anchors of each part's
ids. MkDocs checks links to other pages' anchors in what it converts; a kept part's were
checked when it was converted, and the entry's own page, which shows the same text, has its
links checked in every build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from markdown.extensions.toc import nest_toc_tokens
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

from ..core.memo import FolderMemo, digest

_ENTRY_MARK = re.compile(r"^<!-- glossgen:entry ([a-z0-9]+(?:-[a-z0-9]+)*) -->$", re.MULTILINE)
_END_MARK = re.compile(r"^<!-- glossgen:entries-end -->$", re.MULTILINE)
#: Extensions that convert each block on its own: a part's HTML is the same in any document.
_CONTEXT_FREE = frozenset({
    "admonition", "attr_list", "def_list", "fenced_code", "md_in_html", "tables", "toc", "sane_lists", "smarty",
    "nl2br", "meta", "codehilite",
    "pymdownx.arithmatex", "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.superfences",
    "pymdownx.details", "pymdownx.mark", "pymdownx.caret", "pymdownx.tilde", "pymdownx.keys",
    "pymdownx.smartsymbols", "pymdownx.betterem", "pymdownx.emoji", "pymdownx.tasklist", "pymdownx.snippets",
})
_NUMBERING = ("linenums", "anchor_linenums", "line_spans", "line_anchors")  # pymdownx.highlight: ids counted per page
_HEADING = re.compile(r"^(?:#{1,6}[ \t].*|=+[ \t]*|-+[ \t]*)$", re.MULTILINE)  # ATX lines, setext underlines
_OWN_ID = re.compile(r"\{#[\w-]+\}[ \t]*$")
_ID = re.compile(r'\sid="([^"]+)"')


def parts_allowed(config: MkDocsConfig) -> bool:
    """Whether the site's Markdown converts every part of a page the same wherever it stands."""
    names = [extension if isinstance(extension, str) else None for extension in config.markdown_extensions]
    if any(name not in _CONTEXT_FREE for name in names):
        return False
    highlight = config.mdx_configs.get("pymdownx.highlight") or {}
    return not any(highlight.get(option) for option in _NUMBERING)


@dataclass
class Part:
    entry_id: str
    key: str
    kept: dict | None  # its HTML, headings and ids from an earlier conversion


class PrintParts:
    """One page made of marked parts, between on_page_markdown and on_page_content."""

    def __init__(self, markdown: str, parts: list[Part]) -> None:
        self.markdown = markdown  # the page's whole Markdown
        self.parts = parts
        self.converted: list[Part] = []  # the parts MkDocs converted this time

    @classmethod
    def split(cls, markdown: str, base: str, memo: FolderMemo) -> tuple[PrintParts, str] | None:
        """The page's parts, and the Markdown MkDocs is to convert: the kept parts left out. None when the
        page has no marked parts, or a heading without an id of its own."""
        end = _END_MARK.search(markdown)
        marks = list(_ENTRY_MARK.finditer(markdown, 0, end.start() if end else 0))
        if end is None or not marks or any(not _OWN_ID.search(line) for line in _HEADING.findall(markdown)):
            return None
        parts, pieces = [], [markdown[:marks[0].start()]]
        for index, mark in enumerate(marks):
            text = markdown[mark.end():marks[index + 1].start() if index + 1 < len(marks) else end.start()]
            key = digest("part", base, mark.group(1), text)
            kept = memo.find(key)
            kept = kept if _whole(kept) else None
            parts.append(Part(mark.group(1), key, kept))
            pieces += [mark.group(0), "\n\n" if kept is not None else text]
        pieces.append(markdown[end.start():])
        return cls(markdown, parts), "".join(pieces)

    def join(self, html: str, page: Page, clean: Callable[[str], tuple[str, list[str]]]
             ) -> tuple[str, list[str]] | None:
        """The page's sanitized HTML with every part in place and the marks taken out, and what sanitizing
        removed; its table of contents and anchors made whole. None when the conversion did not keep the
        marks where they were (then the page is to be converted whole).

        Each part is a whole block (the template's `<div>`), and so are the page's head and tail: each is
        sanitized on its own, a part once when it is converted, and kept sanitized."""
        end = _END_MARK.search(html)
        marks = list(_ENTRY_MARK.finditer(html, 0, end.start() if end else 0))
        if end is None or [mark.group(1) for mark in marks] != [part.entry_id for part in self.parts]:
            return None
        headings = {token["id"]: token for token in _flat(page.toc)}  # every id is a heading's own

        def headings_in(text: str) -> list[dict[str, Any]]:  # in the order of the page
            return [headings[found] for found in _ID.findall(text) if found in headings]

        head, tail = html[:marks[0].start()], html[end.end():]
        toc = headings_in(head)
        anchors = set(page.present_anchor_ids or ())
        (clean_head, lost_in_head), (clean_tail, lost_in_tail) = clean(head), clean(tail)
        pieces, lost = [clean_head], [*lost_in_head, *lost_in_tail]
        for index, (mark, part) in enumerate(zip(marks, self.parts)):
            if part.kept is None:
                text = html[mark.end():marks[index + 1].start() if index + 1 < len(marks) else end.start()]
                clean_text, lost_in_text = clean(text)
                part.kept = {"html": clean_text, "lost": lost_in_text, "toc": headings_in(text),
                             "anchors": sorted(set(_ID.findall(text)))}
                self.converted.append(part)
            pieces.append(part.kept["html"])
            lost += part.kept["lost"]
            toc += part.kept["toc"]
            anchors.update(part.kept["anchors"])
        pieces.append(clean_tail)
        toc += headings_in(tail)
        page.toc = get_toc(nest_toc_tokens([dict(token) for token in toc]))
        page.present_anchor_ids = anchors
        page.markdown = self.markdown
        return "".join(pieces), sorted(lost)

    def keep(self, memo: FolderMemo) -> None:
        """Keep the parts converted this time, for the next build (after a conversion that warned of nothing)."""
        for part in self.converted:
            memo.put(part.key, part.kept)


def unmarked(html: str) -> str:
    """A page's HTML without the marks of its parts (converted whole)."""
    return _END_MARK.sub("", _ENTRY_MARK.sub("", html)) if "<!-- glossgen:entr" in html else html


def _flat(links: Any) -> list[dict[str, Any]]:
    """A table of contents as flat tokens in the order of the page (level, id, name)."""
    tokens: list[dict[str, Any]] = []

    def walk(items: list[AnchorLink]) -> None:
        for link in items:
            tokens.append({"level": link.level, "id": link.id, "name": link.title})
            walk(link.children)

    walk(list(links))
    return tokens


def _whole(kept: object) -> bool:
    return (isinstance(kept, dict) and isinstance(kept.get("html"), str) and isinstance(kept.get("toc"), list)
            and isinstance(kept.get("anchors"), list) and isinstance(kept.get("lost"), list))
