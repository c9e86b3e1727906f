"""Main-content text: pick the main region of a page and split it into leaf text blocks.

The main region is `<main>` (or `role=main`), else the largest `<article>`, else the densest
container: the element whose own paragraphs carry the most text. Navigation, header, footer,
aside, forms and hidden elements are left out because AI crawlers quote the body, not the chrome.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from lxml import html as lxml_html

from geoaudit.models import Heading, TextBlock

BOILERPLATE_TAGS = {"nav", "header", "footer", "aside", "form", "dialog", "menu"}
BOILERPLATE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search"}
INVISIBLE_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "object", "canvas"}
BLOCK_TAGS = {
    "p",
    "li",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "figcaption",
    "caption",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "div",
    "section",
    "address",
    "main",
    "article",
}
CONTAINER_TAGS = {"div", "section", "article", "main", "td", "body"}
HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
MAX_DEPTH = 200  # deeper nesting is flattened: hostile pages must not exhaust the stack
_SPACE = re.compile(r"\s+")


def normalize_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _is_element(node: object) -> bool:
    return isinstance(node, lxml_html.HtmlElement)


def _is_boilerplate(el: lxml_html.HtmlElement) -> bool:
    if el.tag in BOILERPLATE_TAGS or el.tag in INVISIBLE_TAGS:
        return True
    if el.get("role", "").strip().lower() in BOILERPLATE_ROLES:
        return True
    return el.get("hidden") is not None or el.get("aria-hidden", "").lower() == "true"


def headings(root: lxml_html.HtmlElement) -> list[Heading]:
    """The heading outline of the whole document, in order (empty headings kept: they are facts)."""
    out = []
    for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        if any(_is_element(a) and a.tag in INVISIBLE_TAGS for a in el.iterancestors()):
            continue
        out.append(Heading(level=HEADING_TAGS[el.tag], text=normalize_space(el.text_content())))
    return out


def _prune(root: lxml_html.HtmlElement) -> None:
    for el in list(root.iter()):
        if _is_element(el) and el.getparent() is not None and _is_boilerplate(el):
            el.drop_tree()


MAIN_SHARE = 0.6  # the main region holds at least this share of the page's visible text


def _densest(body: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """The deepest container holding at least MAIN_SHARE of the (pruned) body's text, found by
    going down from the body to the child container with the most text while it holds that
    share. Crediting text to direct parents only once picked one FAQ item of a FAQ page, or
    one section of a page of sections, as its main content."""
    text: dict[lxml_html.HtmlElement, int] = {}
    for el in reversed(list(body.iter())):  # children before their parents
        if not _is_element(el):
            continue
        own = len((el.text or "").strip())
        for child in el:
            own += text.get(child, 0) + len((child.tail or "").strip())
        text[el] = own
    share = MAIN_SHARE * text.get(body, 0)
    region = body
    while True:
        children = [c for c in region if _is_element(c) and c.tag in CONTAINER_TAGS]
        best = max(children, key=lambda c: text.get(c, 0), default=None)
        if best is None or text.get(best, 0) < share or share == 0:
            return region
        region = best

def main_region(doc: lxml_html.HtmlElement) -> tuple[lxml_html.HtmlElement | None, str]:
    """A pruned copy of the main region and how it was chosen: main, article, density or none."""
    body = doc.find("body")
    if body is None:
        return None, "none"
    body = _copy(body)
    main = body.xpath("descendant-or-self::main | descendant::*[@role='main']")
    if main:
        region, how = main[0], "main"
    else:
        articles = body.xpath("descendant::article")
        if articles:
            region = max(articles, key=lambda a: len(a.text_content()))
            how = "article"
        else:
            _prune(body)
            return _densest(body), "density"
    _prune(region)
    return region, how


def _copy(el: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    # Pruning mutates; the caller's tree is shared with other extractors.
    return lxml_html.fromstring(lxml_html.tostring(el, encoding="unicode"))


def text_blocks(region: lxml_html.HtmlElement | None, host: str = "") -> list[TextBlock]:
    """The region's text as leaf blocks in document order.

    A block element without block descendants is one block (a table row joins its cells). A
    container's loose text and inline tags between its blocks become blocks of their own, in
    place, tagged with the container's name. Each block counts its links to other hosts and its
    `<cite>` elements: the sources it names.
    """
    blocks: list[TextBlock] = []
    if region is not None:
        _walk(region, blocks, 0, host)
    return blocks


def _contains_block(el: lxml_html.HtmlElement) -> bool:
    return any(_is_element(d) and d.tag in BLOCK_TAGS for d in el.iterdescendants())


def _emit(
    blocks: list[TextBlock],
    el: lxml_html.HtmlElement,
    tag: str,
    text: str,
    inline: list[lxml_html.HtmlElement],
    host: str,
) -> None:
    text = normalize_space(text)
    if not text:
        return
    external = cites = 0
    for part in inline:
        for node in part.iter("a", "cite"):
            if node.tag == "cite":
                cites += 1
                continue
            target = urlsplit(node.get("href") or "")
            if target.scheme in ("http", "https") and target.hostname not in (None, host):
                external += 1
    blocks.append(
        TextBlock(tag=tag, text=text, quote=_in_quote(el), external_links=external, cites=cites)
    )


def _walk(el: lxml_html.HtmlElement, blocks: list[TextBlock], depth: int, host: str) -> None:
    # A code block is one block, whatever it holds: highlighters write a <div> per line, whose
    # code was read as prose (a Google Fonts URL "claim" without a source).
    if not _contains_block(el) or depth > MAX_DEPTH or el.tag == "pre":
        if el.tag == "tr":
            cells = [normalize_space(c.text_content()) for c in el if _is_element(c)]
            _emit(blocks, el, "tr", " | ".join(c for c in cells if c), [el], host)
        else:
            tag = el.tag if _is_element(el) else "div"
            _emit(blocks, el, tag, el.text_content(), [el], host)
        return
    run: list[str] = [el.text or ""]
    inline: list[Any] = []
    for child in el:
        if _is_element(child) and (child.tag in BLOCK_TAGS or _contains_block(child)):
            _emit(blocks, el, el.tag, " ".join(run), inline, host)
            _walk(child, blocks, depth + 1, host)
            run, inline = [], []
        elif _is_element(child):
            run.append(child.text_content())
            inline.append(child)
        run.append(child.tail or "")
    _emit(blocks, el, el.tag, " ".join(run), inline, host)


def _in_quote(el: lxml_html.HtmlElement) -> bool:
    return el.tag == "blockquote" or any(a.tag == "blockquote" for a in el.iterancestors())
