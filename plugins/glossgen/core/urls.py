"""Where things live in the built site, relative to its root or absolute under its address."""

from __future__ import annotations

from urllib.parse import urlsplit


def language_prefix(language: str, default_language: str) -> str:
    """The folder of a language's pages: '' for the default language, 'nl/' for Dutch."""
    return "" if language == default_language else f"{language}/"


def page_name(stem: str, language: str, default_language: str) -> str:
    """A generated Markdown file as mkdocs-static-i18n's suffix structure names it: lora.md, lora.nl.md."""
    return f"{stem}.md" if language == default_language else f"{stem}.{language}.md"


def notebook_path(entry_id: str, language: str) -> str:
    """Where an entry's Jupyter notebook lives in the site, relative to its root."""
    return f"{notebook_folder(language)}{entry_id}.ipynb"


def notebook_folder(language: str) -> str:
    """The folder of a language's notebooks in the site: notebooks/nl/."""
    return f"notebooks/{language}/"


def site_base(site_url: str | None) -> str:
    """The site's address with one trailing slash, or '' when it has none."""
    return f"{site_url.rstrip('/')}/" if site_url else ""


def page_url(entry_id: str, language: str, default_language: str, site_url: str | None = None,
             output_dir: str = "glossary") -> str:
    """The entry's page: absolute under `site_url`, else relative to the site root."""
    return f"{site_base(site_url)}{language_prefix(language, default_language)}{output_dir}/{entry_id}/"


#: Domains reserved for examples and tests (RFC 2606, RFC 6761): no published site lives there.
_RESERVED_DOMAINS = ("example", "example.com", "example.net", "example.org", "test", "invalid", "localhost")


def placeholder_address(site_url: str) -> str | None:
    """Why `site_url` cannot be where the site is published, or None if it can be."""
    if not site_url:
        return "is empty"
    host = (urlsplit(site_url).hostname or "").lower()
    if any(host == domain or host.endswith(f".{domain}") for domain in _RESERVED_DOMAINS):
        return "is a placeholder (its domain is reserved for examples)"
    return None
