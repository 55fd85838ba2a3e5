"""A Jupyter notebook per concept with worked examples, per language: its text, a check that NumPy is
installed, its examples and its sources.

A notebook written during a site build carries the outputs the build already has, so no
kernel is needed; `execute=True` runs every notebook in a fresh python3 kernel instead.
Cell ids derive from the entry id and no timestamp is stored, so a rebuild rewrites nothing
that did not change.
"""

from __future__ import annotations

import copy
import os
import re
import tempfile
from importlib.metadata import PackageNotFoundError, version
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Mapping

import nbformat
from nbformat import NotebookNode

from ..core.errors import GlossaryError, Problem
from ..core.memo import Memo, digest
from ..core.model import Entry, Source
from ..core.results import ValidGlossary
from ..core.urls import notebook_path, page_url

KERNEL = "python3"

# What render.markdown_link writes for link() and cite(): `[text](id.md "tooltip")`, `[label](#source-id)`.
_ENTRY_LINK = re.compile(r'\[([^\]]*)\]\(([a-z0-9]+(?:-[a-z0-9]+)*)\.md(?:\s+("[^"]*"))?\)')
_CITATION = re.compile(r"\[([^\]]*)\]\(#source-([a-z0-9]+(?:-[a-z0-9]+)*)\)")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def concept_notebook(valid: ValidGlossary, entry_id: str, language: str, site_url: str | None = None,
                     *, default_language: str = "en", output_dir: str = "glossary",
                     numpy: str | None = None) -> NotebookNode:
    """The notebook of one concept in one language, with the build's snippet outputs (and `numpy`, the
    version its check cell prints: read from the installed package when not given)."""
    entry = valid.glossary.entries[entry_id]
    translation = entry.translations[language]
    text = valid.texts[entry_id, language]
    labels = valid.labels[language]
    sources = valid.glossary.sources

    def markdown(source: str) -> str:
        return _notebook_links(source, sources, site_url, language, default_language, output_dir)

    title = f"# {text.term}" + (f" ({translation.abbr})" if translation.abbr else "")
    cells = [_markdown_cell(f"{title}\n\n{markdown(text.short)}"), _markdown_cell(markdown(text.body).strip()),
             {"cell_type": "code", "execution_count": 1, "metadata": {"glossgen": {"check": "numpy"}},
              "outputs": [{"output_type": "stream", "name": "stdout", "text": f"NumPy {numpy or _numpy_version()}\n"}],
              "source": f"# {labels['notebook_needs_numpy']}\nimport numpy\n\nprint('NumPy', numpy.__version__)"}]
    for count, name in enumerate(entry.facts.examples, start=2):
        run = valid.runs[name]
        cells.append(_markdown_cell(f"## {labels['examples']}: `{run.path.name}`"))
        outputs = [{"output_type": "stream", "name": "stdout", "text": run.output}] if run.output else []
        cells.append({"cell_type": "code", "execution_count": count, "metadata": {"glossgen": {"snippet": name}},
                      "outputs": outputs, "source": run.source})
    if entry.facts.sources:
        listed = "\n".join(f"- {_source_line(sources[source_id])}" for source_id in entry.facts.sources)
        cells.append(_markdown_cell(f"## {labels['sources']}\n\n{listed}"))
    for index, cell in enumerate(cells):
        # Cell ids may hold at most 64 characters of [a-zA-Z0-9-_]; entry ids are slugs.
        cell["id"] = f"{entry_id[:56]}-{index}"
    # Plain dicts, not nbformat's new_*_cell(): those validate every cell against the schema,
    # which dominated the build's time. Notebooks are validated when executed, and in the tests.
    return nbformat.from_dict({"nbformat": 4, "nbformat_minor": 5, "cells": cells, "metadata": {
        "kernelspec": {"name": KERNEL, "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python", "file_extension": ".py", "mimetype": "text/x-python"},
        "glossgen": {"id": entry_id, "language": language},
    }})


def has_notebook(entry: Entry) -> bool:
    """A concept has a notebook when it has worked examples to run."""
    return bool(entry.facts.examples)


def _numpy_version() -> str:
    try:
        return version("numpy")
    except PackageNotFoundError:
        return "(not installed)"


