"""Many saves in a row under `make serve`: does anything grow from one rebuild to the next?

Run as `python benchmarks/serve_saves.py [--saves 50] [--concepts N]`. The project's own
site (mkdocs.yml, docs/, glossary/, snippets/) is copied into a temporary folder, or with
--concepts a synthetic project of that size is written there; `mkdocs serve --no-strict`
(the README's `make serve`: `mkdocs serve --dirty --no-strict`) starts on it. Each save changes the body of one entry, in
English and in Swedish by turns, and waits until the served page shows the change. After
every save the table records:

- save to page: seconds from the write to the page showing the new text (wall time);
- server CPU: CPU seconds the server process used for that rebuild (from /proc);
- resident memory of the server process (VmRSS, MB);
- the documents in every language's search index, summed.

Flat means: at the last save, memory, CPU time and documents within 10% of the second
save (the first English edit changes the translation-status page once).
"""

from __future__ import annotations

import argparse
import json
import os
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=50)
    parser.add_argument("--concepts", type=int, help="a synthetic project of this size instead of the project's own")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="glossgen-serve-saves-") as work:
        project = Path(work) / "project"
        project.mkdir()
        entry_id = synthetic_project(project, options.concepts) if options.concepts else copy_project(project)
        entry = project / "glossary" / f"{entry_id}.yml"
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        log = open(Path(work) / "serve.log", "w")
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "--dev-addr",
                                   f"127.0.0.1:{port}"], cwd=project, env=environment, stdout=log, stderr=log)
        rows = []
        try:
            started = time.perf_counter()
            while entry_id not in fetch(f"{base}glossary/{entry_id}/") and time.perf_counter() - started < 600:
                if server.poll() is not None:
                    log.flush()
                    raise SystemExit("mkdocs serve stopped:\n" + Path(log.name).read_text()[-3000:])
                time.sleep(0.2)
            print(f"first page served after {time.perf_counter() - started:.1f} s", flush=True)
            while entry_id not in fetch(f"{base}sv/glossary/{entry_id}/") and time.perf_counter() - started < 900:
                time.sleep(0.2)  # glossgen builds the default language first, then the others
            print(f"every language served after {time.perf_counter() - started:.1f} s", flush=True)
            time.sleep(2)  # the rebuild that built them has finished
            markers = {language: body_marker(entry, language) for language in ("en", "sv")}
            for save in range(1, options.saves + 1):
                language = "en" if save % 2 else "sv"
                page = f"{base}{'' if language == 'en' else 'sv/'}glossary/{entry_id}/"
                marker = f"Save {save} here."
                text = entry.read_text(encoding="utf-8")
                entry.write_text(text.replace(markers[language], f"{marker} {markers[language]}", 1), encoding="utf-8")
                markers[language] = f"{marker} {markers[language]}"
                cpu_before, saved = cpu_seconds(server.pid), time.perf_counter()
                while marker not in fetch(page):
                    time.sleep(0.05)
                seconds = time.perf_counter() - saved
                time.sleep(1.5)  # let a second rebuild (an editor's two writes) finish before measuring
                rows.append((save, seconds, cpu_seconds(server.pid) - cpu_before, rss_mb(server.pid),
                             search_documents(base)))
                print(f"save {save:3d}: {seconds:5.2f} s to page, {rows[-1][2]:5.2f} s CPU, "
                      f"{rows[-1][3]:7.1f} MB, {rows[-1][4]} search documents", flush=True)
        finally:
            server.send_signal(2)
            server.wait(timeout=60)
            log.close()
    second, last = rows[1], rows[-1]
    print("\nsave  to page s  server CPU s  RSS MB  search documents")
    for row in rows:
        if row[0] in (2, 10, options.saves):
            print(f"{row[0]:4d}  {row[1]:9.2f}  {row[2]:12.2f}  {row[3]:6.1f}  {row[4]:16d}")
    for name, index in (("memory", 3), ("CPU per save", 2), ("search documents", 4)):
        ratio = last[index] / second[index] if second[index] else float("nan")
        print(f"{name}: save {last[0]} / save 2 = {ratio:.2f} ({'flat' if abs(ratio - 1) <= 0.10 else 'NOT flat'})")


if __name__ == "__main__":
    main()
