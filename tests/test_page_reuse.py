"""A generated page's converted HTML is reused only where converting it again would give the same page.

These tests run MkDocs' own page rendering in this process: `Page.render` between
`RenderedPages.before` and `RenderedPages.after`, as a build calls them around it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from glossgen.core.sanitize import sanitize_reporting
from glossgen.plugin.rendered import RenderedPages

MARKDOWN = """\
# Weights

The [other page](other.md#its-part) explains it.

## Details

<span id="kept-anchor"></span>Text with <em onclick="steal()">a handler</em>.
"""


def _site(root: Path):
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs/other.md").write_text("# Other\n\n## Its part\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: Reuse\nmarkdown_extensions:\n  - toc:\n      permalink: true\n"
                                     "  - attr_list\n", encoding="utf-8")
    config = load_config(str(root / "mkdocs.yml"))
    files = Files([File(name, str(root / "docs"), str(root / "site"), config.use_directory_urls)
                   for name in ("weights.md", "other.md")])
    return config, files


def _page(config, files: Files, markdown: str) -> Page:
    page = Page(None, files.get_file_from_path("weights.md"), config)
    page.markdown, page.meta = markdown, {"title": "Weights"}
    return page


def _build(pages: RenderedPages, config, files: Files, markdown: str = MARKDOWN, *, warn: bool = False):
    """One page through on_page_markdown, MkDocs' conversion and on_page_content."""
    pages.start_pass(config)
    page = _page(config, files, markdown)
    page.markdown = pages.before(page.markdown, page, files, "en")
    converted = page.markdown
    page.render(config, files)
    if warn:
        logging.getLogger("mkdocs.structure.pages").warning("a link the conversion could not resolve")
    html, lost = pages.after(page.content, page, files, sanitize_reporting)
    pages.close()
    return page, html, lost, converted


def _toc(page: Page) -> list:
    return [(link.level, link.id, link.title, [(child.id, child.title) for child in link.children]) for link in page.toc]


def test_a_page_converted_before_gets_its_html_toc_anchors_and_links_back_without_converting(tmp_path: Path) -> None:
    config, files = _site(tmp_path)
    fresh, html, lost, converted = _build(RenderedPages(tmp_path / "cache", "code"), config, files)
    assert converted == MARKDOWN and "onclick" not in html and lost

    reused, html_again, lost_again, converted_again = _build(RenderedPages(tmp_path / "cache", "code"), config, files)
    assert converted_again == ""  # MkDocs converted nothing
    assert (html_again, lost_again) == (html, lost)
    assert _toc(reused) == _toc(fresh) and next(iter(reused.toc)).active
    assert reused.present_anchor_ids == fresh.present_anchor_ids and "kept-anchor" in reused.present_anchor_ids
    assert reused.links_to_anchors == fresh.links_to_anchors
    assert reused.markdown == MARKDOWN


def test_a_changed_text_or_code_or_file_list_converts_again(tmp_path: Path) -> None:
    config, files = _site(tmp_path)
    _build(RenderedPages(tmp_path / "cache", "code"), config, files)
    assert _build(RenderedPages(tmp_path / "cache", "code"), config, files, MARKDOWN + "\nMore.\n")[3] != ""
    assert _build(RenderedPages(tmp_path / "cache", "other code"), config, files)[3] != ""
    files.append(File("new.md", str(tmp_path / "docs"), str(tmp_path / "site"), config.use_directory_urls))
    assert _build(RenderedPages(tmp_path / "cache", "code"), config, files)[3] != ""


def test_a_conversion_that_warned_is_not_kept(tmp_path: Path) -> None:
    config, files = _site(tmp_path)
    _build(RenderedPages(tmp_path / "cache", "code"), config, files, warn=True)
    assert _build(RenderedPages(tmp_path / "cache", "code"), config, files)[3] == MARKDOWN


def test_a_page_that_includes_files_is_always_converted(tmp_path: Path) -> None:
    config, files = _site(tmp_path)
    including = MARKDOWN + '\n--8<-- "other.md"\n'
    for _ in range(2):
        assert _build(RenderedPages(tmp_path / "cache", "code"), config, files, including)[3] == including


def test_a_complete_build_drops_the_html_no_page_asked_for(tmp_path: Path) -> None:
    config, files = _site(tmp_path)
    cache = tmp_path / "cache/en"
    pages = RenderedPages(tmp_path / "cache", "code")
    _build(pages, config, files)
    _build(pages, config, files, MARKDOWN + "\nMore.\n")  # the preview: the page's earlier HTML is forgotten
    assert len(list(cache.glob("*.json"))) == 1
    assert pages.finish(["en"], complete=False) == ("en: 0 of 2 generated pages' HTML reused from the previous "
                                                    "build, 2 converted")

    later = RenderedPages(tmp_path / "cache", "code")  # a later build, which knows nothing of the earlier one
    _build(later, config, files)
    assert len(list(cache.glob("*.json"))) == 2
    later.finish(["en"], complete=True)
    assert len(list(cache.glob("*.json"))) == 1
    assert _build(RenderedPages(tmp_path / "cache", "code"), config, files)[3] == ""


def test_what_a_build_hiding_warnings_kept_is_converted_again_by_one_that_shows_them(tmp_path: Path) -> None:
    config, files = _site(tmp_path)
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)  # as `mkdocs build -q` does
    try:
        _build(RenderedPages(tmp_path / "cache", "code"), config, files, warn=True)
        assert _build(RenderedPages(tmp_path / "cache", "code"), config, files)[3] == ""  # quiet builds reuse it
    finally:
        logger.setLevel(level)
    assert _build(RenderedPages(tmp_path / "cache", "code"), config, files)[3] == MARKDOWN
    assert _build(RenderedPages(tmp_path / "cache", "code"), config, files)[3] == ""  # checked now: reused


