"""What the crawled pages say about each other: how each URL answered, which page names which
canonical, which pages share a title or a description, which URLs the sitemaps list.

Built by one pass over the pages (`PageIndexBuilder.add`, `finish`), like the other fact
builders; the canonical and page-basics rules read it and never fetch. URLs are compared as
`page_identity` reads them (host case, trailing slash, directory index aside).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from geoaudit.facts.access import INDEX_BLOCKERS
from geoaudit.facts.pages import canonical_is_self, page_identity, page_kind, series_page
from geoaudit.models import PageModel

Identity = tuple[str, str, str]


@dataclass(frozen=True)
class Answer:
    """How the crawl found a URL: its status, the URL it ended at, whether that is HTML, and
    whether the page asks not to be indexed."""

    status: int | None
    final_url: str
    html: bool = False
    noindex: bool = False


@dataclass
class Shared:
    """A title or description as the first page gave it, and the pages that give it."""

    text: str
    urls: list[str] = field(default_factory=list)


@dataclass
class PageIndex:
    # Every URL the crawl requested or reached, by identity.
    answers: dict[Identity, Answer] = field(default_factory=dict)
    # A 2xx HTML page's canonical, when it names another URL.
    canonicals: dict[Identity, str] = field(default_factory=dict)
    # Indexable pages judged on their own, by title and by meta description: the URLs of each.
    titles: dict[str, Shared] = field(default_factory=dict)
    descriptions: dict[str, Shared] = field(default_factory=dict)
    # The URLs the sitemaps list, as spelled (scheme, host, decoded path, query).
    sitemap: frozenset[tuple[str, str, str, str]] = frozenset()

    def answer(self, url: str) -> Answer | None:
        return self.answers.get(page_identity(url))


def spelled(url: str) -> tuple[str, str, str, str]:
    """A URL as a sitemap spells it: scheme, host case and percent-encoding aside, nothing
    else (`/x/` and `/x/index.html` are two URLs to a crawler reading a sitemap)."""
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower(), unquote(parts.path or "/"), parts.query


def noindex(page: PageModel) -> bool:
    return bool(INDEX_BLOCKERS & page.directives())


def indexable(page: PageModel) -> bool:
    """A 2xx HTML page meant to be found: not noindex, not an error or search page."""
    return page.is_html_ok and not noindex(page) and page_kind(page) not in ("error", "search")


class PageIndexBuilder:
    def __init__(self, sitemap_urls: Iterable[str] = ()):
        self.index = PageIndex(sitemap=frozenset(spelled(u) for u in sitemap_urls))
        # The canonical identity already counted for each title and description: the copies
        # of one page (its ?p= variants) share its title without being duplicates.
        self._seen: set[tuple[str, str, Identity]] = set()

    def add(self, page: PageModel) -> None:
        fetch = page.fetch
        answer = Answer(fetch.status, fetch.url, page.is_html_ok, noindex(page))
        self.index.answers.setdefault(page_identity(fetch.url), answer)
        if fetch.requested_url:
            self.index.answers.setdefault(page_identity(fetch.requested_url), answer)
        if not page.is_html_ok:
            return
        if not canonical_is_self(page):
            self.index.canonicals[page_identity(page.url)] = page.canonical or ""
        if not indexable(page):
            return
        if (series_page(page.url) or (1, ""))[0] >= 2:
            # Page 2 of a listing shares page 1's title by design: one series, not two pages.
            return
        judged = page_identity(page.canonical or page.url)
        # Title and description come space-normalised from extraction; case aside, two pages
        # share one.
        for name, text, groups in (
            ("title", page.title, self.index.titles),
            ("description", page.meta_description, self.index.descriptions),
        ):
            key = (text or "").casefold()
            if key and (name, key, judged) not in self._seen:
                self._seen.add((name, key, judged))
                groups.setdefault(key, Shared(text or "")).urls.append(page.url)

    def finish(self) -> PageIndex:
        return self.index
