"""Crawl progress on stderr: the phase, pages done against the budget, rate and ETA.

robots.txt, the sitemaps, the AI-bot probes and the pages are fetched side by side; the phase
named is the first still under way, in that order, so that a crawl waiting on probes or
sitemaps says so instead of "0 pages" (issue 20). One updating line on a terminal, a plain line
every 5 s otherwise (geoaudit/terminal.py)."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from geoaudit.terminal import StatusLine, duration


class Progress:
    def __init__(self, crawler: Crawler, stream: TextIO, budget: int | None = None):
        self.crawler = crawler
        self.status = StatusLine(stream)
        self.budget = budget
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        if not crawler.settings.getbool("GEOAUDIT_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler, sys.stderr)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider: Any) -> None:
        self.budget = getattr(spider, "max_pages", None)
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.report)
        self.loop.start(0.5, now=False)

    def closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.report(final=True)
        self.status.done()

    def _count(self, key: str) -> int:
        return int(self.crawler.stats.get_value(key, 0))

    def phase(self) -> str:
        if not self._count("geoaudit/done/robots.txt"):
            return "robots.txt"
        if self._count("geoaudit/done/sitemap") < self._count("geoaudit/requested/sitemap"):
            return "sitemaps"
        if self._count("geoaudit/done/probe") < self._count("geoaudit/requested/probe"):
            return "probes"
        return "crawl"

    def line(self) -> str:
        done = self._count("geoaudit/pages")
        queued = max(self._count("scheduler/enqueued") - self._count("scheduler/dequeued"), 0)
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = done / elapsed
        # What this crawl will fetch, as far as it knows: done and queued, within the budget.
        total = done + queued if self.budget is None else min(done + queued, self.budget)
        parts = [f"{done}/{total} pages" if total > done else f"{done} pages"]
        if self.budget is not None:
            parts[0] += f" (budget {self.budget})"
        parts.append(f"{queued} queued")
        parts.append(f"{rate:.1f} pages/s")
        if total > done and rate > 0 and done >= 5:
            parts.append(f"ETA {duration((total - done) / rate)}")
        probes = self._count("geoaudit/requested/probe")
        if probes:
            parts.append(f"probes {self._count('geoaudit/done/probe')}/{probes}")
        sitemaps = self._count("geoaudit/requested/sitemap")
        if sitemaps:
            parts.append(f"sitemaps {self._count('geoaudit/done/sitemap')}/{sitemaps}")
        parts.append(f"{self._count('geoaudit/fetch_errors')} errors")
        return " · ".join(parts)

    def report(self, final: bool = False) -> None:
        self.status.show("crawled" if final else self.phase(), self.line(), force=final)
