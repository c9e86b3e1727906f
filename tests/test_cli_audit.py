"""End-to-end: the real `geoaudit` command against sites served on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import os
import re
import sqlite3
import subprocess
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from geoaudit.devserver import serve_http

REPORT_KEYS = {"schema_version", "tool", "target", "score", "categories", "pages", "findings",
               "stats"}


def rules_by_url(report: dict) -> set[tuple[str, str | None]]:
    return {(f["rule"], f["url"]) for f in report["findings"]}


def test_audit_basic_site_writes_reports_with_contract(site_url, geoaudit_cli):
    base = site_url("basic")
    result = geoaudit_cli("audit", f"{base}/", "--quiet")
    assert result.code == 0, result.stderr
    assert "Traceback" not in result.stderr
    for name in ("report.json", "report.html", "llms.txt", "geoaudit.sqlite"):
        assert (result.out_dir / name).is_file()
    report = result.report()
    assert set(report) >= REPORT_KEYS
    assert report["tool"]["name"] == "geoaudit"
    assert set(report["target"]) >= {"url", "site_url", "started_at", "finished_at", "partial"}
    assert report["target"]["partial"] is False
    assert set(report["categories"]) == {"access", "llms_txt", "structured_data", "content",
                                         "freshness"}
    assert 0 <= report["score"] <= 100

    pages = {p["url"]: p for p in report["pages"]}
    # One entry per crawled URL: 5 HTML pages (one a 404), one PDF; mailto/external not crawled.
    assert set(pages) == {f"{base}/{p}" for p in
                          ("", "about.html", "blog/", "docs/", "missing.html", "files/guide.pdf")}
    assert pages[f"{base}/"]["depth"] == 0
    assert pages[f"{base}/about.html"]["depth"] == 1
    assert pages[f"{base}/missing.html"]["status"] == 404
    assert pages[f"{base}/files/guide.pdf"]["content_type"] == "application/pdf"
    docs = pages[f"{base}/docs/"]
    assert docs["requested_url"] == f"{base}/docs"
    assert docs["redirects"] == [{"url": f"{base}/docs", "status": 301}]
    assert report["stats"]["pages_crawled"] == 6

    found = rules_by_url(report)
    assert ("AC002", f"{base}/missing.html") in found
    assert ("AC003", f"{base}/blog/") in found
    assert ("CT002", f"{base}/about.html") in found
    assert ("LT001", None) in found
    for finding in report["findings"]:
        assert set(finding) >= {"rule", "severity", "category", "message", "url", "line"}
        assert finding["severity"] in ("error", "warning", "notice")

    llms = (result.out_dir / "llms.txt").read_text()
    assert llms.startswith("# Basic Site\n")
    assert f"({base}/about.html)" in llms
    assert f"{base}/blog/" not in llms  # noindex pages stay out


def test_site_url_crawls_local_copy_and_reports_production_urls(site_url, geoaudit_cli):
    base = site_url("prod_copy")
    result = geoaudit_cli("audit", f"{base}/", "--site-url", "https://www.example.com", "-q")
    assert result.code == 0, result.stderr
    report = result.report()
    assert report["target"]["site_url"] == "https://www.example.com"
    pages = {p["url"]: p for p in report["pages"]}
    prod = "https://www.example.com"
    assert set(pages) == {f"{prod}/", f"{prod}/about.html", f"{prod}/blog/",
                          f"{prod}/blog/first.html", f"{prod}/orphan/"}
    assert all(p["status"] == 200 for p in pages.values())
    # Found only through robots.txt -> sitemap index -> gzipped sitemap: no click depth.
    assert pages[f"{prod}/orphan/"]["depth"] is None
    assert pages[f"{prod}/blog/first.html"]["depth"] == 2
    assert report["stats"]["sitemap_urls"] == 2
    # The staging origin appears once: as the start URL the user gave.
    assert report["target"]["url"] == f"{base}/"
    assert (result.out_dir / "report.json").read_text().count("127.0.0.1") == 1
    assert ("LT001", None) not in rules_by_url(report)


def test_progress_goes_to_stderr_as_plain_lines_unless_quiet(site_url, geoaudit_cli):
    base = site_url("basic")
    loud = geoaudit_cli("audit", f"{base}/")
    assert loud.code == 0
    assert "crawled: 6 pages (budget 500) · 0 queued · " in loud.stderr
    # Every phase after the crawl says what it does (the line once froze through them).
    assert "analysis: site facts of 6 pages" in loud.stderr
    assert "reports: html, json" in loud.stderr
    assert "\r" not in loud.stderr and "\x1b" not in loud.stderr  # a pipe, not a terminal
    quiet = geoaudit_cli("audit", f"{base}/", "-q")
    assert "crawled" not in quiet.stderr
    assert quiet.stdout.startswith("geoaudit: score ")


def test_limits_max_pages_depth_include_exclude(site_url, geoaudit_cli):
    base = site_url("basic")
    urls = lambda r: {p["url"] for p in r.report()["pages"]}  # noqa: E731

    result = geoaudit_cli("audit", f"{base}/", "-q", "--max-pages", "2")
    assert result.code == 0 and len(urls(result)) == 2
    assert result.report()["stats"]["not_followed_max_pages"] > 0

    result = geoaudit_cli("audit", f"{base}/", "-q", "--max-depth", "0")
    assert urls(result) == {f"{base}/"}

    result = geoaudit_cli("audit", f"{base}/", "-q", "--exclude", r"\.(pdf|html)$")
    assert urls(result) == {f"{base}/", f"{base}/blog/", f"{base}/docs/"}

    result = geoaudit_cli("audit", f"{base}/", "-q", "--include", "/blog/")
    assert urls(result) == {f"{base}/", f"{base}/blog/"}


def test_robots_txt_is_obeyed_unless_ignored(tmp_path, serve, geoaudit_cli):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(
        '<title>T</title><a href="/secret.html">s</a><a href="/open.html">o</a>')
    (tmp_path / "site" / "secret.html").write_text("<title>S</title>")
    (tmp_path / "site" / "open.html").write_text("<title>O</title>")
    (tmp_path / "site" / "robots.txt").write_text("User-agent: geoaudit\nDisallow: /secret\n")
    base = serve(tmp_path / "site")

    result = geoaudit_cli("audit", f"{base}/", "-q")
    assert {p["url"] for p in result.report()["pages"]} == {f"{base}/", f"{base}/open.html"}
    assert result.report()["stats"]["blocked_by_robots"] == 1

    result = geoaudit_cli("audit", f"{base}/", "-q", "--ignore-robots")
    assert f"{base}/secret.html" in {p["url"] for p in result.report()["pages"]}


class AuthHandler(BaseHTTPRequestHandler):
    expected = "Basic " + base64.b64encode(b"stage:s3cret").decode()

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.headers.get("Authorization") != self.expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="staging"')
            self.end_headers()
            return
        body = (f"<title>Staging</title><p>{self.headers.get('X-Env', 'none')}</p>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_basic_auth_and_headers(tmp_path, geoaudit_cli):
    with serve_http(AuthHandler) as base:
        denied = geoaudit_cli("audit", f"{base}/", "-q")
        assert denied.code == 2
        assert denied.stderr.strip().splitlines()[-1] == (
            f"geoaudit: error: {base}/ answered HTTP 401 (use --auth user:pass)")
        ok = geoaudit_cli("audit", f"{base}/", "-q", "--auth", "stage:s3cret",
                          "--header", "X-Env: staging")
    assert ok.code == 0, ok.stderr
    (page,) = [p for p in ok.report()["pages"] if p["url"] == f"{base}/"]
    assert page["status"] == 200 and page["word_count"] == 1


class ErrorHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(503)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<h1>Service unavailable</h1>")


def test_site_answering_5xx_everywhere_exits_2_with_report(tmp_path, geoaudit_cli):
    with serve_http(ErrorHandler) as base:
        result = geoaudit_cli("audit", f"{base}/", "-q")
    assert result.code == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"geoaudit: error: {base}/ answered HTTP 503"
    report = result.report()
    assert [p["status"] for p in report["pages"]] == [503]
    rules = rules_by_url(report)
    assert ("AC001", f"{base}/") in rules and ("AC005", None) in rules


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_output_folder_that_is_a_file_exits_2_in_one_line(tmp_path, geoaudit_cli):
    taken = tmp_path / "taken"
    taken.write_text("not a folder")
    result = geoaudit_cli("audit", f"http://127.0.0.1:{free_port()}/", "-q", "-o", str(taken))
    assert result.code == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"geoaudit: error: cannot write to the output folder {taken}: File exists"]


def test_resume_refuses_a_crawl_left_by_another_version(tmp_path, geoaudit_cli):
    out = tmp_path / "out"
    (out / "crawl-state").mkdir(parents=True)
    (out / "crawl-state" / "spider.state").write_bytes(b"")
    db = sqlite3.connect(out / "geoaudit.sqlite")  # the layout before formats were recorded
    db.execute("CREATE TABLE pages (url TEXT PRIMARY KEY, status INTEGER, depth INTEGER, "
               "data TEXT NOT NULL)")
    db.commit()
    db.close()
    result = geoaudit_cli("audit", f"http://127.0.0.1:{free_port()}/", "-q", "--resume",
                          "-o", str(out))
    assert result.code == 2
    assert result.stderr.strip().splitlines() == [
        f"geoaudit: error: the interrupted crawl in {out} was made by another version of "
        "geoaudit; audit again without --resume"]


def test_unreachable_host_exits_2_in_one_line(geoaudit_cli):
    result = geoaudit_cli("audit", f"http://127.0.0.1:{free_port()}/", "-q")
    assert result.code == 2
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("geoaudit: error: cannot reach http://127.0.0.1:")
    assert "refused" in last.lower()


def test_robots_on_an_unreachable_host_exits_2_in_one_line(geoaudit_cli):
    """It once printed every bot "BLOCKED" (an unreachable robots.txt means disallow all, RFC
    9309) and exited 1: a host that answers nothing is not a robots.txt."""
    result = geoaudit_cli("robots", f"http://127.0.0.1:{free_port()}/", "-q")
    assert result.code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "BLOCKED" not in result.stderr
    assert result.stderr.startswith("geoaudit: error: cannot reach http://127.0.0.1:")


@pytest.mark.parametrize("args, message", [
    (["audit", "not-a-url"], "not an http(s) URL"),
    (["audit", "ftp://example.com/"], "not an http(s) URL"),
    (["audit", "http://127.0.0.1/", "--max-pages", "x"], "not a whole number"),
    (["audit", "http://127.0.0.1/", "--include", "("], "invalid regex"),
    (["audit", "http://127.0.0.1/", "--auth", "nocolon"], "user:password"),
    (["audit", "http://127.0.0.1/", "--site-url", "https://www.example.com/path"], "origin"),
    (["audit", "http://127.0.0.1/", "--header", "no colon"], "Name: value"),
    (["frobnicate"], "unknown command 'frobnicate' (choose from audit, report,"),
])
def test_usage_errors_exit_2_without_traceback(geoaudit_cli, args, message):
    result = geoaudit_cli(*args)
    assert result.code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_gates_fail_under_and_fail_on(site_url, geoaudit_cli):
    base = site_url("basic")
    passed = geoaudit_cli("audit", f"{base}/", "-q", "--fail-under", "1")
    assert passed.code == 0
    categories = passed.report()["categories"]
    failed = geoaudit_cli("audit", f"{base}/", "-q", "--fail-under", "100")
    assert failed.code == 1
    assert "overall score" in failed.stderr and "below --fail-under overall=100" in failed.stderr
    low = min((c for c in categories if categories[c] is not None), key=categories.get)
    per_category = geoaudit_cli("audit", f"{base}/", "-q", "--fail-under", "0",
                                "--fail-under", f"{low}={categories[low] + 1}")
    assert per_category.code == 1
    assert f"{low} score {categories[low]} is below" in per_category.stderr
    on_warning = geoaudit_cli("audit", f"{base}/", "-q", "--fail-on", "warning")
    assert on_warning.code == 1
    on_error = geoaudit_cli("audit", f"{base}/", "-q", "--fail-on", "error")
    errors = on_error.report()["stats"]["findings"].get("error", 0)
    assert on_error.code == (1 if errors else 0)


@pytest.mark.parametrize("value, message", [
    ("nosuch=50", "unknown category 'nosuch'"),
    ("101", "a score runs 0–100"),
    ("access=high", "not a score"),
])
def test_fail_under_usage_errors(geoaudit_cli, value, message):
    result = geoaudit_cli("audit", "http://127.0.0.1/", "--fail-under", value)
    assert result.code == 2
    assert message in result.stderr


def test_baseline_marks_new_unchanged_fixed_and_fail_on_new(tmp_path, serve, geoaudit_cli):
    import json
    import shutil

    site = tmp_path / "site"
    shutil.copytree(Path(__file__).parent / "fixtures" / "sites" / "basic", site)
    base = serve(site)
    first = geoaudit_cli("audit", f"{base}/", "-q", "-o", str(tmp_path / "a"))
    baseline = tmp_path / "a" / "report.json"
    old = json.loads(baseline.read_text())
    assert old["findings"]

    # Nothing changed: every finding is unchanged, and --fail-on-new passes despite warnings.
    same = geoaudit_cli("audit", f"{base}/", "-q", "-o", str(tmp_path / "b"),
                        "--baseline", str(baseline), "--fail-on-new", "--fail-on", "warning")
    assert same.code == 0, same.stderr
    report = json.loads((tmp_path / "b" / "report.json").read_text())
    assert {f["baseline"] for f in report["findings"]} == {"unchanged"}
    assert report["baseline"]["new"] == 0 and report["baseline"]["fixed"] == []

    # A regression (broken JSON-LD on /about.html) and a fix (/blog/ drops its noindex).
    about = site / "about.html"
    about.write_text(about.read_text().replace(
        "</head>", '<script type="application/ld+json">{"@type": "Organization",}</script></head>'))
    blog = site / "blog" / "index.html"
    blog.write_text(blog.read_text().replace('<meta name="robots" content="noindex">', ""))
    changed = geoaudit_cli("audit", f"{base}/", "-q", "-o", str(tmp_path / "c"),
                           "--baseline", str(baseline), "--fail-on-new", "--format", "html,json,md")
    assert changed.code == 1
    assert "new findings since the baseline" in changed.stderr
    report = json.loads((tmp_path / "c" / "report.json").read_text())
    new = [f for f in report["findings"] if f["baseline"] == "new"]
    # New: about.html's, and those of /blog/, judged now that it may be indexed (a template's
    # finding is new when it is on a page it was not on).
    changed_pages = {f"{base}/about.html", f"{base}/blog/"}
    assert new and all({f["url"], *(f["pages"] or [])} & changed_pages for f in new)
    assert any(f["url"] == f"{base}/about.html" for f in new)
    assert any(f["rule"] == "AC003" for f in report["baseline"]["fixed"])
    summary = (tmp_path / "c" / "report.md").read_text()
    fixed = len(report["baseline"]["fixed"])
    assert f"Since the baseline: {len(new)} new, {fixed} fixed" in summary
    # The HTML report marks the new findings and lists the fixed ones.
    html = (tmp_path / "c" / "report.html").read_text()
    assert f"<strong>{len(new)} new</strong>, <strong>{fixed} fixed</strong>" in html
    data = json.loads(re.search(r'id="finding-data">(.*?)</script>', html, re.S).group(1))
    marked = [(rule, row[0]) for rule, rows in data["rules"].items() for row in rows if row[3]]
    assert sorted(marked) == sorted((f["rule"], f["url"]) for f in new)
    fixed_list = html[html.index('id="fixed-findings"'):]
    assert "AC003" in fixed_list[:fixed_list.index("</details>")]

    text = geoaudit_cli("diff", str(baseline), str(tmp_path / "c" / "report.json"))
    assert text.code == 0, text.stderr
    assert f"{len(new)} new, {len(report['baseline']['fixed'])} fixed" in text.stdout
    as_json = json.loads(geoaudit_cli("diff", str(baseline), str(tmp_path / "c" / "report.json"),
                                      "--format", "json").stdout)
    assert len(as_json["new"]) == len(new)
    assert first.code == 0


@pytest.mark.parametrize("content, message", [
    (None, "cannot read"),
    ("{not json", "is not JSON"),
    ('{"findings": 3}', "is not a geoaudit report.json"),
])
def test_bad_baseline_is_a_one_line_error(tmp_path, geoaudit_cli, content, message):
    path = tmp_path / "old.json"
    if content is not None:
        path.write_text(content)
    result = geoaudit_cli("diff", str(path), str(path))
    assert result.code == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_demo_command(geoaudit_cli):
    result = geoaudit_cli("demo", "-q")
    assert result.code == 0, result.stderr
    report = result.report()
    assert report["target"]["site_url"] == "https://www.harborroast.example"
    assert report["stats"]["pages_crawled"] >= 10
    # The demo is built so that every category has something to say.
    assert all(score is not None for score in report["categories"].values())
    assert {f["category"] for f in report["findings"]} == set(report["categories"])
    llms = (result.out_dir / "llms.txt").read_text()
    assert llms.startswith("# Harbor Roast Coffee\n\n> ")
    # The closing summary names the top three issues, errors first.
    assert "  top issues:\n    1. CT001 Page has no title (error, 1 page)\n" in result.stdout
    assert result.stdout.count("\n    ") == 3


def test_demo_gate_prints_its_failing_findings_in_colour_when_forced(tmp_path):
    """The README's gate on the demo: --fail-on error exits 1 and names the two errors. Colour
    only under FORCE_COLOR (stdout and stderr are pipes here), never under NO_COLOR."""
    env = {**os.environ, "FORCE_COLOR": "1"}
    env.pop("NO_COLOR", None)
    run = lambda env: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "geoaudit.cli", "demo", "-q", "-o", str(tmp_path / "out"),
         "--fail-on", "error"], capture_output=True, text=True, timeout=120, env=env)
    forced = run(env)
    assert forced.returncode == 1, forced.stderr
    failing = [line for line in forced.stderr.splitlines() if line.startswith("  ")]
    assert len(failing) == 2 and all("\x1b[31merror" in line for line in failing)
    assert any("CT001" in line and "/products/burr-grinder-x2/" in line for line in failing)
    assert "score \x1b[33m80/100\x1b[0m" in forced.stdout
    plain = run({**env, "NO_COLOR": "1"})
    assert plain.returncode == 1 and "\x1b[" not in plain.stdout + plain.stderr
    assert "  error   CT001  https://www.harborroast.example/products/burr-grinder-x2/" in (
        plain.stderr)


def test_scrapy_project_lists_the_spider():
    repo = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=repo,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["geoaudit"]


def test_a_bug_exits_3_with_one_line(monkeypatch, capsys):
    from geoaudit import cli

    def broken(args):
        raise KeyError("boom")

    monkeypatch.setattr(cli.commands, "cmd_rules", broken)
    assert cli.main(["rules"]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("geoaudit: internal error: KeyError")
    assert "Traceback" not in err[0]


def test_report_writes_the_reports_again_from_the_stored_crawl(geoaudit_cli, site_url, tmp_path):
    audited = geoaudit_cli("audit", f"{site_url('basic')}/", "-q", "--no-probe")
    assert audited.code == 0, audited.stderr
    first = audited.report()
    (tmp_path / "out" / "report.json").unlink()
    again = geoaudit_cli("report", "-o", str(tmp_path / "out"), "--format", "json,md",
                         "--fail-on", "error")
    second = json.loads((tmp_path / "out" / "report.json").read_text())
    assert (tmp_path / "out" / "report.md").is_file()
    for key in ("target", "score", "categories", "pages", "findings"):
        assert second[key] == first[key], key
    errors = sum(1 for f in first["findings"] if f["severity"] == "error")
    assert again.code == (1 if errors else 0), again.stderr


def test_report_without_a_stored_audit_is_one_line(geoaudit_cli, tmp_path):
    result = geoaudit_cli("report", "-o", str(tmp_path / "none"))
    assert result.code == 2
    assert result.stderr.strip() == (f"geoaudit: error: no audit to report in {tmp_path / 'none'}: "
                                     f"run geoaudit audit -o {tmp_path / 'none'} first")
    assert not (tmp_path / "none").exists()


def test_a_failed_gate_names_the_failing_findings_and_annotates_them_on_github(
        site_url, geoaudit_cli, monkeypatch):
    """A failed gate once said only '3 findings of severity warning or worse'."""
    base = site_url("basic")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    failed = geoaudit_cli("audit", f"{base}/", "-q", "--fail-on", "warning")
    assert failed.code == 1
    report = failed.report()
    failing = [f for f in report["findings"] if f["severity"] in ("error", "warning")]
    assert failing
    listed = [line for line in failed.stderr.splitlines() if line.startswith("  ")]
    assert len(listed) == min(len(failing), 20) + (len(failing) > 20)
    first = min(failing, key=lambda f: ("error", "warning").index(f["severity"]))
    assert listed[0].split()[:2] == [first["severity"], first["rule"]]
    annotations = [line for line in failed.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == min(len(failing), 50)
    assert annotations[0].startswith(f"::{first['severity']} title=geoaudit {first['rule']}::")


def test_site_text_cannot_inject_workflow_commands():
    from geoaudit.cli.gate import annotation
    from geoaudit.models import Finding

    hostile = Finding("CT001", "warning", "content", "title\n::error::pwned\r%0A",
                      "https://a.example/x,y:z")
    line = annotation(hostile)
    assert "\n" not in line and "\r" not in line
    assert line == ("::warning title=geoaudit CT001::https://a.example/x,y:z: "
                    "title%0A::error::pwned%0D%250A")


def test_report_md_opens_with_the_gate_verdict_and_the_new_findings(site_url, geoaudit_cli,
                                                                   tmp_path):
    """report.md, what the README's workflow posts as the run summary, had neither the gate's
    verdict nor the new findings of a --baseline run."""
    base = site_url("basic")
    first = geoaudit_cli("audit", f"{base}/", "-q", "--format", "json,md",
                         "--fail-on", "warning")
    assert first.code == 1
    md = (first.out_dir / "report.md").read_text().splitlines()
    assert md[2].startswith("**Gate failed: ") and "or worse (--fail-on)**" in md[2]

    report = first.report()
    dropped = report["findings"].pop(0)  # so that the next run finds it new
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(report))
    again = geoaudit_cli("audit", f"{base}/", "-q", "--format", "md", "--baseline",
                         str(baseline), "--fail-on-new", "-o", str(tmp_path / "again"))
    assert again.code == 1
    md = (tmp_path / "again" / "report.md").read_text()
    assert md.splitlines()[2] == ("**Gate failed: 1 new findings since the baseline "
                                  "(--fail-on-new)**")
    assert "| New | Rule | Page | Finding |" in md
    assert f"| {dropped['severity']} | {dropped['rule']} |" in md
    passing = geoaudit_cli("audit", f"{base}/", "-q", "--format", "md", "--fail-under", "1",
                           "-o", str(tmp_path / "passing"))
    assert passing.code == 0
    assert (tmp_path / "passing" / "report.md").read_text().splitlines()[2] == "**Gate passed**"
