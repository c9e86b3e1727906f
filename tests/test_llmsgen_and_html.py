"""The generated llms.txt and the HTML report, from a store filled by hand."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest

from geoaudit.extract import build_page
from geoaudit.facts import build_site
from geoaudit.facts.identity import site_name
from geoaudit.generate.llms_txt import generate_both
from geoaudit.models import FetchRecord, Finding
from geoaudit.report import html as html_report
from geoaudit.report.context import ReportContext
from geoaudit.rules import load_rules
from geoaudit.store import Store
from geoaudit.vocab.agents import agents

ORIGIN = "https://www.example.com"


def add(store: Store, path: str, html: str, depth: int = 1, status: int = 200) -> None:
    url = ORIGIN + path
    fetch = FetchRecord(url=url, requested_url=url, status=status, content_type="text/html",
                        depth=depth)
    store.add_page(build_page(fetch, html.encode(), "utf-8"))


def test_site_name_prefers_organization_then_og_then_cleaned_title():
    def home(html):
        url = ORIGIN + "/"
        return build_page(FetchRecord(url=url, requested_url=url, status=200,
                                      content_type="text/html"), html.encode(), "utf-8")

    org = ('<script type="application/ld+json">'
           '{"@graph": [{"@type": "Organization", "name": "Acme Ltd"}]}</script>')
    assert site_name(home(org + "<title>Home | Acme</title>")) == "Acme Ltd"
    assert site_name(home('<meta property="og:site_name" content="Acme OG">')) == "Acme OG"
    assert site_name(home("<title>Home - Acme Widgets</title>")) == "Acme Widgets"
    assert site_name(home("<p>no title</p>")) is None


def test_generated_llms_txt_sections_ranking_and_exclusions(tmp_path):
    store = Store.in_dir(tmp_path, fresh=True)
    add(store, "/", '<title>Acme | Tools for makers</title><meta name="description" '
                    'content="Acme makes tools."><a href="/docs/start">s</a>', depth=0)
    add(store, "/docs/start", '<title>Getting started | Acme</title>'
                              '<meta name="description" content="Install in 2 minutes.">')
    add(store, "/docs/api", "<title>API [v2] | Acme</title>", depth=2)
    add(store, "/about", "<title>About | Acme</title>")
    add(store, "/privacy", "<title>Privacy | Acme</title>")
    add(store, "/draft", '<title>Draft</title><meta name="robots" content="noindex">')
    add(store, "/gone", "<title>Gone</title>", status=404)
    add(store, "/dupe", f'<title>Dupe</title><link rel="canonical" href="{ORIGIN}/about">')
    site = build_site(start_url=f"{ORIGIN}/", site_url=ORIGIN, audit_date="2026-11-21",
                      home=store.find_page(f"{ORIGIN}/"), pages=store.iter_pages(bulk=False),
                      sitefiles=[], agents=agents())
    text = generate_both(store, site).llms_txt
    assert text == (
        "# Acme\n\n> Acme makes tools.\n\n"
        "The Acme website: 4 key pages, listed below by section.\n\n"
        "## About\n\n"
        f"- [About]({ORIGIN}/about)\n\n"
        "## Docs\n\n"
        f"- [Getting started]({ORIGIN}/docs/start): Install in 2 minutes.\n"
        f"- [API (v2)]({ORIGIN}/docs/api)\n\n"
        "## Optional\n\n"
        f"- [Privacy]({ORIGIN}/privacy)\n"
    )


HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def test_html_report_is_self_contained_and_escapes_site_content(tmp_path):
    store = Store.in_dir(tmp_path, fresh=True)
    add(store, "/", f"<title>{HOSTILE}</title>", depth=0)
    store.add_findings([Finding("CT002", "warning", "content", f"msg {HOSTILE}", ORIGIN + "/")])
    header = {
        "tool": {"version": "0"}, "score": 50, "categories": {"content": 50},
        "target": {"url": ORIGIN + "/", "site_url": ORIGIN, "started_at": "t", "partial": False,
                   "finish_reason": "finished"},
        "stats": {"pages_crawled": 1, "duration_s": 1.0, "findings": {"warning": 1}},
        "rules": {"CT002": {"applicable": 1, "failed": 1, "score": 0.0}},
        "sitefiles": [], "notes": [f"note {HOSTILE}"], "ai_access": None, "content": {
            "dimensions": {}, "distribution_buckets": [],
            "weakest_pages": [{"url": HOSTILE, "score": 1, "weakest": HOSTILE, "fix_first": "x"}]},
        "structured_data": {"html_pages": 1, "pages_with_markup": 0, "articles": 0,
                            "types": {HOSTILE: 1}, "authors": {HOSTILE: 1},
                            "identity_conflicts": {"name": [HOSTILE, "Acme"]}},
        "llms_txt": {"present": True, "valid": False, "profile": "1.1.1",
                     "lighthouse": {"verdict": "fail", "reason": HOSTILE},
                     "findings": [{"rule": "LT019", "severity": "error", "line": 3,
                                   "message": HOSTILE}]},
    }
    out = tmp_path / "report.html"
    html_report.write(ReportContext(store, header, load_rules(), f"# {HOSTILE}\n"), out)
    html = out.read_text()
    # Three script elements, all the report's own: the page and finding data, the hashed code.
    assert html.count("<script") == 3 and "<img" not in html
    assert html.count('<script type="application/json" id="page-data">') == 1
    assert html.count('<script type="application/json" id="finding-data">') == 1
    findings = re.search(r'id="finding-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in findings and json.loads(findings)["messages"] == [f"msg {HOSTILE}"]
    code = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}';" in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4
    data = re.search(r'id="page-data">(.*?)</script>', html, re.S).group(1)
    assert "\\u003cscript\\u003ealert(1)" in data
    assert HOSTILE in json.loads(data)["rows"][0]
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    for external in ("http://", "https://cdn", "src=\"http", "href=\"http"):
        assert external not in html.replace(ORIGIN, "")


def _site_with_robots(tmp_path, robots: str):
    from geoaudit.models import SiteFile

    store = Store.in_dir(tmp_path, fresh=True)
    add(store, "/", '<title>Acme</title><meta name="description" content="Acme makes tools.">',
        depth=0)
    for path in ("/docs/start", "/docs/api", "/private/plan", "/about"):
        add(store, path, f"<title>{path} | Acme</title>")
    url = ORIGIN + "/robots.txt"
    robots_file = SiteFile(name="robots.txt", text=robots, fetch=FetchRecord(
        url=url, requested_url=url, status=200, content_type="text/plain"))
    site = build_site(start_url=f"{ORIGIN}/", site_url=ORIGIN, audit_date="2026-12-02",
                      home=store.find_page(f"{ORIGIN}/"), pages=store.iter_pages(bulk=False),
                      sitefiles=[robots_file], agents=agents())
    return generate_both(store, site)


def test_a_site_that_blocks_one_ai_search_bot_gets_a_full_llms_txt(tmp_path):
    """Blocking PerplexityBot once emptied the generated file (a Contact section and no pages):
    a page was left out when any one AI search bot was closed out. llms.txt serves the agents
    robots.txt leaves in; the notes name the listed pages some agents may not fetch."""
    generated = _site_with_robots(tmp_path, "User-agent: PerplexityBot\nDisallow: /\n")
    listed = [line for line in generated.llms_txt.splitlines() if line.startswith("- [")]
    assert len(listed) == 4, generated.llms_txt
    assert len(generated.notes) == 1
    assert generated.notes[0].startswith("4 listed pages are closed to some AI agents by "
                                         "robots.txt: ")
    assert "(PerplexityBot)" in generated.notes[0]


def test_pages_closed_to_every_ai_agent_are_left_out_and_counted(tmp_path):
    generated = _site_with_robots(tmp_path, "User-agent: *\nDisallow: /private/\n")
    assert "/private/plan" not in generated.llms_txt
    assert f"{ORIGIN}/docs/api" in generated.llms_txt
    assert generated.notes == ["1 page left out, closed by robots.txt to every AI search and "
                               "user agent that honours it"]


@pytest.mark.parametrize("title, parts", [
    ("CNC Machine Tool Terminology (EN - ES) | Acme", ["CNC Machine Tool Terminology (EN - ES)",
                                                       "Acme"]),
    ("AI予想 過去の的中実績アーカイブ｜AI勝負レース研究所", ["AI予想 過去の的中実績アーカイブ",
                                                   "AI勝負レース研究所"]),
    ("Acoustic data wrangling • wildrtrax", ["Acoustic data wrangling", "wildrtrax"]),
    ("Home - Acme Widgets", ["Home", "Acme Widgets"]),
])
def test_titles_are_cut_at_separators_outside_brackets(title, parts):
    """Titles once came out clipped inside brackets ("[CNC Machine Tool Terminology (EN]"),
    and full-width or bullet separators kept the site's name in every link text."""
    from geoaudit.facts.identity import title_parts

    assert title_parts(title) == parts


