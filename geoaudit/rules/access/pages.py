"""Access page rules: does each page answer, allow indexing and AI answers, and carry its
content without JavaScript, does it stay on the site, and could geoaudit read all of it
(AC001-AC003, AC010, AC011, AC016, AC017)?"""

from __future__ import annotations

from collections.abc import Iterator

from geoaudit.facts import Site
from geoaudit.facts.access import INDEX_BLOCKERS, SNIPPET_BLOCKERS
from geoaudit.facts.pages import page_kind
from geoaudit.models import PageModel
from geoaudit.rules import Problem, page_rule
from geoaudit.rules.access import bot_name, live_bots

NOINDEX = INDEX_BLOCKERS
SPA_MIN_WORDS = 50
SCRIPT_TO_TEXT_RATIO = 5
# Inline script that can carry a page's content: analytics snippets, theme toggles and menu
# scripts (0.4-9 KB on the corpus's thin pages, 13 false findings of 14) are not evidence.
CONTENT_SCRIPT_BYTES = 20_000


def _failed_or_5xx(page: PageModel) -> bool:
    return page.fetch.status is None or page.fetch.status >= 500


@page_rule(
    "AC001",
    name="page-unavailable",
    title="Page fails to load (5xx or no response)",
    severity="error",
    category="access",
    applies=lambda page: page.fetch.out_of_scope is None,
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
    "AC016",
    name="redirect-leaves-site",
    title="Redirect leads outside the audited site",
    severity="notice",
    category="access",
    applies=lambda page: True,
)
def redirect_leaves_site(page: PageModel, site: Site) -> Iterator[str]:
    """A URL of the site redirects (HTTP 3xx or meta refresh) to another host, another port or
    another scheme than http(s). geoaudit does not follow it: an audit never fetches outside
    the site it was pointed at, nor sends the site's credentials there.

    Why it matters: AI crawlers follow the redirect and judge the target, not your page; a
    page that moved to another domain takes its citations with it. Often this is intended (a
    shop or a booking service on a partner's domain); sometimes it is a staging or an old
    domain that leaks into links.

    How to fix: if the target is yours, audit it too; if the redirect is a mistake (an
    `http://` or staging target), point it at the page's URL on this site.

    Pass: `/shop` answers 200, or redirects to `/store/`.
    Fail: `/shop` answers 302 with `Location: https://shop.partner.example/`.
    """
    if page.fetch.out_of_scope:
        yield f"redirects to {page.fetch.out_of_scope}, outside the audited site: not followed"


@page_rule(
    "AC017",
    name="page-partly-read",
    title="Part of the page could not be read",
    severity="notice",
    category="access",
    applies=lambda page: page.is_html_ok,
)
def page_partly_read(page: PageModel, site: Site) -> Iterator[str]:
    """geoaudit read only part of this page: its HTML could not be parsed, the page passed a
    limit (more than 5,000 links, main content over 300,000 characters of HTML, JSON-LD nested
    deeper than 32 levels), or reading one part of it failed. The other parts were read and
    judged; the findings of the rules that need the missing part may be incomplete.

    Why it matters: crawlers bound what they read too. A page with hundreds of thousands of
    links or megabytes of markup is cut short by AI crawlers as well, and what lies past the
    cut is never indexed.

    How to fix: split very long pages (paginate link lists, move archives into sections of
    their own); for an internal error, report it with the page's URL.

    Pass: a page with 300 links and an article of 4,000 words.
    Fail: a sitemap page listing 600,000 links.
    """
    if page.parse_error:
        yield f"the HTML could not be parsed: {page.parse_error}"
    yield from page.unread


@page_rule(
    "AC002",
    name="page-client-error",
    title="Linked page answers 4xx",
    severity="warning",
    category="access",
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


@page_rule(
    "AC003",
    name="page-noindex",
    title="Page asks not to be indexed (noindex)",
    severity="warning",
    category="access",
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
    directives = page.directives() & NOINDEX
    if directives:
        yield f"page is excluded from indexes by '{', '.join(sorted(directives))}'"


@page_rule(
    "AC010",
    name="ai-bot-page-controls",
    title="Page-level controls keep AI search bots from using the page",
    severity="warning",
    category="access",
)
def ai_bot_page_controls(page: PageModel, site: Site) -> Iterator[Problem]:
    """The page excludes itself from an AI search or user bot with a bot-specific robots
    meta tag or X-Robots-Tag (`<meta name="OAI-SearchBot" content="noindex">`,
    `X-Robots-Tag: PerplexityBot: none`), or forbids snippets to everyone (`nosnippet`,
    `max-snippet:0`), which also keeps it out of Google AI Overviews and AI Mode.

    Why it matters: the page may be crawled, but the engine may not show or quote it.

    How to fix: remove the bot-specific `noindex`/`none`, and `nosnippet`/`max-snippet:0`,
    from pages you want cited; use `data-nosnippet` on the few passages that must not be quoted.

    Pass: `<meta name="robots" content="max-snippet:-1">`.
    Fail: `<meta name="robots" content="nosnippet">`.
    """
    generic = page.directives()
    snippet = generic & SNIPPET_BLOCKERS
    if snippet:
        yield Problem(
            f"'{', '.join(sorted(snippet))}' keeps the page out of AI answers and "
            "snippets for every engine"
        )
    bots = live_bots(site, ("search", "user"))
    for bot in bots:
        own = set(page.robots.get(bot.token.lower(), []))
        blocked = own & (INDEX_BLOCKERS | SNIPPET_BLOCKERS)
        if blocked:
            yield Problem(f"'{', '.join(sorted(blocked))}' addressed to {bot_name(bot)}")


@page_rule(
    "AC011",
    name="content-needs-javascript",
    title="Main content needs JavaScript to appear",
    severity="warning",
    category="access",
    applies=lambda page: page.is_html_ok and page_kind(page) != "search",
)
def content_needs_javascript(page: PageModel, site: Site) -> Iterator[Problem]:
    """The raw HTML carries little readable text but an empty app mount point (`<div id="root">`)
    or an inline script big enough to carry content (20 KB or more) and many times larger than
    its text: the content appears only once JavaScript runs. A page that is merely thin (an
    empty category, a short post with a small analytics script) is not judged here.

    Why it matters: AI crawlers (GPTBot, OAI-SearchBot, ClaudeBot, PerplexityBot) do not run
    JavaScript. They see the empty shell, so the page has nothing to index or quote.

    How to fix: render the main content on the server (SSR or static generation: Next.js,
    Nuxt, Astro, prerendering), so the HTML response itself contains the text.

    Pass: the HTML response contains the article text.
    Fail: `<div id="root"></div><script src="/app.js">` and no text.
    """
    if page.word_count >= SPA_MIN_WORDS:
        return
    text_bytes = sum(len(b.text.encode("utf-8")) for b in page.text_blocks)
    if page.empty_app_root:
        yield Problem(
            f"{page.word_count} words of text and an empty #{page.empty_app_root} "
            "app root: the content is rendered by JavaScript"
        )
    elif page.script_bytes >= CONTENT_SCRIPT_BYTES and page.script_bytes > (
        SCRIPT_TO_TEXT_RATIO * max(text_bytes, 1)
    ):
        yield Problem(
            f"{page.word_count} words of text and {page.script_bytes} bytes of inline "
            "script: the content is rendered by JavaScript"
        )
