"""robots.txt reading needed by the crawl and the basic checks (protego underneath)."""

from __future__ import annotations

import re

from protego import Protego

_SITEMAP_LINE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


def sitemap_urls(robots_text: str) -> list[str]:
    """`Sitemap:` URLs in file order, without duplicates. Group-independent per RFC 9309."""
    seen: dict[str, None] = {}
    for url in _SITEMAP_LINE.findall(robots_text):
        seen.setdefault(url, None)
    return list(seen)


def robots_allows(robots_text: str, url: str, user_agent: str) -> bool:
    return Protego.parse(robots_text).can_fetch(url, user_agent)
