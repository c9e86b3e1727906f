"""Snippet rules: the title, description, viewport and Open Graph card that search results and
AI answers show for a page, and whether pages share them.

Lengths are estimated in pixels, as results show them: Google sets titles in 20 px Arial and
cuts them at about 600 px, and sets descriptions in 14 px Arial and cuts them after two lines
of about 495 px (990 px). The width of a character is Arial's (metric-compatible with
Helvetica: its published advance widths), a CJK or full-width character a whole em, other
scripts' letters a mean lowercase width. Near the limit the estimate may be a few characters
off: a finding needs the width past the cut by a margin, and quotes where the cut falls.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from geoaudit.facts import Site
from geoaudit.facts.page_index import Shared, indexable
from geoaudit.facts.pages import page_kind
from geoaudit.models import PageModel
from geoaudit.rules import Problem, page_rule, site_rule

TITLE_PX, TITLE_FONT_PX = 600, 20
DESCRIPTION_PX, DESCRIPTION_FONT_PX = 990, 14
# Reported only past the cut by more than the estimate's error (3%: a 159-character
# description estimated at 1,003 px is not cut, 168 characters at 1,027 px are).
MARGIN = 1.03
# A snippet holds more CJK text than 990 px of 14 px full-width glyphs: 72-76 full-width
# characters are shown whole, about 80-85 fit. A description counts them 0.85 em.
DESCRIPTION_WIDE_EM = 850
# A shorter description cannot say what a page answers (in Latin letters' worth).
DESCRIPTION_SHORT = 50
OPEN_GRAPH_BASICS = ("og:title", "og:description", "og:image")
# Advance widths of Arial/Helvetica in thousandths of an em, for printable ASCII from space.
_ASCII_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)
# Cyrillic, Greek and other scripts: Arial's mean lowercase width in them (a Cyrillic title of
# 61 characters measured 595 px in Liberation Sans; 556 read it as 607).
_OTHER_LETTER = 530


def em_width(char: str, wide: int = 1000) -> int:
    """A character's advance width in thousandths of an em (see the module's docs): an
    accented Latin letter is its base letter's, a full-width one `wide`."""
    code = ord(char)
    if 32 <= code < 127:
        return _ASCII_WIDTHS[code - 32]
    if unicodedata.east_asian_width(char) in "WF":
        return wide
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    base = unicodedata.normalize("NFKD", char)[:1]
    if base and 32 <= ord(base) < 127:
        return _ASCII_WIDTHS[ord(base) - 32]
    return _OTHER_LETTER


def pixels(text: str, font_px: int, wide: int = 1000) -> int:
    return round(sum(em_width(c, wide) for c in text) * font_px / 1000)


def letters(text: str) -> int:
    """Length in Latin letters' worth: a CJK or full-width character counts two."""
    return sum(2 if em_width(c) == 1000 else 1 for c in text)


def cut(text: str, limit_px: int, font_px: int, wide: int = 1000) -> str:
    """`text` as a result shows it when cut at `limit_px`: what fits, then "…"."""
    room = limit_px * 1000 / font_px - em_width("…")
    shown, used = [], 0
    for char in text:
        used += em_width(char, wide)
        if used > room:
            break
        shown.append(char)
    return "".join(shown).rstrip() + "…"


@page_rule(
    "CT007",
    name="title-too-long",
    title="The title is cut in search results",
    severity="notice",
    category="content",
    applies=lambda page: indexable(page) and bool(page.title),
)
def title_too_long(page: PageModel, site: Site) -> Iterator[str]:
    """The `<title>` is wider than the 600 or so pixels (20 px Arial) Google's desktop results
    show before they cut it: some 55-65 Latin letters, or 30 CJK characters (reported past 618
    px, 3% for the estimate's error).

    Why it matters: the title is the link text of a search result and the name an AI answer
    gives its source; what follows the cut is not read by the person choosing a result.

    How to fix: put the words that say what the page answers first and keep the title within
    about 60 characters; a site name at the end may be cut.

    Pass: `<title>Cold brew ratio: 1:8 by weight | Acme</title>`. Fail: a 95-character title
    listing every keyword.
    """
    title = page.title or ""
    wide = pixels(title, TITLE_FONT_PX)
    if wide > TITLE_PX * MARGIN:
        yield (
            f"the title is about {wide} px wide; results show about {TITLE_PX}: "
            f"'{cut(title, TITLE_PX, TITLE_FONT_PX)}'"
        )


