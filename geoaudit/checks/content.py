"""Content rules: does each page say what it is in the places AI engines read first?"""

from __future__ import annotations

from collections.abc import Iterator

from geoaudit.checks import Site, page_rule
from geoaudit.models import PageModel


@page_rule("CT001", "title-missing", "Page has no title", "error", "content")
def title_missing(page: PageModel, site: Site) -> Iterator[str]:
    """The page has no `<title>`, or an empty one.

    Why it matters: the title is the name an answer engine shows when it cites the page, and
    the strongest single hint of what the page answers.

    How to fix: give every page a unique, descriptive `<title>` of roughly 30–60 characters.

    Pass: `<title>How to descale an espresso machine | Acme</title>`. Fail: `<title></title>`.
    """
    if not page.title:
        yield "page has no title" if page.title is None else "page title is empty"


@page_rule(
    "CT002", "meta-description-missing", "Page has no meta description", "warning", "content"
)
def meta_description_missing(page: PageModel, site: Site) -> Iterator[str]:
    """The page has no `<meta name="description">`, or an empty one.

    Why it matters: the description is the summary crawlers store for the page; llms.txt
    generators (geoaudit's included) and answer engines use it as the page's one-line note.

    How to fix: write a 1–2 sentence description (about 70–160 characters) that answers what
    the page is for.

    Pass: `<meta name="description" content="Step-by-step descaling guide for Acme machines.">`.
    Fail: no description meta tag.
    """
    if not page.meta_description:
        yield "page has no meta description"
