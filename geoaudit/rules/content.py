"""Content rules: does each page say what it is in the places AI engines read first?"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from geoaudit.facts import Site
from geoaudit.facts.pages import is_article, is_prose_page, page_kind
from geoaudit.models import PageModel
from geoaudit.rules import page_rule


@page_rule(
    "CT001",
    name="title-missing",
    title="Page has no title",
    severity="error",
    category="content",
)
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
    "CT002",
    name="meta-description-missing",
    title="Page has no meta description",
    severity="warning",
    category="content",
    applies=lambda page: page_kind(page) != "error",
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


@page_rule(
    "CT003",
    name="answer-not-first",
    title="The page does not open with an answer",
    severity="warning",
    category="content",
    applies=lambda page: (
        page.is_html_ok and page.signals.answer_first.applicable and is_prose_page(page)
    ),
)
def answer_not_first(page: PageModel, site: Site) -> Iterator[str]:
    """The first paragraph after the H1 does not answer the page's question: it is a filler
    opener ("In today's fast-paced world…"), a question, off the topic of the H1, or more than
    100 words of preamble come before anything answer-like.

    Why it matters: answer engines lift the first self-contained answer they find; pages that
    answer first (bottom line up front) are quoted, pages that warm up are skipped.

    How to fix: open with one or two sentences (15–80 words) that answer the question in the
    H1 directly, using its terms; put context and story after.

    Pass: "The best cold brew ratio is 1:8 by weight, steeped 16 hours."
    Fail: "In today's fast-paced world, coffee lovers everywhere are discovering…"
    """
    signals = page.signals.answer_first
    opening = f"'{(signals.first_paragraph or '')[:90]}'"
    if signals.filler:
        yield f"the first paragraph is a filler opener: {opening}"
    elif not signals.declarative:
        yield f"the first paragraph is a question, not an answer: {opening}"
    elif signals.words_before_answer is None:
        yield "no paragraph reads as a direct, concise answer on the H1's topic"
    elif signals.words_before_answer > 100:
        yield f"{signals.words_before_answer} words come before the first answer-like paragraph"


# Claims per 1,000 words from which a page is judged on its sources: 16,000 words of notes on
# a book, with nine numbers in their examples, state no claims to source, nor do a roofer's
# post on its own timeline (3.4) or a portfolio's case study (4.0); the labelled pages that
# lacked sources had 6-16 per 1,000 words.
CLAIMS_PER_1000_WORDS = 5
# Sentences stating a statistic from which a page is judged: superlatives alone ("the cheapest
# bid isn't always the best value", "not to find the lowest price") are advice and opinion,
# not figures a source could back.
MIN_STATISTICS = 2


@page_rule(
    "CT004",
    name="claims-unattributed",
    title="Claims without a named source",
    severity="warning",
    category="content",
    applies=lambda page: (
        is_article(page)
        and is_prose_page(page)
        and page.signals.attribution.claims >= 2
        and page.signals.attribution.statistics >= MIN_STATISTICS
        and page.signals.attribution.claims * 1000
        >= page.signals.attribution.words * CLAIMS_PER_1000_WORDS
    ),
)
def claims_unattributed(page: PageModel, site: Site) -> Iterator[str]:
    """On an article page, fewer than half of the claims (statistics, money, percentages, years,
    comparatives and superlatives) name a source: no "according to", "(Org, 2025)", footnote,
    `<cite>`, or link to the source in the same paragraph. A page that links its sources in a
    references section ("References", "参考资料", "🔗 原始来源", "Quellen"…) or a source line
    ("Source: …", "原文链接", "Via …") names them, and is not judged claim by claim. Judged on
    pages making 5 claims or more per 1,000 words, 2 of them statistics or more (superlatives
    alone are opinion; versions such as C++11, numbered items such as 条款 07, and "best
    practices" are no claims).

    Why it matters: generative engines prefer sources that cite theirs; in the GEO study by
    Aggarwal et al. (KDD 2024), adding cited sources and statistics raised visibility in
    generative answers. Unsourced numbers read as marketing.

    How to fix: attribute each figure: name who measured it and link the study or data.

    Pass: "According to the SCA's 2025 survey, 62% of cafés…" with a link.
    Fail: "Most baristas agree that the best shots take 27 seconds."
    """
    signals = page.signals.attribution
    if signals.references_section and signals.outbound_citations:
        return
    if signals.attributed * 2 < signals.claims:
        example = signals.unattributed_examples[0] if signals.unattributed_examples else ""
        yield (
            f"{signals.claims - signals.attributed} of {signals.claims} claims name no "
            f"source, e.g. '{example[:120]}'"
        )


@page_rule(
    "CT005",
    name="hard-to-read",
    title="Text is hard to read",
    severity="notice",
    category="content",
    applies=lambda page: page.signals.readability.applicable and is_prose_page(page),
)
def hard_to_read(page: PageModel, site: Site) -> Iterator[str]:
    """The main text scores under 30 on Flesch reading ease (graduate-level prose), or 30% or
    more of its paragraphs run over 120 words.

    Why it matters: dense text is harder for engines to split into quotable passages and for
    readers to scan; short, standalone sentences carry facts best.

    How to fix: shorten sentences (aim for under 25 words), split long paragraphs, prefer plain
    words.

    Pass: Flesch reading ease 55, paragraphs of 40–80 words.
    Fail: Flesch reading ease 18, paragraphs of 250 words.
    """
    signals = page.signals.readability
    ease = signals.flesch_reading_ease
    if ease is not None and ease < 30:
        yield f"Flesch reading ease {ease} (grade {signals.grade}): very hard to read"
    if signals.long_paragraph_share >= 0.3:
        yield f"{round(100 * signals.long_paragraph_share)}% of paragraphs exceed 120 words"


# Skipped levels CT006 names on a page; the rest are counted.
SHOWN_JUMPS = 3


@page_rule(
    "CT006",
    name="heading-structure",
    title="Heading structure is broken",
    severity="warning",
    category="content",
    applies=lambda page: page.is_html_ok and page.signals.structure.applicable,
)
def heading_structure(page: PageModel, site: Site) -> Iterator[str]:
    """The page has no H1 or several, or skips heading levels (an H2 followed by an H4).

    Why it matters: engines use the heading outline to find which passage answers which
    question; a broken outline blurs the sections.

    How to fix: one H1 naming the page's topic, then H2 and H3 in order; style with CSS, not
    with heading levels.

    Pass: H1, H2, H3, H2. Fail: two H1s, or H1 then H3.
    """
    signals = page.signals.structure
    if signals.h1_count != 1:
        yield f"{signals.h1_count} H1 headings (one expected)"
    jumps = [(a, b) for a, b in itertools.pairwise(page.headings) if b.level > a.level + 1]
    for a, b in jumps[:SHOWN_JUMPS]:
        skipped = ", ".join(f"H{level}" for level in range(a.level + 1, b.level))
        yield (
            f"H{a.level} '{a.text[:60]}' is followed by H{b.level} '{b.text[:60]}': "
            f"{skipped} skipped"
        )
    if len(jumps) > SHOWN_JUMPS:
        yield f"{len(jumps) - SHOWN_JUMPS} more skipped heading levels"
