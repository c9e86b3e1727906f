"""report.md: a short Markdown summary for pull-request comments and $GITHUB_STEP_SUMMARY."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geoaudit.categories import title as category_title
from geoaudit.report.context import ReportContext
from geoaudit.report.rows import issue_rows

TOP_ISSUES = 10


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown(header: dict[str, Any], issues: list[dict[str, Any]]) -> str:
    score = header["score"]
    lines = [
        f"## geoaudit: {'–' if score is None else score}/100 for {header['target']['site_url']}",
        "",
    ]
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
    access = header.get("ai_access")
    if access:
        lines += [f"- {_cell(s)}" for s in access["summary"].values()] + [""]
    llms = header.get("llms_txt")
    if llms:
        state = ("valid" if llms["valid"] else "invalid") if llms["present"] else "missing"
        lines += [f"llms.txt: {state}; Lighthouse: {llms['lighthouse']['verdict']}.", ""]
    if issues:
        lines += ["| Rule | Severity | Pages | Issue |", "| --- | --- | --- | --- |"]
        for issue in issues[:TOP_ISSUES]:
            lines.append(
                f"| {issue['rule']} | {issue['severity']} | "
                f"{issue['pages'] or 'site'} | {_cell(issue['title'])} |"
            )
        if len(issues) > TOP_ISSUES:
            lines.append(f"\n…and {len(issues) - TOP_ISSUES} more rules with findings.")
    return "\n".join(lines).rstrip() + "\n"


FILENAME = "report.md"


def write(context: ReportContext, path: Path) -> None:
    issues = issue_rows(context.store, context.rules)
    path.write_text(markdown(context.header, issues), encoding="utf-8")
