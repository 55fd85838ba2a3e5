"""Fixtures: a fixture site written into tmp_path, built for real; the project's own site, built once.

Tests come in tiers, by marker: unmarked tests run in this process (the fast tier);
`build` tests run real `mkdocs build`/`serve` processes; `browser` tests drive
headless Chromium. `pytest -m "not build and not browser"` runs the fast tier alone.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import PROJECT_ROOT, Site, write_site

#: What a build of the project's own site reads.
PROJECT_FILES = ("mkdocs.yml", "docs", "glossary", "snippets")


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return write_site(tmp_path)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """One real build shared by the read-only tests of a module."""
    site = write_site(tmp_path_factory.mktemp("site"))
    result = site.build()
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's own site, built once with `mkdocs build --strict` from a copy; no warning allowed.

    A copy, so that a test run never writes into the checkout (nor two test processes into one folder).
    """
    project = tmp_path_factory.mktemp("project")
    for name in PROJECT_FILES:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("glossary") if name == "docs" else None)
        else:
            shutil.copy2(source, project / name)
    site_dir = project / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
                            cwd=project, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert not [line for line in result.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))], result.stderr
    return site_dir
