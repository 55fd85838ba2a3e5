"""MkDocs glue: run the pipeline once per change and hand its pages to MkDocs.

mkdocs-static-i18n builds the site once per language by re-entering MkDocs' build, so
`on_config` runs four times per build; the pipeline runs only when an input changed
(a fingerprint of file names, sizes and modification times). Generated Markdown is
written into a git-ignored folder inside docs_dir, the one kind of generated page that
mkdocs-static-i18n sorts into languages, and a file is rewritten only when its content
changed. `mkdocs serve` stops watching that folder, so the plugin's own output never
triggers a rebuild; it watches the glossary, the snippets and the templates instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from .config import GlossgenConfig
from .errors import GlossaryError
from .output import fingerprint, write_pages
from .pipeline import GlossaryBuild, Settings, build_glossary

log = get_plugin_logger(__name__)
TEMPLATES_DIR = Path(__file__).parent


class GlossgenPlugin(BasePlugin[GlossgenConfig]):
    def __init__(self) -> None:
        self.build: GlossaryBuild | None = None
        self.inputs: tuple | None = None
        self.failed_inputs: tuple | None = None
        self.serving = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance across `mkdocs serve` rebuilds.
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        settings = self.settings(config)
        inputs = fingerprint([settings.glossary_dir, settings.snippets_dir, TEMPLATES_DIR])
        if inputs not in (self.inputs, self.failed_inputs):
            try:
                build = build_glossary(settings)
            except GlossaryError as error:
                if not (self.serving and self.build):
                    raise PluginError(str(error)) from None
                # While previewing, report and keep serving the last good pages; saving a fix rebuilds.
                # Printed rather than logged: a logged error counts in strict mode and would halt the preview.
                self.failed_inputs = inputs
                for problem in error.problems:
                    print(f"ERROR    -  {problem}", file=sys.stderr, flush=True)
                print("ERROR    -  glossgen: showing the last valid version of the glossary until this is fixed",
                      file=sys.stderr, flush=True)
                return config
            self.build, self.failed_inputs = build, None
            written = write_pages(Path(config.docs_dir) / self.config.output_dir, self.build.pages)
            log.info(f"{len(self.build.glossary.entries)} entries in {len(settings.languages)} languages; "
                     f"{written} generated page(s) updated")
            self.inputs = inputs
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.build is not None
        for run in self.build.runs.values():
            files.append(File.generated(config, f"snippets/{run.path.name}", abs_src_path=str(run.path)))
        return files

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:
        docs = Path(config.docs_dir)
        output = docs / self.config.output_dir
        server.unwatch(str(docs))
        server.watch(str(docs), recursive=False)
        for child in docs.iterdir():
            if child.is_dir() and child != output:
                server.watch(str(child))
        settings = self.settings(config)
        for folder in (settings.glossary_dir, settings.snippets_dir, TEMPLATES_DIR):
            if folder.is_dir():
                server.watch(str(folder))
        return server

    def settings(self, config: MkDocsConfig) -> Settings:
        root = Path(config.config_file_path).parent.resolve()
        languages, default = _languages(config)
        cache = self.config.cache_dir
        return Settings(
            root=root,
            glossary_dir=root / self.config.glossary_dir,
            snippets_dir=root / self.config.snippets_dir,
            cache_dir=root / cache if cache else None,
            languages=languages,
            default_language=default,
            snippet_timeout=float(self.config.snippet_timeout),
        )


def _languages(config: MkDocsConfig) -> tuple[list[str], str]:
    """The site's languages as mkdocs-static-i18n declares them, default first."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        language = config.theme.get("language") or "en"
        return [language], language
    languages = [language.locale for language in i18n.config.languages if language.locale != "null"]
    default = next(language.locale for language in i18n.config.languages if language.default)
    return languages, default
