"""Benchmark: a full `geoaudit audit` against the floor, a bare Scrapy spider that only follows
links, on the same generated site served from 127.0.0.1. Prints a results table and writes it
to BENCHMARKS.md with the machine it ran on.

    python -m benchmarks.run --pages 3000

Each crawl runs in its own process tree; wall time and CPU time (the process and the workers
it waited for) come from os.wait4, peak memory from sampling the tree every 100 ms: the sum of
each process's proportional set size (/proc/PID/smaps_rollup), so the pages forked extraction
workers share with the crawl's process count once, not once per process. The audit's CPU per
stage comes from report.json (`stats.cpu_s`); `report` is the CPU the process spent after the
analysis (rendering the reports, exiting). Floor and audit run in pairs (`--repeat`, default
3); the ratio is the median of the pairs'. Each page count has its own block in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from benchmarks.sitegen import ORIGIN, generate
from geoaudit.devserver import serve_directory

REPO = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.5
# Peak RSS targets of issue 8: 400 MB up to 3,000 pages, 1 GB up to 100,000.
TARGET_RSS_MB = ((3_000, 400), (100_000, 1024))


@dataclass
class Run:
    wall_s: float
    cpu_s: float
    peak_mb: float
    stdout: str


def tree_pss_mb(pid: int) -> float:
    """Proportional set size of a process and all its descendants, in MB (0 once gone)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += next(
            (int(ln.split()[1]) for ln in rollup.splitlines() if ln.startswith("Pss:")), 0
        )
        todo.extend(int(c) for c in children)
    return total / 1024


def measure(argv: list[str], cwd: Path) -> Run:
    started = time.monotonic()
    peak = 0.0
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, tree_pss_mb(proc.pid))
            time.sleep(0.1)
        wall = time.monotonic() - started
        out.seek(0)
        text = out.read()
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{argv[2]} failed with status {status}")
    return Run(wall, usage.ru_utime + usage.ru_stime, peak, text)


def server_rate(base: str, paths: list[str], workers: int) -> float:
    """Pages per second the server answers to `workers` parallel clients: it must be far above
    the crawl rates for the benchmark to measure the crawler."""

    def get(path: str) -> int:
        with urllib.request.urlopen(base + path) as response:
            return len(response.read())

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        list(pool.map(get, paths))
    return len(paths) / (time.monotonic() - started)


