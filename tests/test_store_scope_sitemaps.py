"""The store, URL scope mapping and sitemap parsing: the plumbing between crawl and checks."""

from __future__ import annotations

import gzip

import pytest

from geoaudit.crawl.scope import UrlScope
from geoaudit.models import FetchRecord, Finding, Link, PageModel
from geoaudit.sitefiles.robots import sitemap_urls
from geoaudit.sitefiles.sitemaps import parse_sitemap
from geoaudit.store import Store


def page(url: str, links: list[str] = (), status: int = 200, requested: str | None = None):
    fetch = FetchRecord(url=url, requested_url=requested or url, status=status,
                        content_type="text/html")
    return PageModel(fetch=fetch, links=[Link(url=u) for u in links])


def test_store_pages_stream_in_url_order_and_first_record_wins(tmp_path):
    store = Store.in_dir(tmp_path, fresh=True)
    assert store.add_page(page("https://a.example/b", status=200))
    assert store.add_page(page("https://a.example/a"))
    assert not store.add_page(page("https://a.example/b", status=500))
    assert [p.url for p in store.iter_pages()] == ["https://a.example/a", "https://a.example/b"]
    assert store.page("https://a.example/b").fetch.status == 200
    assert store.status_counts() == {"2xx": 2}
    store.close()
    reopened = Store.in_dir(tmp_path)
    assert reopened.page_count() == 2
    assert Store.in_dir(tmp_path, fresh=True).page_count() == 0


