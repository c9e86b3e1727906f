"""A tolerant parser of llms.txt (llmstxt.org) into a model with line numbers.

It never raises: whatever the text, it returns an `LlmsFile` whose parts say what was found
where. Validation rules (geoaudit/rules/llms_txt/) judge the model.

Accepted beyond the strict format, because real files do it: a byte-order mark, CRLF line ends,
`-`, `*` and `+` bullets, notes wrapped onto indented continuation lines, parentheses inside
URLs (`[x](https://en.wikipedia.org/wiki/Foo_(bar))`), HTML comments, headings inside fenced code
(ignored as headings).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

_HEADING = re.compile(r"^(#{1,6})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$")
_BULLET = re.compile(r"^[ \t]*([-*+])[ \t]+(.*)$")
_BARE_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\[\]]+", re.IGNORECASE)
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_HTML_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)?/?>")
_COMMENT_START, _COMMENT_END = "<!--", "-->"
_OTHER_SEPARATOR = re.compile(r"^\s*(-|–|—|\|)\s+\S")


@dataclass
class LlmsLink:
    title: str
    url: str
    line: int
    notes: str | None = None
    separator: str | None = None
    notes_line: int | None = None  # where notes start on a line of their own, after the link


@dataclass
class LlmsSection:
    title: str
    line: int
    links: list[LlmsLink] = field(default_factory=list)
    prose: list[tuple[int, str]] = field(default_factory=list)
    bare_urls: list[tuple[int, str]] = field(default_factory=list)
    malformed: list[tuple[int, str]] = field(default_factory=list)
    # Parsing state, not part of the model: the last line of a malformed item whose link is
    # still open (`- [Audio data` wrapped onto the next line); an indented line right after it
    # continues that item, not prose.
    open_link_line: int | None = field(default=None, repr=False, compare=False)


@dataclass
class LlmsFile:
    text: str
    bom: bool = False
    crlf: bool = False
    h1: str | None = None
    h1_line: int | None = None
    h1s: list[tuple[int, str]] = field(default_factory=list)
    summary: str | None = None
    summary_line: int | None = None
    first_line: int | None = None
    before_h1: list[tuple[int, str]] = field(default_factory=list)
    details: list[tuple[int, str]] = field(default_factory=list)
    late_quotes: list[tuple[int, str]] = field(default_factory=list)
    headings: list[tuple[int, int, str]] = field(default_factory=list)
    sections: list[LlmsSection] = field(default_factory=list)
    html: list[tuple[int, str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    @property
    def links(self) -> list[LlmsLink]:
        return [link for section in self.sections for link in section.links]


def parse_link(text: str) -> tuple[str, str, str] | None:
    """(title, url, rest) of a `[title](url)rest` item; None if it is not a well-formed link.
    Parentheses inside the URL must balance, as in CommonMark."""
    if not text.startswith("["):
        return None
    close = text.find("](")
    if close < 1:
        return None
    depth, i = 1, close + 2
    while i < len(text):
        char = text[i]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                break
        elif char in " \t":
            return None
        i += 1
    if depth != 0:
        return None
    url = text[close + 2 : i].strip("<>")
    return text[1:close], url, text[i + 1 :]


def _strip_comments(lines: list[str]) -> tuple[list[str], list[tuple[int, str]]]:
    """Lines with HTML comments blanked out, and where the comments were."""
    out, found, inside = [], [], False
    for number, line in enumerate(lines, start=1):
        kept, rest = "", line
        while rest:
            if inside:
                end = rest.find(_COMMENT_END)
                if end < 0:
                    rest = ""
                    break
                rest, inside = rest[end + len(_COMMENT_END) :], False
            else:
                start = rest.find(_COMMENT_START)
                if start < 0:
                    kept += rest
                    break
                found.append((number, "<!-- comment -->"))
                kept += rest[:start]
                rest, inside = rest[start + len(_COMMENT_START) :], True
        out.append(kept)
    return out, found


def parse_llms(text: str) -> LlmsFile:
    parsed = LlmsFile(text=text)
    if text.startswith("\ufeff"):
        parsed.bom, text = True, text[1:]
    parsed.crlf = "\r\n" in text
    raw_lines = re.split(r"\r\n|\r|\n", text)
    parsed.lines = raw_lines
    lines, parsed.html = _strip_comments(raw_lines)

    section: LlmsSection | None = None
    seen_h1 = quote_open = in_fence = False
    last_item: LlmsLink | None = None
    for number, line in enumerate(lines, start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
            last_item = None
            continue
        if in_fence:
            continue
        stripped = line.strip()
        if not stripped:
            last_item, quote_open = None, False
            continue
        if parsed.first_line is None:
            parsed.first_line = number
        for match in _HTML_TAG.finditer(stripped):
            parsed.html.append((number, match.group(0)[:60]))
        heading = _HEADING.match(stripped)
        if heading:
            level, title = len(heading.group(1)), (heading.group(2) or "").strip()
            parsed.headings.append((number, level, title))
            last_item = None
            if level == 1:
                parsed.h1s.append((number, title))
                if not seen_h1:
                    seen_h1, parsed.h1, parsed.h1_line = True, title, number
                continue
            if not seen_h1:
                parsed.before_h1.append((number, stripped))
            elif level == 2:
                section = LlmsSection(title=title, line=number)
                parsed.sections.append(section)
            continue
        if not seen_h1:
            parsed.before_h1.append((number, stripped))
            continue
        if section is None:
            quote_open = _preamble(parsed, number, stripped, quote_open)
            continue
        last_item = _section_line(section, number, line, stripped, last_item)
    return parsed


def _preamble(parsed: LlmsFile, number: int, stripped: str, quote_open: bool) -> bool:
    """File a line between the H1 and the first H2 (summary, late quote or details); returns
    whether a blockquote is still open for the next line."""
    if not stripped.startswith(">"):
        parsed.details.append((number, stripped))
        return False
    quote = stripped.lstrip(">").strip()
    if parsed.summary is None and not parsed.details and not parsed.late_quotes:
        parsed.summary, parsed.summary_line = quote, number
    elif quote_open and not parsed.details and not parsed.late_quotes:
        parsed.summary = f"{parsed.summary} {quote}".strip()
    else:
        parsed.late_quotes.append((number, quote))
    return True


def _section_line(
    section: LlmsSection, number: int, line: str, stripped: str, last_item: LlmsLink | None
) -> LlmsLink | None:
    """File one line of an H2 section; returns the link item that a wrapped line may continue."""
    bullet = _BULLET.match(line)
    indented = line[:1] in " \t"
    if bullet is None:
        if last_item is not None and indented:
            if last_item.notes is None and stripped.startswith(":"):
                last_item.separator, last_item.notes_line = ":", number
                last_item.notes = stripped[1:].strip() or None
            else:
                last_item.notes = f"{last_item.notes or ''} {stripped}".strip()
            return last_item
        if indented and section.open_link_line == number - 1:
            start, text = section.malformed[-1]
            section.malformed[-1] = (start, f"{text}\n{stripped}")
            section.open_link_line = number if _link_open(section.malformed[-1][1]) else None
            return None
        if _BARE_URL.fullmatch(stripped):
            section.bare_urls.append((number, stripped))
        else:
            section.prose.append((number, stripped))
        return None
    item = bullet.group(2).strip()
    link = parse_link(item)
    if link is None:
        if "](" in item or item.startswith("["):
            section.malformed.append((number, item))
            if _link_open(item):
                section.open_link_line = number
        elif _BARE_URL.search(item):
            section.bare_urls.append((number, item))
        else:
            section.prose.append((number, item))
        return None
    title, url, rest = link
    rest = "".join(c for c in rest if unicodedata.category(c) not in INVISIBLE_CATEGORIES)
    parsed_link = LlmsLink(title=title.strip(), url=url, line=number)
    if rest.strip().startswith(":"):
        parsed_link.separator = ":"
        parsed_link.notes = rest.strip()[1:].strip() or None
    elif _OTHER_SEPARATOR.match(rest):
        parsed_link.separator = rest.strip()[0]
        parsed_link.notes = rest.strip()[1:].strip()
    elif rest.strip():
        parsed_link.separator = ""
        parsed_link.notes = rest.strip()
    section.links.append(parsed_link)
    return parsed_link


def _link_open(text: str) -> bool:
    """A link's title still open: more `[` than `]` so far."""
    return text.count("[") > text.count("]")


