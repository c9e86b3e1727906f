"""report.junit.xml for CI dashboards: one test case per rule and subject (a page, the site, a
line of llms.txt), failed by an error or warning finding, skipped with its message for a notice;
a rule with no finding is one passing test case. One failure per test case, as GitHub's and
Azure's JUnit readers show only the first and junitparser rejects more. Site text in it is
cleared of characters XML 1.0 cannot carry, so the file stays well-formed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from geoaudit.escape import xml_text
from geoaudit.models import Finding
from geoaudit.report.context import ReportContext

FILENAME = "report.junit.xml"


def _where(finding: Finding) -> str:
    where = finding.url or "site"
    return f"{where}:{finding.line}" if finding.line else where


def write(context: ReportContext, path: Path) -> None:
    store, rules, duration_s = context.store, context.rules, context.duration_s
    by_case: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in store.iter_findings():
        by_case[(finding.rule, _where(finding))].append(finding)
    cases_of: dict[str, list[tuple[str, list[Finding]]]] = defaultdict(list)
    for (rule_id, where), findings in by_case.items():
        cases_of[rule_id].append((where, findings))
    suite = ET.Element("testsuite", name="geoaudit", errors="0", time=f"{duration_s:.1f}")
    tests = failures = skipped = 0
    for rule in rules.values():
        classname = f"geoaudit.{rule.category}.{rule.id}"
        if not cases_of.get(rule.id):
            ET.SubElement(suite, "testcase", classname=classname, name=f"{rule.id} {rule.title}")
            tests += 1
            continue
        for where, findings in cases_of[rule.id]:
            case = ET.SubElement(
                suite, "testcase", classname=classname, name=xml_text(f"{rule.id} {where}")
            )
            tests += 1
            worst = min(findings, key=lambda f: ("error", "warning", "notice").index(f.severity))
            messages = "\n".join(xml_text(f.message) for f in findings)
            if worst.severity == "notice":
                ET.SubElement(case, "skipped", message=xml_text(worst.message)).text = messages
                skipped += 1
            else:
                failure = ET.SubElement(
                    case, "failure", type=worst.severity, message=xml_text(worst.message)
                )
                failure.text = f"{rule.title}\n{worst.severity} at {xml_text(where)}\n{messages}"
                failures += 1
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("skipped", str(skipped))
    root = ET.Element("testsuites", tests=str(tests), failures=str(failures))
    root.append(suite)
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
