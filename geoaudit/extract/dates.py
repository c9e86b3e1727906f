"""Dates a page states about itself, each with where it was found."""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime
from typing import Any

from lxml import html as lxml_html

from geoaudit.models import FoundDate

META_DATES = {
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
JSONLD_DATES = {
    "datePublished": "published",
    "dateCreated": "published",
    "dateModified": "modified",
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def parse_date(value: str) -> str | None:
    """ISO 8601 (date or datetime) or an HTTP date, as an ISO string in UTC; None if neither."""
    value = value.strip()
    if _ISO_DATE.match(value):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        if parsed.tzinfo is None:
            return parsed.date().isoformat() if len(value) <= 10 else parsed.isoformat()
        return parsed.astimezone(UTC).isoformat()
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
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


def _jsonld_dates(items: list[Any]) -> list[tuple[str, str, str]]:
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
