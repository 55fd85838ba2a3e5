"""Results of a benchmark run, the targets they are checked against, and the printed report."""

from __future__ import annotations

import pstats
from dataclasses import asdict, dataclass
from typing import Any, Mapping, Sequence

from measure import LANGUAGES, Run, SiteMetrics
from serve import ServeResult

KB = 1024
MB = 1024 * 1024


@dataclass(frozen=True)
class StageTimes:
    """Where the seconds of one in-process build went (see stages.py for the method)."""

    total: float
    load_validate: float
    snippets_cached: float
    snippets_cold: float
    render: float
    glossgen_import: float     # importing glossgen (and what only it needs) on top of MkDocs
    glossgen: float            # glossgen's import and every glossgen event handler, pipeline included
    second_process: float      # inside those handlers: waiting for the second mkdocs process, moving its output in
    site_removal: float        # inside those handlers: deleting the previous site (MkDocs' clean step, taken after)
    pipeline_runs: int
    language_passes: Mapping[str, float]
    events: Mapping[str, float]  # seconds inside each glossgen event handler
    functions: Mapping[str, float]  # seconds inside each timed glossgen function
    missing: Sequence[str]
    total_cpu: float = float("nan")     # CPU seconds of the build's process over `total`
    glossgen_cpu: float = float("nan")  # CPU seconds of glossgen's import and handlers (without the wait)

    @property
    def other_glossgen(self) -> float:
        return self.glossgen - self.glossgen_import - self.load_validate - self.snippets_cached - self.render

    @property
    def mkdocs(self) -> float:
        return self.total - self.glossgen - self.second_process - self.site_removal

    @property
    def glossgen_share(self) -> float:
        return self.glossgen / self.total

    @property
    def glossgen_cpu_share(self) -> float:
        return self.glossgen_cpu / self.total_cpu

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StageTimes:
        stages = data["stages"]
        snippets = stages.get("snippets", 0.0)
        render_texts = stages.get("render_texts", 0.0)
        return cls(
            total=data["total"],
            load_validate=stages.get("validate_glossary", 0.0) - snippets - render_texts,
            snippets_cached=snippets,
            snippets_cold=data.get("snippets_cold", float("nan")),
            render=render_texts + stages.get("render_pages", 0.0),
            glossgen_import=data.get("glossgen_import", 0.0),
            glossgen=data.get("glossgen_import", 0.0) + sum(data["glossgen_events"].values())
            - stages.get("second_process", 0.0) - stages.get("site_removal", 0.0),
            second_process=stages.get("second_process", 0.0),
            site_removal=stages.get("site_removal", 0.0),
            pipeline_runs=data["calls"].get("pipeline", 0),
            language_passes=data["language_passes"],
            events=data["glossgen_events"],
            functions=stages,
            missing=data["missing"],
            total_cpu=data.get("total_cpu", float("nan")),
            glossgen_cpu=data.get("glossgen_import_cpu", 0.0) + sum(data.get("glossgen_events_cpu", {}).values())
            - data.get("second_process_cpu", 0.0) - data.get("site_removal_cpu", 0.0) if "total_cpu" in data
            else float("nan"),
        )


@dataclass(frozen=True)
class SizeResult:
    concepts: int
    snippets: int
    pages_per_language: int
    cold: Run
    warm: Run
    baseline: Run
    edited: Run  # a build after one entry's English term changed
    stages: StageTimes
    edited_stages: StageTimes  # the stages of a build after such an edit
    baseline_in_process: float  # the baseline's build in-process, measured as stages.total is
    site: SiteMetrics
    baseline_site: SiteMetrics

    @property
    def ratio(self) -> float:
        return self.warm.wall / self.baseline.wall

    @property
    def cpu_ratio(self) -> float:
        return self.warm.cpu / self.baseline.cpu

    @property
    def ms_per_page(self) -> float:
        return 1000 * self.warm.wall / self.pages_per_language

    @property
    def ms_per_concept(self) -> float:
        return 1000 * self.warm.wall / self.concepts

    @property
    def cpu_ms_per_concept(self) -> float:
        return 1000 * self.warm.cpu / self.concepts


@dataclass(frozen=True)
class Target:
    goal: str
    measured: str
    passed: bool | None  # None: not measured in this run

    @property
    def verdict(self) -> str:
        return "n/a" if self.passed is None else "PASS" if self.passed else "FAIL"


