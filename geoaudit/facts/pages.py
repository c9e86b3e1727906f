"""Page kinds: what a page is, judged from its URL, its markup and its Open Graph type. Read by
the facts builders, the rules, scoring and the llms.txt generator alike."""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import unquote, urlsplit

from geoaudit.models import PageModel

# Pages listed under llms.txt's `## Optional` and not read as prose: legal pages (a path segment
# whose first word is one of LEGAL_WORDS: /privacy-policy, /terms-of-use.html, /impressum, but
# not /guides/payment-terms or /incoterms), cookie policies, and listings (tags, categories,
# archives, search, pagination).
LEGAL_WORDS = {"privacy", "terms", "legal", "imprint", "impressum", "gdpr", "disclaimer",
               "datenschutz", "agb", "tos", "license", "licence", "oferta", "dogovir",
               "dogovor"}  # fmt: skip
COOKIE_PAGES = re.compile(r"cookies?(-(policy|notice|settings|preferences|statement))?")
LISTING_SEGMENTS = {"tag", "tags", "category", "categories", "archive", "archives", "search",
                    "product-category", "product-tag"}  # fmt: skip
PAGE_QUERY = re.compile(r"(^|&)page=\d+(&|$)")
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


def _stems(path: str) -> list[str]:
    return [s.rsplit(".", 1)[0] for s in path.lower().split("/") if s]


def is_legal_path(path: str) -> bool:
    """A legal or cookie-policy page, by whole path segments (see LEGAL_WORDS)."""
    return any(
        re.split(r"[-_]", stem, maxsplit=1)[0] in LEGAL_WORDS or COOKIE_PAGES.fullmatch(stem)
        for stem in _stems(path)
    )


def is_listing_path(path: str, query: str = "") -> bool:
    """A listing's URL: tags, categories, archives, search, pagination (`/page/2/`, `?page=2`)."""
    stems = _stems(path)
    for n, stem in enumerate(stems):
        if stem in LISTING_SEGMENTS:
            return True
        if stem == "page" and n + 1 < len(stems) and stems[n + 1].isdigit():
            return True
    return bool(PAGE_QUERY.search(query))


PAGE_NUMBER_QUERY = re.compile(r"(?:^|&)(?:page|paged)=(\d+)(?:&|$)")


def series_page(url: str) -> tuple[int, str] | None:
    """A paginated listing URL's page number and its series' first page: `/blog/page/3/` is
    page 3 of `/blog/`, `/news?page=3` page 3 of `/news`; None for other URLs."""
    parts = urlsplit(url)
    match = re.search(r"^(.*/)page/(\d+)/?$", parts.path)
    if match:
        return int(match[2]), parts._replace(path=match[1], query="", fragment="").geturl()
    query = PAGE_NUMBER_QUERY.search(parts.query)
    if query:
        rest = PAGE_NUMBER_QUERY.sub("&", parts.query).strip("&")
        return int(query[1]), parts._replace(query=rest, fragment="").geturl()
    return None


def is_optional_path(path: str, query: str = "") -> bool:
    """A legal, cookie-policy or listing page, judged by whole path segments (see LEGAL_WORDS)."""
    return is_legal_path(path) or is_listing_path(path, query)


def section_of(page: PageModel, base: str = "/") -> str:
    """The page's section in the site: Optional for legal and listing pages, else by its first
    path segment below `base` (the folder of a site under a path), its schema.org type, or
    Pages."""
    parts = urlsplit(page.url)
    path = parts.path.lower()
    if base != "/" and path.startswith(base.lower()):
        path = path[len(base) - 1 :]
    segments = [s for s in path.split("/") if s]
    if is_optional_path(path, parts.query):
        return "Optional"
    if segments and segments[0] in SECTION_OF_SEGMENT:
        return SECTION_OF_SEGMENT[segments[0]]
    for entity_type in page.structured.types:
        if entity_type in SECTION_OF_TYPE:
            return SECTION_OF_TYPE[entity_type]
    if len(segments) <= 1:
        return "Pages"
    return segments[0].replace("-", " ").replace("_", " ").capitalize()


_DIRECTORY_INDEX = re.compile(r"/index\.(html?|php)$", re.IGNORECASE)


def page_identity(url: str) -> tuple[str, str, str]:
    """A URL as the page it names: host in lower case, path percent-decoded (`/💬/` is
    `/%F0%9F%92%AC/`; an encoded `/` stays encoded), without its directory index
    (`/x/index.html` is `/x/`) or trailing slash, query; no scheme, no fragment."""
    parts = urlsplit(url)
    path = unquote((parts.path or "/").replace("%2F", "%252F").replace("%2f", "%252F"))
    path = _DIRECTORY_INDEX.sub("/", path).rstrip("/")
    return parts.netloc.lower(), path, parts.query


def canonical_is_self(page: PageModel) -> bool:
    """Whether the page names no canonical or itself: up to a trailing slash, the directory
    index (`/x/index.html` is `/x/`), the fragment, and the case of the host. One portfolio's
    287 pages all name `/x/index.html` for `/x/` and were left out of its llms.txt."""
    return not page.canonical or page_identity(page.canonical) == page_identity(page.url)


