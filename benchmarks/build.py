"""Build benchmark: how long glossgen takes to build a glossary site, and what it adds to MkDocs.

Usage: python benchmarks/build.py [--sizes 30,300,1000] [--keep DIR] [--repeat N] [--cpus 0]
       [--profile 300] [--serve-size 300 | --no-serve] [--write-results]
(run it with the project's virtualenv Python; never part of the test suite)

What is measured, for each size (concepts in the glossary):

1. A synthetic project (synthetic.py): N entries in en, nl, sv and de, about N/10 NumPy
   snippets, six categories, a bibliography, a mkdocs.yml like the project's own.
2. `python -m mkdocs build -q` in a subprocess, twice: cold (no .cache/, no generated
   docs/glossary/, so every snippet runs) and warm (snippet cache and generated pages in
   place, as in day-to-day work). Wall time, CPU time (user + system of the build and of
   the snippet processes it waited for) and peak resident memory come from os.wait4.
3. A baseline: the Markdown glossgen generated, copied into a fresh project as ordinary
   files (snippets as plain docs files), built with the same theme, search, i18n and nav
   but without glossgen. warm / baseline is what glossgen costs on top of MkDocs for the
   same pages, including costs it causes outside its own code (its theme override, its
   per-language 404 pages and search indexes).
4. The stage split (stages.py): one more warm build, in-process, with glossgen's event
   handlers and pipeline functions wrapped in timers (no profiler, so no distortion):
   load + validate, snippets (cached; cold snippets are timed separately), rendering, other
   glossgen hooks, and "MkDocs + material + i18n" = the build's total minus everything
   inside glossgen's handlers. Interpreter start-up and imports are outside this total.
5. Site figures: total bytes of site/, the median size of a term page
   (site/[lang/]glossary/<id>/index.html over all languages) and each search index
   (glossgen writes one per language; the baseline has one merged index).
6. The serve loop (serve.py), at 300 concepts or the size closest to it: `mkdocs serve`,
   edit one entry's English term, poll the page every 50 ms until it shows the change;
   count the generated Markdown files glossgen rewrote.
7. With --profile SIZES, a cProfile run of the in-process build at those sizes, printed as
   self time per package and the top functions by cumulative time.

The builds import a snapshot of plugins/glossgen copied at the start (through
PYTHONPATH), so every size is measured with the same code even while others edit the
working tree, and glossgen's change detection (which fingerprints its own package
folder) is not set off by those edits mid-build. --live-glossgen uses the working tree.

Timing caveats: the machine may be shared; the load average is printed, CPU time is shown
beside wall time because it is far less sensitive to other processes, and --repeat N keeps
the fastest of N warm and baseline builds.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Sequence

import synthetic
from measure import BenchmarkError, Run, best_of, load_average, pages_per_language, run_measured, site_metrics, tail
from report import SizeResult, StageTimes, as_json, check_targets, format_report, hot_spots
from serve import ServeResult, english_term, measure_serve

BENCHMARKS_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCHMARKS_DIR.parent
GLOSSGEN_SOURCE = PROJECT_ROOT / "plugins" / "glossgen"
RESULTS_FILE = BENCHMARKS_DIR / "results.json"
DEFAULT_SIZES = (30, 300, 1000)
SERVE_SIZE = 300


@dataclass(frozen=True)
class Toolchain:
    """The interpreter and environment every build runs with, and the glossgen they import."""

    python: str
    env: dict[str, str]
    glossgen_dir: Path
    pin: tuple[str, ...] = ()  # taskset -c CPUS: every build on those cores only

    def mkdocs(self, *args: str) -> list[str]:
        return [*self.pin, self.python, "-m", "mkdocs", *args]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def make_toolchain(work: Path, python: str, live: bool) -> Toolchain:
    """Environment for the builds; unless `live`, glossgen is imported from a snapshot in `work`."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    glossgen_dir = GLOSSGEN_SOURCE
    if not live:
        snapshot = work / "glossgen-snapshot"
        shutil.rmtree(snapshot, ignore_errors=True)
        shutil.copytree(GLOSSGEN_SOURCE, snapshot / "glossgen", ignore=shutil.ignore_patterns("__pycache__"))
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(snapshot), env.get("PYTHONPATH")]))
        glossgen_dir = snapshot / "glossgen"
    imported = subprocess.run([python, "-c", "import glossgen, pathlib; print(pathlib.Path(glossgen.__file__).parent)"],
                              env=env, capture_output=True, text=True)
    if imported.returncode != 0 or Path(imported.stdout.strip()).resolve() != glossgen_dir.resolve():
        raise BenchmarkError(f"builds would not import glossgen from {glossgen_dir}: {imported.stdout}{imported.stderr}")
    return Toolchain(python, env, glossgen_dir)


def clear_build_state(project: Path) -> None:
    """What a cold build must not find: the snippet cache, generated pages, a previous site."""
    for folder in (".cache", "docs/glossary", "site", "site.building"):
        shutil.rmtree(project / folder, ignore_errors=True)


