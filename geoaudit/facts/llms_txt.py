"""llms.txt facts from the crawl: what each linked page answered, and who may use it.

Computed once after the crawl, like the access facts; the llms.txt site rules judge them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from geoaudit.facts.access import INDEX_BLOCKERS, AccessFacts
from geoaudit.models import PageModel, SiteFile
from geoaudit.sitefiles.llms_txt import MD_TWIN_NAME, LlmsFile

_MARKDOWN_LINK = re.compile(r"\]\((https?://[^)\s]+)\)")
_LINK_TARGET = re.compile(r"\]\([^)]*\)\s*:?")
_URL = re.compile(r"(?:URL:\s*)?https?://\S+", re.IGNORECASE)
_MARKUP = re.compile(r"[#>*_`\[\]|-]+")
_SPACE = re.compile(r"\s+")


def _plain(text: str) -> str:
    return _SPACE.sub(" ", _MARKUP.sub(" ", _URL.sub(" ", text))).strip().lower()


def text_beyond(full_text: str, llms_text: str) -> int:
    """Characters of llms-full.txt's lines that llms.txt does not already say: what it holds
    beyond the index's lines, link titles and notes, markup and URLs aside. A generator that
    writes the index a second time under other headings leaves next to nothing. One set
    lookup a line: both files may be megabytes."""
    said = {
        _plain(piece)
        for line in llms_text.splitlines()
        for piece in (line, *_LINK_TARGET.split(line))
    }
    return sum(
        len(plain)
        for plain in (_plain(line) for line in full_text.splitlines())
        if plain and plain not in said
    )


@dataclass
class LinkFacts:
    url: str
    line: int
    fetched: bool = False
    ok: bool = False
    status: int | None = None
    error: str | None = None
    final_url: str | None = None
    noindex: bool = False
    blocked_for: list[str] = field(default_factory=list)
    variant_host: bool = False


def _same_site_other_origin(url: str, site_url: str) -> bool:
    """Same host up to `www.`, but another scheme or host spelling than the canonical origin."""
    link, site = urlsplit(url), urlsplit(site_url)
    if not link.hostname or not site.hostname:
        return False
    bare = (link.hostname.removeprefix("www."), site.hostname.removeprefix("www."))
    same_site = bare[0] == bare[1]
    return same_site and (link.scheme, link.netloc) != (site.scheme, site.netloc)


def link_urls(llms: LlmsFile, llms_url: str) -> list[str]:
    """Each link of the file as an absolute URL, resolved against the llms.txt URL as the
    crawl resolved it."""
    return [urljoin(llms_url, link.url) for link in llms.links]


def link_facts(
    llms: LlmsFile,
    llms_url: str,
    find_page: Callable[[str], PageModel | None],
    access: AccessFacts,
    site_url: str,
) -> list[LinkFacts]:
    """Facts per link; relative links are resolved against the llms.txt URL, as the crawl did."""
    facts = []
    for link, url in zip(llms.links, link_urls(llms, llms_url), strict=True):
        web = urlsplit(url).scheme in ("http", "https")
        fact = LinkFacts(
            url=url, line=link.line, variant_host=_same_site_other_origin(url, site_url)
        )
        page = find_page(url) if web else None
        if page is not None:
            fact.fetched = True
            fact.ok = page.fetch.ok
            fact.status = page.fetch.status
            fact.error = page.fetch.error
            fact.final_url = page.url
            fact.noindex = bool(page.directives() & INDEX_BLOCKERS)
        if web:
            fact.blocked_for = access.closed_to(url)
        facts.append(fact)
    return facts


def md_twin_coverage(sitefiles: list[SiteFile]) -> tuple[int, int]:
    """(twins found, twins checked) among the Markdown versions the crawl looked for."""
    twins = [f for f in sitefiles if f.name == MD_TWIN_NAME]
    return sum(1 for f in twins if f.present), len(twins)


def llms_links(llms: SiteFile | None) -> list[str]:
    """The absolute links of the live llms.txt, in file order (key pages for the access facts)."""
    if llms is None or not llms.present:
        return []
    return list(dict.fromkeys(_MARKDOWN_LINK.findall(llms.text)))


class LinkedPages:
    """The pages llms.txt links to, collected on the pass over the pages: found by final URL,
    else by the first page requested as that URL."""

    def __init__(self, urls: Iterable[str]):
        self.wanted = set(urls)
        self.by_url: dict[str, PageModel] = {}
        self.by_requested: dict[str, PageModel] = {}

    def add(self, page: PageModel) -> None:
        if page.url in self.wanted:
            self.by_url[page.url] = page
        requested = page.fetch.requested_url
        if requested in self.wanted and requested not in self.by_requested:
            self.by_requested[requested] = page

    def get(self, url: str) -> PageModel | None:
        return self.by_url.get(url) or self.by_requested.get(url)
