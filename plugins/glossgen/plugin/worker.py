"""Build part of the languages in a second `mkdocs build` process, on the second core.

mkdocs-static-i18n builds the languages one after another in one process, so a
four-language site keeps one core busy while the other idles. `mkdocs build` with
glossgen therefore starts a second `mkdocs build` of the same mkdocs.yml (the worker)
as soon as the first language pass begins. The worker imports MkDocs and its plugins
while this process runs glossgen's pipeline, then waits on its standard input for the
list of files the pipeline produced, and builds its share of the languages into a
folder of its own.

Both processes run every language pass, so mkdocs-static-i18n's language switcher,
alternate links and sitemap know the whole site. In the passes a process leaves to the
other, it marks the pages excluded, MkDocs' own way of keeping a page out of a build
(`File.inclusion`), so nothing is rendered twice. When its own passes are done this
process waits for the worker, moves the worker's language folders into its site and
merges the two sitemaps: the result is the site a single process would have built,
byte for byte.
"""

from __future__ import annotations

import atexit
import gzip
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Sequence

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel

from ..core.files import replace_file
from ..core.urls import language_prefix

WORKER_ENVIRONMENT = "GLOSSGEN_WORKER_LANGUAGES"
"""Set in the worker's environment: the languages it builds, comma-separated."""

_SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")
_SITEMAP_URL = re.compile(r"\n?[ \t]*<url>.*?</url>", re.DOTALL)
_LOG_LEVEL = re.compile(r"(DEBUG|INFO|WARNING|ERROR|CRITICAL) +- ")
_LOC = re.compile(r"<loc>([^<]*)</loc>")
_EXCLUDED_NOTICE = re.compile(r"'([^']+)' (?:is included in the 'nav' configuration, but this file is|which is) "
                              r"excluded from the built site")


