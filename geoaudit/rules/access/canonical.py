"""Canonical rules: does each page name the URL search and AI engines should index, and is that
URL one they can use (AC019-AC023)?

A canonical is compared as `page_identity` reads URLs: host case, a trailing slash and the
directory index (`/x/index.html` is `/x/`) aside, so `https://a.example` and
`https://a.example/` are one URL. What a canonical names is judged from what the crawl
fetched; a canonical to a URL the crawl did not fetch is not judged.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from geoaudit.facts import Site
from geoaudit.facts.page_index import noindex, spelled
from geoaudit.facts.pages import canonical_is_self, page_identity, page_kind, series_page
from geoaudit.models import PageModel
from geoaudit.rules import page_rule


def _judged(page: PageModel) -> bool:
    """An indexable 2xx HTML page that is not an error page."""
    return page.is_html_ok and not noindex(page) and page_kind(page) != "error"


def _names_another(page: PageModel) -> bool:
    return _judged(page) and not canonical_is_self(page)


@page_rule(
    "AC019",
    name="canonical-missing",
    title="The page names no canonical URL",
    severity="notice",
    category="access",
    applies=lambda page: _judged(page) and page_kind(page) != "search",
    template=True,
)
def canonical_missing(page: PageModel, site: Site) -> Iterator[str]:
    """The page has no `<link rel="canonical">`.

    Why it matters: one page is often reachable under several URLs (with and without a
    trailing slash, `index.html`, tracking parameters); the canonical tells search engines,
    and the AI answers built on their indexes, which URL to index and cite. Without one they
    pick, and may split the page's signals between copies.

    How to fix: emit `<link rel="canonical" href="https://…/this-page/">` with the page's own
    absolute, preferred URL from the page template.

    Pass: a self-referencing canonical. Fail: no canonical link.
    """
    if not page.canonical:
        yield "the page names no canonical URL"


@page_rule(
    "AC020",
    name="canonical-target-unusable",
    title="The canonical names a URL that cannot be indexed",
    severity="warning",
    category="access",
    applies=_names_another,
)
def canonical_target_unusable(page: PageModel, site: Site) -> Iterator[str]:
    """The canonical names a URL the crawl fetched that cannot stand for the page: it answers
    an error, redirects, is not an HTML page, is marked noindex, or names yet another URL as
    its own canonical (a chain).

    Why it matters: search engines ignore a canonical they cannot follow to an indexable page,
    and then choose one themselves, or index neither URL.

    How to fix: point the canonical at the final, indexable URL of the page (the one that
    answers 200 and names itself).

    Pass: the canonical names a 200 page whose canonical is itself. Fail: it names a URL that
    redirects, or one that answers 404.
    """
    target = page.canonical or ""
    answer = site.page_index.answer(target)
    if answer is None:
        return
    if answer.status is None or not 200 <= answer.status < 300:
        status = answer.status if answer.status is not None else "no answer"
        yield f"the canonical {target} answers {status}"
    elif page_identity(answer.final_url) != page_identity(target):
        yield f"the canonical {target} redirects to {answer.final_url}"
    elif not answer.html:
        yield f"the canonical {target} is not an HTML page"
    elif answer.noindex:
        yield f"the canonical {target} is marked noindex"
    else:
        onward = site.page_index.canonicals.get(page_identity(answer.final_url))
        if onward and page_identity(onward) != page_identity(page.url):
            yield f"the canonical {target} names {onward} as its own canonical (a chain)"


@page_rule(
    "AC021",
    name="canonical-other-origin",
    title="The canonical names another host or scheme",
    severity="warning",
    category="access",
    applies=_names_another,
    template=True,
)
def canonical_other_origin(page: PageModel, site: Site) -> Iterator[str]:
    """The canonical names a URL on another host, or under `http:` for an `https:` page.

    Why it matters: a canonical is a strong hint; one that names another host (a staging or
    old domain, `www.` where the site is served without it) or plain HTTP hands the page's
    indexing to a URL that is not the one served, often a template's hard-coded host.

    How to fix: build the canonical from the site's production origin, as served (scheme and
    host), or deliberately from the host that should be indexed.

    Pass: `https://www.example.com/a/` on `https://www.example.com/a/`. Fail:
    `http://example.com/a/` on `https://www.example.com/a/`.
    """
    here, there = urlsplit(page.url), urlsplit(page.canonical or "")
    if there.hostname != here.hostname:
        yield f"the canonical names another host: {there.hostname}"
    elif here.scheme == "https" and there.scheme == "http":
        yield "the canonical names the page under http:"


@page_rule(
    "AC022",
    name="canonical-og-url-differ",
    title="The canonical and og:url name different URLs",
    severity="notice",
    category="access",
    applies=lambda page: _judged(page)
    and bool(page.canonical and page.structured.opengraph.get("og:url")),
    template=True,
)
def canonical_og_url_differ(page: PageModel, site: Site) -> Iterator[str]:
    """The page's `og:url` and its canonical name different pages.

    Why it matters: chat assistants and social networks file a shared link under its
    `og:url`; two different URLs split the page's citations and shares between two addresses.

    How to fix: emit the canonical URL as `og:url` too.

    Pass: both name `https://example.com/a/`. Fail: canonical `/a/`, og:url the home page.
    """
    og_url = page.structured.opengraph.get("og:url", "")
    if page_identity(og_url) != page_identity(page.canonical or ""):
        yield f"the canonical is {page.canonical}, og:url {og_url}"


@page_rule(
    "AC023",
    name="paginated-canonical-first",
    title="A later page of a series names the first as canonical",
    severity="warning",
    category="access",
    applies=lambda page: _names_another(page) and (series_page(page.url) or (0, ""))[0] >= 2,
)
def paginated_canonical_first(page: PageModel, site: Site) -> Iterator[str]:
    """Page 2 or later of a paginated listing (`/page/2/`, `?page=2`) names the series' first
    page, or the home page, as its canonical.

    Why it matters: the later pages list other items than the first; canonicalised to page 1,
    they drop out of the index, and the posts or products only they link to are found late or
    never (Google: "don't use the first page of a paginated sequence as the canonical page").

    How to fix: give each page of the series its own self-referencing canonical.

    Pass: `/blog/page/2/` names itself. Fail: `/blog/page/2/` names `/blog/`.
    """
    number, first = series_page(page.url) or (0, "")
    target = page_identity(page.canonical or "")
    if target == page_identity(first):
        yield f"page {number} names the first page as canonical: {page.canonical}"
    elif target == page_identity(site.home_url):
        yield f"page {number} names the home page as canonical"


def _difference(listed: str, canonical: str) -> str:
    """How a canonical differs from the URL the sitemap lists, in words alike on every page of
    one template (so that one template's pages fold into one finding)."""
    a, b = spelled(listed), spelled(canonical)
    if a[:2] == b[:2] and a[3] == b[3]:
        if b[2] == a[2] + "index.html" or b[2] == a[2] + "/index.html":
            return "its canonical adds index.html"
        if a[2] == b[2] + "index.html" or a[2] == b[2] + "/index.html":
            return "its canonical drops index.html"
        if a[2].rstrip("/") == b[2].rstrip("/"):
            return "its canonical differs by a trailing slash"
        if b[2] == a[2] + ".html":
            return "its canonical adds .html"
    return f"its canonical is {canonical}"


@page_rule(
    "AC024",
    name="sitemap-lists-non-canonical",
    title="The sitemap lists a URL that names another canonical",
    severity="notice",
    category="access",
    applies=lambda page: _judged(page) and bool(page.canonical),
    template=True,
)
def sitemap_lists_non_canonical(page: PageModel, site: Site) -> Iterator[str]:
    """A URL the sitemap lists answers with a page whose canonical is spelled otherwise, even
    where both serve the same page (`/x/` listed, `/x/index.html` canonical).

    Why it matters: a sitemap says which URLs to index and a canonical which one URL stands
    for the page; when they disagree, crawlers get two signals and Google asks for canonical
    URLs only in sitemaps.

    How to fix: list each page's canonical URL in the sitemap, or correct the canonical when
    the sitemap URL is the right one.

    Pass: the sitemap lists `/a/`, whose canonical is `/a/`. Fail: it lists `/a/?ref=1`, whose
    canonical is `/a/`; or `/a/`, whose canonical is `/a/index.html`.
    """
    listed = next(
        (
            url
            for url in (page.url, page.fetch.requested_url)
            if url and spelled(url) in site.page_index.sitemap
        ),
        None,
    )
    canonical = page.canonical or ""
    if listed is not None and spelled(listed) != spelled(canonical):
        yield f"the sitemap lists this URL; {_difference(listed, canonical)}"
