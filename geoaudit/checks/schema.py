"""Structured-data rules: does each page describe itself in schema.org terms?"""

from __future__ import annotations

from collections.abc import Iterator

from geoaudit.checks import Site, page_rule
from geoaudit.models import PageModel


def has_markup(page: PageModel) -> bool:
    """The page tries to carry structured data, whether or not it parses."""
    data = page.structured
    return bool(data.jsonld or data.microdata or data.rdfa or data.errors)


@page_rule(
    "SD001",
    "structured-data-missing",
    "Page has no schema.org structured data",
    "warning",
    "structured_data",
    # A page whose only block is broken is SD002's finding; reporting it twice double-counts.
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
    data = page.structured
    if not (data.jsonld or data.microdata or data.rdfa):
        yield "page has no schema.org structured data"


@page_rule(
    "SD002",
    "json-ld-invalid",
    "JSON-LD block cannot be parsed",
    "error",
    "structured_data",
    applies=lambda page: page.is_html_ok and has_markup(page),
)
def json_ld_invalid(page: PageModel, site: Site) -> Iterator[str]:
    """A structured-data block on the page is not valid JSON (or microdata failed to parse).

    Why it matters: consumers drop a JSON-LD block that does not parse, entirely: everything it
    said about the page is lost.

    How to fix: validate the block as JSON (no trailing commas or semicolons, no comments,
    escaped quotes) and test it with the Schema Markup Validator.

    Pass: `{"@context": "https://schema.org", "@type": "Organization", "name": "Acme"}`.
    Fail: `{"@type": "Organization", "name": "Acme",};`
    """
    yield from page.structured.errors