@pytest.mark.parametrize("path, optional", [
    ("/privacy-policy/", True), ("/terms-of-use.html", True), ("/impressum", True),
    ("/cookie-policy/", True), ("/blog/tags/ai/", True), ("/blog/page/2/", True),
    ("/guides/payment-terms/", False), ("/guides/incoterms/", False),
    ("/blog/why-privacy-matters/", False), ("/recipes/cookie-recipes/", False),
])
def test_optional_pages_are_judged_by_whole_path_segments(path, optional):
    """Substring matching once sent "incoterms" and "payment-terms" guides to ## Optional."""
    from geoaudit.facts.pages import is_optional_path

    assert is_optional_path(path) is optional


def test_a_site_under_a_path_gets_sections_below_it_and_notes_that_add_to_titles(tmp_path):
    store = Store.in_dir(tmp_path, fresh=True)
    add(store, "/project/", "<title>Widget docs</title>", depth=0)
    add(store, "/project/guides/install/", '<title>Install | Widget docs</title>'
        '<meta name="description" content="Install">')
    add(store, "/project/blog/v2/", '<title>Widget 2 | Widget docs</title>'
        '<meta name="description" content="What changed in Widget 2, and how to upgrade.">')
    site = build_site(start_url=f"{ORIGIN}/project/", site_url=ORIGIN, audit_date="2026-12-02",
                      home=store.find_page(f"{ORIGIN}/project/"),
                      pages=store.iter_pages(bulk=False), sitefiles=[], agents=agents())
    text = generate_both(store, site).llms_txt
    assert "## Guides\n\n" f"- [Install]({ORIGIN}/project/guides/install/)\n" in text
    assert ("## Blog\n\n" f"- [Widget 2]({ORIGIN}/project/blog/v2/): What changed in Widget 2, "
            "and how to upgrade.\n") in text
    assert "## Project" not in text


