"""Files in and out: the input walk, and writes that touch only what changed and stay in their folder."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable, Mapping, NamedTuple


class OutsideFolder(ValueError):
    """A path built from data that would leave the folder it is meant for."""


def input_files(folder: Path) -> list[Path]:
    """Every file below `folder` that can be an input, in a stable order; hidden and `__` folders are skipped."""
    found = []
    for directory, subdirectories, names in os.walk(folder):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith((".", "__")))
        found += [Path(directory, name) for name in sorted(names)]
    return found


def fingerprint(folders: Iterable[Path]) -> tuple:
    """Names, sizes and modification times of every file below `folders`: change detection without reading."""
    seen = []
    for folder in folders:
        for path in input_files(folder):
            stat = path.stat()
            seen.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(seen)


def inside(folder: Path, relative: str, resolved: dict[Path, Path] | None = None) -> Path:
    """`folder / relative`, refused unless it resolves inside `folder`.

    `resolved` keeps the folders already resolved in one call of `write_tree`, so that
    a thousand pages in three folders cost three lookups of the file system. The file
    itself is not followed: writes replace it (os.replace replaces a link, never its target).
    """
    resolved = {} if resolved is None else resolved
    base = resolved.setdefault(folder, folder.resolve())
    joined = base / relative
    parent = joined.parent
    if parent not in resolved:
        resolved[parent] = parent.resolve()
    target = resolved[parent] / joined.name
    if joined.name in ("", ".", "..") or target == base or not target.is_relative_to(base):
        raise OutsideFolder(f"'{relative}' would be written outside {folder}")
    return target


def write_if_changed(path: Path, content: str | bytes) -> bool:
    """Write `content` atomically unless the file already holds it; True if it was written.

    Leaving unchanged files alone keeps their modification times, so MkDocs and readers'
    caches see only what really changed.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.is_file() and path.read_bytes() == data:
        return False
    replace_file(path, data)
    return True


def replace_file(path: Path, content: str | bytes) -> None:
    """Put `content` at `path` as a new file that takes the old one's place in one step.

    A reader sees the old file or the new one, never half of either. And a file another
    program has only just written (MkDocs' sitemap, say) is not truncated in place: on
    ext4, that waits for the disk to take the old content first, while a new file does not.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


class Written(NamedTuple):
    """A file as a build wrote it: where, the very content object, and its size and time just after."""
    path: Path
    content: str | bytes
    stamp: tuple[int, int]


def stamp(path: Path) -> tuple[int, int] | None:
    """A file's size and modification time, or None if it is not a regular file."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns) if stat.S_ISREG(status.st_mode) else None


def written_record(files: Mapping[str, str | bytes], targets: Mapping[str, Path],
                   kept: Mapping[str, Written] | None = None) -> dict[str, Written]:
    """What `write_tree` just wrote, for the next call's `written_before`; `kept` holds the records of the
    files it found as they were (`write_recorded`), which need no new look at the file."""
    kept = kept or {}
    record = {}
    for relative, path in targets.items():
        if relative in kept:
            record[relative] = kept[relative]
        elif (status := stamp(path)) is not None:
            record[relative] = Written(path, files[relative], status)
    return record


def write_tree(folder: Path, files: Mapping[str, str | bytes], *, remove_others: bool = False,
               written_before: Mapping[str, Written] | None = None) -> tuple[dict[str, Path], int]:
    """Write `files` (path inside `folder` -> content), rewriting only what changed.

    With `remove_others`, `folder` ends up holding exactly `files`. Returns each path's
    file and how many were written; a path that leaves `folder` raises OutsideFolder
    before anything is written. `written_before` (`written_record` of an earlier call)
    lets a rebuild skip, without reading it, a file that holds the very content object
    written there and has the size and time it had just after.
    """
    targets, written, _ = _write_tree(folder, files, remove_others, written_before or {})
    return targets, written


def write_recorded(folder: Path, files: Mapping[str, str | bytes], *, remove_others: bool = False,
                   written_before: Mapping[str, Written] | None = None) -> tuple[dict[str, Path], dict[str, Written], int]:
    """`write_tree`, returning as well the record of what the folder now holds, for the next call's `written_before`."""
    targets, written, kept = _write_tree(folder, files, remove_others, written_before or {})
    return targets, written_record(files, targets, kept), written


def _write_tree(folder: Path, files: Mapping[str, str | bytes], remove_others: bool,
                before: Mapping[str, Written]) -> tuple[dict[str, Path], int, dict[str, Written]]:
    kept = {relative: last for relative, content in files.items()
            if (last := before.get(relative)) is not None and last.content is content and stamp(last.path) == last.stamp}
    resolved: dict[Path, Path] = {}
    targets = {relative: kept[relative].path if relative in kept else inside(folder, relative, resolved)
               for relative in files}
    written = sum(write_if_changed(path, files[relative]) for relative, path in targets.items() if relative not in kept)
    if remove_others:
        remove_stale(folder, set(targets.values()))
    return targets, written, kept


def remove_stale(folder: Path, wanted: set[Path]) -> None:
    """Delete files below `folder` that are not `wanted`, and folders left empty."""
    if not folder.is_dir():
        return
    base = str(folder.resolve())
    keep = {str(path) for path in wanted}  # resolved paths; compared as text, which is cheaper than as Paths
    for directory, subdirectories, names in os.walk(folder, topdown=False):
        inside_base = os.path.normpath(os.path.join(base, os.path.relpath(directory, folder)))
        for name in names:
            if os.path.join(inside_base, name) not in keep:
                os.unlink(os.path.join(directory, name))
        for name in subdirectories:
            path = os.path.join(directory, name)
            if not os.path.islink(path) and not os.listdir(path):
                os.rmdir(path)
