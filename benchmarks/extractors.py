"""Benchmark: geoaudit's main-content and date extraction against the well-kept extractors of
the field, on hand-labelled pages of the real-site corpus (../shared/realsites).

    python -m benchmarks.extractors [--repeat 3]

Needs the extractors, which geoaudit itself does not install:

    pip install trafilatura justext htmldate && pip install --no-deps readability-lxml chardet

(pip's resolver fails on readability-lxml's `lxml[html-clean]` next to trafilatura's; with
`--no-deps` it installs, and works with cssselect 1.6.)

Labels (`benchmarks/labels/main_content/SITE.json`, made by hand from the pages' files): per
page, three snippets of its main text (start, middle, end) an extractor must keep, three of
its navigation, header, footer or sidebar it must drop (fewer where the page's HTML has no
more), and the publication and update dates the page states. Main content scores are the
share of all body snippets kept and of all boilerplate snippets dropped; dates, the share of
pages whose labelled date an extractor finds (a page stating none counts when the extractor
returns none). Times are per page, parse included, the median of `--repeat` runs; geoaudit's
date time is its whole page extraction, of which dates are a part.
"""

from __future__ import annotations

import argparse
import html
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from benchmarks.corpus import REALSITES
from geoaudit.extract import build_page
from geoaudit.extract.content import main_region, text_blocks
from geoaudit.extract.dates import best_date
from geoaudit.extract.page import parse_html
from geoaudit.models import FetchRecord

T = TypeVar("T")
LABELS = Path(__file__).resolve().parent / "labels" / "main_content"


def normal(text: str) -> str:
    return " ".join(html.unescape(text).split())


def geoaudit_main(body: bytes) -> str:
    doc = parse_html(body, "utf-8")
    region, _ = main_region(doc)
    return " ".join(b.text for b in text_blocks(region))


def trafilatura_main(body: bytes) -> str:
    import trafilatura

    return trafilatura.extract(body.decode("utf-8", "replace")) or ""


def readability_main(body: bytes) -> str:
    from lxml import html as lxml_html
    from readability import Document

    summary = Document(body.decode("utf-8", "replace")).summary(html_partial=True)
    return lxml_html.fromstring(summary).text_content() if summary.strip() else ""


def justext_main(body: bytes) -> str:
    import justext

    paragraphs = justext.justext(body, justext.get_stoplist("English"))
    return " ".join(p.text for p in paragraphs if not p.is_boilerplate)


MAIN: dict[str, Callable[[bytes], str]] = {
    "geoaudit": geoaudit_main,
    "trafilatura": trafilatura_main,
    "readability-lxml": readability_main,
    "jusText": justext_main,
}


def geoaudit_dates(body: bytes, url: str) -> tuple[str | None, str | None]:
    fetch = FetchRecord(url=url, requested_url=url, status=200, content_type="text/html")
    page = build_page(fetch, body, "utf-8")
    published, modified = best_date(page.dates, "published"), best_date(page.dates, "modified")
    return (
        published.iso[:10] if published and published.iso else None,
        modified.iso[:10] if modified and modified.iso else None,
    )


def htmldate_dates(body: bytes, url: str) -> tuple[str | None, str | None]:
    from htmldate import find_date

    text = body.decode("utf-8", "replace")
    return (
        find_date(text, original_date=True, extensive_search=True, url=url),
        find_date(text, original_date=False, extensive_search=True, url=url),
    )


DATES: dict[str, Callable[[bytes, str], tuple[str | None, str | None]]] = {
    "geoaudit": geoaudit_dates,
    "htmldate": htmldate_dates,
}


@dataclass
class Tally:
    kept: list[bool] = field(default_factory=list)
    dropped: list[bool] = field(default_factory=list)
    ms: list[float] = field(default_factory=list)


@dataclass
class DateTally:
    published: list[bool] = field(default_factory=list)
    updated: list[bool] = field(default_factory=list)
    ms: list[float] = field(default_factory=list)


def timed(repeat: int, run: Callable[..., T], *args: object) -> tuple[T, float]:
    """`run(*args)`'s result and its median time in milliseconds over `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run(*args)
        times.append((time.perf_counter() - start) * 1000)
    return result, statistics.median(times)


def labelled_pages() -> list[tuple[str, dict]]:
    pages = []
    for path in sorted(LABELS.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        pages += [(data["site"], page) for page in data["pages"]]
    return pages


def site_url(site: str) -> str:
    return json.loads((REALSITES / f"{site}.json").read_text("utf-8"))["site_url"]


def run(repeat: int) -> tuple[dict[str, Tally], dict[str, DateTally], int]:
    main = {name: Tally() for name in MAIN}
    dates = {name: DateTally() for name in DATES}
    pages = labelled_pages()
    for site, page in pages:
        body = (REALSITES / site / page["file"]).read_bytes()
        url = site_url(site) + page["path"]
        for name, extract in MAIN.items():
            text, ms = timed(repeat, extract, body)
            found = normal(text)
            tally = main[name]
            tally.kept += [normal(s) in found for s in page["body"]]
            tally.dropped += [normal(s) not in found for s in page["boilerplate"]]
            tally.ms.append(ms)
        for name, extract_dates in DATES.items():
            (published, updated), ms = timed(repeat, extract_dates, body, url)
            tally_d = dates[name]
            tally_d.published.append(published == page.get("published"))
            tally_d.updated.append(updated == (page.get("updated") or page.get("published")))
            tally_d.ms.append(ms)
    return main, dates, len(pages)


def _share(values: list[bool]) -> str:
    return f"{sum(values) / len(values):.0%}" if values else "-"


def tables(main: dict[str, Tally], dates: dict[str, DateTally], pages: int) -> list[str]:
    lines = [
        f"Main content, {pages} labelled pages of 9 real sites:",
        "",
        "| extractor | body kept | boilerplate dropped | ms/page (median) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, t in main.items():
        lines.append(
            f"| {name} | {_share(t.kept)} | {_share(t.dropped)} | "
            f"{statistics.median(t.ms):.1f} |"
        )
    lines += [
        "",
        "Dates (the labelled date found; the update date is the publication date when the page "
        "states no update):",
        "",
        "| extractor | published | updated | ms/page (median) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, d in dates.items():
        lines.append(
            f"| {name} | {_share(d.published)} | {_share(d.updated)} | "
            f"{statistics.median(d.ms):.1f} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.extractors")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if not REALSITES.is_dir():
        print(f"benchmarks.extractors: {REALSITES} is not there", file=sys.stderr)
        return 2
    try:
        main_t, dates_t, pages = run(args.repeat)
    except ImportError as exc:
        print(f"benchmarks.extractors: {exc}; see the module's docs to install", file=sys.stderr)
        return 2
    print("\n".join(tables(main_t, dates_t, pages)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

