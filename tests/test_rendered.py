"""A generated page's HTML is kept between builds: reused while its Markdown and site are the same, never stale."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from .helpers import Site, site_files, synthetic_project

pytestmark = pytest.mark.build

COUNT = re.compile(r"glossgen: en, nl, sv, de: (\d+) of (\d+) generated pages' HTML reused from the previous build, "
                   r"(\d+) converted")


def _published(site: Site) -> dict[str, bytes]:
    """The built site, but for the compressed sitemap, whose gzip header holds the time it was written."""
    return {path: data for path, data in site_files(site.site_dir).items() if path != "sitemap.xml.gz"}


def _build(site: Site) -> tuple[int, int, int]:
    """Build the site; return how many generated pages' HTML were reused, how many pages there were, and converted."""
    result = site.build()
    assert result.returncode == 0, result.stderr
    counts = COUNT.findall(result.stderr)
    assert len(counts) == 1, result.stderr
    return tuple(int(count) for count in counts[0])


def _edit_swedish_body(root: Path, entry_id: str) -> None:
    entry = root / f"glossary/{entry_id}.yml"
    text = entry.read_text(encoding="utf-8")
    body = text.index("  body: |\n    ", text.index("\nsv:\n")) + len("  body: |\n    ")
    entry.write_text(f"{text[:body]}Ändrad. {text[body:]}", encoding="utf-8")


def _one_process_site(root: Path, concepts: int) -> tuple[Site, list]:
    written, _ = synthetic_project(root, concepts)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - glossgen\n", "  - glossgen:\n      parallel: false\n"),
                      encoding="utf-8")
    return Site(root), written


def test_an_unchanged_page_reuses_its_html_and_an_edit_converts_the_same_few_pages_at_any_size(tmp_path: Path) -> None:
    converted_after_edit = {}
    for size in (16, 48):
        site, concepts = _one_process_site(tmp_path / str(size), size)
        reused, total, converted = _build(site)
        assert (reused, converted) == (0, total) and total > 4 * size
        first = _published(site)

        assert _build(site) == (total, total, 0)
        assert _published(site) == first

        _edit_swedish_body(site.root, concepts[3].id)
        reused, total_after, converted = _build(site)
        assert total_after == total and reused == total - converted
        converted_after_edit[size] = converted
        assert "Ändrad." in (site.site_dir / f"sv/glossary/{concepts[3].id}/index.html").read_text(encoding="utf-8")
        if size == 16:  # what reuse built is what converting every page builds
            edited = _published(site)
            shutil.rmtree(site.root / ".cache/glossgen/html")
            assert _build(site) == (0, total, total)
            assert _published(site) == edited
    # The entry's Swedish page and the Swedish whole-glossary page, whatever the glossary's size.
    assert converted_after_edit[16] == converted_after_edit[48] == 2


def test_a_changed_markdown_option_converts_every_page_again(tmp_path: Path) -> None:
    site, _ = _one_process_site(tmp_path, 8)
    _, total, _ = _build(site)
    site.edit("mkdocs.yml", "      permalink: true\n", "      permalink: true\n      permalink_title: Link here\n")
    assert _build(site) == (0, total, total)
    page = (site.site_dir / "glossary/index.html").read_text(encoding="utf-8")
    assert 'title="Link here"' in page
