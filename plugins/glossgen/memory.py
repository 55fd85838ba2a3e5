"""The one object a rebuild reuses, and the keys that say when it may.

A build loads every entry, lints it, runs the snippets, renders every text in every
language, then every page and download. Most of that is the same from one build to the
next: while serving, an edit changes one entry; in CI, often nothing. `Memory` holds
one memo per stage (core/memo.py), each keyed by a hash of everything its results
depend on, so a stage asks its memo before it computes and a hit is exactly what it
would compute again. A run keeps only what it used, so nothing grows from one rebuild
to the next.

Two keys sit above the memos:

- `code_key`: glossgen's own files (code, templates, labels, schemas), the Python
  version and the versions of the libraries that shape the output (Babel and ICU for
  formatting and sorting, NumPy for snippet results, Jinja, pydantic, nbformat, PyYAML,
  MkDocs). A memory made under another code key is discarded whole.
- `input_key`: the code key, every setting (site address, languages, folders, options)
  and the bytes of every glossary and snippet file. When it equals the key of the last
  build, that build is the result, and no stage runs at all.

The memory is persisted whole, as one pickle in the cache folder, so a new process
(the next `mkdocs build`, `glossgen validate`) starts where the last one stopped. It is
a few hundred thousand small objects that live as long as the process, so it is read with
Python's cyclic garbage collector paused and then kept, with whatever else is alive at that
moment, out of its passes (`gc.freeze`): otherwise the collector walks all of them again and
again while they are read, and again in every full collection of the build or of a
preview's every save. What the memory lets
go of later is still freed as soon as nothing refers to it: its values hold no reference
cycles, which are all a frozen object would wait for the end of the process to lose.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
from dataclasses import dataclass, field, fields
from importlib import metadata
from pathlib import Path
from typing import Any, Mapping

from .core.files import Written, fingerprint, input_files
from .core.memo import Memo, digest
from .core.results import SiteBuild
from .core.settings import Settings
from .stages.yamlfile import YamlProblem, read_input

PACKAGE_DIR = Path(__file__).parent
_LIBRARIES = ("babel", "PyICU", "numpy", "Jinja2", "pydantic", "nbformat", "PyYAML", "mkdocs")
_FILE = "memory.pickle"


@dataclass(frozen=True)
class LastBuild:
    key: str
    build: SiteBuild
    settings: str = ""  # the key of the settings it was built with


@dataclass
class Memory:
    """Everything a rebuild may reuse, one memo per stage, and the last build whole."""

    code: str = ""
    entries: Memo[str, Any] = field(default_factory=Memo)    # entry file bytes -> Entry and its problems
    lint: Memo[str, Any] = field(default_factory=Memo)       # entry digest -> lint problems
    runs: Memo[str, dict] = field(default_factory=Memo)      # snippet source -> its run's report
    compiled: Memo[str, bytes] = field(default_factory=Memo)  # entry text -> Jinja bytecode
    texts: Memo[str, Any] = field(default_factory=Memo)      # a language's text key -> its rendered texts
    pages: Memo[str, Any] = field(default_factory=Memo)      # a page's path, template and context -> the page
    #                                                          (a language's entry pages -> them and their keys)
    templates: Memo[str, bytes] = field(default_factory=Memo)  # glossgen's page templates -> Jinja bytecode
    notebooks: Memo[str, Any] = field(default_factory=Memo)  # a language's notebooks / one notebook -> text
    exports: Memo[str, Any] = field(default_factory=Memo)    # a concept's share of an export -> its text
    last: LastBuild | None = None
    # folder -> path -> the file the site build wrote there (core.files.written_record), so that the next
    # build, in this process or another, skips what it would write again without reading it
    written: dict[Path, dict[str, Written]] = field(default_factory=dict)
    # The inputs' names, sizes and times when `last` was built, and the inputs the last build read (with their
    # sizes and times then, so that the next read takes an unchanged file's bytes from them): in this process
    # only, never persisted.
    seen: tuple | None = field(default=None, compare=False)
    inputs: Inputs | None = field(default=None, compare=False)

    def memos(self) -> dict[str, Memo]:
        return {item.name: getattr(self, item.name) for item in fields(self) if isinstance(getattr(self, item.name), Memo)}

    def forget(self, code: str) -> None:
        """Start afresh under another code key: nothing other code made is known to hold."""
        for name in self.memos():
            setattr(self, name, Memo())
        self.code, self.last, self.seen, self.inputs = code, None, None, None

    def close(self) -> None:
        """End a pipeline run: every memo keeps what the run used and drops the rest."""
        for memo in self.memos().values():
            memo.close()

    def sizes(self) -> dict[str, int]:
        """How many results each memo holds."""
        return {name: len(memo) for name, memo in self.memos().items()}

    def made(self) -> dict[str, int]:
        return {name: memo.made for name, memo in self.memos().items()}

    def __getstate__(self) -> dict:
        return {**self.__dict__, "seen": None, "inputs": None}

    @classmethod
    def load(cls, cache_dir: Path | None) -> Memory:
        """The memory persisted in `cache_dir` if it was made by this code, else an empty one."""
        code = code_key()
        if cache_dir is None:
            return cls(code)
        try:
            with open(cache_dir / _FILE, "rb") as file:
                memory = _unpickled(file)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            return cls(code)
        return memory if isinstance(memory, Memory) and memory.code == code else cls(code)

    def save(self, cache_dir: Path | None) -> None:
        """Persist the memory in `cache_dir`, atomically; a memory without a folder lives in this process only."""
        if cache_dir is None:
            return
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = cache_dir / f".{_FILE}.{os.getpid()}.tmp"
        with open(temporary, "wb") as file:
            pickle.dump(self, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, cache_dir / _FILE)


def _unpickled(file: Any) -> Any:
    """The pickled objects, read with the cyclic collector paused. Once they are read, every object alive is
    moved out of the collector's passes (`gc.freeze`): when a build starts, that is the memory, the imported
    modules and the configuration, which all live as long as the process. A read that fails freezes nothing."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        loaded = pickle.load(file)
    finally:
        if collecting:
            gc.enable()
    gc.freeze()
    return loaded


