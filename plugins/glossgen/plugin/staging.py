"""`mkdocs build` writes into a staging folder that replaces site_dir only when the whole build succeeded."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig


@dataclass(frozen=True)
class Staging:
    site_dir: Path
    staging_dir: Path

    @classmethod
    def start(cls, config: MkDocsConfig) -> Staging:
        """Point the build at `<site_dir>.building`; `publish` moves it into place."""
        site_dir = Path(config.site_dir)
        staging = cls(site_dir, site_dir.with_name(f"{site_dir.name}.building"))
        config.site_dir = str(staging.staging_dir)
        return staging

    def publish(self, *, succeeded: bool) -> None:
        """Replace the site with the freshly built staging folder, or discard it after a failure."""
        if not self.staging_dir.is_dir():
            return
        if not succeeded:
            remove_site(self.staging_dir)
            return
        previous = self.site_dir.with_name(f"{self.site_dir.name}.previous")
        if previous.exists():
            remove_site(previous)
        if self.site_dir.exists():
            self.site_dir.rename(previous)
        self.staging_dir.rename(self.site_dir)
        if previous.exists():
            remove_site(previous)


def remove_site(folder: Path) -> None:
    """Delete a built site: the step a plain `mkdocs build` takes before it starts (it empties site_dir),
    taken here after the build, once the new site has replaced it."""
    shutil.rmtree(folder)
