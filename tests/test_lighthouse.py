"""Lighthouse (npm, pinned) on the served site in Debian's Chromium: accessibility, SEO and best practices score 100."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from .helpers import LANGUAGES, PROJECT_ROOT

pytestmark = pytest.mark.browser

LIGHTHOUSE = PROJECT_ROOT / "node_modules/.bin/lighthouse"
CHROMIUM_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
                  "--disable-sync --no-first-run")
CATEGORIES = ("accessibility", "seo", "best-practices")
PAGES = {"home": "", "A-Z index": "glossary/", "term page": "glossary/lora/"}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", PAGES)
def test_lighthouse_scores_every_category_100(base_url: str, tmp_path: Path, language: str, kind: str) -> None:
    url = f"{base_url}{'' if language == 'en' else language + '/'}{PAGES[kind]}"
    report = tmp_path / "report.json"
    result = subprocess.run([str(LIGHTHOUSE), url, "--chrome-path=/usr/bin/chromium", f"--chrome-flags={CHROMIUM_FLAGS}",
                             f"--only-categories={','.join(CATEGORIES)}", "--output=json", f"--output-path={report}",
                             "--quiet"], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    audited = json.loads(report.read_text(encoding="utf-8"))
    scores = {name: round(audited["categories"][name]["score"] * 100) for name in CATEGORIES}
    print(f"lighthouse {language} {kind}: {scores}")
    failing = [(name, ref["id"], audited["audits"][ref["id"]]["title"]) for name in CATEGORIES
               for ref in audited["categories"][name]["auditRefs"]
               if ref["weight"] > 0 and (audited["audits"][ref["id"]]["score"] or 0) < 1
               and audited["audits"][ref["id"]]["scoreDisplayMode"] not in ("notApplicable", "manual", "informative")]
    assert scores == {name: 100 for name in CATEGORIES}, failing
