"""One `mkdocs build` run in this process, with glossgen's own work timed stage by stage.

Run as `python benchmarks/stages.py PROJECT_DIR [--profile FILE]`; prints one JSON object.
build.py runs it in a subprocess so every measurement starts from a fresh interpreter.

Method: the build goes through the same calls as `mkdocs build` (load_config,
on_startup, build, on_shutdown). Every event handler the glossgen plugin registered is
wrapped in a timer, and so are the pipeline functions the handlers call (looked up by
name in the module that calls them, so the wrapper is what actually runs). Nothing in
glossgen is changed or re-implemented; a name that no longer exists is reported as
missing instead of timed. The wrappers cost a few microseconds per call, so the figures
are the stages' real wall time inside a real build. Each wrapper also takes the CPU time
of the thread that runs the build (`time.thread_time`), and the total its process's CPU
time: the CPU figures leave out the time the build waits for the disk, which on a shared
machine can fall into any handler that happens to write a file at the wrong moment.

The total runs from load_config (which imports the theme and the other plugins) to the
end of on_shutdown, plus the time to import glossgen on top of MkDocs (pydantic, Babel,
PyICU ... are glossgen's alone); MkDocs' own import and interpreter start-up, common to
every build, are left out. "MkDocs + material + i18n" is that total minus glossgen's
import and handlers: MkDocs, mkdocs-material, mkdocs-static-i18n, search, Markdown and
Jinja, for all four languages.

The parent process of a parallel build (glossgen.plugin.worker) waits in its last handler
for the second process; that wait (with the move of its languages into the site) is
timed on its own and is not counted as glossgen's work.

A build into a staging folder (glossgen.plugin.staging) deletes the previous site after the
build, where a plain `mkdocs build` empties site_dir before it starts: that deletion
(`remove_site`) is timed on its own too, as the clean step every full build takes, and is
counted neither as glossgen's work nor as MkDocs'.

The cold-snippet figure runs every snippet once more through glossgen's `run_snippets`
with an empty cache folder: the cost a cold build pays on top of a warm one.

With --profile the build runs under cProfile instead (slower, so its times are not used
for the stage figures) and the statistics are saved to FILE.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import json
import logging
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.commands.build import build  # noqa: E402 - after the environment is set
from mkdocs.config import load_config  # noqa: E402

_import_started, _import_started_cpu = time.perf_counter(), time.process_time()
import glossgen.pipeline  # noqa: E402 - timed: what importing glossgen adds to MkDocs' own imports
import glossgen.plugin  # noqa: E402
from glossgen.stages.snippets import available_snippets, run_snippets  # noqa: E402
GLOSSGEN_IMPORT_SECONDS = time.perf_counter() - _import_started
GLOSSGEN_IMPORT_CPU = time.process_time() - _import_started_cpu

#: (module, function name, stage) for every function worth timing inside glossgen's handlers.
TIMED_FUNCTIONS = (
    ("glossgen.plugin.session", "build_site", "pipeline"),
    ("glossgen.pipeline", "_validate", "validate_glossary"),
    ("glossgen.pipeline", "run_snippets", "snippets"),
    ("glossgen.pipeline", "render_texts", "render_texts"),
    ("glossgen.pipeline", "render_pages", "render_pages"),
    ("glossgen.pipeline", "_downloads", "downloads"),
    ("glossgen.plugin.session", "write_recorded", "write_pages"),
    ("glossgen.pipeline", "inputs_seen", "fingerprint"),
    ("glossgen.plugin.session", "audit_site", "audit_site"),
)


class Timers:
    """Accumulated seconds (wall, and CPU of the calling thread) and call counts per name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start, start_cpu = time.perf_counter(), time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - start
                self.cpu[name] += time.thread_time() - start_cpu
                self.calls[name] += 1
        return timed


def patch_pipeline(timers: Timers) -> list[str]:
    """Wrap the functions in TIMED_FUNCTIONS; return the names that were not found.

    Also wrapped: the wait for the second `mkdocs build` process (glossgen.plugin.worker), which
    runs inside a glossgen handler but is time this process spends idle, not glossgen's work.
    """
    missing = []
    worker = sys.modules["glossgen.plugin.worker"].LanguageWorker
    worker.finish = timers.wrap("second_process", worker.finish)
    staging = sys.modules["glossgen.plugin.staging"]
    staging.remove_site = timers.wrap("site_removal", staging.remove_site)
    for module_name, name, stage in TIMED_FUNCTIONS:
        module = sys.modules[module_name]
        function = getattr(module, name, None)
        if function is None:
            missing.append(f"{module_name}.{name}")
        else:
            setattr(module, name, timers.wrap(stage, function))
    return missing


