"""Many saves in a row under `make serve`: does anything grow from one rebuild to the next?

Run as `python benchmarks/serve_saves.py [--saves 50] [--concepts N] [--built]`. The project's own
site (mkdocs.yml, docs/, glossary/, snippets/) is copied into a temporary folder, or with
--concepts a synthetic project of that size is written there; `mkdocs serve --no-strict`
(the README's `make serve`: `mkdocs serve --dirty --no-strict`) starts on it. Each save changes the body of one entry, in
English and in Swedish by turns, and waits until the served page shows the change. After
every save the table records:

- save to page: seconds from the write to the page showing the new text (wall time);
- server CPU: CPU seconds the server process used for that rebuild (from /proc);
- resident memory of the server process (VmRSS, MB);
- the documents in every language's search index, summed;
- with --pause, the idle refresh in that pause: the seconds MkDocs reports for each rebuild the pause
  held ("Documentation built in"), and the CPU seconds the server used over the whole pause.

Flat means: at the last save, memory, CPU time and documents within 10% of the second
save (the first English edit changes the translation-status page once). One save's CPU time
swings with whether the cyclic garbage collector's full pass falls into it, so the table
also compares, for each language, the medians of its first five saves and its last five.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
LANGUAGES = ("en", "nl", "sv", "de")
BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def search_documents(base: str) -> int:
    total = 0
    for language in LANGUAGES:
        prefix = "" if language == "en" else f"{language}/"
        text = fetch(f"{base}{prefix}search/search_index.json")
        total += len(json.loads(text)["docs"]) if text else 0
    return total


def copy_project(target: Path) -> str:
    for name in ("mkdocs.yml", "docs", "glossary", "snippets"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("glossary"))
        else:
            shutil.copy2(source, target / name)
    (target / "node_modules").symlink_to(ROOT / "node_modules")  # KaTeX, installed by npm ci
    return "weights"


def synthetic_project(target: Path, concepts: int) -> str:
    import synthetic
    written = synthetic.write_project(target, concepts)
    return written[len(written) // 2].id


def body_marker(entry: Path, language: str) -> str:
    """The first line of the language's body: the text each save replaces."""
    lines = entry.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"{language}:")
    body = next(index for index in range(start, len(lines)) if lines[index].strip().startswith("body:"))
    return lines[body + 1].strip()


def page_marker(page: Path) -> str:
    """A line of a generated page's Markdown, after its front matter and heading: the text a save replaces."""
    lines = page.read_text(encoding="utf-8").splitlines()
    after_front_matter = lines.index("---", 1) + 1
    return next(line for line in lines[after_front_matter:] if len(line) > 40 and line[0].isalpha())


