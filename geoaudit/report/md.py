"""report.md: a short Markdown summary for pull-request comments and $GITHUB_STEP_SUMMARY."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geoaudit.categories import title as category_title
from geoaudit.models import SEVERITIES, to_dict
from geoaudit.report.context import ReportContext
from geoaudit.report.rows import issue_rows

TOP_ISSUES = 10


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


NEW_FINDINGS = 20


def _table(head: list[str], rows: list[list[Any]], limit: int) -> list[str]:
    """A Markdown table of the first `limit` rows, site text escaped."""
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows[:limit]]
    return lines


def markdown(
    header: dict[str, Any], issues: list[dict[str, Any]], new: list[dict[str, Any]] | None = None
) -> str:
    """The summary; `new` the findings a --baseline run found new (the first NEW_FINDINGS are
    listed)."""
    score = header["score"]
    lines = [
        f"## geoaudit: {'–' if score is None else score}/100 for {header['target']['site_url']}",
        "",
    ]
    gate = header.get("gate")
    if gate:
        verdict = "passed" if gate["passed"] else "failed: " + "; ".join(gate["failures"])
        lines += [f"**Gate {_cell(verdict)}**", ""]
    if header["target"].get("partial"):
        lines += ["> **Partial report:** the crawl was interrupted.", ""]
    lines += ["| Category | Score |", "| --- | --- |"]
    for category, value in header["categories"].items():
        lines.append(f"| {category_title(category)} | {'–' if value is None else value} |")
    counts = header["stats"].get("findings", {})
    lines += [
        "",
        f"{header['stats']['pages_crawled']} pages · {counts.get('error', 0)} errors · "
        f"{counts.get('warning', 0)} warnings · {counts.get('notice', 0)} notices",
        "",
    ]
    baseline = header.get("baseline")
    if baseline:
        lines += [
            f"Since the baseline: {baseline['new']} new, {len(baseline['fixed'])} fixed, "
            f"{baseline['unchanged']} unchanged findings.",
            "",
        ]
    if new:
        rows = [[f["severity"], f["rule"], f["url"] or "site", f["message"]] for f in new]
        lines += _table(["New", "Rule", "Page", "Finding"], rows, NEW_FINDINGS)
        if len(new) > NEW_FINDINGS:
            lines.append(f"\n…and {len(new) - NEW_FINDINGS} more new findings (report.json).")
        lines.append("")
    access = header.get("ai_access")
    if access:
        lines += [f"- {_cell(s)}" for s in access["summary"].values()] + [""]
    llms = header.get("llms_txt")
    if llms:
        state = ("valid" if llms["valid"] else "invalid") if llms["present"] else "missing"
        lines += [f"llms.txt: {state}; Lighthouse: {llms['lighthouse']['verdict']}.", ""]
    if issues:
        rows = [[i["rule"], i["severity"], i["pages"] or "site", i["title"]] for i in issues]
        lines += _table(["Rule", "Severity", "Pages", "Issue"], rows, TOP_ISSUES)
        if len(issues) > TOP_ISSUES:
            lines.append(f"\n…and {len(issues) - TOP_ISSUES} more rules with findings.")
    return "\n".join(lines).rstrip() + "\n"


FILENAME = "report.md"


def _new_findings(context: ReportContext) -> list[dict[str, Any]] | None:
    """The new findings of a --baseline run, worst first."""
    if context.annotate is None:
        return None
    annotated = (context.annotate(to_dict(f)) for f in context.store.iter_findings())
    new = [f for f in annotated if f["baseline"] == "new"]
    return sorted(new, key=lambda f: SEVERITIES.index(f["severity"]))


def write(context: ReportContext, path: Path) -> None:
    issues = issue_rows(context.store, context.rules)
    path.write_text(markdown(context.header, issues, _new_findings(context)), encoding="utf-8")
