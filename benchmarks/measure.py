"""Run a command and measure it; measure what a build left in site/."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Iterable, Mapping, Sequence

LANGUAGES = ("en", "nl", "sv", "de")
DEFAULT_LANGUAGE = "en"
SEARCH_INDEX = "search/search_index.json"


class BenchmarkError(Exception):
    """A build or server that failed; the message carries the end of its log."""


@dataclass(frozen=True)
class Run:
    """One subprocess: wall time, CPU time (user + system, its children included) and peak memory."""

    wall: float
    cpu: float
    peak_rss_mib: float


def run_measured(command: Sequence[str], cwd: Path, env: Mapping[str, str], log: Path) -> Run:
    """Run `command` to completion; raise BenchmarkError if it fails.

    os.wait4 returns the resource usage of exactly this child (and the descendants it
    waited for, such as snippet subprocesses), so peak memory is per run, not the
    maximum over every child this process ever had, as RUSAGE_CHILDREN would be.
    """
    with log.open("w", encoding="utf-8") as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=dict(env), stdout=output, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise BenchmarkError(f"{' '.join(command)} in {cwd} exited with {process.returncode}:\n{tail(log)}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def best_of(runs: Iterable[Run]) -> Run:
    """The fastest of repeated runs: noise from other processes only ever adds time."""
    return min(runs, key=lambda run: run.wall)


def tail(path: Path, lines: int = 30) -> str:
    if not path.is_file():
        return "(no log)"
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


@dataclass(frozen=True)
class SiteMetrics:
    total_bytes: int
    term_page_median_bytes: float
    term_pages: int
    search_index_bytes: dict[str, int]  # language (or "merged") -> bytes


def language_root(site_dir: Path, language: str) -> Path:
    return site_dir if language == DEFAULT_LANGUAGE else site_dir / language


def site_metrics(site_dir: Path, entry_ids: Iterable[str], merged_search_index: bool) -> SiteMetrics:
    """Sizes of the built site: everything, the term pages, the search index per language."""
    total = sum(path.stat().st_size for path in site_dir.rglob("*") if path.is_file())
    ids = list(entry_ids)
    sizes = [page.stat().st_size for language in LANGUAGES for entry_id in ids
             if (page := language_root(site_dir, language) / "glossary" / entry_id / "index.html").is_file()]
    indexes: dict[str, int] = {}
    for language in LANGUAGES:
        path = language_root(site_dir, language) / SEARCH_INDEX
        if path.is_file():
            label = "merged" if merged_search_index and language == DEFAULT_LANGUAGE else language
            indexes[label] = path.stat().st_size
    return SiteMetrics(total, median(sizes) if sizes else 0.0, len(sizes), indexes)


def pages_per_language(docs_dir: Path) -> int:
    """Markdown pages of the default language: every .md without a language suffix."""
    suffixes = tuple(f".{language}.md" for language in LANGUAGES if language != DEFAULT_LANGUAGE)
    return sum(1 for path in docs_dir.rglob("*.md") if not path.name.endswith(suffixes))


def load_average() -> float:
    return os.getloadavg()[0]