def check_targets(results: Mapping[int, SizeResult], serve: ServeResult | None) -> list[Target]:
    """The targets of the performance issue, each judged on this run's figures."""
    at_300, at_1000 = results.get(300), results.get(1000)
    targets = []
    if at_300:
        warm, edited = at_300.stages, at_300.edited_stages
        targets.append(Target("glossgen's own stages < 10% of the build at 300 concepts",
                              f"warm {warm.glossgen_share:.1%} ({warm.glossgen:.1f} of {warm.total:.1f} s; CPU "
                              f"{warm.glossgen_cpu_share:.1%}), edited {edited.glossgen_share:.1%} ({edited.glossgen:.1f}"
                              f" of {edited.total:.1f} s; CPU {edited.glossgen_cpu_share:.1%})",
                              max(warm.glossgen_share, edited.glossgen_share, warm.glossgen_cpu_share,
                                  edited.glossgen_cpu_share) < 0.10))
    else:
        targets.append(Target("glossgen's own stages < 10% of the build at 300 concepts", "300 not measured", None))
    worst = max(max(result.ratio, result.edited.wall / result.baseline.wall) for result in results.values())
    ratios = ", ".join(f"{size}: warm {result.ratio:.2f}x, edited {result.edited.wall / result.baseline.wall:.2f}x"
                       for size, result in sorted(results.items()))
    targets.append(Target("full build (warm and edited) <= 1.10x the plain-Markdown baseline, every size", ratios,
                          worst <= 1.10))
    if serve and serve.concepts == 300:
        targets.append(Target("edit-to-page < 2 s at 300 concepts", f"{serve.edit_to_page_s:.2f} s", serve.edit_to_page_s < 2))
    else:
        measured = f"measured at {serve.concepts} concepts only: {serve.edit_to_page_s:.2f} s" if serve else "not measured"
        targets.append(Target("edit-to-page < 2 s at 300 concepts", measured, None))
    if at_300 and at_1000:
        growth = at_1000.ms_per_concept / at_300.ms_per_concept
        cpu_growth = at_1000.cpu_ms_per_concept / at_300.cpu_ms_per_concept
        targets.append(Target("time per concept from 300 to 1,000 grows <= 15%",
                              f"{at_300.ms_per_concept:.0f} -> {at_1000.ms_per_concept:.0f} ms: x{growth:.2f} "
                              f"(CPU x{cpu_growth:.2f})", growth <= 1.15))
    else:
        targets.append(Target("time per concept from 300 to 1,000 grows <= 15%", "needs sizes 300 and 1000", None))
    if at_1000:
        size = at_1000.site.term_page_median_bytes
        targets.append(Target("term page HTML < 40 KB at 1,000 concepts", f"{size / KB:.1f} KB median", size < 40 * KB))
    else:
        targets.append(Target("term page HTML < 40 KB at 1,000 concepts", "1000 not measured", None))
    return targets


def _seconds(value: float) -> str:
    return f"{value:.2f}"


def _share(part: float, whole: float) -> str:
    return f"{part:.2f} ({part / whole:.1%})"


