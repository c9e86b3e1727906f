"""Report formats: SARIF valid against the official 2.1.0 schema, JUnit, CSV, Markdown."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from conftest import github_upload_problems


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
        location = sarif_result["locations"][0]
        assert location["physicalLocation"]["artifactLocation"]["uri"] == "geoaudit/audited-site"
        assert location["logicalLocations"][0]["fullyQualifiedName"].startswith(base)
    assert {r["level"] for r in run["results"]} <= {"error", "warning", "note"}
    assert github_upload_problems(out / "report.sarif") == []

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


def test_sarif_points_at_the_sources_and_follows_the_baseline(site_url, geoaudit_cli,
                                                              sarif_schema, tmp_path):
    """GitHub code scanning rejected geoaudit's SARIF: every location was an https:// page
    URL; results had no partialFingerprints and no baselineState."""
    base = site_url("schema_defects")
    first = geoaudit_cli("audit", f"{base}/", "-q", "--no-probe", "--format", "json,sarif",
                         "--source-root", "public/")
    assert first.code == 0, first.stderr
    sarif = json.loads((first.out_dir / "report.sarif").read_text())
    jsonschema.Draft4Validator(sarif_schema).validate(sarif)
    assert github_upload_problems(first.out_dir / "report.sarif") == []
    pages = {p["url"].removeprefix(base) for p in first.report()["pages"]}
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in sarif["runs"][0]["results"]}
    assert uris and all(u.startswith("public/") and u.endswith((".html", ".txt")) for u in uris)
    if "/" in pages:
        assert "public/index.html" in uris
    assert all("baselineState" not in r for r in sarif["runs"][0]["results"])

    baseline = tmp_path / "baseline.json"
    baseline.write_text((first.out_dir / "report.json").read_text())
    again = geoaudit_cli("audit", f"{base}/", "-q", "--no-probe", "--format", "sarif",
                         "--source-root", "public/", "--baseline", str(baseline),
                         "-o", str(tmp_path / "again"))
    assert again.code == 0, again.stderr
    second = json.loads((tmp_path / "again" / "report.sarif").read_text())
    jsonschema.Draft4Validator(sarif_schema).validate(second)
    assert {r["baselineState"] for r in second["runs"][0]["results"]} == {"unchanged"}
    fingerprints = [r["partialFingerprints"] for r in sarif["runs"][0]["results"]]
    assert sorted(map(str, fingerprints)) == sorted(
        str(r["partialFingerprints"]) for r in second["runs"][0]["results"])


def test_format_selection_and_unknown_format(site_url, geoaudit_cli):
    base = site_url("basic")
    only = geoaudit_cli("audit", f"{base}/", "-q", "--no-probe", "--format", "md")
    assert only.code == 0
    written = sorted(p.name for p in only.out_dir.iterdir()
                     if p.suffix != ".sqlite" and not p.name.startswith(".geoaudit"))
    assert written == ["llms-full.txt", "llms.txt", "report.md"]
    bad = geoaudit_cli("audit", f"{base}/", "--format", "html,pdf")
    assert bad.code == 2 and "unknown format pdf" in bad.stderr


def test_issues_rank_errors_first_then_by_severity_times_weight_times_pages(tmp_path):
    """An error on three pages comes before a site-wide warning of a heavier rule, whose impact
    is larger (issue 20: "llms.txt missing" at 320 ranked above "page has no title")."""
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
        Finding("SD004", "warning", "structured_data", "z", urls[0]),       # 2 × W × 1 page
    ])
    rows = issue_rows(store, load_rules())
    expected = {"AC005": 2 * RULE_WEIGHTS["AC005"] * 10, "CT002": 3 * RULE_WEIGHTS["CT002"] * 3,
                "SD001": 1 * RULE_WEIGHTS["SD001"] * 1, "SD004": 2 * RULE_WEIGHTS["SD004"] * 1}
    assert {r["rule"]: r["impact"] for r in rows} == expected
    assert expected["AC005"] > expected["CT002"] and expected["AC005"] > expected["SD004"]
    assert [r["rule"] for r in rows] == ["CT002", "AC005", "SD004", "SD001"]
    store.close()


@pytest.mark.parametrize("url, path", [
    ("https://a.example/", "public/index.html"),
    ("https://a.example/blog/x/", "public/blog/x/index.html"),
    ("https://a.example/about", "public/about.html"),
    ("https://a.example/a.html?x=1", "public/a.html"),
    ("https://a.example/llms.txt", "public/llms.txt"),
    ("https://a.example/caf%C3%A9/", "public/café/index.html"),
    ("https://a.example/../../etc/passwd", "public/etc/passwd.html"),
])
def test_page_urls_map_to_the_files_of_a_static_site(url, path):
    from geoaudit.report.sarif import source_path

    assert source_path(url, "public/") == path


def test_charts_escape_their_labels_and_say_what_they_show():
    from geoaudit.report import charts

    hostile = '<script>alert(1)</script>"'
    for svg in (
        charts.stacked_bars([(hostile, [("sev-error", 2), ("sev-warning", 3)])], hostile),
        charts.columns([(hostile, 4, "good")], hostile),
        charts.grid([(hostile, [("ok", hostile)])], [hostile], hostile),
    ):
        assert "<script" not in svg and "&lt;script&gt;" in svg
        assert 'role="img"' in svg and 'aria-label="&lt;script' in svg
    bars = charts.stacked_bars([("Content", [("sev-error", 2), ("sev-warning", 3)])], "x")
    assert bars.count("<rect") == 2 and ">5</text>" in bars


def test_rule_docs_split_into_what_why_fix_pass_fail():
    from geoaudit.rules import doc_sections, load_rules

    rules = load_rules()
    for rule in rules.values():
        parts = doc_sections(rule.docs)
        assert {"what", "why", "fix"} <= set(parts), rule.id
    parts = doc_sections("Checks `Why it matters:` in code.\n\nWhy it matters: a.\n\n"
                         "How to fix: b `x`.\n\nPass: c. Fail: d.")
    assert parts == {"what": "Checks `Why it matters:` in code.", "why": "a.", "fix": "b `x`.",
                     "pass": "c.", "fail": "d."}
