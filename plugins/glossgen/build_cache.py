"""Reuse the last build's pipeline result when none of its inputs changed.

A site build runs glossgen's pipeline (load, validate, render every entry in every
language) and writes the downloads (exports, notebooks). When a build starts with
exactly the inputs of the previous one, for example a rebuild in CI with the cache
restored or a second `mkdocs build`, that work would produce the same result again.
The result is kept in the cache folder with a key over everything it depends on:
the bytes of every glossary and snippet file, glossgen's own code, templates and
labels, the settings and site options it uses, and the versions of the libraries
that shape the output (Babel and ICU for formatting and sorting, NumPy for snippet
results, Jinja, pydantic, nbformat). A key that differs in any byte is a miss, and
the pipeline runs as usual; `glossgen validate` and `glossgen export` never use it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Mapping

from .output import input_files
from .pipeline import GlossaryBuild, Settings
from .render import PageRenderer

PACKAGE_DIR = Path(__file__).parent
_LIBRARIES = ("babel", "PyICU", "numpy", "Jinja2", "pydantic", "nbformat", "PyYAML", "mkdocs")
_RECORD = "build.pickle"


@dataclass(frozen=True)
class CachedBuild:
    code_key: str  # glossgen's code and templates, the libraries: what the rendered pages also depend on
    key: str       # code_key and every other input
    build: GlossaryBuild
    downloads: Mapping[str, Path]  # site path -> file in the cache folder
    renderer: PageRenderer
    notebooks: Mapping[Path, tuple[str, str]]  # notebook file -> (content hash, text): nbformat's writer is slow
    entries: Mapping[Path, tuple]  # entry file -> what the loader made of its bytes
    notebook_keys: Mapping[str, str | None]  # language -> key of its notebooks (notebooks_key)


def code_key() -> str:
    """Hash of glossgen's files (code, templates, labels) and of the versions that shape its output."""
    digest = hashlib.sha256(repr((sys.version, _library_versions())).encode())
    _add_files(digest, PACKAGE_DIR)
    return digest.hexdigest()


def build_key(settings: Settings, options: Mapping[str, object], code: str) -> str:
    """Hash of every input of the pipeline and the downloads; `options` are the site options they use."""
    digest = hashlib.sha256(repr((code, sorted(options.items()), str(settings.root), list(settings.languages),
                                  settings.default_language)).encode())
    for folder in (settings.glossary_dir, settings.snippets_dir):
        _add_files(digest, folder)
    return digest.hexdigest()


def load_build(cache_dir: Path) -> CachedBuild | None:
    """The last build's record, or None if there is none or it cannot be read."""
    try:
        with open(cache_dir / _RECORD, "rb") as file:
            cached = pickle.load(file)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return cached if isinstance(cached, CachedBuild) else None


def reusable(cached: CachedBuild | None, key: str) -> bool:
    """Whether `cached` is the result for `key`, with every download it lists still in place."""
    return bool(cached and cached.key == key and all(path.is_file() for path in cached.downloads.values()))


def store_build(cache_dir: Path, cached: CachedBuild) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    temporary = cache_dir / f".{_RECORD}.{os.getpid()}.tmp"
    with open(temporary, "wb") as file:
        pickle.dump(cached, file, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, cache_dir / _RECORD)


def _add_files(digest: "hashlib._Hash", folder: Path) -> None:
    for path in input_files(folder):
        digest.update(f"\0{path.relative_to(folder).as_posix()}\0".encode())
        digest.update(path.read_bytes())


def _library_versions() -> tuple:
    versions = []
    for name in _LIBRARIES:
        try:
            versions.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            versions.append((name, None))
    try:
        import icu
        versions.append(("ICU", icu.ICU_VERSION, icu.UNICODE_VERSION))
    except ImportError:
        pass
    return tuple(versions)
