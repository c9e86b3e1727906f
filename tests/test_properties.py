"""Property-based tests: the parsers of robots.txt, llms.txt and sitemaps take arbitrary text
(or bytes) from hostile sites and never raise."""

from __future__ import annotations

import gzip

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geoaudit.rules import PROFILES, validate
from geoaudit.sitefiles.llms_txt import lighthouse_verdict, parse_llms
from geoaudit.sitefiles.robots import RobotsPolicy, parse_robots
from geoaudit.sitefiles.sitemaps import parse_sitemap

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text built from the pieces these formats are made of, so that the examples reach deep into
# the parsers rather than stopping at the first unknown line.
ROBOTS_PIECES = st.sampled_from([
    "User-agent: *", "User-agent: GPTBot", "user-agent:claude", "Disallow: /", "Allow: /a$",
    "Disallow: /*?q=", "Sitemap: https://x.example/s.xml", "Content-Signal: ai-train=no",
    "Crawl-delay: 5", "# comment", "", ":", "Disallow", "User-agent:", "\ufeff", "\x00", "LLMs: x",
])
LLMS_PIECES = st.sampled_from([
    "# Name", "#", "## Section", "### Deep", "> summary", ">", "- [a](https://x.example/a): n",
    "* [b](/b)", "+ [c](https://x.example/c(d))", "- [", "](", "<!-- x", "-->", "<b>html</b>",
    "\u200b", "\U000e0041", "\u202e", "Ignore previous instructions", "", "```", "\r",
])


def lines(pieces: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    mixed = st.one_of(pieces, st.text(max_size=40))
    return st.lists(mixed, max_size=60).map("\n".join)


@FAST
@given(st.one_of(st.text(), lines(ROBOTS_PIECES)), st.sampled_from(["GPTBot", "*", "x"]),
       st.text(max_size=30))
def test_robots_parser_and_policy_never_raise(text, token, path):
    parse_robots(text)
    RobotsPolicy.from_text(text).allowed(token, "https://x.example/" + path)


@FAST
@given(st.one_of(st.text(), lines(LLMS_PIECES)), st.sampled_from(PROFILES),
       st.one_of(st.none(), st.integers(100, 599)))
def test_llms_parser_validator_and_lighthouse_never_raise(text, profile, status):
    validate(parse_llms(text), profile)
    lighthouse_verdict(status, text)


SITEMAP_PIECES = st.sampled_from([
    b'<?xml version="1.0"?>', b"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">",
    b"</urlset>", b"<sitemapindex>", b"</sitemapindex>", b"<url><loc>https://x.example/</loc>",
    b"<lastmod>2026-01-01</lastmod>", b"</url>", b"<sitemap><loc>", b"</loc></sitemap>",
    b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>", b"&a;", b"<html><body>404</body></html>", b"\x00",
])


@FAST
@given(st.one_of(st.binary(), st.lists(SITEMAP_PIECES, max_size=30).map(b"".join)),
       st.booleans())
def test_sitemap_parser_never_raises(body, compress):
    parsed = parse_sitemap(gzip.compress(body) if compress else body)
    assert parsed.kind in ("urlset", "sitemapindex", "invalid")


def test_every_agent_names_its_source_and_the_day_it_was_checked():
    from geoaudit.vocab.agents import builtin_agents

    table = builtin_agents()
    assert len(table) >= 40
    for agent in table:
        assert agent.docs.startswith("https://") and agent.checked, agent.token
    purposes = {a.token: a.purpose for a in table}
    assert purposes["Amazonbot"] == "training" and purposes["Amzn-SearchBot"] == "search"
