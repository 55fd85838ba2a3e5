"""Entry text is a template run in Jinja's sandbox with a handful of functions.

Authors write `{{ n("dense_layer.total") }}` or `{{ approx("llama2.total_70b") }}` for
figures, `{{ link("weights") }}` for another concept and `{{ cite("hu2021") }}` for a
source. That is all a text may hold: before anything runs, the template's syntax tree
is checked to be text and calls of those functions with constant arguments, so no text
can build markup out of pieces, loop, recurse or compute a huge number. Anything else
is a located error.

Texts are loaded by name, the hash of their text, so that Jinja's bytecode cache can
keep their compiled form in a memo between runs; compiling dominates otherwise.
"""

from __future__ import annotations

import hashlib
import re
import sys
import traceback
from decimal import Decimal
from types import MappingProxyType
from typing import Callable, Mapping

from babel.units import format_unit
from jinja2 import FunctionLoader, StrictUndefined, Template, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..core import numbers
from ..core.errors import Problem
from ..core.markdown import markdown_link
from ..core.memo import Memo, MemoBytecodeCache
from ..core.model import Entry, Glossary, Source
from ..core.results import SnippetRun

_TEMPLATE_SYNTAX = re.compile(r"\{[{%#]")


class Sandbox:
    """The environment entry text runs in: Jinja's immutable sandbox, with no globals.

    Each distinct text is compiled once per sandbox; `memo` keeps the compiled form
    between runs, so a rebuild compiles only what was edited.
    """

    def __init__(self, memo: Memo[str, bytes] | None = None) -> None:
        self._sources: dict[str, str] = {}
        self._templates: dict[str, Template] = {}
        self.environment = ImmutableSandboxedEnvironment(
            undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True,
            loader=FunctionLoader(self._sources.get),
            bytecode_cache=MemoBytecodeCache(memo) if memo is not None else None)
        self.environment.globals.clear()  # no range(), cycler, lipsum ...: entry text sees only its own functions

    def compile(self, source: str) -> Template:
        template = self._templates.get(source)
        if template is None:
            name = hashlib.sha256(source.encode("utf-8")).hexdigest()
            self._sources[name] = source
            try:
                template = self._templates[source] = self.environment.get_template(name)
            finally:
                del self._sources[name]
        return template

    def render(self, source: str, functions: Mapping[str, Callable[..., str]], *, path: str,
               first_line: int | None, field: str) -> str | Problem:
        """Render one text field; on failure return a Problem located at the line in the YAML file."""

        def located(lineno: int | None) -> int | None:
            if first_line is None:
                return None
            return first_line + (lineno - 1 if lineno else 0)

        if not _TEMPLATE_SYNTAX.search(source):
            return source  # plain text: nothing to run
        try:
            refused = self.refused(source, functions)
            if refused:
                line, what = refused
                return Problem(path, located(line), f"{field}: {what} is not allowed in entry text; write calls such as "
                               f"{{{{ n(\"snippet.result\") }}}} with quoted arguments, one of "
                               f"{', '.join(sorted(functions))}")
            return self.compile(source).render(**functions)
        except TemplateSyntaxError as exc:
            return Problem(path, located(exc.lineno), f"{field}: template syntax error: {exc.message}")
        except TextProblem as exc:
            return Problem(path, located(_template_line()), f"{field}: {exc}")
        except TemplateError as exc:
            return Problem(path, located(_template_line()),
                           f"{field}: {exc.message or exc}; entry text may only call {', '.join(sorted(functions))}")
        except (TypeError, ValueError, ArithmeticError) as exc:
            return Problem(path, located(_template_line()), f"{field}: {exc}")


    def refused(self, source: str, functions: Mapping[str, object]) -> tuple[int, str] | None:
        """The line and kind of the first construct in `source` that is not text or an allowed call."""
        for node in self.environment.parse(source).body:
            if not isinstance(node, nodes.Output):
                return node.lineno, _describe(node)
            for part in node.nodes:
                if isinstance(part, nodes.TemplateData):
                    continue
                if not (isinstance(part, nodes.Call) and isinstance(part.node, nodes.Name) and part.node.name in functions):
                    return part.lineno, _describe(part)
                if part.dyn_args is not None or part.dyn_kwargs is not None:
                    return part.lineno, "a call with *arguments or **arguments"
                for argument in (*part.args, *(keyword.value for keyword in part.kwargs)):
                    if not (isinstance(argument, nodes.Const) and type(argument.value) in (str, int)):
                        return argument.lineno, f"{_describe(argument)} as an argument"
        return None


_STATEMENTS = MappingProxyType({"Assign": "set", "AssignBlock": "set", "CallBlock": "call", "FilterBlock": "filter",
               "FromImport": "from", "ExprStmt": "do", "ScopedEvalContextModifier": "autoescape"})


