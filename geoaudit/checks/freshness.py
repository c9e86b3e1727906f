"""Freshness rules: do pages say when they were written and updated, and is that recent?"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from geoaudit.checks import Site, page_rule
from geoaudit.identity import is_article
from geoaudit.models import PageModel

STALE_AFTER_DAYS = 548  # 18 months


def newest_date(page: PageModel) -> date | None:
    """The most recent published or modified date the page states (HTTP Last-Modified aside)."""
    dates = [
        date.fromisoformat(d.iso[:10])
        for d in page.dates
        if d.iso and d.kind in ("published", "modified") and d.source != "http:last-modified"
    ]
    return max(dates, default=None)


@page_rule(
    "FR001", "article-undated", "Article states no date", "warning", "freshness", applies=is_article
)
def article_undated(page: PageModel, site: Site) -> Iterator[str]:
    """An article page (Article-type schema or `og:type` article) states no publication or
    modification date in its structured data, meta tags or `<time>` elements.

    Why it matters: answer engines prefer recent sources and cannot judge an undated article;
    they often skip it for a dated one.

    How to fix: add `datePublished` and `dateModified` (ISO 8601) to the Article JSON-LD and show
    the date on the page in a `<time datetime="...">` element.

    Pass: `"datePublished": "2026-03-01", "dateModified": "2026-09-12"`. Fail: no date anywhere.
    """
    if newest_date(page) is None:
        yield "article states no published or modified date"


@page_rule(
    "FR002",
    "content-stale",
    "Page not updated in 18 months",
    "notice",
    "freshness",
    applies=lambda page: page.is_html_ok and newest_date(page) is not None,
)
def content_stale(page: PageModel, site: Site) -> Iterator[str]:
    """The newest date the page states is more than 18 months before the audit.

    Why it matters: for most queries answer engines favour recently updated sources; a page
    untouched for years is cited less, however good it was.

    How to fix: review the page, update what changed, and update `dateModified` with it. Do not
    bump dates without changing content.

    Pass: last modified 2 months ago. Fail: last modified 3 years ago.
    """
    newest = newest_date(page)
    assert newest is not None
    age = (date.fromisoformat(site.audit_date[:10]) - newest).days
    if age > STALE_AFTER_DAYS:
        yield f"newest date on the page is {newest.isoformat()}, {age} days before the audit"