def split_languages(languages: Sequence[str], default_language: str) -> tuple[list[str], list[str]]:
    """(kept, delegated): the worker takes the later half of the other languages.

    The default language stays here, because its pass also runs glossgen's pipeline;
    for four languages that is en + nl here and sv + de in the worker.
    """
    others = [language for language in languages if language != default_language]
    delegated = others[len(others) // 2:]
    return [language for language in languages if language not in delegated], delegated


def worker_languages() -> list[str]:
    """The languages this process builds as a worker, or [] when it is not one."""
    return [language for language in os.environ.get(WORKER_ENVIRONMENT, "").split(",") if language]


def read_handoff(stream: IO[str] = sys.stdin) -> dict[str, str] | None:
    """In the worker: block until the parent sends the generated files (site path -> file), or None if it gave up.

    The parent writes them to a file and sends its name, a line that never fills the pipe.
    """
    name = stream.readline().strip()
    return json.loads(Path(name).read_text(encoding="utf-8")) if name else None


def exclude_pages(files: Files) -> set[str]:
    """Mark every documentation page excluded, so MkDocs builds none of them; returns their paths."""
    excluded = set()
    for file in files.documentation_pages(inclusion=lambda level: True):
        file.inclusion = InclusionLevel.EXCLUDED
        excluded.add(file.src_uri)
    return excluded


def usable_cores() -> int:
    """Cores this process may run on (all of them where the system cannot say)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class LanguageShare:
    """The languages this process renders when two processes share a build; it leaves the others' pages out."""

    def __init__(self, languages: Sequence[str]) -> None:
        self.languages = set(languages)
        self.left_out = LeftOutPagesFilter()
        for name in ("mkdocs.structure.nav", "mkdocs.structure.pages"):
            logging.getLogger(name).addFilter(self.left_out)  # the same filter object is added only once

    def leave_out(self, files: Files, language: str) -> None:
        """In a language pass the other process builds, mark every page excluded (and keep MkDocs quiet about it)."""
        self.left_out.paths = exclude_pages(files) if language not in self.languages else set()

    def close(self) -> None:
        for name in ("mkdocs.structure.nav", "mkdocs.structure.pages"):
            logging.getLogger(name).removeFilter(self.left_out)


class LeftOutPagesFilter(logging.Filter):
    """Silence MkDocs' notices about pages excluded because the other process builds them."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO or not self.paths:
            return True
        notice = _EXCLUDED_NOTICE.search(record.getMessage())
        return not (notice and notice.group(1).replace(os.sep, "/") in self.paths)


@dataclass
class LanguageWorker:
    """The second `mkdocs build`, from its start to the merge of its languages."""

    languages: list[str]
    all_languages: list[str]
    default_language: str
    site_url: str | None
    site_dir: Path
    process: subprocess.Popen
    log: IO[str]
    sent: bool = field(default=False)

    @classmethod
    def start(cls, config: MkDocsConfig, languages: list[str], all_languages: list[str],
              default_language: str) -> LanguageWorker:
        site = Path(config.site_dir)
        site_dir = Path(tempfile.mkdtemp(prefix=f"{site.name}.", suffix=".worker", dir=site.parent))
        command = [sys.executable, "-m", "mkdocs", "build",
                   "--config-file", str(config.config_file_path), "--site-dir", str(site_dir),
                   "--use-directory-urls" if config.use_directory_urls else "--no-directory-urls"]
        if config.strict:
            command.append("--strict")
        level = logging.getLogger("mkdocs").getEffectiveLevel()
        if level >= logging.ERROR:
            command.append("--quiet")  # as quiet as this build: MkDocs then drops warnings, strict or not
        elif level <= logging.DEBUG:
            command.append("--verbose")
        log = tempfile.TemporaryFile("w+", encoding="utf-8")
        environment = {**os.environ, WORKER_ENVIRONMENT: ",".join(languages)}
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT,
                                   text=True, encoding="utf-8", env=environment)
        worker = cls(languages, all_languages, default_language, config.site_url, site_dir, process, log)
        atexit.register(worker.cancel)  # interrupted (Ctrl-C): stop the worker, remove its folder
        return worker

    def send(self, generated: dict[str, Path]) -> None:
        """Tell the waiting worker which generated files to add to its build; it starts building."""
        if self.sent:
            return
        self.sent = True
        assert self.process.stdin is not None
        handoff = self.site_dir / "glossgen-handoff.json"  # the worker's site folder: removed with it
        handoff.write_text(json.dumps({uri: str(path) for uri, path in generated.items()}), encoding="utf-8")
        try:
            self.process.stdin.write(f"{handoff}\n")
            self.process.stdin.close()
        except BrokenPipeError:  # the worker already failed; finish() reports why
            pass

    def finish(self, site_dir: Path) -> bool:
        """Wait for the worker and move its languages into `site_dir`; False if it failed.

        The worker's own messages (MkDocs warnings, errors) are passed on to standard error.
        """
        atexit.unregister(self.cancel)
        self.send({})
        code = self.process.wait()
        self.log.seek(0)
        output = self.log.read().strip()
        self.log.close()
        try:
            relayed = relay(output, verbose=logging.getLogger("mkdocs").getEffectiveLevel() <= logging.DEBUG)
            if relayed:
                print(relayed, file=sys.stderr, flush=True)
            if code != 0:
                return False
            for language in self.languages:
                prefix = language_prefix(language, self.default_language).rstrip("/")
                target = site_dir / prefix
                if target.exists():
                    shutil.rmtree(target)
                if (self.site_dir / prefix).is_dir():
                    (self.site_dir / prefix).rename(target)
            merge_sitemaps(site_dir, self.site_dir, self.all_languages, self.languages, self.default_language,
                           self.site_url)
            return True
        finally:
            shutil.rmtree(self.site_dir, ignore_errors=True)

    def cancel(self) -> None:
        atexit.unregister(self.cancel)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.site_dir, ignore_errors=True)


def relay(output: str, *, verbose: bool) -> str:
    """The worker's messages worth repeating: its warnings and errors, not its progress notes."""
    messages: list[list[str]] = []
    for line in output.splitlines():
        level = _LOG_LEVEL.match(line)
        if level or not messages:
            messages.append([level.group(1) if level else "ERROR", line])
        else:
            messages[-1].append(line)
    return "\n".join("\n".join(lines) for level, *lines in messages if verbose or level not in ("DEBUG", "INFO")).strip()


def merge_sitemaps(site_dir: Path, worker_site: Path, languages: Sequence[str], worker_languages: Sequence[str],
                   default_language: str, site_url: str | None) -> None:
    """Take the worker's sitemap entries for its languages, in the order a single process writes them.

    Each process's sitemap lists every page of the languages it built but only the
    navigation pages of the others; mkdocs-static-i18n writes one language after
    another, the default first. The `<url>` blocks are moved as text, so the merged
    sitemap is the one a single-process build writes.
    """
    ours_path, theirs_path = site_dir / _SITEMAPS[0], worker_site / _SITEMAPS[0]
    if not (ours_path.is_file() and theirs_path.is_file()):
        return
    ours, theirs = ours_path.read_text(encoding="utf-8"), theirs_path.read_text(encoding="utf-8")
    others = [language for language in languages if language != default_language]

    def language_of(block: str) -> str:
        loc = _LOC.search(block)
        path = loc.group(1) if loc else ""
        if site_url and path.startswith(site_url):
            path = path[len(site_url):]
        path = path.lstrip("/")
        return next((other for other in others if path.startswith(f"{other}/")), default_language)

    matches = list(_SITEMAP_URL.finditer(ours))
    start = matches[0].start() if matches else ours.rindex("</urlset>")
    end = matches[-1].end() if matches else start
    blocks = {"ours": [match.group(0) for match in matches], "theirs": _SITEMAP_URL.findall(theirs)}
    order = [default_language, *others]
    merged_blocks = [block for language in order
                     for block in blocks["theirs" if language in worker_languages else "ours"]
                     if language_of(block) == language]
    merged = ours[:start] + "".join(merged_blocks) + ours[end:]
    replace_file(ours_path, merged)
    compressed = site_dir / _SITEMAPS[1]
    if compressed.is_file():
        # MkDocs stamps the archive with the newest page date of the last language pass it built
        last_pass = worker_site if order[-1] in worker_languages else site_dir
        mtime = int.from_bytes((last_pass / _SITEMAPS[1]).read_bytes()[4:8], "little")
        with open(compressed, "wb") as raw, gzip.GzipFile(fileobj=raw, filename=str(compressed), mode="wb",
                                                         mtime=mtime) as archive:
            archive.write(merged.encode("utf-8"))