INVISIBLE_CATEGORIES = {"Cf", "Co", "Cn"}
ALLOWED_FORMAT = {"\ufeff"}  # a leading BOM is handled separately


def invisible_characters(text: str) -> list[tuple[int, str]]:
    """(line, description) of invisible characters: tag characters, zero-width and bidi
    controls, private use. They hide instructions from human readers."""
    found = []
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff")), 1):
        for char in line:
            if unicodedata.category(char) in INVISIBLE_CATEGORIES and char not in ALLOWED_FORMAT:
                name = unicodedata.name(char, f"U+{ord(char):04X}")
                found.append((number, f"U+{ord(char):04X} {name}"))
    return found


# JavaScript's regular-expression classes, which Lighthouse's tests are written in: `\s` takes
# the BOM and no \x1c-\x1f or \x85 (Python's does the opposite), and `.` and a multiline `^`
# stop at \r, U+2028 and U+2029 as well as at \n.
_JS_SPACE = "[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
_JS_DOT = "[^\n\r\u2028\u2029]"
_JS_LINE_START = "(?:^|(?<=[\n\r\u2028\u2029]))"
# Lighthouse 13.5 core/audits/agentic/llms-txt.js: /^\s*#\s+.+/m and /\[.+\]\(.+\)/.
LIGHTHOUSE_H1 = re.compile(f"{_JS_LINE_START}{_JS_SPACE}*#{_JS_SPACE}+{_JS_DOT}+")
LIGHTHOUSE_LINK = re.compile(f"\\[{_JS_DOT}+\\]\\({_JS_DOT}+\\)")


