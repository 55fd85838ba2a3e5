"""The `glossgen` command: the same pipeline as the MkDocs plugin, without MkDocs' build."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from mkdocs.config import load_config
from mkdocs.exceptions import ConfigurationError

from .errors import GlossaryError
from .pipeline import Settings, validate_glossary
from .plugin import GlossgenPlugin
from .snippets import available_snippets, run_snippets


def _settings(config_file: str) -> Settings:
    """Read the glossgen and i18n options from mkdocs.yml, so both faces see the same project."""
    try:
        config = load_config(config_file=config_file)
    except (ConfigurationError, OSError) as error:
        raise click.ClickException(f"{config_file}: {error}") from None
    plugin = config.plugins.get("glossgen")
    if not isinstance(plugin, GlossgenPlugin):
        raise click.ClickException(f"{config_file}: the glossgen plugin is not enabled under 'plugins:'")
    return plugin.settings(config)


config_option = click.option("-f", "--config-file", default="mkdocs.yml", show_default=True,
                             type=click.Path(dir_okay=False), help="The site's mkdocs.yml.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Build and check a multilingual glossary of machine-learning terms."""


@main.command()
@config_option
def validate(config_file: str) -> None:
    """Check every entry, snippet and reference; list every problem found."""
    settings = _settings(config_file)
    try:
        valid = validate_glossary(settings)
    except GlossaryError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(error.problems)} problem(s) found.", err=True)
        sys.exit(1)
    click.echo(f"{len(valid.glossary.entries)} entries in {len(valid.glossary.languages)} languages, "
               f"{len(valid.runs)} snippets: all valid.")


@main.command()
@config_option
def values(config_file: str) -> None:
    """Print every snippet result as JSON, keyed by snippet and result name."""
    settings = _settings(config_file)
    try:
        runs = run_snippets(settings.snippets_dir, available_snippets(settings.snippets_dir),
                            cache_dir=settings.cache_dir, root=settings.root, timeout=settings.snippet_timeout)
    except GlossaryError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    click.echo(json.dumps({name: dict(run.results) for name, run in sorted(runs.items())}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