def wrap_plugin_events(config: Any, timers: Timers) -> None:
    """Time every registered event handler of the glossgen plugin, keeping its priority."""
    plugin = config.plugins.get("glossgen")
    if plugin is None:
        return
    for event, handlers in config.plugins.events.items():
        for position, handler in enumerate(handlers):
            if getattr(handler, "__self__", None) is plugin:
                timed = timers.wrap(f"event:{event}", handler)
                timed.mkdocs_priority = getattr(handler, "mkdocs_priority", 0)  # type: ignore[attr-defined]
                handlers[position] = timed


def add_language_clock(config: Any, passes: dict[str, float]) -> None:
    """Time each language's pass: from its first on_config handler to the start of its post_build.

    mkdocs-static-i18n builds the other languages from inside the default language's
    post_build, so a pass is measured up to its own post_build, never including the next.
    """
    i18n = config.plugins.get("i18n")
    started: dict[str, float] = {}

    def language() -> str:
        return str(getattr(i18n, "current_language", None) or getattr(i18n, "default_language", "default"))

    def pass_started(*_: Any, **__: Any) -> None:
        started[language()] = time.perf_counter()

    def pass_finished(**_: Any) -> None:
        passes[language()] = time.perf_counter() - started.pop(language(), time.perf_counter())

    pass_started.mkdocs_priority = 10_000  # type: ignore[attr-defined]
    pass_finished.mkdocs_priority = 10_000  # type: ignore[attr-defined]
    config.plugins.events["config"].insert(0, pass_started)
    config.plugins.events["post_build"].insert(0, pass_finished)


def run_build(project: Path, profile: Path | None) -> dict[str, Any]:
    timers = Timers()
    missing = patch_pipeline(timers)
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    start, start_cpu = time.perf_counter(), time.process_time()
    config = load_config(config_file=str(project / "mkdocs.yml"))
    wrap_plugin_events(config, timers)
    passes: dict[str, float] = {}
    add_language_clock(config, passes)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config, dirty=False)
    finally:
        config.plugins.on_shutdown()
        if profiler:
            profiler.disable()
    total, total_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    if profiler and profile:
        profiler.dump_stats(str(profile))
    events = {name: seconds for name, seconds in timers.seconds.items() if name.startswith("event:")}
    stages = {name: seconds for name, seconds in timers.seconds.items() if not name.startswith("event:")}
    events_cpu = {name: seconds for name, seconds in timers.cpu.items() if name.startswith("event:")}
    with_glossgen = "glossgen" in config.plugins  # a baseline never imports it
    imported, imported_cpu = (GLOSSGEN_IMPORT_SECONDS, GLOSSGEN_IMPORT_CPU) if with_glossgen else (0.0, 0.0)
    return {"total": total + imported, "total_cpu": total_cpu + imported_cpu, "glossgen_import": imported,
            "glossgen_import_cpu": imported_cpu, "glossgen_events": events, "glossgen_events_cpu": events_cpu,
            "second_process_cpu": timers.cpu.get("second_process", 0.0),
            "site_removal_cpu": timers.cpu.get("site_removal", 0.0), "stages": stages, "calls": dict(timers.calls),
            "language_passes": passes, "missing": missing, "profiled": profiler is not None}


def cold_snippet_seconds(project: Path) -> float:
    """Run every snippet with an empty cache, as a cold build does."""
    snippets = project / "snippets"
    start = time.perf_counter()
    run_snippets(snippets, available_snippets(snippets), root=project)  # no memo: every snippet runs
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--profile", type=Path, help="run under cProfile and save the statistics here")
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # as `mkdocs build -q` does (which also disarms strict)
    project = arguments.project.resolve()
    os.chdir(project)
    result = run_build(project, arguments.profile)
    if not arguments.profile and (project / "snippets").is_dir():
        result["snippets_cold"] = cold_snippet_seconds(project)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
