"""The one error type users see: each problem is one line naming file, line and what to fix."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the glossary, located as precisely as the input allows."""

    path: str
    line: int | None
    message: str
    #: A warning does not stop `glossgen validate`; `mkdocs build --strict` fails on it like on any warning.
    warning: bool = False

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class GlossaryError(Exception):
    """Raised with every problem found, so authors can fix them all in one pass."""

    def __init__(self, problems: list[Problem]):
        # Ordered by file and line; problems on one line keep the order they were found in.
        unique = list(dict.fromkeys(problems))
        self.problems = sorted(unique, key=lambda p: (p.path, p.line if p.line is not None else -1))
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path, root: Path | None) -> str:
    """Show `path` relative to the project root when it lies inside it (a link where it is, not where it points)."""
    if root is not None:
        where, base = os.path.abspath(path), os.path.abspath(root)
        if where.startswith(base + os.sep):  # the usual case, without making paths of the strings
            return where[len(base) + 1:].replace(os.sep, "/")
        for shown, base in ((Path(os.path.abspath(path)), Path(os.path.abspath(root))), (path.resolve(), root.resolve())):
            try:
                return shown.relative_to(base).as_posix()
            except ValueError:
                pass
    return path.as_posix()