def test_a_canonical_to_the_directory_index_is_the_page_itself_and_default_notes_go(tmp_path):
    """A portfolio whose 287 pages name `/x/index.html` as the canonical of `/x/` got an
    llms.txt of 1 link: every page looked non-canonical. The template's default description,
    repeated on 80 of them, was each one's note."""
    store = Store.in_dir(tmp_path, fresh=True)
    default = '<meta name="description" content="Jo Doe - Designer, Developer">'
    add(store, "/", f"<title>Jo Doe</title>{default}", depth=0)
    add(store, "/2024/kiva/", f'<title>Kiva | Jo Doe</title>{default}'
        f'<link rel="canonical" href="{ORIGIN}/2024/kiva/index.html">')
    add(store, "/2024/digit/", f'<title>Digit | Jo Doe</title>{default}'
        f'<link rel="canonical" href="{ORIGIN}/2024/digit/index.html#top">'
        "<main><p>Digit saves money for people who never managed to, one small sum at a time."
        "</p></main>")
    add(store, "/2024/old/", f'<title>Old | Jo Doe</title><link rel="canonical" '
        f'href="{ORIGIN}/2024/kiva/">')
    site = build_site(start_url=f"{ORIGIN}/", site_url=ORIGIN, audit_date="2026-12-02",
                      home=store.find_page(f"{ORIGIN}/"), pages=store.iter_pages(bulk=False),
                      sitefiles=[], agents=agents())
    text = generate_both(store, site).llms_txt
    assert f"- [Kiva]({ORIGIN}/2024/kiva/)\n" in text
    assert (f"- [Digit]({ORIGIN}/2024/digit/): Digit saves money for people who never managed "
            "to, one small sum at a time.\n") in text
    assert "/2024/old/" not in text


