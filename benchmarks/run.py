"""Benchmark: a full `geoaudit audit` against the floor, a bare Scrapy spider that only follows
links, on the same generated site served from 127.0.0.1. Prints a results table and writes it
to BENCHMARKS.md with the machine it ran on.

    python -m benchmarks.run --pages 3000

Each crawl runs in its own process; wall time, CPU time and peak RSS come from os.wait4 on that
process. The audit's CPU per stage comes from report.json (`stats.cpu_s`); `report` is the CPU
the process spent after the analysis (rendering the reports, exiting).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import platform
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
TARGET_RSS_MB = 400


@dataclass
class Run:
    wall_s: float
    cpu_s: float
    peak_mb: float
    stdout: str


def measure(argv: list[str], cwd: Path) -> Run:
    started = time.monotonic()
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - started
        out.seek(0)
        text = out.read()
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{argv[2]} failed with status {status}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text)


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
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="geoaudit-bench-") as tmp:
        work = Path(tmp)
        count = generate(args.pages, work / "site")
        paths = ["/"] + [
            p.relative_to(work / "site").as_posix() for p in (work / "site").rglob("*.html")
        ]
        paths = ["/" + p.lstrip("/") for p in paths]
        with serve_directory(work / "site") as base:
            served = server_rate(base, paths[:2000], args.concurrency)
            floor = measure(
                [sys.executable, "-m", "benchmarks.floor", f"{base}/", str(args.concurrency)], REPO
            )
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
                    str(work / "out"),
                ],
                work,
            )
        report = json.loads((work / "out" / "report.json").read_text())
    pages = report["stats"]["pages_crawled"]
    stages = dict(report["stats"]["cpu_s"])
    analysed = stages.pop("total")
    stages["report"] = round(audit.cpu_s - analysed, 2)
    ratio = audit.wall_s / floor.wall_s
    rows = [
        ("floor: bare Scrapy, links only", int(floor.stdout.split()[-1]), floor),
        ("geoaudit audit, everything on", pages, audit),
    ]
    lines = [
        f"Machine: {machine()}. Site: `python -m benchmarks.sitegen {args.pages}` "
        f"({count} pages), served from 127.0.0.1 at {served:.0f} pages/s to "
        f"{args.concurrency} parallel clients. Both crawls at concurrency {args.concurrency}. "
        f"Command: `python -m benchmarks.run --pages {args.pages}`.\n",
        "| run | pages | wall s | pages/s | CPU s | CPU ms/page | peak RSS MB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, n, run in rows:
        lines.append(
            f"| {name} | {n} | {run.wall_s:.1f} | {n / run.wall_s:.1f} | {run.cpu_s:.1f} | "
            f"{1000 * run.cpu_s / max(n, 1):.1f} | {run.peak_mb:.0f} |"
        )
    lines += [
        "",
        f"Ratio of the audit's wall time to the floor's: **{ratio:.2f}x** (target "
        f"{TARGET_RATIO}x: {'met' if ratio <= TARGET_RATIO else 'not met'}). Peak RSS "
        f"{audit.peak_mb:.0f} MB (target {TARGET_RSS_MB} MB at 3,000 pages: "
        f"{'met' if audit.peak_mb <= TARGET_RSS_MB else 'not met'}).",
        "",
        "CPU seconds of the audit by stage:",
        "",
        "| stage | CPU s | ms/page |",
        "| --- | ---: | ---: |",
    ]
    for name, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
        lines.append(f"| {name} | {seconds:.2f} | {1000 * seconds / max(pages, 1):.1f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    write_results(args.write, text)


def write_results(path: Path, text: str) -> None:
    """Put the results between the file's result markers, keeping the analysis around them."""
    start, end = "<!-- results -->\n", "<!-- /results -->\n"
    old = path.read_text(encoding="utf-8") if path.exists() else start + end
    if start not in old or end not in old:
        old = start + end + old
    head, rest = old.split(start, 1)
    tail = rest.split(end, 1)[1]
    path.write_text(head + start + text + end + tail, encoding="utf-8")


if __name__ == "__main__":
    main()
