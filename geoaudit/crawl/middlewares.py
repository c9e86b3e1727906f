"""Middlewares of the crawl: a spider middleware that keeps a bug in one callback from printing a
traceback or stopping the crawl, and downloader middlewares that keep every request in the
audit's scope, send credentials to the audited origin only, and honour Retry-After."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.exceptions import CloseSpider, IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

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
    ) -> Iterable[Any] | None:
        if isinstance(exception, CloseSpider):
            return None  # Scrapy's own handling: the crawl stops (the store cannot be written)
        self.crawler.stats.inc_value("geoaudit/internal_errors")
        logger.error("internal error on %s: %s", response.url, describe_exception(exception))
        return []


def retry_after_seconds(value: str, now: datetime | None = None) -> float | None:
    """Retry-After as seconds to wait (RFC 9110: delay-seconds or an HTTP-date); None when the
    value is neither."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfter:
    """A 429 or 503 answer with Retry-After is retried after the wait the server asks for, up to
    GEOAUDIT_MAX_RETRY_AFTER seconds and RETRY_TIMES times; a longer wait is not honoured and the
    answer is recorded as it is. Without the header, Scrapy's RetryMiddleware retries at once.
    It sits closer to the downloader than RetryMiddleware, so it sees these answers first."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("GEOAUDIT_MAX_RETRY_AFTER")
        self.times = crawler.settings.getint("RETRY_TIMES")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfter:
        return cls(crawler)

    async def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        header = response.headers.get(b"Retry-After")
        if response.status not in (429, 503) or header is None:
            return response
        tries = request.meta.get("geo_retry_after", 0)
        wait = retry_after_seconds(header.decode("latin-1"))
        if tries >= self.times or wait is None or wait > self.max_wait:
            return response
        from twisted.internet import reactor  # the one Scrapy installed, never a default

        self.crawler.stats.inc_value("geoaudit/retry_after")
        await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        retry = request.replace(dont_filter=True)
        retry.meta["geo_retry_after"] = tries + 1
        return retry


OUT_OF_SCOPE = "out of scope: "


class ScopeGuard:
    """Every request (pages, site files, sitemaps, probes, robots.txt, each redirect and meta
    refresh hop) passes the spider's UrlScope first: one outside it is counted and refused
    before anything is sent, and its errback records why. The first downloader middleware, so
    no other one (robots.txt included) acts on a refused request."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScopeGuard:
        return cls(crawler)

    def process_request(self, request: Request, spider: Any = None) -> None:
        refusal = self.crawler.spider.scope.refusal(request.url)  # type: ignore[union-attr]
        if refusal is not None:
            self.crawler.stats.inc_value("geoaudit/out_of_scope")
            raise IgnoreRequest(f"{OUT_OF_SCOPE}{request.url}: {refusal}")


class Credentials:
    """--auth and --header go with a request only when it is for the start origin itself
    (scheme, host and port): never to another host or port, a subdomain, or over http when
    they were given for https. They are added as the request leaves, and taken off the request
    when its answer comes back, before the redirect and retry middlewares copy it into a new
    request: so they are never stored in the crawl's state on disk, nor carried to wherever a
    redirect points. It sits closer to the downloader than RedirectMiddleware (600)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Credentials:
        return cls(crawler)

    def _secrets(self) -> dict[str, str]:
        return getattr(self.crawler.spider, "credentials", None) or {}

    def process_request(self, request: Request, spider: Any = None) -> None:
        secrets = self._secrets()
        if not secrets or not self.crawler.spider.scope.credentials_for(  # type: ignore[union-attr]
            request.url
        ):
            return
        # Like Scrapy's default headers: a header the request sets itself (a probe's
        # User-Agent) stays; only what was added here is taken off again.
        added = [name for name in secrets if name not in request.headers]
        for name in added:
            request.headers[name] = secrets[name]
        request.meta["geo_credentials"] = added

    def _strip(self, request: Request) -> None:
        for name in request.meta.pop("geo_credentials", ()):
            request.headers.pop(name, None)

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Response:
        self._strip(request)
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        self._strip(request)


class MetaRefreshOnPages(MetaRefreshMiddleware):
    """Scrapy's meta-refresh redirects, for pages that answered 2xx only. A 404 page whose
    meta refresh sends visitors elsewhere is still a 404, as Google reads it, and a site file
    (robots.txt, llms.txt, a sitemap) is read as the server answered it: one courier site's 404
    page, refreshing to its tracking page, made every missing URL a 200, its llms.txt and
    broken links included."""

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        if not 200 <= response.status < 300 or "geo_name" in request.meta:
            return response
        return super().process_response(request, response)

