"""`mkdocs build` shares the languages with a second process: same site, same errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import Site

pytestmark = pytest.mark.build


def _build(site: Site, site_dir: str, *, parallel: bool) -> subprocess.CompletedProcess:
    config = site.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    switch = "      parallel: false\n"
    text = text.replace(switch, "")
    if not parallel:
        text = text.replace("  - glossgen:\n", "  - glossgen:\n" + switch)
    config.write_text(text, encoding="utf-8")
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}  # the sitemap archive carries the build date
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", site_dir],
                          cwd=site.root, capture_output=True, text=True, timeout=300, env=environment)


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_two_processes_build_the_same_site_as_one(site: Site) -> None:
    shared = _build(site, "shared", parallel=True)
    assert shared.returncode == 0, shared.stderr
    assert "Building sv, de in a second process" in shared.stderr
    alone = _build(site, "alone", parallel=False)
    assert alone.returncode == 0, alone.stderr
    assert "second process" not in alone.stderr

    shared_files, alone_files = _files(site.root / "shared"), _files(site.root / "alone")
    assert sorted(shared_files) == sorted(alone_files)
    assert [name for name in alone_files if shared_files[name] != alone_files[name]] == []
    assert {"sv/glossary/weights/index.html", "de/glossary/weights/index.html",
            "sv/search/search_index.json", "sitemap.xml"} <= set(shared_files)
    assert not [path.name for path in site.root.iterdir() if path.name.endswith((".worker", ".building"))]


def test_a_problem_in_the_second_process_fails_the_build_and_is_reported(site: Site) -> None:
    site.write("docs/about.sv.md", "# Om\n\nSe [saknad sida](saknas.md).\n")
    for language in ("en", "nl", "de"):
        suffix = "" if language == "en" else f".{language}"
        site.write(f"docs/about{suffix}.md", f"# About ({language})\n")
    result = _build(site, "site", parallel=True)
    assert result.returncode == 1
    assert "about.sv.md" in result.stderr and "saknas.md" in result.stderr
    assert "glossgen: the second build process (sv, de) failed; its messages are above" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site.root / "site").exists()
    assert not [path.name for path in site.root.iterdir() if path.name.endswith((".worker", ".building"))]


def test_languages_are_shared_only_when_building(site: Site) -> None:
    result = site.run("mkdocs", "build", "--dirty", "--no-strict")  # MkDocs warns about every dirty build
    assert result.returncode == 0, result.stderr
    assert "second process" not in result.stderr


def test_a_dirty_build_keeps_the_search_documents_of_pages_it_did_not_render(site: Site) -> None:
    assert site.build().returncode == 0
    entry = site.root / "glossary/zebra.yml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("term: zebra", "term: okapi", 1), encoding="utf-8")
    result = site.run("mkdocs", "build", "--dirty", "--no-strict")  # MkDocs warns about every dirty build
    assert result.returncode == 0, result.stderr
    for prefix in ("", "nl/", "sv/", "de/"):
        index = json.loads((site.site_dir / prefix / "search/search_index.json").read_text(encoding="utf-8"))
        pages = {document["location"].split("#")[0] for document in index["docs"]}
        assert {f"glossary/{entry_id}/" for entry_id in ("weights", "error", "zebra", "apple")} <= pages
        titles = [document["title"] for document in index["docs"] if document["location"] == "glossary/zebra/"]
        assert len(titles) == 1
    index = json.loads((site.site_dir / "search/search_index.json").read_text(encoding="utf-8"))
    assert [d["title"] for d in index["docs"] if d["location"] == "glossary/zebra/"] == ["okapi"]


def test_glossgen_writes_each_language_index_as_mkdocs_material_and_the_split_would(site: Site) -> None:
    """A full build indexes every page itself; `mkdocs build --dirty`, which does not see every page, leaves it to
    mkdocs-material and splits the merged index by language. From an empty folder both see every page."""
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    for options in (["--site-dir", "direct"], ["--dirty", "--no-strict", "--site-dir", "merged"]):
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", *options], cwd=site.root,
                                capture_output=True, text=True, timeout=300, env=environment)
        assert result.returncode == 0, result.stderr
    direct, merged = _files(site.root / "direct"), _files(site.root / "merged")
    indexes = [name for name in merged if name.endswith("search/search_index.json")]
    assert len(indexes) == 4
    assert all(len(json.loads(direct[name])["docs"]) > 8 for name in indexes)
    assert sorted(direct) == sorted(merged)
    assert [name for name in merged if direct[name] != merged[name]] == []


def test_a_build_whose_pages_html_is_kept_runs_in_one_process(site: Site) -> None:
    """A second process pays only when most pages are converted: not after a complete build of the same site,
    and again once the site's inputs change their names (a new page)."""
    assert "Building sv, de in a second process" in _build(site, "site", parallel=True).stderr
    warm = _build(site, "site", parallel=True)
    assert warm.returncode == 0, warm.stderr
    assert "second process" not in warm.stderr
    reused = re.search(r"en, nl, sv, de: (\d+) of (\d+) generated pages' HTML reused from the previous build, "
                       r"0 converted", warm.stderr)
    assert reused and reused[1] == reused[2], warm.stderr
    site.write("docs/about.md", "# About\n\nA new page.\n")
    assert "Building sv, de in a second process" in _build(site, "site", parallel=True).stderr