@page_rule(
    "CT008",
    name="description-length",
    title="The meta description is cut or too short",
    severity="notice",
    category="content",
    applies=lambda page: indexable(page) and bool(page.meta_description),
)
def description_length(page: PageModel, site: Site) -> Iterator[str]:
    """The meta description is wider than the 990 or so pixels (14 px Arial, two lines) of a
    desktop snippet, some 160 Latin letters or 80 CJK characters (reported past 1,020 px, 3%
    for the estimate's error), or shorter than 50 letters (25 CJK characters), too short to
    say what the page answers.

    Why it matters: the description is the snippet a result shows and the one-line summary
    llms.txt generators and answer engines store; Google rewrites a description that does not
    describe the page.

    How to fix: one or two sentences of about 70–160 characters that say what the page
    answers, its most useful words first.

    Pass: a 120-character description of the page. Fail: `content="Home"`, or a 300-character
    paragraph.
    """
    text = page.meta_description or ""
    wide = pixels(text, DESCRIPTION_FONT_PX, DESCRIPTION_WIDE_EM)
    if wide > DESCRIPTION_PX * MARGIN:
        shown = cut(text, DESCRIPTION_PX, DESCRIPTION_FONT_PX, DESCRIPTION_WIDE_EM)
        yield (
            f"the description is about {wide} px wide; results show about {DESCRIPTION_PX}: "
            f"'{shown}'"
        )
    elif letters(text) < DESCRIPTION_SHORT:
        yield f"the description is {len(text)} characters ('{text}'): too short to describe " \
            "the page"


VIEWPORT_SIZED = re.compile(r"\b(?:width|initial-scale)\s*=", re.IGNORECASE)


@page_rule(
    "CT009",
    name="viewport-missing",
    title="The page has no mobile viewport",
    severity="warning",
    category="content",
    applies=lambda page: page.is_html_ok and page_kind(page) != "error",
    template=True,
)
def viewport_missing(page: PageModel, site: Site) -> Iterator[str]:
    """The page has no `<meta name="viewport">` giving a `width` or an `initial-scale`, the
    test Lighthouse's `viewport` audit applies.

    Why it matters: Google indexes the mobile rendering of a page (mobile-first indexing);
    without a viewport, phones lay the page out at desktop width and shrink it.

    How to fix: add `<meta name="viewport" content="width=device-width, initial-scale=1">` to
    the page template's `<head>`.

    Pass: `<meta name="viewport" content="width=device-width, initial-scale=1">`. Fail: no
    viewport meta tag.
    """
    if page.viewport is None:
        yield "the page has no <meta name=\"viewport\">"
    elif not VIEWPORT_SIZED.search(page.viewport):
        yield f"the viewport '{page.viewport}' gives neither a width nor an initial-scale"


@page_rule(
    "CT010",
    name="open-graph-missing",
    title="The page has no Open Graph card",
    severity="notice",
    category="content",
    applies=indexable,
    template=True,
)
def open_graph_missing(page: PageModel, site: Site) -> Iterator[str]:
    """The page lacks one of the Open Graph basics: `og:title`, `og:description`,
    `og:image`.

    Why it matters: chat assistants, social networks and messaging apps build the card of a
    shared or cited link from these tags; without them they guess a title and show no image.

    How to fix: emit `og:title`, `og:description` and `og:image` (an absolute URL, at least
    1200×630 pixels) from the page template, filled from the page's own title, description and
    lead image.

    Pass: the three `<meta property="og:…">` tags. Fail: no `og:image`.
    """
    missing = [key for key in OPEN_GRAPH_BASICS if not page.structured.opengraph.get(key)]
    if missing:
        yield f"no {', '.join(missing)}"


@site_rule(
    "CT011",
    name="title-shared",
    title="Pages share one title",
    severity="warning",
    category="content",
)
def title_shared(site: Site) -> Iterator[Problem]:
    """Two or more indexable pages, each its own canonical, have the same `<title>` (spaces
    and case aside). A page's copies that name it as canonical are not counted.

    Why it matters: search engines and AI answers tell pages apart by their titles; pages that
    share one compete for the same query, and a citation cannot say which page it means.

    How to fix: give each page a title that says what that page, and no other, answers.

    Pass: every page titled for itself. Fail: "Products | Acme" on ten category pages.
    """
    yield from _shared(site.page_index.titles, "title")


@site_rule(
    "CT012",
    name="description-shared",
    title="Pages share one meta description",
    severity="notice",
    category="content",
)
def description_shared(site: Site) -> Iterator[Problem]:
    """Two or more indexable pages, each its own canonical, have the same meta description
    (spaces and case aside): a site-wide default, usually.

    Why it matters: a description shared by many pages describes none of them; Google replaces
    it with text of its own choosing, and llms.txt generators give those pages one note.

    How to fix: write each page's description from its own content, or leave the tag out
    rather than repeat a site-wide one.

    Pass: every page described for itself. Fail: the home page's description on every post.
    """
    yield from _shared(site.page_index.descriptions, "meta description")


def _shared(groups: dict[str, Shared], what: str) -> Iterator[Problem]:
    for shared in sorted(groups.values(), key=lambda g: (-len(g.urls), g.text)):
        if len(shared.urls) < 2:
            continue
        text = cut(shared.text, 600, 14) if pixels(shared.text, 14) > 600 else shared.text
        yield Problem(f"{len(shared.urls)} pages share the {what} '{text}'", pages=shared.urls)
