"""Structured-data site rules: does the organisation's markup agree across pages and with the
site's other names, and does markup cover the site's pages and articles (SD010-SD012)?"""

from __future__ import annotations

from collections.abc import Iterator

from geoaudit.facts import Site
from geoaudit.rules import Problem, site_rule
from geoaudit.rules.structured_data import normal_text


@site_rule(
    "SD010",
    name="sd-identity-conflict",
    title="Pages describe the organisation differently",
    severity="warning",
    category="structured_data",
    applies=lambda site: bool(site.structured_data.organizations),
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
    for prop, variants in site.structured_data.conflicts().items():
        listed = "; ".join(
            f"'{value}' on {len(pages)} page{'s' * (len(pages) != 1)} "
            f"(e.g. {_example(pages, variants)})"
            for value, pages in variants
        )
        yield Problem(
            f"Organization: '{prop}' differs across pages: {listed}",
            type="Organization",
            property=prop,
        )


def _example(pages: list[str], variants: list[tuple[str, list[str]]]) -> str:
    """A page stating this value and no other, when there is one: two values on one page
    (an Organization and a Restaurant named otherwise) would point both examples at it."""
    others = {url for _, urls in variants if urls is not pages for url in urls}
    return next((url for url in pages if url not in others), pages[0])


@site_rule(
    "SD011",
    name="sd-org-name-mismatch",
    title="Organization name differs from the site's name",
    severity="warning",
    category="structured_data",
    applies=lambda site: (
        bool(site.structured_data.organizations) and bool(site.structured_data.site_names)
    ),
)
def org_name_mismatch(site: Site) -> Iterator[Problem]:
    """The Organization `name` differs from the name the site uses elsewhere: the WebSite
    entity's `name` or `og:site_name` on the home page, or the llms.txt H1.

    Why it matters: one name everywhere is how engines recognise one entity.

    How to fix: use the same name in Organization, WebSite, og:site_name and llms.txt.

    Pass: all say `Acme Tools`. Fail: Organization `Acme Tools Ltd`, og:site_name `Acme`.
    """
    names = {normal_text(n) for n in site.structured_data.organization_names()}
    others = dict(site.structured_data.site_names)
    if site.llms is not None and site.llms.h1:
        others["llms.txt H1"] = site.llms.h1
    for source, name in sorted(others.items()):
        if names and normal_text(name) not in names:
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
    applies=lambda site: site.structured_data.html_pages > 0,
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
