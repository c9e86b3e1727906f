"""The floor: a bare Scrapy spider that only follows same-site links, with the crawl settings
of a geoaudit audit at the same --concurrency. Run in its own process (Twisted's reactor cannot
restart):

    python -m benchmarks.floor http://127.0.0.1:8000/ 16
"""

from __future__ import annotations

import sys
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.linkextractors import LinkExtractor


class FloorSpider(scrapy.Spider):
    name = "floor"

    def __init__(self, start_url: str, **kwargs: object):
        super().__init__(**kwargs)
        self.start_urls = [start_url]
        parts = urlsplit(start_url)
        self.origin = f"{parts.scheme}://{parts.netloc}/"
        self.links = LinkExtractor()
        self.pages = 0

    def parse(self, response: scrapy.http.Response):
        self.pages += 1
        if not isinstance(response, scrapy.http.TextResponse):
            return
        for link in self.links.extract_links(response):
            if link.url.startswith(self.origin):
                yield response.follow(link.url, callback=self.parse)


def main() -> None:
    url, concurrency = sys.argv[1], int(sys.argv[2])
    process = CrawlerProcess(
        {
            "LOG_ENABLED": False,
            "ROBOTSTXT_OBEY": False,
            "TELNETCONSOLE_ENABLED": False,
            "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
            "AUTOTHROTTLE_ENABLED": False,
            "DOWNLOAD_DELAY": 0,
            # As geoaudit sets it (geoaudit/settings.py): the floor is the cheapest crawl.
            "CONCURRENT_ITEMS": 1,
        }
    )
    crawler = process.create_crawler(FloorSpider)
    process.crawl(crawler, start_url=url)
    process.start()
    print(crawler.spider.pages)


if __name__ == "__main__":
    main()