def test_a_quiet_build_marks_what_it_kept_for_quiet_builds_only(tmp_path: Path) -> None:
    """The mark that lets a build of kept HTML run in one process: a quiet build's counts for the next quiet
    build, which reuses its pages, and not for one that shows warnings, which converts them again."""
    config, files = _site(tmp_path)
    logger = logging.getLogger("mkdocs")
    level = logger.level
    pages = RenderedPages(tmp_path / "cache", "code")
    assert not pages.kept_for(["en"], config, "layout")  # nothing built yet
    logger.setLevel(logging.ERROR)  # as `mkdocs build -q` does
    try:
        _build(pages, config, files)
        pages.finish(["en"], complete=True, layout="layout")
        assert RenderedPages(tmp_path / "cache", "code").kept_for(["en"], config, "layout")
        assert not RenderedPages(tmp_path / "cache", "code").kept_for(["en"], config, "other layout")
    finally:
        logger.setLevel(level)
    assert not RenderedPages(tmp_path / "cache", "code").kept_for(["en"], config, "layout")
    shown = RenderedPages(tmp_path / "cache", "code")
    assert _build(shown, config, files)[3] == MARKDOWN  # converted again, now that warnings are seen
    shown.finish(["en"], complete=True, layout="layout")
    assert RenderedPages(tmp_path / "cache", "code").kept_for(["en"], config, "layout")


def _config_with(root: Path, extra: str):
    (root / "mkdocs.yml").write_text("site_name: Reuse\nmarkdown_extensions:\n  - toc:\n      permalink: true\n"
                                     f"  - attr_list\n{extra}", encoding="utf-8")
    return load_config(str(root / "mkdocs.yml"))


def test_a_changed_link_validation_setting_converts_again(tmp_path: Path) -> None:
    config, files = _site(tmp_path)
    _build(RenderedPages(tmp_path / "cache", "code"), config, files)
    stricter = _config_with(tmp_path, "validation:\n  links:\n    absolute_links: relative_to_docs\n")
    assert _build(RenderedPages(tmp_path / "cache", "code"), stricter, files)[3] == MARKDOWN


def test_settings_are_told_apart_by_their_values_and_a_lambda_means_no_reuse(tmp_path: Path) -> None:
    import functools

    from pymdownx.slugs import slugify
    config, _ = _site(tmp_path)
    pages = RenderedPages(None, "code")
    keys = []
    for case in ("lower", "none"):
        config.mdx_configs["toc"]["slugify"] = functools.partial(slugify, case=case)
        keys.append(pages.site_key(config))
    assert keys[0] != keys[1] and all(keys)
    config.mdx_configs["toc"]["slugify"] = lambda text, separator: text
    assert pages.site_key(config) == ""


