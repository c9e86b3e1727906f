"""robots.txt per RFC 9309: the RFC's examples, the group traps, HTTP semantics, lint, and a
corpus of realistic files checked by hand."""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

import pytest
from protego import Protego

from geoaudit.models import FetchRecord, Redirect, SiteFile
from geoaudit.sitefiles.robots import RobotsPolicy, parse_robots, sitemap_urls

CORPUS = Path(__file__).parent / "fixtures" / "robots"
SITE = "https://www.example.com"


def allowed(text: str, token: str, path: str) -> bool:
    return RobotsPolicy.from_text(text).allowed(token, SITE + path)


RFC_EXAMPLE = """User-Agent: *
Disallow: *.gif$
Disallow: /example/
Allow: /publications/

User-Agent: foobot
Disallow:/
Allow:/example/page.html
Allow:/example/allowed.gif

User-Agent: barbot
User-Agent: bazbot
Disallow: /example/page.html

User-Agent: quxbot

EOF
"""


@pytest.mark.parametrize("token, path, expected", [
    ("foobot", "/example/page.html", True),
    ("foobot", "/example/allowed.gif", True),
    ("foobot", "/other", False),
    ("barbot", "/example/page.html", False),
    ("bazbot", "/example/page.html", False),
    ("barbot", "/example/other.html", True),
    ("quxbot", "/example/", True),          # an empty group of its own: everything allowed
    ("otherbot", "/x.gif", False),
    ("otherbot", "/example/", False),
    ("otherbot", "/publications/", True),
    ("FooBot", "/other", False),            # product tokens match case-insensitively
])
def test_rfc9309_section_5_1_example(token, path, expected):
    assert allowed(RFC_EXAMPLE, token, path) is expected


def test_rfc9309_longest_match_and_allow_wins_ties():
    text = "User-Agent: foobot\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif\n"
    assert allowed(text, "foobot", "/example/page/")
    assert not allowed(text, "foobot", "/example/page/disallowed.gif")
    tie = "User-agent: *\nDisallow: /page\nAllow: /page\n"
    assert allowed(tie, "x", "/page")
    assert not allowed("User-agent: *\nAllow: /p\nDisallow: /page\n", "x", "/page")
    dollar = "User-agent: *\nDisallow: /*.php$\n"
    assert not allowed(dollar, "x", "/a.php") and allowed(dollar, "x", "/a.php?x=1")


GPTBOT_ONLY = "User-agent: *\nDisallow: /\n\nUser-agent: GPTBot\nAllow: /\n"


def test_a_bot_with_its_own_group_ignores_star_and_the_others_obey_star():
    assert allowed(GPTBOT_ONLY, "GPTBot", "/")
    assert not allowed(GPTBOT_ONLY, "OAI-SearchBot", "/")
    assert not allowed(GPTBOT_ONLY, "ChatGPT-User", "/")


def test_groups_naming_the_same_agent_merge():
    text = ("User-agent: GPTBot\nDisallow: /a\n\nUser-agent: *\nDisallow: /\n\n"
            "User-agent: gptbot\nDisallow: /b\n")
    assert not allowed(text, "GPTBot", "/a") and not allowed(text, "GPTBot", "/b")
    assert allowed(text, "GPTBot", "/c")


def test_group_names_are_product_tokens_not_prefixes_where_protego_differs():
    text = "User-agent: Claude\nDisallow: /\n"
    assert allowed(text, "Claude-SearchBot", "/")
    assert allowed(text, "ClaudeBot", "/")
    # protego matches a group name as a prefix of the token: the reason geoaudit groups itself.
    assert not Protego.parse(text).can_fetch(SITE + "/", "Claude-SearchBot")


def test_unknown_and_sitemap_lines_do_not_split_a_group_where_protego_differs():
    text = "User-agent: GPTBot\nX-Note: hi\nUser-agent: ClaudeBot\nDisallow: /\n"
    assert not allowed(text, "GPTBot", "/")
    assert Protego.parse(text).can_fetch(SITE + "/", "GPTBot")
    text = ("User-agent: GPTBot\nSitemap: https://x.example/s.xml\nUser-agent: ClaudeBot\n"
            "Disallow: /\n")
    assert not allowed(text, "GPTBot", "/")


def test_a_user_agent_without_a_token_starts_a_group_of_its_own():
    """elmundo.es and others: rules under `User-agent: 360Spider` (or `008`) once joined the
    group before them, so Googlebot, ClaudeBot and 15 other bots came out blocked site-wide
    where Google allows them."""
    policy = RobotsPolicy.from_text(
        "User-agent: Googlebot\nUser-agent: ClaudeBot\nDisallow: /private/\n\n"
        "User-agent: 360Spider\nDisallow: /\n\nUser-agent: 008\nDisallow: /\n"
    )
    for bot in ("googlebot", "claudebot"):
        assert policy.allowed(bot, "https://example.com/")
        assert not policy.allowed(bot, "https://example.com/private/x")
    assert policy.allowed("someotherbot", "https://example.com/")  # no '*' group: allowed
    assert any("'360Spider' names no product token" in lint.message
               for lint in policy.file.lint)


