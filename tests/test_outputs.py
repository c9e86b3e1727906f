"""Report formats: SARIF valid against the official 2.1.0 schema, JUnit, CSV, Markdown."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

import jsonschema


def test_all_formats_on_a_site(site_url, geoaudit_cli, sarif_schema):
    base = site_url("schema_defects")
    result = geoaudit_cli("audit", f"{base}/", "-q", "--no-probe",
                          "--format", "html,json,csv,sarif,junit,md")
    assert result.code == 0, result.stderr
    out = result.out_dir
    report = result.report()

    sarif = json.loads((out / "report.sarif").read_text())
    jsonschema.Draft4Validator(sarif_schema).validate(sarif)
    run = sarif["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(run["results"]) == len(report["findings"])
    for sarif_result in run["results"]:
        assert rule_ids[sarif_result["ruleIndex"]] == sarif_result["ruleId"]
        uri = sarif_result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri.startswith(base)
    assert {r["level"] for r in run["results"]} <= {"error", "warning", "note"}

    # One test case per rule and subject, one failure at most (GitHub's and Azure's readers
    # show only the first, junitparser rejects more), notices skipped: junitparser reads it.
    from junitparser import Error, Failure, JUnitXml, Skipped

    xml = JUnitXml.fromfile(str(out / "report.junit.xml"))
    cases = [case for suite in xml for case in suite]
    outcomes = [type(r) for case in cases for r in case.result]
    assert Error not in outcomes and all(len(case.result) <= 1 for case in cases)
    subjects = {(f["rule"], f["url"] or "site", f["line"]) for f in report["findings"]}
    failing = [c for c in cases if any(isinstance(r, Failure) for r in c.result)]
    notices = [c for c in cases if any(isinstance(r, Skipped) for r in c.result)]
    assert len(failing) + len(notices) == len(subjects)
    severities = {(f["rule"], f["url"] or "site"): f["severity"] for f in report["findings"]}
    assert len(notices) == sum(s == "notice" for s in severities.values())
    # SARIF also describes GA000, the internal-error pseudo-rule; JUnit has every other rule.
    assert {c.classname.rsplit(".", 1)[1] for c in cases} == set(rule_ids) - {"GA000"}
    suite = ET.parse(out / "report.junit.xml").getroot().find("testsuite")
    assert int(suite.get("tests")) == len(cases) and int(suite.get("failures")) == len(failing)

    rows = list(csv.DictReader((out / "report.csv").open(encoding="utf-8")))
    assert [r["url"] for r in rows] == [p["url"] for p in report["pages"]]
    assert {"answer_first", "attribution", "freshness", "readability", "structure",
            "errors"} <= set(rows[0])

    md = (out / "report.md").read_text()
    assert md.startswith(f"## geoaudit: {report['score']}/100 for {base}")
    assert "| SD003 | error | 1 |" in md


def test_format_selection_and_unknown_format(site_url, geoaudit_cli):
    base = site_url("basic")
    only = geoaudit_cli("audit", f"{base}/", "-q", "--no-probe", "--format", "md")
    assert only.code == 0
    written = sorted(p.name for p in only.out_dir.iterdir()
                     if p.suffix != ".sqlite" and not p.name.startswith(".geoaudit"))
    assert written == ["llms-full.txt", "llms.txt", "report.md"]
    bad = geoaudit_cli("audit", f"{base}/", "--format", "html,pdf")
    assert bad.code == 2 and "unknown format pdf" in bad.stderr


def test_issues_rank_by_severity_times_weight_times_pages(tmp_path):
    from geoaudit.models import FetchRecord, Finding, PageModel
    from geoaudit.report.rows import issue_rows
    from geoaudit.rules import load_rules
    from geoaudit.scoring.weights import RULE_WEIGHTS
    from geoaudit.store import Store

    store = Store.in_dir(tmp_path, fresh=True)
    urls = [f"https://www.example.com/{n}" for n in range(10)]
    for url in urls:
        store.add_page(PageModel(FetchRecord(url, url, 200, "text/html")))
    store.add_findings([
        Finding("AC005", "warning", "access", "site-wide", None),          # 2 × W × 10 pages
        *(Finding("CT002", "error", "content", "x", u) for u in urls[:3]),  # 3 × W × 3 pages
        Finding("SD001", "notice", "structured_data", "y", urls[0]),        # 1 × W × 1 page
    ])
    rows = issue_rows(store, load_rules())
    expected = {"AC005": 2 * RULE_WEIGHTS["AC005"] * 10, "CT002": 3 * RULE_WEIGHTS["CT002"] * 3,
                "SD001": 1 * RULE_WEIGHTS["SD001"] * 1}
    assert {r["rule"]: r["impact"] for r in rows} == expected
    assert [r["rule"] for r in rows] == sorted(expected, key=lambda r: -expected[r])
    store.close()
