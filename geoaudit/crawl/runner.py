"""Run the geoaudit spider in-process with settings derived from the audit options."""

from __future__ import annotations

import base64
import ipaddress
import json
import logging
import pickle
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings

from geoaudit.crawl.pipelines import StorePipeline
from geoaudit.crawl.scheduler import make_reserve
from geoaudit.crawl.spider import SiteSpider
from geoaudit.errors import GeoauditError, stop_on_signals
from geoaudit.options import AuditOptions
from geoaudit.output import write_atomically
from geoaudit.store import STORE_FORMAT, Store

LOOPBACK_CONCURRENCY = 8


@dataclass
class CrawlResult:
    stats: dict[str, Any]

    @property
    def finish_reason(self) -> str:
        return str(self.stats.get("finish_reason", "unknown"))

    @property
    def interrupted(self) -> bool:
        return self.finish_reason == "shutdown"

    def count(self, key: str) -> int:
        return int(self.stats.get(f"geoaudit/{key}", 0))


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# What a crawl was started for, kept with its state: --resume continues only the same target.
TARGET_FILE = "target.json"


def _target(options: AuditOptions) -> dict[str, Any]:
    return {
        "start_url": options.start_url,
        "site_url": options.site_url,
        "include_subdomains": options.include_subdomains,
        "include": options.include,
        "exclude": options.exclude,
    }


