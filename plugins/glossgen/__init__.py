"""glossgen: a multilingual glossary of machine-learning terms, built from YAML and NumPy snippets.

The package, floor by floor (an import only goes down; import-linter holds it):

    cli.py, plugin/      the faces: the `glossgen` command and the MkDocs plugin
    config.py            the plugin's options, and Settings derived from a site's mkdocs.yml
    pipeline.py          settings -> validated glossary -> pages and downloads
    memory.py            what a rebuild reuses, and the keys that say when it may
    stages/              load, lint, snippets, sandbox, texts, autolink, pages, translation, exports, notebooks
    core/                errors, model, results, numbers, collation, markdown, labels, memo, files, urls
"""

from importlib.metadata import version

from .core.errors import GlossaryError, Problem
from .core.settings import Settings
from .pipeline import build_site, export, validate_glossary

__version__ = version("glossgen")

__all__ = ["GlossaryError", "Problem", "Settings", "build_site", "export", "validate_glossary", "__version__"]
