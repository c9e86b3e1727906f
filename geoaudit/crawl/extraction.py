"""Extraction off the reactor: worker processes turn fetched pages into stored rows while Scrapy
goes on fetching.

Parsing and measuring a page costs several times what fetching it does, and on Twisted's one
thread it would stall every download in flight. The spider hands each response's bytes to a
worker and awaits the result; the worker builds the `PageModel`, serialises it as the store
keeps it, and returns that row with the links the crawl follows. The crawl's process only
inserts rows, so SQLite keeps a single writer. Backpressure is Scrapy's own: a response stays in
the scraper until its page comes back, and Scrapy stops downloading when too many bytes wait.

Workers fork when the spider is built, before the reactor starts its threads. A worker that
dies (a crash in a parser, the kernel's OOM killer) costs the pages it held an error record
each, and a fresh pool takes the rest.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

from geoaudit import timing
from geoaudit.errors import describe_exception
from geoaudit.extract import build_page
from geoaudit.models import FetchRecord, PageModel
from geoaudit.store import PageRow

logger = logging.getLogger(__name__)

WORKER_DIED = (
    "internal error: the extraction worker stopped (a crash or out of memory) on this page "
    "or one extracted beside it"
)


@dataclass
class ExtractedPage:
    """A page as a worker hands it back: its stored row, and what the crawl needs to go on."""

    row: PageRow
    # Every http(s) link in page order, and whether the crawl may follow them (HTML that
    # loaded, without nofollow).
    links: list[str] = field(default_factory=list)
    follow: bool = False
    cpu: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, page: PageModel) -> ExtractedPage:
        return cls(
            PageRow.of(page),
            [link.url for link in page.links],
            page.is_html_ok and not page.directives() & {"nofollow", "none"},
        )


def extract_page(fetch: FetchRecord, body: bytes, encoding: str | None) -> ExtractedPage:
    """In a worker: build the page model and serialise it, with the CPU seconds each took."""
    try:
        page = build_page(fetch, body, encoding)
    except Exception as exc:  # one odd page must never cost the crawl or its record
        page = PageModel(fetch=fetch, parse_error=f"internal error: {describe_exception(exc)}")
    with timing.stage("store"):
        extracted = ExtractedPage.of(page)
    extracted.cpu = timing.take()
    return extracted


def default_workers() -> int:
    """One worker per core: the crawl's process waits on the network much of the time, and on
    2 cores two workers crawled 3,000 pages in 23.0 s where one took 27.0 s. Past 8, the 16
    requests in flight leave workers idle."""
    return min(os.cpu_count() or 1, 8)


PR_SET_PDEATHSIG = 1


def _worker_init() -> None:
    # Ctrl-C reaches the whole process group; the crawl's process stops gracefully and still
    # needs its workers to finish the pages in hand.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker dies with the crawl's process, even a `kill -9`ed one (Linux).
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _ready(_: int) -> int:
    return os.getpid()


def _context() -> Any:
    # fork: a worker starts in milliseconds with the parsers already imported. Elsewhere the
    # platform's default (spawn on macOS and Windows).
    return multiprocessing.get_context("fork") if sys.platform == "linux" else None


class ExtractionPool:
    def __init__(self, workers: int):
        self.workers = workers
        self._executor = self._start()
        self._broken: ProcessPoolExecutor | None = None

    def _start(self) -> ProcessPoolExecutor:
        executor = ProcessPoolExecutor(
            self.workers, mp_context=_context(), initializer=_worker_init
        )
        # Start every worker now (one task each is not guaranteed, so ask until all answered).
        pids: set[int] = set()
        while len(pids) < self.workers:
            pids.update(executor.map(_ready, range(self.workers * 4)))
        return executor

    def submit(
        self, fetch: FetchRecord, body: bytes, encoding: str | None
    ) -> Future[ExtractedPage]:
        """The page, extracted by a worker; never an exception. When a worker dies, each page
        it took down comes back as an error record, and the next page starts a fresh pool."""
        if self._broken is self._executor:
            logger.warning("an extraction worker died; starting a new one")
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = self._start()
        executor = self._executor
        done: Future[ExtractedPage] = Future()

        def settle(work: Future[ExtractedPage]) -> None:
            error = work.exception()
            if error is None:
                done.set_result(work.result())
                return
            if isinstance(error, BrokenProcessPool):
                self._broken = executor
                reason = WORKER_DIED
            else:  # the page could not travel to or from the worker
                reason = f"internal error: {describe_exception(error)}"
            done.set_result(ExtractedPage.of(PageModel(fetch=fetch, parse_error=reason)))

        try:
            executor.submit(extract_page, fetch, body, encoding).add_done_callback(settle)
        except BrokenProcessPool:
            self._broken = executor
            return self.submit(fetch, body, encoding)
        return done

    async def extract(self, fetch: FetchRecord, body: bytes, encoding: str | None) -> ExtractedPage:
        """`submit`, awaited from a Scrapy callback."""
        page = await maybe_deferred_to_future(_deferred(self.submit(fetch, body, encoding)))
        timing.add_worker(page.cpu)
        return page

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


def _deferred(future: Future[ExtractedPage]) -> Deferred[ExtractedPage]:
    """A Deferred that fires in the reactor's thread when `future` is done."""
    # Imported here: importing the reactor installs one, and Scrapy chooses which.
    from twisted.internet import reactor

    deferred: Deferred[ExtractedPage] = Deferred()
    # `submit` never fails its futures, so there is only a result to pass on.
    future.add_done_callback(lambda done: reactor.callFromThread(deferred.callback, done.result()))
    return deferred
