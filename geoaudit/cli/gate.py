"""The CI gate: whether an audit fails `--fail-under`, `--fail-on` or `--fail-on-new`, and what
it says when it does: each failed condition, then the findings that failed it (the first
SHOWN_FINDINGS on stderr: severity, rule, URL, message), and under GitHub Actions one
workflow-command annotation per finding so that they show on the run's summary."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

from geoaudit.audit import AuditResult
from geoaudit.baseline import Comparison
from geoaudit.escape import clipped, terminal_text
from geoaudit.models import SEVERITIES, Finding, to_dict
from geoaudit.options import AuditOptions
from geoaudit.store import Store
from geoaudit.terminal import paint

SHOWN_FINDINGS = 20
ANNOTATED_FINDINGS = 50  # GitHub shows at most 10 annotations of each level per step anyway
ANNOTATION_LEVEL = {"error": "error", "warning": "warning", "notice": "notice"}


def failing_findings(result: AuditResult, options: AuditOptions) -> Iterator[Finding]:
    """The findings behind a failed gate, worst first: the new ones under --fail-on-new, those
    of --fail-on's severities, else (a score under --fail-under) the errors and warnings."""
    gate = options.gate
    severities = gate.counted() or (SEVERITIES if gate.fail_on_new else ("error", "warning"))
    comparison = (
        Comparison(options.baseline)
        if gate.fail_on_new and options.baseline is not None
        else None
    )
    store = Store.in_dir(result.out_dir)
    try:
        for severity in severities:
            for finding in store.iter_findings(severity=severity):
                if comparison is None or comparison.status(to_dict(finding)) == "new":
                    yield finding
    finally:
        store.close()


def _line(finding: Finding) -> str:
    """A failing finding for stderr, site text escaped, its severity in colour."""
    where = finding.url or "site"
    if finding.line:
        where += f":{finding.line}"
    text = terminal_text(f"{finding.rule}  {clipped(where)}  {clipped(finding.message)}")
    return f"  {paint(f'{finding.severity:<7}', finding.severity, sys.stderr)} {text}"


def _command_data(text: str) -> str:
    """Text as a GitHub workflow command's data: %, CR and LF escaped, so that site text can
    neither end the command nor start another."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _command_property(text: str) -> str:
    return _command_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    """The GitHub workflow command that shows a finding as an annotation of the run."""
    level = ANNOTATION_LEVEL[finding.severity]
    title = _command_property(f"geoaudit {finding.rule}")
    where = finding.url or "site"
    return f"::{level} title={title}::{_command_data(f'{where}: {finding.message}')}"


def report_gate(result: AuditResult, options: AuditOptions) -> bool:
    """Say whether the gate failed and why; True when it did."""
    failures = options.gate.failures(
        result.score, result.categories, result.finding_counts, result.new_findings
    )
    if not failures:
        return False
    for failure in failures:
        failed = paint("gate failed", "error", sys.stderr)
        print(f"geoaudit: {failed}: {terminal_text(failure)}", file=sys.stderr)
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    shown = 0
    for finding in failing_findings(result, options):
        if shown < SHOWN_FINDINGS:
            print(_line(finding), file=sys.stderr)
        if annotate and shown < ANNOTATED_FINDINGS:
            print(terminal_text(annotation(finding)))
        shown += 1
    if shown > SHOWN_FINDINGS:
        print(
            f"  … and {shown - SHOWN_FINDINGS} more (report.json and the other reports list "
            "them all)",
            file=sys.stderr,
        )
    return True