def _check_resumed_target(options: AuditOptions, state: Path) -> None:
    try:
        started = json.loads((state / TARGET_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        started = None
    if started != _target(options):
        was = started.get("start_url") if isinstance(started, dict) else "another crawl"
        raise GeoauditError(
            f"the interrupted crawl in {options.out_dir} is of {was} with other scope options; "
            "resume it with the same URL and options, or audit again without --resume"
        )


def credential_headers(options: AuditOptions) -> dict[str, str]:
    """--header and --auth as request headers, for crawl/middlewares.Credentials to send to the
    start origin only. They travel as a spider argument, not as settings, which Scrapy logs."""
    headers = dict(options.headers)
    if options.auth:
        token = base64.b64encode(f"{options.auth[0]}:{options.auth[1]}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    return headers


def crawl_settings(options: AuditOptions) -> Settings:
    settings = Settings()
    settings.setmodule("geoaudit.crawl.settings", priority="project")
    overrides: dict[str, Any] = {
        "GEOAUDIT_OUTPUT": str(options.out_dir),
        "DOWNLOAD_TIMEOUT": options.timeout,
    }
    if options.quiet:
        overrides["GEOAUDIT_PROGRESS"] = False
    if options.verbose:
        overrides.update(LOG_ENABLED=True, GEOAUDIT_PROGRESS=False)
    if not options.probe:
        overrides["GEOAUDIT_PROBE"] = False
    if options.ignore_robots:
        overrides["ROBOTSTXT_OBEY"] = False
    if options.concurrency:
        overrides.update(
            CONCURRENT_REQUESTS=options.concurrency,
            CONCURRENT_REQUESTS_PER_DOMAIN=options.concurrency,
            AUTOTHROTTLE_ENABLED=False,
        )
    elif is_loopback(options.start_url):
        # Politeness protects other people's servers; a server on this machine gets no delays.
        overrides.update(
            CONCURRENT_REQUESTS_PER_DOMAIN=LOOPBACK_CONCURRENCY, AUTOTHROTTLE_ENABLED=False
        )
    settings.setdict(overrides, priority="cmdline")
    return settings


def _log_to_stderr() -> None:
    """geoaudit's own warnings go to stderr as single lines, whatever Scrapy's log does."""
    logger = logging.getLogger("geoaudit")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("geoaudit: %(levelname)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)
        logger.propagate = False


# Where an interrupted crawl keeps its state for --resume, inside the output folder.
CRAWL_STATE = "crawl-state"


def run_crawl(options: AuditOptions) -> CrawlResult:
    """Crawl the site into the store in `options.out_dir`. Blocks until the crawl ends.

    Twisted's reactor cannot restart, so this runs once per process. SIGINT/SIGTERM stop the
    crawl gracefully; the result then says `interrupted`, and the crawl's state (Scrapy's
    JOBDIR: the request queue on disk, the spider's bookkeeping) stays in the output folder for
    `--resume`. A crawl that ends normally removes it.
    """
    _log_to_stderr()
    try:
        Path(options.out_dir).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GeoauditError(
            f"cannot write to the output folder {options.out_dir}: {exc.strerror}"
        ) from None
    state = Path(options.out_dir) / CRAWL_STATE
    if options.resume and not (state / "spider.state").is_file():
        raise GeoauditError(f"nothing to resume in {options.out_dir}: no interrupted crawl there")
    if options.resume and Store.format_in(options.out_dir) != STORE_FORMAT:
        raise GeoauditError(
            f"the interrupted crawl in {options.out_dir} was made by another version of "
            "geoaudit; audit again without --resume"
        )
    if options.resume:
        _check_resumed_target(options, state)
    else:
        shutil.rmtree(state, ignore_errors=True)
        state.mkdir(parents=True, exist_ok=True)
        (state / TARGET_FILE).write_text(json.dumps(_target(options)), encoding="utf-8")
    try:
        make_reserve(state)
    except OSError as exc:
        raise GeoauditError(f"cannot write to {state}: {exc.strerror}") from None
    settings = crawl_settings(options)
    settings.setdict({"JOBDIR": str(state), "GEOAUDIT_RESUME": options.resume}, priority="cmdline")
    process = StoppableProcess(settings)
    crawler = process.create_crawler(SiteSpider)
    process.crawler = crawler
    process.crawl(
        crawler,
        start_url=options.start_url,
        site_url=options.site_url,
        include_subdomains=options.include_subdomains,
        max_pages=options.max_pages,
        max_depth=options.max_depth,
        include=options.include,
        exclude=options.exclude,
        extra_agents=options.extra_agents,
        credentials=credential_headers(options),
    )
    process.start()
    stats = dict(crawler.stats.get_stats())
    if process.stops >= 2:
        _close_after_forced_stop(crawler, state)
    # After the crawl, Ctrl-C and SIGTERM stop the analysis and report writing too (Scrapy
    # leaves them ignored once it forced a stop, which also shields the close above).
    stop_on_signals()
    if process.stops:
        stats["finish_reason"] = "shutdown"
    if stats.get("geoaudit/store_error"):
        raise GeoauditError(
            f"{stats['geoaudit/store_error']}; the pages stored so far and the crawl's state "
            "are kept: make room, then run the same command with --resume"
        )
    result = CrawlResult(stats)
    if not result.interrupted:
        shutil.rmtree(state, ignore_errors=True)
    return result


class StoppableProcess(CrawlerProcess):
    """Scrapy's process with stops a user can follow: the first SIGINT or SIGTERM says what it
    does and stops gracefully (the pages in flight are finished); the second stops at once,
    and `run_crawl` then closes the store and keeps the crawl's state itself, since Scrapy's
    forced stop closes neither."""

    crawler: Crawler | None = None
    stops = 0

    def _in_flight(self) -> int:
        engine = self.crawler.engine if self.crawler is not None else None
        return len(engine.downloader.active) if engine is not None else 0

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        self.stops += 1
        print(
            f"\ngeoaudit: stopping: finishing {self._in_flight()} pages in flight; "
            "Ctrl-C again to stop at once (--resume continues either way)",
            file=sys.stderr,
            flush=True,
        )
        super()._signal_shutdown(signum, frame)

    def _signal_kill(self, signum: int, frame: Any) -> None:
        self.stops += 1
        print("geoaudit: stopping now; --resume continues the crawl", file=sys.stderr, flush=True)
        super()._signal_kill(signum, frame)


def _close_after_forced_stop(crawler: Crawler, state: Path) -> None:
    """What Scrapy's graceful stop would have done, after its forced one: the store committed
    and closed (each page went in whole, between two events of the reactor), the extraction
    workers stopped, the spider's bookkeeping saved for --resume (as Scrapy's SpiderState
    does), the request queue closed. The pages in flight stay pending: --resume fetches them."""
    engine = crawler.engine
    spider = crawler.spider
    itemproc = getattr(getattr(engine, "scraper", None), "itemproc", None)
    for component in getattr(itemproc, "middlewares", ()):
        if isinstance(component, StorePipeline):
            component.close_spider()
    extraction = getattr(spider, "extraction", None)
    if extraction is not None:
        extraction.close()
    bookkeeping = getattr(spider, "state", None)
    if bookkeeping is not None:
        write_atomically(
            state / "spider.state",
            lambda path: path.write_bytes(pickle.dumps(bookkeeping, protocol=4)),
        )
    slot = getattr(engine, "_slot", None)
    if slot is not None:
        try:
            slot.scheduler.close("shutdown")
        except Exception as exc:  # the queue is a convenience: pending pages are in the state
            logging.getLogger("geoaudit").debug("request queue not closed: %s", exc)
