"""Run the worked-example snippets and collect their named results.

Each snippet runs in its own Python subprocess with a timeout and a cap on what it may
print; a snippet reports its figures through a module-level dict named `results`.
A run's report is kept in a memo by a hash of the snippet's source (and the harness,
the interpreter and NumPy versions), so an unchanged snippet is never run twice.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import Sequence

from ..core.errors import GlossaryError, Problem, display_path
from ..core.memo import Memo, digest
from ..core.results import SnippetRun
from ..core.settings import DEFAULT_TIMEOUT

OUTPUT_LIMIT = 100_000

# Runs inside the subprocess: python -c HARNESS <snippet> <report.json> <output limit>
HARNESS = r'''
import io, json, math, numbers, runpy, sys, traceback
path, report, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])

class TooMuchOutput(Exception):
    pass

class Bounded(io.StringIO):
    def write(self, text):
        if self.tell() + len(text) > limit:
            raise TooMuchOutput()
        return super().write(text)

out = sys.stdout = Bounded()
def finish(**report_fields):
    with open(report, "w", encoding="utf-8") as handle:
        json.dump({"output": out.getvalue(), **report_fields}, handle)
    sys.exit(0)

sys.argv = [path]
try:
    namespace = runpy.run_path(path, run_name="__main__")
except SystemExit as exc:
    finish(error=f"exits the interpreter (SystemExit {exc.code!r}); let it run to the end instead")
except BaseException as exc:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == path]
    line = frames[-1].lineno if frames else None
    if isinstance(exc, TooMuchOutput):
        finish(error=f"printed more than {limit:,} characters; print less", line=line)
    finish(error=f"raised {type(exc).__name__}: {exc}", line=line)
results = namespace.get("results")
if not isinstance(results, dict):
    finish(error="defines no dict named 'results'; end the snippet with results = {'name': value, ...}")
clean = {}
for name, value in results.items():
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        finish(error=f"result '{name}' is {value!r}, not a finite number")
    clean[str(name)] = int(value) if isinstance(value, numbers.Integral) else float(value)
finish(results=clean)
'''


def snippet_path(folder: Path, name: str) -> Path:
    return folder / f"{name}.py"


def available_snippets(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(path.stem for path in folder.glob("*.py") if not path.name.startswith("_"))


#: A snippet's report as its harness wrote it: output and results, or an error and its line.
Report = dict


def run_snippets(folder: Path, names: Sequence[str], *, memo: Memo[str, Report] | None = None,
                 root: Path | None = None, timeout: float = DEFAULT_TIMEOUT) -> dict[str, SnippetRun]:
    """Run (or take from `memo`) every named snippet; raise GlossaryError on any failure.

    Only reports without an error are kept: a snippet that failed, perhaps for want of
    time on a busy machine, is run again next time.
    """
    memo = memo if memo is not None else Memo()
    sources: dict[str, bytes] = {}
    problems: list[Problem] = []
    for name in names:
        path = snippet_path(folder, name)
        try:
            sources[name] = path.read_bytes()
        except OSError:
            shown = display_path(path, root)
            problems.append(Problem(shown, None, f"snippet '{name}' not found; add {shown} or fix the name"))
    keys = {name: cache_key(source) for name, source in sources.items()}
    known = {name: memo.find(key) for name, key in keys.items()}
    missing = [name for name, report in known.items() if report is None]
    workers = max(1, min(len(missing), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        fresh = dict(zip(missing, pool.map(lambda name: _execute(snippet_path(folder, name), timeout), missing)))
    runs = {}
    for name, source in sources.items():
        report = known[name] or fresh[name]
        if "error" in report:
            shown = display_path(snippet_path(folder, name), root)
            problems.append(Problem(shown, report.get("line"), f"snippet {report['error']}"))
            continue
        if name in fresh:
            memo.put(keys[name], report)
        runs[name] = SnippetRun(name, snippet_path(folder, name), source.decode("utf-8"), report["output"],
                                report["results"], from_cache=name not in fresh)
    if problems:
        raise GlossaryError(problems)
    return runs


def cache_key(source: bytes) -> str:
    return digest(HARNESS, sys.version, _numpy_version(), source)


def _numpy_version() -> str:
    try:
        return metadata.version("numpy")
    except metadata.PackageNotFoundError:
        return "none"


def _execute(path: Path, timeout: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="glossgen-snippet-") as scratch:
        report_path = Path(scratch) / "report.json"
        command = [sys.executable, "-c", HARNESS, str(path.resolve()), str(report_path), str(OUTPUT_LIMIT)]
        try:
            completed = subprocess.run(command, cwd=scratch, capture_output=True, text=True,
                                       timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return {"error": f"ran longer than its {timeout:g} s timeout; make it finish faster"}
        if not report_path.is_file():
            last = (completed.stderr.strip().splitlines() or ["no output"])[-1]
            return {"error": f"crashed (exit code {completed.returncode}): {last}"}
        return json.loads(report_path.read_text(encoding="utf-8"))
