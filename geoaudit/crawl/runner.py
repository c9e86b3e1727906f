"""Run the geoaudit spider in-process with settings derived from the audit options."""

from __future__ import annotations

import base64
import ipaddress
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from geoaudit.crawl.spider import SiteSpider
from geoaudit.errors import GeoauditError
from geoaudit.options import AuditOptions
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
    if not options.resume:
        shutil.rmtree(state, ignore_errors=True)
    settings = crawl_settings(options)
    settings.setdict({"JOBDIR": str(state), "GEOAUDIT_RESUME": options.resume}, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(SiteSpider)
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
    result = CrawlResult(dict(crawler.stats.get_stats()))
    if not result.interrupted:
        shutil.rmtree(state, ignore_errors=True)
    return result
