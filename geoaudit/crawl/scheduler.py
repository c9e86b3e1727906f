"""Scrapy's scheduler, with a disk queue that may fill up.

With a JOBDIR (the crawl's state for --resume) Scrapy pushes each request to a queue on disk;
on a full disk the push raised OSError out of the engine and the crawl hung. Here the request
goes to the memory queue instead, and `geoaudit/store_error` in the stats stops the crawl (the
spider reads it): the request is still pending in the spider's state, so --resume fetches it.

When the crawl ends on such an error, the disk queue is dropped rather than closed: it may end
in a half-written request, and every page request in it is pending in the spider's state
anyway. The crawl's state also keeps a reserve file (RESERVE_BYTES), removed then, so that
the spider's state can still be written on a full disk.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from scrapy import Request
from scrapy.core.scheduler import Scheduler
from twisted.internet.defer import Deferred

RESERVE = "reserve"
RESERVE_BYTES = 256 * 1024  # the state of a crawl of about 2,000 pages


def make_reserve(state: Path) -> None:
    """Set aside RESERVE_BYTES in the crawl's state folder (written, so really allocated)."""
    (state / RESERVE).write_bytes(b"\0" * RESERVE_BYTES)


class DiskFullScheduler(Scheduler):
    def close(self, reason: str) -> Deferred[None] | None:
        assert self.stats is not None
        if self.stats.get_value("geoaudit/store_error") and self.dqdir and self.dqs is not None:
            with contextlib.suppress(OSError):  # the queue goes anyway
                self.dqs.close()
            self.dqs = None
            shutil.rmtree(self.dqdir, ignore_errors=True)
            (Path(self.dqdir).parent / RESERVE).unlink(missing_ok=True)
        return super().close(reason)

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
