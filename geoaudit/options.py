"""Audit options: what the CLI and the config file say, in one typed object the stages read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geoaudit.vocab.agents import Agent

DEFAULT_OUTPUT = Path("geoaudit-report")
DEFAULT_MAX_PAGES = 500
DEFAULT_TIMEOUT = 30


@dataclass
class AuditOptions:
    start_url: str
    out_dir: Path = DEFAULT_OUTPUT
    site_url: str | None = None
    include_subdomains: bool = False
    max_pages: int = DEFAULT_MAX_PAGES
    max_depth: int | None = None
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    concurrency: int | None = None
    timeout: int = DEFAULT_TIMEOUT
    ignore_robots: bool = False
    auth: tuple[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    probe: bool = True
    llms_profile: str = "1.1.1"
    formats: tuple[str, ...] = ("html", "json")
    # The folder of the site's built files in the user's repository (SARIF locations).
    source_root: str | None = None
    baseline: dict[str, Any] | None = None
    baseline_file: str | None = None
    extra_agents: tuple[Agent, ...] = ()
    resume: bool = False
    quiet: bool = False
    verbose: bool = False
