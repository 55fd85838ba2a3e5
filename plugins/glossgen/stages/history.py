"""When each entry last changed, from git's history (nothing, outside a git checkout or without git)."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path


def last_changes(folder: Path, root: Path) -> dict[str, date]:
    """The date of the last commit that changed each file below `folder`, by its path relative to `root`."""
    try:
        result = subprocess.run(["git", "log", "--relative", "--format=%x00%cs", "--name-only", "--", str(folder)],
                                cwd=root, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return {}
    if result.returncode != 0:
        return {}
    changes: dict[str, date] = {}
    current: date | None = None
    for line in result.stdout.splitlines():
        if line.startswith("\0"):
            current = date.fromisoformat(line[1:])
        elif line and current is not None:
            changes.setdefault(line, current)  # newest first: the first date seen is the last change
    return changes
