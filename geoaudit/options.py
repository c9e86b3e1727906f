"""Audit options: what the CLI and the config file say, in one typed object the stages read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geoaudit.models import SEVERITIES
from geoaudit.vocab.agents import Agent

DEFAULT_OUTPUT = Path("geoaudit-report")
DEFAULT_MAX_PAGES = 500
DEFAULT_TIMEOUT = 30


@dataclass
class GateSettings:
    """The CI gate: --fail-under (category or "overall", minimum), --fail-on, --fail-on-new."""

    fail_under: list[tuple[str, int]] = field(default_factory=list)
    fail_on: str | None = None
    fail_on_new: bool = False

    @property
    def set(self) -> bool:
        return bool(self.fail_under or self.fail_on or self.fail_on_new)

    def counted(self) -> tuple[str, ...] | None:
        """The severities --fail-on counts (that one and the worse), None without it."""
        if not self.fail_on:
            return None
        return SEVERITIES[: SEVERITIES.index(self.fail_on) + 1]

    def failures(
        self,
        score: int | None,
        categories: dict[str, int | None],
        finding_counts: dict[str, int],
        new_findings: dict[str, int] | None,
    ) -> list[str]:
        """Each condition the audit fails, as a sentence; none when it passes."""
        failures = []
        for name, minimum in self.fail_under:
            value = score if name == "overall" else categories.get(name)
            if value is not None and value < minimum:
                failures.append(f"{name} score {value} is below --fail-under {name}={minimum}")
        worst = self.counted()
        if self.fail_on_new and new_findings is not None:
            n = sum(new_findings.get(s, 0) for s in worst or SEVERITIES)
            if n:
                failures.append(f"{n} new findings since the baseline (--fail-on-new)")
        elif worst:
            n = sum(finding_counts.get(s, 0) for s in worst)
            if n:
                failures.append(f"{n} findings of severity {self.fail_on} or worse (--fail-on)")
        return failures


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
    gate: GateSettings = field(default_factory=GateSettings)
    baseline: dict[str, Any] | None = None
    baseline_file: str | None = None
    extra_agents: tuple[Agent, ...] = ()
    resume: bool = False
    quiet: bool = False
    verbose: bool = False
