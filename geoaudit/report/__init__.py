"""Reporters: render stored results. They never compute scores or judge pages."""

from __future__ import annotations

from typing import Any

from geoaudit.models import PageModel, to_dict

SCHEMA_VERSION = "1.0"


def page_entry(page: PageModel, findings: int) -> dict[str, Any]:
    """A page as report.json and the HTML page table show it."""
    fetch = page.fetch
    return {
        "url": page.url,
        "requested_url": fetch.requested_url,
        "status": fetch.status,
        "error": fetch.error,
        "depth": fetch.depth,
        "found_via": fetch.found_via,
        "content_type": fetch.content_type,
        "size": fetch.size,
        "fetch_ms": fetch.fetch_ms,
        "redirects": [to_dict(r) for r in fetch.redirects],
        "title": page.title,
        "meta_description": page.meta_description,
        "canonical": page.canonical,
        "lang": page.lang,
        "word_count": page.word_count,
        "structured_data_types": page.structured.types,
        "findings": findings,
    }
