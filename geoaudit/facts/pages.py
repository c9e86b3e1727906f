"""Page kinds: what a page is, judged from its URL, its markup and its Open Graph type. Read by
the facts builders, the rules, scoring and the llms.txt generator alike."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from geoaudit.models import PageModel

OPTIONAL_PATH = re.compile(
    r"privacy|terms|cookie|legal|imprint|impressum|gdpr|disclaimer|/tags?/|/categor(y|ies)/"
    r"|/archives?/|/page/\d+|[?&]page=\d+",
    re.IGNORECASE,
)
SECTION_OF_SEGMENT = {
    **dict.fromkeys(
        (
            "about",
            "about-us",
            "company",
            "team",
            "people",
            "authors",
            "author",
            "careers",
            "mission",
        ),
        "About",
    ),
    **dict.fromkeys(("services", "service", "solutions", "pricing", "plans"), "Services"),
    **dict.fromkeys(("products", "product", "shop", "store", "collections"), "Products"),
    **dict.fromkeys(("docs", "documentation", "doc", "api", "reference", "manual"), "Docs"),
    **dict.fromkeys(
        ("guides", "guide", "tutorials", "tutorial", "learn", "how-to", "academy"), "Guides"
    ),
    **dict.fromkeys(("blog", "news", "articles", "posts", "insights", "stories"), "Blog"),
    **dict.fromkeys(("contact", "contact-us", "support", "help", "locations"), "Contact"),
}
SECTION_OF_TYPE = {
    "Product": "Products",
    "Service": "Services",
    "BlogPosting": "Blog",
    "NewsArticle": "Blog",
    "Article": "Blog",
    "ContactPage": "Contact",
    "AboutPage": "About",
    "ProfilePage": "About",
}


def section_of(page: PageModel) -> str:
    segments = [s for s in urlsplit(page.url).path.lower().split("/") if s]
    if OPTIONAL_PATH.search(page.url):
        return "Optional"
    if segments and segments[0] in SECTION_OF_SEGMENT:
        return SECTION_OF_SEGMENT[segments[0]]
    for entity_type in page.structured.types:
        if entity_type in SECTION_OF_TYPE:
            return SECTION_OF_TYPE[entity_type]
    if len(segments) <= 1:
        return "Pages"
    return segments[0].replace("-", " ").replace("_", " ").capitalize()


def is_prose_page(page: PageModel) -> bool:
    """A page whose text is read as prose: not a product page, nor a listing (tags,
    categories, archives, pagination) or legal page, whose opening is a price, a list of
    posts or a clause. On one shop, 51 product and contract pages were told they did not open
    with an answer."""
    return section_of(page) not in ("Optional", "Products")


ARTICLE_TYPES = {
    "Article",
    "NewsArticle",
    "BlogPosting",
    "TechArticle",
    "Report",
    "ScholarlyArticle",
    "LiveBlogPosting",
    "OpinionNewsArticle",
    "AnalysisNewsArticle",
}


def is_article(page: PageModel) -> bool:
    """An article page: marked up as an Article kind, or declared `og:type` article."""
    return page.is_html_ok and (
        bool(ARTICLE_TYPES & set(page.structured.types))
        or page.structured.opengraph.get("og:type", "").lower() == "article"
    )