def test_only_a_lone_star_is_the_global_group():
    """Three New Zealand news sites: `User-agent: *OrkashBot*` was read as `*`, blocking every
    bot. Google reads `*` alone (or before a space) as global, and `*OrkashBot*` as no token."""
    policy = RobotsPolicy.from_text(
        "User-agent: *OrkashBot*\nDisallow: /\n\nUser-agent: *\nDisallow: /admin/\n"
    )
    assert policy.allowed("gptbot", "https://example.com/news/")
    assert not policy.allowed("gptbot", "https://example.com/admin/")
    spaced = RobotsPolicy.from_text("User-agent: * # everyone\nDisallow: /\n")
    assert not spaced.allowed("gptbot", "https://example.com/")


@pytest.mark.parametrize("prefix", [b"\xef", b"\xef\xbb", b"\xef\xbb\xbf"])
def test_a_whole_or_partial_bom_costs_no_line(prefix):
    text = (prefix + b"User-agent: *\nDisallow: /x\n").decode("utf-8", errors="replace")
    assert not RobotsPolicy.from_text(text).allowed("gptbot", "https://example.com/x")


def test_key_spellings_google_accepts():
    robots = parse_robots("user agent: *\ndisalow: /a\nsite-map: https://example.com/s.xml\n")
    assert robots.groups[0].agents == ["*"] and robots.groups[0].rules[0].pattern == "/a"
    assert robots.sitemaps == [("https://example.com/s.xml", 3)]


def test_patterns_that_are_not_paths_match_nothing():
    """`Disallow: https://www.sozcu.com.tr/social-subs` matches no path (Google); protego read
    it as one."""
    policy = RobotsPolicy.from_text("User-agent: *\nDisallow: https://x.example/a\n")
    assert policy.allowed("gptbot", "https://x.example/https://x.example/a")


def test_user_agent_with_version_is_read_as_its_token():
    robots = parse_robots("User-agent: GPTBot/1.1\nDisallow: /\n")
    assert robots.groups[0].agents == ["gptbot"]
    assert [lint.line for lint in robots.lint if lint.severity == "notice"] == [1]
    assert not allowed("User-agent: GPTBot/1.1\nDisallow: /\n", "GPTBot", "/")


def sitefile(status: int | None, text: str = "", error: str | None = None,
             redirects: int = 0) -> SiteFile:
    url = SITE + "/robots.txt"
    fetch = FetchRecord(url=url, requested_url=url, status=status, error=error,
                        redirects=[Redirect(f"{url}?{n}", 301) for n in range(redirects)])
    return SiteFile(name="robots.txt", fetch=fetch, text=text)


@pytest.mark.parametrize("record, mode", [
    (sitefile(200, "User-agent: *\nDisallow: /\n"), "rules"),
    (sitefile(404), "allow_all"),
    (sitefile(401), "allow_all"),
    (sitefile(403), "allow_all"),
    (sitefile(500), "disallow_all"),
    (sitefile(503), "disallow_all"),
    (sitefile(None, error="ConnectionRefusedError: refused"), "disallow_all"),
    (sitefile(None, error="IgnoreRequest: max redirections reached"), "allow_all"),
    (sitefile(200, "User-agent: *\nDisallow: /\n", redirects=6), "allow_all"),
    (sitefile(200, "User-agent: *\nDisallow: /\n", redirects=5), "rules"),
])
def test_http_status_semantics(record, mode):
    policy = RobotsPolicy.from_sitefile(record)
    assert policy.mode == mode
    expected = {"rules": False, "allow_all": True, "disallow_all": False}[mode]
    assert policy.allowed("OAI-SearchBot", SITE + "/") is expected
    if mode == "disallow_all":
        assert "disallowed" in policy.reason


def lint_of(text: str) -> list[tuple[int, str, str]]:
    return [(lint.line, lint.severity, lint.message) for lint in parse_robots(text).lint]


def test_lint_with_line_numbers():
    text = ("Disallow: /early\n"
            "User-agent: *\n"
            "Disallow private/\n"
            "Dissallow: /x\n"
            "LLMs: /llms.txt\n"
            "Crawl-delay: 10\n"
            "Noindex: /old\n"
            "Frobnicate: yes\n"
            "Sitemap: /sitemap.xml\n"
            "just words\n")
    found = {(line, severity) for line, severity, _ in lint_of(text)}
    assert found == {(1, "warning"), (3, "warning"), (4, "warning"), (5, "warning"),
                     (6, "notice"), (7, "notice"), (8, "warning"), (9, "warning"),
                     (10, "warning")}
    messages = " ".join(m for _, _, m in lint_of(text))
    for fragment in ("before any User-agent", "missing ':'", "does not start with '/'",
                     "misspelling of Disallow", "'llms' is not a robots.txt directive",
                     "Crawl-delay", "unknown directive 'frobnicate'", "absolute URL"):
        assert fragment in messages


