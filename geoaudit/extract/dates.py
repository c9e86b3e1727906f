"""Dates a page states about itself, each with where it was found."""

from __future__ import annotations

import email.utils
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
} | {  # German, French and Spanish months whose first three letters differ from English ones
    "jän": 1, "mär": 3, "mai": 5, "okt": 10, "dez": 12, "fév": 2, "avr": 4, "aoû": 8,
    "déc": 12, "ene": 1, "abr": 4, "ago": 8, "dic": 12, "juin": 6, "juil": 7,
}
# The labels of a date a page shows, and what each claims: an update, or the publication.
# English, German, French, Spanish, Chinese, Japanese, Korean; a calendar emoji before a bare
# date ("🗓️ 2013-12-02") is a publication date.
_MODIFIED_WORDS = (
    r"last updated|updated|last modified|modified|reviewed|last reviewed|zuletzt aktualisiert|"
    r"aktualisiert|mis à jour|actualizado|最后更新|更新于|更新时间|更新日期|更新日|最終更新|更新|"
    r"수정일|수정|업데이트"
)
_PUBLISHED_WORDS = (
    r"published|posted|veröffentlicht|publié|publicado|发表于|发布于|发布时间|发表时间|公開日|"
    r"投稿日|게시일|작성일|🗓️?|📅"
)
_VISIBLE = re.compile(
    rf"(?<![^\W\d_])({_MODIFIED_WORDS}|{_PUBLISHED_WORDS})\s*(?:on|am|le|el|[:：])?\s*"
    r"(\d{4}-\d{2}-\d{2}|\d{4}/\d{1,2}/\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}(?![-\d])"
    r"|\d{1,2}\.?\s+[A-Za-zäéû]{3,9}\.?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4})",
    re.IGNORECASE,
)
_PUBLISHED = re.compile(rf"^(?:{_PUBLISHED_WORDS})$", re.IGNORECASE)
_YEAR = re.compile(r"\d{4}")
# Dates are looked for in the whole main text but its list items: a table of contents (a
# list) once filled the 15 blocks read first, and "[Updated on 2024-04-13]" after it was missed
# on 15 of 17 posts of one blog.


def _visible_iso(text: str) -> str | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return parse_date(text)
    if re.fullmatch(r"\d{4}-\d{2}", text):  # "Last reviewed 2026-06": the month's first day
        return parse_date(f"{text}-01")
    numeric = re.fullmatch(r"(\d{4})(?:/|年)(\d{1,2})(?:/|月)(\d{1,2})日?", text)
    if numeric:
        return parse_date("-".join(f"{int(n):02d}" for n in numeric.groups()))
    parts = re.findall(r"[^\W\d_]+|\d+", text)
    day = next((int(p) for p in parts if p.isdigit() and len(p) <= 2), None)
    year = next((int(p) for p in parts if p.isdigit() and len(p) == 4), None)
    month = next(
        (_MONTHS.get(p[:4].lower()) or _MONTHS.get(p[:3].lower()) for p in parts if p.isalpha()),
        None,
    )
    if not (day and year and month):
        return None
    try:
        return datetime(year, month, day).date().isoformat()
    except ValueError:
        return None


def visible_dates(blocks: list[TextBlock]) -> list[FoundDate]:
    """Dates the page shows near its top: "Updated 3 November 2026", "Published: 2026-01-05"."""
    found = []
    for block in (b for b in blocks if b.tag != "li"):
        if not _YEAR.search(block.text):  # every date read has a year: most blocks are skipped
            continue
        for match in _VISIBLE.finditer(block.text):
            kind: DateKind = "published" if _PUBLISHED.match(match.group(1)) else "modified"
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