def _describe(node: nodes.Node) -> str:
    """A node of entry text as its author would name it."""
    if isinstance(node, nodes.Output):
        return "text"
    if isinstance(node, nodes.Stmt):
        keyword = _STATEMENTS.get(type(node).__name__, type(node).__name__.lower())
        return f"a {{% {keyword} %}} statement"
    if isinstance(node, nodes.Const):
        return f"the constant {node.value!r}" if len(repr(node.value)) <= 40 else "a constant"
    if isinstance(node, nodes.Name):
        return f"the name '{node.name}'"
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
        return f"a call of '{node.node.name}'"
    if isinstance(node, nodes.Getattr):
        return f"the attribute '{node.attr}'"
    if isinstance(node, nodes.Filter):
        return f"the filter '{node.name}'"
    if isinstance(node, (nodes.BinExpr, nodes.Concat, nodes.UnaryExpr)):
        return "an operator"
    return f"a {type(node).__name__.lower()} expression"


class TextProblem(Exception):
    """A mistake in entry text that the author must fix (bad reference, bad call)."""


def result_value(runs: Mapping[str, SnippetRun], ref: object) -> int | float:
    if not isinstance(ref, str) or ref.count(".") != 1:
        raise TextProblem(f"'{ref}' is not a result reference; write \"snippet.result\", e.g. \"dense_layer.total\"")
    snippet, name = ref.split(".")
    if snippet not in runs:
        known = ", ".join(sorted(runs)) or "(none)"
        raise TextProblem(f"unknown snippet '{snippet}' in \"{ref}\"; snippets: {known}")
    results = runs[snippet].results
    if name not in results:
        raise TextProblem(f"snippet '{snippet}' has no result '{name}'; its results: {', '.join(sorted(results))}")
    return results[name]


def source_label(source: Source) -> str:
    """Author and year, as an author-date citation names a source: 'Hu et al., 2021', 'SemiAnalysis, 2023'."""
    who = source.authors or source.publisher or source.title
    return f"{who}, {source.year}" if source.year else who


# What cite() writes, and two of them side by side: joined into one pair of parentheses.
_CITATION = r"\[[^\]]+\]\(#source-[a-z0-9-]+\)"
_NEIGHBOURS = re.compile(rf"\(({_CITATION}(?:; {_CITATION})*)\)[ \t]*\((?={_CITATION})")


def join_citations(markdown: str) -> str:
    """'(A, 2020) (B, 2021)' as '(A, 2020; B, 2021)', the author-date way of citing two sources at once."""
    while True:
        joined = _NEIGHBOURS.sub(lambda match: f"({match.group(1)}; ", markdown)
        if joined == markdown:
            return markdown
        markdown = joined


def text_functions(glossary: Glossary, runs: Mapping[str, SnippetRun], entry: Entry, language: str,
                   tooltips: Mapping[tuple[str, str], str]) -> dict[str, Callable[..., str]]:
    """The functions entry text may call, bound to one entry and one language.

    `tooltips` holds the plain-text short definitions rendered so far, keyed by (id, language).
    """

    def digits_arg(digits: object) -> int:
        if not isinstance(digits, int) or isinstance(digits, bool) or not 1 <= digits <= 15:
            raise TextProblem(f"digits must be a whole number from 1 to 15, not {digits!r}")
        return digits

    def n(ref: str) -> str:
        return numbers.exact(result_value(runs, ref), language)

    def approx(ref: str, digits: int = 2) -> str:
        return numbers.approx(result_value(runs, ref), language, digits_arg(digits))

    def percent(ref: str, digits: int = 2) -> str:
        return numbers.percent(result_value(runs, ref), language, digits_arg(digits))

    def gigabytes(ref: str, digits: int = 3) -> str:
        value = numbers.round_significant(Decimal(result_value(runs, ref)) / Decimal(10) ** 9, digits_arg(digits))
        return format_unit(value, "digital-gigabyte", length="short", locale=language)

    def link(entry_id: str, text: str | None = None) -> str:
        target = glossary.entries.get(entry_id)
        if target is None:
            raise TextProblem(f"link to unknown entry '{entry_id}'; use an id from glossary/")
        term = target.translations[language].term
        tooltip = tooltips.get((entry_id, language))  # read first: it records what this text reads of the target
        if text is not None and text.casefold() not in {form.casefold() for form in target.forms_of(language)}:
            raise TextProblem(f"link text '{text}' is not a declared form of '{entry_id}' in {language}; write "
                              f"one of {', '.join(repr(form) for form in target.forms_of(language))}, or add it "
                              f"to {entry_id}'s {language}.forms")
        return markdown_link(text or term, f"{entry_id}.md", tooltip)

    def cite(source_id: str) -> str:
        if source_id not in entry.facts.sources:
            raise TextProblem(f"cite('{source_id}'): add '{source_id}' to the entry's sources first")
        return f"([{source_label(glossary.sources[source_id])}](#source-{source_id}))"

    return {"n": n, "approx": approx, "percent": percent, "gigabytes": gigabytes, "link": link, "cite": cite}


def _template_line() -> int | None:
    """Line inside the template being rendered, from the active traceback."""
    for frame in reversed(traceback.extract_tb(sys.exc_info()[2])):
        if frame.filename == "<template>":
            return frame.lineno
    return None
