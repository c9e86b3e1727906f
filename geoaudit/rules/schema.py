"""Structured-data rules: does each page describe itself, its publisher and its author in
schema.org terms that Google and AI engines can use?

Entity expectations are in three tiers, named in every finding:

- Google-required: without it Google ignores the markup for that feature;
- Google-recommended: Google uses it when present;
- GEO best practice: what AI engines use to resolve who publishes and who wrote a page
  (names, URLs, logos, sameAs profiles, authors as Persons, dates).

A property missing in several tiers is reported once, under the highest tier. FAQPage is an
AI-readiness signal only: Google retired FAQ rich results in 2026, so geoaudit never calls FAQ
markup rich-result eligible.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from geoaudit.extract.structured import secondary_organizations, walk
from geoaudit.facts import Site
from geoaudit.models import PageModel
from geoaudit.rules import Problem, page_rule, site_rule
from geoaudit.vocab.schemaorg import entity_is, vocabulary

REQUIRED, RECOMMENDED, GEO = "Google-required", "Google-recommended", "GEO best practice"
VOCABULARY, CONTENT = "schema.org vocabulary", "content match"
TIER_ORDER = {REQUIRED: 0, RECOMMENDED: 1, GEO: 2}
AUTHORITATIVE_PROFILES = ("wikipedia.org", "wikidata.org", "linkedin.com", "crunchbase.com")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".ico", ".bmp")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")
_TAG = re.compile(r"<[^>]+>")
_WORDS = re.compile(r"[^\w]+")

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
    "Offer": [("price", REQUIRED), ("priceCurrency", REQUIRED), ("availability", RECOMMENDED)],
    "WebSite": [("name", RECOMMENDED), ("url", RECOMMENDED)],
}
# What AI engines need of the people credited with a page.
AUTHOR_EXPECTATIONS = [("name", GEO), ("url|sameAs", GEO), ("jobTitle", GEO), ("worksFor", GEO)]
PRODUCT_OFFER_PROPERTIES = ("offers", "review", "aggregateRating")
ARTICLE_TYPES = ("Article",)


@dataclass
class EntityIssue:
    tier: str
    severity: str
    type: str
    property: str
    message: str
    entity: int  # identity of the entity within the page, to report each (entity, property) once

    def problem(self) -> Problem:
        return Problem(self.message, type=self.type, property=self.property)


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


def _label(entity: dict[str, Any]) -> str:
    return "/".join(entity["types"]) or "untyped entity"


def _issue(tier: str, entity: dict[str, Any], prop: str, message: str) -> EntityIssue:
    severity = {REQUIRED: "error", RECOMMENDED: "warning", GEO: "warning"}[tier]
    message = f"{_label(entity)}: {message} ({tier})"
    return EntityIssue(tier, severity, _label(entity), prop, message, id(entity))


def _missing(
    entity: dict[str, Any], expected: list[tuple[str, str]], role: str = ""
) -> list[EntityIssue]:
    found = []
    for prop, tier in expected:
        if not _has(entity, prop):
            shown = " or ".join(f"'{p}'" for p in prop.split("|"))
            found.append(_issue(tier, entity, prop.split("|")[0], f"{role}{shown} is missing"))
    return found


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
                    f"'author' is a {_label(author)}; a Person lets AI engines credit an expert",
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
                found += _missing(entity, expected)
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


# The three tier rules (SD001-SD003) judge the same page one after another: its issues are
# computed once. The entities are held, so their identity cannot pass to another page's list.
_last_issues: tuple[list[dict[str, Any]], list[EntityIssue]] | None = None


def _page_issues(entities: list[dict[str, Any]]) -> list[EntityIssue]:
    global _last_issues
    if _last_issues is None or _last_issues[0] is not entities:
        _last_issues = (entities, entity_issues(entities))
    return _last_issues[1]


def _tier_rule(page: PageModel, tier: str) -> Iterator[Problem]:
    for issue in _page_issues(page.structured.entities):
        if issue.tier == tier:
            yield issue.problem()


def has_entities(page: PageModel) -> bool:
    return page.is_html_ok and bool(page.structured.entities)


def has_markup(page: PageModel) -> bool:
    """The page tries to carry structured data, whether or not it parses."""
    data = page.structured
    return bool(data.jsonld or data.microdata or data.rdfa or data.errors)


@page_rule(
    "SD001",
    name="structured-data-missing",
    title="Page has no schema.org structured data",
    severity="warning",
    category="structured_data",
    applies=lambda page: page.is_html_ok and not page.structured.errors,
)
def structured_data_missing(page: PageModel, site: Site) -> Iterator[str]:
    """The page carries no schema.org data: no JSON-LD, microdata or RDFa entity.

    Why it matters: AI engines resolve who publishes a page and who wrote it largely from
    schema.org markup (Organization, Person, Article...). Without it they guess from the text.

    How to fix: add a JSON-LD block describing the page (Article, Product, FAQPage...) and the
    publisher (Organization) with `name`, `url`, `logo` and `sameAs`.

    Pass: `<script type="application/ld+json">{"@type": "Article", ...}</script>`.
    Fail: a page with no JSON-LD, microdata or RDFa.
    """
    if not page.structured.entities:
        yield "page has no schema.org structured data"


@page_rule(
    "SD002",
    name="json-ld-invalid",
    title="Structured data cannot be parsed",
    severity="error",
    category="structured_data",
    applies=lambda page: page.is_html_ok and has_markup(page),
    tier="parse",
)
def json_ld_invalid(page: PageModel, site: Site) -> Iterator[str]:
    """A structured-data block is not valid JSON (a `;` after the object, comments, trailing
    commas, CDATA wrappers, raw control characters, HTML-escaped quotes, several objects run
    together), or microdata/RDFa failed to parse.

    Why it matters: strict consumers, Google among them, drop a JSON-LD block that does not
    parse, entirely. geoaudit salvages what it can to check the rest, but engines will not.

    How to fix: make each block one valid JSON document (or a JSON array), without comments or
    trailing punctuation; test it with the Schema Markup Validator.

    Pass: `{"@context": "https://schema.org", "@type": "Organization", "name": "Acme"}`.
    Fail: `{"@type": "Organization", "name": "Acme",};`
    """
    yield from page.structured.errors


@page_rule(
    "SD003",
    name="sd-google-required",
    title="Structured data lacks a Google-required property",
    severity="error",
    category="structured_data",
    applies=has_entities,
    tier=REQUIRED,
)
def google_required(page: PageModel, site: Site) -> Iterator[Problem]:
    """An entity lacks a property Google requires for it: Product `name` and one of
    `offers`/`review`/`aggregateRating`, Offer `price` and `priceCurrency`, BreadcrumbList
    `itemListElement` with ListItem `position` and `name`, ProfilePage `mainEntity`,
    LocalBusiness `name` and `address`.

    Why it matters: Google ignores markup that lacks a required property for its feature, and AI
    engines built on its index see an incomplete entity.

    How to fix: add the property named in the finding.

    Pass: `{"@type": "Product", "name": "Mug", "offers": {"@type": "Offer", "price": "12",
    "priceCurrency": "GBP"}}`. Fail: `{"@type": "Product", "name": "Mug"}`.
    """
    yield from _tier_rule(page, REQUIRED)


@page_rule(
    "SD004",
    name="sd-google-recommended",
    title="Structured data lacks a Google-recommended property",
    severity="warning",
    category="structured_data",
    applies=has_entities,
    tier=RECOMMENDED,
)
def google_recommended(page: PageModel, site: Site) -> Iterator[Problem]:
    """An entity lacks a property Google recommends: Article `headline`, `image`, `author`,
    `datePublished`, `dateModified`; Product `image`, `description`, `brand`; Offer
    `availability`; WebSite `name` and `url`; LocalBusiness `telephone`, `url`, opening hours.

    Why it matters: Google and the AI answers built on it use these to describe and date the
    page; missing ones are filled by guesses or left out.

    How to fix: add the property named in the finding.

    Pass: an Article with headline, image, author, datePublished and dateModified.
    Fail: `{"@type": "Article", "headline": "..."}` alone.
    """
    yield from _tier_rule(page, RECOMMENDED)


@page_rule(
    "SD005",
    name="sd-geo-best-practice",
    title="Structured data misses what AI engines use",
    severity="warning",
    category="structured_data",
    applies=has_entities,
    tier=GEO,
)
def geo_best_practice(page: PageModel, site: Site) -> Iterator[Problem]:
    """An entity lacks what AI engines use to resolve who is who: Organization `name`, `url`,
    `logo` and `sameAs` links to authoritative profiles (Wikipedia, Wikidata, LinkedIn,
    Crunchbase); authors as Person entities with `name`, `url` or `sameAs`, `jobTitle` and
    `worksFor`; FAQPage questions with `name` and `acceptedAnswer.text`.

    Why it matters: engines cite sources they can tie to a known entity and an identifiable
    expert; sameAs links connect the site to the knowledge graphs they rely on.

    How to fix: add the property named in the finding; make authors Person entities (with an
    author page as `url`) rather than strings or the Organization.

    Pass: `"author": {"@type": "Person", "name": "Ann Lee", "url": "https://acme.example/ann",
    "jobTitle": "Editor", "worksFor": {"@id": "#org"}}`. Fail: `"author": "Ann Lee"`.
    """
    yield from _tier_rule(page, GEO)


@page_rule(
    "SD006",
    name="sd-unknown-type",
    title="Structured data uses a type schema.org does not define",
    severity="warning",
    category="structured_data",
    applies=has_entities,
    tier=VOCABULARY,
)
def unknown_type(page: PageModel, site: Site) -> Iterator[Problem]:
    """An entity's `@type` is not a schema.org type (checked against the pinned schema.org
    release geoaudit ships): a typo, wrong case, or an invented type.

    Why it matters: consumers skip entities of unknown types, so everything they say is lost.

    How to fix: use the exact schema.org type name; the finding suggests the closest one.

    Pass: `"@type": "BlogPosting"`. Fail: `"@type": "Blogposting"` or `"@type": "Company"`.
    """
    vocab = vocabulary()
    for entity in walk(page.structured.entities):
        for entity_type in entity["types"]:
            if not vocab.is_type(entity_type):
                hint = vocab.suggest_type(entity_type)
                tip = f"; did you mean '{hint}'?" if hint else ""
                yield Problem(
                    f"type '{entity_type}' is not in schema.org {vocab.release}{tip}",
                    type=entity_type,
                )


@page_rule(
    "SD007",
    name="sd-unknown-property",
    title="Structured data uses a property its type lacks",
    severity="warning",
    category="structured_data",
    applies=has_entities,
    tier=VOCABULARY,
)
def unknown_property(page: PageModel, site: Site) -> Iterator[Problem]:
    """A property is not defined by schema.org for the entity's type (or any type it inherits
    from): a typo such as `sameas`, a property of another type, or an invented one. Properties
    schema.org has superseded are reported with their replacement.

    Why it matters: consumers ignore unknown properties; the value is lost.

    How to fix: use the property the finding suggests, or move the value to a property the type
    defines.

    Pass: `"sameAs": [...]` on an Organization. Fail: `"sameas": [...]` or a Person's
    `"headline"`.
    """
    vocab = vocabulary()
    for entity in walk(page.structured.entities):
        known = [t for t in entity["types"] if vocab.is_type(t)]
        if not known:
            continue
        for prop in entity["props"]:
            label = _label(entity)
            if prop in vocab.superseded:
                yield Problem(
                    f"{label}: '{prop}' is superseded by '{vocab.superseded[prop]}'",
                    type=label,
                    property=prop,
                )
            elif not vocab.defines(known, prop):
                hint = vocab.suggest_property(prop, known)
                tip = f"; did you mean '{hint}'?" if hint else ""
                yield Problem(
                    f"{label}: '{prop}' is not a property of {label}{tip}",
                    type=label,
                    property=prop,
                )


def _is_url(value: str) -> bool:
    parts = urlsplit(value.strip())
    return (parts.scheme in ("http", "https") and bool(parts.netloc)) or value.startswith("/")


def _is_iso_date(value: str) -> bool:
    if not _ISO.match(value.strip()):
        return False
    try:
        datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _value_problems(entity: dict[str, Any]) -> Iterator[Problem]:
    vocab = vocabulary()
    label = _label(entity)
    for prop, items in entity["props"].items():
        ranges = set(vocab.ranges(prop))
        for value in items:
            if not isinstance(value, str):
                continue
            shown = value if len(value) <= 60 else value[:59] + "…"
            if "URL" in ranges and "Text" not in ranges and not _is_url(value):
                yield Problem(
                    f"{label}: '{prop}' should be a URL, not '{shown}'", type=label, property=prop
                )
            elif ranges and ranges <= {"Date", "DateTime"} and not _is_iso_date(value):
                yield Problem(
                    f"{label}: '{prop}' should be an ISO 8601 date, not '{shown}'",
                    type=label,
                    property=prop,
                )
            elif (
                prop == "logo"
                and _is_url(value)
                and not urlsplit(value).path.lower().endswith(IMAGE_EXTENSIONS)
            ):
                yield Problem(
                    f"{label}: 'logo' should be an image URL, not '{shown}'",
                    type=label,
                    property=prop,
                )


@page_rule(
    "SD008",
    name="sd-value-kind",
    title="Structured-data value of the wrong kind",
    severity="warning",
    category="structured_data",
    applies=has_entities,
    tier=VOCABULARY,
)
def value_kind(page: PageModel, site: Site) -> Iterator[Problem]:
    """A value does not have the kind schema.org expects for the property: a `url` or `sameAs`
    that is not a URL, a `datePublished` that is not an ISO 8601 date, a `logo` that is not an
    image URL.

    Why it matters: consumers drop values they cannot read: a date written "March 3rd" or a
    URL without its scheme is as good as absent.

    How to fix: write URLs absolute with `https://`, dates as `2026-03-03` or
    `2026-03-03T09:00:00+00:00`, and point `logo` at an image file (or an ImageObject).

    Pass: `"datePublished": "2026-03-03"`. Fail: `"datePublished": "3 March 2026"`.
    """
    for entity in walk(page.structured.entities):
        yield from _value_problems(entity)


def _normal_text(text: str) -> str:
    return _WORDS.sub(" ", _TAG.sub(" ", text).lower()).strip()


def _padded(parts: Iterable[str]) -> str:
    return " " + _normal_text(" ".join(parts)) + " "


class VisibleText:
    """A page's normalised visible text, for `phrase in text`: the title and headings first,
    the whole text only for a phrase not among them (an Article's headline mostly is its H1,
    and normalising the body costs a millisecond a page)."""

    def __init__(self, page: PageModel):
        self.page = page
        self._head: str | None = None
        self._full: str | None = None

    def __contains__(self, phrase: str) -> bool:
        if self._head is None:
            self._head = _padded([self.page.title or "", *(h.text for h in self.page.headings)])
        if phrase in self._head:
            return True
        if self._full is None:
            self._full = _padded(
                [
                    self.page.title or "",
                    *(h.text for h in self.page.headings),
                    *(b.text for b in self.page.text_blocks),
                ]
            )
        return phrase in self._full


@page_rule(
    "SD009",
    name="sd-content-mismatch",
    title="Structured data says what the page does not show",
    severity="warning",
    category="structured_data",
    applies=lambda page: (
        has_entities(page)
        and any(
            entity_is(e, "FAQPage") or entity_is(e, "Article")
            for e in walk(page.structured.entities)
        )
    ),
    tier=CONTENT,
)
def content_mismatch(page: PageModel, site: Site) -> Iterator[Problem]:
    """A FAQPage question or answer, or an Article headline, does not appear in the page's
    visible text.

    Why it matters: Google requires marked-up FAQ content and headlines to be visible on the
    page, and treats a mismatch as spam; AI engines distrust markup that disagrees with the
    text they read.

    How to fix: mark up exactly the questions, answers and headline the page shows, or show
    what the markup says.

    Pass: the FAQ's question appears word for word on the page.
    Fail: `"name": "Do you ship abroad?"` with no such question on the page.
    """
    text = VisibleText(page)
    ids = index(page.structured.entities)
    for entity in walk(page.structured.entities):
        if entity_is(entity, "Article"):
            for headline in values(entity, "headline"):
                if isinstance(headline, str) and f" {_normal_text(headline)} " not in text:
                    yield Problem(
                        f"{_label(entity)}: 'headline' \"{headline[:80]}\" is not on the page",
                        type=_label(entity),
                        property="headline",
                    )
        if not entity_is(entity, "FAQPage"):
            continue
        for question in (resolve(v, ids) for v in values(entity, "mainEntity")):
            if not isinstance(question, dict) or "props" not in question:
                continue
            for name in values(question, "name"):
                if isinstance(name, str) and f" {_normal_text(name)} " not in text:
                    yield Problem(
                        f"Question: 'name' \"{name[:80]}\" (FAQPage) is not on the page",
                        type="Question",
                        property="name",
                    )
            for answer in (resolve(v, ids) for v in values(question, "acceptedAnswer")):
                for answer_text in values(answer, "text") if isinstance(answer, dict) else []:
                    words = _normal_text(str(answer_text))[:200].rsplit(" ", 1)[0]
                    if words and f" {words}" not in text:
                        yield Problem(
                            f"Answer: 'text' (FAQPage) \"{str(answer_text)[:80]}\" is "
                            "not on the page",
                            type="Answer",
                            property="text",
                        )


@site_rule(
    "SD010",
    name="sd-identity-conflict",
    title="Pages describe the organisation differently",
    severity="warning",
    category="structured_data",
    applies=lambda site: bool(site.structured_data and site.structured_data.organizations),
)
def identity_conflict(site: Site) -> Iterator[Problem]:
    """Across pages, the Organization markup gives different values for `name`, `url`, `logo`
    or `sameAs`.

    Why it matters: engines merge what pages say into one entity; conflicting names, homes or
    profiles split it or make them distrust it.

    How to fix: emit the same Organization entity on every page, ideally from one template
    with one `@id`.

    Pass: every page says `"name": "Acme Tools"`. Fail: `Acme Tools` on most pages, `Acme Ltd`
    on the blog.
    """
    assert site.structured_data is not None
    for prop, variants in site.structured_data.conflicts().items():
        listed = "; ".join(
            f"'{value}' on {len(pages)} pages (e.g. {pages[0]})" for value, pages in variants
        )
        yield Problem(
            f"Organization: '{prop}' differs across pages: {listed}",
            type="Organization",
            property=prop,
        )


@site_rule(
    "SD011",
    name="sd-org-name-mismatch",
    title="Organization name differs from the site's name",
    severity="warning",
    category="structured_data",
    applies=lambda site: (
        site.structured_data is not None
        and bool(site.structured_data.organizations)
        and bool(site.structured_data.site_names)
    ),
)
def org_name_mismatch(site: Site) -> Iterator[Problem]:
    """The Organization `name` differs from the name the site uses elsewhere: the WebSite
    entity's `name` or `og:site_name` on the home page, or the llms.txt H1.

    Why it matters: one name everywhere is how engines recognise one entity.

    How to fix: use the same name in Organization, WebSite, og:site_name and llms.txt.

    Pass: all say `Acme Tools`. Fail: Organization `Acme Tools Ltd`, og:site_name `Acme`.
    """
    assert site.structured_data is not None
    names = {_normal_text(n) for n in site.structured_data.organization_names()}
    others = dict(site.structured_data.site_names)
    if site.llms is not None and site.llms.h1:
        others["llms.txt H1"] = site.llms.h1
    for source, name in sorted(others.items()):
        if names and _normal_text(name) not in names:
            org = sorted(site.structured_data.organization_names())[0]
            yield Problem(
                f"Organization: 'name' '{org}' differs from the {source} '{name}'",
                type="Organization",
                property="name",
            )


@site_rule(
    "SD012",
    name="sd-coverage",
    title="Structured data covers too few pages or articles",
    severity="notice",
    category="structured_data",
    applies=lambda site: site.structured_data is not None and site.structured_data.html_pages > 0,
)
def coverage(site: Site) -> Iterator[Problem]:
    """Site-wide coverage: under half the HTML pages carry structured data, or articles lack
    Article markup, or their markup credits no Person author.

    Why it matters: engines learn the site's entities from the pages that describe them;
    coverage gaps leave whole sections anonymous.

    How to fix: add markup to the page templates (article, product, profile), so that every
    page of a kind carries it.

    Pass: 90% of pages with markup, every article with a Person author.
    Fail: 3 of 40 pages with markup.
    """
    assert site.structured_data is not None
    facts = site.structured_data
    if facts.pages_with_markup < facts.html_pages / 2:
        yield Problem(
            f"{facts.pages_with_markup} of {facts.html_pages} HTML pages carry structured data"
        )
    if facts.articles and facts.articles_marked < facts.articles:
        yield Problem(
            f"{facts.articles - facts.articles_marked} of {facts.articles} article "
            "pages have no Article markup",
            type="Article",
        )
    if facts.articles_marked and facts.articles_with_person < facts.articles_marked:
        missing = facts.articles_marked - facts.articles_with_person
        yield Problem(
            f"{missing} of {facts.articles_marked} Article entities credit no Person author",
            type="Article",
            property="author",
        )
