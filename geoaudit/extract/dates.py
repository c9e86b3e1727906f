"""Dates a page states about itself, each with where it was found."""

from __future__ import annotations

import email.utils
import itertools
import re
from datetime import UTC, datetime
from typing import Any

from lxml import html as lxml_html

from geoaudit.models import DateKind, FoundDate, TextBlock

META_DATES: dict[str, DateKind] = {
    "article:published_time": "published",
    "article:modified_time": "modified",
    "og:updated_time": "modified",
    "date": "published",
    "dc.date": "published",
    "dc.date.issued": "published",
    "dcterms.created": "published",
    "dcterms.modified": "modified",
    "last-modified": "modified",
}
JSONLD_DATES: dict[str, DateKind] = {
    "datePublished": "published",
    "dateCreated": "published",
    "dateModified": "modified",
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
# The first year a web page can have been written in. Earlier dates are placeholders: a site
# generator's zero date `0001-01-01` was once reported as "739,950 days old".
FIRST_WEB_YEAR = 1991


def parse_date(value: str) -> str | None:
    """ISO 8601 (date or datetime) or an HTTP date, as an ISO string in UTC; None if neither."""
    value = value.strip()
    if _ISO_DATE.match(value):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        if parsed.year < FIRST_WEB_YEAR:
            return None
        if parsed.tzinfo is None:
            return parsed.date().isoformat() if len(value) <= 10 else parsed.isoformat()
        return parsed.astimezone(UTC).isoformat()
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.year < FIRST_WEB_YEAR:
        return None
    return parsed.astimezone(UTC).isoformat() if parsed.tzinfo else parsed.isoformat()


def page_dates(
    doc: lxml_html.HtmlElement, jsonld: list[Any], headers: dict[str, str]
) -> list[FoundDate]:
    found: list[FoundDate] = []
    for kind, value, key in _jsonld_dates(jsonld):
        found.append(FoundDate(kind, value, parse_date(value), f"json-ld:{key}"))
    for meta in doc.iter("meta"):
        name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = meta.get("content")
        if content and name in META_DATES:
            found.append(FoundDate(META_DATES[name], content, parse_date(content), f"meta:{name}"))
    for time in doc.iter("time"):
        value = time.get("datetime")
        if value:
            prop = (time.get("itemprop") or "").strip()
            kind = JSONLD_DATES.get(prop, "other")
            found.append(FoundDate(kind, value, parse_date(value), "html:time"))
    if "last-modified" in headers:
        value = headers["last-modified"]
        found.append(FoundDate("modified", value, parse_date(value), "http:last-modified"))
    return found


def _jsonld_dates(items: list[Any]) -> list[tuple[DateKind, str, str]]:
    out = []
    stack = list(items)
    while stack:
        node = stack.pop(0)
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key, kind in JSONLD_DATES.items():
                value = node.get(key)
                if isinstance(value, str) and value.strip():
                    out.append((kind, value.strip(), key))
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
    return out


_MONTHS = {
    m: n
    for n, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_VISIBLE = re.compile(
    r"\b(last updated|updated|last modified|modified|reviewed|published|posted)\s*(?:on|:)?\s*"
    r"(\d{4}-\d{2}-\d{2}|\d{4}-\d{2}(?![-\d])|\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}"
    r"|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4})",
    re.IGNORECASE,
)
# Dates are looked for in the first blocks of text that are not list items: a table of
# contents (a list) once filled the 15 blocks read, and "[Updated on 2024-04-13]" after it was
# missed on 15 of 17 posts of one blog.
VISIBLE_SCAN_BLOCKS = 15


def _visible_iso(text: str) -> str | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return parse_date(text)
    if re.fullmatch(r"\d{4}-\d{2}", text):  # "Last reviewed 2026-06": the month's first day
        return parse_date(f"{text}-01")
    parts = re.findall(r"[A-Za-z]+|\d+", text)
    day = next((int(p) for p in parts if p.isdigit() and len(p) <= 2), None)
    year = next((int(p) for p in parts if p.isdigit() and len(p) == 4), None)
    month = next((_MONTHS.get(p[:3].lower()) for p in parts if p.isalpha()), None)
    if not (day and year and month):
        return None
    try:
        return datetime(year, month, day).date().isoformat()
    except ValueError:
        return None


def visible_dates(blocks: list[TextBlock]) -> list[FoundDate]:
    """Dates the page shows near its top: "Updated 3 November 2026", "Published: 2026-01-05"."""
    found = []
    for block in itertools.islice((b for b in blocks if b.tag != "li"), VISIBLE_SCAN_BLOCKS):
        for match in _VISIBLE.finditer(block.text):
            word = match.group(1).lower()
            kind: DateKind = "published" if word in ("published", "posted") else "modified"
            iso = _visible_iso(match.group(2))
            if iso:
                found.append(FoundDate(kind, match.group(0), iso, "text:visible"))
    return found


# Sources in the order their date is trusted for a page's own "modified" and "published" date:
# what the page states about itself first, then what the site or the server says.
MODIFIED_SOURCES = (
    "json-ld:dateModified",
    "meta:article:modified_time",
    "meta:og:updated_time",
    "meta:dcterms.modified",
    "meta:last-modified",
    "text:visible",
    "html:time",
    "sitemap:lastmod",
    "http:last-modified",
)
PUBLISHED_SOURCES = (
    "json-ld:datePublished",
    "json-ld:dateCreated",
    "meta:article:published_time",
    "meta:date",
    "meta:dc.date",
    "meta:dc.date.issued",
    "meta:dcterms.created",
    "text:visible",
    "html:time",
)


def best_date(dates: list[FoundDate], kind: str) -> FoundDate | None:
    """The most trustworthy parseable date of a kind (`modified` or `published`)."""
    order = MODIFIED_SOURCES if kind == "modified" else PUBLISHED_SOURCES
    candidates = [d for d in dates if d.iso and d.kind == kind and d.source in order]
    return min(candidates, key=lambda d: order.index(d.source), default=None)


def with_sitemap(dates: list[FoundDate], lastmod: str | None) -> list[FoundDate]:
    """The page's dates plus its sitemap `lastmod`, which only the crawl as a whole knows."""
    if not lastmod:
        return dates
    return [*dates, FoundDate("modified", lastmod, parse_date(lastmod), "sitemap:lastmod")]
