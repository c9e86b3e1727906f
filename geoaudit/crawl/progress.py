"""Crawl progress on stderr: one updating line on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class Progress:
    def __init__(self, crawler: Crawler, stream: TextIO):
        self.crawler = crawler
        self.stream = stream
        self.tty = stream.isatty()
        self.interval = 0.5 if self.tty else 5.0
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

    def opened(self) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.report)
        self.loop.start(self.interval, now=False)

    def closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.report(final=True)

    def line(self) -> str:
        stats = self.crawler.stats
        done = stats.get_value("geoaudit/pages", 0)
        queued = stats.get_value("scheduler/enqueued", 0) - stats.get_value("scheduler/dequeued", 0)
        errors = stats.get_value("geoaudit/fetch_errors", 0)
        elapsed = max(time.monotonic() - self.started, 1e-6)
        return (
            f"crawled {done} pages, {max(queued, 0)} queued, "
            f"{done / elapsed:.1f} pages/s, {errors} errors"
        )

    def report(self, final: bool = False) -> None:
        if self.tty:
            end = "\n" if final else ""
            self.stream.write(f"\r\x1b[2K{self.line()}{end}")
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()
