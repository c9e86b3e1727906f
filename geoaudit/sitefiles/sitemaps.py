"""XML sitemaps and sitemap indexes (sitemaps.org 0.9), plain or gzipped, bounded in size."""

from __future__ import annotations

from dataclasses import dataclass, field

from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

# sitemaps.org caps a sitemap at 50,000 URLs and 50 MB uncompressed.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 50_000


@dataclass
class ParsedSitemap:
    kind: str  # "urlset", "sitemapindex" or "invalid"
    urls: list[dict[str, str]] = field(default_factory=list)
    error: str | None = None


def parse_sitemap(body: bytes) -> ParsedSitemap:
    """Parse sitemap bytes. Never raises: problems come back in `error`."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body, max_size=MAX_SITEMAP_BYTES)
        except Exception as exc:  # corrupt or oversized gzip is a fact about the site
            return ParsedSitemap("invalid", error=f"cannot decompress: {exc}")
    if not body.lstrip().startswith(b"<"):
        return ParsedSitemap("invalid", error="not XML")
    try:
        sitemap = Sitemap(body)
    except Exception as exc:
        return ParsedSitemap("invalid", error=f"not a sitemap: {exc}")
    if sitemap.type not in ("urlset", "sitemapindex"):
        return ParsedSitemap("invalid", error=f"root element is <{sitemap.type}>")
    parsed = ParsedSitemap(sitemap.type)
    try:
        for entry in sitemap:
            if "loc" in entry:
                parsed.urls.append({k: v for k, v in entry.items() if isinstance(v, str)})
            if len(parsed.urls) >= MAX_ENTRIES:
                parsed.error = f"more than {MAX_ENTRIES} entries; the rest were not read"
                break
    except Exception as exc:
        parsed.error = f"XML error: {exc}"
    return parsed
