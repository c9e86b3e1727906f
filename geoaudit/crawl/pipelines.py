"""Item pipeline that streams crawl results into the audit store as they arrive.

A write that fails (a full disk) is recorded in the stats as `geoaudit/store_error`; the spider
then stops the crawl, and the runner ends with the store's one-line reason. A page leaves the
spider's pending pages only here, once stored: one the store could not take, or that a stop
left unwritten, stays pending, so `--resume` fetches it again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler

from geoaudit.crawl.items import PageItem, SitemapItem
from geoaudit.models import Probe, SiteFile
from geoaudit.store import PageRow, Store, StoreError
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
        try:
            self.store = Store.in_dir(out_dir, fresh=not resume)
        except StoreError as exc:
            self._failed(exc)  # the spider then requests nothing

    def close_spider(self, spider: Any = None) -> None:
        """Commit and close the store; a second call (after a forced stop) does nothing."""
        if self.store is not None:
            try:
                self.store.close()
            except StoreError as exc:
                self._failed(exc)
            self.store = None

    def process_item(self, item: Any, spider: Any = None) -> Any:
        with stage("store"):
            try:
                return self._store(item)
            except StoreError as exc:
                self._failed(exc)  # a page stays pending
                return item

    def _failed(self, exc: StoreError) -> None:
        stats = self.crawler.stats
        if not stats.get_value("geoaudit/store_error"):
            stats.set_value("geoaudit/store_error", str(exc))

    def _store(self, item: Any) -> Any:
        if self.store is None:
            return item
        stats = self.crawler.stats
        if isinstance(item, PageItem):
            # A PageModel is a fetch that failed: no extraction worker saw it.
            row = item.page if isinstance(item.page, PageRow) else PageRow.of(item.page)
            if self.store.add_page(row):
                stats.inc_value("geoaudit/pages")
                if row.status is None:
                    stats.inc_value("geoaudit/fetch_errors")
            owner: Any = self.crawler.spider  # a SiteSpider
            owner.pending.pop(item.key, None)
        elif isinstance(item, SiteFile):
            self.store.add_sitefile(item)
            stats.inc_value(f"geoaudit/done/{item.name}")
        elif isinstance(item, Probe):
            self.store.add_probe(item)
            stats.inc_value("geoaudit/done/probe")
        elif isinstance(item, SitemapItem):
            self.store.add_sitemap_entries(item.entries)
        return item
