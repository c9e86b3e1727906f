"""A hostile site on 127.0.0.1: bombs, endless and cut bodies, stalls, resets, redirect loops,
crawl traps, rate limits, broken encodings and markup, site files answered with HTML. The audit
must finish within its time bound and its memory bound, record what went wrong, and keep
everything else."""

from __future__ import annotations

import gzip
import json
import os
import re
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

from geoaudit.devserver import serve_http

BOMB = 200 * 1024 * 1024  # decompressed bytes of each bomb
MEMORY_BOUND_KB = 600 * 1024
TIME_BOUND_S = 90

_GZIP_BOMB = gzip.compress(b"\0" * BOMB, compresslevel=9)
_DEFLATE_BOMB = zlib.compress(b"\0" * BOMB, 9)

PAGES = {
    "/bomb-gzip": "a gzip bomb",
    "/bomb-deflate": "a deflate bomb",
    "/huge": "a 40 MB page",
    "/endless": "an endless chunked body",
    "/stall": "headers, then silence",
    "/reset": "a connection reset",
    "/cut": "a body cut mid-way",
    "/loop-a": "a redirect loop",
    "/chain/0": "a chain of 30 redirects",
    "/calendar?month=0": "an endless calendar",
    "/grow?q=a": "an ever-growing query string",
    "/s;jsessionid=A1/page": "session ids in URLs",
    "/limited": "429 with Retry-After, then 200",
    "/flaky": "two 503s, then 200",
    "/down": "always 500",
    "/latin1": "Latin-1 bytes declared as UTF-8",
    "/invalid-utf8": "invalid UTF-8",
    "/binary": "binary served as text/html",
    "/malformed": "malformed HTML",
    "/inject": "script injection in URLs",
}


class Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hits: ClassVar[dict[str, int]] = {}
    times: ClassVar[dict[str, list[float]]] = {}
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def count(self, key: str) -> int:
        with self.lock:
            self.hits[key] = self.hits.get(key, 0) + 1
            return self.hits[key]

    def send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
             **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def start(self, **headers: str) -> None:
        """Status 200 and text/html with `headers`, the body left to the caller."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()

    def page(self, title: str, body: str = "", status: int = 200, **headers: str) -> None:
        html = (f"<!DOCTYPE html><html lang=en><head><title>{title}</title></head><body><main>"
                f"<h1>{title}</h1><p>{title} is a page of the hostile test site.</p>{body}"
                "</main></body></html>")
        self.send(status, html.encode(), **headers)

    def do_GET(self):
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query)
        if path == "/":
            links = "".join(f'<a href="{p}">{what}</a> ' for p, what in PAGES.items())
            return self.page("Hostile home", links)
        if path in ("/robots.txt", "/llms.txt", "/llms-full.txt", "/llm.txt", "/sitemap.xml"):
            # Site files answered with the site's HTML error page, status 200 (a soft 404).
            return self.page("Page not found")
        if path == "/bomb-gzip":
            return self.send(200, _GZIP_BOMB, Content_Encoding="gzip")
        if path == "/bomb-deflate":
            return self.send(200, _DEFLATE_BOMB, Content_Encoding="deflate")
        if path == "/huge":
            self.start(Content_Length=str(40 * 1024 * 1024))
            chunk = b"<p>" + b"x" * 65530 + b"</p>"
            try:
                for _ in range(40 * 16):
                    self.wfile.write(chunk)
            except OSError:
                pass
            return None
        if path == "/endless":
            self.start(Transfer_Encoding="chunked")
            chunk = b"<p>" + b"y" * 65530 + b"</p>"
            try:
                while True:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:
                return None
        if path == "/stall":
            self.start(Content_Length="100000")
            self.wfile.write(b"<html><head><title>Stalled")
            self.wfile.flush()
            time.sleep(20)
            return None
        if path == "/reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.close_connection = True
            return None
        if path == "/cut":
            self.start(Content_Length="100000")
            self.wfile.write(b"<html><head><title>Cut</title></head><body><p>Cut short")
            self.close_connection = True
            return None
        if path in ("/loop-a", "/loop-b"):
            self.send(302, b"", Location="/loop-b" if path == "/loop-a" else "/loop-a")
            return None
        if path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[1])
            if n < 30:
                return self.send(301, b"", Location=f"/chain/{n + 1}")
            return self.page("End of chain")
        if path == "/calendar":
            month = int(query.get("month", ["0"])[0])
            return self.page(f"Month {month}", f'<a href="/calendar?month={month + 1}">next</a>'
                                               f' <a href="/calendar?month={month - 1}">prev</a>')
        if path == "/grow":
            q = query.get("q", [""])[0]
            return self.page("Growing", f'<a href="/grow?q={q}a">more</a>')
        if path.startswith("/s;jsessionid=") or path.startswith("/s"):
            n = self.count("session")
            return self.page("Session page",
                             f'<a href="/s;jsessionid=X{n}/page">again</a> '
                             f'<a href="/s/page?PHPSESSID={n}&sid={n}">again</a>')
        if path == "/limited":
            self.times.setdefault("limited", []).append(time.monotonic())
            if self.count("limited") == 1:
                return self.send(429, b"slow down", "text/plain", Retry_After="1")
            return self.page("Rate limited, then served")
        if path == "/flaky":
            if self.count("flaky") <= 2:
                return self.send(503, b"busy", "text/plain")
            return self.page("Flaky, then served")
        if path == "/down":
            return self.send(500, b"<h1>Internal Server Error</h1>")
        if path == "/latin1":
            body = "<title>Café crème</title><main><h1>Café</h1><p>Crème brûlée.</p></main>"
            return self.send(200, body.encode("latin-1"))
        if path == "/invalid-utf8":
            return self.send(200, b"<title>Bad \xff\xfe bytes</title><main><p>\xc3\x28 \xa0</p>"
                                  b"</main>")
        if path == "/binary":
            return self.send(200, bytes(range(256)) * 64, "text/html")
        if path == "/malformed":
            return self.send(200, b"<html><head><title>Malformed<body><div><p><table><tr><td>"
                                  b"<main><h1>Broken</h2><p>Unclosed <b><i>tags</b></i>"
                                  b"<script>if (a < b) {</scr<!-- --></div></div></div>")
        if path == "/inject":
            injected = "/x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
            return self.page("Injected", '<a href="javascript:alert(1)">js</a>'
                                         f'<a href="{injected}">x</a>'
                                         '<a href="/%22onerror=alert(1)">y</a>')
        return self.page("Not found", status=404)


def run_audit(base: str, out: Path, *extra: str) -> tuple[subprocess.CompletedProcess, int,
                                                          float]:
    """Run the CLI; returns the process, its own peak RSS in KiB (os.wait4), its wall time."""
    started = time.monotonic()
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out.parent / "stdout", "w+") as stdout, open(out.parent / "stderr", "w+") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "geoaudit.cli", "audit", f"{base}/", "-q", "--no-probe",
             "--timeout", "3", "--max-pages", "300", "-o", str(out), *extra],
            cwd=out.parent, stdout=stdout, stderr=stderr,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > TIME_BOUND_S:
                proc.kill()
                proc.wait()
                pytest.fail("the audit hung")
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        done = subprocess.CompletedProcess(proc.args, proc.returncode, stdout.read(), stderr.read())
    return done, usage.ru_maxrss, time.monotonic() - started


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile") / "out"
    Hostile.hits, Hostile.times = {}, {}
    with serve_http(Hostile) as base:
        proc, peak_kb, seconds = run_audit(base, out)
    import json

    report = json.loads((out / "report.json").read_text())
    return proc, peak_kb, seconds, report, base, out


def pages_by_path(report: dict, base: str) -> dict[str, dict]:
    return {p["url"].removeprefix(base): p for p in report["pages"]}


def test_hostile_site_finishes_in_bounds_without_traceback(hostile_report):
    proc, peak_kb, seconds, report, _, _ = hostile_report
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert seconds < TIME_BOUND_S
    assert peak_kb < MEMORY_BOUND_KB, f"peak RSS {peak_kb} KiB"
    assert report["target"]["partial"] is False


@pytest.mark.parametrize("path, expected", [
    ("/bomb-gzip", "decompression bomb"),
    ("/bomb-deflate", "decompression bomb"),
    ("/huge", "larger than the download limit of 20 mib"),
    ("/endless", "larger than the download limit of 20 mib"),
    ("/stall", "took longer than 3.0 seconds"),
    ("/reset", "closed or reset the connection"),
    ("/cut", "data lost"),
])
def test_broken_responses_are_recorded_with_a_reason(hostile_report, path, expected):
    _, _, _, report, base, _ = hostile_report
    page = pages_by_path(report, base)[path]
    assert page["status"] is None or page["error"], page
    assert expected in (page["error"] or "").lower(), page["error"]


def test_redirect_loops_and_long_chains_end_with_a_reason(hostile_report):
    _, _, _, report, base, _ = hostile_report
    pages = pages_by_path(report, base)
    assert "redirect" in (pages["/loop-a"]["error"] or "").lower()
    assert "redirect" in (pages["/chain/0"]["error"] or "").lower()


def test_crawl_traps_are_capped_and_noted(hostile_report):
    _, _, _, report, base, _ = hostile_report
    paths = list(pages_by_path(report, base))
    assert sum(p.startswith("/calendar") for p in paths) <= 50
    assert sum(p.startswith("/grow") for p in paths) <= 50
    assert max(len(p) for p in paths) <= 2048
    sessions = [p for p in paths if p.startswith("/s")]
    assert len(sessions) <= 2, sessions  # session ids do not make new pages
    assert any("trap" in note for note in report["notes"]), report["notes"]


def test_rate_limits_and_bursts_of_5xx_are_retried(hostile_report):
    _, _, _, report, base, _ = hostile_report
    pages = pages_by_path(report, base)
    assert pages["/limited"]["status"] == 200
    first, retry = Hostile.times["limited"][:2]
    assert retry - first >= 0.9  # the 1-second Retry-After was honoured
    assert pages["/flaky"]["status"] == 200
    assert pages["/down"]["status"] == 500


def test_broken_encodings_binary_and_malformed_html_still_make_pages(hostile_report):
    _, _, _, report, base, _ = hostile_report
    pages = pages_by_path(report, base)
    assert pages["/latin1"]["title"] and "Caf" in pages["/latin1"]["title"]
    assert pages["/invalid-utf8"]["status"] == 200
    assert pages["/binary"]["status"] == 200
    assert pages["/malformed"]["title"].startswith("Malformed")
    assert not [f for f in report["findings"] if f["rule"] == "GA000"]


def test_site_files_answered_with_html_are_findings(hostile_report):
    _, _, _, report, base, _ = hostile_report
    found = {(f["rule"], (f["url"] or "").removeprefix(base)) for f in report["findings"]}
    assert ("AC012", "/robots.txt") in found    # robots.txt is an HTML page
    assert ("LT030", "/llms.txt") in found      # llms.txt served as text/html
    assert ("LT038", "/llms-full.txt") in found
    assert ("AC015", "/sitemap.xml") in found   # the sitemap is an HTML page
    html = [f for f in report["findings"] if f["rule"] == "LT016"]
    assert len(html) == 1  # one HTML page is one finding, not one per tag


def test_injected_urls_are_escaped_and_never_crawled(hostile_report):
    _, _, _, report, base, out = hostile_report
    paths = pages_by_path(report, base)
    assert not any(p.startswith("javascript:") for p in paths)
    assert any("%3Cscript%3E" in p or "<script>" in p for p in paths)  # crawled, as data
    html = (out / "report.html").read_text()
    assert "<script>alert(1)" not in html and 'href="javascript:' not in html


def wait_for_store(out: Path, seconds: float = 60) -> None:
    """Until the audit writing to `out` has begun storing pages."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not (out / "geoaudit.sqlite").exists():
        time.sleep(0.1)


