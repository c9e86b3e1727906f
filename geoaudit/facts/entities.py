"""What each schema.org type is expected to state, and a page's entities judged against it.

Expectations come in three tiers, named in every issue:

- Google-required: without it Google ignores the markup for that feature;
- Google-recommended: Google uses it when present;
- GEO best practice: what AI engines use to resolve who publishes and who wrote a page
  (names, URLs, logos, sameAs profiles, authors as Persons, dates).

`entity_issues` reports a property missing in several tiers once, under the highest tier, as
plain data: the structured-data rules turn the issues into findings, and read entities with the
same helpers (`index`, `resolve`, `values`, `entity_label`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from geoaudit.extract.structured import secondary_organizations, walk
from geoaudit.vocab.schemaorg import entity_is

REQUIRED, RECOMMENDED, GEO = "Google-required", "Google-recommended", "GEO best practice"
TIER_ORDER = {REQUIRED: 0, RECOMMENDED: 1, GEO: 2}
AUTHORITATIVE_PROFILES = ("wikipedia.org", "wikidata.org", "linkedin.com", "crunchbase.com")

# type -> [(property, tier)]; a type's expectations apply to its subtypes too.
EXPECTATIONS: dict[str, list[tuple[str, str]]] = {
    "Article": [
        ("headline", RECOMMENDED),
        ("image", RECOMMENDED),
        ("author", RECOMMENDED),
        ("datePublished", RECOMMENDED),
        ("dateModified", RECOMMENDED),
    ],
    "Organization": [("name", GEO), ("url", GEO), ("logo", GEO), ("sameAs", GEO)],
    "LocalBusiness": [
        ("name", REQUIRED),
        ("address", REQUIRED),
        ("telephone", RECOMMENDED),
        ("url", RECOMMENDED),
        ("openingHoursSpecification", RECOMMENDED),
    ],
    "Person": [("name", GEO)],
    "ProfilePage": [("mainEntity", REQUIRED)],
    "FAQPage": [("mainEntity", GEO)],
    "Question": [("name", GEO), ("acceptedAnswer", GEO)],
    "Answer": [("text", GEO)],
    "BreadcrumbList": [("itemListElement", REQUIRED)],
    "ListItem": [("position", REQUIRED), ("name", REQUIRED)],
    "Product": [
        ("name", REQUIRED),
        ("image", RECOMMENDED),
        ("description", RECOMMENDED),
        ("brand", RECOMMENDED),
    ],
    "WebSite": [("name", RECOMMENDED), ("url", RECOMMENDED)],
}
# What AI engines need of the people credited with a page.
# Google's product snippet, merchant listing and software app requirements, for the `offers`
# of a Product or a SoftwareApplication only: an Offer in an OfferCatalog of legal services
# once drew 12 "price missing, Google-required" errors, and Offers on a news site's articles
# 359.
OFFER_HOLDERS = ("Product", "SoftwareApplication")
OFFER_EXPECTATIONS = [
    ("price", REQUIRED), ("priceCurrency", REQUIRED), ("availability", RECOMMENDED),
]
AGGREGATE_OFFER_EXPECTATIONS = [("lowPrice", REQUIRED), ("priceCurrency", REQUIRED)]
AUTHOR_EXPECTATIONS = [("name", GEO), ("url|sameAs", GEO), ("jobTitle", GEO), ("worksFor", GEO)]
PRODUCT_OFFER_PROPERTIES = ("offers", "review", "aggregateRating")


@dataclass
class EntityIssue:
    tier: str
    severity: str
    type: str
    property: str
    message: str
    entity: int  # identity of the entity within the page, to report each (entity, property) once


def index(entities: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Entities of a page by `@id`, for resolving references."""
    return {e["id"]: e for e in walk(entities) if e.get("id")}


def resolve(value: Any, ids: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, dict) and "ref" in value:
        return ids.get(value["ref"], value)
    return value


def values(entity: dict[str, Any], prop: str) -> list[Any]:
    return entity.get("props", {}).get(prop, [])


def _has(entity: dict[str, Any], prop: str) -> bool:
    """Whether the entity states `prop` (or one of `a|b`). A misspelling in case only
    (`sameas`) counts as stated: SD007 reports the spelling, once."""
    wanted = {p.lower() for p in prop.split("|")}
    return any(
        v not in ("", None)
        for name, items in entity.get("props", {}).items()
        if name.lower() in wanted
        for v in items
    )


def _stated(entity: dict[str, Any], prop: str) -> bool:
    """Whether the entity names `prop` (each of `a|b`), valued or not: where `_has` says no,
    the slot is there and empty (`"sameAs": []`, `"logo": ""`), a template's left unfilled."""
    wanted = {p.lower() for p in prop.split("|")}
    return wanted <= {name.lower() for name in entity.get("props", {})}


def entity_label(entity: dict[str, Any]) -> str:
    return "/".join(entity["types"]) or "untyped entity"


