"""Extraction: one HTML document in, one page model out. Facts only, never judgements."""

from __future__ import annotations

import pytest

from geoaudit.extract import build_page
from geoaudit.models import FetchRecord, PageModel, from_dict, to_dict

URL = "https://www.example.com/guides/espresso"


def page_of(html: str | bytes, *, headers: dict | None = None, content_type: str = "text/html",
            status: int = 200, encoding: str | None = "utf-8") -> PageModel:
    fetch = FetchRecord(url=URL, requested_url=URL, status=status, content_type=content_type,
                        headers=headers or {})
    body = html.encode("utf-8") if isinstance(html, str) else html
    return build_page(fetch, body, encoding)


ARTICLE = """<!DOCTYPE html><html lang="en-GB"><head>
<title>  Espresso guide |
 Acme </title>
<meta name="description" content="How to pull a shot.">
<link rel="canonical" href="/guides/espresso?ref=x">
<meta name="robots" content="max-snippet:50">
<meta name="GPTBot" content="noindex">
<meta name="robots" content="noarchive">
<meta property="og:site_name" content="Acme">
</head><body>
<header><h1>Acme</h1><nav><a href="/">Home</a><a href="/shop#top">Shop</a></nav></header>
<main>
  <h1>Espresso guide</h1>
  <p>Use 18 g of coffee for a <a href="https://sca.coffee/x#y">36 g</a> shot.</p>
  <ul><li>Grind fine</li><li><p>Tamp level</p></li></ul>
  <table><tr><th>Dose</th><th>Yield</th></tr><tr><td>18 g</td><td>36 g</td></tr></table>
  <blockquote><p>"Taste, then adjust," says Ana.</p></blockquote>
  <h2></h2>
  <div hidden><p>hidden text</p></div>
  <script>var x = "not text";</script>
  <a href="mailto:a@b.c">mail</a> <a href="javascript:void(0)">js</a> <a href="#top">top</a>
</main>
<aside><p>Related: nothing.</p></aside>
<footer><p>© Acme</p></footer>
</body></html>"""


def test_page_basics():
    page = page_of(ARTICLE)
    assert page.title == "Espresso guide | Acme"
    assert page.meta_description == "How to pull a shot."
    assert page.canonical == "https://www.example.com/guides/espresso?ref=x"
    assert page.lang == "en-GB"
    assert page.robots == {"*": ["max-snippet:50", "noarchive"], "gptbot": ["noindex"]}
    assert [(h.level, h.text) for h in page.headings] == [(1, "Acme"), (1, "Espresso guide"),
                                                        (2, "")]


def test_main_content_leaves_out_chrome_hidden_and_scripts():
    page = page_of(ARTICLE)
    assert page.main_source == "main"
    texts = [(b.tag, b.text, b.quote) for b in page.text_blocks]
    assert texts == [
        ("h1", "Espresso guide", False),
        ("p", "Use 18 g of coffee for a 36 g shot.", False),
        ("li", "Grind fine", False),
        ("p", "Tamp level", False),
        ("tr", "Dose | Yield", False),
        ("tr", "18 g | 36 g", False),
        ("p", '"Taste, then adjust," says Ana.', True),
        ("main", "mail js top", False),
    ]
    # Words, not space-separated pieces: the " | " between table cells is none.
    assert page.word_count == sum(len(t.replace("|", " ").split()) for _, t, _ in texts)
    joined = " ".join(t for _, t, _ in texts)
    for absent in ("Home", "Related", "© Acme", "hidden text", "not text"):
        assert absent not in joined


def test_links_are_absolute_deduplicated_and_http_only():
    page = page_of(ARTICLE)
    links = [(link.url, link.internal) for link in page.links]
    assert links == [
        ("https://www.example.com/", True),
        ("https://www.example.com/shop", True),
        ("https://sca.coffee/x", False),
    ]