class Endless(BaseHTTPRequestHandler):
    """Every page links to three new ones and answers after 0.2 s."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        time.sleep(0.2)
        n = int(self.path.rsplit("/", 1)[-1]) if self.path.startswith("/p/") else 0
        body = "".join(f'<a href="/p/{3 * n + k}">p</a>' for k in (1, 2, 3)).encode()
        self.send_response(200 if self.path != "/robots.txt" else 404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.mark.parametrize(("signum", "group"),
                         [(signal.SIGINT, False), (signal.SIGTERM, False), (signal.SIGINT, True)],
                         ids=["SIGINT", "SIGTERM", "ctrl-c-to-the-process-group"])
def test_interrupt_stops_cleanly_and_writes_a_partial_report(tmp_path, signum, group):
    """A terminal's Ctrl-C reaches the extraction workers too: they must finish the pages in
    hand, not die and take them down."""
    out = tmp_path / "out"
    with serve_http(Endless) as base:
        proc = subprocess.Popen(
            [sys.executable, "-m", "geoaudit.cli", "audit", f"{base}/", "--no-probe",
             "-o", str(out)],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=group,
        )
        wait_for_store(out)
        time.sleep(1.5)
        if group:
            os.killpg(proc.pid, signum)
        else:
            proc.send_signal(signum)
        _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 2, stderr
    assert "Traceback" not in stderr and "interrupted" in stderr.strip().splitlines()[-1]
    assert "worker" not in stderr
    import json

    report = json.loads((out / "report.json").read_text())
    assert report["target"]["partial"] is True
    assert 0 < report["stats"]["pages_crawled"] < 500
    assert "partial" in (out / "report.html").read_text()
    db = sqlite3.connect(out / "geoaudit.sqlite")
    errors = db.execute("SELECT json_extract(head, '$.parse_error') FROM page_data").fetchall()
    db.close()
    assert not [e for (e,) in errors if e], "pages lost to a worker stopped by the signal"


class SitemapBombs(BaseHTTPRequestHandler):
    """robots.txt announces a gzip bomb, an endlessly nested sitemap index and a sitemap over
    the 50,000-URL limit."""

    def log_message(self, *args):
        pass

    def send(self, body: bytes, ctype: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        host = f"http://{self.headers['Host']}"
        if self.path == "/robots.txt":
            lines = "".join(f"Sitemap: {host}/sm/{n}\n" for n in ("bomb.xml.gz", "index-0.xml",
                                                                   "huge.xml"))
            return self.send(f"User-agent: *\nAllow: /\n{lines}".encode(), "text/plain")
        if self.path == "/sm/bomb.xml.gz":
            return self.send(_GZIP_BOMB, "application/gzip")
        if self.path.startswith("/sm/index-"):
            n = int(self.path.removeprefix("/sm/index-").removesuffix(".xml"))
            body = (f'<sitemapindex {ns}><sitemap><loc>{host}/sm/index-{n + 1}.xml</loc>'
                    "</sitemap></sitemapindex>")
            return self.send(body.encode(), "application/xml")
        if self.path == "/sm/huge.xml":
            urls = "".join(f"<url><loc>{host}/p/{n}</loc></url>" for n in range(60_000))
            return self.send(f"<urlset {ns}>{urls}</urlset>".encode(), "application/xml")
        return self.send(b"<title>Page</title><main><p>A page.</p></main>", "text/html")


def test_sitemap_bombs_are_bounded_and_reported(tmp_path):
    with serve_http(SitemapBombs) as base:
        proc, peak_kb, seconds = run_audit(base, tmp_path / "out", "--max-pages", "5")
    assert proc.returncode == 0, proc.stderr
    assert peak_kb < MEMORY_BOUND_KB and seconds < TIME_BOUND_S
    import json

    report = json.loads((tmp_path / "out" / "report.json").read_text())
    problems = {f["url"].removeprefix(base): f["message"] for f in report["findings"]
                if f["rule"] == "AC015"}
    assert "cannot decompress" in problems["/sm/bomb.xml.gz"]
    assert "more than 50000 entries" in problems["/sm/huge.xml"]
    assert "nested 4 deep" in problems["/sm/index-3.xml"]
    assert "/sm/index-4.xml" not in {s["url"].removeprefix(base) for s in report["sitefiles"]}


def test_resume_continues_an_interrupted_crawl_without_losing_or_duplicating_pages(tmp_path):
    import json

    budget = 250  # pages at 0.2 s each: seconds, so the stop lands mid-way

    out = tmp_path / "out"
    argv = [sys.executable, "-m", "geoaudit.cli", "audit", "--no-probe", "-q", "--max-pages",
            str(budget), "-o", str(out)]
    with serve_http(Endless) as base:
        first = subprocess.Popen([*argv, f"{base}/"], cwd=tmp_path, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        wait_for_store(out)
        time.sleep(0.5)
        first.send_signal(signal.SIGINT)
        _, stderr = first.communicate(timeout=60)
        assert first.returncode == 2, stderr
        before = json.loads((out / "report.json").read_text())
        assert before["target"]["partial"] is True
        assert 0 < before["stats"]["pages_crawled"] < budget
        assert (out / "crawl-state").is_dir()

        resumed = subprocess.run([*argv, f"{base}/", "--resume"], cwd=tmp_path,
                                 capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    after = json.loads((out / "report.json").read_text())
    assert after["target"]["partial"] is False
    urls = [p["url"] for p in after["pages"]]
    assert len(urls) == len(set(urls)) == budget  # the budget, once each
    assert {p["url"] for p in before["pages"]} <= set(urls)  # nothing fetched before is lost
    # Every page links to three new ones: all stored pages answered 200, none failed.
    assert {p["status"] for p in after["pages"]} == {200}
    assert not (out / "crawl-state").exists()


def test_resume_without_an_interrupted_crawl_is_a_one_line_error(tmp_path, geoaudit_cli):
    result = geoaudit_cli("audit", "http://127.0.0.1:9/", "--resume")
    assert result.code == 2
    assert "nothing to resume" in result.stderr and "Traceback" not in result.stderr


def _children(pid: int) -> list[int]:
    """The process's children and their children."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            kids = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        found += [int(k) for k in kids]
        todo += [int(k) for k in kids]
    return found


