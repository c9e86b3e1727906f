"""The site facts every rule may read, built once after the crawl by `build_site`.

`build_site` takes plain iterables (the pages, the site files, the probes, the sitemap data),
not the store, so the audit, `geoaudit robots`, `geoaudit llms generate` and the rule tests
build their sites the same way. Each fact builder is an accumulator (`add(page)`, `finish()`)
fed by one pass over the pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from geoaudit.facts.access import AccessBuilder, AccessFacts
from geoaudit.facts.identity import IdentityBuilder, SiteIdentity
from geoaudit.facts.llms_txt import (
    LinkedPages,
    LinkFacts,
    link_facts,
    link_urls,
    llms_links,
    md_twin_coverage,
)
from geoaudit.facts.page_index import PageIndex, PageIndexBuilder
from geoaudit.facts.pages import page_identity
from geoaudit.facts.structured_data import StructuredDataBuilder, StructuredDataFacts
from geoaudit.models import PageModel, Probe, SiteFile
from geoaudit.sitefiles.llms_txt import LlmsFile, lighthouse_verdict, parse_llms
from geoaudit.sitefiles.robots import RobotsPolicy
from geoaudit.vocab.agents import Agent

NO_ROBOTS = RobotsPolicy.from_sitefile(None)


@dataclass
class Site:
    """Site-level facts every rule may read: the target, the site files, crawl totals. Access,
    identity and structured data are always built; the llms.txt facts are None when the site
    has no llms.txt (a rule that reads them declares `needs=`)."""

    start_url: str
    site_url: str
    audit_date: str
    home_url: str = ""
    sitemap_lastmod: dict[str, str] = field(default_factory=dict)
    sitefiles: list[SiteFile] = field(default_factory=list)
    pages_crawled: int = 0
    sitemap_urls: int = 0
    access: AccessFacts = field(default_factory=lambda: AccessBuilder(NO_ROBOTS, [], "").finish())
    identity: SiteIdentity = field(default_factory=SiteIdentity)
    llms: LlmsFile | None = None
    llms_url: str | None = None
    llms_links: list[LinkFacts] | None = None
    md_twins: tuple[int, int] | None = None
    lighthouse: tuple[str, str] | None = None
    structured_data: StructuredDataFacts = field(default_factory=StructuredDataFacts)
    # The 2xx HTML pages read (facts.pages.page_identity): what canonicals may name.
    html_pages: frozenset[tuple[str, str, str]] = frozenset()
    # How each URL answered, canonicals, shared titles and descriptions, sitemap URLs.
    page_index: PageIndex = field(default_factory=PageIndex)

    def file(self, name: str) -> SiteFile | None:
        return next((f for f in self.sitefiles if f.name == name), None)


def build_site(
    *,
    start_url: str,
    site_url: str,
    audit_date: str,
    home: PageModel | None,
    pages: Iterable[PageModel],
    sitefiles: list[SiteFile],
    agents: Iterable[Agent],
    probes: Iterable[Probe] = (),
    sitemap_urls: Iterable[str] = (),
    sitemap_lastmod: dict[str, str] | None = None,
) -> Site:
    """The site's facts from one pass over `pages` (stored pages, light or whole). `home` is the
    start page as fetched (with its text, which the identity reads), or None when it failed."""
    home_url = home.url if home is not None else start_url
    sitemap_list = list(sitemap_urls)
    robots = next((f for f in sitefiles if f.name == "robots.txt"), None)
    llms_file = next((f for f in sitefiles if f.name == "llms.txt"), None)
    llms = parse_llms(llms_file.text) if llms_file is not None and llms_file.present else None
    access = AccessBuilder(
        policy=RobotsPolicy.from_sitefile(robots),
        agents=agents,
        start_url=home_url,
        key_urls=[home_url, *llms_links(llms_file), *sitemap_list],
        probes=probes,
        robots_file=robots,
    )
    identity = IdentityBuilder(home)
    structured = StructuredDataBuilder(home)
    linked = LinkedPages(link_urls(llms, llms_file.fetch.url) if llms and llms_file else [])
    index = PageIndexBuilder(sitemap_list)
    crawled = 0
    html_pages = set()
    for page in pages:
        crawled += 1
        if page.is_html_ok:
            html_pages.add(page_identity(page.url))
        access.add(page)
        identity.add(page)
        structured.add(page)
        linked.add(page)
        index.add(page)
    access_facts = access.finish()
    found, checked = md_twin_coverage(sitefiles)
    return Site(
        start_url=start_url,
        site_url=site_url,
        audit_date=audit_date,
        home_url=home_url,
        sitemap_lastmod=sitemap_lastmod or {},
        sitefiles=sitefiles,
        pages_crawled=crawled,
        sitemap_urls=len(sitemap_list),
        access=access_facts,
        identity=identity.finish(),
        llms=llms,
        llms_url=llms_file.fetch.url if llms_file is not None else None,
        llms_links=(
            link_facts(llms, llms_file.fetch.url, linked.get, access_facts, site_url)
            if llms and llms_file
            else None
        ),
        md_twins=(found, checked) if checked else None,
        structured_data=structured.finish(),
        html_pages=frozenset(html_pages),
        page_index=index.finish(),
        lighthouse=(
            lighthouse_verdict(llms_file.fetch.status, llms_file.text)
            if llms_file is not None
            else None
        ),
    )