def machine() -> str:
    cpus = os.cpu_count()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next(
            (
                ln.split(":", 1)[1].strip()
                for ln in cpuinfo.read_text().splitlines()
                if ln.startswith("model name")
            ),
            "",
        )
    return (
        f"{platform.system()} {platform.machine()}, {cpus} cores ({model}), {mem:.0f} GiB, "
        f"Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--write", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="pairs of runs (floor, then audit); the ratio is the median of the pairs' ratios",
    )
    args = parser.parse_args()

    pairs: list[tuple[Run, Run, dict]] = []
    with tempfile.TemporaryDirectory(prefix="geoaudit-bench-") as tmp:
        work = Path(tmp)
        count = generate(args.pages, work / "site")
        paths = ["/"] + [
            p.relative_to(work / "site").as_posix() for p in (work / "site").rglob("*.html")
        ]
        paths = ["/" + p.lstrip("/") for p in paths]
        with serve_directory(work / "site") as base:
            served = server_rate(base, paths[:2000], args.concurrency)
            for n in range(args.repeat):
                # Floor and audit run back to back, so that both see the same machine: a
                # shared virtual machine's speed drifts by tens of percent within minutes.
                floor = measure(
                    [sys.executable, "-m", "benchmarks.floor", f"{base}/", str(args.concurrency)],
                    REPO,
                )
                out = work / f"out-{n}"
                audit = measure(
                    [
                        sys.executable,
                        "-m",
                        "geoaudit.cli",
                        "audit",
                        f"{base}/",
                        "--site-url",
                        ORIGIN,
                        "--max-pages",
                        str(count + 100),
                        "--concurrency",
                        str(args.concurrency),
                        "-q",
                        "-o",
                        str(out),
                    ],
                    work,
                )
                pairs.append((floor, audit, json.loads((out / "report.json").read_text())))
                shutil.rmtree(out)
    ratios = [audit.wall_s / floor.wall_s for floor, audit, _ in pairs]
    floor, audit, report = pairs[sorted(range(len(pairs)), key=ratios.__getitem__)[len(pairs) // 2]]
    ratio = statistics.median(ratios)
    pages = report["stats"]["pages_crawled"]
    stages = dict(report["stats"]["cpu_s"])
    analysed = stages.pop("total")
    stages["report"] = round(audit.cpu_s - analysed, 2)
    rows = [
        ("floor: bare Scrapy, links only", int(floor.stdout.split()[-1]), floor),
        ("geoaudit audit, everything on", pages, audit),
    ]
    lines = [
        f"Machine: {machine()}. Site: `python -m benchmarks.sitegen {args.pages}` "
        f"({count} pages), served from 127.0.0.1 at {served:.0f} pages/s to "
        f"{args.concurrency} parallel clients. Both crawls at concurrency {args.concurrency}. "
        f"Command: `python -m benchmarks.run --pages {args.pages} --repeat {args.repeat}`.\n",
        "Every pair, floor then audit:",
        "",
        "| pair | floor wall s | audit wall s | ratio | audit crawl s | after the crawl s |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n, (f, a, r) in enumerate(pairs, 1):
        crawl = r["stats"]["duration_s"]
        lines.append(
            f"| {n} | {f.wall_s:.1f} | {a.wall_s:.1f} | {a.wall_s / f.wall_s:.2f} | "
            f"{crawl:.1f} | {a.wall_s - crawl:.1f} |"
        )
    lines += [
        "",
        "The median pair:",
        "",
        "| run | pages | wall s | pages/s | CPU s | CPU ms/page | peak memory MB (PSS) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, n, run in rows:
        lines.append(
            f"| {name} | {n} | {run.wall_s:.1f} | {n / run.wall_s:.1f} | {run.cpu_s:.1f} | "
            f"{1000 * run.cpu_s / max(n, 1):.1f} | {run.peak_mb:.0f} |"
        )
    crawl_s = report["stats"]["duration_s"]
    peak = max(a.peak_mb for _, a, _ in pairs)
    rss_target = next((mb for n, mb in TARGET_RSS_MB if args.pages <= n), TARGET_RSS_MB[-1][1])
    lines += [
        "",
        f"Ratio of the audit's wall time to the floor's, median of {len(pairs)}: "
        f"**{ratio:.2f}x** (target {TARGET_RATIO}x: "
        f"{'met' if ratio <= TARGET_RATIO else 'not met'}); in the median pair the crawl took "
        f"{crawl_s:.1f} s ({crawl_s / floor.wall_s:.2f}x the floor), the analysis and reports "
        f"after it {audit.wall_s - crawl_s:.1f} s. Peak memory over all runs {peak:.0f} MB "
        f"(target {rss_target} MB: {'met' if peak <= rss_target else 'not met'}).",
        "",
        "CPU seconds of the audit by stage, median pair:",
        "",
        "| stage | CPU s | ms/page |",
        "| --- | ---: | ---: |",
    ]
    for name, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
        lines.append(f"| {name} | {seconds:.2f} | {1000 * seconds / max(pages, 1):.1f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    write_results(args.write, text, args.pages)


def write_results(path: Path, text: str, pages: int) -> None:
    """Put the results between the result markers of this page count, keeping the rest of the
    file; a page count not there yet gets its block at the end."""
    start, end = f"<!-- results {pages} -->\n", f"<!-- /results {pages} -->\n"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if start not in old or end not in old:
        old = old + "\n" + start + end
    head, rest = old.split(start, 1)
    tail = rest.split(end, 1)[1]
    path.write_text(head + start + text + end + tail, encoding="utf-8")


if __name__ == "__main__":
    main()
