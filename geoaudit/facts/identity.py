"""The site's identity as it states it: its name, description and contact details.

Gathered once after the crawl from the home page and every other page. The llms.txt generator
writes it out; the identity rules compare it with llms.txt and flag what is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from geoaudit.models import PageModel

TITLE_SEPARATORS = re.compile(r"\s+[|\-–—·:»]\s+")
GENERIC_TITLE_PARTS = {"home", "homepage", "home page", "welcome", "index"}
OPTIONAL_PATH = re.compile(
    r"privacy|terms|cookie|legal|imprint|impressum|gdpr|disclaimer|/tags?/|/categor(y|ies)/"
    r"|/archives?/|/page/\d+|[?&]page=\d+",
    re.IGNORECASE,
)
NAME_TYPES = (
    "Organization",
    "Corporation",
    "LocalBusiness",
    "WebSite",
    "NGO",
    "Brand",
    "OnlineStore",
    "Store",
    "ProfessionalService",
)
SECTION_OF_SEGMENT = {
    **dict.fromkeys(
        (
            "about",
            "about-us",
            "company",
            "team",
            "people",
            "authors",
            "author",
            "careers",
            "mission",
        ),
        "About",
    ),
    **dict.fromkeys(("services", "service", "solutions", "pricing", "plans"), "Services"),
    **dict.fromkeys(("products", "product", "shop", "store", "collections"), "Products"),
    **dict.fromkeys(("docs", "documentation", "doc", "api", "reference", "manual"), "Docs"),
    **dict.fromkeys(
        ("guides", "guide", "tutorials", "tutorial", "learn", "how-to", "academy"), "Guides"
    ),
    **dict.fromkeys(("blog", "news", "articles", "posts", "insights", "stories"), "Blog"),
    **dict.fromkeys(("contact", "contact-us", "support", "help", "locations"), "Contact"),
}
SECTION_OF_TYPE = {
    "Product": "Products",
    "Service": "Services",
    "BlogPosting": "Blog",
    "NewsArticle": "Blog",
    "Article": "Blog",
    "ContactPage": "Contact",
    "AboutPage": "About",
    "ProfilePage": "About",
}


@dataclass
class SiteIdentity:
    """What the site says about itself: the facts the generator and the identity rules use."""

    name: str | None = None
    description: str | None = None
    details: str | None = None
    contacts: list[str] = field(default_factory=list)
    contact_pages: list[str] = field(default_factory=list)


def _entities(items: list[Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    stack = list(items)
    while stack:
        item = stack.pop(0)
        if isinstance(item, dict):
            out.append(item)
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend(item)
    return out


def _types(entity: dict[str, Any]) -> list[str]:
    value = entity.get("@type")
    return [t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)]


def site_name(home: PageModel | None) -> str | None:
    """The name the site gives itself, or None when it gives none."""
    if home is None:
        return None
    for entity in _entities(home.structured.jsonld):
        name = entity.get("name")
        if isinstance(name, str) and name.strip() and set(_types(entity)) & set(NAME_TYPES):
            return name.strip()
    og_name = home.structured.opengraph.get("og:site_name", "").strip()
    if og_name:
        return og_name
    parts = [p.strip() for p in TITLE_SEPARATORS.split(home.title or "") if p.strip()]
    parts = [p for p in parts if p.lower() not in GENERIC_TITLE_PARTS]
    return parts[0] if parts else None


def first_paragraph(page: PageModel, min_words: int = 8) -> str | None:
    for block in page.text_blocks:
        if block.tag == "p" and len(block.text.split()) >= min_words and not block.quote:
            return block.text
    return None


def identity(home: PageModel | None, pages: Iterable[PageModel]) -> SiteIdentity:
    """The site's identity: name and description from the home page, contact details from
    every page (contact pages first) and from schema.org contactPoint."""
    found = SiteIdentity(name=site_name(home))
    if home is not None:
        found.description = home.meta_description or None
        details = first_paragraph(home)
        if details and details != found.description:
            found.details = details
    contacts: dict[str, int] = {}
    for page in pages:
        if not page.is_html_ok:
            continue
        is_contact = section_of(page) == "Contact"
        if is_contact:
            found.contact_pages.append(page.url)
        for contact in page.contacts:
            contacts[contact] = contacts.get(contact, 0) + (10 if is_contact else 1)
        for entity in _entities(page.structured.jsonld):
            for key, scheme in (("email", "mailto"), ("telephone", "tel")):
                value = entity.get(key)
                if isinstance(value, str) and value.strip() and "ContactPoint" in _types(entity):
                    contact = f"{scheme}:{value.strip().removeprefix('mailto:')}"
                    contacts[contact] = contacts.get(contact, 0) + 10
    found.contacts = sorted(contacts, key=lambda c: (-contacts[c], c))[:4]
    return found


def section_of(page: PageModel) -> str:
    segments = [s for s in urlsplit(page.url).path.lower().split("/") if s]
    if OPTIONAL_PATH.search(page.url):
        return "Optional"
    if segments and segments[0] in SECTION_OF_SEGMENT:
        return SECTION_OF_SEGMENT[segments[0]]
    for entity_type in page.structured.types:
        if entity_type in SECTION_OF_TYPE:
            return SECTION_OF_TYPE[entity_type]
    if len(segments) <= 1:
        return "Pages"
    return segments[0].replace("-", " ").replace("_", " ").capitalize()


ARTICLE_TYPES = {
    "Article",
    "NewsArticle",
    "BlogPosting",
    "TechArticle",
    "Report",
    "ScholarlyArticle",
    "LiveBlogPosting",
    "OpinionNewsArticle",
    "AnalysisNewsArticle",
}


def is_article(page: PageModel) -> bool:
    """An article page: marked up as an Article kind, or declared `og:type` article."""
    return page.is_html_ok and (
        bool(ARTICLE_TYPES & set(page.structured.types))
        or page.structured.opengraph.get("og:type", "").lower() == "article"
    )
