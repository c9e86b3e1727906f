"""Audit the real-site corpus in ../shared/realsites: each site served the way its README says,
audited with its own arguments, into OUT/SITE/ (report.json, llms.txt, ...).

    python -m benchmarks.corpus OUT [--sites a,b] [--max-pages 400]

The corpus is read in place and never copied; what is committed is labels and scripts. Used by
`benchmarks.accuracy` (findings against the labels) and `benchmarks.llms_corpus` (the generated
llms.txt of every site).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REALSITES = Path(os.environ.get("GEOAUDIT_REALSITES", ROOT.parent / "shared" / "realsites"))
MAX_PAGES = 400


@dataclass
class CorpusSite:
    name: str
    site_url: str
    start_path: str
    audit_args: list[str]
    serve_args: list[str]

    @classmethod
    def load(cls, name: str) -> CorpusSite:
        meta = json.loads((REALSITES / f"{name}.json").read_text(encoding="utf-8"))
        return cls(
            name,
            meta["site_url"],
            meta.get("start_path") or "/",
            list(meta.get("audit_args") or []),
            list(meta.get("serve_args") or []),
        )


def site_names() -> list[str]:
    return sorted(p.stem for p in REALSITES.glob("*.json") if (REALSITES / p.stem).is_dir())


def audit_site(site: CorpusSite, out: Path, max_pages: int = MAX_PAGES) -> float:
    """Serve `site`, audit it into `out`, stop the server; the audit's wall time in seconds."""
    server = subprocess.Popen(
        [sys.executable, str(REALSITES / "serve.py"), "--root", site.name, *site.serve_args],
        cwd=REALSITES,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        argv = [
            sys.executable, "-m", "geoaudit.cli", "audit",
            f"http://127.0.0.1:{port}{site.start_path}",
            "--site-url", site.site_url, "--max-pages", str(max_pages), "--no-probe", "-q",
            "-o", str(out), *site.audit_args,
        ]  # fmt: skip
        started = time.monotonic()
        done = subprocess.run(argv, capture_output=True, text=True, timeout=900)
        if done.returncode not in (0, 1):
            raise RuntimeError(f"{site.name}: audit exited {done.returncode}: {done.stderr}")
        return time.monotonic() - started
    finally:
        server.kill()
        server.wait()


def audit_corpus(out: Path, names: list[str], max_pages: int = MAX_PAGES) -> dict[str, float]:
    return {name: audit_site(CorpusSite.load(name), out / name, max_pages) for name in names}


def audited(
    prog: str, argv: list[str] | None, default: Callable[[], list[str]]
) -> tuple[Path, list[str]]:
    """The command line of a corpus benchmark (OUT [--sites a,b] [--reuse]): the folder of the
    audits and the site names, the sites audited into it unless --reuse."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("out", type=Path)
    parser.add_argument("--sites", help="comma-separated site names (default: all)")
    parser.add_argument("--reuse", action="store_true", help="use the audits already in OUT")
    args = parser.parse_args(argv)
    names = args.sites.split(",") if args.sites else default()
    if not args.reuse:
        audit_corpus(args.out, names)
    return args.out, names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus")
    parser.add_argument("out", type=Path)
    parser.add_argument("--sites", help="comma-separated site names (default: all)")
    parser.add_argument("--max-pages", type=int, default=MAX_PAGES)
    args = parser.parse_args(argv)
    names = args.sites.split(",") if args.sites else site_names()
    for name, seconds in audit_corpus(args.out, names, args.max_pages).items():
        print(f"{name}: {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
