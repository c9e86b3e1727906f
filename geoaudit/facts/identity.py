"""The site's identity as it states it: its name, description and contact details.

Gathered once after the crawl from the home page and, on the one pass over the pages, every
other page. The llms.txt generator
writes it out; the identity rules compare it with llms.txt and flag what is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from geoaudit.facts.pages import section_of
from geoaudit.models import PageModel

# Between a page's title and the site's name: " | ", " - ", " – ", " · ", " • ", " : ", " » ",
# and the full-width bars of CJK titles with or without spaces ("AI予想｜研究所").
TITLE_SEPARATORS = re.compile(r"\s+[|\-–—·•:»]\s+|\s*[｜丨]\s*")
_OPENING, _CLOSING = "([{（【「『", ")]}）】」』"
GENERIC_TITLE_PARTS = {"home", "homepage", "home page", "welcome", "index"}
SHARED_TITLE_PAGES = 3  # titles sharing a part of the home's, at least, and over half of them
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


def title_parts(title: str) -> list[str]:
    """A title cut at its separators, except inside brackets: "Terminology (EN - ES) | Acme"
    is ["Terminology (EN - ES)", "Acme"], not a clipped "Terminology (EN"."""
    parts, start, depth, at = [], 0, 0, 0
    for match in TITLE_SEPARATORS.finditer(title):
        for char in title[at : match.start()]:
            depth += (char in _OPENING) - (char in _CLOSING)
        at = match.start()
        if depth <= 0:
            parts.append(title[start : match.start()])
            start = match.end()
    parts.append(title[start:])
    return [p.strip() for p in parts if p.strip()]


def declared_name(home: PageModel | None) -> str | None:
    """The name the home page declares: its schema.org Organization or WebSite name, else
    `og:site_name`."""
    if home is None:
        return None
    for entity in _entities(home.structured.jsonld):
        name = entity.get("name")
        if isinstance(name, str) and name.strip() and set(_types(entity)) & set(NAME_TYPES):
            return name.strip()
    return home.structured.opengraph.get("og:site_name", "").strip() or None


def _letters(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _named_parts(title: str | None) -> list[str]:
    parts = (p.strip() for p in title_parts(title or ""))
    return [p for p in parts if p.lower() not in GENERIC_TITLE_PARTS]


def _name_sources(home: PageModel | None) -> tuple[str | None, list[str]]:
    """The home page's declared name and its title's parts."""
    if home is None:
        return None, []
    return declared_name(home), _named_parts(home.title)


def site_name(home: PageModel | None) -> str | None:
    """The name the site gives itself, or None when it gives none: the declared name, else
    the home title's first part."""
    declared, parts = _name_sources(home)
    return declared or (parts[0] if parts else None)


def first_paragraph(page: PageModel, min_words: int = 8) -> str | None:
    for block in page.text_blocks:
        if block.tag == "p" and len(block.text.split()) >= min_words and not block.quote:
            return block.text
    return None


class IdentityBuilder:
    """The site's identity: name and description from the home page, contact details from
    every page fed to `add` (contact pages first) and from schema.org contactPoint."""

    def __init__(self, home: PageModel | None):
        declared, parts = _name_sources(home)
        self.found = SiteIdentity(name=declared or (parts[0] if parts else None))
        # A name read from the home title may be its tagline ("Sensor Data Analytics •
        # wildrtrax"): the part of it most of the site's titles share is the name, when the
        # site's address spells it too (titles also share a city: "Drain Cleaning | Austin").
        self.home_parts = [] if declared else parts
        address = urlsplit(home.url) if home is not None else None
        self.address = _letters(address.netloc + address.path) if address else ""
        self.title_parts: dict[str, int] = {}
        self.titled = 0
        if home is not None:
            self.found.description = home.meta_description or None
            details = first_paragraph(home)
            if details and details != self.found.description:
                self.found.details = details
        self.contacts: dict[str, int] = {}

    def add(self, page: PageModel) -> None:
        if not page.is_html_ok:
            return
        if self.home_parts and page.title:
            self.titled += 1
            for part in set(_named_parts(page.title)) & set(self.home_parts):
                self.title_parts[part] = self.title_parts.get(part, 0) + 1
        contacts = self.contacts
        is_contact = section_of(page) == "Contact"
        if is_contact:
            self.found.contact_pages.append(page.url)
        for contact in page.contacts:
            contacts[contact] = contacts.get(contact, 0) + (10 if is_contact else 1)
        for entity in _entities(page.structured.jsonld):
            for key, scheme in (("email", "mailto"), ("telephone", "tel")):
                value = entity.get(key)
                if isinstance(value, str) and value.strip() and "ContactPoint" in _types(entity):
                    contact = f"{scheme}:{value.strip().removeprefix('mailto:')}"
                    contacts[contact] = contacts.get(contact, 0) + 10

    def finish(self) -> SiteIdentity:
        shared = max(self.home_parts, key=lambda p: self.title_parts.get(p, 0), default=None)
        count = self.title_parts.get(shared, 0) if shared else 0
        spelled = _letters(shared) if shared else ""
        if (
            count >= SHARED_TITLE_PAGES
            and count * 2 > self.titled
            and spelled
            and spelled in self.address
        ):
            self.found.name = shared
        contacts = self.contacts
        self.found.contacts = sorted(contacts, key=lambda c: (-contacts[c], c))[:4]
        return self.found