def test_links_are_stored_percent_encoded_as_scrapy_requests_them():
    """A link with quotes or non-ASCII characters was stored raw while its page was fetched
    and stored percent-encoded, so the two never met: the broken page listed no linking
    page and counted no in-links."""
    page = page_of('<a href="/missing.html?q=&quot;&gt;x">a</a><a href="/café">b</a>'
                   '<a href="/ok?a=%20">c</a>')
    assert [link.url for link in page.links] == [
        "https://www.example.com/missing.html?q=%22%3Ex",
        "https://www.example.com/caf%C3%A9",
        "https://www.example.com/ok?a=%20",
    ]


def test_base_href_is_honoured():
    page = page_of('<base href="https://www.example.com/docs/"><a href="intro">i</a>')
    assert [link.url for link in page.links] == ["https://www.example.com/docs/intro"]


def test_article_region_then_density_fallback():
    by_article = page_of("<body><div><p>menu</p></div><article><p>" + "word " * 30
                         + "</p></article></body>")
    assert by_article.main_source == "article"
    assert by_article.text_blocks[0].text.startswith("word")
    by_density = page_of(
        "<body><div id=nav><p>a</p><p>b</p></div>"
        "<div id=content><p>" + "long text " * 40 + "</p><p>more text here</p></div>"
        "<footer><p>" + "footer " * 100 + "</p></footer></body>"
    )
    assert by_density.main_source == "density"
    assert [b.text for b in by_density.text_blocks][-1] == "more text here"
    assert all("footer" not in b.text for b in by_density.text_blocks)


def test_density_fallback_takes_the_container_of_most_of_the_text():
    """Without <main> or <article>, the fallback once credited text to direct parents only:
    on a FAQ page of one div per question it took one answer as the main content (32 of
    about 1,100 words, so "needs JavaScript" and "FAQ answer not on the page")."""
    items = "".join(
        f"<div class=item><h3>Question {n}?</h3><p>{'answer words ' * 20}{n}.</p></div>"
        for n in range(12)
    )
    page = page_of(
        "<body><div class=top><a href=/>Home</a> <a href=/faq>FAQ</a></div>"
        f"<div class=wrap><div class=faq><h1>FAQ</h1>{items}</div>"
        "<div class=side><p>Call us today.</p></div></div><footer><p>(c) Acme</p></footer></body>"
    )
    assert page.main_source == "density"
    assert page.word_count >= 12 * 41
    assert [b.text for b in page.text_blocks][-1].endswith("11.")
    assert all("Call us today" not in b.text for b in page.text_blocks)


def test_structured_data_jsonld_graph_microdata_opengraph():
    html = """<head>
    <script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
      {"@type": "Organization", "name": "Acme"},
      {"@type": ["WebPage", "FAQPage"], "mainEntity": {"@type": "Question", "name": "Q?"}}]}
    </script>
    <meta property="og:type" content="article"><meta property="og:title" content="OG">
    </head><body><div itemscope itemtype="https://schema.org/Product">
    <span itemprop="name">Grinder</span></div></body>"""
    data = page_of(html).structured
    assert data.errors == []
    assert data.types == ["FAQPage", "Organization", "Product", "Question", "WebPage"]
    assert data.microdata[0]["properties"]["name"] == "Grinder"
    assert data.opengraph == {"og:type": "article", "og:title": "OG"}


@pytest.mark.parametrize("block", [
    '{"@type": "Organization", "name": "Acme"};',
    '{"@type": "Thing",}',
    '{"@type": "Thing"}{"@type": "Thing"}',
    "<![CDATA[ not json ]]>",
    "",
])
def test_broken_jsonld_is_reported_and_the_rest_still_counts(block):
    html = (f'<script type="application/ld+json">{block}</script>'
            '<script type="application/ld+json">{"@type": "Person", "name": "Ana"}</script>')
    data = page_of(html).structured
    assert len(data.errors) == 1 and data.errors[0].startswith("JSON-LD block 1: ")
    assert "Person" in data.types


