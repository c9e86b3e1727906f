"""Shared fixtures: local HTTP servers on 127.0.0.1 and a runner for the real CLI.

The crawl runs Twisted's reactor, which cannot restart in one process, so end-to-end tests run
`geoaudit` in a subprocess exactly as a user would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from geoaudit.devserver import serve_directory

FIXTURES = Path(__file__).parent / "fixtures"
SITES = FIXTURES / "sites"
CLI_TIMEOUT = 120


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str
    out_dir: Path

    def report(self) -> dict[str, Any]:
        return json.loads((self.out_dir / "report.json").read_text(encoding="utf-8"))


def run_geoaudit(args: list[str], cwd: Path, timeout: float = CLI_TIMEOUT) -> CliResult:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    env.pop("FORCE_COLOR", None)  # output is plain unless a test asks for colour
    proc = subprocess.run(
        [sys.executable, "-m", "geoaudit.cli", *args],
        cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env,
    )
    out = Path(cwd) / "out"
    return CliResult(proc.returncode, proc.stdout, proc.stderr, out)


@pytest.fixture
def geoaudit_cli(tmp_path: Path) -> Callable[..., CliResult]:
    """Run `geoaudit ARGS` in tmp_path; audits write to tmp_path/out unless -o is given."""

    def run(*args: str, timeout: float = CLI_TIMEOUT) -> CliResult:
        argv = list(args)
        if argv and argv[0] in ("audit", "demo") and "-o" not in argv:
            argv += ["-o", str(tmp_path / "out")]
        return run_geoaudit(argv, tmp_path, timeout)

    return run


@pytest.fixture
def serve() -> Iterator[Callable[[Path], str]]:
    """Serve a folder on 127.0.0.1; returns its base URL. Servers stop after the test."""
    stack: list[Any] = []

    def start(root: Path) -> str:
        cm = serve_directory(root)
        stack.append(cm)
        return cm.__enter__()

    yield start
    for cm in reversed(stack):
        cm.__exit__(None, None, None)


@pytest.fixture
def site_url(serve: Callable[[Path], str]) -> Callable[[str], str]:
    """Serve tests/fixtures/sites/NAME and return its base URL."""
    return lambda name: serve(SITES / name)


REPO = Path(__file__).resolve().parent.parent
EXTRAS = REPO / ".test-extras"


def need_extra(what: str, available: bool) -> None:
    """Skip a test whose extra is missing locally; under CI it must be there."""
    if available:
        return
    message = f"{what} is missing: run scripts/install-test-extras"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def sarif_schema() -> dict[str, Any]:
    path = Path(os.environ.get("GEOAUDIT_SARIF_SCHEMA", EXTRAS / "sarif-schema-2.1.0.json"))
    need_extra("the SARIF 2.1.0 schema", path.is_file())
    return json.loads(path.read_text(encoding="utf-8"))


def github_upload_problems(path) -> list[str]:
    """What GitHub code scanning's SARIF upload would refuse or drop (docs.github.com, "SARIF
    support for code scanning": file size, runs, results, rules and locations per run, tags;
    artifact locations relative to the repository, no URI schemes), plus results without the
    fingerprint that keeps an alert's identity between runs."""
    import gzip

    problems = []
    if len(gzip.compress(path.read_bytes())) > 10 * 1024 * 1024:
        problems.append("over 10 MB gzipped")
    log = json.loads(path.read_text())
    if len(log["runs"]) > 20:
        problems.append("more than 20 runs")
    for run in log["runs"]:
        rules = run["tool"]["driver"]["rules"]
        if len(run["results"]) > 25_000 or len(rules) > 25_000:
            problems.append("more than 25,000 results or rules in a run")
        if any(len(r.get("properties", {}).get("tags", [])) > 20 for r in rules):
            problems.append("more than 20 tags on a rule")
        for result in run["results"]:
            if len(result["locations"]) > 1000:
                problems.append("more than 1,000 locations on a result")
            for location in result["locations"]:
                uri = location["physicalLocation"]["artifactLocation"]["uri"]
                if "://" in uri or uri.startswith(("/", "..")) or ":" in uri.split("/")[0]:
                    problems.append(f"not a repository-relative location: {uri}")
            if not result.get("partialFingerprints"):
                problems.append(f"no partialFingerprints: {result['ruleId']}")
    return problems
