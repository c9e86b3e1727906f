"""The terminal: colour by NO_COLOR / FORCE_COLOR / TTY, the status line, crawl progress with
its phase, budget, rate and ETA."""

from __future__ import annotations

import io

import pytest

from geoaudit.crawl.progress import Progress
from geoaudit.terminal import StatusLine, colour_enabled, duration, paint


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("env", "tty", "coloured"),
    [
        ({}, True, True),
        ({}, False, False),
        ({"TERM": "dumb"}, True, False),
        ({"NO_COLOR": "1"}, True, False),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": "0"}, True, False),
        ({"NO_COLOR": ""}, True, True),  # an empty NO_COLOR does not count (no-color.org)
    ],
)
def test_colour_follows_no_color_force_color_and_the_tty(monkeypatch, env, tty, coloured):
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    stream = Tty() if tty else io.StringIO()
    assert colour_enabled(stream) is coloured
    assert (paint("error", "error", stream) == "\x1b[31merror\x1b[0m") is coloured
    assert paint("x", "no such style", stream) == "x"


def test_status_line_rewrites_itself_on_a_terminal_and_logs_plain_lines_elsewhere(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    tty = Tty()
    line = StatusLine(tty)
    line.show("crawl", "1 page", force=True)
    line.show("crawl", "2 pages")  # within half a second: not drawn
    line.show("analysis", "checks", force=True)
    line.done()
    assert tty.getvalue() == "\r\x1b[2Kcrawl: 1 page\r\x1b[2Kanalysis: checks\n"
    log = io.StringIO()
    plain = StatusLine(log)
    plain.show("crawl", "1 page", force=True)
    plain.show("crawl", "2 pages")
    plain.done()
    assert log.getvalue() == "crawl: 1 page\n"
    quiet = io.StringIO()
    StatusLine(quiet, enabled=False).show("crawl", "x", force=True)
    assert quiet.getvalue() == ""


class Stats:
    def __init__(self, **values: int):
        self.values = {k.replace("__", "/"): v for k, v in values.items()}

    def get_value(self, key: str, default: int = 0) -> int:
        return self.values.get(key, default)


class Crawler:
    def __init__(self, stats: Stats):
        self.stats = stats


def progress(budget: int | None = 500, **stats: int) -> Progress:
    ext = Progress(Crawler(Stats(**stats)), io.StringIO(), budget)  # type: ignore[arg-type]
    ext.started -= 10  # ten seconds into the crawl
    return ext


def test_progress_names_the_phase_under_way_robots_then_sitemaps_then_probes():
    """The crawl once said "0 pages, 73 queued" for 10 s while the bots were probed."""
    assert progress().phase() == "robots.txt"
    robots = {"geoaudit__done__robots.txt": 1}
    assert progress(**robots, geoaudit__requested__sitemap=2,
                    geoaudit__done__sitemap=1).phase() == "sitemaps"
    assert progress(**robots, geoaudit__requested__probe=72,
                    geoaudit__done__probe=40).phase() == "probes"
    assert progress(**robots, geoaudit__requested__probe=72,
                    geoaudit__done__probe=72).phase() == "crawl"
    line = progress(**robots, geoaudit__requested__probe=72, geoaudit__done__probe=40).line()
    assert "probes 40/72" in line


def test_progress_counts_against_the_budget_with_rate_and_eta():
    line = progress(500, geoaudit__pages=50, scheduler__enqueued=150,
                    scheduler__dequeued=50, geoaudit__fetch_errors=2).line()
    # 50 done of 150 known (within the budget of 500), at 5 pages/s: 100 more in 20 s.
    assert line == "50/150 pages (budget 500) · 100 queued · 5.0 pages/s · ETA 20s · 2 errors"
    capped = progress(100, geoaudit__pages=50, scheduler__enqueued=1000,
                      scheduler__dequeued=50).line()
    assert capped.startswith("50/100 pages (budget 100) · 950 queued") and "ETA 10s" in capped
    finished = progress(500, geoaudit__pages=16).line()
    assert finished.startswith("16 pages (budget 500) · 0 queued") and "ETA" not in finished


def test_durations_read_as_a_person_would_say_them():
    assert [duration(s) for s in (4.4, 75, 3725)] == ["4s", "1m15s", "1h02m"]
