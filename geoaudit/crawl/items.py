"""Crawl items that are not models of their own (pages and site files are `models` classes)."""

from __future__ import annotations

from dataclasses import dataclass, field

from geoaudit.models import SitemapEntry


@dataclass
class SitemapItem:
    entries: list[SitemapEntry] = field(default_factory=list)
