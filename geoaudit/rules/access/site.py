"""Access site rules: robots.txt there, reachable and well formed; what it and the server allow
each AI bot (the probes); the sitemaps readable (AC004-AC009, AC012-AC015)."""

from __future__ import annotations

from collections.abc import Iterator

from geoaudit.facts import Site
from geoaudit.models import SiteFile
from geoaudit.rules import Problem, site_rule
from geoaudit.rules.access import bot_name, live_bots


@site_rule(
    "AC004",
    name="robots-txt-missing",
    title="robots.txt is missing",
    severity="warning",
    category="access",
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
    name="robots-txt-unreachable",
    title="robots.txt is unreachable (5xx or no answer)",
    severity="error",
    category="access",
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


def _has_rules(site: Site) -> bool:
    return site.access.policy.mode != "disallow_all"


@site_rule(
    "AC006",
    name="ai-search-bot-blocked",
    title="robots.txt blocks an AI search or user bot",
    severity="error",
    category="access",
    applies=_has_rules,
)
def ai_search_bot_blocked(site: Site) -> Iterator[Problem]:
    """robots.txt disallows the home page for a crawler that AI search or AI assistants use to
    find and read pages: OAI-SearchBot (ChatGPT search), Claude-SearchBot, PerplexityBot,
    Googlebot (AI Overviews), Bingbot (Copilot), their user-triggered fetchers, and others.

    Why it matters: a blocked search bot cannot index the site, so that engine cannot cite it.
    A common trap: RFC 9309 says a bot with a group of its own ignores `User-agent: *`, and a bot
    without one obeys `*` in full. `User-agent: * / Disallow: /` with an exception only for
    GPTBot still blocks OAI-SearchBot.

    How to fix: give each search and user bot you want an explicit group, e.g.
    `User-agent: OAI-SearchBot` / `Allow: /`, or relax the `*` group. Blocking training bots
    (GPTBot, CCBot, Google-Extended) is a separate choice and does not affect search.

    Pass: `User-agent: *` / `Disallow: /admin/`.
    Fail: `User-agent: *` / `Disallow: /` followed only by `User-agent: GPTBot` / `Allow: /`.
    """
    for bot in live_bots(site, ("search", "user")):
        if bot.honours_robots and not bot.allowed:
            yield Problem(
                f"{bot_name(bot)} may not fetch the home page: robots.txt {bot.rule} disallows it"
            )


@site_rule(
    "AC007",
    name="ai-key-pages-blocked",
    title="robots.txt blocks key pages for an AI search bot",
    severity="warning",
    category="access",
    applies=_has_rules,
)
def ai_key_pages_blocked(site: Site) -> Iterator[Problem]:
    """An AI search or user bot may fetch the home page, but robots.txt disallows some key
    pages for it: pages listed in llms.txt or in the sitemaps.

    Why it matters: the pages you list in llms.txt and sitemaps are the ones you want cited;
    a Disallow rule written for something else (a path prefix, a wildcard) often catches them.

    How to fix: check the listed pages against the rules of the bot's group (or `*`), and add
    an `Allow:` rule with a longer path for the pages that must stay reachable.

    Pass: `/pricing` listed in the sitemap and allowed. Fail: `Disallow: /p` also blocks `/pricing`.
    """
    for bot in live_bots(site, ("search", "user")):
        if bot.honours_robots and bot.allowed and bot.blocked_key_pages:
            shown = ", ".join(bot.blocked_key_pages[:5])
            more = len(bot.blocked_key_pages) - 5
            extra = f" and {more} more" if more > 0 else ""
            yield Problem(
                f"{bot_name(bot)} may not fetch {len(bot.blocked_key_pages)} key pages: "
                f"{shown}{extra}"
            )


@site_rule(
    "AC008",
    name="ai-training-opt-out",
    title="robots.txt opts out of AI training bots (information)",
    severity="notice",
    category="access",
    applies=_has_rules,
)
def ai_training_opt_out(site: Site) -> Iterator[Problem]:
    """robots.txt disallows the site for AI training crawlers (GPTBot, ClaudeBot, CCBot,
    Google-Extended, Applebot-Extended...). This is information, not a fault: it weighs nothing
    in the score.

    Why it matters: opting out of training keeps the content out of future models' training
    data; it does not stop AI search from citing the site, which other bots handle. Make sure
    the choice is deliberate.

    How to fix: nothing, if intended. To allow training, remove those bots' Disallow rules.

    Pass: no training bot blocked.
    Fail: (information) `User-agent: GPTBot` / `Disallow: /`.
    """
    blocked = [b.token for b in live_bots(site, ("training",)) if not b.allowed]
    if blocked:
        yield Problem(
            f"robots.txt opts out of AI training for {', '.join(blocked)}; AI search "
            "is not affected by this"
        )


@site_rule(
    "AC009",
    name="ai-bot-refused-by-server",
    title="Server refuses an AI bot that robots.txt allows",
    severity="error",
    category="access",
    applies=lambda site: any(b.server_verdict for b in site.access.bots),
)
def ai_bot_refused_by_server(site: Site) -> Iterator[Problem]:
    """Fetched with an AI search or user bot's User-Agent, the home page (or another key page)
    answered an error, a bot challenge (CAPTCHA, "Just a moment..."), or a body far smaller than
    the normal page, although robots.txt allows that bot.

    Why it matters: this is the most common invisible block. A CDN or firewall rule ("block AI
    bots", bot-fight modes, rate limits) refuses the crawler, the site owner sees a clean
    robots.txt, and the AI engine never sees the content.

    How to fix: allow the bot in the CDN/WAF settings (Cloudflare: AI Crawl Control / bot
    settings; others: verified-bot allow lists). Note: geoaudit fetches from its own address, and
    some CDNs refuse a bot's User-Agent from an address outside that bot's published IP ranges;
    confirm with the CDN's logs before and after the change.

    Pass: OAI-SearchBot gets 200 and the full page. Fail: OAI-SearchBot gets 403 or a challenge.
    """
    for bot in live_bots(site, ("search", "user")):
        if bot.allowed and bot.server_verdict in ("blocked", "challenge"):
            yield Problem(f"{bot_name(bot)}: {bot.server_detail}")


def _lint(site: Site, severity: str) -> Iterator[Problem]:
    for lint in site.access.policy.file.lint:
        if lint.severity == severity:
            yield Problem(lint.message, line=lint.line or None, url=site.access.robots_url)


def _robots_parsed(site: Site) -> bool:
    return site.access.policy.mode == "rules"


@site_rule(
    "AC012",
    name="robots-txt-invalid",
    title="robots.txt is not a robots.txt file",
    severity="error",
    category="access",
    applies=_robots_parsed,
)
def robots_txt_invalid(site: Site) -> Iterator[Problem]:
    """/robots.txt answers 200 with an HTML page (often a CMS "not found" page served with the
    wrong status) or binary content.

    Why it matters: crawlers find no rules in it, so everything is allowed, whatever you meant;
    and the sitemaps it should announce are never found.

    How to fix: serve a plain-text robots.txt, or let the URL answer 404 if you want no rules.

    Pass: `User-agent: *` as text/plain. Fail: `<!DOCTYPE html><html>...` at /robots.txt.
    """
    yield from _lint(site, "error")


@site_rule(
    "AC013",
    name="robots-txt-syntax",
    title="robots.txt has lines crawlers misread or ignore",
    severity="warning",
    category="access",
    applies=_robots_parsed,
)
def robots_txt_syntax(site: Site) -> Iterator[Problem]:
    """Lines of robots.txt that RFC 9309 crawlers ignore or read differently from what was
    meant: unknown directives, rules before any `User-agent` line, patterns that do not start
    with `/` or `*`, missing colons, misspellings, relative Sitemap URLs, invented lines such as
    `LLMs:`, invalid UTF-8, a file over 500 KiB.

    Why it matters: every ignored line is a rule you think applies and does not.

    How to fix: correct each line reported, by its line number.

    Pass: `Disallow: /private/`. Fail: `Disallow: private/` (matches nothing) or `LLMs: /llms.txt`.
    """
    yield from _lint(site, "warning")


@site_rule(
    "AC018",
    name="ai-bot-group-escapes-star",
    title="An AI bot's own group opens paths that `*` disallows",
    severity="warning",
    category="access",
    applies=_robots_parsed,
)
def ai_bot_group_escapes_star(site: Site) -> Iterator[Problem]:
    """A named bot's group in robots.txt lets it fetch paths that the `User-agent: *` group
    disallows.

    Why it matters: under RFC 9309 a crawler with a group of its own obeys that group only and
    ignores `*` entirely. A group written to give GPTBot or ClaudeBot one extra rule
    (`User-agent: GPTBot` / `Disallow: /drafts/`) drops every `*` rule for it: the admin,
    cart and private paths `*` keeps out are open to that bot. Most authors of such groups
    expect the rules to add up; they do not.

    How to fix: repeat in each named group the `*` rules that should still apply to it, or
    remove the named group if `*` says what you want.

    Pass: `*` disallows /private/ and GPTBot's group disallows /private/ too.
    Fail: `*` disallows /private/; `User-agent: GPTBot` / `Allow: /`.
    """
    for escape in site.access.star_escapes():
        shown = ", ".join(f"{p} (line {line})" for p, line in escape.paths[:5])
        more = f" and {len(escape.paths) - 5} more" if len(escape.paths) > 5 else ""
        lines = ", ".join(str(n) for n in escape.own_lines)
        yield Problem(
            f"{escape.token}'s own group (line {lines}) lets it fetch what `User-agent: *` "
            f"disallows: {shown}{more}",
            line=escape.own_lines[0],
        )


@site_rule(
    "AC014",
    name="robots-txt-non-standard",
    title="robots.txt uses non-standard directives",
    severity="notice",
    category="access",
    applies=_robots_parsed,
)
def robots_txt_non_standard(site: Site) -> Iterator[Problem]:
    """Directives outside RFC 9309 that some crawlers ignore: `Crawl-delay` (Google ignores
    it), `Host` and `Clean-param` (Yandex only), `noindex` in robots.txt (unsupported since
    2019), `User-agent` values with versions (`GPTBot/1.1` is read as `GPTBot`).

    Why it matters: harmless in general, but they do not do what they seem to for the main
    AI and search crawlers.

    How to fix: remove them, or keep them knowingly for the crawlers that read them.

    Pass: only User-agent, Allow, Disallow, Sitemap. Fail: `Crawl-delay: 10`.
    """
    yield from _lint(site, "notice")


def _sitemaps(site: Site) -> list[SiteFile]:
    return [f for f in site.sitefiles if f.name == "sitemap" and f.present]


@site_rule(
    "AC015",
    name="sitemap-invalid",
    title="A sitemap cannot be read",
    severity="warning",
    category="access",
    applies=lambda site: bool(_sitemaps(site)),
)
def sitemap_invalid(site: Site) -> Iterator[Problem]:
    """A sitemap (from robots.txt `Sitemap:` lines, /sitemap.xml or a sitemap index) answers
    200 with something that is not a sitemap: an HTML error page, broken XML, a corrupt or
    oversized gzip file, or more than the 50,000 URLs sitemaps.org allows.

    Why it matters: search and AI crawlers discover and date pages from sitemaps; one they
    cannot read is as good as none, and its lastmod dates never reach them.

    How to fix: serve valid sitemaps.org XML (`<urlset>` or `<sitemapindex>`), split files over
    50,000 URLs or 50 MB, and let a missing sitemap answer 404 rather than an HTML page.

    Pass: `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">…`. Fail: the CMS's
    "Page not found" HTML at /sitemap.xml with status 200.
    """
    for sitemap in _sitemaps(site):
        if sitemap.parse_error:
            yield Problem(f"{sitemap.fetch.url}: {sitemap.parse_error}", url=sitemap.fetch.url)
