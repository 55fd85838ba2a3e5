"""The `glossgen` command: the same pipeline as the MkDocs plugin, without MkDocs' build.

Each command reads the site's settings once (`config.settings_from`, as the plugin does)
and makes one call into the pipeline, with the memory the plugin also keeps, so that
what a build has already checked is not checked again.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from mkdocs.config import load_config
from mkdocs.exceptions import ConfigurationError

from .config import NotConfigured, settings_from
from .core.errors import GlossaryError
from .core.files import OutsideFolder, inside, write_tree
from .core.genders import gender_table
from .core.labels import load_labels, parse_locale
from .core.model import RESERVED_IDS, SLUG
from .core.settings import Settings
from .memory import Memory
from .pipeline import EXPORT_FORMATS, build_site, export as export_downloads, snippet_results
from .stages.load import read_glossary
from .stages.scaffold import new_entry, new_site
from .stages.translation import glossary_status, record_translation, source_fingerprint


def _settings(config_file: str) -> Settings:
    """Read the glossgen and i18n options from mkdocs.yml, so both faces see the same project."""
    try:
        config = load_config(config_file=config_file)
        return settings_from(config)
    except (ConfigurationError, OSError, NotConfigured) as error:
        raise click.ClickException(f"{config_file}: {error}") from None


def _fail(error: GlossaryError) -> None:
    for problem in error.problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(error.problems)} problem(s) found.", err=True)
    sys.exit(1)


def _check_language(settings: Settings, language: str, option: str = "'--lang'") -> str:
    if language not in settings.languages:
        raise click.UsageError(f"Invalid value for {option}: '{language}' is not one of {', '.join(settings.languages)}.")
    return language


config_option = click.option("-f", "--config-file", default="mkdocs.yml", show_default=True,
                             type=click.Path(dir_okay=False), help="The site's mkdocs.yml.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Build and check a multilingual glossary of machine-learning terms."""


@cli.command()
@config_option
def validate(config_file: str) -> None:
    """Check every entry, snippet and reference; list every problem found.

    It runs the whole pipeline, as a build does, and checks where every page and download would be written.
    """
    settings = _settings(config_file)
    memory = Memory.load(settings.cache_dir)
    try:
        build = build_site(settings, memory)
        for page in build.pages:
            inside(*settings.page_source(page.path))
        for relative in build.downloads:
            inside(settings.downloads_dir, relative)
    except GlossaryError as error:
        _fail(error)
    except OutsideFolder as error:
        raise click.ClickException(str(error)) from None
    memory.save(settings.cache_dir)
    for warning in build.valid.warnings:
        click.echo(str(warning), err=True)
    done = f"valid, with {len(build.valid.warnings)} warning(s) above" if build.valid.warnings else "all valid"
    click.echo(f"{len(build.glossary.entries)} entries in {len(build.glossary.languages)} languages, "
               f"{len(build.runs)} snippets: {done}.")


@cli.command()
@config_option
def values(config_file: str) -> None:
    """Print every snippet result as JSON, keyed by snippet and result name."""
    settings = _settings(config_file)
    memory = Memory.load(settings.cache_dir)
    try:
        runs = snippet_results(settings, memory)
    except GlossaryError as error:
        _fail(error)
    memory.save(settings.cache_dir)
    click.echo(json.dumps({name: dict(run.results) for name, run in sorted(runs.items())}, indent=2, ensure_ascii=False))


