"""Page measures: each 2xx HTML page's answer-first, attribution, readability, structure and
freshness scores (0–100) with the signals that made them, and the site's totals of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from geoaudit.extract.dates import best_date, with_sitemap
from geoaudit.facts import Site
from geoaudit.facts.pages import is_article, section_of
from geoaudit.models import AnswerFirst, Attribution, PageModel, Readability, Structure, to_dict
from geoaudit.scoring.weights import (
    ATTRIBUTION_MIN_WORDS,
    DEAD_DAYS,
    EVERGREEN_SECTIONS,
    FRESH_DAYS,
    STALE_DAYS,
)


def _clamp(value: float) -> int:
    return round(max(0.0, min(100.0, value)))


def answer_first_score(signals: AnswerFirst) -> int | None:
    """Points for a first paragraph that answers, weighted to 100 over the parts that apply:
    declarative and no filler opener 25, 15–80 words 15 (8 for 8–14 or 81–120), topic terms of
    the H1 in it 20 × share, words before the first answer-like paragraph 20 × (1 − n/150),
    a summary block 10, question subheadings answered directly 10 × share (when there are any).
    """
    if not signals.applicable:
        return None
    earned = 25.0 if signals.declarative and not signals.filler else 0.0
    if 15 <= signals.words <= 80:
        earned += 15
    elif 8 <= signals.words <= 120:
        earned += 8
    earned += 20 * signals.topical
    before = signals.words_before_answer
    earned += 0 if before is None else 20 * max(0.0, 1 - before / 150)
    earned += 10 if signals.summary_block else 0
    possible = 90.0
    if signals.question_headings:
        earned += 10 * signals.answered / signals.question_headings
        possible += 10
    return _clamp(100 * earned / possible)


def attribution_score(signals: Attribution) -> int | None:
    """60 × share of claims that name a source, 15 × statistics (one per 100 words is full
    marks), 15 × quotations (two are full marks), 10 × outbound citations (three are full marks),
    +5 for a references section. Pages under 150 words of prose are not judged."""
    if signals.words < ATTRIBUTION_MIN_WORDS:
        return None
    share = signals.attributed / signals.claims if signals.claims else 0.0
    value = 60 * share
    value += 15 * min(1.0, signals.statistics / (signals.words / 100))
    value += 15 * min(1.0, signals.quotations / 2)
    value += 10 * min(1.0, signals.outbound_citations / 3)
    value += 5 if signals.references_section else 0
    return _clamp(value)


def readability_score(signals: Readability) -> int | None:
    """Flesch reading ease mapped to 0–100 (20 or less → 0, 70 or more → 100), then minus
    30 × the share of paragraphs over 120 words and 2 points per word of average sentence
    length over 25."""
    if not signals.applicable or signals.flesch_reading_ease is None:
        return None
    value = min(100.0, 100 * (signals.flesch_reading_ease - 20) / 50)
    value -= 30 * signals.long_paragraph_share
    value -= 2 * max(0.0, signals.avg_sentence_words - 25)
    return _clamp(value)


def structure_score(signals: Structure) -> int | None:
    """Exactly one H1 30 (none or several 0), no skipped heading levels 25 (−10 a skip), at least
    one H2/H3 per 300 words 15 × share, question-shaped subheadings 10 × (share / 30%),
    enumerations as lists or tables rather than prose 10, 10 × (1 − share of paragraphs over
    120 words)."""
    if not signals.applicable:
        return None
    value = 30.0 if signals.h1_count == 1 else 0.0
    value += max(0.0, 25 - 10 * signals.skipped_levels)
    wanted = max(1, signals.words // 300)
    value += 15 * min(1.0, signals.subheadings / wanted)
    if signals.subheadings:
        value += 10 * min(1.0, signals.question_headings / signals.subheadings / 0.3)
    value += 10 if signals.prose_enumerations == 0 else 0
    value += 10 * (1 - signals.long_paragraph_share)
    return _clamp(value)


def freshness_score(age_days: int) -> int:
    """100 up to 90 days old, falling linearly to 10 at 540 days (18 months) and to 0 at 730
    days (24 months)."""
    if age_days <= FRESH_DAYS:
        return 100
    if age_days <= STALE_DAYS:
        return _clamp(100 - 90 * (age_days - FRESH_DAYS) / (STALE_DAYS - FRESH_DAYS))
    return _clamp(10 - 10 * (age_days - STALE_DAYS) / (DEAD_DAYS - STALE_DAYS))


def page_freshness(page: PageModel, site: Site) -> dict[str, Any]:
    """The page's best date (modified, else published) and where it comes from, its age on the
    audit date, and its score. Evergreen pages (home, about, contact, legal) and undated pages
    that are not articles are not judged; an undated article scores 0."""
    dates = with_sitemap(page.dates, site.sitemap_lastmod.get(page.url))
    modified, published = best_date(dates, "modified"), best_date(dates, "published")
    chosen = modified or published
    found: dict[str, Any] = {
        "score": None,
        "date": chosen.iso[:10] if chosen and chosen.iso else None,
        "date_source": chosen.source if chosen else None,
        "published": published.iso[:10] if published and published.iso else None,
        "age_days": None,
    }
    if chosen is not None and chosen.iso:
        audit_day = date.fromisoformat(site.audit_date[:10])
        found["age_days"] = max(0, (audit_day - date.fromisoformat(chosen.iso[:10])).days)
    evergreen = page.url == site.home_url or (
        section_of(page) in EVERGREEN_SECTIONS and not is_article(page)
    )
    if evergreen:
        found["reason"] = "evergreen page (home, about, contact or legal)"
    elif found["age_days"] is not None:
        found["score"] = freshness_score(found["age_days"])
    elif is_article(page):
        found["score"] = 0
        found["reason"] = "the article states no date"
    else:
        found["reason"] = "no date stated, and not an article"
    return found


def _scored(value: int | None, reason: str | None, **extra: Any) -> dict[str, Any]:
    block = {"score": value, **extra}
    if value is None:
        block["reason"] = reason
    return block


def page_content(page: PageModel, site: Site) -> dict[str, Any]:
    """The content block of a 2xx HTML page: each score with the signals that made it."""
    s = page.signals
    af, at, rd, st = s.answer_first, s.attribution, s.readability, s.structure
    return {
        "answer_first": _scored(answer_first_score(af), af.reason, signals=to_dict(af)),
        "attribution": _scored(
            attribution_score(at),
            f"only {at.words} words of prose (under {ATTRIBUTION_MIN_WORDS})",
            claims=at.claims,
            attributed=at.attributed,
            unattributed_examples=at.unattributed_examples,
            statistics=at.statistics,
            quotations=at.quotations,
            outbound_citations=at.outbound_citations,
        ),
        "freshness": page_freshness(page, site),
        "readability": _scored(
            readability_score(rd),
            rd.reason,
            flesch_reading_ease=rd.flesch_reading_ease,
            grade=rd.grade,
            avg_sentence_words=rd.avg_sentence_words,
            long_paragraph_share=rd.long_paragraph_share,
            fact_density=rd.fact_density,
        ),
        "structure": _scored(
            structure_score(st),
            st.reason,
            **{k: v for k, v in to_dict(st).items() if k not in ("applicable", "reason")},
        ),
    }


DIMENSIONS = ("answer_first", "attribution", "freshness", "readability", "structure")
FIRST_FIX = {
    "answer_first": "open with a direct, 15–80-word answer to the page's question",
    "attribution": "name the source of each statistic and claim, and link it",
    "freshness": "review and update the page, and its dateModified",
    "readability": "shorten sentences and split long paragraphs",
    "structure": "use one H1, no skipped heading levels, and lists for enumerations",
}
WEAKEST = 10


def page_content_score(content: dict[str, Any] | None) -> int | None:
    """A page's content score: the mean of its dimensions that apply (None when none does)."""
    scored = [
        content[d]["score"] for d in DIMENSIONS if content and content[d]["score"] is not None
    ]
    return round(sum(scored) / len(scored)) if scored else None


