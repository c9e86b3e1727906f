"""Scrapy's scheduler, with a disk queue that may fill up.

With a JOBDIR (the crawl's state for --resume) Scrapy pushes each request to a queue on disk;
on a full disk the push raised OSError out of the engine and the crawl hung. Here the request
goes to the memory queue instead, and `geoaudit/store_error` in the stats stops the crawl (the
spider reads it): the request is still pending in the spider's state, so --resume fetches it.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.core.scheduler import Scheduler


class DiskFullScheduler(Scheduler):
    def _dqpush(self, request: Request) -> bool:
        try:
            return super()._dqpush(request)
        except OSError as exc:
            assert self.stats is not None
            if not self.stats.get_value("geoaudit/store_error"):
                where = self.dqdir or "the crawl's state"
                message = f"cannot write {where}: {exc.strerror}"
                self.stats.set_value("geoaudit/store_error", message)
            return False
