"""Fixtures: a fixture site written into tmp_path, built for real; the project's own site, built once.

Tests come in tiers, by marker: unmarked tests run in this process (the fast tier);
`build` tests run real `mkdocs build`/`serve` processes; `browser` tests drive
headless Chromium. `pytest -m "not build and not browser"` runs the fast tier alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from .helpers import Site, build_project, serve_folder, write_site


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
    """The project's own site, built once from a copy with `mkdocs build --strict`; no warning allowed."""
    site_dir = tmp_path_factory.mktemp("project") / "site"
    build_project(site_dir)
    return site_dir


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The project's site served on 127.0.0.1, built for that address (as GLOSSGEN_SITE_URL does for the real one)."""
    site_dir = tmp_path_factory.mktemp("served") / "site"
    site_dir.mkdir()
    with serve_folder(site_dir) as address:
        build_project(site_dir, address)
        yield address
