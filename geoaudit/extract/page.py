"""Build the `PageModel` of one response: parse once with lxml, hand the tree to each extractor."""

from __future__ import annotations

from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from geoaudit.extract.content import headings, main_region, normalize_space, text_blocks
from geoaudit.extract.dates import page_dates
from geoaudit.extract.structured import structured_data
from geoaudit.models import FetchRecord, Link, PageModel

MAX_LINKS = 5000


def parse_html(body: bytes, encoding: str | None) -> lxml_html.HtmlElement:
    """Parse HTML bytes leniently. Raises `etree.ParserError` on documents with no content."""
    parser = lxml_html.HTMLParser(encoding=encoding or None, remove_comments=True)
    return lxml_html.document_fromstring(body, parser=parser)


def build_page(fetch: FetchRecord, body: bytes, encoding: str | None = None) -> PageModel:
    page = PageModel(fetch=fetch)
    if not (fetch.is_html and body.strip()):
        return page
    try:
        doc = parse_html(body, encoding)
    except (etree.ParserError, ValueError) as exc:
        page.parse_error = f"{type(exc).__name__}: {exc}"
        return page
    base = _base_url(doc, fetch.url)
    page.title = _title(doc)
    page.meta_description = _meta(doc, "description")
    page.canonical = _canonical(doc, base)
    page.meta_robots = _meta_robots(doc)
    page.lang = (doc.get("lang") or "").strip() or None
    page.headings = headings(doc)
    region, page.main_source = main_region(doc)
    page.text_blocks = text_blocks(region)
    page.word_count = sum(len(b.text.split()) for b in page.text_blocks)
    page.links = _links(doc, base, fetch.url)
    page.structured = structured_data(doc, base)
    page.dates = page_dates(doc, page.structured.jsonld, fetch.headers)
    return page


def _title(doc: lxml_html.HtmlElement) -> str | None:
    el = doc.find(".//title")
    return None if el is None else normalize_space(el.text_content())


def _meta(doc: lxml_html.HtmlElement, name: str) -> str | None:
    for meta in doc.iter("meta"):
        if (meta.get("name") or "").strip().lower() == name:
            return normalize_space(meta.get("content") or "")
    return None


def _meta_robots(doc: lxml_html.HtmlElement) -> dict[str, str]:
    """Every robots-style meta tag by name: `robots`, `googlebot`, `gptbot`... Repeats merge."""
    found: dict[str, str] = {}
    for meta in doc.iter("meta"):
        name = (meta.get("name") or "").strip().lower()
        content = normalize_space(meta.get("content") or "")
        if not name or not content or name in {"description", "viewport", "keywords"}:
            continue
        if name == "robots" or name.endswith("bot") or name in {"google-extended", "ccbot"}:
            found[name] = f"{found[name]}, {content}" if name in found else content
    return found


def _base_url(doc: lxml_html.HtmlElement, url: str) -> str:
    base = doc.find(".//base[@href]")
    return urljoin(url, base.get("href").strip()) if base is not None else url


def _canonical(doc: lxml_html.HtmlElement, base: str) -> str | None:
    for link in doc.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        if "canonical" in rels and link.get("href"):
            return urljoin(base, link.get("href").strip())
    return None


def _links(doc: lxml_html.HtmlElement, base: str, page_url: str) -> list[Link]:
    host = urlsplit(page_url).hostname
    links: list[Link] = []
    seen: set[str] = set()
    for a in doc.iter("a", "area"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        try:
            url = urldefrag(urljoin(base, href))[0]
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
            break
    return links
