"""Compare findings with an earlier report.json: which are new, unchanged, or fixed.

A finding's identity is its rule, page, line, entity type and property, and its message with
numbers blanked, so that "996 days old" and "997 days old" are the same finding next week;
a template's finding is that finding on each of its pages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geoaudit.errors import GeoauditError
from geoaudit.models import base_message

_NUMBER = re.compile(r"\d+")


def finding_key(finding: dict[str, Any]) -> tuple[Any, ...]:
    return (
        finding.get("rule"),
        finding.get("url"),
        finding.get("line"),
        finding.get("type"),
        finding.get("property"),
        _NUMBER.sub("#", str(finding.get("message", ""))),
    )


def finding_keys(finding: dict[str, Any]) -> set[tuple[Any, ...]]:
    """The finding's identity on each page it stands for: a template's finding (`pages`) is
    the finding alike on each of them, so that a page crossing the fold's threshold is not a
    new finding, and one more page with the defect is."""
    pages = finding.get("pages")
    if not pages:
        return {finding_key(finding)}
    message = base_message(str(finding.get("message", "")))
    return {finding_key({**finding, "url": url, "message": message}) for url in pages}


def load_report(path: Path) -> dict[str, Any]:
    try:
        report = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise GeoauditError(f"cannot read {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise GeoauditError(f"{path} is not JSON: {exc}") from None
    findings = report.get("findings") if isinstance(report, dict) else None
    if not isinstance(findings, list) or not all(
        isinstance(f, dict) and isinstance(f.get("rule"), str) for f in findings
    ):
        raise GeoauditError(f"{path} is not a geoaudit report.json")
    return report


@dataclass
class Comparison:
    """The findings of a new audit against those of a baseline report: a finding is new when
    it is on a page it was not on; an old finding is fixed when it is on none of its pages."""

    old: dict[str, Any]
    old_keys: set[tuple[Any, ...]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.old_keys = set().union(*(finding_keys(f) for f in self.old["findings"]))

    def status(self, finding: dict[str, Any]) -> str:
        return "unchanged" if finding_keys(finding) <= self.old_keys else "new"

    def annotate(self, finding: dict[str, Any]) -> dict[str, Any]:
        """The finding with its `baseline` status, as report.json writes it."""
        return {**finding, "baseline": self.status(finding)}

    def summary(self, findings: Iterable[dict[str, Any]], source: str) -> dict[str, Any]:
        new_by_severity: dict[str, int] = {}
        seen: set[tuple[Any, ...]] = set()
        unchanged = 0
        for finding in findings:
            keys = finding_keys(finding)
            seen |= keys
            if keys <= self.old_keys:
                unchanged += 1
            else:
                severity = str(finding.get("severity"))
                new_by_severity[severity] = new_by_severity.get(severity, 0) + 1
        return {
            "file": source,
            "new": sum(new_by_severity.values()),
            "new_by_severity": dict(sorted(new_by_severity.items())),
            "unchanged": unchanged,
            "fixed": [f for f in self.old["findings"] if not finding_keys(f) & seen],
        }


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What changed between two reports: scores, and findings new and fixed (as Comparison
    reads them)."""
    comparison = Comparison(old)
    summary = comparison.summary(new["findings"], "")
    categories = sorted(set(old.get("categories", {})) | set(new.get("categories", {})))
    return {
        "score": {"old": old.get("score"), "new": new.get("score")},
        "categories": {
            c: {"old": old.get("categories", {}).get(c), "new": new.get("categories", {}).get(c)}
            for c in categories
        },
        "new": [f for f in new["findings"] if comparison.status(f) == "new"],
        "fixed": summary["fixed"],
        "unchanged": summary["unchanged"],
    }
