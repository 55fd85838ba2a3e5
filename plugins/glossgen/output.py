"""Write generated pages to disk without disturbing what did not change."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:
    from .render import Page


def input_files(folder: Path) -> list[Path]:
    """Every file below `folder` that can be an input, in a stable order; hidden and `__` folders are skipped."""
    found = []
    for directory, subdirectories, names in os.walk(folder):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith((".", "__")))
        found += [Path(directory, name) for name in sorted(names)]
    return found


def fingerprint(folders: Iterable[Path]) -> tuple:
    """Names, sizes and modification times of every file below `folders`: cheap change detection."""
    seen = []
    for folder in folders:
        for path in input_files(folder):
            stat = path.stat()
            seen.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(seen)


def write_if_changed(path: Path, content: str | bytes) -> bool:
    """Write `content` atomically unless the file already holds it; True if it was written.

    Leaving unchanged files alone keeps their modification times, so MkDocs and readers'
    caches see only what really changed.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return True


def write_pages(folder: Path, pages: Sequence[Page]) -> int:
    """Make `folder` hold exactly `pages`; rewrite only changed files. Returns how many were written."""
    written = sum(write_if_changed(folder / page.path, page.content) for page in pages)
    remove_stale(folder, {folder / page.path for page in pages})
    return written


def remove_stale(folder: Path, wanted: set[Path]) -> None:
    """Delete files below `folder` that are not `wanted`, and folders left empty."""
    if not folder.is_dir():
        return
    for stale in sorted(folder.rglob("*"), reverse=True):
        if stale.is_file() and stale not in wanted:
            stale.unlink()
        elif stale.is_dir() and not any(stale.iterdir()):
            stale.rmdir()


def publish_staged_site(staging: Path, site: Path, *, succeeded: bool) -> None:
    """Replace `site` with the freshly built `staging` folder, or discard it after a failure."""
    if not staging.is_dir():
        return
    if not succeeded:
        shutil.rmtree(staging)
        return
    previous = site.with_name(f"{site.name}.previous")
    if previous.exists():
        shutil.rmtree(previous)
    if site.exists():
        site.rename(previous)
    staging.rename(site)
    if previous.exists():
        shutil.rmtree(previous)
