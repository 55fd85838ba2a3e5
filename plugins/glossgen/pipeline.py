"""The one way through: settings -> validated glossary -> pages and downloads.

    glossary/*.yml --load--> Glossary --lint--> + snippets/*.py --run--> results
        --texts (sandbox, autolink)--> ValidGlossary --pages, exports, notebooks--> SiteBuild

The MkDocs plugin and the `glossgen` command both call these functions and nothing
below them; neither has a copy of these steps. Every function takes the `Memory` that
lets a rebuild reuse what did not change, and ends its run by closing it, so the
memory keeps exactly what the current inputs need.
"""

from __future__ import annotations

from pathlib import Path
from typing import Collection, Mapping

from .core.errors import GlossaryError, Problem, display_path
from .core.genders import gender_problems, gender_table
from .core.labels import load_labels
from .core.results import DOWNLOADS, PRINT_PAGES, Downloads, SiteBuild, SnippetRun, ValidGlossary
from .core.settings import Settings
from .core.memo import digest
from .memory import Inputs, LastBuild, Memory, code_key, input_key, inputs_seen
from .stages.exports import FORMATS, export_files
from .stages.history import last_changes
from .stages.lint import lint_glossary
from .stages.markup import MarkupCheck, glossary_problems
from .stages.load import read_glossary
from .stages.notebooks import notebook_files
from .stages.pages import PageRenderer, render_pages
from .stages.sandbox import Sandbox
from .stages.snippets import available_snippets, run_snippets, snippet_path
from .stages.texts import check_published, render_texts

#: Everything `export` can write, as `glossgen export` names it.
EXPORT_FORMATS = (*FORMATS, "notebooks")


def validate_glossary(settings: Settings, memory: Memory | None = None) -> ValidGlossary:
    """Load, lint, run snippets and render entry text, reporting every problem found at once."""
    memory = _current(memory)
    try:
        return _validate(settings, memory)
    finally:
        memory.close()


def build_site(settings: Settings, memory: Memory | None = None, *, defer: bool = False) -> SiteBuild:
    """Everything glossgen adds to a site: the validated glossary, its pages and its downloads.

    When the inputs are byte for byte those of the memory's last build, that build is
    the result and nothing runs. With `defer` (a preview after an edit), the
    whole-glossary pages and the downloads of the last build are kept as they were, and
    the result says so (`SiteBuild.deferred`); a build without `defer` makes them again.
    """
    memory = memory if memory is not None else Memory()
    seen = inputs_seen(settings)
    last = memory.last
    if last is not None and memory.seen == seen and (defer or not last.build.deferred):
        return _reused(last.build)
    memory = _current(memory)
    changes = last_changes(settings.glossary_dir, settings.root)
    inputs = memory.inputs = Inputs.read(settings, seen, memory.inputs)  # read once: for the key, then by the loader
    key = digest(input_key(settings, memory.code, inputs), repr(sorted(changes.items())))
    if last is not None and last.key == key and (defer or not last.build.deferred):
        memory.seen = seen
        return _reused(last.build)
    defer = defer and last is not None and last.settings == settings.key()  # the same site, only other text
    try:
        valid = _validate(settings, memory, inputs.contents())
        renderer = PageRenderer(memory.pages, memory.templates)
        pages = render_pages(valid.glossary, valid.runs, valid.texts, valid.labels, settings.default_language, renderer,
                             changes, print_pages=not defer)
        if defer:
            assert last is not None
            pages += [page for page in last.build.pages if _is_print_page(page.path)]
            downloads = last.build.downloads
        else:
            downloads = _downloads(valid, settings, memory, formats=EXPORT_FORMATS)
    finally:
        memory.close()  # a deferred build asks no notebook: that memo is left as it was, for the next full build
    build = SiteBuild(valid, pages, downloads, rendered=tuple(renderer.rendered),
                      executed=sum(not run.from_cache for run in valid.runs.values()),
                      deferred=(PRINT_PAGES, DOWNLOADS) if defer else ())
    memory.last, memory.seen = LastBuild(key, build, settings.key()), seen
    return build


def _is_print_page(path: str) -> bool:
    return path.split(".", 1)[0] == "print"


