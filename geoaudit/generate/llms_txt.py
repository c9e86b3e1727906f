"""Generate llms.txt and llms-full.txt (llmstxt.org format) from the crawl.

llms.txt: H1 = the site's name (schema.org Organization/WebSite name, og:site_name, else the home
title cleaned of taglines); blockquote = the home page's description; a details paragraph (the
home page's opening paragraph); then H2 sections by site structure (path sections and page kinds:
About, Services/Products, Docs, Guides, Blog, Contact...) listing indexable 2xx HTML pages by
canonical URL with their meta descriptions as notes, most important first (shallow, much linked,
high sitemap priority) within a link and token budget. Legal, archive, tag and pagination pages go
under `## Optional`. noindex, non-2xx and non-canonical pages are left out, and so are pages
robots.txt closes to every AI search and user agent that honours it: robots.txt governs crawling,
and llms.txt, a curated index read mostly by user-triggered agents, still serves the agents it
does not close out. The listed pages that some of those agents may not fetch are named in the
generator's notes. Contact lists the contact pages and the e-mail addresses and phone numbers the
site states.

llms-full.txt: the same pages' main content as Markdown (headings, lists, tables and links kept;
navigation and footers were never part of the main content), converted with markdownify.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from lxml import html as lxml_html
from markdownify import MarkdownConverter

from geoaudit.escape import markdown_inline, markdown_paragraph, markdown_text, markdown_url
from geoaudit.facts import Site
from geoaudit.facts.access import INDEX_BLOCKERS, AccessFacts
from geoaudit.facts.identity import SiteIdentity, first_paragraph, title_parts
from geoaudit.facts.pages import canonical_is_self, page_identity, section_of
from geoaudit.models import PageModel
from geoaudit.sitefiles.llms_txt import start_directory
from geoaudit.store import Store

MAX_LINKS = 200
TOKEN_BUDGET = 8_000
CHARS_PER_TOKEN = 4
FULL_MAX_CHARS = 2_000_000
NOTE_MAX_CHARS = 200
SECTION_ORDER = ["About", "Services", "Products", "Docs", "Guides", "Blog", "Pages"]
LAST_SECTIONS = ["Contact", "Optional"]


@dataclass
class Entry:
    url: str
    title: str
    note: str
    section: str
    rank: tuple[Any, ...]
    page_html: str = ""
    # Its section by the path below the start URL's folder, for a site that lives under a path
    section_below: str = ""


def page_title(page: PageModel, name: str) -> str:
    parts = title_parts(page.title or "")
    parts = [p for p in parts if p.lower() != name.lower()] or parts
    if parts:
        return parts[0]
    h1 = next((h.text for h in page.headings if h.level == 1 and h.text), "")
    return h1 or urlsplit(page.url).path


def _clip(text: str, limit: int = NOTE_MAX_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _link_text(text: str) -> str:
    return markdown_inline(text.replace("[", "(").replace("]", ")"))


def _contact_line(contact: str) -> str | None:
    """A contact as a link: e-mail addresses as mailto:, phone numbers as tel: with digits
    only; None for anything else."""
    scheme, value = contact.split(":", 1)
    if scheme == "tel":
        target = "tel:" + re.sub(r"[^\d+]", "", value)
    elif scheme == "mailto":
        target = markdown_url("mailto:" + "".join(value.split())) or ""
    else:
        return None
    label = "Email" if scheme == "mailto" else "Phone"
    return f"- [{label} {_link_text(value)}]({target})"


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _note(page: PageModel, title: str, site_description: str) -> str:
    """The page's description, or else its opening paragraph, when it adds to its title: not
    when it repeats the title or is part of it, nor when it is the site's own description
    (a template's default, on 80 pages of one portfolio), nor an opening that leads into a
    list ("There are several options:")."""
    said = _words(f"{title} {page.title or ''}")
    opening = first_paragraph(page)
    if opening and opening.rstrip().endswith((":", "：")):
        opening = None
    for note in (page.meta_description, opening):
        words = _words(note or "")
        if words and words not in said and words != site_description:
            return note or ""
    return ""


@dataclass
class LeftOut:
    """Pages the plan left out, by reason."""

    closed: int = 0  # robots.txt closes them to every AI search and user agent
    # pages whose canonical is on another origin, by that origin (a staging copy's pages name
    # the production site)
    elsewhere: Counter[str] = field(default_factory=Counter)


def _entries(store: Store, site: Site, name: str) -> tuple[list[Entry], LeftOut]:
    """The candidate entries, and the pages left out."""
    in_links, priorities = store.in_link_counts(), store.sitemap_priorities()
    base = start_directory(site.start_url)
    site_description = _words(site.identity.description or "")
    entries = []
    left_out = LeftOut()
    # One entry per page: /x/ and /x/index.html are one page, and the home page is the file's
    # H1 (a sub-path site's /project/index.html was listed next to it).
    listed = {page_identity(site.home_url)}
    for page in store.iter_pages():
        if not page.is_html_ok or page.directives() & INDEX_BLOCKERS:
            continue
        identity = page_identity(page.url)
        if identity in listed:
            continue
        if not canonical_is_self(page):
            there, here = urlsplit(page.canonical or ""), urlsplit(page.url)
            if there.netloc and there.netloc.lower() != here.netloc.lower():
                left_out.elsewhere[f"{there.scheme}://{there.netloc}"] += 1
            continue
        if site.access.closed_to_every(page.url):
            left_out.closed += 1
            continue
        if markdown_url(page.url) is None:
            continue
        listed.add(identity)
        title = page_title(page, name)
        page_path = urlsplit(page.url).path
        depth = page.fetch.depth if page.fetch.depth is not None else 99
        entries.append(
            Entry(
                url=page.url,
                title=_link_text(title),
                note=_clip(markdown_inline(_note(page, title, site_description))),
                section=section_of(page),
                section_below=section_of(page, base) if page_path.startswith(base) else "",
                rank=(depth, -in_links.get(page.url, 0), -priorities.get(page.url, 0.5), page.url),
            )
        )
    if base != "/" and all(e.section_below for e in entries):
        # A site under a path (every page below the start URL's folder): /project/guide/ is in
        # Guides, not in a "Project" section. A start page in a folder of a site at the root
        # (pages elsewhere too) keeps its sections from the root.
        for entry in entries:
            entry.section = entry.section_below
    return entries, left_out


def _within_budget(entries: list[Entry]) -> list[Entry]:
    kept: list[Entry] = []
    chars = 0
    for entry in sorted(entries, key=lambda e: e.rank):
        line = len(entry.url) + len(entry.title) + len(entry.note) + 8
        if len(kept) >= MAX_LINKS or (chars + line) // CHARS_PER_TOKEN > TOKEN_BUDGET:
            break
        kept.append(entry)
        chars += line
    return kept


def _order(sections: Iterable[str]) -> list[str]:
    def key(section: str) -> tuple[int, str]:
        if section in SECTION_ORDER:
            return SECTION_ORDER.index(section), ""
        if section in LAST_SECTIONS:
            return 100 + LAST_SECTIONS.index(section), ""
        return len(SECTION_ORDER), section

    return sorted(sections, key=key)


def _name(ident: SiteIdentity, start_url: str) -> str:
    return markdown_inline(ident.name or urlsplit(start_url).hostname or "Site") or "Site"


@dataclass
class Generated:
    """The generated llms.txt and llms-full.txt, with notes for the user on what was left out
    or may not be fetched."""

    llms_txt: str
    llms_full: str
    notes: list[str]


MAX_NOTE_EXAMPLES = 5


def _pages(n: int) -> str:
    return "1 page" if n == 1 else f"{n} pages"


def _plan_notes(
    entries: list[Entry], over_budget: int, left_out: LeftOut, access: AccessFacts
) -> list[str]:
    notes = []
    if left_out.elsewhere:
        origin, count = left_out.elsewhere.most_common(1)[0]
        notes.append(
            f"{_pages(count)} left out: their canonical URLs are on {origin}, not on the audited "
            f"host; for a staging copy of that site, audit with --site-url {origin}"
        )
    if over_budget:
        notes.append(
            f"{len(entries)} pages listed, the most important first; {over_budget} more "
            f"indexable pages left out to keep within {MAX_LINKS} links and about "
            f"{TOKEN_BUDGET:,} tokens"
        )
    if left_out.closed:
        notes.append(
            f"{_pages(left_out.closed)} left out, closed by robots.txt to every AI search and "
            "user agent that honours it"
        )
    closed = [(e.url, access.closed_to(e.url)) for e in entries]
    closed = [(url, bots) for url, bots in closed if bots]
    if closed:
        shown = closed[:MAX_NOTE_EXAMPLES]
        examples = "; ".join(f"{url} ({', '.join(bots)})" for url, bots in shown)
        more = f"; and {len(closed) - len(shown)} more" if len(closed) > len(shown) else ""
        listed = "1 listed page is" if len(closed) == 1 else f"{len(closed)} listed pages are"
        notes.append(f"{listed} closed to some AI agents by robots.txt: {examples}{more}")
    return notes


def plan(store: Store, site: Site) -> tuple[SiteIdentity, dict[str, list[Entry]], list[str]]:
    """The site's identity, the kept entries by section in file order, and the notes."""
    ident = site.identity
    name = _name(ident, site.home_url)
    candidates, left_out = _entries(store, site, name)
    entries = _within_budget(candidates)
    sections: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        sections[entry.section].append(entry)
    if ident.contacts:
        sections.setdefault("Contact", [])
    ordered = {s: sorted(sections[s], key=lambda e: e.rank) for s in _order(sections)}
    over_budget = len(candidates) - len(entries)
    return ident, ordered, _plan_notes(entries, over_budget, left_out, site.access)


def generate_both(store: Store, site: Site) -> Generated:
    """llms.txt and llms-full.txt from one plan of the stored crawl and its site facts."""
    ident, sections, notes = plan(store, site)
    full, left_out = _llms_full_txt(store, (ident, sections), site.home_url)
    if left_out:
        notes.append(
            f"llms-full.txt: {left_out} listed pages left out to keep it under "
            f"{FULL_MAX_CHARS:,} characters"
        )
    return Generated(_llms_txt((ident, sections), site.home_url), full, notes)


def _llms_txt(planned: tuple[SiteIdentity, dict[str, list[Entry]]], start_url: str) -> str:
    ident, sections = planned
    name = _name(ident, start_url)
    lines = [f"# {name}", ""]
    if ident.description:
        lines += [f"> {markdown_inline(ident.description)}", ""]
    pages = sum(len(e) for e in sections.values())
    details = ident.details or f"The {name} website: {pages} key pages, listed below by section."
    lines += [markdown_paragraph(details), ""]
    for section, entries in sections.items():
        items = [
            f"- [{e.title}]({markdown_url(e.url)})" + (f": {e.note}" if e.note else "")
            for e in entries
        ]
        if section == "Contact":
            items += [line for c in ident.contacts if (line := _contact_line(c))]
        if items:
            lines += [f"## {section}", "", *items, ""]
    return "\n".join(lines).rstrip() + "\n"


_LINK_OR_HTML = re.compile(r"([\\\[\]<`])")
_BLOCK_START = re.compile(r"^(\s*)(#{1,6}\s|>|[-+*]\s|\d{1,9}[.)]\s)")


class _TextConverter(MarkdownConverter):
    """markdownify, with page text kept as text: brackets, backticks, backslashes and `<`
    escaped and a text that would open a heading, quote or list escaped, so the page cannot add
    links, code, raw HTML or blocks to llms-full.txt. (markdownify's own escape_misc does this
    too, but also escapes every `2019.` and `&` in running text.)"""

    def escape(self, text: str, parent_tags: set[str]) -> str:
        text = _BLOCK_START.sub(r"\1\\\2", _LINK_OR_HTML.sub(r"\\\1", text or ""))
        # markdownify declares no types for its escape hook.
        return str(super().escape(text, parent_tags))  # type: ignore[misc]


# Page chrome inside the main region that llms-full.txt leaves out: buttons, and elements whose
# class or id names breadcrumbs, share bars, cookie banners, newsletter boxes or pagination.
CHROME = re.compile(
    r"(?<![a-z])(breadcrumbs?|share|sharing|social-share|cookie|cookies|consent|newsletter|"
    r"subscribe|pagination|pager)(?![a-z])",
    re.IGNORECASE,
)


def _drop_chrome(region: lxml_html.HtmlElement) -> None:
    for el in list(region.iter()):
        if not isinstance(el, lxml_html.HtmlElement) or el.getparent() is None:
            continue
        marks = f"{el.get('class', '')} {el.get('id', '')}"
        if el.tag == "button" or CHROME.search(marks):
            el.drop_tree()


def page_markdown(page: PageModel) -> str:
    """A page's main content as Markdown, its headings pushed two levels down so that they sit
    under the page's own `## ` heading in llms-full.txt, without the page's chrome (CHROME)."""
    if not page.main_html:
        return "\n\n".join(b.text for b in page.text_blocks)
    region = lxml_html.fragment_fromstring(page.main_html, create_parent="div")
    _drop_chrome(region)
    for level in range(6, 0, -1):
        for heading in region.iter(f"h{level}"):
            heading.tag = f"h{min(level + 2, 6)}"
    converter = _TextConverter(heading_style="ATX", bullets="-", strip=["img", "script", "style"])
    markdown = converter.convert(lxml_html.tostring(region, encoding="unicode"))
    return re.sub(r"\n{3,}", "\n\n", markdown).strip()


def _llms_full_txt(
    store: Store, planned: tuple[SiteIdentity, dict[str, list[Entry]]], start_url: str
) -> tuple[str, int]:
    """llms-full.txt, and how many listed pages its size budget (FULL_MAX_CHARS) left out."""
    ident, sections = planned
    name = _name(ident, start_url)
    parts = [f"# {name}", ""]
    if ident.description:
        parts += [f"> {markdown_inline(ident.description)}", ""]
    home = store.find_page(start_url)
    order: list[PageModel | None] = [home] if home is not None and home.is_html_ok else []
    order += [store.page(e.url) for s, es in sections.items() if s != "Optional" for e in es]
    size = left_out = 0
    for page in order:
        if page is None:
            continue
        if left_out:
            left_out += 1
            continue
        body = markdown_text(page_markdown(page))
        title = markdown_inline(page_title(page, name))
        block = f"## {title}\n\nSource: {markdown_url(page.url) or ''}\n\n{body}\n"
        if size + len(block) > FULL_MAX_CHARS:
            left_out = 1
            continue
        parts.append(block)
        size += len(block)
    return "\n".join(parts).rstrip() + "\n", left_out
