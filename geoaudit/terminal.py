"""What geoaudit writes to a terminal beyond plain lines: colour and one updating status line.

Colour follows the conventions of no-color.org and force-color.org: `NO_COLOR` (any non-empty
value) turns it off, `FORCE_COLOR` (non-empty, not `0`) turns it on where no terminal is, and
otherwise a stream gets colour when it is a terminal whose TERM is not `dumb`.

The status line is hand-written rather than taken from rich or tqdm: it is one line rewritten in
place (`\\r` and erase-line) at most twice a second on a terminal, every 5 s as a plain line in a
log. Both libraries draw from a thread of their own, which would race the Twisted reactor's
signal handling that a double Ctrl-C relies on (issue 16), and rich would add three
dependencies for this one line.
"""

from __future__ import annotations

import os
import time
from typing import TextIO

STYLES = {
    "error": "31",
    "poor": "31",
    "warning": "33",
    "fair": "33",
    "notice": "2",
    "na": "2",
    "good": "32",
    "bold": "1",
    "dim": "2",
}


def colour_enabled(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR")
    if force:
        return force != "0"
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def paint(text: str, style: str, stream: TextIO) -> str:
    """`text` in the colour of `style` (a severity, a grade, bold or dim) when `stream` takes
    colour; unchanged otherwise."""
    code = STYLES.get(style)
    if code is None or not colour_enabled(stream):
        return text
    return f"\x1b[{code}m{text}\x1b[0m"


def grade(score: int | None) -> str:
    """A 0-100 score's band, as the report's gauges and the terminal colour it: good from 90,
    fair from 50, poor below; `na` without a score."""
    if score is None:
        return "na"
    return "good" if score >= 90 else "fair" if score >= 50 else "poor"


def duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class StatusLine:
    """One line of progress on `stream`, prefixed with its phase: rewritten in place on a
    terminal, a plain line at most every `log_interval` seconds otherwise."""

    def __init__(self, stream: TextIO, enabled: bool = True, log_interval: float = 5.0):
        self.stream = stream
        self.enabled = enabled
        isatty = getattr(stream, "isatty", None)
        self.tty = bool(isatty and isatty())
        self.interval = 0.5 if self.tty else log_interval
        self.last = 0.0
        self.open = False

    def show(self, phase: str, text: str, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.last < self.interval:
            return
        self.last = now
        line = f"{paint(phase, 'bold', self.stream)}: {text}"
        if self.tty:
            self.stream.write(f"\r\x1b[2K{line}")
            self.open = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def done(self) -> None:
        """End the line being rewritten, so what follows starts on a line of its own."""
        if self.enabled and self.open:
            self.stream.write("\n")
            self.stream.flush()
            self.open = False
