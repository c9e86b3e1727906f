"""Same crawl, same outputs: check that a refactoring changes no report byte.

    python -m benchmarks.outputs crawl SITE_DIR SITE_URL CRAWL_DIR [--max-pages N]
    python -m benchmarks.outputs analyse CRAWL_DIR OUT_DIR
    python -m benchmarks.outputs compare REF_DIR OUT_DIR

`crawl` serves a folder on 127.0.0.1, crawls it once into CRAWL_DIR and keeps the store and the
crawl's stats. `analyse` copies that crawl and runs the analysis on it (every format) with fixed
clock values, so two code versions can be compared on the very same pages; report.json's
`cpu_s` (CPU seconds, which vary) is blanked. `compare` cmp's the outputs of two analyses and
exits 1 when one differs. Typical use: crawl once, analyse into `ref` before the change and into
`new` after it, compare.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import re
import shutil
import sys
from pathlib import Path

from geoaudit.audit import analyse
from geoaudit.crawl.runner import CrawlResult, run_crawl
from geoaudit.devserver import serve_directory
from geoaudit.options import AuditOptions
from geoaudit.report.formats import FORMATS, reporter

STATE = "outputs-crawl.json"
CLOCK = ("2026-12-01T00:00:00+00:00", "2026-12-01T00:01:00+00:00", 60.0)


def outputs() -> list[str]:
    return [reporter(name).FILENAME for name in FORMATS] + ["llms.txt", "llms-full.txt"]


def crawl(site: Path, site_url: str, out: Path, max_pages: int) -> None:
    with serve_directory(site) as base:
        options = AuditOptions(
            start_url=f"{base}/", site_url=site_url, out_dir=out, quiet=True,
            max_pages=max_pages, concurrency=16,
        )
        result = run_crawl(options)
    stats = {k: v for k, v in result.stats.items() if isinstance(v, int | float | str)}
    state = {"stats": stats, "start_url": options.start_url, "site_url": site_url,
             "max_pages": max_pages}
    (out / STATE).write_text(json.dumps(state), encoding="utf-8")


def analyse_copy(crawled: Path, out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(crawled, out)
    state = json.loads((crawled / STATE).read_text(encoding="utf-8"))
    options = AuditOptions(
        start_url=state["start_url"], site_url=state["site_url"], out_dir=out, quiet=True,
        max_pages=state["max_pages"], concurrency=16, formats=FORMATS,
    )
    analyse(options, CrawlResult(state["stats"]), *CLOCK)
    report = out / "report.json"
    text = report.read_text(encoding="utf-8")
    report.write_text(re.sub(r'"cpu_s": \{[^}]*\}', '"cpu_s": {}', text, flags=re.S), "utf-8")


def compare(ref: Path, new: Path) -> bool:
    same = True
    for name in outputs():
        equal = filecmp.cmp(ref / name, new / name, shallow=False)
        same &= equal
        print(f"{'same' if equal else 'DIFF'} {name}")
    return same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("crawl")
    c.add_argument("site", type=Path)
    c.add_argument("site_url")
    c.add_argument("out", type=Path)
    c.add_argument("--max-pages", type=int, default=500)
    a = sub.add_parser("analyse")
    a.add_argument("crawled", type=Path)
    a.add_argument("out", type=Path)
    m = sub.add_parser("compare")
    m.add_argument("ref", type=Path)
    m.add_argument("new", type=Path)
    args = parser.parse_args()
    if args.command == "crawl":
        crawl(args.site, args.site_url, args.out, args.max_pages)
    elif args.command == "analyse":
        analyse_copy(args.crawled, args.out)
    else:
        return 0 if compare(args.ref, args.new) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