@pytest.mark.parametrize("gap", [0.1, 0.3, 0.8])
def test_a_second_ctrl_c_stops_at_once_and_resume_loses_nothing(tmp_path, gap):
    """The usual force quit: Ctrl-C to the process group, then again `gap` seconds later. The
    first is acknowledged; the second stops at once, yet the store is intact and --resume
    completes the crawl with every page once (the store was left locked and the crawl state
    deleted before: 'database is locked', exit 3, 'nothing to resume')."""
    import json

    budget, out = 150, tmp_path / "out"
    argv = [sys.executable, "-m", "geoaudit.cli", "audit", "--no-probe", "--max-pages",
            str(budget), "-o", str(out)]
    with serve_http(Endless) as base:
        first = subprocess.Popen([*argv, f"{base}/"], cwd=tmp_path, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, start_new_session=True)
        wait_for_store(out)
        time.sleep(1.0)
        os.killpg(first.pid, signal.SIGINT)
        time.sleep(gap)
        os.killpg(first.pid, signal.SIGINT)
        _, stderr = first.communicate(timeout=60)
        assert first.returncode in (2, -signal.SIGINT), stderr
        assert "stopping: finishing" in stderr and "Traceback" not in stderr
        assert "internal error" not in stderr, stderr
        assert (out / "crawl-state" / "spider.state").is_file()
        resumed = subprocess.run([*argv, f"{base}/", "--resume", "-q"], cwd=tmp_path,
                                 capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    after = json.loads((out / "report.json").read_text())
    urls = [p["url"] for p in after["pages"]]
    assert len(urls) == len(set(urls)) == budget
    assert {p["status"] for p in after["pages"]} == {200}


def test_extraction_workers_die_with_a_killed_audit(tmp_path):
    out = tmp_path / "out"
    with serve_http(Endless) as base:
        proc = subprocess.Popen(
            [sys.executable, "-m", "geoaudit.cli", "audit", f"{base}/", "--no-probe", "-q",
             "-o", str(out)], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_store(out)
        time.sleep(1.0)
        workers = _children(proc.pid)
        assert workers, "no extraction worker to watch"
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
            time.sleep(0.1)
    alive = [w for w in workers if Path(f"/proc/{w}").exists()
             and "Z" not in Path(f"/proc/{w}/stat").read_text().split()[2]]
    assert alive == [], "extraction workers outlived their audit"


def test_a_second_audit_into_the_same_folder_is_refused_and_the_first_is_intact(tmp_path):
    import json

    out = tmp_path / "out"
    argv = [sys.executable, "-m", "geoaudit.cli", "audit", "--no-probe", "-q", "--max-pages",
            "60", "-o", str(out)]
    with serve_http(Endless) as base:
        first = subprocess.Popen([*argv, f"{base}/"], cwd=tmp_path, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        wait_for_store(out)
        second = subprocess.run([*argv, f"{base}/other"], cwd=tmp_path, capture_output=True,
                                text=True, timeout=60)
        _, first_err = first.communicate(timeout=120)
    assert second.returncode == 2
    assert second.stderr.strip().splitlines() == [
        f"geoaudit: error: another geoaudit is writing to {out}: wait for it, or choose another -o"
    ]
    assert first.returncode == 0, first_err
    report = json.loads((out / "report.json").read_text())
    assert report["target"]["url"] == f"{base}/" and report["stats"]["pages_crawled"] == 60
    assert not list(out.glob(".*.tmp")), "a temporary report was left behind"


@pytest.mark.parametrize("name", ["report.json", "llms.txt", "crawl-state", "geoaudit.sqlite"])
@pytest.mark.parametrize("kind", ["file", "folder", "symlink"])
def test_files_geoaudit_did_not_write_are_never_touched(tmp_path, geoaudit_cli, site_url, name,
                                                        kind):
    """A hand-written llms.txt in `-o .`, a folder of the user's called crawl-state, a symlink
    to a file elsewhere: once overwritten, deleted or written through."""
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    mine = out / name
    if kind == "file":
        mine.write_text("keep me")
    elif kind == "folder":
        mine.mkdir()
        (mine / "notes.txt").write_text("keep me")
    else:
        mine.symlink_to(outside)
    result = geoaudit_cli("audit", f"{site_url('basic')}/", "-q", "--no-probe")
    assert result.code == 2
    assert result.stderr.strip() == (
        f"geoaudit: error: {mine} is a {kind} geoaudit did not write; "
        "move it away or choose another -o"
    )
    assert outside.read_text() == "keep me"
    kept = {"file": mine, "folder": mine / "notes.txt", "symlink": outside}[kind]
    assert kept.read_text() == "keep me" and mine.is_symlink() == (kind == "symlink")
    assert not (out / "report.html").exists()


def test_a_folder_geoaudit_wrote_is_written_again(geoaudit_cli, site_url):
    for _ in range(2):
        result = geoaudit_cli("audit", f"{site_url('basic')}/", "-q", "--no-probe")
        assert result.code == 0, result.stderr
    assert result.report()["pages"]


def test_a_lone_surrogate_in_json_ld_loses_no_page(tmp_path, geoaudit_cli, serve):
    """`"\\ud83d"` without its pair in JSON-LD: the home page once failed the audit ('was not
    fetched', exit 2) and other pages vanished from every report."""
    site = tmp_path / "site"
    (site / "about").mkdir(parents=True)
    org = ('<script type="application/ld+json">'
           '{"@type": "Organization", "name": "A\\ud83d"}</script>')
    (site / "index.html").write_text(f'<title>Home</title>{org}<a href="/about/">About</a>')
    (site / "about" / "index.html").write_text(f"<title>About</title>{org}<p>About us.</p>")
    result = geoaudit_cli("audit", f"{serve(site)}/", "-q", "--no-probe",
                          "--format", "json,csv,html,sarif,junit,md")
    assert result.code == 0, result.stderr
    report = result.report()
    assert sorted(p["title"] for p in report["pages"]) == ["About", "Home"]
    assert report["stats"]["pages_crawled"] == 2


class FannedSitemaps(BaseHTTPRequestHandler):
    """A home page linking 100 pages, and a sitemap index of 5,000 child sitemaps of 50 URLs
    each: a shop's sitemap, on a site whose linked pages are what an audit must see first."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        path, kind = self.path, "text/html"
        if path == "/":
            body = "<title>Home</title>" + "".join(f'<a href="/p/{n}">p</a>' for n in range(100))
        elif path.startswith("/p/") or path.startswith("/s/"):
            body = f"<title>{path}</title><p>A page.</p>"
        elif path == "/sitemap.xml":
            kind = "application/xml"
            body = ('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    + "".join(f"<sitemap><loc>{self.base}/sm/{n}.xml</loc></sitemap>"
                              for n in range(5000)) + "</sitemapindex>")
        elif path.startswith("/sm/"):
            kind, n = "application/xml", path.removeprefix("/sm/").removesuffix(".xml")
            time.sleep(0.05)
            body = ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    + "".join(f"<url><loc>{self.base}/s/{n}/{k}</loc></url>" for k in range(50))
                    + "</urlset>")
        else:
            body, kind = "", "text/plain"
        data = body.encode()
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def test_a_fanned_out_sitemap_index_never_starves_the_linked_pages(tmp_path):
    import json

    out = tmp_path / "out"
    with serve_http(FannedSitemaps) as base:
        FannedSitemaps.base = base
        proc, peak_kb, seconds = run_audit(base, out)
    print(f"fanned-out sitemaps: {seconds:.1f} s, peak RSS {peak_kb // 1024} MB")
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads((out / "report.json").read_text())
    paths = {p["url"].removeprefix(base) for p in report["pages"]}
    assert {f"/p/{n}" for n in range(100)} <= paths
    assert len(paths) <= 300
    assert seconds < 60
    assert any("sitemap" in note for note in report["notes"]), report["notes"]


def test_a_robots_txt_over_5_mib_is_read_as_the_crawl_reads_it(tmp_path, geoaudit_cli, serve):
    """A 6 MiB robots.txt: the crawl obeyed it while the report called it unreachable, with
    everything disallowed, and named a 20 MiB limit."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<title>Home</title><a href="/private/x">x</a>')
    (site / "robots.txt").write_text(
        "User-agent: *\nDisallow: /private/\n" + "# padding\n" * (6 * 1024 * 1024 // 10))
    result = geoaudit_cli("audit", f"{serve(site)}/", "-q", "--no-probe")
    assert result.code in (0, 1), result.stderr
    robots = result.report()["ai_access"]["robots"]
    assert robots["mode"] == "rules" and robots["truncated"] is True, robots
    bots = {b["token"]: b for b in result.report()["ai_access"]["bots"]}
    assert bots["GPTBot"]["allowed"] is True


def test_resume_refuses_another_url(tmp_path):
    """--resume with another URL resumed the old site under the new label."""
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "geoaudit.cli", "audit", "--no-probe", "-q", "--max-pages",
            "200", "-o", str(out)]
    with serve_http(Endless) as base:
        first = subprocess.Popen([*argv, f"{base}/"], cwd=tmp_path, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        wait_for_store(out)
        time.sleep(0.5)
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=60)
        other = subprocess.run([*argv, "http://127.0.0.1:9/", "--resume"], cwd=tmp_path,
                               capture_output=True, text=True, timeout=60)
    assert other.returncode == 2
    lines = other.stderr.strip().splitlines()
    assert len(lines) == 1 and f"is of {base}/ with other scope options" in lines[0]
    assert (out / "crawl-state" / "spider.state").is_file()  # still resumable as it was


class Trickle(BaseHTTPRequestHandler):
    """Answers 200 and then one byte every half second, for ever: each read is within any
    socket timeout, the whole answer never comes."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        try:
            for _ in range(10_000):
                self.wfile.write(b"#")
                self.wfile.flush()
                time.sleep(0.5)
        except OSError:
            pass


def test_llms_validate_gives_up_on_a_trickling_server(geoaudit_cli):
    with serve_http(Trickle) as base:
        started = time.monotonic()
        result = geoaudit_cli("llms", "validate", f"{base}/llms.txt", "--timeout", "2",
                              timeout=30)
        took = time.monotonic() - started
    assert result.code == 2
    assert result.stderr.strip() == (
        f"geoaudit: error: cannot read {base}/llms.txt: no complete answer within 2 s"
    )
    assert took < 10


class BigPages(BaseHTTPRequestHandler):
    """A tree of 120 pages of about 20 KB of text each, answered at once."""

    PAGES = 120

    def log_message(self, *args):
        pass

    def do_GET(self):
        n = int(self.path.rsplit("/", 1)[-1]) if self.path.startswith("/p/") else 0
        links = "".join(f'<a href="/p/{3 * n + k}">p</a>' for k in (1, 2, 3)
                        if 3 * n + k < self.PAGES)
        words = " ".join(f"word{n}x{i}" for i in range(2500))
        body = f"<title>Page {n}</title><main><p>{words}</p>{links}</main>".encode()
        self.send_response(200 if self.path != "/robots.txt" else 404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _mounted_tmpfs(disk: Path, options: str) -> Iterator[Path]:
    """A tmpfs at `disk` (root only: as root, a chmod'ed folder is still writable)."""
    disk.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(disk)], capture_output=True
    ).returncode == 0
    if not mounted:
        pytest.skip("needs root to mount a tmpfs")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB file system, for the full-disk case."""
    yield from _mounted_tmpfs(tmp_path / "disk", "size=1m")


@pytest.fixture
def read_only_disk(tmp_path):
    yield from _mounted_tmpfs(tmp_path / "ro", "ro,size=1m")


@pytest.mark.parametrize("where", [".", "out"])
def test_a_read_only_output_folder_is_one_line_before_the_crawl(geoaudit_cli, read_only_disk,
                                                                where):
    """A read-only -o once ended in a Twisted traceback and exit 3."""
    out = read_only_disk / where
    result = geoaudit_cli("audit", "http://127.0.0.1:9/", "-q", "-o", str(out))
    assert result.code == 2
    assert result.stderr.strip() == (
        f"geoaudit: error: cannot write to the output folder {out}: Read-only file system"
    )


def test_a_full_disk_names_the_file_keeps_the_crawl_and_resume_completes_it(tmp_path, small_disk):
    out = small_disk / "out"
    argv = [sys.executable, "-m", "geoaudit.cli", "audit", "--no-probe", "-q", "-o", str(out)]
    with serve_http(BigPages) as base:
        full = subprocess.run([*argv, f"{base}/"], cwd=tmp_path, capture_output=True, text=True,
                              timeout=120)
        assert full.returncode == 2, full.stderr
        # Whichever fills the disk first: the store or the crawl's request queue.
        assert re.fullmatch(
            f"geoaudit: error: cannot write {re.escape(str(out))}/(geoaudit.sqlite: database or "
            "disk is full|crawl-state/requests.queue: No space left on device); the pages stored "
            "so far and the crawl's state are kept: make room, then run the same command with "
            "--resume", full.stderr.strip()), full.stderr
        assert not list(out.glob("report.*")), "no report (let alone a 0-byte one)"
        stored = sqlite3.connect(out / "geoaudit.sqlite").execute(
            "SELECT COUNT(*) FROM pages").fetchone()[0]
        assert 0 < stored < BigPages.PAGES
        subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
        resumed = subprocess.run([*argv, f"{base}/", "--resume"], cwd=tmp_path,
                                 capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    report = json.loads((out / "report.json").read_text())
    urls = [p["url"] for p in report["pages"]]
    expected = {f"{base}/"} | {f"{base}/p/{n}" for n in range(1, BigPages.PAGES)}
    assert len(urls) == len(set(urls)), "a page stored twice"
    assert expected == set(urls), (expected - set(urls), stored)
    assert {p["status"] for p in report["pages"]} == {200}


def _store_a_crawl(out: Path, pages: int) -> None:
    """A stored audit of `pages` generated pages, made in-process (no crawl): what
    `geoaudit report` judges again."""
    from benchmarks.sitegen import generate
    from geoaudit.extract import build_page
    from geoaudit.models import FetchRecord
    from geoaudit.store import Store

    site = out.parent / "site"
    generate(pages, site)
    base = "http://127.0.0.1:9"
    store = Store.in_dir(out, fresh=True)
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix().removesuffix("index.html")
        url = f"{base}/{rel}"
        fetch = FetchRecord(url=url, requested_url=url, status=200, content_type="text/html")
        store.add_page(build_page(fetch, path.read_bytes(), "utf-8"))
    store.set_meta("audit", {"start_url": f"{base}/", "site_url": None, "stats": {},
                             "started_at": "2026-01-01T00:00:00Z",
                             "finished_at": "2026-01-01T00:01:00Z", "duration_s": 60.0})
    store.close()


def _has_open(pid: int, name: str) -> bool:
    fds = Path(f"/proc/{pid}/fd")
    try:
        return any(os.readlink(fd).endswith(name) for fd in fds.iterdir())
    except OSError:
        return False


@pytest.fixture(scope="module")
def stored_crawl(tmp_path_factory):
    out = tmp_path_factory.mktemp("stored") / "out"
    _store_a_crawl(out, 400)
    return out


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_the_analysis_stops_it_at_once_with_the_store_intact(tmp_path, signum,
                                                                             stored_crawl):
    """`geoaudit report` analyses without crawling: SIGTERM once killed it outright, since only
    a crawl installed the handler."""
    import shutil

    out = tmp_path / "out"
    shutil.copytree(stored_crawl, out)
    argv = [sys.executable, "-m", "geoaudit.cli", "report", "-q", "-o", str(out)]
    proc = subprocess.Popen(argv, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 60
    while not _has_open(proc.pid, "geoaudit.sqlite") and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # into the analysis of 400 pages (2 s on 2 cores)
    assert proc.poll() is None, "the analysis ended before the signal: make the site bigger"
    proc.send_signal(signum)
    started = time.monotonic()
    _, stderr = proc.communicate(timeout=60)
    assert time.monotonic() - started < 5
    assert proc.returncode == 2 and stderr.strip() == "geoaudit: interrupted", stderr
    assert not list(out.glob("report.*")) and not list(out.glob(".*.tmp"))
    again = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert again.returncode in (0, 1), again.stderr
    assert len(json.loads((out / "report.json").read_text())["pages"]) > 300


def test_a_ctrl_c_that_lands_in_a_finaliser_still_stops_the_command(tmp_path):
    """A second Ctrl-C just after the crawl ended once landed in a weakref callback during
    garbage collection: Python printed "Exception ignored in ... KeyboardInterrupt" and the
    command carried on as if never interrupted (1 run in about 15 of the double Ctrl-C test)."""
    script = tmp_path / "finaliser.py"
    script.write_text(
        "import os, signal\n"
        "from geoaudit import errors\n"
        "errors.stop_on_signals()\n"
        "class Finaliser:\n"
        "    def __del__(self):\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "Finaliser()\n"
        "try:\n"
        "    errors.raise_lost_interrupt()\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted')\n"
    )
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            timeout=30)
    assert result.stdout == "interrupted\n" and result.stderr == "", result


class RefreshingNotFound(BaseHTTPRequestHandler):
    """Every missing URL answers 404 with a page that refreshes to /tracking/ at once."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/":
            status, body = 200, '<title>Home</title><main><a href="/gone">gone</a></main>'
        elif self.path == "/tracking/":
            status, body = 200, "<title>Track a parcel</title><main><p>Track it.</p></main>"
        else:
            status = 404
            body = '<meta http-equiv="refresh" content="0; url=/tracking/"><title>404</title>'
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def test_a_404_page_that_refreshes_elsewhere_is_still_a_404(geoaudit_cli):
    """Scrapy follows a meta refresh whatever the status: a courier site's 404 page, refreshing
    to its tracking page, made every missing URL a 200, its llms.txt among them (six false
    llms.txt findings, no "llms.txt missing") and hid its broken links."""
    with serve_http(RefreshingNotFound) as base:
        result = geoaudit_cli("audit", f"{base}/", "--no-probe", "-q")
    assert result.code in (0, 1), result.stderr
    report = result.report()
    pages = pages_by_path(report, base)
    assert pages["/gone"]["status"] == 404
    rules = {f["rule"] for f in report["findings"]}
    assert "LT001" in rules and "LT002" not in rules
    assert report["llms_txt"]["present"] is False