IMPORTANT_DEPTH, IMPORTANT_IN_LINKS = 2, 3


@dataclass
class ContentTotals:
    """Per-dimension sums for the site's means, distributions, and the weakest important pages."""

    in_links: dict[str, int] = field(default_factory=dict)
    sums: dict[str, list[float]] = field(default_factory=dict)
    article_sums: dict[str, list[float]] = field(default_factory=dict)
    buckets: dict[str, list[int]] = field(default_factory=dict)
    weakest: list[dict[str, Any]] = field(default_factory=list)

    def add(self, page: PageModel, content: dict[str, Any]) -> None:
        article = is_article(page)
        scored = {d: content[d]["score"] for d in DIMENSIONS if content[d]["score"] is not None}
        for dimension, value in scored.items():
            total = self.sums.setdefault(dimension, [0.0, 0])
            total[0] += value
            total[1] += 1
            if article:
                total = self.article_sums.setdefault(dimension, [0.0, 0])
                total[0] += value
                total[1] += 1
            self.buckets.setdefault(dimension, [0] * 5)[min(int(value) // 20, 4)] += 1
        depth = page.fetch.depth
        links = self.in_links.get(page.url, 0)
        important = (depth is not None and depth <= IMPORTANT_DEPTH) or links >= IMPORTANT_IN_LINKS
        if important and scored:
            worst = min(scored, key=lambda d: (scored[d], d))
            self.weakest.append(
                {
                    "url": page.url,
                    "depth": depth,
                    "in_links": links,
                    "score": page_content_score(content),
                    "weakest": worst,
                    "fix_first": FIRST_FIX[worst],
                }
            )
            self.weakest.sort(key=lambda p: (p["score"], p["url"]))
            del self.weakest[WEAKEST:]

    def means(self) -> dict[str, float | None]:
        return {
            d: (self.sums[d][0] / self.sums[d][1] if d in self.sums else None) for d in DIMENSIONS
        }

    def report(self) -> dict[str, Any]:
        def mean(sums: dict[str, list[float]], d: str) -> float | None:
            return round(sums[d][0] / sums[d][1], 1) if d in sums else None

        return {
            "dimensions": {
                d: {
                    "average": mean(self.sums, d),
                    "article_average": mean(self.article_sums, d),
                    "pages": int(self.sums[d][1]) if d in self.sums else 0,
                    "distribution": self.buckets.get(d, [0] * 5),
                }
                for d in DIMENSIONS
            },
            "distribution_buckets": ["0-19", "20-39", "40-59", "60-79", "80-100"],
            "weakest_pages": self.weakest,
        }
