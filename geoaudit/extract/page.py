"""Build the `PageModel` of one response: parse once with lxml, hand the tree to each extractor."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html
from w3lib.url import safe_url_string

from geoaudit.errors import describe_exception
from geoaudit.extract.content import headings, main_region, normalize_space, text_blocks
from geoaudit.extract.controls import header_controls, merge, meta_controls
from geoaudit.extract.dates import page_dates, visible_dates
from geoaudit.extract.signals import content_signals, words
from geoaudit.extract.structured import structured_data
from geoaudit.models import FetchRecord, Link, PageModel
from geoaudit.timing import stage

T = TypeVar("T")

MAX_LINKS = 5000
MAX_MAIN_HTML = 300_000
# Characters of a page's whole visible text kept, for matching what its markup says (SD009).
MAX_VISIBLE_TEXT = 200_000
MAX_CONTACTS = 20
APP_ROOT_IDS = {"root", "app", "__next", "__nuxt", "___gatsby", "svelte", "main-app", "q-app"}


# C0 control bytes other than tab, newline and carriage return, as spaces: HTML forbids them,
# libxml2 keeps them in text, and lxml then refuses the text when a tree edit moves it
# ("All strings must be XML compatible"), which failed the whole page.
_CONTROL_BYTES = bytes.maketrans(
    bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]), b" " * 29
)
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")


def without_control_bytes(body: bytes, encoding: str | None) -> bytes:
    """The body with C0 control bytes as spaces, unless a UTF-16/32 encoding uses those bytes."""
    if (encoding or "").lower().startswith(("utf-16", "utf-32")) or body.startswith(_WIDE_BOMS):
        return body
    return body.translate(_CONTROL_BYTES)


HEAD_TAGS = {"title", "meta", "link", "style", "script", "base", "noscript", "template"}


def parse_html(body: bytes, encoding: str | None) -> lxml_html.HtmlElement:
    """Parse HTML bytes leniently. Raises `etree.ParserError` on documents with no content."""
    # huge_tree: a text node over 10 MB (a big inline script in the head) once left the
    # body unparsed; the body itself is bounded by the download limit.
    parser = lxml_html.HTMLParser(encoding=encoding or None, remove_comments=True, huge_tree=True)
    doc = lxml_html.document_fromstring(body, parser=parser)
    _body_out_of_head(doc)
    return doc


def _body_out_of_head(doc: lxml_html.HtmlElement) -> None:
    """Move into the body what libxml2 left in the head. HTML lets a page omit `<body>` (and
    minifiers do); libxml2's HTML 4 parser then keeps HTML5 elements such as `<main>` that
    follow the title inside `<head>`, and the page read as empty. As HTML5 parsers do, the
    first element that cannot be in a head starts the body."""
    head = doc.find("head")
    if head is None:
        return
    stray = next(
        (i for i, el in enumerate(head) if isinstance(el.tag, str) and el.tag not in HEAD_TAGS),
        None,
    )
    if stray is None:
        return
    body = doc.find("body")
    if body is None:
        body = etree.SubElement(doc, "body")
    for offset, el in enumerate(list(head)[stray:]):
        body.insert(offset, el)


def build_page(fetch: FetchRecord, body: bytes, encoding: str | None = None) -> PageModel:
    page = PageModel(fetch=fetch)
    if not (fetch.is_html and body.strip()):
        return page
    body = without_control_bytes(body, encoding)
    try:
        with stage("parse"):
            doc = parse_html(body, encoding)
    except (etree.ParserError, ValueError) as exc:
        page.parse_error = f"{type(exc).__name__}: {exc}"
        return page
    with stage("extract"):
        _extract(page, doc, body, encoding)
    return page


def _extract(
    page: PageModel, doc: lxml_html.HtmlElement, body: bytes, encoding: str | None
) -> None:
    """Each part read on its own: one that fails leaves its field empty and says so in
    `page.unread`, and the others are read all the same (one failure once cost the page its
    title, links and data)."""
    fetch = page.fetch

    def part(name: str, read: Callable[[], T], default: T) -> T:
        try:
            return read()
        except Exception as exc:
            page.unread.append(f"{name}: internal error: {describe_exception(exc)}")
            return default

    base = part("base URL", lambda: _base_url(doc, fetch.url), fetch.url)
    page.title = part("title", lambda: _title(doc), None)
    page.meta_description = part("meta description", lambda: _meta(doc, "description"), None)
    page.canonical = part("canonical", lambda: _canonical(doc, base), None)
    page.viewport = part("viewport", lambda: _meta(doc, "viewport"), None)
    page.robots = part(
        "robots directives",
        lambda: merge(meta_controls(doc), header_controls(fetch.headers.get("x-robots-tag", ""))),
        {},
    )
    page.lang = part("language", lambda: (doc.get("lang") or "").strip() or None, None)
    page.headings = part("headings", lambda: headings(doc), [])
    region, page.main_source = part("main content", lambda: main_region(doc), (None, "none"))
    host = urlsplit(fetch.url).hostname or ""
    page.text_blocks = part("text", lambda: text_blocks(region, host), [])
    page.main_html = part("main content HTML", lambda: _region_html(region, base), "")
    page.word_count = sum(len(words(b.text)) for b in page.text_blocks)
    page.links = part("links", lambda: _links(page, doc, base, fetch.url), [])
    page.paginated, page.child_links = part(
        "listing links", lambda: _listing(page, doc), (False, 0)
    )
    page.contacts = part("contacts", lambda: _contacts(doc), [])
    page.structured = part(
        "structured data", lambda: structured_data(doc, base, body, encoding), page.structured
    )
    page.dates = part("dates", lambda: page_dates(doc, page.structured.jsonld, fetch.headers), [])
    page.dates += part("visible dates", lambda: visible_dates(page.text_blocks), [])
    page.signals = part("content signals", lambda: content_signals(page), page.signals)
    page.scripts, page.script_bytes = part("scripts", lambda: _scripts(doc), (0, 0))
    page.empty_app_root = part("app root", lambda: _empty_app_root(doc), None)
    # Last: it drops the scripts and styles from the tree.
    page.visible_text = part("visible text", lambda: _visible_text(doc), "")


def _visible_text(doc: lxml_html.HtmlElement) -> str:
    """The whole page's text as a reader sees it, in and outside the main region (FAQ answers
    in an aside, a `<details>` body), without scripts, styles and templates; capped."""
    etree.strip_elements(doc, "script", "style", "noscript", "template", with_tail=False)
    body = doc.find("body")
    # Pieces joined by spaces: "<h2>FAQ</h2><summary>Are you…" is "FAQ Are you…", not "FAQAre".
    pieces = (body if body is not None else doc).itertext()
    return " ".join(" ".join(pieces).split())[:MAX_VISIBLE_TEXT]  # half normalize_space's cost


def _region_html(region: lxml_html.HtmlElement | None, base: str) -> str:
    """The pruned main region as HTML with absolute links (for Markdown export), or "" over
    MAX_MAIN_HTML characters: llms-full.txt then takes the page's text blocks. That is a
    budget of geoaudit's, not a part of the page left unread, so it is no AC017 finding (an
    812 KB docs page, read in full, was reported). The size is checked before the links are
    rewritten: rewriting 600,000 links to throw the result away took 30 s."""
    if region is None:
        return ""
    if len(lxml_html.tostring(region, encoding="unicode")) > MAX_MAIN_HTML:
        return ""
    region.make_links_absolute(base, handle_failures="discard")
    return lxml_html.tostring(region, encoding="unicode")


def _contacts(doc: lxml_html.HtmlElement) -> list[str]:
    """`mailto:` and `tel:` links: the contact details the page states."""
    found: dict[str, None] = {}
    for a in doc.iter("a"):
        href = (a.get("href") or "").strip()
        scheme = href.split(":", 1)[0].lower()
        if scheme in ("mailto", "tel") and len(href) > len(scheme) + 1:
            found.setdefault(f"{scheme}:{href.split(':', 1)[1].split('?')[0].strip()}", None)
    return list(found)[:MAX_CONTACTS]


def _scripts(doc: lxml_html.HtmlElement) -> tuple[int, int]:
    """How many executable scripts the page has, and the bytes of the inline ones."""
    count = size = 0
    for script in doc.iter("script"):
        kind = (script.get("type") or "text/javascript").lower()
        if "json" in kind or kind in ("text/template", "text/html"):
            continue
        count += 1
        size += len((script.text or "").encode("utf-8"))
    return count, size


def _empty_app_root(doc: lxml_html.HtmlElement) -> str | None:
    """The id of a single-page-app mount point left empty in the HTML, if there is one."""
    for el in doc.xpath("//body//*[@id]"):
        app_id = el.get("id", "")
        if app_id in APP_ROOT_IDS and not normalize_space(el.text_content()):
            return app_id
    return None


def _title(doc: lxml_html.HtmlElement) -> str | None:
    el = doc.find(".//title")
    return None if el is None else normalize_space(el.text_content())


def _meta(doc: lxml_html.HtmlElement, name: str) -> str | None:
    for meta in doc.iter("meta"):
        if (meta.get("name") or "").strip().lower() == name:
            return normalize_space(meta.get("content") or "")
    return None


def _base_url(doc: lxml_html.HtmlElement, url: str) -> str:
    base = doc.find(".//base[@href]")
    return urljoin(url, base.get("href").strip()) if base is not None else url


def _canonical(doc: lxml_html.HtmlElement, base: str) -> str | None:
    for link in doc.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        if "canonical" in rels and link.get("href"):
            return urljoin(base, link.get("href").strip())
    return None


# Characters Scrapy percent-encodes in a request's URL (w3lib's safe_url_string): a link is
# stored as the URL its page is fetched and stored under, so the two meet in the link graph.
NEEDS_QUOTING = re.compile(r'[^\x21-\x7e]|["<>\\^`{|}]')


def _listing(page: PageModel, doc: lxml_html.HtmlElement) -> tuple[bool, int]:
    """Whether the head links the next or previous page of a series (`<link rel=next>`, as
    paginated listings do; an `<a rel=prev>` is as often a post's link to the one before),
    and how many pages linked sit below the page's own path (`/news/` linking `/news/a/`…)."""
    paginated = any(
        rel in ("next", "prev")
        for link in doc.iter("link")
        for rel in (link.get("rel") or "").lower().split()
    )
    path = urlsplit(page.url).path or "/"
    base = path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
    if base == "/":
        return paginated, 0
    children = {urlsplit(link.url).path for link in page.links if link.internal}
    children = {c for c in children if c.startswith(base)} - {path, base}
    return paginated, len(children)


def _links(page: PageModel, doc: lxml_html.HtmlElement, base: str, page_url: str) -> list[Link]:
    """The page's http(s) links, the first MAX_LINKS distinct ones; a page with more says how
    many it has in `page.unread`."""
    host = urlsplit(page_url).hostname
    links: list[Link] = []
    seen: set[str] = set()
    for a in doc.iter("a", "area"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        try:
            url = urldefrag(urljoin(base, href))[0]
            if NEEDS_QUOTING.search(url):
                url = safe_url_string(url)
            parts = urlsplit(url)
        except ValueError:
            continue
        if parts.scheme not in ("http", "https") or url in seen:
            continue
        seen.add(url)
        links.append(
            Link(
                url=url,
                text=normalize_space(a.text_content())[:200],
                rel=normalize_space(a.get("rel") or "").lower(),
                internal=parts.hostname == host,
            )
        )
        if len(links) >= MAX_LINKS:
            anchors = int(doc.xpath("count(//a|//area)"))  # counted only on pages over the cap
            page.unread.append(
                f"links: {anchors:,} links, the first {MAX_LINKS:,} distinct ones kept"
            )
            break
    return links