def test_a_damaged_kept_value_is_converted_again_and_breaks_nothing(tmp_path: Path) -> None:
    config, files = _site(tmp_path)
    _build(RenderedPages(tmp_path / "cache", "code"), config, files)
    for damaged in ("[1, 2]", '{"html": "<p>x</p>"}', "{not json"):
        for path in (tmp_path / "cache/en").glob("*.json"):
            path.write_text(damaged, encoding="utf-8")
        page, html, _, converted = _build(RenderedPages(tmp_path / "cache", "code"), config, files)
        assert converted == MARKDOWN and "Details" in html and page.toc


def test_a_build_at_debug_level_keeps_nothing(tmp_path: Path) -> None:
    """MkDocs records no links to anchors at DEBUG level (-v): reusing such a page would skip their check."""
    config, files = _site(tmp_path)
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        _build(RenderedPages(tmp_path / "cache", "code"), config, files)
    finally:
        logger.setLevel(level)
    assert _build(RenderedPages(tmp_path / "cache", "code"), config, files)[3] == MARKDOWN


SEARCH = {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": [], "fields": {}}


def test_a_pages_own_search_front_matter_is_given_back_whatever_it_was(tmp_path: Path) -> None:
    from glossgen.plugin.search import SearchDocuments
    config, files = _site(tmp_path)
    for meta in ({}, {"search": None}, {"search": {"boost": 2}}):
        page = _page(config, files, MARKDOWN)
        page.meta = {**meta, "title": "Weights"}
        page.render(config, files)
        documents = SearchDocuments(tmp_path / "search", "code")
        documents.index_page(page, "en", "", SEARCH)
        assert page.meta["search"]["exclude"] is True  # mkdocs-material's search passes it by
        documents.show_page(page)
        assert page.meta == {**meta, "title": "Weights"}


def test_damaged_kept_search_documents_are_made_again(tmp_path: Path) -> None:
    from glossgen.plugin.search import SearchDocuments
    config, files = _site(tmp_path)
    made = []
    for damaged in (None, '{"location": "x"}', '[{"location": 1}]'):
        if damaged is not None:
            for path in (tmp_path / "search/en").glob("*.json"):
                path.write_text(damaged, encoding="utf-8")
        page = _page(config, files, MARKDOWN)
        page.render(config, files)
        documents = SearchDocuments(tmp_path / "search", "code")
        documents.index_page(page, "en", "", SEARCH)
        made.append(documents.documents["en"][page.url])
    assert made[0] and made[0] == made[1] == made[2]
    assert {document["location"] for document in made[0]} >= {"weights/", "weights/#details"}


def test_a_language_index_makes_again_only_the_json_of_the_pages_whose_documents_are_new(tmp_path: Path,
                                                                                        monkeypatch) -> None:
    import json
    import types

    import glossgen.plugin.search as search
    config, files = _site(tmp_path)
    documents = search.SearchDocuments(None, "code")
    made: list[str] = []  # the first location of every list of documents turned into JSON
    monkeypatch.setattr(search, "json", types.SimpleNamespace(
        loads=json.loads, dumps=lambda value, **options: (made.append(value[0]["location"]) if isinstance(value, list)
                                                          and value and "location" in value[0] else None)
        or json.dumps(value, **options)))

    def build(markdowns: dict[str, str]) -> dict:
        documents.note_pages(files, "en")
        for name, markdown in markdowns.items():
            page = Page(None, files.get_file_from_path(name), config)
            page.markdown, page.meta = markdown, {"title": name}
            page.render(config, files)
            documents.index_page(page, "en", "", SEARCH)
        written = documents.finish(tmp_path / "site", ["en"], "en", SEARCH, complete=False)["en"]
        index = json.loads((tmp_path / "site" / search.SEARCH_INDEX).read_text(encoding="utf-8"))
        assert index["docs"] == written and index["config"]["lang"] == ["en"]
        return index

    first = build({"weights.md": MARKDOWN, "other.md": "# Other\n\n## Its part\n"})
    assert sorted(made) == ["other/", "weights/"]
    made.clear()
    edited = build({"weights.md": MARKDOWN.replace("Details", "Particulars")})
    assert made == ["weights/"]  # the other page's documents are the same list: their JSON is kept
    assert edited["docs"] != first["docs"] and [doc for doc in edited["docs"] if doc["location"].startswith("other/")] \
        == [doc for doc in first["docs"] if doc["location"].startswith("other/")]
