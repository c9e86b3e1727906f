"""Access rules: can crawlers, AI crawlers among them, fetch and index the site's pages?"""

from __future__ import annotations

from collections.abc import Iterator

from geoaudit.checks import Site, page_rule, site_rule
from geoaudit.models import PageModel

NOINDEX = {"noindex", "none"}


def _failed_or_5xx(page: PageModel) -> bool:
    return page.fetch.status is None or page.fetch.status >= 500


@page_rule(
    "AC001",
    "page-unavailable",
    "Page fails to load (5xx or no response)",
    "error",
    "access",
    applies=lambda page: True,
)
def page_unavailable(page: PageModel, site: Site) -> Iterator[str]:
    """A crawled URL answered with a server error or did not answer at all.

    Why it matters: AI crawlers that meet errors drop the page from their index and retry less
    often; an answer engine cannot cite a page it could not fetch.

    How to fix: check the server logs for the URL, fix the error or remove links to the URL.

    Pass: `GET /pricing` answers 200.
    Fail: `GET /pricing` answers 503, or the connection is refused.
    """
    if page.fetch.status is None:
        yield f"fetch failed: {page.fetch.error}"
    elif page.fetch.status >= 500:
        yield f"server error {page.fetch.status}"


@page_rule(
    "AC002",
    "page-client-error",
    "Linked page answers 4xx",
    "warning",
    "access",
    applies=lambda page: not _failed_or_5xx(page),
)
def page_client_error(page: PageModel, site: Site) -> Iterator[str]:
    """A URL linked from the site (or listed in its sitemap) answers 4xx: a broken link.

    Why it matters: broken internal links waste crawl budget, AI crawlers included, and leave
    the pages that should have been found unknown to answer engines.

    How to fix: update or remove links to the URL, or redirect it (301) to its replacement.

    Pass: every internal link answers 200 or redirects to a 200. Fail: `/old-guide` answers 404.
    """
    status = page.fetch.status
    if status is not None and 400 <= status < 500:
        yield f"client error {status}"


def robots_directives(page: PageModel) -> set[str]:
    """Directives for all crawlers: `<meta name=robots>` and X-Robots-Tag values with no agent."""
    found = set()
    values = [page.meta_robots.get("robots", "")]
    for part in page.x_robots_tag.split(","):
        head, sep, _ = part.partition(":")
        # "googlebot: noindex" names an agent; "unavailable_after: DATE" is a directive.
        if sep and " " not in head.strip() and head.strip().lower() != "unavailable_after":
            continue
        values.append(part)
    for value in values:
        found.update(d.strip().lower() for d in value.split(",") if d.strip())
    return found


@page_rule(
    "AC003",
    "page-noindex",
    "Page asks not to be indexed (noindex)",
    "warning",
    "access",
    applies=lambda page: page.fetch.ok,
)
def page_noindex(page: PageModel, site: Site) -> Iterator[str]:
    """The page carries `noindex` (or `none`) in its robots meta tag or X-Robots-Tag header.

    Why it matters: search engines and the AI answer engines built on their indexes (Google AI
    Overviews, Bing/Copilot, ChatGPT search) leave noindex pages out, so they can never be cited.
    Intended for private or duplicate pages; a mistake on a page you want found.

    How to fix: remove `noindex` from `<meta name="robots">` and from the `X-Robots-Tag` header
    of pages that should be found.

    Pass: `<meta name="robots" content="index, follow">`.
    Fail: `<meta name="robots" content="noindex">` or `X-Robots-Tag: noindex`.
    """
    directives = robots_directives(page) & NOINDEX
    if directives:
        yield f"page is excluded from indexes by '{', '.join(sorted(directives))}'"


@site_rule(
    "AC004",
    "robots-txt-missing",
    "robots.txt is missing",
    "warning",
    "access",
    applies=lambda site: (
        (f := site.file("robots.txt")) is not None
        and f.fetch.status is not None
        and f.fetch.status < 500
    ),
)
def robots_txt_missing(site: Site) -> Iterator[str]:
    """The site has no robots.txt (it answers 4xx).

    Why it matters: without robots.txt every crawler may fetch everything, which is allowed but
    leaves you no say over AI training versus AI search bots, and no `Sitemap:` line to help
    them find your pages.

    How to fix: serve `/robots.txt` as text/plain with at least a `User-agent: *` group and a
    `Sitemap:` line, and decide per AI bot (GPTBot, OAI-SearchBot, ClaudeBot...) what it may fetch.

    Pass: `/robots.txt` answers 200. Fail: `/robots.txt` answers 404.
    """
    robots = site.file("robots.txt")
    if robots is not None and not robots.present:
        yield f"/robots.txt answered {robots.fetch.status}"


@site_rule(
    "AC005",
    "robots-txt-unreachable",
    "robots.txt is unreachable (5xx or no answer)",
    "error",
    "access",
)
def robots_txt_unreachable(site: Site) -> Iterator[str]:
    """Fetching /robots.txt failed with a server error or no response.

    Why it matters: RFC 9309 tells crawlers to assume the whole site is disallowed when
    robots.txt is unreachable. Google, OpenAI and Anthropic follow it: the site disappears for them
    until the file answers again.

    How to fix: make `/robots.txt` answer 200 (or 404 if you truly want no rules); check CDN
    and firewall rules that may block it for bots.

    Pass: `/robots.txt` answers 200 or 404. Fail: `/robots.txt` answers 503 or times out.
    """
    robots = site.file("robots.txt")
    if robots is None:
        return
    status = robots.fetch.status
    if status is None:
        yield (
            f"/robots.txt could not be fetched ({robots.fetch.error}): crawlers treat the "
            "whole site as disallowed"
        )
    elif status >= 500:
        yield f"/robots.txt answered {status}: crawlers treat the whole site as disallowed"