@pytest.mark.parametrize("line", [
    'Sitemap: https://example.com/sitemap_index.xml"',
    "Sitemap: https://example.com/site map.xml",
    "Sitemap: https://example.com/sitemap.xml>",
])
def test_a_sitemap_url_holding_characters_no_url_holds_is_reported(line):
    ((number, severity, message),) = lint_of(f"User-agent: *\nAllow: /\n{line}\n")
    assert (number, severity) == (3, "warning")
    assert "percent-encoded" in message
    assert lint_of("User-agent: *\nAllow: /\nSitemap: https://example.com/a%20b.xml?x=1\n") == []
    assert lint_of("User-agent: *\nSitemap: https://example.com/s.xml?post_type=post|page\n") == []


def test_content_signals_are_read_with_their_group():
    robots = parse_robots("User-agent: *\nContent-Signal: search=yes, ai-train=no, ai-input=yes\n"
                          "Allow: /\n")
    (signal,) = robots.content_signals
    assert (signal.line, signal.agents) == (2, ["*"])
    assert signal.signals == {"search": "yes", "ai-train": "no", "ai-input": "yes"}
    assert [(line, sev) for line, sev, _ in lint_of("User-agent: *\nContent-Signal: x\n")] == [
        (2, "warning")]


@pytest.mark.parametrize("text, fragment", [
    ("<!DOCTYPE html><html><body>Not found</body></html>", "HTML page"),
    ("  <html><head><title>404</title></head></html>", "HTML page"),
    ("User-agent: *\x00\x01\x02Disallow: /", "binary"),
    ("User-agent: *\nDisallow: /caf\ufffd\n", "not valid UTF-8"),
    ("User-agent: *\nDisallow: /" + "a" * 3000 + "\n", "characters long"),
])
def test_bad_files_become_findings(text, fragment):
    assert any(fragment in message for _, _, message in lint_of(text))


def test_html_served_as_robots_txt_has_no_rules_so_everything_is_allowed():
    policy = RobotsPolicy.from_text("<!doctype html><html><p>User-agent: *</p></html>")
    assert policy.file.looks_like_html and policy.file.groups == []
    assert policy.allowed("GPTBot", SITE + "/")


def test_only_the_first_500_kib_count():
    text = ("User-agent: *\nAllow: /\n" + "# filler\n" * 70_000
            + "User-agent: GPTBot\nDisallow: /\n")
    robots = parse_robots(text)
    assert robots.truncated and any("500 KiB" in lint.message for lint in robots.lint)
    assert allowed(text, "GPTBot", "/")


def test_parser_never_raises_on_random_text():
    rng = random.Random(9309)
    alphabet = "User-agent:Disallow Allow*$/#\n\r\t\ufeff\x00é😀<>:=,Sitemap Content-Signal"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        policy = RobotsPolicy.from_text(text)
        policy.allowed("GPTBot", SITE + "/x")
        policy.explain("GPTBot")


def corpus_cases():
    data = tomllib.loads((CORPUS / "expected.toml").read_text())
    for case in data["file"]:
        for token, expected in case["allowed"].items():
            yield pytest.param(case, token, expected, id=f"{case['name']}-{case['path']}-{token}")


@pytest.mark.parametrize("case, token, expected", list(corpus_cases()))
def test_realistic_files_match_the_hand_check(case, token, expected):
    text = (CORPUS / case["name"]).read_bytes().decode("utf-8")
    assert allowed(text, token, case["path"]) is expected


def test_realistic_files_sitemaps_and_signals():
    news = (CORPUS / "news_publisher.txt").read_text()
    assert sitemap_urls(news) == ["https://news.example/sitemap.xml",
                                  "https://news.example/news-sitemap.xml"]
    cloudflare = parse_robots((CORPUS / "cloudflare_managed.txt").read_text())
    assert cloudflare.content_signals[0].signals == {"search": "yes", "ai-train": "no"}
    assert cloudflare.lint == []


def test_a_crawler_documenting_a_token_with_digits_matches_it_whole():
    """`User-agent: AI2Bot` is read `ai` by Google's parser, which stops at the digit: the
    group would bind no crawler and AI2Bot would obey `*`. The Allen Institute documents
    AI2Bot as its token, so the audit matches it whole (and does not say it "is read as
    'ai'"); a token with digits that no known crawler documents stays as Google reads it."""
    from geoaudit.facts.access import AccessBuilder
    from geoaudit.vocab.agents import agents

    text = "User-agent: *\nDisallow: /\n\nUser-agent: AI2Bot\nAllow: /\n"
    assert not [lint for lint in parse_robots(text).lint if "read as" in lint.message]
    bots = {b.token: b for b in AccessBuilder(
        RobotsPolicy.from_text(text), agents(), "https://a.example/").bots}
    assert bots["AI2Bot"].allowed and bots["AI2Bot"].rule == "its own group (line 4)"
    assert not bots["GPTBot"].allowed
    # Google's reading for any other caller: `Rule1TestBot` has no group of its own.
    google = RobotsPolicy.from_text("User-agent: *\nAllow: /\n\nUser-agent: Rule1TestBot\n"
                                    "Disallow: /\n")
    assert google.allowed("Rule1TestBot", "https://a.example/x")
