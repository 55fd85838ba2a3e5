"""`glossgen export`: the same checks as the build, one-line usage errors, files where asked."""

from __future__ import annotations

import json

import nbformat
import numpy
import pytest

from .helpers import LANGUAGES, Site


def test_export_all_writes_every_format(site: Site) -> None:
    result = site.glossgen("export", "all", "--out", "out", "--no-execute")
    assert result.returncode == 0, result.stderr
    out = site.root / "out"
    assert json.loads((out / "glossary.json").read_text())["concepts"][0]["id"] == "apple"
    assert (out / "glossary.tbx").read_bytes().startswith(b"<?xml")
    assert len(list(out.glob("glossary-*-*.csv"))) == 12
    assert (out / "llms.txt").is_file() and (out / "nl/llms-full.txt").is_file()
    assert sorted(p.name for p in (out / "notebooks/sv").glob("*.ipynb")) == ["apple.ipynb", "error.ipynb", "weights.ipynb", "zebra.ipynb"]


def test_export_notebooks_executes_them_in_a_kernel(site: Site) -> None:
    result = site.glossgen("export", "notebooks", "--lang", "de", "--out", "out")
    assert result.returncode == 0, result.stderr
    notebook = nbformat.read(site.root / "out/notebooks/de/weights.ipynb", as_version=4)
    outputs = [output["text"] for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert outputs == [f"NumPy {numpy.__version__}\n", "total: 500,500\n"]
    assert not (site.root / "out/notebooks/nl").exists()


def test_export_of_an_invalid_glossary_stops_with_the_build_errors(site: Site) -> None:
    path = site.root / "glossary/zebra.yml"
    path.write_text(path.read_text().replace("category: basics", "category: animals"))
    result = site.glossgen("export", "json", "--out", "out")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "glossary/zebra.yml:2: category 'animals' is not defined in _categories.yml; use one of basics"
    assert not (site.root / "out").exists()


def test_unknown_format_or_language_is_a_one_line_usage_error(site: Site) -> None:
    for args, message in [
        (("export", "xml"), "glossgen: Invalid value for 'FORMAT': 'xml' is not one of 'json', 'tbx', 'csv', 'llms', 'notebooks', 'all'. (see glossgen --help)"),
        (("export", "csv", "--lang", "fr"), "glossgen: Invalid value for '--lang': 'fr' is not one of en, nl, sv, de. (see glossgen --help)"),
    ]:
        result = site.glossgen(*args)
        assert result.returncode == 2
        assert result.stderr.splitlines() == [message]


def test_an_unusable_out_folder_is_one_line(site: Site) -> None:
    site.write("taken", "a file, not a folder")
    result = site.glossgen("export", "json", "--out", "taken/exports")
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("glossgen: Invalid value for '--out': cannot write into taken/exports: ")


@pytest.mark.build
def test_the_site_serves_the_exports_and_links_each_page_to_its_notebook(built_site: Site) -> None:
    for name in ("glossary.json", "glossary.tbx", "glossary-nl-de.csv", "llms.txt", "sv/llms.txt", "de/llms-full.txt"):
        assert (built_site.site_dir / name).is_file(), name
    for language in LANGUAGES:  # each language's pass copies its own notebooks, and only those
        assert sorted(path.name for path in (built_site.site_dir / "notebooks" / language).glob("*.ipynb")) == [
            "apple.ipynb", "error.ipynb", "weights.ipynb", "zebra.ipynb"], language
    html = built_site.html("sv/glossary/zebra/index.html")
    link = html.select_one("article a[href$='.ipynb']")
    target = (built_site.site_dir / "sv/glossary/zebra" / link["href"]).resolve()
    assert target == (built_site.site_dir / "notebooks/sv/zebra.ipynb").resolve()
    notebook = nbformat.read(target, as_version=4)
    assert notebook.cells[0].source.startswith("# zebra")
