"""Freshness rules: do pages say when they were written and updated, and is that recent?"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from geoaudit.extract.dates import best_date, with_sitemap
from geoaudit.facts import Site
from geoaudit.facts.pages import NOT_CONTENT, is_article, page_kind
from geoaudit.models import FoundDate, PageModel
from geoaudit.rules import page_rule

STALE_AFTER_DAYS = 548  # 18 months


def newest_date(page: PageModel, sources: tuple[str, ...] = ("http:last-modified",)) -> date | None:
    """The most recent published or modified date the page states, dates of `sources` aside
    (HTTP Last-Modified, by default)."""
    dates = [
        date.fromisoformat(d.iso[:10])
        for d in page.dates
        if d.iso and d.kind in ("published", "modified") and d.source not in sources
    ]
    return max(dates, default=None)


NOT_MACHINE_READABLE = ("http:last-modified", "text:visible")


@page_rule(
    "FR001",
    name="article-undated",
    title="Article states no date",
    severity="warning",
    category="freshness",
    applies=is_article,
)
def article_undated(page: PageModel, site: Site) -> Iterator[str]:
    """An article page (Article-type schema or `og:type` article) states no publication or
    modification date in its structured data, meta tags or `<time>` elements.

    Why it matters: answer engines prefer recent sources and cannot judge an undated article;
    they often skip it for a dated one.

    How to fix: add `datePublished` and `dateModified` (ISO 8601) to the Article JSON-LD and show
    the date on the page in a `<time datetime="...">` element.

    The home page is not judged (a theme's default `og:type` article makes it one), nor are
    listings, legal and error pages (page kinds: docs/rules.md).

    A date shown only as text ("🗓️ 2026-06-15", "Updated 3 May 2026") is named in the finding:
    a reader sees it, a crawler has to guess it.

    Pass: `"datePublished": "2026-03-01", "dateModified": "2026-09-12"`. Fail: no date anywhere.
    """
    if newest_date(page, NOT_MACHINE_READABLE) is not None or page.url == site.home_url:
        return
    shown = next((d for d in page.dates if d.source == "text:visible" and d.iso), None)
    if shown is not None:
        yield (
            f"the article shows its date only as text ('{shown.value}'): none in its markup, "
            "meta tags or <time>"
        )
    else:
        yield "article states no published or modified date"


@page_rule(
    "FR002",
    name="content-stale",
    title="Page not updated in 18 months",
    severity="notice",
    category="freshness",
    applies=lambda page: (
        page.is_html_ok and page_kind(page) not in NOT_CONTENT and newest_date(page) is not None
    ),
)
def content_stale(page: PageModel, site: Site) -> Iterator[str]:
    """The newest date the page states is more than 18 months before the audit.

    Why it matters: for most queries answer engines favour recently updated sources; a page
    untouched for years is cited less, however good it was.

    How to fix: review the page, update what changed, and update `dateModified` with it. Do not
    bump dates without changing content.

    A listing (tag, category, archive, pagination), legal, search or error page is not judged:
    its newest date is its newest post's, or it has none to keep.

    Pass: last modified 2 months ago. Fail: last modified 3 years ago.
    """
    newest = newest_date(page)
    assert newest is not None
    age = (date.fromisoformat(site.audit_date[:10]) - newest).days
    if age > STALE_AFTER_DAYS:
        yield f"newest date on the page is {newest.isoformat()}, {age} days before the audit"


FUTURE_GRACE_DAYS = 1
VISIBLE_MISMATCH_DAYS = 2
SITEMAP_MISMATCH_DAYS = 30


def _day(found: FoundDate | None) -> date | None:
    return date.fromisoformat(found.iso[:10]) if found and found.iso else None


@page_rule(
    "FR003",
    name="dates-inconsistent",
    title="The page's dates contradict each other",
    severity="warning",
    category="freshness",
    applies=lambda page: (
        page.is_html_ok and page_kind(page) not in NOT_CONTENT and any(d.iso for d in page.dates)
    ),
)
def dates_inconsistent(page: PageModel, site: Site) -> Iterator[str]:
    """The page's dates disagree: dateModified before datePublished, a date in the future, a
    visible "Updated" date different from the structured one, or a sitemap lastmod far from
    the page's own date.

    Why it matters: engines judge recency from these dates; contradictions make them distrust
    all of them, and a "modified" date older than the publication looks like a broken template.

    How to fix: emit the dates from one source of truth (the CMS's published and updated
    timestamps) into the JSON-LD, the visible byline, and the sitemap.

    Pass: published 2026-03-01, modified 2026-09-12 everywhere.
    Fail: dateModified 2025-01-01 with datePublished 2026-03-01.
    """
    audit_day = date.fromisoformat(site.audit_date[:10])
    stated = [d for d in page.dates if d.source != "http:last-modified"]
    structured_modified = _day(
        next((d for d in stated if d.source == "json-ld:dateModified" and d.iso), None)
    )
    published = _day(best_date(stated, "published"))
    modified = _day(best_date(stated, "modified"))
    if published and modified and modified < published:
        yield f"modified date {modified} is before the published date {published}"
    for found in stated:
        day = _day(found)
        if day and (day - audit_day).days > FUTURE_GRACE_DAYS and found.source != "html:time":
            yield f"{found.source} date {day} is in the future"
    visible = _day(
        next(
            (d for d in stated if d.source == "text:visible" and d.kind == "modified" and d.iso),
            None,
        )
    )
    if (
        visible
        and structured_modified
        and abs((visible - structured_modified).days) > VISIBLE_MISMATCH_DAYS
    ):
        yield f"the page shows 'updated {visible}' but its markup says {structured_modified}"
    lastmod = _day(best_date(with_sitemap([], site.sitemap_lastmod.get(page.url)), "modified"))
    if lastmod and modified and abs((lastmod - modified).days) > SITEMAP_MISMATCH_DAYS:
        yield f"sitemap lastmod {lastmod} is far from the page's own date {modified}"
