"""robots.txt reading the crawl needs before the full RFC 9309 analysis of the access checks."""

from __future__ import annotations

import re

_SITEMAP_LINE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


def sitemap_urls(robots_text: str) -> list[str]:
    """`Sitemap:` URLs in file order, without duplicates. Group-independent per RFC 9309."""
    seen: dict[str, None] = {}
    for url in _SITEMAP_LINE.findall(robots_text):
        seen.setdefault(url, None)
    return list(seen)
