"""Site-wide structured-data facts: the organisation as each page describes it, coverage, type
counts and authors. Computed once after the crawl; the site-level schema rules judge them and
the report shows them."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from geoaudit.extract.structured import secondary_organizations, walk
from geoaudit.facts.identity import is_article
from geoaudit.models import PageModel
from geoaudit.vocab.schemaorg import entity_is

IDENTITY_PROPERTIES = ("name", "url", "logo", "sameAs")
MAX_EXAMPLES = 5


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
class SchemaFacts:
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
        """Identity properties with more than one value across pages, most common first."""
        found = {}
        for prop in IDENTITY_PROPERTIES:
            by_value = self.organizations.get(prop, {})
            if len(by_value) > 1:
                ranked = sorted(by_value.items(), key=lambda kv: (-len(kv[1]), kv[0]))
                found[prop] = [(value, pages[:MAX_EXAMPLES]) for value, pages in ranked]
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


def schema_facts(pages: Iterable[PageModel], home: PageModel | None) -> SchemaFacts:
    facts = SchemaFacts()
    orgs: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for page in pages:
        if not page.is_html_ok:
            continue
        facts.html_pages += 1
        entities = page.structured.entities
        facts.pages_with_markup += bool(entities)
        facts.type_counts.update(set(t for e in walk(entities) for t in e["types"]))
        articles = [e for e in walk(entities) if entity_is(e, "Article")]
        if is_article(page):
            facts.articles += 1
            facts.articles_marked += bool(articles)
        ids = {e["id"]: e for e in walk(entities) if e.get("id")}
        credited = False
        for article in articles:
            for author in article["props"].get("author", []):
                author = (
                    ids.get(author["ref"], author)
                    if isinstance(author, dict) and "ref" in author
                    else author
                )
                if isinstance(author, dict) and "props" in author and entity_is(author, "Person"):
                    credited = True
                    name = _text((author["props"].get("name") or [None])[0])
                    if name:
                        facts.authors[name] += 1
        facts.articles_with_person += bool(articles) and credited
        for org in _organizations(entities):
            for prop in IDENTITY_PROPERTIES:
                stated = sorted({t for v in org["props"].get(prop, []) if (t := _text(v))})
                if stated:
                    value = ", ".join(stated)
                    if page.url not in orgs[prop][value]:
                        orgs[prop][value].append(page.url)
    facts.organizations = {prop: dict(values) for prop, values in orgs.items()}
    if home is not None:
        for entity in walk(home.structured.entities):
            if entity_is(entity, "WebSite") and _text((entity["props"].get("name") or [None])[0]):
                facts.site_names["WebSite name"] = _text(entity["props"]["name"][0]) or ""
        og_name = home.structured.opengraph.get("og:site_name", "").strip()
        if og_name:
            facts.site_names["og:site_name"] = og_name
    return facts
