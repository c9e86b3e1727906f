"""Site text made safe for each output it lands in. The audited site writes titles, robots.txt
lines, llms.txt lines and JSON-LD values; none of it may act as a terminal command, a
spreadsheet formula or broken XML.

- terminal: C0 and C1 control characters (ESC sequences, bell, carriage return), DEL, bidi
  overrides and lone surrogates become visible escapes (`\\x1b`, `\\u202e`); newline and tab stay.
- JSON printed to a terminal: the same characters as JSON `\\u` escapes, so the JSON stays valid.
- CSV: a cell that starts with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`
  (OWASP's advice against CSV injection), so spreadsheets show it as text.
- XML 1.0: characters XML 1.0 cannot carry become visible escapes.
"""

from __future__ import annotations

import re

_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_text(text: str) -> str:
    """`text` with every character that could drive a terminal shown as an escape."""
    return _TERMINAL_UNSAFE.sub(_visible, text)


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
