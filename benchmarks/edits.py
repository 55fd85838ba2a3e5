"""What one preview edit costs glossgen's pipeline, at several glossary sizes, in this process.

Run as `python benchmarks/edits.py [--sizes 300,1000] [--edits 6]`. For each size a
synthetic project (synthetic.py) is written into a temporary folder and built once
through `build_site` with a fresh memory. Then each edit changes the body of the middle
entry, in English and in Swedish by turns, and runs what a save under `make serve` runs
before MkDocs: `build_site(..., defer=True)` on the same memory, and then what the idle
refresh after it runs: `build_site(...)`, which makes the whole-glossary pages, the exports
and the notebooks the save deferred. Each edit's CPU time (`time.process_time`) and wall
time are printed, and their medians per language, with the ratio of the largest size's
median to the smallest size's, measured in the same run.

This is glossgen's share of a save (reading, validating and rendering the glossary);
MkDocs' passes and writing the pages come on top (serve_saves.py measures the whole save).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.helpers import synthetic_project  # noqa: E402 - the same synthetic project the tests use


def edit_body(entry: Path, language: str, marker: str) -> None:
    """Put `marker` at the start of the entry's body in `language`."""
    text = entry.read_text(encoding="utf-8")
    body = text.index("  body: |\n    ", text.index(f"\n{language}:\n")) + len("  body: |\n    ")
    entry.write_text(f"{text[:body]}{marker} {text[body:]}", encoding="utf-8")


def measure(size: int, edits: int, folder: Path) -> dict[str, list[tuple[float, float]]]:
    """Per language, each edit's (CPU, wall) seconds, and under "<language> refresh" those of the refresh after it."""
    from glossgen.memory import Memory
    from glossgen.pipeline import build_site

    concepts, settings = synthetic_project(folder, size)
    memory = Memory()
    build_site(settings, memory)
    entry = settings.glossary_dir / f"{concepts[len(concepts) // 2].id}.yml"
    costs: dict[str, list[tuple[float, float]]] = {"en": [], "sv": []}
    for number in range(edits):
        language = "en" if number % 2 == 0 else "sv"
        edit_body(entry, language, f"Edit {'abcdefghijklmnopqrstuvwxyz'[number % 26]} here.")
        cpu, wall = time.process_time(), time.perf_counter()
        build = build_site(settings, memory, defer=True)
        costs[language].append((time.process_time() - cpu, time.perf_counter() - wall))
        cpu, wall = time.process_time(), time.perf_counter()
        refreshed = build_site(settings, memory)
        costs.setdefault(f"{language} refresh", []).append((time.process_time() - cpu, time.perf_counter() - wall))
        print(f"{size} concepts, edit {number + 1} ({language}): {costs[language][-1][0]:.3f} s CPU, "
              f"{costs[language][-1][1]:.3f} s wall, {len(build.rendered)} pages rendered; the refresh after it "
              f"{costs[f'{language} refresh'][-1][0]:.3f} s CPU, {len(refreshed.rendered)} pages rendered", flush=True)
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,1000", help="concept counts, smallest first")
    parser.add_argument("--edits", type=int, default=6, help="edits per size, English and Swedish by turns")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    medians: dict[int, dict[str, tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="glossgen-edits-") as work:
        for size in sizes:
            costs = measure(size, options.edits, Path(work) / str(size))
            medians[size] = {language: (statistics.median(cpu for cpu, _ in runs),
                                        statistics.median(wall for _, wall in runs))
                             for language, runs in costs.items() if runs}
    print("\nconcepts  edit         median CPU s  median wall s")
    for size, by_language in medians.items():
        for language, (cpu, wall) in by_language.items():
            print(f"{size:8d}  {language:11s}  {cpu:12.3f}  {wall:13.3f}")
    if len(sizes) > 1:
        small, large = medians[sizes[0]], medians[sizes[-1]]
        for language in sorted(small.keys() & large.keys()):
            print(f"{language}: {sizes[-1]} / {sizes[0]} concepts, CPU {large[language][0] / small[language][0]:.2f}x, "
                  f"wall {large[language][1] / small[language][1]:.2f}x")


if __name__ == "__main__":
    main()
