"""report.sarif: SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning accepts it).

Rules come from the registry with their documentation; each finding is a result located at
its page URL (site-level findings at the site's root URL), with its line for file findings.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geoaudit
from geoaudit.report.context import ReportContext
from geoaudit.rules import INTERNAL_ERROR, Rule
from geoaudit.store import Store

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "notice": "note"}


def _rule(rule: Rule) -> dict[str, Any]:
    docs = rule.docs
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": docs.split("\n\n")[0].replace("\n", " ")},
        "help": {"text": docs, "markdown": docs},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"category": rule.category, "tags": ["geo", rule.category]},
    }


def sarif_log(store: Store, rules: dict[str, Rule], site_url: str) -> dict[str, Any]:
    ordered = list(rules.values())
    index = {rule.id: n for n, rule in enumerate(ordered)}
    descriptors = [_rule(r) for r in ordered]
    descriptors.append(
        {
            "id": INTERNAL_ERROR,
            "name": "internal-error",
            "shortDescription": {"text": "A rule crashed on a page (a geoaudit bug)"},
            "defaultConfiguration": {"level": "error"},
        }
    )
    results = []
    for finding in store.iter_findings():
        location: dict[str, Any] = {"artifactLocation": {"uri": finding.url or f"{site_url}/"}}
        if finding.line:
            location["region"] = {"startLine": finding.line}
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "ruleIndex": index.get(finding.rule, len(ordered)),
            "level": LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [{"physicalLocation": location}],
        }
        if finding.type or finding.property:
            result["properties"] = {"type": finding.type, "property": finding.property}
        results.append(result)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "geoaudit",
                        "version": geoaudit.__version__,
                        "informationUri": geoaudit.PROJECT_URL,
                        "rules": descriptors,
                    }
                },
                "results": results,
            }
        ],
    }


FILENAME = "report.sarif"


def write(context: ReportContext, path: Path) -> None:
    site_url = context.header["target"]["site_url"]
    path.write_text(
        json.dumps(sarif_log(context.store, context.rules, site_url), indent=2, ensure_ascii=False),
        encoding="utf-8",
    )