def build_once(project: Path, toolchain: Toolchain, logs: Path, name: str) -> Run:
    load = load_average()
    run = run_measured(toolchain.mkdocs("build", "-q"), project, toolchain.env, logs / f"{name}.log")
    log(f"{name}: {run.wall:.1f} s wall, {run.cpu:.1f} s CPU, {run.peak_rss_mib:.0f} MiB (load average {load:.2f} before)")
    return run


def stage_times(project: Path, toolchain: Toolchain, logs: Path, name: str, profile: Path | None = None) -> dict:
    """Run stages.py on `project` in a fresh interpreter and return its JSON."""
    command = [*toolchain.pin, toolchain.python, str(BENCHMARKS_DIR / "stages.py"), str(project)]
    if profile:
        command += ["--profile", str(profile)]
    log_path = logs / f"{name}.log"
    with log_path.open("w", encoding="utf-8") as errors:
        completed = subprocess.run(command, env=toolchain.env, stdout=subprocess.PIPE, stderr=errors, text=True)
    if completed.returncode != 0:
        raise BenchmarkError(f"{' '.join(command)} exited with {completed.returncode}:\n{tail(log_path)}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def benchmark_size(concepts: int, work: Path, toolchain: Toolchain, repeat: int, profile: bool) -> SizeResult:
    logs = work / "logs"
    project, baseline = work / f"glossgen-{concepts}", work / f"baseline-{concepts}"
    log(f"{concepts} concepts: writing the synthetic project to {project}")
    entries = synthetic.write_project(project, concepts)
    ids = [entry.id for entry in entries]
    clear_build_state(project)
    cold = build_once(project, toolchain, logs, f"{concepts}-cold")
    synthetic.write_baseline(baseline, project)
    warm_runs, baseline_runs = [], []
    for attempt in range(1, repeat + 1):  # interleaved, so a busy spell on the machine hits both alike
        warm_runs.append(build_once(project, toolchain, logs, f"{concepts}-warm-{attempt}"))
        baseline_runs.append(build_once(baseline, toolchain, logs, f"{concepts}-baseline-{attempt}"))
    stages = StageTimes.from_json(stage_times(project, toolchain, logs, f"{concepts}-stages"))
    log(f"{concepts}-stages: {stages.total:.1f} s in-process, glossgen {stages.glossgen:.1f} s "
        f"({stages.glossgen_share:.1%}), cold snippets {stages.snippets_cold:.1f} s")
    baseline_in_process = stage_times(baseline, toolchain, logs, f"{concepts}-baseline-stages")["total"]
    log(f"{concepts}-baseline-stages: {baseline_in_process:.1f} s in-process")
    edited = best_of([edited_build(project, ids[len(ids) // 2], toolchain, logs, f"{concepts}-edited-{attempt}")
                      for attempt in range(1, repeat + 1)])
    with edited_entry(project, ids[len(ids) // 2], f"{concepts}-edited-stages"):
        edited_stages = StageTimes.from_json(stage_times(project, toolchain, logs, f"{concepts}-edited-stages"))
    log(f"{concepts}-edited-stages: {edited_stages.total:.1f} s in-process, glossgen {edited_stages.glossgen:.1f} s "
        f"({edited_stages.glossgen_share:.1%})")
    if profile:
        print_hot_spots(project, concepts, work, toolchain)
    return SizeResult(
        concepts=concepts,
        snippets=synthetic.snippet_count_for(concepts),
        pages_per_language=pages_per_language(project / "docs"),
        cold=cold, warm=best_of(warm_runs), baseline=best_of(baseline_runs), edited=edited, stages=stages,
        edited_stages=edited_stages,
        baseline_in_process=baseline_in_process,
        site=site_metrics(project / "site", ids, merged_search_index=False),
        baseline_site=site_metrics(baseline / "site", ids, merged_search_index=True),
    )


@contextmanager
def edited_entry(project: Path, entry_id: str, label: str) -> Iterator[None]:
    """One entry's English term changed (to a new term each time) until the block ends."""
    entry = project / "glossary" / f"{entry_id}.yml"
    original = entry.read_text(encoding="utf-8")
    term = english_term(entry)
    entry.write_text(original.replace(f'  term: "{term}"', f'  term: "{term} {label}"', 1), encoding="utf-8")
    try:
        yield
    finally:
        entry.write_text(original, encoding="utf-8")


def edited_build(project: Path, entry_id: str, toolchain: Toolchain, logs: Path, label: str) -> Run:
    with edited_entry(project, entry_id, label):
        return build_once(project, toolchain, logs, label)


def print_hot_spots(project: Path, concepts: int, work: Path, toolchain: Toolchain) -> None:
    """One more build under cProfile; print where its time went."""
    profile_path = work / f"profile-{concepts}.prof"
    stage_times(project, toolchain, work / "logs", f"{concepts}-profile", profile=profile_path)
    print(f"\nhot spots at {concepts:,} concepts ({profile_path}):\n"
          f"{hot_spots(str(profile_path), str(toolchain.glossgen_dir) + os.sep)}\n", flush=True)


SERVE_COMMAND = ("serve", "--no-strict")


def benchmark_serve(concepts: int, work: Path, toolchain: Toolchain) -> ServeResult:
    project = work / f"glossgen-{concepts}"  # built by benchmark_size: generated pages and cache in place
    ids = sorted(path.stem for path in (project / "glossary").glob("*.yml") if not path.name.startswith("_"))
    entry_id = ids[len(ids) // 2]
    log(f"serve loop at {concepts} concepts: editing glossary/{entry_id}.yml")
    # the README's `make serve`: the site is rebuilt, glossgen redoes only what the edit changed
    result = measure_serve(project, entry_id, concepts, toolchain.mkdocs(*SERVE_COMMAND), toolchain.env,
                           work / "logs" / f"{concepts}-serve.log")
    log(f"serve: edit to page {result.edit_to_page_s:.2f} s, to reload {result.edit_to_reload_s:.2f} s, "
        f"{result.generated_rewritten} file(s) rewritten")
    return result


def glossgen_revision() -> str:
    """Commit of the working tree and whether plugins/glossgen differs from it (read-only git calls)."""
    git = ["git", "--no-optional-locks", "-C", str(PROJECT_ROOT)]
    try:
        commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        changes = subprocess.run([*git, "status", "--porcelain", "--", "plugins/glossgen"],
                                 capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown revision"
    return f"{commit}{' + uncommitted changes' if changes else ''}"


def closest(sizes: Sequence[int], wanted: int) -> int:
    return min(sizes, key=lambda size: (abs(size - wanted), size))


def parse_sizes(text: str) -> list[int]:
    sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    if not sizes or sizes[0] < 6:
        raise argparse.ArgumentTypeError("sizes are concept counts of 6 or more, e.g. 30,300,1000")
    return sizes


def arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark glossgen builds against a plain-Markdown baseline.")
    parser.add_argument("--sizes", type=parse_sizes, default=list(DEFAULT_SIZES), help="concept counts (default 30,300,1000)")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary folder)")
    parser.add_argument("--repeat", type=int, default=1, help="warm and baseline builds per size; the fastest counts")
    parser.add_argument("--profile", type=parse_sizes, default=[], help="sizes to profile with cProfile, e.g. 300")
    parser.add_argument("--serve-size", type=int, default=SERVE_SIZE, help="concepts for the serve loop (closest size run)")
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve measurement")
    parser.add_argument("--live-glossgen", action="store_true", help="import glossgen from the working tree, not a snapshot")
    parser.add_argument("--cpus", help="run every build under taskset -c CPUS, e.g. 0 for one core (a second core "
                        "then cannot hide glossgen's own cost in the wall time)")
    parser.add_argument("--python", default=sys.executable, help="interpreter with mkdocs and glossgen installed")
    parser.add_argument("--write-results", action="store_true", help=f"also write {RESULTS_FILE.relative_to(PROJECT_ROOT)}")
    return parser.parse_args(argv)


def run(options: argparse.Namespace, work: Path) -> None:
    (work / "logs").mkdir(parents=True, exist_ok=True)
    load_before = load_average()
    started = datetime.now(timezone.utc)
    toolchain = make_toolchain(work, options.python, options.live_glossgen)
    if options.cpus:
        toolchain = dataclasses.replace(toolchain, pin=("taskset", "-c", options.cpus))
    results = [benchmark_size(size, work, toolchain, max(1, options.repeat), size in options.profile)
               for size in options.sizes]
    serve = None if options.no_serve else benchmark_serve(closest(options.sizes, options.serve_size), work, toolchain)
    targets = check_targets({result.concepts: result for result in results}, serve)
    revision = glossgen_revision()
    notes = [
        f"glossgen build benchmark, {started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
        f"load average {load_before:.2f} at start, {load_average():.2f} at end; Python {platform.python_version()}",
        f"glossgen: {'working tree' if options.live_glossgen else 'snapshot'} of plugins/glossgen at {revision}; "
        f"warm and baseline: fastest of {max(1, options.repeat)}"
        + (f"; every build pinned to CPU {options.cpus} (taskset)" if options.cpus else ""),
    ]
    print("\n" + format_report(results, serve, targets, notes), flush=True)
    if options.write_results:
        metadata = {"started": started.isoformat(), "cpus": os.cpu_count(), "load_average_start": load_before,
                    "load_average_end": load_average(), "python": platform.python_version(), "glossgen": revision,
                    "snapshot": not options.live_glossgen, "repeat": max(1, options.repeat),
                    "cpus_pinned": options.cpus or None}
        RESULTS_FILE.write_text(json.dumps(as_json(results, serve, targets, metadata), indent=2) + "\n", encoding="utf-8")
        log(f"results written to {RESULTS_FILE}")


def main(argv: Sequence[str] | None = None) -> int:
    options = arguments(argv)
    try:
        if options.keep:
            options.keep.mkdir(parents=True, exist_ok=True)
            run(options, options.keep.resolve())
        else:
            with tempfile.TemporaryDirectory(prefix="glossgen-bench-") as work:
                run(options, Path(work))
    except BenchmarkError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
