"""End-to-end llms.txt: the audit of a live llms.txt, and the `llms validate|generate` commands."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler

from llms_txt import parse_llms_file

from geoaudit.devserver import serve_http

LLMS = """# Kiln & Co

> Kiln & Co makes stoneware in Stoke and sells it online.

We fire every piece twice.

## About

- [Our studio](/about): Who we are
- [Old studio page](/studio-2019): Moved

## Services

- [Shop](/shop-old): Everything we sell

## Contact

- [Contact](/contact)
"""
PAGES = {
    "/": "<title>Kiln &amp; Co</title><meta name=description content='Stoneware from Stoke.'>"
         "<script type='application/ld+json'>{\"@type\": \"Organization\", \"name\": "
         "\"Kiln & Co\"}</script><main><p>Kiln &amp; Co makes stoneware in Stoke, fired twice "
         "in a gas kiln and glazed by hand.</p><a href='/about'>About</a></main>",
    "/about": "<title>About | Kiln &amp; Co</title><main><h1>About</h1><p>We are potters.</p>"
              "</main>",
    "/shop": "<title>Shop | Kiln &amp; Co</title><main><h1>Shop</h1><p>Mugs.</p></main>",
    "/contact": "<title>Contact | Kiln &amp; Co</title><main><p>Write to "
                "<a href='mailto:hi@kiln.example'>hi@kiln.example</a>.</p></main>",
}


class LlmsSiteHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, body="", content_type="text/html; charset=utf-8", location=None):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/robots.txt":
            return self.send(200, "User-agent: *\nAllow: /\n", "text/plain")
        if path == "/llms.txt":
            return self.send(200, LLMS, "text/markdown; charset=utf-8")
        if path == "/llm.txt":
            return self.send(302, location="/llms.txt")
        if path == "/about.md":
            return self.send(200, "# About\n\nWe are potters.\n", "text/markdown")
        if path == "/shop-old":
            return self.send(301, location="/shop")
        if path in PAGES:
            return self.send(200, PAGES[path])
        return self.send(404, "<h1>Not found</h1>")


def findings_by_rule(report: dict) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for finding in report["findings"]:
        grouped.setdefault(finding["rule"], []).append(finding)
    return grouped


def test_audit_of_a_live_llms_txt(geoaudit_cli):
    with serve_http(LlmsSiteHandler) as base:
        result = geoaudit_cli("audit", f"{base}/", "-q")
    assert result.code == 0, result.stderr
    report = result.report()
    llms = report["llms_txt"]
    assert llms["present"] is True and llms["status"] == 200 and llms["profile"] == "1.1.1"
    assert llms["lighthouse"]["verdict"] == "pass"
    assert {f["rule"] for f in llms["findings"]} == {"LT013"}  # relative links, lines 9-16
    assert sorted(f["line"] for f in llms["findings"]) == [9, 10, 14, 18]
    assert llms["valid"] is True  # warnings only
    rules = findings_by_rule(report)
    broken = rules["LT031"]
    assert [(f["line"], f["url"]) for f in broken] == [(10, f"{base}/llms.txt")]
    assert "/studio-2019 answers HTTP 404" in broken[0]["message"]
    assert [f["line"] for f in rules["LT032"]] == [14]  # /shop-old -> /shop
    assert "3 of 4 linked pages have no .md version" in rules["LT035"][0]["message"]
    assert "302, not 301" in rules["LT036"][0]["message"]
    assert "LT037" in rules  # no llms-full.txt
    assert "LT039" not in rules  # H1 matches the Organization name
    assert "LT041" not in rules  # the contact page links an address
    pages = {p["url"]: p for p in report["pages"]}
    assert pages[f"{base}/studio-2019"]["status"] == 404
    assert pages[f"{base}/studio-2019"]["found_via"] == "llms.txt"


def test_llms_profile_option_changes_severities(geoaudit_cli):
    with serve_http(LlmsSiteHandler) as base:
        result = geoaudit_cli("audit", f"{base}/", "-q", "--llms-profile", "llmstxt")
    report = result.report()
    assert report["llms_txt"]["profile"] == "llmstxt"
    assert "LT021" not in {f["rule"] for f in report["findings"]}


def test_validate_command_exit_codes_and_json_contract(geoaudit_cli, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("# Acme\n\n> Tools for makers.\n\nDetails.\n\n## About\n\n"
                    "- [About](https://acme.example/about)\n\n## Services\n\n"
                    "- [Shop](https://acme.example/shop)\n\n## Contact\n\n"
                    "- [Contact](https://acme.example/contact)\n")
    ok = geoaudit_cli("llms", "validate", str(good), "--format", "json")
    assert ok.code == 0, ok.stderr
    data = json.loads(ok.stdout)
    assert set(data) == {"valid", "profile", "findings", "lighthouse"}
    assert data["valid"] is True and data["findings"] == []
    assert data["lighthouse"] == {"verdict": "pass", "reason": "H1, links and length found"}

    bad = tmp_path / "bad.txt"
    bad.write_text("## Docs\n- https://acme.example\n")
    invalid = geoaudit_cli("llms", "validate", str(bad), "--format", "json")
    assert invalid.code == 1
    for finding in json.loads(invalid.stdout)["findings"]:
        assert {"rule", "severity", "line", "message"} <= set(finding)

    missing = geoaudit_cli("llms", "validate", str(tmp_path / "none.txt"))
    assert missing.code == 2 and "cannot read" in missing.stderr

    with serve_http(LlmsSiteHandler) as base:
        by_site = geoaudit_cli("llms", "validate", f"{base}/")  # site URL: /llms.txt appended
        by_url = geoaudit_cli("llms", "validate", f"{base}/llms.txt", "--profile", "llmstxt")
        not_found = geoaudit_cli("llms", "validate", f"{base}/docs/llms.txt")
    assert by_site.code == 0 and f"{base}/llms.txt: valid" in by_site.stdout
    assert "line 9" in by_site.stdout and "LT013" in by_site.stdout
    assert by_url.code == 0
    assert not_found.code == 2 and "HTTP 404" in not_found.stderr


def test_generate_command_writes_both_files(geoaudit_cli, tmp_path):
    with serve_http(LlmsSiteHandler) as base:
        result = geoaudit_cli("llms", "generate", f"{base}/", "-q", "-o",
                              str(tmp_path / "llms.txt"), "--full", str(tmp_path / "full.txt"))
        to_stdout = geoaudit_cli("llms", "generate", f"{base}/", "-q")
    assert result.code == 0, result.stderr
    text = (tmp_path / "llms.txt").read_text()
    assert text == to_stdout.stdout
    parsed = parse_llms_file(text)
    assert parsed.title == "Kiln & Co"
    assert parsed.summary == "Stoneware from Stoke."
    urls = {item["url"] for items in parsed.sections.values() for item in items}
    assert f"{base}/about" in urls and f"{base}/studio-2019" not in urls
    assert "mailto:hi@kiln.example" in urls
    assert (tmp_path / "full.txt").read_text().startswith("# Kiln & Co\n")


def big_llms_txt() -> str:
    """4.9 MB of llms.txt where nearly every line breaks a rule: bare URLs, relative and
    duplicate links, prose in a file list."""
    lines = ["# Big", "", "> A huge file.", "", "## Docs", ""]
    n = size = 0
    while size < 4_900_000:
        more = [f"- https://big.example/bare/{n}", f"- [Rel {n}](/rel/{n})",
                "- [Same](https://big.example/same)", f"Prose line {n} in the list."]
        lines += more
        size += sum(len(line) + 1 for line in more)
        n += 1
    return "\n".join(lines) + "\n"


def test_a_huge_llms_txt_gives_bounded_findings_and_says_how_many_were_left_out(
        geoaudit_cli, tmp_path):
    big = tmp_path / "llms.txt"
    big.write_text(big_llms_txt())
    result = geoaudit_cli("llms", "validate", str(big), "--format", "json", timeout=120)
    assert result.code == 0, result.stderr  # warnings only
    findings = json.loads(result.stdout)["findings"]
    by_rule: dict[str, int] = {}
    for f in findings:
        by_rule[f["rule"]] = by_rule.get(f["rule"], 0) + 1
    assert by_rule["LT010"] == 101 and by_rule["LT013"] == 101  # 100 listed, 1 counting the rest
    assert len(findings) < 1500
    rest = [f["message"] for f in findings
            if f["rule"] == "LT010" and "more like these" in f["message"]]
    assert len(rest) == 1 and rest[0].startswith("and ") and "not listed" in rest[0]
    count = int(rest[0].split()[1].replace(",", ""))
    assert count > 30_000  # counted, not silently dropped


def test_an_audit_of_a_site_with_a_huge_llms_txt_writes_reports_of_bounded_size(
        geoaudit_cli, serve, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<title>Big</title><main><p>Hello.</p></main>")
    (site / "llms.txt").write_text(big_llms_txt())
    result = geoaudit_cli("audit", f"{serve(site)}/", "-q", "--no-probe", "--max-pages", "5",
                          "--format", "json,sarif,junit,csv,md,html", timeout=180)
    assert result.code == 0, result.stderr
    out = tmp_path / "out"
    sizes = {p.name: p.stat().st_size for p in out.glob("report.*")}
    print("report sizes:", sizes)
    assert max(sizes.values()) < 1_000_000, sizes
    assert "more lines of difference, not shown" in (out / "report.html").read_text()


def _docs_site_under_a_path(root, *, own_llms_txt: bool) -> None:
    project = root / "project"
    (project / "guide").mkdir(parents=True)
    (project / "index.html").write_text(
        "<title>Widget docs</title><main><h1>Widget docs</h1>"
        '<p><a href="/project/guide/">The guide</a></p></main>')
    (project / "guide" / "index.html").write_text(
        "<title>Guide | Widget docs</title><main><h1>Guide</h1><p>Install it.</p></main>")
    if own_llms_txt:
        (project / "llms.txt").write_text(
            "# Widget docs\n\n> Docs for Widget.\n\n## Docs\n\n- [Guide](/project/guide/)\n")
    (project / "sitemap.xml").write_text(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
        "<loc>{base}/project/guide/</loc><lastmod>2026-11-30</lastmod></url></urlset>")


def test_a_docs_site_under_a_path_finds_its_own_llms_txt_and_sitemap(tmp_path, serve,
                                                                     geoaudit_cli):
    """A docs site at /project/ with a valid /project/llms.txt once got "llms.txt missing" and
    no sitemap: both were looked for at the origin root only."""
    _docs_site_under_a_path(tmp_path / "site", own_llms_txt=True)
    base = serve(tmp_path / "site")
    sitemap = tmp_path / "site" / "project" / "sitemap.xml"
    sitemap.write_text(sitemap.read_text().replace("{base}", base))
    result = geoaudit_cli("audit", f"{base}/project/", "--no-probe", "-q")
    assert result.code in (0, 1), result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["llms_txt"]["url"] == f"{base}/project/llms.txt"
    assert report["llms_txt"]["present"] is True
    assert not [f for f in report["findings"] if f["rule"] == "LT001"]
    assert report["stats"]["sitemap_urls"] == 1


def test_a_site_under_a_path_without_its_own_llms_txt_is_told_both_places(tmp_path, serve,
                                                                        geoaudit_cli):
    _docs_site_under_a_path(tmp_path / "site", own_llms_txt=False)
    base = serve(tmp_path / "site")
    result = geoaudit_cli("audit", f"{base}/project/", "--no-probe", "-q")
    assert result.code in (0, 1), result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    missing = [f["message"] for f in report["findings"] if f["rule"] == "LT001"]
    assert missing == ["/project/llms.txt and /llms.txt are missing (404)"]
    assert report["llms_txt"]["url"] == f"{base}/llms.txt"


def test_links_to_markdown_files_are_their_own_markdown_versions(tmp_path, serve, geoaudit_cli):
    """LT035 once said "2 of 2 linked pages have no .md version" of an llms.txt that links only
    .md files the site serves: it looked for guide.md.md."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<title>Widget</title><main><h1>Widget</h1></main>")
    (site / "guide.md").write_text("# Guide\n\nInstall it.\n")
    (site / "api.md").write_text("# API\n\nCall it.\n")
    (site / "llms.txt").write_text("# Widget\n\n> Widget docs.\n\n## Docs\n\n"
                                   "- [Guide](/guide.md)\n- [API](/api.md)\n")
    base = serve(site)
    result = geoaudit_cli("audit", f"{base}/", "--no-probe", "-q")
    assert result.code in (0, 1), result.stderr
    rules = findings_by_rule(result.report())
    assert "LT035" not in rules, rules["LT035"]
    assert "LT031" not in rules
