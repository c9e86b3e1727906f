"""report.junit.xml: one testcase per rule, one failure per finding, for CI dashboards. Site
text in it is cleared of characters XML 1.0 cannot carry, so the file stays well-formed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from geoaudit.escape import xml_text
from geoaudit.models import Finding
from geoaudit.report.context import ReportContext

FILENAME = "report.junit.xml"


def write(context: ReportContext, path: Path) -> None:
    store, rules, duration_s = context.store, context.rules, context.duration_s
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in store.iter_findings():
        by_rule[finding.rule].append(finding)
    failed = sum(1 for rule_id in rules if by_rule.get(rule_id))
    suite = ET.Element(
        "testsuite",
        name="geoaudit",
        tests=str(len(rules)),
        failures=str(failed),
        errors="0",
        time=f"{duration_s:.1f}",
    )
    for rule in rules.values():
        case = ET.SubElement(
            suite, "testcase", classname=f"geoaudit.{rule.category}", name=f"{rule.id} {rule.title}"
        )
        for finding in by_rule.get(rule.id, []):
            where = finding.url or "site"
            if finding.line:
                where += f":{finding.line}"
            where, message = xml_text(where), xml_text(finding.message)
            failure = ET.SubElement(
                case, "failure", type=finding.severity, message=f"{where}: {message}"
            )
            failure.text = f"{finding.severity} at {where}\n{message}"
    root = ET.Element("testsuites", tests=str(len(rules)), failures=str(failed))
    root.append(suite)
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