def _markdown_cell(source: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def execute_notebook(notebook: NotebookNode, timeout: int = 60) -> NotebookNode:
    """A copy of `notebook` run top to bottom in a fresh python3 kernel inside a scratch directory."""
    # Imported here: only `glossgen export notebooks` executes, and a site build need not load a kernel client.
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from traitlets.config import Config

    executed = copy.deepcopy(notebook)
    current: dict[str, int] = {}

    def started(cell: NotebookNode, cell_index: int) -> None:
        current["index"] = cell_index

    with tempfile.TemporaryDirectory(prefix="glossgen-notebook-") as scratch:
        workdir = Path(scratch, "work")
        workdir.mkdir()
        # Unix sockets in the scratch folder rather than open TCP ports (ipykernel warns about those).
        config = Config(KernelManager={"transport": "ipc", "ip": str(Path(scratch, "kernel"))}) if os.name == "posix" else Config()
        # No timing metadata and merged streams: two runs of the same code give the same file.
        client = NotebookClient(executed, timeout=timeout, kernel_name=KERNEL, record_timing=False, coalesce_streams=True,
                                store_widget_state=False, on_cell_execute=started, config=config,
                                resources={"metadata": {"path": str(workdir)}})
        try:
            client.execute()
        except CellExecutionError as exc:
            raise _failure(executed, current.get("index"), _error_text(exc, executed, current.get("index"))) from None
        except CellTimeoutError:
            raise _failure(executed, current.get("index"), f"ran longer than the {timeout} s a cell may take") from None
        except DeadKernelError:
            raise _failure(executed, current.get("index"), "the kernel died (out of memory?)") from None
        except NoSuchKernel:
            raise _failure(executed, None, f"no Jupyter kernel '{KERNEL}'; pip install ipykernel") from None
    return executed


def notebook_files(valid: ValidGlossary, language: str, *, execute: bool = False, site_url: str | None = None,
                   default_language: str = "en", output_dir: str = "glossary", timeout: int = 60,
                   memo: Memo[str, Any] | None = None) -> dict[str, str]:
    """Every concept's notebook in `language`, by its path in the site (`notebooks/nl/lora.ipynb`).

    With `execute`, every notebook is run in a kernel first. `memo` keeps a language's
    notebooks by a hash of everything they show (`notebooks_key`), and nbformat's text
    of each notebook by a hash of its content: nbformat's writer is slow.
    """
    options = {"site_url": site_url, "default_language": default_language, "output_dir": output_dir}
    key = None if execute else f"language:{notebooks_key(valid, language, **options)}"
    known = memo.find(key) if memo is not None and key else None
    if known is not None:
        for text_key, text in known.values():  # still current: keep each notebook's text for the next edit
            memo.put(text_key, text)
        return {path: text for path, (_, text) in known.items()}
    numpy = _numpy_version()  # read once: the package metadata costs a millisecond a notebook
    ids = [entry_id for entry_id, entry in valid.glossary.entries.items() if entry.facts.examples]
    if execute:
        executed = _execute_all([concept_notebook(valid, entry_id, language, **options, numpy=numpy)
                                 for entry_id in ids], timeout)
        for notebook in executed:  # built by this module, a notebook is valid by construction; the tests
            nbformat.validate(notebook)  # validate every one
        return {notebook_path(notebook.metadata.glossgen.id, language): _serialized(notebook) for notebook in executed}
    shared = _shared_key(valid, language, numpy, options)
    files = {}
    for entry_id in ids:  # each notebook kept by what it shows: an edit makes again only the notebooks it touches
        text_key = f"notebook:{_notebook_key(valid, entry_id, language, shared)}"

        def make(entry_id: str = entry_id) -> str:
            return _serialized(concept_notebook(valid, entry_id, language, **options, numpy=numpy))

        files[notebook_path(entry_id, language)] = (text_key, memo.get(text_key, make) if memo is not None else make())
    if memo is not None and key:
        memo.put(key, files)
    return {path: text for path, (_, text) in files.items()}


def _shared_key(valid: ValidGlossary, language: str, numpy: str, options: Mapping[str, Any]) -> str:
    """Hash of what every notebook of a language may show: the sources (cited anywhere), its labels, the links."""
    labels = valid.labels[language]
    sources = sorted((source_id, source.model_dump_json()) for source_id, source in valid.glossary.sources.items())
    return digest(language, numpy, repr(sorted(options.items())), repr(sources),
                  repr([labels[name] for name in ("examples", "sources", "notebook_needs_numpy")]))


def _notebook_key(valid: ValidGlossary, entry_id: str, language: str, shared: str) -> str:
    """Hash of everything one concept's notebook shows: its text, abbreviation, sources and examples' runs."""
    entry = valid.glossary.entries[entry_id]
    runs = [(name, valid.runs[name].path.name, valid.runs[name].source, valid.runs[name].output)
            for name in entry.facts.examples]
    return digest(shared, entry_id, repr(valid.texts[entry_id, language]), repr(entry.translations[language].abbr),
                  repr(entry.facts.sources), repr(runs))


def notebooks_key(valid: ValidGlossary, language: str, *, site_url: str | None, default_language: str,
                  output_dir: str) -> str:
    """Hash of everything one language's notebooks show: its texts' key, the snippets' code and output, the links."""
    runs = sorted((name, run.source, run.output) for name, run in valid.runs.items())
    return digest(valid.texts.language_keys[language], repr(runs), repr((site_url, default_language, output_dir)))


def _serialized(notebook: NotebookNode) -> str:
    return nbformat.writes(notebook, version=4) + "\n"


def _execute_all(notebooks: list[NotebookNode], timeout: int) -> list[NotebookNode]:
    """Execute notebooks that have code in parallel kernels; report every failure at once."""

    def one(notebook: NotebookNode) -> NotebookNode | list[Problem]:
        if not any(cell.cell_type == "code" for cell in notebook.cells):
            return notebook  # nothing to run: spare the kernel start-up
        try:
            return execute_notebook(notebook, timeout)
        except GlossaryError as error:
            return error.problems

    workers = max(1, min(len(notebooks), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(one, notebooks))
    problems = [problem for outcome in outcomes if isinstance(outcome, list) for problem in outcome]
    if problems:
        raise GlossaryError(problems)
    return [outcome for outcome in outcomes if isinstance(outcome, NotebookNode)]


def _notebook_links(markdown: str, sources: Mapping[str, Source], site_url: str | None, language: str,
                    default_language: str, output_dir: str) -> str:
    """Site-relative links made absolute (or plain text); citations point at the source itself."""
    def entry_link(match: re.Match[str]) -> str:
        text, entry_id, title = match.groups()
        if site_url is None:
            return text
        url = page_url(entry_id, language, default_language, site_url, output_dir)
        return f"[{text}]({url} {title})" if title else f"[{text}]({url})"

    def citation(match: re.Match[str]) -> str:
        text, source_id = match.groups()
        source = sources.get(source_id)
        return f"[{text}]({source.url})" if source is not None and source.url else text

    return _CITATION.sub(citation, _ENTRY_LINK.sub(entry_link, markdown))


def _source_line(source: Source) -> str:
    """One source as the entry pages list it: authors (year). Title, publisher. Note."""
    parts = []
    if source.authors:
        parts.append(f"{source.authors} ({source.year}). " if source.year else f"{source.authors}. ")
    parts.append(f"[{source.title}]({source.url})" if source.url else f"*{source.title}*")
    if source.publisher:
        parts.append(f", {source.publisher}")
    if not source.authors and source.year:
        parts.append(f", {source.year}")
    parts.append(".")
    if source.note:
        parts.append(f" *{source.note}*")
    return "".join(parts)


def _error_text(exc: Exception, notebook: NotebookNode, index: int | None) -> str:
    """`raised NameError: name 'x' is not defined (line 3)`, the line taken from IPython's traceback."""
    value = " ".join(str(exc.evalue).split())
    count = notebook.cells[index].get("execution_count") if index is not None else None
    lines = re.findall(rf"Cell In\[{count}\], line (\d+)", _ANSI.sub("", exc.traceback)) if count else []
    return f"raised {exc.ename}: {value}" + (f" (line {lines[-1]})" if lines else "")


def _failure(notebook: NotebookNode, index: int | None, what: str) -> GlossaryError:
    info = notebook.metadata.get("glossgen", {})
    entry_id, language = info.get("id", "?"), info.get("language", "?")
    where = ""
    if index is not None:
        snippet = notebook.cells[index].metadata.get("glossgen", {}).get("snippet")
        where = f", cell {index + 1}" + (f" ({snippet}.py)" if snippet else "")
    return GlossaryError([Problem(f"{entry_id}.ipynb", None, f"notebook of concept '{entry_id}' ({language}){where}: {what}")])
