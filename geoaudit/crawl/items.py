"""Crawl items that are not models of their own (pages and site files are `models` classes)."""

from __future__ import annotations

from dataclasses import dataclass, field

from geoaudit.models import PageModel, SitemapEntry
from geoaudit.store import PageRow


@dataclass
class SitemapItem:
    entries: list[SitemapEntry] = field(default_factory=list)


@dataclass
class PageItem:
    """A page for the store, with its key in the spider's pending pages: the page leaves them
    only once it is stored, so a stop at any moment leaves it to --resume otherwise."""

    page: PageRow | PageModel
    key: str
