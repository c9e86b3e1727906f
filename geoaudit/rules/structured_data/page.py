"""Structured-data page rules: is there markup, does it parse, does each entity state what Google
and AI engines expect of its type (the tiers of `geoaudit.facts.entities`), and does the page
show what the markup says (SD001-SD005, SD009)?"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator

from geoaudit.extract.structured import walk
from geoaudit.facts import Site
from geoaudit.facts.entities import (
    GEO,
    RECOMMENDED,
    REQUIRED,
    entity_label,
    index,
    resolve,
    values,
)
from geoaudit.facts.pages import page_kind
from geoaudit.models import PageModel
from geoaudit.rules import Problem, page_rule
from geoaudit.rules.structured_data import has_entities, normal_text, reported_issues
from geoaudit.vocab.schemaorg import entity_is

CONTENT = "content match"


def _tier_rule(page: PageModel, tier: str) -> Iterator[Problem]:
    """The page's entity issues of `tier` (see `reported_issues`)."""
    for issue in reported_issues(page):
        if issue.tier == tier:
            yield Problem(issue.message, type=issue.type, property=issue.property)


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
    applies=lambda page: (
        page.is_html_ok and not page.structured.errors and page_kind(page) not in ("error", "legal")
    ),
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
    `worksFor`; FAQPage questions with `name` and `acceptedAnswer.text`. A property stated
    with nothing in it (`"sameAs": []`, a template's unfilled slot) counts as missing, and a
    Person's empty `sameAs` is reported even where it is not expected.

    Why it matters: engines cite sources they can tie to a known entity and an identifiable
    expert; sameAs links connect the site to the knowledge graphs they rely on.

    How to fix: add the property named in the finding; make authors Person entities (with an
    author page as `url`) rather than strings or the Organization.

    Pass: `"author": {"@type": "Person", "name": "Ann Lee", "url": "https://acme.example/ann",
    "jobTitle": "Editor", "worksFor": {"@id": "#org"}}`. Fail: `"author": "Ann Lee"`.
    """
    yield from _tier_rule(page, GEO)


def _padded(parts: Iterable[str]) -> str:
    return " " + normal_text(" ".join(parts)) + " "


class VisibleText:
    """A page's normalised visible text, for `phrase in text`: the title and headings first,
    the whole page's visible text (in and outside the main region) only for a phrase not
    among them (an Article's headline mostly is its H1, and normalising the body costs a
    millisecond a page). A page stored before geoaudit kept its visible text offers its main
    text."""

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
                    self.page.visible_text or " ".join(b.text for b in self.page.text_blocks),
                ]
            )
        return phrase in self._full


CHARACTER_REFERENCE = re.compile(
    r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});"
)


def _escaped(value: str) -> list[str]:
    """The HTML character references in a JSON-LD text that decode to something else."""
    found = dict.fromkeys(m.group() for m in CHARACTER_REFERENCE.finditer(value))
    return [ref for ref in found if html.unescape(ref) != ref][:3]


def _escaped_problem(label: str, prop: str, value: str, refs: list[str]) -> Problem:
    return Problem(
        f"{label}: '{prop}' \"{value[:80]}\" holds HTML character references "
        f"({', '.join(refs)}): JSON-LD is not HTML, engines show them as written; write the "
        "characters",
        type=label,
        property=prop,
    )


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

    The text is compared as the page shows it, HTML character references decoded. A JSON-LD
    text that holds them (`"80&#39;s"`) is reported as such: JSON is not HTML, so engines
    read and show the references as written.

    Pass: the FAQ's question appears word for word on the page.
    Fail: `"name": "Do you ship abroad?"` with no such question on the page.
    """
    text = VisibleText(page)
    ids = index(page.structured.entities)
    for entity in walk(page.structured.entities):
        jsonld = entity.get("syntax") == "json-ld"
        if entity_is(entity, "Article"):
            for headline in values(entity, "headline"):
                if not isinstance(headline, str):
                    continue
                label = entity_label(entity)
                if f" {normal_text(headline)} " not in text:
                    yield Problem(
                        f"{label}: 'headline' \"{headline[:80]}\" is not on the page",
                        type=label,
                        property="headline",
                    )
                elif jsonld and (escaped := _escaped(headline)):
                    yield _escaped_problem(label, "headline", headline, escaped)
        if not entity_is(entity, "FAQPage"):
            continue
        for question in (resolve(v, ids) for v in values(entity, "mainEntity")):
            if not isinstance(question, dict) or "props" not in question:
                continue
            for name in values(question, "name"):
                if not isinstance(name, str):
                    continue
                if f" {normal_text(name)} " not in text:
                    yield Problem(
                        f"Question: 'name' \"{name[:80]}\" (FAQPage) is not on the page",
                        type="Question",
                        property="name",
                    )
                elif jsonld and (escaped := _escaped(name)):
                    yield _escaped_problem("Question", "name", name, escaped)
            for answer in (resolve(v, ids) for v in values(question, "acceptedAnswer")):
                for answer_text in values(answer, "text") if isinstance(answer, dict) else []:
                    words = normal_text(str(answer_text))[:200].rsplit(" ", 1)[0]
                    if words and f" {words}" not in text:
                        yield Problem(
                            f"Answer: 'text' (FAQPage) \"{str(answer_text)[:80]}\" is "
                            "not on the page",
                            type="Answer",
                            property="text",
                        )
                    elif jsonld and (escaped := _escaped(str(answer_text))):
                        yield _escaped_problem("Answer", "text", str(answer_text), escaped)
