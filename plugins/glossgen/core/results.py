"""What the stages hand each other: snippet runs, rendered texts, pages, the finished build."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping, Sequence

from .errors import Problem
from .labels import Labels
from .model import Glossary


@dataclass(frozen=True)
class SnippetRun:
    """What one snippet printed and computed."""

    name: str
    path: Path
    source: str
    output: str
    results: Mapping[str, int | float]
    from_cache: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class RenderedText:
    """One entry's text in one language, its templates run: Markdown ready for a page."""

    term: str
    short: str
    body: str
    aspects: Mapping[str, str] = field(default_factory=dict)
    usage: str | None = None


class RenderedTexts(Mapping[tuple[str, str], RenderedText]):
    """Every entry's rendered text by (entry id, language), with the key each language was rendered for
    and the fields (entry id, language, field) that had to be rendered in this run."""

    def __init__(self, texts: Mapping[tuple[str, str], RenderedText], language_keys: Mapping[str, str], *,
                 rendered: Sequence[tuple[str, str, str]] = ()) -> None:
        self._texts = dict(texts)
        self.language_keys = dict(language_keys)
        self.rendered = tuple(rendered)

    def __getitem__(self, key: tuple[str, str]) -> RenderedText:
        return self._texts[key]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


@dataclass(frozen=True)
class Page:
    """A generated page: its path inside the generated folder and its Markdown."""

    path: str
    content: str


@dataclass(frozen=True)
class ValidGlossary:
    """A glossary that passed every check, with its snippet results and rendered entry texts."""

    glossary: Glossary
    runs: Mapping[str, SnippetRun]
    texts: RenderedTexts
    labels: Mapping[str, Labels] = field(default_factory=dict)  # each language's page words
    warnings: tuple[Problem, ...] = ()  # what is valid but not done, such as unfinished text


#: A file for the site or an export folder: its path there (`notebooks/nl/lora.ipynb`) -> its content.
Downloads = Mapping[str, "str | bytes"]


PRINT_PAGES = "print pages"
DOWNLOADS = "downloads"


@dataclass(frozen=True)
class SiteBuild:
    """Everything glossgen adds to a site: the validated glossary, its pages and its downloads.

    `rendered` and `executed` say what this run made anew (page paths, snippets run);
    a build reused whole from the memory made nothing. A preview build may defer the
    whole-glossary pages and the downloads: `deferred` names what it took unchanged
    from the build before (`PRINT_PAGES`, `DOWNLOADS`), to be made when the author is idle.
    """

    valid: ValidGlossary
    pages: Sequence[Page]
    downloads: Downloads
    rendered: tuple[str, ...] = field(default=(), compare=False)
    executed: int = field(default=0, compare=False)
    reused: bool = field(default=False, compare=False)
    deferred: tuple[str, ...] = field(default=(), compare=False)

    @property
    def glossary(self) -> Glossary:
        return self.valid.glossary

    @property
    def runs(self) -> Mapping[str, SnippetRun]:
        return self.valid.runs