def test_a_staging_copy_without_site_url_is_told_why_its_pages_are_left_out(tmp_path):
    """On a staging copy whose pages name the production site as canonical, the generator
    listed 0 pages without saying why."""
    staging = "https://staging.example.net"
    store = Store.in_dir(tmp_path, fresh=True)
    for path, depth in (("/", 0), ("/about", 1), ("/docs/start", 1)):
        url = staging + path
        fetch = FetchRecord(url=url, requested_url=url, status=200, content_type="text/html",
                            depth=depth)
        html = f'<title>{path}</title><link rel="canonical" href="{ORIGIN}{path}">'
        store.add_page(build_page(fetch, html.encode(), "utf-8"))
    site = build_site(start_url=f"{staging}/", site_url=staging, audit_date="2026-12-02",
                      home=store.find_page(f"{staging}/"), pages=store.iter_pages(bulk=False),
                      sitefiles=[], agents=agents())
    generated = generate_both(store, site)
    assert "- [" not in generated.llms_txt
    assert generated.notes == [f"2 pages left out: their canonical URLs are on {ORIGIN}, not on "
                               f"the audited host; for a staging copy of that site, audit with "
                               f"--site-url {ORIGIN}"]


def test_llms_full_txt_leaves_out_page_chrome():
    """llms-full.txt of one site (1.15 MB) kept its breadcrumbs, buttons and share bars."""
    from geoaudit.generate.llms_txt import page_markdown

    url = ORIGIN + "/blog/post"
    fetch = FetchRecord(url=url, requested_url=url, status=200, content_type="text/html")
    page = build_page(fetch, (
        b"<main><ol class='breadcrumb'><li>Home</li><li>Blog</li></ol><h1>Post</h1>"
        b"<p>The one paragraph that matters.</p><div class='post-share'>Share on X</div>"
        b"<button>Copy link</button><div id='cookie-banner'>We use cookies</div></main>"
    ), "utf-8")
    markdown = page_markdown(page)
    assert "The one paragraph that matters." in markdown and "### Post" in markdown
    for chrome in ("Home", "Share on X", "Copy link", "We use cookies"):
        assert chrome not in markdown


def test_llms_full_txt_says_how_many_pages_its_budget_left_out(tmp_path, monkeypatch):
    from geoaudit.generate import llms_txt

    monkeypatch.setattr(llms_txt, "FULL_MAX_CHARS", 600)
    store = Store.in_dir(tmp_path, fresh=True)
    add(store, "/", "<title>Acme</title><main><p>Home.</p></main>", depth=0)
    for n in range(5):
        add(store, f"/docs/p{n}", f"<title>Page {n}</title><main><p>{'word ' * 40}</p></main>")
    site = build_site(start_url=f"{ORIGIN}/", site_url=ORIGIN, audit_date="2026-12-02",
                      home=store.find_page(f"{ORIGIN}/"), pages=store.iter_pages(bulk=False),
                      sitefiles=[], agents=agents())
    generated = generate_both(store, site)
    kept = generated.llms_full.count("\nSource: ")
    assert 0 < kept < 6 and len(generated.llms_full) <= 700
    assert f"llms-full.txt: {6 - kept} listed pages left out to keep it under 600 characters" \
        in generated.notes


def test_a_page_is_listed_once_whatever_its_url(tmp_path):
    """A sub-path site's /ai-yosou/index.html was listed next to its home page /ai-yosou/."""
    store = Store.in_dir(tmp_path, fresh=True)
    add(store, "/project/", "<title>Widget</title>", depth=0)
    add(store, "/project/index.html", "<title>Widget</title>")
    add(store, "/project/guides/a/", "<title>Guide A | Widget</title>")
    add(store, "/project/guides/a/index.html", "<title>Guide A | Widget</title>")
    site = build_site(start_url=f"{ORIGIN}/project/", site_url=ORIGIN, audit_date="2026-12-02",
                      home=store.find_page(f"{ORIGIN}/project/"),
                      pages=store.iter_pages(bulk=False), sitefiles=[], agents=agents())
    text = generate_both(store, site).llms_txt
    assert [line for line in text.splitlines() if line.startswith("- [")] == [
        f"- [Guide A]({ORIGIN}/project/guides/a/)"]


def test_an_opening_that_leads_into_a_list_is_no_note(tmp_path):
    store = Store.in_dir(tmp_path, fresh=True)
    add(store, "/", "<title>Acme</title>", depth=0)
    add(store, "/docs/naming", "<title>Naming | Acme</title><main><h1>Naming</h1><p>Different "
        "developers call the same entities by different names, for example:</p>"
        "<ul><li>a</li></ul></main>")
    site = build_site(start_url=f"{ORIGIN}/", site_url=ORIGIN, audit_date="2026-12-02",
                      home=store.find_page(f"{ORIGIN}/"), pages=store.iter_pages(bulk=False),
                      sitefiles=[], agents=agents())
    assert f"- [Naming]({ORIGIN}/docs/naming)\n" in generate_both(store, site).llms_txt