def size_rows(results: Sequence[SizeResult]) -> list[tuple[str, list[str]]]:
    """(label, one cell per size) for every figure of the table."""
    def row(label: str, cell: Any) -> tuple[str, list[str]]:
        return label, [cell(result) for result in results]

    def indexes(result: SizeResult) -> str:
        return " / ".join(f"{result.site.search_index_bytes.get(language, 0) / KB:.0f}" for language in LANGUAGES)

    def passes(result: SizeResult) -> str:
        return " / ".join(f"{1000 * result.stages.language_passes.get(language, float('nan')) / result.pages_per_language:.0f}"
                          for language in LANGUAGES)

    return [
        row("concepts", lambda r: f"{r.concepts:,}"),
        row("snippets (worked examples)", lambda r: f"{r.snippets}"),
        row("pages per language", lambda r: f"{r.pages_per_language:,}"),
        row("cold build: wall s", lambda r: _seconds(r.cold.wall)),
        row("cold build: CPU s", lambda r: _seconds(r.cold.cpu)),
        row("cold build: peak RSS MiB", lambda r: f"{r.cold.peak_rss_mib:.0f}"),
        row("warm build: wall s", lambda r: _seconds(r.warm.wall)),
        row("warm build: CPU s", lambda r: _seconds(r.warm.cpu)),
        row("warm build: peak RSS MiB", lambda r: f"{r.warm.peak_rss_mib:.0f}"),
        row("baseline build: wall s", lambda r: _seconds(r.baseline.wall)),
        row("baseline build: CPU s", lambda r: _seconds(r.baseline.cpu)),
        row("baseline build: peak RSS MiB", lambda r: f"{r.baseline.peak_rss_mib:.0f}"),
        row("warm / baseline: wall (CPU)", lambda r: f"{r.ratio:.2f}x ({r.cpu_ratio:.2f}x)"),
        row("edited build (one term changed): wall s", lambda r: _seconds(r.edited.wall)),
        row("edited build: CPU s", lambda r: _seconds(r.edited.cpu)),
        row("edited / baseline: wall (CPU)",
            lambda r: f"{r.edited.wall / r.baseline.wall:.2f}x ({r.edited.cpu / r.baseline.cpu:.2f}x)"),
        row("ms per page per language (warm wall)", lambda r: f"{r.ms_per_page:.0f}"),
        row("ms per concept (warm wall)", lambda r: f"{r.ms_per_concept:.0f}"),
        row("ms per page, language pass en/nl/sv/de", passes),
        row("in-process warm build s", lambda r: _seconds(r.stages.total)),
        row("  glossgen: import s", lambda r: _share(r.stages.glossgen_import, r.stages.total)),
        row("  glossgen: load + validate s", lambda r: _share(r.stages.load_validate, r.stages.total)),
        row("  glossgen: snippets, cached s", lambda r: _share(r.stages.snippets_cached, r.stages.total)),
        row("  glossgen: render s", lambda r: _share(r.stages.render, r.stages.total)),
        row("  glossgen: other hooks s", lambda r: _share(r.stages.other_glossgen, r.stages.total)),
        row("  glossgen: all stages s", lambda r: _share(r.stages.glossgen, r.stages.total)),
        row("  glossgen: all stages, CPU s", lambda r: _share(r.stages.glossgen_cpu, r.stages.total_cpu)),
        row("  MkDocs + material + i18n s", lambda r: _share(r.stages.mkdocs, r.stages.total)),
        row("  waiting for the second process s", lambda r: _share(r.stages.second_process, r.stages.total)),
        row("  deleting the previous site s", lambda r: _share(r.stages.site_removal, r.stages.total)),
        row("  glossgen pipeline runs per build", lambda r: f"{r.stages.pipeline_runs}"),
        row("in-process edited build s", lambda r: _seconds(r.edited_stages.total)),
        row("  glossgen: load + validate s", lambda r: _share(r.edited_stages.load_validate, r.edited_stages.total)),
        row("  glossgen: render s", lambda r: _share(r.edited_stages.render, r.edited_stages.total)),
        row("  glossgen: all stages s", lambda r: _share(r.edited_stages.glossgen, r.edited_stages.total)),
        row("  glossgen: all stages, CPU s",
            lambda r: _share(r.edited_stages.glossgen_cpu, r.edited_stages.total_cpu)),
        row("baseline in-process build s", lambda r: _seconds(r.baseline_in_process)),
        row("snippets, cold (not in warm build) s", lambda r: _seconds(r.stages.snippets_cold)),
        row("site size MB: glossgen / baseline",
            lambda r: f"{r.site.total_bytes / MB:.1f} / {r.baseline_site.total_bytes / MB:.1f}"),
        row("term page HTML median KB: glossgen / base",
            lambda r: f"{r.site.term_page_median_bytes / KB:.1f} / {r.baseline_site.term_page_median_bytes / KB:.1f}"),
        row("search index KB en / nl / sv / de", indexes),
        row("baseline search index KB (merged)",
            lambda r: f"{r.baseline_site.search_index_bytes.get('merged', 0) / KB:.0f}"),
    ]


