"""report.sarif: SARIF 2.1.0 for code-scanning dashboards, within GitHub's upload rules.

Rules come from the registry with their documentation. GitHub code scanning locates results in
the repository's files and rejects locations that are URLs, so each result is located:
- with `--source-root DIR` (the built site in the repository), in the file that serves the
  page: `/blog/x/` is `DIR/blog/x/index.html`, `/about` is `DIR/about.html`, `/a.html` is
  `DIR/a.html`; site-level findings in `DIR/index.html`, llms.txt findings in `DIR/llms.txt`
  at their line;
- without it, in one stable placeholder path (PLACEHOLDER), the page URL kept as the result's
  logical location.
Each result has `partialFingerprints` from the key `--baseline` compares findings by (so an
alert keeps its identity from run to run), and under `--baseline` a `baselineState`. At most
MAX_RESULTS results, errors first (GitHub's limit per run).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import geoaudit
from geoaudit.baseline import finding_key
from geoaudit.models import Finding, to_dict
from geoaudit.report.context import ReportContext
from geoaudit.rules import INTERNAL_ERROR, Rule
from geoaudit.store import Store

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "notice": "note"}
PLACEHOLDER = "geoaudit/audited-site"
MAX_RESULTS = 25_000
FINGERPRINT = "geoauditFinding/v1"


def source_path(url: str | None, source_root: str) -> str:
    """The repository file that serves `url` in a static site built into `source_root`."""
    path = unquote(urlsplit(url or "/").path) or "/"
    if path.endswith("/"):
        path += "index.html"
    elif "." not in PurePosixPath(path).name:
        path += ".html"
    root = source_root.strip("/")
    parts = [p for p in PurePosixPath(path).parts if p not in ("/", "..", ".")]
    return "/".join([root, *parts] if root else parts)


def _location(finding: Finding, source_root: str | None, site_url: str) -> dict[str, Any]:
    url = finding.url or f"{site_url}/"
    uri = PLACEHOLDER if source_root is None else source_path(url, source_root)
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if finding.line:
        physical["region"] = {"startLine": finding.line}
    return {
        "physicalLocation": physical,
        "logicalLocations": [{"fullyQualifiedName": url, "kind": "resource"}],
    }


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


def sarif_log(
    store: Store,
    rules: dict[str, Rule],
    site_url: str,
    source_root: str | None = None,
    status: Callable[[dict[str, Any]], str] | None = None,
) -> dict[str, Any]:
    """The SARIF log; `status(finding_dict)` gives each finding's baseline status ("new" or
    "unchanged") under --baseline."""
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
    results: list[dict[str, Any]] = []
    for severity in ("error", "warning", "notice"):
        for finding in store.iter_findings(severity=severity):
            if len(results) >= MAX_RESULTS:
                break
            as_dict = to_dict(finding)
            key = json.dumps(finding_key(as_dict), ensure_ascii=False)
            result: dict[str, Any] = {
                "ruleId": finding.rule,
                "ruleIndex": index.get(finding.rule, len(ordered)),
                "level": LEVELS[finding.severity],
                "message": {"text": finding.message},
                "locations": [_location(finding, source_root, site_url)],
                "partialFingerprints": {
                    FINGERPRINT: hashlib.sha256(key.encode("utf-8")).hexdigest()
                },
            }
            if status is not None:
                result["baselineState"] = status(as_dict)
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
    annotate = context.annotate

    def status(finding: dict[str, Any]) -> str:
        assert annotate is not None
        return str(annotate(finding)["baseline"])

    log = sarif_log(
        context.store,
        context.rules,
        site_url,
        context.source_root,
        status if annotate is not None else None,
    )
    path.write_text(json.dumps(log, indent=2, ensure_ascii=False), encoding="utf-8")