def serve_saves(project: Path, work: Path, name: str, saves: int, page_of, file_of, marker_of,
                pause: float = 0.0) -> tuple[list[tuple], list[tuple]]:
    """Start `mkdocs serve --dirty --no-strict` on `project`; save `saves` times, English and Swedish by turns.

    `file_of(language)` is the file a save edits, `marker_of(path, language)` the text it prefixes with a
    new sentence, `page_of(language)` the page that must show it. `pause`: seconds more between saves.
    Returns a row per save, and with a pause a row per pause: the save before it, the seconds of each
    rebuild MkDocs logged in it, and the server's CPU seconds over it.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = open(work / f"serve-{name}.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "--dev-addr",
                               f"127.0.0.1:{port}"], cwd=project, env=environment, stdout=log, stderr=log)
    rows, refreshes = [], []
    try:
        started = time.perf_counter()
        for language, what in (("en", "first page"), ("sv", "every language")):
            while page_of(language)[1] not in fetch(base + page_of(language)[0]):
                if server.poll() is not None:
                    log.flush()
                    raise SystemExit("mkdocs serve stopped:\n" + Path(log.name).read_text()[-3000:])
                if time.perf_counter() - started > 900:
                    raise SystemExit(f"{name}: {what} not served within 900 s")
                time.sleep(0.2)
            print(f"{name}: {what} served after {time.perf_counter() - started:.1f} s", flush=True)
        time.sleep(2)  # glossgen builds the default language first: let the rebuild for the others finish
        markers = {language: marker_of(file_of(language), language) for language in ("en", "sv")}
        for save in range(1, saves + 1):
            language = "en" if save % 2 else "sv"
            marker = f"Save {save} of {name} here."
            path = file_of(language)
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace(markers[language], f"{marker} {markers[language]}", 1), encoding="utf-8")
            markers[language] = f"{marker} {markers[language]}"
            cpu_before, saved = cpu_seconds(server.pid), time.perf_counter()
            while marker not in fetch(base + page_of(language)[0]):
                time.sleep(0.05)
            seconds = time.perf_counter() - saved
            time.sleep(1.5)  # let a second rebuild (an editor's two writes) finish before measuring
            rows.append((save, seconds, cpu_seconds(server.pid) - cpu_before, rss_mb(server.pid),
                         search_documents(base)))
            print(f"{name} save {save:3d} ({language}): {seconds:5.2f} s to page, {rows[-1][2]:5.2f} s CPU, "
                  f"{rows[-1][3]:7.1f} MB, {rows[-1][4]} search documents", flush=True)
            if pause and save < saves:
                log.flush()
                logged, cpu_before = Path(log.name).stat().st_size, cpu_seconds(server.pid)
                time.sleep(pause)
                log.flush()
                with open(log.name, encoding="utf-8", errors="replace") as text:
                    text.seek(logged)
                    built = [float(found) for found in BUILT.findall(text.read())]
                refreshes.append((save, built, cpu_seconds(server.pid) - cpu_before))
                print(f"{name} pause after save {save:3d}: rebuilds of {', '.join(f'{s:.2f}' for s in built) or 'none'} s, "
                      f"{refreshes[-1][2]:5.2f} s CPU", flush=True)
    finally:
        server.send_signal(2)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:  # SIGINT is ignored in a shell's background job
            server.kill()
            server.wait()
        log.close()
    return rows, refreshes


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=50)
    parser.add_argument("--concepts", type=int, help="a synthetic project of this size instead of the project's own")
    parser.add_argument("--built", action="store_true",
                        help="run `mkdocs build` once before serving, as an author who has built the site before: "
                             "the first page then comes from the pages' kept HTML")
    parser.add_argument("--pause", type=float, default=0.0,
                        help="seconds more between saves; past preview_idle (4 s) and the refresh that follows, each "
                             "save comes after the deferred pages were made again, as when an author stops to read")
    parser.add_argument("--baseline", action="store_true",
                        help="then the same saves on the same pages as plain Markdown, served without glossgen")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="glossgen-serve-saves-") as work:
        project = Path(work) / "project"
        project.mkdir()
        entry_id = synthetic_project(project, options.concepts) if options.concepts else copy_project(project)
        entry = project / "glossary" / f"{entry_id}.yml"
        url = {language: f"{'' if language == 'en' else language + '/'}glossary/{entry_id}/" for language in LANGUAGES}
        if options.built:
            started = time.perf_counter()
            built = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project, capture_output=True, text=True,
                                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
            if built.returncode != 0:
                raise SystemExit(f"mkdocs build failed:\n{built.stderr[-3000:]}")
            print(f"mkdocs build before serving: {time.perf_counter() - started:.1f} s", flush=True)
        rows, refreshes = serve_saves(project, Path(work), "glossgen", options.saves, lambda language: (url[language], entry_id),
                           lambda language: entry, body_marker, options.pause)
        plain = []
        if options.baseline:
            import synthetic
            baseline = Path(work) / "baseline"
            synthetic.write_baseline(baseline, project)
            if (project / "node_modules").exists():
                (baseline / "node_modules").symlink_to(ROOT / "node_modules")
            source = {language: baseline / "docs/glossary" / (f"{entry_id}.md" if language == "en"
                                                             else f"{entry_id}.{language}.md") for language in LANGUAGES}
            # Two saves only: under --dirty, mkdocs-material's search index of the plain site grows fourfold with
            # every save (it merges the last index into each language pass's), and so does each save's cost.
            plain, _ = serve_saves(baseline, Path(work), "plain", 2,
                                lambda language: (url[language], entry_id), lambda language: source[language],
                                lambda path, language: page_marker(path))
    second, last = rows[1], rows[-1]
    print("\nsave  to page s  server CPU s  RSS MB  search documents")
    for row in rows:
        if row[0] in (2, 10, options.saves):
            print(f"{row[0]:4d}  {row[1]:9.2f}  {row[2]:12.2f}  {row[3]:6.1f}  {row[4]:16d}")
    for name, index in (("memory", 3), ("CPU per save", 2), ("search documents", 4)):
        ratio = last[index] / second[index] if second[index] else float("nan")
        print(f"{name}: save {last[0]} / save 2 = {ratio:.2f} ({'flat' if abs(ratio - 1) <= 0.10 else 'NOT flat'})")
    for parity, language in ((1, "en"), (0, "sv")):
        mine = [row for row in rows if row[0] % 2 == parity][1:]  # the first English save changes the status page
        if len(mine) >= 10:
            early, late = mine[:5], mine[-5:]
            ratios = [median([row[index] for row in late]) / median([row[index] for row in early]) for index in (1, 2)]
            print(f"{language}: median of its last five saves / of its first five, to page {ratios[0]:.2f}, "
                  f"CPU {ratios[1]:.2f} ({'flat' if all(abs(ratio - 1) <= 0.10 for ratio in ratios) else 'NOT flat'})")
    print("\nlanguage  glossgen median s (wall / CPU)" + ("  plain mkdocs serve --dirty (wall / CPU)  ratio (wall / CPU)"
                                                      if plain else ""))
    for parity, language in ((1, "en"), (0, "sv")):
        mine = [row for row in rows if row[0] % 2 == parity]
        line = f"{language:8}  {median([r[1] for r in mine]):6.2f} / {median([r[2] for r in mine]):5.2f}"
        line += f"  (range {min(r[1] for r in mine):.2f}-{max(r[1] for r in mine):.2f} s)"
        if plain:
            theirs = [row for row in plain if row[0] % 2 == parity]
            wall, cpu = median([r[1] for r in theirs]), median([r[2] for r in theirs])
            line += (f"  {wall:6.2f} / {cpu:5.2f} (its first save)  {median([r[1] for r in mine]) / wall:5.2f} / "
                     f"{median([r[2] for r in mine]) / cpu:5.2f}")
        print(line)
    for parity, language in ((1, "en"), (0, "sv")):
        after = [row for row in refreshes if row[0] % 2 == parity and row[1]]
        if after:
            print(f"idle refresh after an {language} save: median {median([sum(r[1]) for r in after]):.2f} s "
                  f"(MkDocs' own figure), {median([r[2] for r in after]):.2f} s server CPU per pause, {len(after)} pauses")


if __name__ == "__main__":
    main()
