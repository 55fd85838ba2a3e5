"""Lighthouse (npm, pinned) on the served site in Debian's Chromium: accessibility, SEO and best practices score 100."""

from __future__ import annotations

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from .helpers import LANGUAGES, PROJECT_ROOT

pytestmark = pytest.mark.browser

LIGHTHOUSE = PROJECT_ROOT / "node_modules/.bin/lighthouse"
CHROMIUM_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
                  "--disable-sync --no-first-run")
CATEGORIES = ("accessibility", "seo", "best-practices")
PAGES = {"home": "", "A-Z index": "glossary/", "term page": "glossary/lora/"}


@pytest.fixture(scope="module")
def reports(base_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict]:
    """Every page's Lighthouse report; four audits at a time, each in its own Chromium (they mostly wait)."""
    folder = tmp_path_factory.mktemp("lighthouse")

    def audit(language: str, kind: str) -> dict:
        url = f"{base_url}{'' if language == 'en' else language + '/'}{PAGES[kind]}"
        report = folder / f"{language}-{kind.replace(' ', '-')}.json"
        result = subprocess.run([str(LIGHTHOUSE), url, "--chrome-path=/usr/bin/chromium",
                                 f"--chrome-flags={CHROMIUM_FLAGS}", f"--only-categories={','.join(CATEGORIES)}",
                                 "--output=json", f"--output-path={report}", "--quiet"],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-2000:]
        return json.loads(report.read_text(encoding="utf-8"))

    pages = [(language, kind) for language in LANGUAGES for kind in PAGES]
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(pages, pool.map(lambda page: audit(*page), pages)))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", PAGES)
def test_lighthouse_scores_every_category_100(reports: dict, language: str, kind: str) -> None:
    audited = reports[language, kind]
    scores = {name: round(audited["categories"][name]["score"] * 100) for name in CATEGORIES}
    print(f"lighthouse {language} {kind}: {scores}")
    failing = [(name, ref["id"], audited["audits"][ref["id"]]["title"]) for name in CATEGORIES
               for ref in audited["categories"][name]["auditRefs"]
               if ref["weight"] > 0 and (audited["audits"][ref["id"]]["score"] or 0) < 1
               and audited["audits"][ref["id"]]["scoreDisplayMode"] not in ("notApplicable", "manual", "informative")]
    assert scores == {name: 100 for name in CATEGORIES}, failing