@cli.command()
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON, for scripts.")
def status(config_file: str, as_json: bool) -> None:
    """Per language: how many concepts are complete, outdated or missing, and which."""
    settings = _settings(config_file)
    glossary, problems = read_glossary(settings.glossary_dir, settings.languages, settings.root,
                                       require_all_languages=False, genders=gender_table(settings.genders))
    statuses = glossary_status(glossary, settings.default_language)
    if as_json:
        report = {"default_language": settings.default_language, "entries": len(glossary.entries),
                  "invalid_files": sorted({problem.path for problem in problems}),
                  "languages": {status.language: status.as_dict() for status in statuses}}
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    for status in statuses:
        click.echo(f"{status.language}: {len(status.complete)} complete, {len(status.unfinished)} unfinished, "
                   f"{len(status.outdated)} outdated, {len(status.missing)} missing")
        for label, ids in (("unfinished", status.unfinished), ("outdated", status.outdated),
                           ("missing", status.missing)):
            if ids:
                click.echo(f"  {label}: {', '.join(ids)}")
    for path in sorted({problem.path for problem in problems}):
        click.echo(f"not counted (invalid, see glossgen validate): {path}", err=True)


@cli.command()
@config_option
@click.argument("entry_id")
@click.argument("languages", nargs=-1, required=True)
def translated(config_file: str, entry_id: str, languages: tuple[str, ...]) -> None:
    """Record that LANGUAGES of ENTRY_ID are up to date with the default-language text."""
    settings = _settings(config_file)
    for language in languages:
        _check_language(settings, language, "LANGUAGES")
        if language == settings.default_language:
            raise click.UsageError(f"'{language}' is the default language; it is not translated from anything.")
    glossary, problems = read_glossary(settings.glossary_dir, settings.languages, settings.root,
                                       require_all_languages=False, genders=gender_table(settings.genders))
    entry = glossary.entries.get(entry_id)
    if entry is None:
        mine = [problem for problem in problems if Path(problem.path).stem == entry_id]
        if mine:
            _fail(GlossaryError(mine))
        raise click.UsageError(f"no entry '{entry_id}' in {settings.glossary_dir.name}/")
    fingerprint = source_fingerprint(entry, settings.default_language)
    for language in languages:
        try:
            record_translation(settings.root / entry.path, language, fingerprint)
        except ValueError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"{entry.path}: {', '.join(languages)} recorded as translated from the current "
               f"{settings.default_language} text ({fingerprint}).")


@cli.command()
@config_option
@click.argument("entry_id")
@click.option("--category", help="Category id from _categories.yml (default: the first one).")
def new(config_file: str, entry_id: str, category: str | None) -> None:
    """Create glossary/ENTRY_ID.yml with every language, ready to fill in."""
    settings = _settings(config_file)
    if not SLUG.fullmatch(entry_id) or entry_id in RESERVED_IDS:
        raise click.UsageError(f"'{entry_id}' is not a usable id; use a lowercase slug such as mixture-of-experts")
    glossary, _ = read_glossary(settings.glossary_dir, settings.languages, settings.root,
                                genders=gender_table(settings.genders))
    categories = list(glossary.categories)
    if category is None and categories:
        category = categories[0]
    if category not in categories:
        raise click.UsageError(f"Invalid value for '--category': '{category}' is not one of {', '.join(categories)}.")
    path = settings.glossary_dir / f"{entry_id}.yml"
    if path.exists():
        raise click.UsageError(f"{path.relative_to(settings.root)} already exists")
    path.write_text(new_entry(entry_id, category, settings.languages, gender_table(settings.genders)), encoding="utf-8")
    shown = path.relative_to(settings.root)
    click.echo(f"Created {shown}. Fill in, for each of {', '.join(settings.languages)}:")
    click.echo("  term, short (one sentence), body; the article (gender) and plural where the language has them;")
    click.echo("  abbr and synonyms where they exist; related, sources and examples at the top.")
    click.echo(f"Then run: glossgen validate, and glossgen translated {entry_id} "
               + " ".join(language for language in settings.languages if language != settings.default_language))


@cli.command()
@config_option
@click.argument("format", type=click.Choice([*EXPORT_FORMATS, "all"]), metavar="FORMAT")
@click.option("--lang", "language", help="Only this language (CSV: as source language). Default: every language.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("exports"), show_default=True,
              help="Folder to write into.")