def aligned(header: Sequence[str], rows: Sequence[tuple[str, Sequence[str]]]) -> str:
    """Plain-text table: first column left-aligned, the others right-aligned."""
    columns = [[header[0], *(label for label, _ in rows)]]
    for index in range(1, len(header)):
        columns.append([header[index], *(cells[index - 1] for _, cells in rows)])
    widths = [max(len(cell) for cell in column) for column in columns]
    lines = []
    for line_index in range(len(rows) + 1):
        cells = [columns[0][line_index].ljust(widths[0])]
        cells += [column[line_index].rjust(width) for column, width in zip(columns[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
        if line_index == 0:
            lines.append("-" * len(lines[0]))
    return "\n".join(lines)


def format_report(results: Sequence[SizeResult], serve: ServeResult | None, targets: Sequence[Target],
                  header_notes: Sequence[str]) -> str:
    parts = list(header_notes)
    parts.append("")
    parts.append(aligned(["figure", *(f"{result.concepts:,} concepts" for result in results)], size_rows(results)))
    missing = sorted({name for result in results for name in result.stages.missing})
    if missing:
        parts.append(f"\nnot timed (no longer in glossgen): {', '.join(missing)}")
    if serve:
        parts += ["", f"serve loop at {serve.concepts:,} concepts (mkdocs serve --no-strict, as `make serve`; one English term edited):",
                  aligned(["figure", "value"], [
                      ("server start to term page served s", [_seconds(serve.first_page_s)]),
                      ("edit to page showing the change s", [_seconds(serve.edit_to_page_s)]),
                      ("edit to rebuild done (browser reload) s", [_seconds(serve.edit_to_reload_s)]),
                      ("generated Markdown files rewritten", [f"{serve.generated_rewritten} of {serve.generated_total}"]),
                  ])]
    parts += ["", "targets:", aligned(["target", "measured", "verdict"],
                                       [(target.goal, [target.measured, target.verdict]) for target in targets])]
    return "\n".join(parts)


def as_json(results: Sequence[SizeResult], serve: ServeResult | None, targets: Sequence[Target],
            metadata: Mapping[str, Any]) -> dict[str, Any]:
    def size(result: SizeResult) -> dict[str, Any]:
        data = asdict(result)
        for name in ("stages", "edited_stages"):
            stages = getattr(result, name)
            data[name].update(other_glossgen=stages.other_glossgen, mkdocs=stages.mkdocs,
                              glossgen_share=stages.glossgen_share, glossgen_cpu_share=stages.glossgen_cpu_share)
        data.update(edited_ratio=result.edited.wall / result.baseline.wall)
        data.update(ratio=result.ratio, cpu_ratio=result.cpu_ratio, ms_per_page=result.ms_per_page,
                    ms_per_concept=result.ms_per_concept)
        return data

    return {
        "metadata": dict(metadata),
        "sizes": [size(result) for result in results],
        "serve": asdict(serve) if serve else None,
        "targets": [{**asdict(target), "verdict": target.verdict} for target in targets],
    }


PACKAGE_MARKERS = (
    ("mkdocs_static_i18n", "/mkdocs_static_i18n/"), ("material", "/site-packages/material/"),
    ("mkdocs", "/site-packages/mkdocs/"), ("markdown", "/site-packages/markdown/"), ("pymdownx", "/pymdownx/"),
    ("jinja2", "/jinja2/"), ("pygments", "/pygments/"), ("yaml", "/yaml/"), ("babel", "/babel/"),
    ("pydantic", "/pydantic"), ("markupsafe", "/markupsafe/"),
)


def package_of(filename: str, glossgen_dir: str) -> str:
    if filename.startswith(glossgen_dir):
        return "glossgen"
    if filename == "~" or filename.startswith("<"):
        return "builtins"
    for package, marker in PACKAGE_MARKERS:
        if marker in filename:
            return package
    return "other" if "site-packages" in filename else "stdlib"


#: MkDocs functions that only dispatch to everything else (and all of mkdocs/plugins.py); listing them says nothing.
DISPATCHERS = frozenset({"build", "_build", "__call__"})


def hot_spots(profile: str, glossgen_dir: str, top: int = 15) -> str:
    """Self time per package, and the functions with the most cumulative time in glossgen and in MkDocs."""
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    total = sum(own for (_, _, own, _, _) in stats.values())
    by_package: dict[str, float] = {}
    for (filename, _, _), (_, _, own, _, _) in stats.items():
        package = package_of(filename, glossgen_dir)
        by_package[package] = by_package.get(package, 0.0) + own

    def listing(packages: set[str]) -> list[tuple[str, list[str]]]:
        chosen = [(key, value) for key, value in stats.items()
                  if package_of(key[0], glossgen_dir) in packages and key[2] not in DISPATCHERS
                  and not key[0].endswith("mkdocs/plugins.py") and not key[2].startswith("on_post_build")]
        chosen.sort(key=lambda item: item[1][3], reverse=True)
        return [(f"{package_of(filename, glossgen_dir)}: {_short(filename)}:{line} {name}",
                 [f"{value[3]:.2f}", f"{value[3] / total:.1%}", f"{value[2]:.2f}", f"{value[1]:,}"])
                for (filename, line, name), value in chosen[:top]]

    header = ["function", "cum s", "cum %", "own s", "calls"]
    return "\n".join([
        f"profiled build: {total:.1f} s under cProfile (profiling slows Python-heavy code more than C code)",
        "", "self time by package:",
        aligned(["package", "own s", "%"], [(package, [f"{seconds:.2f}", f"{seconds / total:.1%}"])
                                            for package, seconds in sorted(by_package.items(), key=lambda kv: -kv[1])]),
        "", "glossgen, by cumulative time:", aligned(header, listing({"glossgen"})),
        "", "MkDocs / material / i18n, by cumulative time (dispatchers left out):",
        aligned(header, listing({"mkdocs", "material", "mkdocs_static_i18n"})),
    ])


def _short(filename: str) -> str:
    for marker in ("/site-packages/", "/glossgen-snapshot/", "/plugins/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename.rsplit("/", 1)[-1]