def export(settings: Settings, memory: Memory | None = None, *, formats: Collection[str] = EXPORT_FORMATS,
           languages: Collection[str] | None = None, execute: bool = False) -> Downloads:
    """The exports in `formats` (and notebooks, executed if asked), by their path in an export folder."""
    memory = _current(memory)
    try:
        valid = _validate(settings, memory)
        return _downloads(valid, settings, memory, formats=formats, languages=languages, execute=execute)
    finally:
        memory.close()


def snippet_results(settings: Settings, memory: Memory | None = None) -> dict[str, SnippetRun]:
    """Every snippet in the snippets folder, run (or taken from the memory)."""
    memory = _current(memory)
    try:
        return run_snippets(settings.snippets_dir, available_snippets(settings.snippets_dir), memo=memory.runs,
                            root=settings.root, timeout=settings.snippet_timeout)
    finally:
        memory.close()


def _validate(settings: Settings, memory: Memory, contents: Mapping[Path, bytes] | None = None) -> ValidGlossary:
    glossary, problems = read_glossary(settings.glossary_dir, settings.languages, settings.root,
                                       genders=gender_table(settings.genders), memo=memory.entries, contents=contents)
    problems += gender_problems(settings.genders, "mkdocs.yml")
    linted = lint_glossary(glossary, memory.lint, settings.spelling)
    labels, found = load_labels(settings.languages, settings.default_language, settings.locale_dir, settings.root)
    linted += found
    warnings = tuple(problem for problem in linted if problem.warning)
    problems += [problem for problem in linted if not problem.warning]
    available = available_snippets(settings.snippets_dir)
    listed: dict[str, None] = {}
    for entry in glossary.entries.values():
        for index, name in enumerate(entry.facts.examples):
            listed[name] = None
            if name not in available:
                shown = display_path(snippet_path(settings.snippets_dir, name), settings.root)
                problems.append(Problem(entry.path, entry.line_of(f"examples.{index}"),
                                        f"example '{name}' has no snippet; add {shown} or fix the name"))
    for name in available:  # only what some entry shows is ever run
        if name not in listed:
            problems.append(Problem(display_path(snippet_path(settings.snippets_dir, name), settings.root), None,
                                    f"snippet '{name}' is not listed under any entry's examples, so it is not run; "
                                    "list it or remove it"))
    try:
        runs = run_snippets(settings.snippets_dir, sorted(name for name in listed if name in available),
                            memo=memory.runs, root=settings.root, timeout=settings.snippet_timeout)
    except GlossaryError as error:
        problems += error.problems
        runs = {}
    if not problems:
        check = MarkupCheck(settings.markdown_extensions, settings.markdown_configs)
        problems += glossary_problems(glossary, check, memory.lint)
        texts, found = render_texts(glossary, runs, check, memo=memory.texts, sandbox=Sandbox(memory.compiled))
        problems += found + check_published(glossary, runs)
    if problems:
        raise GlossaryError(problems)
    return ValidGlossary(glossary, runs, texts, labels, warnings)


def _downloads(valid: ValidGlossary, settings: Settings, memory: Memory, *, formats: Collection[str],
               languages: Collection[str] | None = None, execute: bool = False) -> Downloads:
    """The export files and each language's notebooks, by their path in the site."""
    files: dict[str, str | bytes] = dict(export_files(
        valid, settings.site_url, settings.site_name, default_language=settings.default_language,
        output_dir=settings.output_dir, formats=formats, languages=languages, memo=memory.exports))
    if "notebooks" in formats:
        for language in settings.languages:
            if languages is None or language in languages:
                files.update(notebook_files(valid, language, execute=execute, site_url=settings.site_url or None,
                                            default_language=settings.default_language,
                                            output_dir=settings.output_dir, memo=memory.notebooks))
    return files


def _current(memory: Memory | None) -> Memory:
    """`memory`, emptied if glossgen itself changed since it was made (a template, say)."""
    code = code_key()
    if memory is None:
        return Memory(code)
    if memory.code != code:
        memory.forget(code)
    return memory


def _reused(build: SiteBuild) -> SiteBuild:
    return SiteBuild(build.valid, build.pages, build.downloads, reused=True)

