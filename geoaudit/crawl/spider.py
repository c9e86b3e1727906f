"""The geoaudit spider: fetch the site files once, then crawl same-site pages breadth-first.

Every response becomes an item (a `PageModel`, a `SiteFile` or sitemap entries) whatever its
status or type; network failures become pages with an error. The spider follows links and
sitemaps, and never judges what it fetched.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CloseSpider,
    DontCloseSpider,
    DownloadCancelledError,
    DownloadFailedError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response, TextResponse
from twisted.internet.error import ConnectionDone, ConnectionLost
from twisted.python.failure import Failure

from geoaudit.crawl.extraction import ExtractionPool, default_workers
from geoaudit.crawl.items import PageItem, SitemapItem
from geoaudit.crawl.middlewares import OUT_OF_SCOPE
from geoaudit.crawl.scope import MAX_URL_LENGTH, UrlScope, repeats_segments
from geoaudit.errors import describe_exception
from geoaudit.models import FetchRecord, PageModel, Probe, Redirect, SiteFile, SitemapEntry
from geoaudit.sitefiles.llms_txt import MD_TWIN_NAME, md_twin_url, parse_llms, site_file_paths
from geoaudit.sitefiles.robots import sitemap_urls
from geoaudit.sitefiles.sitemaps import parse_sitemap
from geoaudit.vocab.agents import Agent, agents

SITE_FILES = ("llms.txt", "llms-full.txt", "llm.txt")
KEPT_HEADERS = (
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "etag",
    "last-modified",
    "link",
    "location",
    "retry-after",
    "server",
    "www-authenticate",
    "x-robots-tag",
)
SITEFILE_PRIORITY = 100
PROBE_SCAN_BYTES = 64 * 1024
# Lower-cased signatures of bot challenges and block pages of common CDNs and firewalls.
CHALLENGE_MARKERS = (
    "just a moment...",
    "cf-chl",
    "challenge-platform",
    "attention required! | cloudflare",
    "captcha",
    "access denied",
    "request unsuccessful. incapsula",
    "_incapsula_resource",
    "px-captcha",
    "datadome",
    "are you a robot",
    "verify you are human",
)
SITEMAP_SEED_PRIORITY = -10
# Sitemaps listed in a sitemap index come after the linked pages (0) and before the pages only
# sitemaps list (-10): a shop's index of thousands of sitemaps never starves the crawl.
SITEMAP_CHILD_PRIORITY = -5
# What an audit of --max-pages N reads of sitemaps: at most max(10, N // 10) sitemap files,
# and keeps at most 10 * N entries (the rest are counted): enough for lastmod dates and the
# pages only sitemaps list, never a whole catalogue of 50,000-URL files.
SITEMAP_FILES_PER_PAGES, MIN_SITEMAP_FILES, SITEMAP_ENTRIES_PER_PAGE = 10, 10, 10
# sitemaps.org forbids indexes listing indexes; a little tolerance, then a sitemap bomb stops.
MAX_SITEMAP_NESTING = 3


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    return [value] if isinstance(value, str) else list(value)


def _as_bool(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")


def describe_failure(failure: Failure, maxsize: int) -> str:
    """Why a fetch failed, in words a site owner can act on."""
    exc = failure.value
    limit = f"{maxsize // (1024 * 1024)} MiB"
    if isinstance(exc, DownloadCancelledError):
        return f"body larger than the download limit of {limit}; not read (huge or endless)"
    if isinstance(exc, ResponseDataLossError):
        return "the connection closed before the whole body arrived (data lost)"
    if isinstance(exc, IgnoreRequest) and str(exc).startswith(OUT_OF_SCOPE):
        return "not fetched: " + str(exc).removeprefix(OUT_OF_SCOPE)
    if isinstance(exc, IgnoreRequest) and "max redirections" in str(exc):
        return "too many redirects: a redirect loop or an over-long chain"
    if isinstance(exc, IgnoreRequest) and "during decompression" in str(exc):
        return (
            f"compressed body decompresses beyond the download limit of {limit}; not read "
            "(a decompression bomb)"
        )
    if isinstance(exc, DownloadFailedError | ConnectionLost | ConnectionDone):
        return "the server closed or reset the connection before a complete response"
    return describe_exception(exc)


def failed_request(failure: Failure) -> scrapy.Request:
    """The request of a failed download: Scrapy sets it on the Failure, which does not declare
    it."""
    return failure.request  # type: ignore[attr-defined]


class SiteSpider(scrapy.Spider):
    name = "geoaudit"

    def __init__(
        self,
        start_url: str,
        site_url: str | None = None,
        include_subdomains: bool | str = False,
        max_pages: int | str = 500,
        max_depth: int | str | None = None,
        include: list[str] | str | None = None,
        exclude: list[str] | str | None = None,
        extra_agents: tuple[Agent, ...] = (),
        credentials: dict[str, str] | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        # Request headers that go to the start origin only (crawl/middlewares.Credentials).
        self.credentials = credentials or {}
        self.scope = UrlScope(
            start_url,
            site_url=site_url or None,
            include_subdomains=_as_bool(include_subdomains),
            include=_as_list(include),
            exclude=_as_list(exclude),
        )
        self.agents = agents(extra_agents)
        self.max_pages = int(max_pages)
        self.max_depth = None if max_depth in (None, "") else int(max_depth)
        self.seen: set[str] = set()
        # URL key -> (URL, depth, found_via) of pages requested and not yet stored (the store
        # pipeline takes them out): what a resumed crawl requests again.
        self.pending: dict[str, tuple[str, int | None, str]] = {}
        self.query_variants: dict[str, int] = {}
        self.sitemaps_seen: set[str] = set()
        # URL key -> URL of pages only sitemaps list, requested when the linked pages are done
        # (at most --max-pages of them): links first, the sitemap fills what budget is left.
        self.sitemap_reserve: dict[str, str] = {}
        self.extraction: ExtractionPool | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SiteSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # Built with the spider, before the reactor runs: the workers fork from one thread.
        workers = crawler.settings.getint("GEOAUDIT_EXTRACT_WORKERS") or default_workers()
        spider.extraction = ExtractionPool(workers)
        crawler.signals.connect(spider.extraction.close, signal=signals.spider_closed)
        crawler.signals.connect(spider._idle, signal=signals.spider_idle)
        return spider

    def _idle(self) -> None:
        """Nothing left in flight or queued: request the pages only sitemaps list, as many as
        the page budget has room for."""
        requested = 0
        while self.sitemap_reserve and len(self.seen) < self.max_pages:
            key = next(iter(self.sitemap_reserve))
            request = self._page_request(self.sitemap_reserve.pop(key), None, "sitemap")
            if request is not None:
                self.crawler.engine.crawl(request)
                requested += 1
        if requested:
            raise DontCloseSpider

    def _reserve(self, url: str) -> None:
        key = UrlScope.key(url)
        if key in self.seen or key in self.sitemap_reserve or not self.scope.wanted(url):
            return
        if len(self.sitemap_reserve) < self.max_pages:
            self.sitemap_reserve[key] = url

    # scheduling -------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        # With a JOBDIR, Scrapy's SpiderState extension keeps `state` between runs: a resumed
        # crawl takes its bookkeeping back and requests again the pages still pending (those in
        # flight when it stopped; a page also left in the queue is stored once, by URL); the
        # rest of its queue comes back from disk.
        self.crawler.stats.set_value("geoaudit/sitemap_budget", self.sitemap_budget())
        if self.crawler.stats.get_value("geoaudit/store_error"):
            return
        state = getattr(self, "state", None)
        if state is not None and "seen" in state:
            self.seen = state["seen"]
            self.pending = state["pending"]
            self.sitemaps_seen = state["sitemaps_seen"]
            self.query_variants = state["query_variants"]
            self.sitemap_reserve = state.get("sitemap_reserve", {})
            # A copy: the store takes pages out of `pending` while these requests are made.
            for key, (url, depth, found_via) in list(self.pending.items()):
                request = self._fetch_page(key, url, depth, found_via)
                if request is not None:
                    yield request
            return
        if state is not None:
            state.update(
                seen=self.seen,
                pending=self.pending,
                sitemaps_seen=self.sitemaps_seen,
                query_variants=self.query_variants,
                sitemap_reserve=self.sitemap_reserve,
            )
        yield self._sitefile_request("robots.txt", "/robots.txt", self.parse_robots)
        request = self._page_request(self.scope.start_url, depth=0, found_via="start", force=True)
        if request is not None:
            yield request
        for name in SITE_FILES:
            first, *then = site_file_paths(self.scope.start_url, name)
            request = self._sitefile_request(name, first, self.parse_sitefile)
            if then:  # a site under a path: then at the root
                request = request.replace(meta={**request.meta, "geo_fallback": then[0]})
            yield request
        for path in site_file_paths(self.scope.start_url, "sitemap.xml"):
            sitemap = self._sitemap_request(self.scope.site_file_url(path))
            if sitemap is not None:
                yield sitemap

    def _sitefile_request(self, name: str, path: str, callback: Any) -> scrapy.Request:
        url = self.scope.site_file_url(path)
        return scrapy.Request(
            self.scope.to_fetch(url),
            callback=callback,
            errback=self.sitefile_failed,
            dont_filter=True,
            priority=SITEFILE_PRIORITY,
            meta={
                "geo_name": name,
                "geo_url": url,
                "dont_obey_robotstxt": True,
                # robots.txt as big as the crawl's own robots.txt middleware reads it (the parser
                # keeps the first 500 KiB): a 6 MiB file once read as "unreachable, all
                # disallowed" while the crawl obeyed it.
                "download_maxsize": self.settings.getint(
                    "DOWNLOAD_MAXSIZE" if name == "robots.txt" else "GEOAUDIT_MAX_SITEFILE_BYTES"
                ),
                # RFC 9309: follow at most five redirects for robots.txt.
                "redirect_ttl": 5,
            },
        )

    def _sitemap_request(self, url: str, nesting: int = 0) -> scrapy.Request | None:
        key = UrlScope.key(url)
        if key in self.sitemaps_seen:
            return None
        if len(self.sitemaps_seen) >= self.sitemap_budget():
            self.crawler.stats.inc_value("geoaudit/sitemaps_skipped")
            return None
        self.sitemaps_seen.add(key)
        self.crawler.stats.inc_value("geoaudit/requested/sitemap")
        return self._request(
            self.scope.to_fetch(url),
            callback=self.parse_sitemap,
            errback=self.sitefile_failed,
            dont_filter=True,
            priority=SITEFILE_PRIORITY - 1 if nesting == 0 else SITEMAP_CHILD_PRIORITY,
            meta={
                "geo_name": "sitemap",
                "geo_url": url,
                "geo_nesting": nesting,
                "dont_obey_robotstxt": True,
            },
        )

    def sitemap_budget(self) -> int:
        """How many sitemap files this audit reads (see SITEMAP_FILES_PER_PAGES)."""
        by_pages = max(MIN_SITEMAP_FILES, self.max_pages // SITEMAP_FILES_PER_PAGES)
        return min(self.settings.getint("GEOAUDIT_MAX_SITEMAPS"), by_pages)

    def _page_request(
        self, url: str, depth: int | None, found_via: str, force: bool = False
    ) -> scrapy.Request | None:
        """A request for a page, or None when it is out of scope, seen, too deep or over budget."""
        if not force and not self.scope.wanted(url):
            return None
        key = UrlScope.key(url)
        if key in self.seen:
            return None
        if found_via == "link" and self._trap(url):
            self.crawler.stats.inc_value("geoaudit/trap_skipped")
            return None
        if self.max_depth is not None and depth is not None and depth > self.max_depth:
            return None
        if len(self.seen) >= self.max_pages:
            self.crawler.stats.inc_value("geoaudit/over_max_pages")
            return None
        self.seen.add(key)
        self.pending[key] = (url, depth, found_via)
        return self._fetch_page(key, url, depth, found_via)

    def _fetch_page(
        self, key: str, url: str, depth: int | None, found_via: str
    ) -> scrapy.Request | None:
        return self._request(
            self.scope.to_fetch(url),
            callback=self.parse_page,
            errback=self.page_failed,
            priority=SITEMAP_SEED_PRIORITY if found_via == "sitemap" else 0,
            # The spider deduplicates pages itself (`seen`); Scrapy's filter would silently drop
            # a redirect to a URL already requested, losing the redirecting page's record.
            dont_filter=True,
            meta={"geo_depth": depth, "geo_found_via": found_via, "geo_key": key},
        )

    def _trap(self, url: str) -> bool:
        """A link that looks like a crawl trap: over-long, with a repeating path, or one more
        query-string variant of a path that already has GEOAUDIT_MAX_QUERY_VARIANTS (endless
        calendars, faceted navigation, ever-growing queries). Sitemap and llms.txt URLs are
        never judged: the site lists them on purpose."""
        if len(url) > MAX_URL_LENGTH or repeats_segments(url):
            return True
        path, _, query = url.partition("?")
        if not query:
            return False
        variants = self.query_variants.get(path, 0)
        if variants >= self.settings.getint("GEOAUDIT_MAX_QUERY_VARIANTS"):
            return True
        self.query_variants[path] = variants + 1
        return False

    def _maxsize(self, request: scrapy.Request) -> int:
        """The body size limit a request was fetched under."""
        return int(request.meta.get("download_maxsize", self.settings.getint("DOWNLOAD_MAXSIZE")))

    def _request(self, url: str, **kwargs: Any) -> scrapy.Request | None:
        try:
            return scrapy.Request(url, **kwargs)
        except ValueError:  # a URL Scrapy cannot request (bad port, bad IPv6 literal...)
            self.crawler.stats.inc_value("geoaudit/invalid_urls")
            return None

    # records ----------------------------------------------------------------------------------
    def _redirects(self, meta: dict[str, Any]) -> list[Redirect]:
        chain = meta.get("redirect_urls", [])
        reasons = meta.get("redirect_reasons", [])
        return [
            Redirect(self.scope.to_report(u), r if isinstance(r, int) else 200)
            for u, r in zip(chain, reasons, strict=False)
        ]

    def _record(self, response: Response) -> FetchRecord:
        meta = response.meta
        chain = meta.get("redirect_urls", [])
        headers = {}
        for name in KEPT_HEADERS:
            values = response.headers.getlist(name)
            if values:
                # One line per header: X-Robots-Tag agent prefixes end with their line.
                headers[name] = "\n".join(v.decode("latin-1") for v in values)
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        return FetchRecord(
            url=self.scope.to_report(response.url),
            requested_url=self.scope.to_report(chain[0] if chain else response.url),
            status=response.status,
            content_type=content_type,
            charset=response.encoding if isinstance(response, TextResponse) else "",
            headers=headers,
            size=len(response.body),
            fetch_ms=round(meta.get("download_latency", 0.0) * 1000, 1),
            redirects=self._redirects(meta),
            depth=meta.get("geo_depth"),
            found_via=meta.get("geo_found_via", "link"),
        )

    def _failed_record(self, failure: Failure, url: str) -> FetchRecord:
        """A fetch that got no usable response, recorded under the URL first requested (a
        failure at the end of a redirect chain keeps the chain)."""
        request = failed_request(failure)
        meta = request.meta
        chain = meta.get("redirect_urls", [])
        first = self.scope.to_report(chain[0]) if chain else url
        refused = isinstance(failure.value, IgnoreRequest) and str(failure.value).startswith(
            OUT_OF_SCOPE
        )
        return FetchRecord(
            url=first,
            requested_url=first,
            status=None,
            error=describe_failure(failure, self._maxsize(failed_request(failure))),
            redirects=self._redirects(meta),
            depth=meta.get("geo_depth"),
            found_via=meta.get("geo_found_via", "link"),
            out_of_scope=self.scope.to_report(request.url) if refused and chain else None,
        )

    @staticmethod
    def _text(response: Response) -> str:
        # Site files are UTF-8 by their specs (RFC 9309, llmstxt.org), whatever the server says.
        return response.body.decode("utf-8", errors="replace")

    # callbacks --------------------------------------------------------------------------------
    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        fetch = self._record(response)
        encoding = response.encoding if isinstance(response, TextResponse) else None
        assert self.extraction is not None
        page = await self.extraction.extract(fetch, response.body, encoding)
        # Its links join the pending pages before the page goes to the store, which takes it
        # out of them: once stored, whatever stops the crawl, --resume has its links.
        follows = []
        if page.follow:
            depth = None if fetch.depth is None else fetch.depth + 1
            follows = [self._page_request(url, depth, "link") for url in page.links]
        yield PageItem(page.row, response.meta.get("geo_key", ""))
        if self.crawler.stats.get_value("geoaudit/store_error"):
            raise CloseSpider("store_error")  # the pages still pending are left to --resume
        if fetch.found_via == "start" and self.settings.getbool("GEOAUDIT_PROBE"):
            for request in self._probe_requests(page.row.url, page.links):
                yield request
        for follow in follows:
            if follow is not None:
                yield follow

    def _probe_requests(self, start_url: str, links: list[str]) -> Iterator[scrapy.Request]:
        """Requests for the start page and a few key pages it links, as each live AI bot that
        fetches on its own (tokens such as Google-Extended are robots.txt controls only)."""
        extra = self.settings.getint("GEOAUDIT_PROBE_EXTRA_PAGES")
        urls = [start_url]
        for url in links:
            if len(urls) > extra:
                break
            if url not in urls and self.scope.wanted(url):
                urls.append(url)
        for agent in self.agents:
            if agent.retired or not agent.user_agent:
                continue
            for url in urls:
                request = self._request(
                    self.scope.to_fetch(url),
                    callback=self.parse_probe,
                    errback=self.probe_failed,
                    dont_filter=True,
                    headers={"User-Agent": agent.user_agent},
                    meta={"geo_probe": agent.token, "geo_url": url, "dont_obey_robotstxt": True},
                )
                if request is not None:
                    self.crawler.stats.inc_value("geoaudit/requested/probe")
                    yield request

    def parse_probe(self, response: Response) -> Iterator[Probe]:
        head = response.body[:PROBE_SCAN_BYTES].decode("utf-8", errors="replace").lower()
        yield Probe(
            agent=response.meta["geo_probe"],
            url=response.meta["geo_url"],
            status=response.status,
            size=len(response.body),
            markers=[m for m in CHALLENGE_MARKERS if m in head],
        )

    def probe_failed(self, failure: Failure) -> Iterator[Probe]:
        meta = failed_request(failure).meta
        yield Probe(
            meta["geo_probe"],
            meta["geo_url"],
            None,
            error=describe_failure(failure, self._maxsize(failed_request(failure))),
        )

    def page_failed(self, failure: Failure) -> Iterator[PageItem]:
        if not self.crawler.crawling:
            # Cancelled by a stop (SIGINT/SIGTERM): not the site's failure, and left pending
            # so that --resume fetches the page again.
            self.crawler.stats.inc_value("geoaudit/cancelled_at_stop")
            return
        key = failed_request(failure).meta.get("geo_key", "")
        if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            self.pending.pop(key, None)
            self.crawler.stats.inc_value("geoaudit/blocked_by_robots")
            return
        url = self.scope.to_report(failed_request(failure).url)
        yield PageItem(PageModel(fetch=self._failed_record(failure, url)), key)

    def _fallback(self, meta: dict[str, Any]) -> scrapy.Request | None:
        """The request for a site file at the root, after it was not found under the start
        URL's path."""
        path = meta.get("geo_fallback")
        return (
            None
            if path is None
            else self._sitefile_request(meta["geo_name"], path, self.parse_sitefile)
        )

    def parse_sitefile(self, response: Response) -> Iterator[Any]:
        sitefile = SiteFile(
            name=response.meta["geo_name"], fetch=self._record(response), text=self._text(response)
        )
        fallback = self._fallback(response.meta)
        if fallback is not None and (not sitefile.present or "html" in sitefile.fetch.content_type):
            yield fallback  # not there (or a "not found" page answered 200): try the root
            return
        if sitefile.name == MD_TWIN_NAME:
            sitefile.text = ""  # only whether it exists matters
        yield sitefile
        if sitefile.name == "llms.txt" and sitefile.present:
            yield from self._llms_requests(sitefile)

    def _llms_requests(self, llms: SiteFile) -> Iterator[scrapy.Request]:
        """The on-site pages llms.txt links (crawled like sitemap URLs) and their `.md` twins."""
        twins = 0
        for link in parse_llms(llms.text).links:
            url = urljoin(llms.fetch.url, link.url)
            if not self.scope.on_site(url):
                continue
            if self.max_depth is None or url == self.scope.start_url:
                request = self._page_request(url, None, "llms.txt")
                if request is not None:
                    yield request
            if twins < self.settings.getint("GEOAUDIT_MAX_MD_TWINS"):
                twins += 1
                twin = md_twin_url(url)
                request = self._sitefile_request(MD_TWIN_NAME, "", self.parse_sitefile)
                yield request.replace(
                    url=self.scope.to_fetch(twin), meta={**request.meta, "geo_url": twin}
                )

    def sitefile_failed(self, failure: Failure) -> Iterator[Any]:
        meta = failed_request(failure).meta
        fallback = self._fallback(meta)
        if fallback is not None:
            yield fallback
            return
        yield SiteFile(name=meta["geo_name"], fetch=self._failed_record(failure, meta["geo_url"]))

    def parse_robots(self, response: Response) -> Iterator[Any]:
        sitefile = SiteFile(name="robots.txt", fetch=self._record(response))
        if sitefile.present:
            sitefile.text = self._text(response)
        yield sitefile
        for url in sitemap_urls(sitefile.text):
            request = self._sitemap_request(urljoin(sitefile.fetch.url, url))
            if request is not None:
                yield request

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        fetch = self._record(response)
        if not fetch.ok:
            yield SiteFile(name="sitemap", fetch=fetch)
            return
        parsed = parse_sitemap(response.body)
        nesting = response.meta.get("geo_nesting", 0)
        too_deep = parsed.kind == "sitemapindex" and nesting >= MAX_SITEMAP_NESTING
        error = (
            f"a sitemap index nested {nesting + 1} deep (sitemaps.org allows none); "
            "the sitemaps it lists were not read"
            if too_deep
            else parsed.error
        )
        yield SiteFile(name="sitemap", fetch=fetch, parse_error=error)
        if parsed.kind == "sitemapindex" and not too_deep:
            for entry in parsed.urls:
                request = self._sitemap_request(self.scope.to_report(entry["loc"]), nesting + 1)
                if request is not None:
                    yield request
            return
        entries: list[SitemapEntry] = []
        stats = self.crawler.stats
        kept = stats.get_value("geoaudit/sitemap_kept", 0)
        room = SITEMAP_ENTRIES_PER_PAGE * self.max_pages - kept
        for entry in parsed.urls:
            url = self.scope.to_report(entry["loc"])
            if len(entries) < room:
                lastmod = entry.get("lastmod")
                entries.append(SitemapEntry(url, fetch.url, lastmod, _priority(entry)))
            else:
                stats.inc_value("geoaudit/sitemap_entries_not_kept")
            if self.max_depth is None:
                self._reserve(url)
        stats.inc_value("geoaudit/sitemap_kept", len(entries))
        yield SitemapItem(entries)


def _priority(entry: dict[str, str]) -> float | None:
    try:
        return float(entry["priority"])
    except (KeyError, ValueError):
        return None
