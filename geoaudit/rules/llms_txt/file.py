"""llms.txt file rules on the file's structure: the H1 title, the summary, headings, sections and
the link items in them (LT002-LT015, LT020-LT022)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from geoaudit.rules import Problem, file_rule
from geoaudit.rules.llms_txt import SOURCES
from geoaudit.sitefiles.llms_txt import LlmsFile, reference_parser_problem

RECOMMENDED_SECTIONS = ("About", "Services", "Contact")
MAX_LISTED = 3  # links of one kind named one by one; more are one finding (a generator's habit)
# Section titles that count as About, Services or Contact, in the languages of the sites seen
# (English, German, French, Spanish, Italian, Portuguese, Dutch, Japanese, Korean, Chinese).
SECTION_SYNONYMS = {
    "About": (
        "about", "company", "who we are", "über uns", "unternehmen", "à propos", "a propos",
        "qui sommes-nous", "entreprise", "sobre nosotros", "sobre nós", "acerca de",
        "quiénes somos", "empresa", "chi siamo", "azienda", "quem somos", "over ons", "会社概要",
        "会社案内", "私たちについて", "소개", "회사", "关于", "關於", "公司简介", "公司簡介",
    ),
    "Services": (
        "services", "products", "offer", "solutions", "pricing", "leistungen",
        "dienstleistungen", "produkte", "angebot", "produits", "offre", "servicios",
        "productos", "servizi", "prodotti", "serviços", "produtos", "diensten", "producten",
        "サービス", "製品", "商品", "料金", "서비스", "제품", "상품", "服务", "服務", "产品",
        "產品",
    ),
    "Contact": (
        "contact", "support", "kontakt", "contacto", "contatti", "contato", "お問い合わせ",
        "問い合わせ", "連絡先", "문의", "연락처", "联系", "聯繫", "聯絡", "联络",
    ),
}  # fmt: skip


@file_rule(
    "LT002",
    name="llms-h1-missing",
    title="llms.txt has no H1 title",
    profiles={"1.1.1": "error", "llmstxt": "error"},
    source=SOURCES["both"],
)
def h1_missing(llms: LlmsFile) -> Iterator[Problem]:
    """The file has no `# Title` line.

    Why it matters: the H1 with the site's name is the one required part of llms.txt; readers
    (and Chrome Lighthouse) reject a file without it.

    How to fix: make the first line `# Your Site Name`.

    Pass: `# Acme Tools`. Fail: a file that starts with `## Docs`.
    """
    if not llms.h1s:
        yield Problem("the file has no H1 (`# Site name`)", line=llms.first_line)


@file_rule(
    "LT003",
    name="llms-h1-not-first",
    title="Content comes before the H1",
    profiles={"1.1.1": "error", "llmstxt": "error"},
    source=SOURCES["both"],
)
def h1_not_first(llms: LlmsFile) -> Iterator[Problem]:
    """Text appears before the H1.

    Why it matters: llmstxt.org orders the file H1 first; 1.1.1 says the file MUST begin with
    it. Parsers that read the first heading as the title misread the file.

    How to fix: move everything above `# Site name` below it.

    Pass: the first line is `# Acme`. Fail: `Welcome!` on line 1, `# Acme` on line 3.
    """
    if llms.h1s and llms.before_h1:
        line, text = llms.before_h1[0]
        yield Problem(f"'{text[:60]}' comes before the H1 (line {llms.h1_line})", line=line)


@file_rule(
    "LT004",
    name="llms-h1-multiple",
    title="More than one H1",
    profiles={"1.1.1": "error", "llmstxt": "warning"},
    source=SOURCES["both"],
)
def h1_multiple(llms: LlmsFile) -> Iterator[Problem]:
    """The file has several `# ` headings.

    Why it matters: the format has one H1, the site's name; a second one is read as a new
    document or breaks the structure. Sections are H2 (`## `).

    How to fix: turn the extra H1s into H2 sections.

    Pass: one `# Acme`, then `## Docs`. Fail: `# Acme` and later `# Products`.
    """
    for line, title in llms.h1s[1:]:
        yield Problem(f"second H1 '{title[:60]}' (the first is on line {llms.h1_line})", line)


@file_rule(
    "LT005",
    name="llms-h1-empty",
    title="The H1 has no text",
    profiles={"1.1.1": "error", "llmstxt": "error"},
    source=SOURCES["both"],
)
def h1_empty(llms: LlmsFile) -> Iterator[Problem]:
    """The H1 line is `#` with no name after it.

    Why it matters: the H1 is the name AI agents use for the site; 1.1.1 requires text.

    How to fix: write the site or company name after `# `.

    Pass: `# Acme Tools`. Fail: `#`.
    """
    if llms.h1s and not llms.h1:
        yield Problem("the H1 is empty", line=llms.h1_line)


@file_rule(
    "LT006",
    name="llms-heading-too-deep",
    title="Headings below H2",
    profiles={"1.1.1": "warning", "llmstxt": "warning"},
    source=SOURCES["both"],
)
def heading_too_deep(llms: LlmsFile) -> Iterator[Problem]:
    """The file uses `###` or deeper headings.

    Why it matters: llms.txt has one level of sections (H2 file lists); parsers, the reference
    `llms-txt` one included, split on H2 only and fail on the rest.

    How to fix: make each sub-heading its own H2 section, or drop it.

    Pass: `## Guides`. Fail: `### Advanced guides` inside `## Guides`.
    """
    for line, level, title in llms.headings:
        if level >= 3:
            yield Problem(f"H{level} '{title[:60]}': llms.txt sections are H2", line=line)


@file_rule(
    "LT007",
    name="llms-summary-missing",
    title="No summary blockquote",
    profiles={"1.1.1": "error", "llmstxt": "notice"},
    source=SOURCES["both"],
)
def summary_missing(llms: LlmsFile) -> Iterator[Problem]:
    """No `> summary` blockquote follows the H1.

    Why it matters: the one-line summary is what an agent reads to decide whether the site is
    relevant. 1.1.1 requires it directly after the H1; llmstxt.org recommends it.

    How to fix: add `> One sentence on what the site or company is and does.` under the H1.

    Pass: `# Acme` then `> Acme makes hand tools for woodworkers.`. Fail: no blockquote.
    """
    if llms.h1s and llms.summary is None and not llms.late_quotes:
        yield Problem("no `> summary` blockquote after the H1", line=llms.h1_line)


@file_rule(
    "LT008",
    name="llms-summary-late",
    title="The summary does not follow the H1",
    profiles={"1.1.1": "error", "llmstxt": "warning"},
    source=SOURCES["both"],
)
def summary_late(llms: LlmsFile) -> Iterator[Problem]:
    """A blockquote is there, but other text comes between the H1 and it.

    Why it matters: readers take the blockquote right under the H1 as the summary; a later one
    is read as ordinary text, so the site has no summary for them.

    How to fix: move the blockquote directly under the H1.

    Pass: `# Acme` / `> Summary.` / `Details...`. Fail: `# Acme` / `Details...` / `> Summary.`.
    """
    if llms.summary is None and llms.late_quotes:
        line, _ = llms.late_quotes[0]
        yield Problem(
            "the summary blockquote comes after other text, not right after the H1", line=line
        )


@file_rule(
    "LT009",
    name="llms-prose-in-file-list",
    title="Prose inside a file-list section",
    profiles={"1.1.1": "warning", "llmstxt": "warning"},
    source=SOURCES["both"],
)
def prose_in_file_list(llms: LlmsFile) -> Iterator[Problem]:
    """An H2 section holds text that is not a `- [name](url)` list item.

    Why it matters: H2 sections are file lists; parsers read each line as a link and drop or
    choke on the rest (the reference parser raises on it).

    How to fix: put prose in the details part between the summary and the first H2, or turn
    it into a link item's notes: `- [name](url): notes`.

    Pass: `- [Pricing](https://acme.example/pricing): Plans and prices`.
    Fail: `We also offer consulting.` under `## Services`.
    """
    for section in llms.sections:
        for line, text in section.prose:
            yield Problem(f"'{text[:60]}' in '## {section.title}' is not a link item", line)


@file_rule(
    "LT010",
    name="llms-bare-url",
    title="Bare URL instead of a Markdown link",
    profiles={"1.1.1": "warning", "llmstxt": "warning"},
    source=SOURCES["both"],
)
def bare_url(llms: LlmsFile) -> Iterator[Problem]:
    """A file-list item is a plain URL, not `[name](url)`.

    Why it matters: without a name an agent cannot tell what the page is before fetching it.

    How to fix: write `- [Page name](https://...)` with notes if useful.

    Pass: `- [Docs](https://acme.example/docs)`. Fail: `- https://acme.example/docs`.
    """
    for section in llms.sections:
        for line, text in section.bare_urls:
            yield Problem(f"bare URL '{text[:80]}': use `[name](url)`", line=line)


@file_rule(
    "LT011",
    name="llms-link-malformed",
    title="Malformed Markdown link",
    profiles={"1.1.1": "error", "llmstxt": "error"},
    source=SOURCES["both"],
)
def link_malformed(llms: LlmsFile) -> Iterator[Problem]:
    """A list item starts like a link but is not one: missing bracket or parenthesis, a space
    inside the URL, a space between `]` and `(`, a link title wrapped onto the next line.

    Why it matters: the link is lost to every parser.

    How to fix: write `[name](url)` exactly, with no spaces in the URL (encode them as `%20`).

    Pass: `- [Docs](https://acme.example/docs)`. Fail: `- [Docs] (https://acme.example/docs`.
    """
    for section in llms.sections:
        for line, text in section.malformed:
            parts = text.split("\n")
            if len(parts) > 1:
                yield Problem(
                    f"link split over lines {line}-{line + len(parts) - 1} "
                    f"('{' '.join(parts)[:80]}'): parsers read a link from one line",
                    line=line,
                )
            else:
                yield Problem(f"malformed link '{text[:80]}'", line=line)


@file_rule(
    "LT012",
    name="llms-section-empty",
    title="Empty section",
    profiles={"1.1.1": "warning", "llmstxt": "warning"},
    source=SOURCES["both"],
)
def section_empty(llms: LlmsFile) -> Iterator[Problem]:
    """An H2 section has no items.

    Why it matters: an empty section promises content that is not there.

    How to fix: add the section's links or remove the heading.

    Pass: `## Docs` followed by links. Fail: `## Docs` followed directly by `## Blog`.
    """
    for section in llms.sections:
        if not (section.links or section.prose or section.bare_urls or section.malformed):
            yield Problem(f"'## {section.title}' has no items", line=section.line)


@file_rule(
    "LT013",
    name="llms-link-relative",
    title="Relative link",
    profiles={"1.1.1": "warning", "llmstxt": "warning"},
    source=SOURCES["both"],
)
def link_relative(llms: LlmsFile) -> Iterator[Problem]:
    """A link's URL is relative (`/docs`, `docs.md`).

    Why it matters: llms.txt is often read detached from its site (pasted into a prompt,
    cached by a tool); relative URLs then point nowhere.

    How to fix: use absolute URLs with the canonical scheme and host.

    Pass: `[Docs](https://acme.example/docs)`. Fail: `[Docs](/docs)`.
    """
    for link in llms.links:
        if not urlsplit(link.url).scheme:
            yield Problem(f"relative link '{link.url[:80]}': use an absolute URL", link.line)


@file_rule(
    "LT014",
    name="llms-link-duplicate",
    title="Duplicate link",
    profiles={"1.1.1": "warning", "llmstxt": "notice"},
    source=SOURCES["both"],
)
def link_duplicate(llms: LlmsFile) -> Iterator[Problem]:
    """The same URL is listed more than once.

    Why it matters: duplicates waste the reader's context window and blur which section the
    page belongs to.

    How to fix: keep each URL once, in the section that fits it best.

    Pass: each URL once. Fail: `/pricing` under both `## Products` and `## Optional`.
    """
    seen: dict[str, int] = {}
    for link in llms.links:
        key = link.url.rstrip("/")
        if key in seen:
            yield Problem(f"'{link.url[:80]}' is already listed on line {seen[key]}", link.line)
        else:
            seen[key] = link.line


@file_rule(
    "LT015",
    name="llms-notes-separator",
    title="Link notes not separated by ':'",
    profiles={"1.1.1": "warning", "llmstxt": "warning"},
    source=SOURCES["llmstxt"],
)
def notes_separator(llms: LlmsFile) -> Iterator[Problem]:
    """A link's notes follow it with `-`, `–`, `|` or nothing instead of `: `, or start on the
    next line (`- [name](url)` then `  : notes`, as pkgdown writes them).

    Why it matters: llmstxt.org defines `[name](url): notes`; parsers that follow it read the
    notes as part of the URL line or drop them.

    How to fix: write `- [name](url): notes`.

    Pass: `- [API](https://acme.example/api): REST reference`.
    Fail: `- [API](https://acme.example/api) - REST reference`.
    """
    below = [link for link in llms.links if link.notes_line is not None]
    if len(below) > MAX_LISTED:
        first = below[0]
        yield Problem(
            f"notes of {len(below)} links start on the line after the link (the first, "
            f"'{first.title[:40]}', on line {first.notes_line}): parsers read notes from the "
            "link's own line, after ':'",
            line=first.line,
        )
    else:
        for link in below:
            yield Problem(
                f"notes of '{link.title[:40]}' start on the next line (line {link.notes_line}): "
                "parsers read them from the link's own line, after ':'",
                line=link.line,
            )
    for link in llms.links:
        if link.notes_line is None and link.separator not in (None, ":"):
            shown = repr(link.separator) if link.separator else "nothing"
            yield Problem(
                f"notes of '{link.title[:40]}' are separated by {shown}, not ':'", line=link.line
            )


@file_rule(
    "LT020",
    name="llms-sections-missing",
    title="No H2 sections",
    profiles={"1.1.1": "warning", "llmstxt": None},
    source=SOURCES["1.1.1"],
)
def sections_missing(llms: LlmsFile) -> Iterator[Problem]:
    """The file has no `## ` sections.

    Why it matters: 1.1.1 says the file SHOULD organise its links in H2 sections; without them
    an agent gets a name and a summary and nowhere to go.

    How to fix: add sections such as `## About`, `## Services`, `## Contact` with links.

    Pass: `## Products` with links. Fail: only `# Acme` and a summary.
    """
    if llms.h1s and not llms.sections:
        yield Problem("the file has no `## ` sections", line=llms.h1_line)


@file_rule(
    "LT021",
    name="llms-recommended-sections",
    title="About, Services or Contact section missing",
    profiles={"1.1.1": "notice", "llmstxt": None},
    source=SOURCES["1.1.1"],
)
def recommended_sections(llms: LlmsFile) -> Iterator[Problem]:
    """The 1.1.1 business-identity profile recommends `## About`, `## Services` and
    `## Contact` sections; one or more is missing.

    Why it matters: they answer the questions AI assistants get about a business: who is it,
    what does it offer, how to reach it.

    How to fix: add the missing sections with links to the pages that answer them.

    Pass: About, Services and Contact sections. Fail: only `## Blog`.
    """
    titles = " ".join(s.title.strip().lower() for s in llms.sections)
    missing = [
        name
        for name in RECOMMENDED_SECTIONS
        if not any(word in titles for word in SECTION_SYNONYMS[name])
    ]
    if llms.h1s and llms.sections and missing:
        yield Problem(f"no {', '.join(f'## {m}' for m in missing)} section", line=llms.h1_line)


@file_rule(
    "LT022",
    name="llms-links-missing",
    title="No links at all",
    profiles={"1.1.1": "warning", "llmstxt": "notice"},
    source=SOURCES["both"],
)
def links_missing(llms: LlmsFile) -> Iterator[Problem]:
    """The file has no `[name](url)` link anywhere.

    Why it matters: the links are what llms.txt is for; Chrome Lighthouse fails a file
    without any.

    How to fix: list the site's key pages as `- [name](url): notes` under H2 sections.

    Pass: at least one link. Fail: a title and a summary only.
    """
    if llms.h1s and not llms.links and not re.search(r"\[.+\]\(.+\)", llms.text):
        yield Problem("the file contains no Markdown link", line=llms.h1_line)


@file_rule(
    "LT042",
    name="llms-reference-parser-fails",
    title="The llmstxt.org reference parser cannot read the file",
    profiles={"1.1.1": "notice", "llmstxt": "warning"},
    source=SOURCES["llmstxt"],
)
def reference_parser_fails(llms: LlmsFile) -> Iterator[Problem]:
    """llmstxt.org's own parser (the `llms-txt` Python package, `parse_llms_file`) would raise
    on this file: there is no text after the `# title` (a title-only file, or a title and a
    `>` summary only), or a `##` section holds a line that is not a `- [name](url)` item.

    What "valid" means: a file is valid under a profile when it has no error under that
    profile. The reference parser is stricter than llmstxt.org's prose, so where it fails the
    llmstxt profile says so as a warning (the file stays valid), the 1.1.1 profile as a
    notice; tools built on the parser (llms_txt2ctx, some IDE and agent integrations) still
    cannot read the file.

    Why it matters: agents and tools that read llms.txt with the reference parser get an
    exception instead of your links.

    How to fix: put a line of details or a section of links after the title and summary, and
    keep every line of a `##` section a `- [name](url): notes` item (prose goes between the
    summary and the first section).

    Pass: `# Acme` / `> Tools.` / `## Docs` / `- [Start](https://acme.example/start)`.
    Fail: `# Acme` / `> Tools.` and nothing else.
    """
    problem = reference_parser_problem(llms)
    if problem is not None:
        line, why = problem
        yield Problem(f"the reference parser (llms-txt) would raise here: {why}", line=line)