def input_folders(settings: Settings) -> list[Path]:
    """The folders whose files are inputs of a build: the glossary, the snippets and glossgen itself."""
    return [settings.glossary_dir, settings.snippets_dir, PACKAGE_DIR,
            *([settings.locale_dir] if settings.locale_dir is not None else [])]


def inputs_seen(settings: Settings) -> tuple:
    """Names, sizes and modification times of every input: whether anything changed, without reading."""
    return (settings.key(), fingerprint(input_folders(settings)))


@dataclass(frozen=True)
class Inputs:
    """Every input file of a build (glossary, snippets, catalogs), read once as the loader reads it."""

    files: tuple[tuple[Path, Path, bytes | str], ...]  # (folder, file, its bytes or why the loader refuses it)
    stamps: Mapping[str, tuple[int, int]] = field(default_factory=dict, compare=False)  # file -> size, time seen

    @classmethod
    def read(cls, settings: Settings, seen: tuple | None = None, earlier: Inputs | None = None) -> Inputs:
        """A file the loader would refuse (a pipe, a device, a link out of the project, a file too large)
        is kept as the reason it is refused.

        With `seen` (`inputs_seen`, taken just before) and the inputs an `earlier` read of this process
        returned, a file whose size and modification time are those it had then is not read again: its bytes
        are the earlier ones, as `build_site` already trusts an unchanged `inputs_seen` for the whole build."""
        stamps = {path: (size, time) for path, size, time in seen[1]} if seen is not None else {}
        kept = {}
        if earlier is not None and stamps:
            kept = {name: content for _, path, content in earlier.files
                    if isinstance(content, bytes) and (name := str(path)) in stamps
                    and earlier.stamps.get(name) == stamps[name]}
        files, folders = [], {}  # folders: inside the project or not, looked up once each
        for folder in (settings.glossary_dir, settings.snippets_dir, *([settings.locale_dir] if settings.locale_dir else [])):
            for path in input_files(folder):
                content: bytes | str | None = kept.get(str(path))
                if content is None:
                    try:
                        content = read_input(path, settings.root, folders=folders)
                    except (YamlProblem, OSError) as refused:
                        content = f"refused: {refused}"
                files.append((folder, path, content))
        return cls(tuple(files), stamps)

    def contents(self) -> dict[Path, bytes]:
        """The bytes of every file read, by path (refused files left out: the loader reports them)."""
        return {path: content for _, path, content in self.files if isinstance(content, bytes)}


def input_key(settings: Settings, code: str, inputs: Inputs) -> str:
    """Hash of every input of a build (`Inputs.read`) and every setting that shapes it."""
    parts: list[str | bytes] = [code, settings.key()]
    for folder, path, content in inputs.files:
        parts += [path.relative_to(folder).as_posix(), content]
    return digest(*parts)


def code_key() -> str:
    """Hash of glossgen's files (code, templates, labels) and of the versions that shape its output."""
    parts: list[str | bytes] = [sys.version, repr(_library_versions())]
    for path in input_files(PACKAGE_DIR):
        parts += [path.relative_to(PACKAGE_DIR).as_posix(), path.read_bytes()]
    return digest(*parts)


def installed_version(distribution: str) -> str | None:
    """The installed version of a distribution (a pip package), or None if it is not installed."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _library_versions() -> tuple:
    versions: list[tuple] = [(name, installed_version(name)) for name in _LIBRARIES]
    try:
        import icu
        versions.append(("ICU", icu.ICU_VERSION, icu.UNICODE_VERSION))
    except ImportError:
        pass
    return tuple(versions)
