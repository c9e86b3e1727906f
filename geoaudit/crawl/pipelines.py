"""Item pipeline that streams crawl results into the audit store as they arrive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler

from geoaudit.crawl.items import SitemapItem
from geoaudit.models import PageModel, Probe, SiteFile
from geoaudit.store import PageRow, Store
from geoaudit.timing import stage


class StorePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        out_dir = Path(self.crawler.settings.get("GEOAUDIT_OUTPUT"))
        resume = self.crawler.settings.getbool("GEOAUDIT_RESUME")
        self.store = Store.in_dir(out_dir, fresh=not resume)

    def close_spider(self, spider: Any = None) -> None:
        """Commit and close the store; a second call (after a forced stop) does nothing."""
        if self.store is not None:
            self.store.close()
            self.store = None

    def process_item(self, item: Any, spider: Any = None) -> Any:
        with stage("store"):
            return self._store(item)

    def _store(self, item: Any) -> Any:
        assert self.store is not None
        stats = self.crawler.stats
        if isinstance(item, PageModel):  # a fetch that failed: no extraction worker saw it
            item = PageRow.of(item)
        if isinstance(item, PageRow):
            if self.store.add_page(item):
                stats.inc_value("geoaudit/pages")
                if item.status is None:
                    stats.inc_value("geoaudit/fetch_errors")
        elif isinstance(item, SiteFile):
            self.store.add_sitefile(item)
        elif isinstance(item, Probe):
            self.store.add_probe(item)
        elif isinstance(item, SitemapItem):
            self.store.add_sitemap_entries(item.entries)
        return item
