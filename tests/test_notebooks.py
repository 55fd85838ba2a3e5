"""Notebook export: one notebook per concept, with the build's outputs or run in a real kernel."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy
import pytest

from glossgen.core.errors import GlossaryError
from glossgen.core.files import write_tree
from glossgen.core.memo import Memo
from glossgen.core.results import RenderedText, RenderedTexts, ValidGlossary
from glossgen.pipeline import validate_glossary
from glossgen.stages.notebooks import concept_notebook, execute_notebook, notebook_files, notebooks_key

from .helpers import WEIGHTS, Site, write_site

SITE_URL = "https://glossary.example/"


def settings(root: Path):
    return Site(root).settings()


def write_notebooks(valid: ValidGlossary, language: str, folder: Path, **options) -> list[Path]:
    """Each concept's notebook in `language`, written into `folder`, as a build or `glossgen export` writes them."""
    paths, _ = write_tree(folder, {Path(path).name: text for path, text in notebook_files(valid, language, **options).items()})
    return list(paths.values())


@pytest.fixture(scope="module")
def fixture_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_site(tmp_path_factory.mktemp("notebooks")).root


@pytest.fixture(scope="module")
def valid(fixture_root: Path) -> ValidGlossary:
    return validate_glossary(settings(fixture_root))


def code_cells(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """The worked examples' cells (not the cell that checks NumPy)."""
    return [cell for cell in notebook.cells if cell.cell_type == "code" and "snippet" in cell.metadata.get("glossgen", {})]


def stdout_of(cell: nbformat.NotebookNode) -> str:
    return "".join(output.text for output in cell.outputs if output.output_type == "stream" and output.name == "stdout")


def test_one_valid_notebook_per_concept_with_the_builds_outputs(valid: ValidGlossary, fixture_root: Path, tmp_path: Path):
    paths = write_notebooks(valid, "nl", tmp_path, execute=False, site_url=SITE_URL)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["apple.ipynb", "error.ipynb", "weights.ipynb", "zebra.ipynb"]
    assert sorted(paths) == sorted(tmp_path.iterdir())
    printed = subprocess.run([sys.executable, "snippets/dense.py"], cwd=fixture_root, capture_output=True, text=True,
                             check=True).stdout
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        assert notebook.metadata.glossgen == {"id": path.stem, "language": "nl"}
        assert notebook.metadata.kernelspec.name == "python3"
        [cell] = code_cells(notebook)
        assert cell.source == (fixture_root / "snippets" / "dense.py").read_text(encoding="utf-8")
        assert stdout_of(cell) == printed == "total: 500,500\n"
        assert cell.execution_count == 2
        check = notebook.cells[2]
        assert check.metadata.glossgen == {"check": "numpy"} and "import numpy" in check.source
        assert stdout_of(check) == f"NumPy {numpy.__version__}\n"
    weights = nbformat.read(tmp_path / "weights.ipynb", as_version=4)
    assert weights.cells[0].source.splitlines()[0] == f"# {WEIGHTS['nl']}"
    assert weights.cells[2].source.startswith("# De voorbeelden hieronder hebben NumPy nodig")
    assert "Rekenvoorbeelden" in weights.cells[3].source and "dense.py" in weights.cells[3].source
    assert weights.cells[-1].source.startswith("## Bronnen")
    assert "[Deep learning](https://www.nature.com/articles/nature14539)" in weights.cells[-1].source


def test_links_become_site_urls_or_plain_text(valid: ValidGlossary):
    # The fixture's bodies only cite; give weights a rendered body with a link() as render writes it.
    body = "See [fout](error.md \"Short definition\") and [LeCun, Bengio and Hinton 2015](#source-lecun2015)."
    texts = dict(valid.texts)
    texts["weights", "nl"] = RenderedText(WEIGHTS["nl"], "Kort.", body)
    texts["weights", "en"] = RenderedText(WEIGHTS["en"], "Short.", body)
    linked = ValidGlossary(valid.glossary, valid.runs, RenderedTexts(texts, valid.texts.language_keys), valid.labels)
    nl = concept_notebook(linked, "weights", "nl", SITE_URL).cells[1].source
    assert '[fout](https://glossary.example/nl/glossary/error/ "Short definition")' in nl
    assert "[LeCun, Bengio and Hinton 2015](https://www.nature.com/articles/nature14539)" in nl
    en = concept_notebook(linked, "weights", "en", SITE_URL).cells[1].source
    assert "(https://glossary.example/glossary/error/ " in en
    assert concept_notebook(linked, "weights", "nl").cells[1].source.startswith("See fout and [LeCun")


def test_only_concepts_with_worked_examples_have_a_notebook(tmp_path: Path):
    site = write_site(tmp_path)
    site.edit("glossary/zebra.yml", "examples: [dense]", "examples: []")
    valid = validate_glossary(site.settings())
    assert sorted(notebook_files(valid, "sv")) == [f"notebooks/sv/{entry_id}.ipynb" for entry_id in ("apple", "error", "weights")]


def test_notebooks_are_paths_in_the_site_and_a_memo_keeps_them(valid: ValidGlossary):
    memo: Memo = Memo()
    files = notebook_files(valid, "nl", memo=memo)
    assert sorted(files) == [f"notebooks/nl/{entry_id}.ipynb" for entry_id in ("apple", "error", "weights", "zebra")]
    memo.close()
    assert notebook_files(valid, "nl", memo=memo) == files
    assert memo.made == 0
    options = {"default_language": "en", "output_dir": "glossary"}
    assert notebooks_key(valid, "nl", site_url=None, **options) != notebooks_key(valid, "nl", site_url=SITE_URL, **options)


def test_an_edit_makes_again_only_the_notebook_of_the_concept_it_changed(valid: ValidGlossary):
    memo: Memo = Memo()
    before = notebook_files(valid, "nl", site_url=SITE_URL, memo=memo)
    memo.close()
    texts = dict(valid.texts)
    texts["weights", "nl"] = RenderedText(WEIGHTS["nl"], "Kort.", "Een nieuwe tekst.")
    keys = {**valid.texts.language_keys, "nl": "edited"}  # the language's texts changed: its key with them
    edited = ValidGlossary(valid.glossary, valid.runs, RenderedTexts(texts, keys), valid.labels)
    after = notebook_files(edited, "nl", site_url=SITE_URL, memo=memo)
    assert memo.made == 1
    assert after == notebook_files(edited, "nl", site_url=SITE_URL)  # what a build without the memo makes
    changed = {path for path in after if after[path] != before[path]}
    assert changed == {"notebooks/nl/weights.ipynb"}
    assert "Een nieuwe tekst." in after["notebooks/nl/weights.ipynb"]


def test_rebuilding_rewrites_nothing(valid: ValidGlossary, tmp_path: Path):
    first = write_notebooks(valid, "de", tmp_path, execute=False)
    for path in first:
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    contents = {path: path.read_bytes() for path in first}
    write_notebooks(valid, "de", tmp_path, execute=False)
    assert {path: path.read_bytes() for path in first} == contents
    assert {path.stat().st_mtime_ns for path in first} == {1_000_000_000}
    ids = [cell.id for cell in nbformat.read(tmp_path / "zebra.ipynb", as_version=4).cells]
    assert ids == [f"zebra-{index}" for index in range(len(ids))]


def test_executing_runs_every_snippet_in_a_kernel(valid: ValidGlossary, tmp_path: Path):
    paths = write_notebooks(valid, "sv", tmp_path, execute=True)
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        [cell] = code_cells(notebook)
        assert stdout_of(cell) == "total: 500,500\n"
        assert cell.execution_count == 2
        assert stdout_of(notebook.cells[2]) == f"NumPy {numpy.__version__}\n"
        # The kernel reports its Python version; no timing metadata is kept.
        assert notebook.metadata.language_info.version.startswith(f"{sys.version_info[0]}.{sys.version_info[1]}")
        assert "execution" not in cell.metadata
    before = {path: path.read_bytes() for path in paths}
    write_notebooks(valid, "sv", tmp_path, execute=True)
    assert {path: path.read_bytes() for path in paths} == before


@pytest.mark.parametrize(("appended", "timeout", "problem"), [
    ('raise ValueError("boom\\nsecond line")\n', 30, "raised ValueError: boom second line (line 8)"),
    ("import time\ntime.sleep(30)\n", 2, "ran longer than the 2 s a cell may take"),
])
def test_a_failing_cell_names_the_concept_and_cell(valid: ValidGlossary, appended: str, timeout: int, problem: str):
    notebook = concept_notebook(valid, "weights", "de")
    notebook.cells[4].source += appended
    with pytest.raises(GlossaryError) as caught:
        execute_notebook(notebook, timeout=timeout)
    assert str(caught.value) == f"weights.ipynb: notebook of concept 'weights' (de), cell 5 (dense.py): {problem}"
    assert code_cells(notebook)[0].outputs[0].text == "total: 500,500\n"  # the input notebook is left as it was


def test_a_snippet_that_only_runs_as_a_script_fails_every_concept_at_once(tmp_path: Path):
    site = write_site(tmp_path)
    # __file__ exists under `python dense.py` (and in the build) but not in a kernel.
    site.write("snippets/dense.py", 'from pathlib import Path\nname = Path(__file__).name\n'
                                    'results = {"total": 500500, "big": 6_738_415_616}\nprint(name)\n')
    valid = validate_glossary(settings(tmp_path))
    with pytest.raises(GlossaryError) as caught:
        write_notebooks(valid, "en", tmp_path / "out", execute=True, site_url=SITE_URL)
    assert [problem.path for problem in caught.value.problems] == [f"{entry}.ipynb" for entry in ("apple", "error", "weights", "zebra")]
    assert all("cell 5 (dense.py): raised NameError: name '__file__' is not defined (line 2)" in problem.message
               for problem in caught.value.problems)
    assert not (tmp_path / "out").exists()