@click.option("--execute/--no-execute", default=True, show_default=True,
              help="Notebooks: run them in a Jupyter kernel so they carry real outputs.")
def export(config_file: str, format: str, language: str | None, out: Path, execute: bool) -> None:
    """Write the glossary as FORMAT: json, tbx, csv, llms (llms.txt), notebooks, or all of them."""
    settings = _settings(config_file)
    languages = [_check_language(settings, language)] if language else list(settings.languages)
    memory = Memory.load(settings.cache_dir)
    try:
        files = export_downloads(settings, memory, formats=EXPORT_FORMATS if format == "all" else [format],
                                 languages=languages, execute=execute)
    except GlossaryError as error:
        _fail(error)
    memory.save(settings.cache_dir)
    try:
        written, _ = write_tree(out, files)
    except (OSError, OutsideFolder) as error:
        raise click.UsageError(f"Invalid value for '--out': cannot write into {out}: "
                               f"{getattr(error, 'strerror', None) or error}") from None
    click.echo(f"{len(written)} file(s) in {out}/")


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--languages", required=True, help="The site's languages, comma-separated: en,fr,fi.")
@click.option("--default", "default_language", help="The default language (default: the first of --languages).")
@click.option("--site-name", default="Glossary", show_default=True, help="The site's name.")
@click.option("--layout", type=click.Choice(["suffix", "folder"]), default="suffix", show_default=True,
              help="mkdocs-static-i18n's docs_structure: docs/index.fr.md, or docs/fr/index.md.")
def init(folder: Path, languages: str, default_language: str | None, site_name: str, layout: str) -> None:
    """Write a new glossgen site into FOLDER: mkdocs.yml, home pages, an example entry and its snippet."""
    listed = list(dict.fromkeys(language.strip() for language in languages.split(",") if language.strip()))
    for language in listed:
        if parse_locale(language) is None:
            raise click.UsageError(f"Invalid value for '--languages': '{language}' is not a language code CLDR "
                                   "knows (use codes such as en, fr, pt-BR)")
    default = default_language or listed[0]
    if default not in listed:
        raise click.UsageError(f"Invalid value for '--default': '{default}' is not one of {', '.join(listed)}")
    if (folder / "mkdocs.yml").exists():
        raise click.UsageError(f"{folder / 'mkdocs.yml'} already exists; glossgen init starts a new site")
    labels, _ = load_labels(listed, default)
    files, to_write = new_site(listed, default, site_name, labels, gender_table(), layout)
    try:
        written, _ = write_tree(folder, files)
    except (OSError, OutsideFolder) as error:
        raise click.UsageError(f"cannot write into {folder}: {getattr(error, 'strerror', None) or error}") from None
    click.echo(f"Created a glossgen site in {folder}/ ({len(written)} files) in {', '.join(listed)}, default {default}.")
    if to_write:
        click.echo(f"Write the example entry's text in {', '.join(to_write)}: glossary/parameter.yml and "
                   "glossary/_categories.yml hold placeholders there, which the build reports until they are written.")
    missing = [language for language in listed if labels[language].missing]
    if missing:
        click.echo(f"glossgen ships no page words for {', '.join(missing)}; add them in locale/<language>/LC_MESSAGES/"
                   "glossgen.po (see the page 'Use glossgen in your own site').")
    click.echo(f"Then: cd {folder} && make serve (preview), make build (the site, in site/).")


def main() -> None:
    """Entry point: user mistakes are one line on stderr, never a traceback."""
    try:
        cli.main(standalone_mode=False)
    except click.UsageError as error:
        click.echo(f"glossgen: {error.format_message()} (see glossgen --help)", err=True)
        sys.exit(2)
    except click.ClickException as error:
        click.echo(f"glossgen: {error.format_message()}", err=True)
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        sys.exit(1)


if __name__ == "__main__":
    main()
