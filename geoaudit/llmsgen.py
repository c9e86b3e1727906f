"""Generate an llms.txt (llmstxt.org format) from the crawl.

H1: the site's name (schema.org Organization/WebSite name, og:site_name, else the home title
cleaned of taglines). Blockquote: the home page's description. Then one H2 section per top-level
path section, linking the site's indexable 2xx HTML pages with their meta descriptions as notes,
most important first (shallow pages with many internal in-links), within a link budget. Legal
pages go under `## Optional`, the section llmstxt.org marks as skippable.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from geoaudit.checks.access import NOINDEX
from geoaudit.models import PageModel
from geoaudit.store import Store

MAX_LINKS = 200
TITLE_SEPARATORS = re.compile(r"\s+[|\-–—·:»]\s+")
GENERIC_TITLE_PARTS = {"home", "homepage", "home page", "welcome", "index"}
LEGAL = re.compile(r"privacy|terms|cookie|legal|imprint|impressum|gdpr|disclaimer", re.I)
NAME_TYPES = ("Organization", "Corporation", "LocalBusiness", "WebSite", "NGO", "Brand")


@dataclass
class Entry:
    url: str
    title: str
    note: str
    depth: int
    in_links: int


def site_name(home: PageModel | None, fallback: str) -> str:
    if home is None:
        return fallback
    for entity in _entities(home.structured.jsonld):
        types = entity.get("@type")
        types = types if isinstance(types, list) else [types]
        name = entity.get("name")
        if isinstance(name, str) and name.strip() and any(t in NAME_TYPES for t in types):
            return name.strip()
    og_name = home.structured.opengraph.get("og:site_name", "").strip()
    if og_name:
        return og_name
    parts = [p for p in TITLE_SEPARATORS.split(home.title or "") if p.strip()]
    parts = [p for p in parts if p.strip().lower() not in GENERIC_TITLE_PARTS]
    return parts[0].strip() if parts else fallback


def _entities(items: list) -> list[dict]:
    out: list[dict] = []
    for item in items:
        if isinstance(item, dict):
            out.append(item)
            graph = item.get("@graph")
            if isinstance(graph, list):
                out.extend(g for g in graph if isinstance(g, dict))
    return out


def page_title(page: PageModel, name: str) -> str:
    parts = [p.strip() for p in TITLE_SEPARATORS.split(page.title or "") if p.strip()]
    parts = [p for p in parts if p.lower() != name.lower()] or parts
    if parts:
        return parts[0]
    h1 = next((h.text for h in page.headings if h.level == 1 and h.text), "")
    return h1 or urlsplit(page.url).path


def _section(url: str) -> str:
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if len(segments) <= 1:
        return "Pages"
    return segments[0].replace("-", " ").replace("_", " ").capitalize()


def _link_text(text: str) -> str:
    return text.replace("[", "(").replace("]", ")")


def generate(store: Store, start_url: str) -> str:
    home = store.start_page(start_url)
    home_url = home.url if home is not None else start_url
    name = site_name(home, urlsplit(start_url).hostname or "Site")
    in_links = store.in_link_counts()
    sections: dict[str, list[Entry]] = defaultdict(list)
    for page in store.iter_pages():
        if not page.is_html_ok or page.directives() & NOINDEX or page.url == home_url:
            continue
        if page.canonical and page.canonical != page.url:
            continue
        entry = Entry(
            url=page.url,
            title=page_title(page, name),
            note=page.meta_description or "",
            depth=page.fetch.depth if page.fetch.depth is not None else 99,
            in_links=in_links.get(page.url, 0),
        )
        section = "Optional" if LEGAL.search(urlsplit(page.url).path) else _section(page.url)
        sections[section].append(entry)
    ranked = sorted(
        (e for entries in sections.values() for e in entries),
        key=lambda e: (e.depth, -e.in_links, e.url),
    )
    kept = {e.url for e in ranked[:MAX_LINKS]}
    lines = [f"# {name}", ""]
    if home is not None and home.meta_description:
        lines += [f"> {home.meta_description}", ""]
    order = sorted(sections, key=lambda s: (s == "Optional", s != "Pages", s))
    for section in order:
        entries = [e for e in sections[section] if e.url in kept]
        if not entries:
            continue
        lines += [f"## {section}", ""]
        for e in sorted(entries, key=lambda e: (e.depth, -e.in_links, e.url)):
            note = f": {e.note}" if e.note else ""
            lines.append(f"- [{_link_text(e.title)}]({e.url}){note}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
