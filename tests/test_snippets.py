"""Every snippet runs, standalone and through the runner, and yields its pinned results."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from glossgen.core.errors import GlossaryError
from glossgen.core.memo import Memo
from glossgen.core.results import SnippetRun
from glossgen.stages import snippets as runner

from .helpers import write_site

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
EXPECTED = json.loads((ROOT / "tests/expected_results.json").read_text(encoding="utf-8"))
NAMES = runner.available_snippets(SNIPPETS)


def test_every_snippet_has_pinned_results() -> None:
    assert sorted(EXPECTED) == NAMES


@pytest.fixture(scope="module")
def runs() -> dict[str, SnippetRun]:
    return runner.run_snippets(SNIPPETS, NAMES, root=ROOT)


@pytest.mark.parametrize("name", NAMES)
def test_results_match_pinned_values(runs, name: str) -> None:
    results = dict(runs[name].results)
    expected = EXPECTED[name]
    assert sorted(results) == sorted(expected), f"{name}: result names changed"
    for key, value in expected.items():
        assert results[key] == pytest.approx(value, rel=1e-12), f"{name}.{key}: computed {results[key]!r}, pinned {value!r}"
        assert type(results[key]) is type(value), f"{name}.{key}: {type(results[key]).__name__}, pinned {type(value).__name__}"


@pytest.mark.parametrize("name", NAMES)
def test_snippet_runs_standalone_and_prints_labelled_results(name: str, tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(SNIPPETS / f"{name}.py")], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), f"{name} prints nothing"
    assert ":" in result.stdout, f"{name} prints no labelled results"


@pytest.mark.parametrize("name", NAMES)
def test_snippet_needs_nothing_but_numpy(name: str) -> None:
    tree = ast.parse((SNIPPETS / f"{name}.py").read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"numpy"} | set(sys.stdlib_module_names), f"{name} imports {sorted(imported)}"
    assert ast.get_docstring(tree), f"{name} has no docstring saying what it computes"


def test_unchanged_snippets_are_never_run_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "snippets"
    folder.mkdir()
    for name in ("dense_layer", "conv2d_rgb"):
        (folder / f"{name}.py").write_text((SNIPPETS / f"{name}.py").read_text())
    executed: list[str] = []
    real_execute = runner._execute
    monkeypatch.setattr(runner, "_execute", lambda path, timeout: executed.append(path.stem) or real_execute(path, timeout))
    memo: Memo = Memo()

    first = runner.run_snippets(folder, ["conv2d_rgb", "dense_layer"], memo=memo)
    memo.close()
    assert sorted(executed) == ["conv2d_rgb", "dense_layer"]

    executed.clear()
    second = runner.run_snippets(folder, ["conv2d_rgb", "dense_layer"], memo=memo)
    memo.close()
    assert executed == []
    assert second == first

    (folder / "dense_layer.py").write_text((folder / "dense_layer.py").read_text() + "\n# edited\n")
    runner.run_snippets(folder, ["conv2d_rgb", "dense_layer"], memo=memo)
    memo.close()
    assert executed == ["dense_layer"]
    assert len(memo) == 2  # the edited snippet's old report is gone


@pytest.mark.parametrize(("code", "message"), [
    ("import sys\nsys.exit(3)\n", "bad.py: snippet exits the interpreter (SystemExit 3); let it run to the end instead"),
    ("print('x' * 10)\nwhile True:\n    print('spam' * 1000)\n", "bad.py:3: snippet printed more than 100,000 characters; print less"),
    ("x = 1\n", "bad.py: snippet defines no dict named 'results'; end the snippet with results = {'name': value, ...}"),
    ("results = {'nan': float('nan')}\n", "bad.py: snippet result 'nan' is nan, not a finite number"),
    ("import os\nos._exit(9)\n", "bad.py: snippet crashed (exit code 9): no output"),
])
def test_misbehaving_snippets_give_one_clear_line(tmp_path: Path, code: str, message: str) -> None:
    (tmp_path / "bad.py").write_text(code)
    with pytest.raises(GlossaryError) as caught:
        runner.run_snippets(tmp_path, ["bad"], root=tmp_path, timeout=10)
    assert [str(problem) for problem in caught.value.problems] == [message]


@pytest.mark.build
def test_a_second_build_runs_no_unchanged_snippet(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    first = site.build()
    assert first.returncode == 0, first.stderr
    assert "1 snippets, 1 run;" in first.stderr
    second = site.build()
    assert second.returncode == 0, second.stderr
    assert "1 snippets, 0 run;" in second.stderr
