"""Spider middleware that keeps a bug in one callback from printing a traceback or stopping the
crawl: the error is counted and logged on one line, the crawl goes on."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from scrapy.crawler import Crawler
from scrapy.http import Response

from geoaudit.errors import describe_exception

logger = logging.getLogger(__name__)


class CallbackGuard:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CallbackGuard:
        return cls(crawler)

    def process_spider_exception(
        self, response: Response, exception: Exception, spider: Any = None
    ) -> Iterable[Any]:
        self.crawler.stats.inc_value("geoaudit/internal_errors")
        logger.error("internal error on %s: %s", response.url, describe_exception(exception))
        return []
