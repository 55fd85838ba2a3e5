"""The MkDocs plugin: hooks.py (the event hooks), session.py (one build or serve), worker.py (the
second process), site_fixes.py (search split, 404 pages, audit), theme.py, staging.py."""

from .hooks import GlossgenPlugin

__all__ = ["GlossgenPlugin"]
