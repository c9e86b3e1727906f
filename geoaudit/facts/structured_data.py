"""Site-wide structured-data facts: the organisation as each page describes it, coverage, type
counts and authors. Computed once after the crawl; the site-level schema rules judge them and
the report shows them."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from geoaudit.extract.structured import secondary_organizations, walk
from geoaudit.facts.pages import is_article, page_identity
from geoaudit.models import PageModel
from geoaudit.vocab.schemaorg import entity_is

IDENTITY_PROPERTIES = ("name", "url", "logo", "sameAs")
URL_PROPERTIES = ("url", "logo", "sameAs")


def _same_url(url: str) -> str:
    """A URL as one value whatever its spelling of the scheme and host, or a trailing slash:
    `https://Acme.example/` and `https://acme.example` name one home."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return url
    same = parts._replace(
        scheme=parts.scheme.lower(), netloc=parts.netloc.lower(), path=parts.path.rstrip("/")
    )
    return same.geturl()


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, dict) and "props" in value:  # an ImageObject logo: its url
        for prop in ("url", "contentUrl"):
            inner = value["props"].get(prop, [])
            if inner and isinstance(inner[0], str):
                return inner[0].strip()
    return None


@dataclass
class StructuredDataFacts:
    html_pages: int = 0
    pages_with_markup: int = 0
    articles: int = 0
    articles_marked: int = 0
    articles_with_person: int = 0
    type_counts: Counter[str] = field(default_factory=Counter)
    authors: Counter[str] = field(default_factory=Counter)
    # property -> value -> pages stating it, for Organization entities that are the publisher
    organizations: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    site_names: dict[str, str] = field(default_factory=dict)

    def organization_names(self) -> set[str]:
        return set(self.organizations.get("name", {}))

    def conflicts(self) -> dict[str, list[tuple[str, list[str]]]]:
        """Identity properties with more than one value across pages, most common first, each
        value with every page stating it. (The lists were once cut to five pages before they
        were counted: "on 5 pages" for a name on 70.)"""
        found = {}
        for prop in IDENTITY_PROPERTIES:
            by_value = self.organizations.get(prop, {})
            if len(by_value) > 1:
                found[prop] = sorted(by_value.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        return found

    def report(self) -> dict[str, Any]:
        return {
            "html_pages": self.html_pages,
            "pages_with_markup": self.pages_with_markup,
            "articles": self.articles,
            "articles_marked": self.articles_marked,
            "articles_with_person_author": self.articles_with_person,
            "types": dict(sorted(self.type_counts.items(), key=lambda kv: (-kv[1], kv[0]))),
            "authors": dict(sorted(self.authors.items(), key=lambda kv: (-kv[1], kv[0]))),
            "identity_conflicts": {p: [v for v, _ in vs] for p, vs in self.conflicts().items()},
        }


def _organizations(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The publishing Organization entities of a page (employers, brands and the like aside)."""
    secondary = secondary_organizations(entities)
    return [e for e in walk(entities) if entity_is(e, "Organization") and id(e) not in secondary]


class StructuredDataBuilder:
    """Site-wide structured-data facts from the pages fed to `add`, and the home page's names."""

    def __init__(self, home: PageModel | None):
        self.home = home
        self.facts = StructuredDataFacts()
        self.orgs: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.seen: set[tuple[str, str, tuple[str, str, str]]] = set()
        # Person entities by @id, with their names, on any page; the author @ids of articles
        # whose page defines no Person for them.
        self.persons: dict[str, str | None] = {}
        self.by_reference: list[list[str]] = []

    def add(self, page: PageModel) -> None:
        if not page.is_html_ok:
            return
        self.facts.html_pages += 1
        entities = page.structured.entities
        self.facts.pages_with_markup += bool(entities)
        self.facts.type_counts.update(set(t for e in walk(entities) for t in e["types"]))
        # Article entities count on article pages only: on a listing they are the theme's
        # stubs of the posts listed, and each post's page counts its own.
        article_page = is_article(page)
        articles = [e for e in walk(entities) if entity_is(e, "Article")] if article_page else []
        if article_page:
            self.facts.articles += 1
            self.facts.articles_marked += bool(articles)
        ids = {e["id"]: e for e in walk(entities) if e.get("id")}
        for key, entity in ids.items():
            if entity_is(entity, "Person"):
                self.persons.setdefault(key, _text((entity["props"].get("name") or [None])[0]))
        credited, elsewhere = False, []
        for article in articles:
            for author in article["props"].get("author", []):
                ref = author.get("ref") if isinstance(author, dict) else None
                author = ids.get(ref, author) if ref else author
                if isinstance(author, dict) and "props" in author and entity_is(author, "Person"):
                    credited = True
                    name = _text((author["props"].get("name") or [None])[0])
                    if name:
                        self.facts.authors[name] += 1
                elif ref:
                    elsewhere.append(ref)
        self.facts.articles_with_person += bool(articles) and credited
        if articles and not credited and elsewhere:
            # An author by `@id` whose Person another page defines (a profile page): judged
            # once every page is read.
            self.by_reference.append(elsewhere)
        for org in _organizations(entities):
            for prop in IDENTITY_PROPERTIES:
                stated = sorted(
                    {_same_url(t) if prop in URL_PROPERTIES else t
                     for v in org["props"].get(prop, []) if (t := _text(v))}
                )  # fmt: skip
                if stated:
                    value = ", ".join(stated)
                    # A page's copies (`/?p=7` naming `/` as canonical) are the page it names:
                    # counted once, or one home page's Restaurant was "on 7 pages".
                    judged = (prop, value, page_identity(page.canonical or page.url))
                    if judged not in self.seen:
                        self.seen.add(judged)
                        self.orgs[prop][value].append(page.url)

    def finish(self) -> StructuredDataFacts:
        self.facts.organizations = {prop: dict(values) for prop, values in self.orgs.items()}
        for refs in self.by_reference:
            found = [ref for ref in refs if ref in self.persons]
            if found:
                self.facts.articles_with_person += 1
                for name in (self.persons[ref] for ref in found):
                    if name:
                        self.facts.authors[name] += 1
        if self.home is not None:
            for entity in walk(self.home.structured.entities):
                name = _text((entity["props"].get("name") or [None])[0])
                if entity_is(entity, "WebSite") and name:
                    self.facts.site_names["WebSite name"] = name
            og_name = self.home.structured.opengraph.get("og:site_name", "").strip()
            if og_name:
                self.facts.site_names["og:site_name"] = og_name
        return self.facts