def _issue(tier: str, entity: dict[str, Any], prop: str, message: str) -> EntityIssue:
    severity = {REQUIRED: "error", RECOMMENDED: "warning", GEO: "warning"}[tier]
    message = f"{entity_label(entity)}: {message} ({tier})"
    return EntityIssue(tier, severity, entity_label(entity), prop, message, id(entity))


def _missing(
    entity: dict[str, Any], expected: list[tuple[str, str]], role: str = ""
) -> list[EntityIssue]:
    found = []
    for prop, tier in expected:
        if not _has(entity, prop):
            shown = " or ".join(f"'{p}'" for p in prop.split("|"))
            state = "is empty" if _stated(entity, prop) else "is missing"
            found.append(_issue(tier, entity, prop.split("|")[0], f"{role}{shown} {state}"))
    return found


def _item_named(list_item: dict[str, Any], ids: dict[str, dict[str, Any]]) -> bool:
    """Whether a ListItem's `item` is a Thing with a name, which Google takes for the item's
    name (one shop's ItemList carried every name on the product, none on the ListItem)."""
    return any(
        isinstance(item, dict) and _has(item, "name")
        for item in (resolve(v, ids) for v in values(list_item, "item"))
    )


def _author_issues(article: dict[str, Any], ids: dict[str, dict[str, Any]]) -> list[EntityIssue]:
    found = []
    for author in (resolve(v, ids) for v in values(article, "author")):
        if not isinstance(author, dict) or "types" not in author:
            found.append(
                _issue(
                    GEO,
                    article,
                    "author",
                    "'author' should be a Person entity with a name and url, not plain text",
                )
            )
        elif not entity_is(author, "Person"):
            found.append(
                _issue(
                    GEO,
                    article,
                    "author",
                    f"'author' is a {entity_label(author)}; "
                    "a Person lets AI engines credit an expert",
                )
            )
        else:
            found += _missing(author, AUTHOR_EXPECTATIONS, role="author's ")
    return found


def entity_issues(entities: list[dict[str, Any]]) -> list[EntityIssue]:
    """Every tiered issue of a page's entities, nested ones included, each (entity, property)
    once under its highest tier."""
    ids = index(entities)
    secondary = secondary_organizations(entities)
    found: list[EntityIssue] = []
    for entity in walk(entities):
        for expected_type, expected in EXPECTATIONS.items():
            if entity_is(entity, expected_type) and not (
                expected_type == "Organization" and id(entity) in secondary
            ):
                if expected_type == "ListItem" and _item_named(entity, ids):
                    expected = [(p, tier) for p, tier in expected if p != "name"]
                found += _missing(entity, expected)
        if any(entity_is(entity, holder) for holder in OFFER_HOLDERS):
            for offer in (resolve(v, ids) for v in values(entity, "offers")):
                if not (isinstance(offer, dict) and "types" in offer):
                    continue
                if entity_is(offer, "AggregateOffer"):
                    found += _missing(offer, AGGREGATE_OFFER_EXPECTATIONS)
                elif entity_is(offer, "Offer"):
                    found += _missing(offer, OFFER_EXPECTATIONS)
        if entity_is(entity, "Product") and not any(
            _has(entity, p) for p in PRODUCT_OFFER_PROPERTIES
        ):
            found.append(
                _issue(
                    REQUIRED,
                    entity,
                    "offers",
                    "one of 'offers', 'review' or 'aggregateRating' is needed",
                )
            )
        if entity_is(entity, "Article"):
            found += _author_issues(entity, ids)
        # (Without a url, an author's "'url' or 'sameAs' is missing" says it already.)
        if (
            entity_is(entity, "Person")
            and _stated(entity, "sameAs")
            and not _has(entity, "sameAs")
            and _has(entity, "url")
        ):
            found.append(_issue(GEO, entity, "sameAs", "'sameAs' is empty: it links no profile"))
        if entity_is(entity, "Organization") and _has(entity, "sameAs"):
            links = [
                str(v)
                for name, items in entity["props"].items()
                if name.lower() == "sameas"
                for v in items
            ]
            if not any(host in link for link in links for host in AUTHORITATIVE_PROFILES):
                found.append(
                    _issue(
                        GEO,
                        entity,
                        "sameAs",
                        "'sameAs' links no authoritative "
                        "profile (Wikipedia, Wikidata, LinkedIn, Crunchbase)",
                    )
                )
        if entity_is(entity, "ProfilePage"):
            for main in (resolve(v, ids) for v in values(entity, "mainEntity")):
                if isinstance(main, dict) and "types" in main and entity_is(main, "Person"):
                    found += _missing(main, AUTHOR_EXPECTATIONS[1:], role="profile's ")
    best: dict[tuple[int, str], EntityIssue] = {}
    for issue in found:
        key = (issue.entity, issue.property)
        kept = best.get(key)
        if kept is None or TIER_ORDER[issue.tier] < TIER_ORDER[kept.tier]:
            best[key] = issue
    return list(best.values())