def test_a_page_is_stored_whole_or_not_at_all(tmp_path):
    """A write that fails half-way (here the links; a full disk does the same) once left the
    page's row and data stored without its links."""
    import sqlite3

    from geoaudit.store import StoreError

    store = Store.in_dir(tmp_path, fresh=True)
    store.db.execute("CREATE TRIGGER no_links BEFORE INSERT ON links WHEN NEW.src LIKE '%/bad' "
                     "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
    assert store.add_page(page("https://a.example/good", links=["https://a.example/x"]))
    with pytest.raises(StoreError, match=r"cannot write .*geoaudit.sqlite: disk I/O error"):
        store.add_page(page("https://a.example/bad", links=["https://a.example/x"]))
    store.close()
    db = sqlite3.connect(tmp_path / "geoaudit.sqlite")
    for table in ("pages", "page_data"):
        assert [r[0] for r in db.execute(f"SELECT url FROM {table}")] == ["https://a.example/good"]
    assert db.execute("SELECT src FROM links").fetchall() == [("https://a.example/good",)]


def test_depths_are_click_distances_from_the_final_start_url(tmp_path):
    store = Store.in_dir(tmp_path, fresh=True)
    store.add_page(page("https://a.example/en/", ["https://a.example/x", "https://a.example/y"],
                        requested="https://a.example/"))
    store.add_page(page("https://a.example/x", ["https://a.example/z", "https://a.example/en/"]))
    store.add_page(page("https://a.example/y", ["https://a.example/z"]))
    store.add_page(page("https://a.example/z"))
    store.add_page(page("https://a.example/orphan"))
    start = store.find_page("https://a.example/")
    assert start.url == "https://a.example/en/"
    store.compute_depths(start.url)
    depths = {p.url: p.fetch.depth for p in store.iter_pages()}
    assert depths == {"https://a.example/en/": 0, "https://a.example/x": 1,
                      "https://a.example/y": 1, "https://a.example/z": 2,
                      "https://a.example/orphan": None}
    assert store.in_link_counts()["https://a.example/z"] == 2


def test_findings_come_back_in_stable_order(tmp_path):
    store = Store.in_dir(tmp_path, fresh=True)
    store.add_findings([
        Finding("CT002", "warning", "content", "m", "https://a.example/b"),
        Finding("AC004", "warning", "access", "site", None),
        Finding("CT002", "warning", "content", "m", "https://a.example/a"),
    ])
    order = [(f.rule, f.url) for f in store.iter_findings()]
    assert order == [("AC004", None), ("CT002", "https://a.example/a"),
                     ("CT002", "https://a.example/b")]
    assert store.finding_counts() == {"warning": 3}
    assert store.rule_summary() == [("AC004", "warning", 1, 0), ("CT002", "warning", 2, 2)]


def test_scope_maps_production_urls_to_staging_and_back():
    scope = UrlScope("http://127.0.0.1:8000/start", site_url="https://www.example.com")
    assert scope.start_url == "https://www.example.com/start"
    assert scope.to_fetch("https://www.example.com/a?b=1") == "http://127.0.0.1:8000/a?b=1"
    assert scope.to_report("http://127.0.0.1:8000/a?b=1") == "https://www.example.com/a?b=1"
    assert scope.to_fetch("https://other.example/a") == "https://other.example/a"
    assert scope.on_site("https://www.example.com/x")
    assert not scope.on_site("https://blog.example.com/x")
    assert not scope.on_site("ftp://www.example.com/x")


def test_scope_subdomains_and_filters():
    scope = UrlScope("https://www.example.com/", include_subdomains=True,
                     include=[r"/(docs|blog)/"], exclude=[r"\?page="])
    assert scope.on_site("https://blog.example.com/") and scope.on_site("https://example.com/")
    assert not scope.on_site("https://example.org/")
    assert scope.wanted("https://docs.example.com/docs/a")
    assert not scope.wanted("https://www.example.com/about")
    assert not scope.wanted("https://www.example.com/blog/?page=2")
    assert UrlScope.key("https://a.example/p?b=2&a=1#x") == UrlScope.key("https://a.example/p?a=1&b=2")


URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://a.example/</loc><lastmod>2026-01-01</lastmod><priority>1.0</priority></url>
  <url><loc>https://a.example/b</loc></url>
</urlset>"""


def test_sitemap_urlset_index_and_gzip():
    parsed = parse_sitemap(URLSET)
    assert parsed.kind == "urlset" and parsed.error is None
    assert parsed.urls == [{"loc": "https://a.example/", "lastmod": "2026-01-01",
                            "priority": "1.0"}, {"loc": "https://a.example/b"}]
    assert parse_sitemap(gzip.compress(URLSET)).urls == parsed.urls
    index = parse_sitemap(b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                          b"<sitemap><loc>https://a.example/s1.xml</loc></sitemap></sitemapindex>")
    assert index.kind == "sitemapindex" and index.urls == [{"loc": "https://a.example/s1.xml"}]


@pytest.mark.parametrize("body, error", [
    (b"<!DOCTYPE html><html><body>Not found</body></html>", "root element is <html>"),
    (b"User-agent: *", "not XML"),
    (b"", "not XML"),
    (b"\x1f\x8b\x08\x00garbage", "cannot decompress"),
])
def test_sitemap_garbage_is_an_error_not_an_exception(body, error):
    parsed = parse_sitemap(body)
    assert parsed.kind == "invalid" and error in parsed.error


def test_robots_sitemap_lines_any_case_any_group_deduplicated():
    text = ("User-agent: *\nDisallow:\nSITEMAP: https://a.example/s.xml\n"
            "User-agent: GPTBot\n  sitemap:https://a.example/t.xml\nSitemap: https://a.example/s.xml\n")
    assert sitemap_urls(text) == ["https://a.example/s.xml", "https://a.example/t.xml"]


def test_session_ids_and_tracking_parameters_do_not_make_new_urls():
    from geoaudit.crawl.scope import UrlScope, strip_sessions

    base = "https://www.example.com"
    assert strip_sessions(f"{base}/a;jsessionid=ABC123/b?x=1") == f"{base}/a/b?x=1"
    assert strip_sessions(f"{base}/p?PHPSESSID=9&id=4&utm_source=n&sid=2") == f"{base}/p?id=4"
    assert UrlScope.key(f"{base}/p?id=4&sid=1") == UrlScope.key(f"{base}/p?sid=2&id=4")
    assert UrlScope.key(f"{base}/p?id=4") != UrlScope.key(f"{base}/p?id=5")


def test_repeating_paths_are_traps():
    from geoaudit.crawl.scope import repeats_segments

    assert repeats_segments("https://x.example/a/b/a/b/a/b/")
    assert repeats_segments("https://x.example/docs/x/x/x")
    assert not repeats_segments("https://x.example/blog/2026/11/22/post")
    assert not repeats_segments("https://x.example/a/a/b")


def test_retry_after_accepts_seconds_and_http_dates():
    from datetime import UTC, datetime

    from geoaudit.crawl.middlewares import retry_after_seconds

    now = datetime(2026, 11, 22, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Sun, 22 Nov 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Sun, 22 Nov 2026 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon") is None


def test_a_page_leaves_the_pending_pages_only_once_stored(tmp_path):
    """What --resume fetches again. A page's callback can run to its end while its item still
    waits for the store (Scrapy queues a callback's items); the callback used to take the page
    out of the pending pages, so a forced stop, or a store that failed, in that gap lost it
    from the crawl. Now the store takes it out, and its links are pending before it."""
    import asyncio

    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from geoaudit.crawl.extraction import extract_page
    from geoaudit.crawl.pipelines import StorePipeline
    from geoaudit.crawl.spider import SiteSpider

    class InProcess:  # the extraction pool's interface, without worker processes
        async def extract(self, fetch, body, encoding):
            return extract_page(fetch, body, encoding)

    base = "http://127.0.0.1:9"
    crawler = get_crawler(SiteSpider, {"GEOAUDIT_PROBE": False, "GEOAUDIT_OUTPUT": str(tmp_path)})
    spider = SiteSpider(start_url=f"{base}/", max_pages=10)
    spider._set_crawler(crawler)
    crawler.spider = spider
    spider.extraction = InProcess()

    def crawled(path: str, links: list[str]) -> list:
        url = f"{base}{path}"
        request = (spider._page_request(url, 0, "start", force=True)
                   or spider._fetch_page(UrlScope.key(url), url, 1, "link"))
        anchors = "".join(f'<a href="{link}">{link}</a>' for link in links)
        body = f"<html><body><main><h1>{path}</h1>{anchors}</main></body></html>".encode()
        response = HtmlResponse(request.url, body=body, request=request,
                                headers={"Content-Type": "text/html; charset=utf-8"})

        async def run():
            return [output async for output in spider.parse_page(response)]

        return asyncio.run(run())

    home, *follows = crawled("/", ["/a", "/b"])
    assert len(follows) == 2
    assert set(spider.pending) == {f"{base}/", f"{base}/a", f"{base}/b"}

    pipeline = StorePipeline(crawler)
    pipeline.open_spider()
    pipeline.process_item(home)
    assert set(spider.pending) == {f"{base}/a", f"{base}/b"}

    pipeline.store.db.execute("CREATE TRIGGER full BEFORE INSERT ON pages "
                              "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    page_a, *_ = crawled("/a", [])
    pipeline.process_item(page_a)
    assert "database or disk is full" in crawler.stats.get_value("geoaudit/store_error")
    assert set(spider.pending) == {f"{base}/a", f"{base}/b"}, "unstored, so still pending"
    pipeline.close_spider()
