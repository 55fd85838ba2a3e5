"""Run the worked-example snippets and collect their named results.

Each snippet runs in its own Python subprocess with a timeout and a cap on what it may
print; a snippet reports its figures through a module-level dict named `results`.
Results are cached by a hash of the snippet's source (and the interpreter and NumPy
versions), so an unchanged snippet is never run twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Mapping, Sequence

from .errors import GlossaryError, Problem, display_path
from .output import write_if_changed

DEFAULT_TIMEOUT = 30.0
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


@dataclass(frozen=True)
class SnippetRun:
    """What one snippet printed and computed."""

    name: str
    path: Path
    source: str
    output: str
    results: Mapping[str, int | float]
    from_cache: bool = field(default=False, compare=False)


def snippet_path(folder: Path, name: str) -> Path:
    return folder / f"{name}.py"


def available_snippets(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(path.stem for path in folder.glob("*.py") if not path.name.startswith("_"))


def run_snippets(folder: Path, names: Sequence[str], *, cache_dir: Path | None, root: Path | None = None,
                 timeout: float = DEFAULT_TIMEOUT) -> dict[str, SnippetRun]:
    """Run (or take from the cache) every named snippet; raise GlossaryError on any failure."""
    workers = max(1, min(len(names), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(lambda name: _run_one(folder, name, cache_dir, root, timeout), names))
    problems = [outcome for outcome in outcomes if isinstance(outcome, Problem)]
    if problems:
        raise GlossaryError(problems)
    return {run.name: run for run in outcomes if isinstance(run, SnippetRun)}


def cache_key(source: bytes) -> str:
    digest = hashlib.sha256()
    for part in (HARNESS.encode(), sys.version.encode(), _numpy_version().encode(), source):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _numpy_version() -> str:
    try:
        return metadata.version("numpy")
    except metadata.PackageNotFoundError:
        return "none"


def _run_one(folder: Path, name: str, cache_dir: Path | None, root: Path | None,
             timeout: float) -> SnippetRun | Problem:
    path = snippet_path(folder, name)
    shown = display_path(path, root)
    try:
        source = path.read_bytes()
    except OSError:
        return Problem(shown, None, f"snippet '{name}' not found; add {shown} or fix the name")
    key = cache_key(source)
    cached = cache_dir / f"{key}.json" if cache_dir else None
    from_cache = cached is not None and cached.is_file()
    if from_cache:
        report = json.loads(cached.read_text(encoding="utf-8"))
    else:
        report = _execute(path, timeout)
        if "error" not in report and cached is not None:
            write_if_changed(cached, json.dumps(report))
    if "error" in report:
        return Problem(shown, report.get("line"), f"snippet {report['error']}")
    return SnippetRun(name, path, source.decode("utf-8"), report["output"], report["results"], from_cache)


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
