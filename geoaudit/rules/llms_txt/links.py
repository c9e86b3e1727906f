"""llms.txt site rules on what the file's links answer: broken, redirected, off-limits to AI
search, off the canonical host, without a Markdown version (LT031-LT035)."""

from __future__ import annotations

from collections.abc import Iterator

from geoaudit.facts import Site
from geoaudit.rules import Problem, site_rule


def _links(site: Site) -> bool:
    return bool(site.llms_links)


@site_rule(
    "LT031",
    name="llms-link-broken",
    title="A link in llms.txt is broken",
    severity="error",
    category="llms_txt",
    needs=("llms_links",),
    applies=_links,
)
def link_broken(site: Site) -> Iterator[Problem]:
    """A page linked from llms.txt answers 4xx or 5xx, or does not answer.

    Why it matters: the agent follows the link you recommended and finds an error.

    How to fix: update the link to the page's current URL, or remove it.

    Pass: every link answers 200. Fail: `[Pricing](https://acme.example/pricing-old)` → 404.
    """
    for link in site.llms_links or []:
        if link.fetched and not link.ok:
            answer = link.error or f"HTTP {link.status}"
            yield Problem(f"{link.url} answers {answer}", line=link.line, url=site.llms_url)


@site_rule(
    "LT032",
    name="llms-link-redirected",
    title="A link in llms.txt redirects",
    severity="notice",
    category="llms_txt",
    needs=("llms_links",),
    applies=_links,
)
def link_redirected(site: Site) -> Iterator[Problem]:
    """A page linked from llms.txt redirects to another URL.

    Why it matters: each redirect costs the agent a request and may change host or scheme;
    list the final URL.

    How to fix: replace the link with the URL it redirects to.

    Pass: `https://acme.example/docs/`. Fail: `http://acme.example/docs` → 301 → https.
    """
    for link in site.llms_links or []:
        if link.fetched and link.final_url and link.final_url != link.url:
            yield Problem(
                f"{link.url} redirects to {link.final_url}", line=link.line, url=site.llms_url
            )


@site_rule(
    "LT033",
    name="llms-link-not-for-ai",
    title="A link in llms.txt is off-limits to AI search",
    severity="warning",
    category="llms_txt",
    needs=("llms_links",),
    applies=_links,
)
def link_not_for_ai(site: Site) -> Iterator[Problem]:
    """A page linked from llms.txt is disallowed by robots.txt for AI search or user bots, or
    carries `noindex`.

    Why it matters: llms.txt recommends the page and robots.txt or the page forbids using it:
    the signals contradict each other, and the agent may not fetch or cite it.

    How to fix: allow the page for the search bots in robots.txt and remove `noindex`, or
    remove the link from llms.txt.

    Pass: linked pages allowed and indexable. Fail: a linked page with `noindex`.
    """
    for link in site.llms_links or []:
        if link.blocked_for:
            yield Problem(
                f"{link.url} is disallowed by robots.txt for {', '.join(link.blocked_for)}",
                line=link.line,
                url=site.llms_url,
            )
        if link.noindex:
            yield Problem(f"{link.url} is marked noindex", line=link.line, url=site.llms_url)


@site_rule(
    "LT034",
    name="llms-link-off-host",
    title="A link in llms.txt is off the site's canonical host",
    severity="warning",
    category="llms_txt",
    needs=("llms_links",),
    applies=_links,
)
def link_off_host(site: Site) -> Iterator[Problem]:
    """A link points to the site under another scheme or host than the canonical one
    (`http://` for an https site, `acme.example` for `www.acme.example`).

    Why it matters: agents may treat it as another site, and every such link redirects.

    How to fix: use the canonical origin in every link.

    Pass: all links on `https://www.acme.example`. Fail: `http://acme.example/docs`.
    """
    for link in site.llms_links or []:
        if link.variant_host:
            yield Problem(
                f"{link.url} is not on the canonical origin {site.site_url}",
                line=link.line,
                url=site.llms_url,
            )


@site_rule(
    "LT035",
    name="llms-md-twins-missing",
    title="Linked pages have no Markdown version",
    severity="notice",
    category="llms_txt",
    needs=("md_twins",),
    applies=lambda site: site.md_twins[1] > 0,
)
def md_twins_missing(site: Site) -> Iterator[Problem]:
    """llmstxt.org recommends serving each linked page as clean Markdown at its URL plus `.md`
    (`index.html.md` for directory URLs); few or none of the linked pages have one. A link
    to a `.md` or `.txt` file is its own Markdown version.

    Why it matters: Markdown twins save agents from parsing HTML, and lead to more faithful
    quotes.

    How to fix: publish `.md` versions of the linked pages (many static site generators and
    CMS plugins can), or link the `.md` URLs directly.

    Pass: `/docs/start` and `/docs/start.md` both answer 200. Fail: `/docs/start.md` → 404.
    """
    found, checked = site.md_twins or (0, 0)
    if found < checked:
        yield Problem(
            f"{checked - found} of {checked} linked pages have no .md version", url=site.llms_url
        )