def lighthouse_verdict(status: int | None, text: str) -> tuple[str, str]:
    """Chrome Lighthouse 13.5's `llms-txt` audit, reproduced: (pass|fail|not_applicable|error,
    reason). No status (no answer, or 0) fails; 5xx fails; 4xx is not applicable; a 3xx that
    was not followed leaves no content, on which Lighthouse stops with an error. Its patterns
    are JavaScript's (leading whitespace or a BOM before the `#` is allowed; a bare \r ends a
    line) and its length test counts UTF-16 code units."""
    if not status:
        return "fail", "fetch of llms.txt failed"
    if status >= 500:
        return "fail", f"failed with HTTP status {status}"
    if status >= 400:
        return "not_applicable", f"llms.txt answered {status}"
    if 300 <= status < 400:
        return "error", f"the audit stops: status {status} was valid, but content was null"
    problems = []
    if not LIGHTHOUSE_H1.search(text):
        problems.append('file is missing a required H1 header (e.g., "# Title")')
    if not LIGHTHOUSE_LINK.search(text):
        problems.append("file does not appear to contain any links")
    if len(text.encode("utf-16-le")) // 2 < 50:
        problems.append("file is suspiciously short")
    return ("fail", "; ".join(problems)) if problems else ("pass", "H1, links and length found")


# The name under which the crawl stores the Markdown versions of pages llms.txt links to.
MD_TWIN_NAME = "md-twin"


# A link to one of these is a Markdown (or plain text) document already: its own Markdown version.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx", ".txt")


def md_twin_url(url: str) -> str:
    """Where llmstxt.org puts a page's Markdown version: URL + `.md`, `index.html.md` for
    directory URLs; a link to a Markdown or text file is its own (LT035 once looked for
    `guide.md.md`)."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if path.lower().endswith(MARKDOWN_SUFFIXES):
        return parts._replace(fragment="").geturl()
    twin = f"{path}index.html.md" if path.endswith("/") else f"{path}.md"
    return parts._replace(path=twin, query="", fragment="").geturl()


def start_directory(start_url: str) -> str:
    """The folder of the start URL's path: "/" for most sites, "/project/" for a site under a
    path. llmstxt.org places llms.txt "in the root path of a website (or, optionally, in a
    subpath)", so a site under a path keeps its llms.txt (and its sitemap) there. A last
    segment without a dot is a folder: /project and /project/ are both /project/."""
    path = urlsplit(start_url).path or "/"
    head, _, last = path.rpartition("/")
    return f"{head}/" if "." in last else f"{head}/{last}/".replace("//", "/")


def site_file_paths(start_url: str, name: str) -> list[str]:
    """Where a site file is looked for, in order: next to the start URL's path, then the root."""
    return list(dict.fromkeys((start_directory(start_url) + name, "/" + name)))


# How the llmstxt.org reference parser (the `llms-txt` package, llms_txt.parse_llms_file) reads
# a file, as far as whether it can: the text before the first `##` line, stripped, must hold
# `# title`, a line break, an optional `> summary` line, and a line break followed by more
# text; every non-blank line of a `##` section must hold a `- [name](url)` link. Where not, it
# raises (a title-only file, a file of a title and a summary only).
_REF_SECTION = re.compile(r"^##\s*.*?$", re.MULTILINE)
_REF_START = re.compile(r"^#\s*.+?$\n+(?:^>\s*.+?$)?\n+", re.MULTILINE | re.DOTALL)
_REF_LINK = re.compile(r"-\s*\[[^\]]+\]\([^)]+\)")


def reference_parser_problem(llms: LlmsFile) -> tuple[int, str] | None:
    """(line, why) when the llmstxt.org reference parser would raise on the file, else None."""
    text = llms.text
    first = _REF_SECTION.search(text)
    start = text[: first.start()] if first else text
    if not _REF_START.search(start.strip()):
        return (
            llms.h1_line or llms.first_line or 1,
            "no `# title` line with more text after it (a summary alone is not enough)",
        )
    for heading in _REF_SECTION.finditer(text):
        end = _REF_SECTION.search(text, heading.end())
        body = text[heading.end() : end.start() if end else len(text)]
        base = text.count("\n", 0, heading.end()) + 1
        for offset, item in enumerate(body.split("\n")):
            if item.strip() and not _REF_LINK.search(item):
                return base + offset, f"not a `- [name](url)` link item: {item.strip()[:80]!r}"
    return None
