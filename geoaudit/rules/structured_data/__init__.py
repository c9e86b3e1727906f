"""Structured-data rules: does each page describe itself, its publisher and its author in
schema.org terms that Google and AI engines can use?

Page rules judge each page's markup: whether it is there and parses, the tiered expectations of
`geoaudit.facts.entities`, whether the page shows what the markup says (`page.py`), and the
schema.org vocabulary: types, properties, kinds of value (`vocabulary.py`). Site rules judge the
organisation across pages and the markup's coverage (`site.py`).

FAQPage is an AI-readiness signal only: Google retired FAQ rich results in 2026, so geoaudit
never calls FAQ markup rich-result eligible.
"""

from __future__ import annotations

import html
import re
from typing import Any

from geoaudit.facts.entities import REQUIRED, EntityIssue, entity_issues
from geoaudit.facts.pages import ARTICLE_TYPES, page_kind
from geoaudit.models import PageModel

_TAG = re.compile(r"<[^>]+>")
_WORDS = re.compile(r"[^\w]+")


# The three tier rules (SD003-SD005) and SD008 judge the same page one after another: its
# issues are computed once. The entities are held, so their identity cannot pass to another
# page's list.
_last_issues: tuple[list[dict[str, Any]], list[EntityIssue]] | None = None


def page_issues(entities: list[dict[str, Any]]) -> list[EntityIssue]:
    global _last_issues
    if _last_issues is None or _last_issues[0] is not entities:
        _last_issues = (entities, entity_issues(entities))
    return _last_issues[1]


def reported_issues(page: PageModel) -> list[EntityIssue]:
    """The page's entity issues the tier rules report. On a listing page, Article entities are
    the theme's stubs of the posts listed (name, url, a date), each post's own page carrying
    its full Article: their recommended and GEO properties are not asked for there."""
    issues = page_issues(page.structured.entities)
    if page_kind(page) != "listing":
        return issues
    return [
        issue
        for issue in issues
        if issue.tier == REQUIRED or not ARTICLE_TYPES & set((issue.type or "").split("/"))
    ]


def has_entities(page: PageModel) -> bool:
    return page.is_html_ok and bool(page.structured.entities)


def normal_text(text: str) -> str:
    """Text as words for comparison: tags and punctuation out, lower case, and HTML character
    references decoded (a JSON-LD answer written "GAF Certified&trade;" is the page's
    "GAF Certified™")."""
    return _WORDS.sub(" ", html.unescape(_TAG.sub(" ", text)).lower()).strip()