def duplicate_of(page: PageModel, crawled: frozenset[tuple[str, str, str]]) -> bool:
    """Whether the page's canonical names another page the crawl read (a 2xx HTML page, by
    page_identity): then that page is the one to judge. A canonical to a page not read (the
    home page named by every page, a typo) leaves the page judged as it is."""
    return not canonical_is_self(page) and page_identity(page.canonical or "") in crawled


def is_prose_page(page: PageModel) -> bool:
    """A page whose text is read as prose: not a product page, nor a listing (tags,
    categories, archives, pagination), legal, search or error page, whose opening is a price,
    a list of posts or a clause. On one shop, 51 product and contract pages were told they did
    not open with an answer."""
    return section_of(page) not in ("Optional", "Products") and page_kind(page) in (
        "article",
        "page",
    )


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
    """An article page: of kind `article` (page_kind): marked up as an Article kind, or
    declared `og:type` article, and not a listing, legal or error page."""
    return page_kind(page) == "article"


PageKind = Literal["error", "legal", "search", "listing", "product", "article", "page"]
# Kinds whose text is a list, a clause or nothing: not judged as prose, dates or claims.
NOT_CONTENT: frozenset[PageKind] = frozenset({"error", "legal", "search", "listing"})
LISTING_TYPES = {"CollectionPage"}  # SearchResultsPage is the search kind
ERROR_TITLE = re.compile(r"^\s*(404\b|page not found|not found\b)", re.IGNORECASE)
ERROR_STEMS = {"404", "not-found", "notfound"}
# A page with as many Article entities is a list of posts (a theme's stubs on a tag page).
LISTED_ARTICLES = 3
# A page linking to as many pages below its own path is their index (/news/ of /news/a/…).
LISTED_CHILDREN = 5


# Words of main text from which a page typed `og:type` article without a publication time is
# read as one (SEO plugins type every page so; promotions and notices are shorter), and from
# which a page below a blog's path with no markup at all is (a hand-built site's posts).
OG_ARTICLE_MIN_WORDS = 300
# Path segments whose pages below them are posts: /blog/hail-damage-signs/, /news/a-launch/.
# (Not "articles": pkgdown's vignettes and help centres' answers live there.)
POST_SEGMENTS = {"blog", "blogs", "news", "post", "posts", "stories", "story", "insights",
                 "journal"}  # fmt: skip


def page_kind(page: PageModel) -> PageKind:
    """What the page is, for the rules that judge only some kinds (issue 17):

    - `error`: not a 2xx HTML page, or a site's error page served with 200 (`/404.html`, a
      title starting "404" or "Page not found");
    - `legal`: privacy, terms, imprint, licence, cookie policy (by whole path segments);
    - `search`: a search page (a `search` path segment or SearchResultsPage markup);
    - `listing`: tags, categories, archives, pagination, `<link rel=next/prev>`, CollectionPage
      markup, 3 or more Article entities (a list of post stubs), or links to 5 or more pages
      under its own path (a section index);
    - `product`: Product markup;
    - `article`: Article-kind markup, or `og:type` article with an `article:published_time`
      or an article's length of text (OG_ARTICLE_MIN_WORDS), or that length of text on a page
      below a blog's path (POST_SEGMENTS: `/blog/hail-damage-signs/` or its `index.html`, not
      `/news/index.html`);
    - `page`: anything else.

    One shop's Rank Math theme declares og:type article on categories, contracts and 24-133
    word promotions (a publication time only on its posts), and a blog's theme marks each post
    on a tag page as an Article: neither is an article. A docs theme's og:type article on
    700-8,000 word guides is."""
    if not page.is_html_ok:
        return "error"
    parts = urlsplit(page.url)
    stems = _stems(parts.path)
    if (stems and stems[-1] in ERROR_STEMS) or ERROR_TITLE.match(page.title or ""):
        return "error"
    if is_legal_path(parts.path):
        return "legal"
    types = set(page.structured.types)
    if "search" in stems or "SearchResultsPage" in types:
        return "search"
    if is_listing_path(parts.path, parts.query) or _lists(page, types):
        return "listing"
    if "Product" in types:
        return "product"
    og = page.structured.opengraph
    long = page.word_count >= OG_ARTICLE_MIN_WORDS
    if ARTICLE_TYPES & types or (
        og.get("og:type", "").lower() == "article" and (og.get("article:published_time") or long)
    ):
        return "article"
    slugs = stems[:-1] if stems[-1:] == ["index"] else stems
    if long and POST_SEGMENTS & set(slugs[:-1]):
        return "article"
    return "page"


def _lists(page: PageModel, types: set[str]) -> bool:
    if LISTING_TYPES & types or page.paginated or page.child_links >= LISTED_CHILDREN:
        return True
    articles = sum(
        1
        for e in page.structured.entities
        if not e.get("nested") and ARTICLE_TYPES & set(e["types"])
    )
    return articles >= LISTED_ARTICLES