def test_dates_with_their_sources():
    html = """<head>
    <script type="application/ld+json">{"@type": "Article", "datePublished": "2026-01-05",
      "dateModified": "2026-02-01T10:00:00+02:00"}</script>
    <meta property="article:modified_time" content="2026-02-01T08:00:00Z">
    <meta name="date" content="not a date">
    </head><body><time datetime="2026-01-05">5 Jan</time>
    <time itemprop="dateModified" datetime="2026-02-01">1 Feb</time></body>"""
    page = page_of(html, headers={"last-modified": "Sun, 01 Feb 2026 09:00:00 GMT"})
    found = [(d.kind, d.iso, d.source) for d in page.dates]
    assert found == [
        ("published", "2026-01-05", "json-ld:datePublished"),
        ("modified", "2026-02-01T08:00:00+00:00", "json-ld:dateModified"),
        ("modified", "2026-02-01T08:00:00+00:00", "meta:article:modified_time"),
        ("published", None, "meta:date"),
        ("other", "2026-01-05", "html:time"),
        ("modified", "2026-02-01", "html:time"),
        ("modified", "2026-02-01T09:00:00+00:00", "http:last-modified"),
    ]


@pytest.mark.parametrize("body, content_type", [
    (b"", "text/html"),
    (b"   \n", "text/html"),
    (b"\x00\x01\x02\xff\xfe binary", "text/html"),
    (b"<html><body><p>unclosed <div><span>", "text/html"),
    (b"<?xml version='1.0' encoding='utf-8'?><html><title>x</title></html>", "text/html"),
    (b"%PDF-1.4", "application/pdf"),
    (b"<body>" + b"<div><p>x</p>" * 3000 + b"deep", "text/html"),
    ("<title>caf\u00e9 \u2603</title>".encode("latin-1", "replace"), "text/html"),
])
def test_odd_bodies_never_raise(body, content_type):
    page = page_of(body, content_type=content_type, encoding=None)
    assert page.url == URL


def test_legacy_encoding_is_decoded_with_the_given_charset():
    page = page_of("<title>Caf\u00e9</title>".encode("cp1252"), encoding="cp1252")
    assert page.title == "Caf\u00e9"


def test_model_round_trips_through_json():
    page = page_of(ARTICLE, headers={"x-robots-tag": "noai"})
    assert from_dict(PageModel, to_dict(page)) == page


def _page(html: str):
    url = "https://www.example.com/"
    fetch = FetchRecord(url=url, requested_url=url, status=200, content_type="text/html")
    return build_page(fetch, html.encode(), "utf-8")


def test_a_text_node_over_10_mb_in_the_head_leaves_the_body_read():
    script = "<script>var x = '" + "a" * (11 * 1024 * 1024) + "';</script>"
    page = _page(f"<html><head><title>T</title>{script}</head><body><h1>Hello</h1>"
                 f"<p>{'word ' * 300}</p></body></html>")
    assert page.parse_error is None and page.word_count > 300  # it was 0


def test_json_ld_nested_250_deep_keeps_the_page_and_says_what_was_not_read():
    import json

    nested: dict = {"@type": "Organization", "name": "Acme"}
    for _ in range(250):
        nested = {"@type": "Thing", "about": nested}
    page = _page(f'<title>T</title><script type="application/ld+json">{json.dumps(nested)}'
                 f"</script><h1>Hi</h1><p>{'word ' * 100}</p>")
    assert page.title == "T" and page.word_count > 100  # a RecursionError took it all
    assert page.structured.types == ["Thing"]
    assert page.structured.errors == ["JSON-LD: entities nested more than 32 deep were not read"]


def test_a_part_that_fails_costs_only_that_part(monkeypatch):
    """One failing extractor once turned the whole page into a parse error: no title, no
    links, no data."""
    import geoaudit.extract.page as page_module

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(page_module, "structured_data", broken)
    page = page_of(ARTICLE)
    assert page.title == "Espresso guide | Acme" and page.links and page.word_count > 20
    assert page.structured.jsonld == []
    assert page.unread == ["structured data: internal error: RuntimeError: boom"]
    assert page.parse_error is None


