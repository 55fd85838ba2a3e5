"""A build whose inputs did not change reuses the last result from the memory; any changed input is seen."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .helpers import Site

pytestmark = pytest.mark.build

REUSED = "unchanged since the last build, reused from the cache"
RECORD = ".cache/glossgen/memory.pickle"


def _site_files(site: Site) -> dict[str, bytes]:
    return {path.relative_to(site.site_dir).as_posix(): path.read_bytes()
            for path in site.site_dir.rglob("*") if path.is_file() and path.name != "sitemap.xml.gz"}


def _build(site: Site) -> str:
    result = site.build()
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_unchanged_inputs_reuse_the_last_result_and_build_the_same_site(site: Site) -> None:
    assert REUSED not in _build(site)
    first = _site_files(site)
    assert REUSED in _build(site)
    assert _site_files(site) == first


def test_a_changed_entry_is_built_again(site: Site) -> None:
    _build(site)
    entry = site.root / "glossary/zebra.yml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("term: Zebra", "term: Steppenzebra", 1), encoding="utf-8")
    log = _build(site)
    assert REUSED not in log
    assert site.heading("de/glossary/zebra/index.html") == "Steppenzebra"
    assert REUSED in _build(site)


def test_a_changed_site_option_is_built_again(site: Site) -> None:
    _build(site)
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("https://glossary.example/", "https://terms.example/"),
                      encoding="utf-8")
    assert REUSED not in _build(site)
    exported = json.loads((site.site_dir / "glossary.json").read_text(encoding="utf-8"))
    assert "https://terms.example/" in json.dumps(exported)
    assert "https://glossary.example/" not in json.dumps(exported)


def test_a_damaged_memory_means_a_full_run_and_a_lost_download_is_written_again(site: Site) -> None:
    _build(site)
    built = _site_files(site)
    (site.root / RECORD).write_bytes(b"not a pickle")
    assert "1 snippets, 1 run;" in _build(site)

    downloads = sorted((site.root / ".cache/glossgen/downloads").rglob("*.ipynb"))
    downloads[0].unlink()
    assert REUSED in _build(site)
    assert downloads[0].is_file()
    assert _site_files(site) == built


def test_no_cache_folder_means_no_reuse(site: Site) -> None:
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - glossgen:\n", "  - glossgen:\n      cache_dir: ''\n"),
                      encoding="utf-8")
    _build(site)
    assert REUSED not in _build(site)
    assert not Path(site.root / RECORD).exists()


def test_an_edit_rewrites_only_the_notebooks_it_changes(site: Site) -> None:
    _build(site)
    notebooks = site.root / ".cache/glossgen/downloads/notebooks"
    before = {path: path.stat().st_mtime_ns for path in notebooks.rglob("*.ipynb")}
    entry = site.root / "glossary/weights.yml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("Body of weight:", "New body of weight:", 1),
                     encoding="utf-8")
    _build(site)
    changed = sorted(path.relative_to(notebooks).as_posix() for path, stamp in before.items()
                     if path.stat().st_mtime_ns != stamp)
    assert changed == ["en/weights.ipynb"]
    incremental = _site_files(site)
    shutil.rmtree(site.root / ".cache")
    _build(site)
    assert _site_files(site) == incremental


def test_a_placeholder_address_is_said_and_a_real_one_is_not(site: Site) -> None:
    said = "the site address 'https://glossary.example/' is a placeholder (its domain is reserved for examples)"
    assert said in _build(site)
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("https://glossary.example/", "https://ml-terms.org/"),
                      encoding="utf-8")
    assert "is a placeholder" not in _build(site)
