"""Site text made safe for each output it lands in. The audited site writes titles, robots.txt
lines, llms.txt lines and JSON-LD values; none of it may act as a terminal command, a
spreadsheet formula or broken XML.

- terminal: C0 and C1 control characters (ESC sequences, bell, carriage return), DEL, bidi
  overrides and lone surrogates become visible escapes (`\\x1b`, `\\u202e`); newline and tab stay.
- JSON printed to a terminal: the same characters as JSON `\\u` escapes, so the JSON stays valid.
- CSV: a cell that starts with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`
  (OWASP's advice against CSV injection), so spreadsheets show it as text.
- XML 1.0: characters XML 1.0 cannot carry become visible escapes.
- one-line messages: a run of site text longer than `CLIP_AT` characters (a 100,000-character
  URL) is cut with a note of its length, so an error stays one readable line.
- Markdown (the generated llms.txt): inline text on one line with no control characters and
  no raw HTML (`<` escaped); text that starts a line cannot start a heading, quote or list;
  link targets are http(s), mailto or tel URLs with `(`, `)`, `<`, `>`, spaces and controls
  percent-encoded, so site text cannot add headings, sections or links.
"""

from __future__ import annotations

import re

_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_URL_UNSAFE = re.compile("[\x00-\x20\x7f-\x9f()<>\"\\\\`]")
_LINE_START_MARKUP = re.compile(r"^(#|>|[-+*=]|\d+[.)])")
LINK_SCHEMES = ("http", "https", "mailto", "tel")
CLIP_AT = 300
_LONG_RUN = re.compile(rf"\S{{{CLIP_AT + 1},}}")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_text(text: str) -> str:
    """`text` with every character that could drive a terminal shown as an escape."""
    return _TERMINAL_UNSAFE.sub(_visible, text)


def clipped(text: str) -> str:
    """`text` with each run of non-space characters over `CLIP_AT` cut short, its length said."""
    return _LONG_RUN.sub(lambda m: f"{m.group()[:CLIP_AT]}…({len(m.group()):,} characters)", text)


def terminal_json(text: str) -> str:
    """JSON text (from json.dumps) with terminal-driving characters as JSON escapes."""
    return _TERMINAL_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def csv_cell(value: object) -> object:
    """A CSV cell that no spreadsheet runs as a formula."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_STARTS):
        return "'" + value
    return value


def xml_text(text: str) -> str:
    """`text` with the characters XML 1.0 forbids shown as escapes."""
    return _XML_INVALID.sub(_visible, text)


def markdown_inline(text: str) -> str:
    """Site text for one line of Markdown: controls dropped, whitespace (newlines included)
    collapsed to single spaces, `<`, `[` and `]` escaped so no raw HTML or link survives."""
    cleaned = " ".join(_TERMINAL_UNSAFE.sub(" ", text).split())
    return cleaned.replace("<", "\\<").replace("[", "\\[").replace("]", "\\]")


def markdown_text(text: str) -> str:
    """Markdown made from a page (llms-full.txt): its control characters dropped, its lines
    kept."""
    return _TERMINAL_UNSAFE.sub("", text)


def markdown_paragraph(text: str) -> str:
    """Site text as a paragraph of its own: inline text that cannot open a heading, a quote
    or a list."""
    inline = markdown_inline(text)
    return "\\" + inline if _LINE_START_MARKUP.match(inline) else inline


def markdown_url(url: str) -> str | None:
    """A link target for Markdown, or None for a scheme a link must not carry
    (javascript:, data:, file:...)."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in LINK_SCHEMES:
        return None
    return _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url)