def test_limits_hit_are_said_not_silent():
    links = "".join(f'<a href="/p{i}">page {i}</a> ' for i in range(5200))
    page = page_of(f"<title>Many</title><main><p>{links}</p><p>{'word ' * 70_000}</p></main>")
    assert len(page.links) == 5000
    assert page.unread == ["links: 5,200 links, the first 5,000 distinct ones kept"]
    # Over the 300,000 characters of HTML kept for llms-full.txt, which then takes the text:
    # geoaudit's budget, not a part of the page left unread (AC017).
    assert page.main_html == "" and page.word_count > 70_000
    assert from_dict(PageModel, to_dict(page)).unread == page.unread


def test_a_page_without_a_body_tag_keeps_its_content_in_the_body():
    """HTML may omit <body> (minifiers do): libxml2 then left <main> in the head, and the page
    read as 0 words with no main region."""
    page = page_of("<!doctype html><title>Short</title><meta name=description content=d>"
                   "<main><h1>Hello</h1><p>Five words of real text.</p></main>")
    assert page.main_source == "main" and page.word_count == 6
    assert page.meta_description == "d" and [h.text for h in page.headings] == ["Hello"]


@pytest.mark.parametrize(("text", "count"), [
    ("这是一个测试页面，内容很长。", 12),  # Chinese: one word per ideograph
    ("한국어 문장입니다 정말 좋습니다", 4),  # Korean: written with spaces
    ("Well-known rules don't change — ever | 2024", 6),
])
def test_words_are_counted_in_every_script(text, count):
    page = page_of(f"<title>t</title><main><p>{text}</p></main>")
    assert page.word_count == count


def test_dates_a_reader_sees_after_a_table_of_contents_and_month_dates_are_read():
    toc = "".join(f'<li><a href="#s{i}">Section {i}</a></li>' for i in range(20))
    page = page_of(f"<title>t</title><main><h1>Guide</h1><ol>{toc}</ol>"
                   "<p>[Updated on 2024-04-13] New numbers.</p><p>Last reviewed 2026-06.</p>"
                   "</main>")
    visible = [(d.kind, d.iso) for d in page.dates if d.source == "text:visible"]
    assert visible == [("modified", "2024-04-13"), ("modified", "2026-06-01")]


def test_a_generators_zero_date_is_no_date():
    """Hugo's `0001-01-01` was reported as "739,950 days old"."""
    page = page_of('<title>t</title><meta property="article:modified_time" '
                   'content="0001-01-01T00:00:00Z"><main><p>Text.</p></main>')
    assert [d.iso for d in page.dates if d.source == "meta:article:modified_time"] == [None]


@pytest.mark.parametrize("note, kind, iso", [
    ("Aktualisiert am 3. März 2025", "modified", "2025-03-03"),
    ("mis à jour le 12 juillet 2023", "modified", "2023-07-12"),
    ("更新于 2025-06-09", "modified", "2025-06-09"),
    ("最終更新：2024年3月11日", "modified", "2024-03-11"),
    ("최종 수정일: 2024/3/5", "modified", "2024-03-05"),
    ("发表于 2024-03-11", "published", "2024-03-11"),
    ("🗓️ 2013-12-02", "published", "2013-12-02"),
])
def test_update_and_publication_notes_are_read_in_several_languages(note, kind, iso):
    """Only English labels were read: "更新于", "Aktualisiert", "수정" and a news template's
    "🗓️ 2013-12-02" left pages undated, and stale news unreported. The whole main text is
    read (its list items aside), not its first 15 blocks."""
    filler = "".join(f"<p>Paragraph {i} of the story, with its words.</p>" for i in range(20))
    page = page_of(f"<title>t</title><main><h1>Story</h1>{filler}<p>{note}</p></main>")
    assert [(d.kind, d.iso) for d in page.dates if d.source == "text:visible"] == [(kind, iso)]
