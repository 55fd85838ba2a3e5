"""Run the worked-example snippets and collect their named results.

A snippet is repository code, reviewed like the rest of it, but it runs with no more
than it needs. Each one runs in its own Python process (`python -I`, so no PYTHON*
variable or user site applies):

- with an environment of its own: PATH, a locale, HOME and TMPDIR in a scratch folder,
  one thread for the numerical libraries, and nothing else of the build's environment
  (no token, no key, no proxy);
- in a scratch folder as its working folder, removed afterwards;
- in its own session and process group, which is killed whole when the snippet times
  out or finishes; a process that left the group is found by a mark in its
  environment and killed too;
- under resource limits set before the snippet starts: CPU time, address space
  (MEMORY_LIMIT), the size of any file it writes (which caps standard output and
  standard error at the descriptor), open files, no core dumps;
- printing into files, never pipes, so what it prints is bounded and a process it
  leaves behind cannot hold the build up.

What this does not stop: a snippet runs as the build's user, so it can read what that
user reads, open network connections and signal the user's other processes. A site
that runs snippets from people it does not trust needs a container or a separate user.

A snippet reports its figures through a module-level dict named `results`. A run's
report is kept in a memo by a hash of the snippet's source (and the harness, the
interpreter and NumPy versions), so an unchanged snippet is never run twice.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
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
from .yamlfile import YamlProblem, read_input

#: Characters a snippet may print (more is a located error).
OUTPUT_LIMIT = 100_000
#: Bytes any file the snippet writes may hold, its standard output and error included.
FILE_LIMIT = 1_000_000
#: Bytes of address space a snippet may use.
MEMORY_LIMIT = 4 * 1024**3
#: The environment variable that marks a snippet's processes, so that none outlives it.
MARK = "GLOSSGEN_SNIPPET_RUN"
#: Variables a snippet sees from the build's environment, if set; nothing else passes.
PASSED_VARIABLES = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "SYSTEMROOT")

# Runs inside the subprocess: python -I -c HARNESS <snippet> <report.json> <output limit> <cpu s> <memory> <file size>
HARNESS = r'''
import errno, io, json, math, numbers, runpy, sys, traceback
path, report, limit, file_limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[6])
try:
    import resource
    for kind, value in ((resource.RLIMIT_CPU, int(sys.argv[4])), (resource.RLIMIT_AS, int(sys.argv[5])),
                        (resource.RLIMIT_FSIZE, file_limit), (resource.RLIMIT_NOFILE, 256),
                        (resource.RLIMIT_CORE, 0)):
        soft, hard = resource.getrlimit(kind)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(kind, (value, value))
except ImportError:  # not on this system: the timeout still holds
    pass

class TooMuchOutput(Exception):
    pass

class Bounded(io.TextIOBase):
    def __init__(self, stream):
        self.stream, self.count = stream, 0
    def write(self, text):
        self.count += len(text)
        if self.count > limit:
            raise TooMuchOutput()
        return self.stream.write(text)
    def flush(self):
        self.stream.flush()

sys.stdout = Bounded(sys.stdout)
def finish(**report_fields):
    sys.stdout.flush()
    with open(report, "w", encoding="utf-8") as handle:
        json.dump(report_fields, handle)
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
    if isinstance(exc, OSError) and exc.errno == errno.EFBIG:
        finish(error=f"wrote more than {file_limit:,} bytes to its output or a file; write less", line=line)
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
        shown = display_path(path, root)
        try:
            sources[name] = read_input(path, root)
        except YamlProblem as refused:
            problems.append(Problem(shown, None, f"snippet {refused.message}"))
        except OSError:
            problems.append(Problem(shown, None, f"snippet '{name}' not found; add {shown} or fix the name"))
    numpy = _numpy_version()  # read once: the package metadata costs a millisecond a snippet
    keys = {name: cache_key(source, numpy) for name, source in sources.items()}
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


def cache_key(source: bytes, numpy: str) -> str:
    """What a snippet's report depends on: its source, the harness, Python and NumPy (`numpy`: its version)."""
    return digest(HARNESS, sys.version, numpy, source)


def _numpy_version() -> str:
    try:
        return metadata.version("numpy")
    except metadata.PackageNotFoundError:
        return "none"


def _execute(path: Path, timeout: float) -> dict:
    """Run one snippet under its limits; its report, with what it printed under "output"."""
    with tempfile.TemporaryDirectory(prefix="glossgen-snippet-") as scratch:
        folder = Path(scratch)
        work, report_path = folder / "work", folder / "report.json"
        work.mkdir()
        mark = secrets.token_hex(16)
        command = [sys.executable, "-I", "-c", HARNESS, str(path.resolve()), str(report_path), str(OUTPUT_LIMIT),
                   str(int(timeout) + 1), str(MEMORY_LIMIT), str(FILE_LIMIT)]
        with open(folder / "stdout", "wb") as stdout, open(folder / "stderr", "wb") as stderr:
            process = subprocess.Popen(command, cwd=work, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
                                       env=snippet_environment(folder, mark), start_new_session=True)
            try:
                code = process.wait(timeout)
            except subprocess.TimeoutExpired:
                code = None
            finally:
                left = _stop_everything(process, mark)
        if code is None:
            return {"error": f"ran longer than its {timeout:g} s timeout and was stopped with everything it started; "
                             "make it finish faster"}
        output = (folder / "stdout").read_bytes()[:FILE_LIMIT].decode("utf-8", errors="replace")
        if code < 0:
            return {"error": _signal_message(-code, timeout)}
        if not report_path.is_file():
            printed = (folder / "stderr").read_bytes()[-2000:].decode("utf-8", errors="replace")
            last = (printed.strip().splitlines() or ["no output"])[-1]
            return {"error": f"crashed (exit code {code}): {last if len(last) <= 200 else last[:197] + '...'}"}
        report = json.loads(report_path.read_text(encoding="utf-8"))
        if left and "error" not in report:
            return {"error": f"left {left} process(es) running after it finished (stopped now); "
                             "wait for every process it starts"}
        return {**report, "output": output}


def snippet_environment(scratch: Path, mark: str) -> dict[str, str]:
    """All a snippet sees of the environment: a short allowlist, a home and temporary folder of its own."""
    environment = {name: os.environ[name] for name in PASSED_VARIABLES if name in os.environ}
    environment.setdefault("PATH", os.defpath)
    environment.update({"HOME": str(scratch), "TMPDIR": str(scratch), "PYTHONHASHSEED": "0",
                        "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", MARK: mark})
    return environment


def _stop_everything(process: subprocess.Popen, mark: str) -> int:
    """Kill the snippet's process group and every process carrying its mark; how many there were besides it."""
    marked = [pid for pid in _marked_processes(mark) if pid != process.pid]
    for pid in marked:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()
    return len(marked)


def _marked_processes(mark: str) -> list[int]:
    """Processes whose environment carries `mark` (on systems with /proc)."""
    needle = f"{MARK}={mark}".encode()
    found = []
    for entry in Path("/proc").glob("[0-9]*") if Path("/proc").is_dir() else ():
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _signal_message(number: int, timeout: float) -> str:
    if number == getattr(signal, "SIGXFSZ", None):
        return f"wrote more than {FILE_LIMIT:,} bytes to its output or a file; write less"
    if number == getattr(signal, "SIGXCPU", None):
        return f"used more than {int(timeout) + 1} s of CPU time; make it finish faster"
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = str(number)
    return f"was killed by signal {name} (out of memory, or it stopped itself?)"
