"""The whole-glossary page is converted one entry's part at a time: an edit converts only the parts it changed,
and the page is the one a conversion of all of it gives.

As in test_page_reuse.py, MkDocs' own `Page.render` runs between `RenderedPages.before` and `after`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from glossgen.core.sanitize import sanitize_reporting
from glossgen.plugin.print_parts import unmarked
from glossgen.plugin.rendered import RenderedPages

from .helpers import write_site


def part(entry_id: str, text: str) -> str:
    return (f"<!-- glossgen:entry {entry_id} -->\n\n<div class=\"entry\" markdown>\n\n## {entry_id.title()} "
            f"{{#{entry_id}}}\n\n{text}\n\n### Related {{#{entry_id}_related}}\n\n- [other](other.md#its-part)\n\n"
            "</div>\n\n")


def page_of(*parts: str, heading: str = "## Sources {#glossgen_sources}") -> str:
    return ("# All terms {#glossgen_print}\n\nEvery term.\n\n" + "".join(parts) + "<!-- glossgen:entries-end -->\n\n"
            f"{heading}\n\n- <span id=\"source-a\"></span>A source.\n")


PARTS = {"apple": "An apple, see [the source](#source-a).", "error": "An error.", "zebra": "A zebra."}


def _site(root: Path, extensions: str = "  - attr_list\n  - md_in_html\n"):
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs/other.md").write_text("# Other\n\n## Its part\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: Parts\nmarkdown_extensions:\n  - toc:\n      permalink: true\n"
                                     + extensions, encoding="utf-8")
    config = load_config(str(root / "mkdocs.yml"))
    files = Files([File(name, str(root / "docs"), str(root / "site"), config.use_directory_urls)
                   for name in ("print.md", "other.md")])
    return config, files


def _build(pages: RenderedPages | None, config, files: Files, markdown: str):
    """The page through on_page_markdown, MkDocs' conversion and on_page_content; without `pages`, converted
    whole, with the marks taken out as a build does."""
    page = Page(None, files.get_file_from_path("print.md"), config)
    page.markdown, page.meta = markdown, {"title": "All terms"}
    if pages is not None:
        pages.start_pass(config)
        page.markdown = pages.before(page.markdown, page, files, "en")
    converted = page.markdown
    page.render(config, files)
    if pages is None:
        return page, sanitize_reporting(unmarked(page.content))[0], converted
    html, _ = pages.after(page.content, page, files, sanitize_reporting)
    return page, html, converted


def _toc(page: Page) -> list:
    def walk(links):
        return [(link.level, link.id, link.title, walk(link.children)) for link in links]
    return walk(page.toc)


def test_an_edit_converts_only_the_part_it_changed_and_the_page_is_the_whole_conversions(tmp_path: Path) -> None:
    config, files = _site(tmp_path)
    pages = RenderedPages(tmp_path / "cache", "code")
    _build(pages, config, files, page_of(*(part(entry_id, text) for entry_id, text in PARTS.items())))
    assert pages.finish(["en"], complete=True).endswith("of the whole-glossary pages' entries, 0 kept, 3 converted")
    unchanged = RenderedPages(tmp_path / "cache", "code")  # a build with nothing changed reuses the page whole,
    assert _build(unchanged, config, files, page_of(*(part(entry_id, text) for entry_id, text in PARTS.items())))[2] == ""
    unchanged.finish(["en"], complete=True)  # and its parts outlive the pruning that ends it

    edited = page_of(*(part(entry_id, "An edited error." if entry_id == "error" else text)
                       for entry_id, text in PARTS.items()))
    page, html, converted = _build(RenderedPages(tmp_path / "cache", "code"), config, files, edited)
    assert "An edited error." in converted and "An apple" not in converted and "A zebra" not in converted
    whole, whole_html, _ = _build(None, config, files, edited)
    assert html == whole_html and "glossgen:entry" not in html and "An apple" in html
    assert _toc(page) == _toc(whole)
    assert [link.id for link in next(iter(page.toc)).children] == ["apple", "error", "zebra", "glossgen_sources"]
    assert page.present_anchor_ids == whole.present_anchor_ids and {"apple_related", "source-a"} <= page.present_anchor_ids
    assert page.markdown == edited


def test_each_part_is_sanitized_when_it_is_converted_and_what_it_lost_is_reported_while_it_is_kept(
        tmp_path: Path) -> None:
    config, files = _site(tmp_path)
    texts = {**PARTS, "zebra": 'A <b onclick="alert(1)">zebra</b>.'}
    sanitized: list[str] = []

    def build(markdown: str) -> tuple[str, list[str]]:
        pages = RenderedPages(tmp_path / "cache", "code")
        page = Page(None, files.get_file_from_path("print.md"), config)
        page.markdown, page.meta = markdown, {"title": "All terms"}
        pages.start_pass(config)
        page.markdown = pages.before(page.markdown, page, files, "en")
        page.render(config, files)
        sanitized.clear()
        return pages.after(page.content, page, files, lambda html: (sanitized.append(html), sanitize_reporting(html))[1])

    first, lost = build(page_of(*(part(entry_id, text) for entry_id, text in texts.items())))
    assert lost == ["onclick on <b>"] and "onclick" not in first and "<b>zebra</b>" in first
    assert len(sanitized) == 5  # the page's head and tail, and each of its three parts
    edited = page_of(*(part(entry_id, "An edited error." if entry_id == "error" else text)
                       for entry_id, text in texts.items()))
    html, lost = build(edited)
    assert len(sanitized) == 3 and "An edited error." in sanitized[2] and not any("zebra" in text for text in sanitized)
    assert lost == ["onclick on <b>"] and "onclick" not in html  # the kept zebra's part, sanitized when converted
    assert html == sanitize_reporting(unmarked(_build(None, config, files, edited)[0].content))[0]


def test_a_heading_without_an_id_of_its_own_or_an_extension_with_shared_state_converts_the_page_whole(
        tmp_path: Path) -> None:
    for name, extensions, heading in (("heading", "  - attr_list\n  - md_in_html\n", "## Sources"),
                                      ("footnotes", "  - attr_list\n  - md_in_html\n  - footnotes\n",
                                       "## Sources {#glossgen_sources}")):
        config, files = _site(tmp_path / name, extensions)
        first = page_of(*(part(entry_id, text) for entry_id, text in PARTS.items()), heading=heading)
        assert _build(RenderedPages(tmp_path / name / "cache", "code"), config, files, first)[2] == first
        edited = first.replace("A zebra.", "A striped zebra.")
        page, html, converted = _build(RenderedPages(tmp_path / name / "cache", "code"), config, files, edited)
        assert converted == edited and "glossgen:entry" not in html and "A striped zebra." in html


def test_a_part_that_swallows_the_marks_gets_the_page_converted_whole(tmp_path: Path) -> None:
    config, files = _site(tmp_path)
    _build(RenderedPages(tmp_path / "cache", "code"), config, files,
           page_of(*(part(entry_id, text) for entry_id, text in PARTS.items())))
    # A fence left open in one part makes code of the rest of the page: the marks after it are not marks.
    broken = page_of(*(part(entry_id, "```text\nAn open error." if entry_id == "error" else text)
                       for entry_id, text in PARTS.items()))
    page, html, converted = _build(RenderedPages(tmp_path / "cache", "code"), config, files, broken)
    assert "A zebra." not in converted  # the zebra's part was kept, so left out of what MkDocs converted
    whole, whole_html, _ = _build(None, config, files, broken)
    assert html == whole_html and "A zebra." in html
    assert _toc(page) == _toc(whole) and page.markdown == broken


@pytest.mark.build
def test_a_build_after_an_edit_keeps_the_other_entries_parts_and_equals_a_fresh_build(tmp_path: Path) -> None:
    site = write_site(tmp_path / "project")
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}  # the sitemap archive carries the build date

    def build(folder: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", folder],
                              cwd=site.root, capture_output=True, text=True, timeout=300, env=environment)

    assert build("first").returncode == 0
    site.edit("glossary/zebra.yml", "Body of zebra:", "A new body of zebra:")
    edited = build("edited")
    assert edited.returncode == 0, edited.stderr
    # Every language's page of the whole glossary took its other entries' parts from the first build.
    kept = re.findall(r"of the whole-glossary pages' entries, (\d+) kept, (\d+) converted", edited.stderr)
    assert kept and sum(int(converted) for _, converted in kept) < sum(int(kept) for kept, _ in kept)
    shutil.rmtree(site.root / ".cache/glossgen/html")  # no HTML kept from before: every page converted whole
    fresh = build("fresh")
    assert fresh.returncode == 0, fresh.stderr
    edited_files, fresh_files = _files(site.root / "edited"), _files(site.root / "fresh")
    assert sorted(edited_files) == sorted(fresh_files)
    assert [name for name in fresh_files if edited_files[name] != fresh_files[name]] == []
    assert "A new body of zebra" in edited_files["glossary/print/index.html"].decode("utf-8")


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}
