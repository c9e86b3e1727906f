"""End-to-end AI access: the User-Agent probe against a server that refuses bots, the SPA shell,
and `geoaudit robots` on a URL and on a file."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler

from geoaudit.devserver import serve_http

ROBOTS = b"User-agent: *\nAllow: /\n\nUser-agent: CCBot\nDisallow: /\n"
PAGE = ("<html><head><title>Shop</title><meta name='description' content='A shop.'></head>"
        "<body><main><h1>Shop</h1><p>" + "We sell hand-made ceramics. " * 40 + "</p>"
        "<a href='/app'>App</a></main></body></html>").encode()
SPA = (b"<html><head><title>App</title></head><body><div id='root'></div>"
       b"<script src='/bundle.js'></script></body></html>")


class BotBlockingHandler(BaseHTTPRequestHandler):
    """A CDN-like server: 403 to GPTBot and OAI-SearchBot, a challenge page to PerplexityBot."""

    def log_message(self, *args):
        pass

    def send(self, status: int, body: bytes, content_type: str = "text/html") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        agent = self.headers.get("User-Agent", "")
        if self.path == "/robots.txt":
            return self.send(200, ROBOTS, "text/plain")
        if "GPTBot" in agent or "OAI-SearchBot" in agent:
            return self.send(403, b"<h1>Forbidden</h1>")
        if "PerplexityBot" in agent:
            return self.send(200, b"<title>Just a moment...</title><p>Checking your browser</p>")
        if self.path == "/":
            return self.send(200, PAGE)
        if self.path == "/app":
            return self.send(200, SPA)
        return self.send(404, b"not found")


def bots_by_token(report: dict) -> dict[str, dict]:
    return {b["token"]: b for b in report["bots"]}


def test_probe_reports_bots_the_server_refuses_although_robots_allows(geoaudit_cli):
    with serve_http(BotBlockingHandler) as base:
        result = geoaudit_cli("audit", f"{base}/", "-q")
    assert result.code == 0, result.stderr
    report = result.report()
    bots = bots_by_token(report["ai_access"])
    assert bots["GPTBot"]["allowed"] is True
    assert bots["GPTBot"]["server_status"] == 403
    assert bots["GPTBot"]["server_verdict"] == "blocked"
    assert bots["OAI-SearchBot"]["server_verdict"] == "blocked"
    assert bots["PerplexityBot"]["server_verdict"] == "challenge"
    assert bots["Amzn-SearchBot"]["server_status"] == 200
    assert bots["Amzn-SearchBot"]["server_verdict"] == "ok"
    # Anthropic documents no User-Agent strings: its bots are judged by robots.txt alone.
    assert bots["Claude-SearchBot"]["server_status"] is None
    assert bots["Google-Extended"]["server_status"] is None  # a robots.txt token, never fetches
    assert bots["CCBot"]["allowed"] is False and bots["CCBot"]["blocked_urls"] == 2

    messages = {f["rule"]: [] for f in report["findings"]}
    for f in report["findings"]:
        messages[f["rule"]].append(f["message"])
    refused = " ".join(messages["AC009"])
    assert "OAI-SearchBot" in refused and "PerplexityBot" in refused
    assert "GPTBot (" not in refused  # training: information in the matrix, not an error
    assert any("CCBot" in m for m in messages["AC008"])
    assert [f["url"] for f in report["findings"] if f["rule"] == "AC011"] == [f"{base}/app"]
    summary = report["ai_access"]["summary"]
    assert summary["search"].startswith("AI search: the server refuses OAI-SearchBot, "
                                        "PerplexityBot")


def test_no_probe_flag_skips_the_probe(geoaudit_cli):
    with serve_http(BotBlockingHandler) as base:
        result = geoaudit_cli("audit", f"{base}/", "-q", "--no-probe")
    bots = bots_by_token(result.report()["ai_access"])
    assert all(b["server_status"] is None for b in bots.values())
    assert "AC009" not in {f["rule"] for f in result.report()["findings"]}


def test_robots_command_on_a_url_and_on_a_file(geoaudit_cli, tmp_path):
    with serve_http(BotBlockingHandler) as base:
        result = geoaudit_cli("robots", f"{base}/", "--format", "json", "-q")
        text = geoaudit_cli("robots", f"{base}/", "-q")
        training = geoaudit_cli("robots", f"{base}/", "-q", "--fail-on-blocked", "training")
        never = geoaudit_cli("robots", f"{base}/", "-q", "--fail-on-blocked", "none")
    # The server refuses two AI search bots: exit 1 (it was 0 whatever was blocked).
    assert result.code == 1, result.stderr
    blocked = result.stderr.strip().splitlines()[-1]
    assert blocked.startswith("geoaudit: blocked: ") and "OAI-SearchBot" in blocked
    assert "PerplexityBot" in blocked and "CCBot" not in blocked
    assert training.code == 1 and "CCBot" in training.stderr
    assert "OAI-SearchBot" not in training.stderr
    assert never.code == 0, never.stderr
    bots = bots_by_token(json.loads(result.stdout))
    for bot in bots.values():
        assert {"token", "operator", "purpose", "allowed", "blocked_urls",
                "server_status"} <= set(bot)
    assert bots["GPTBot"]["server_status"] == 403 and bots["CCBot"]["allowed"] is False
    assert "CCBot" in text.stdout and "BLOCKED" in text.stdout and "403 blocked" in text.stdout

    robots = tmp_path / "robots.txt"
    robots.write_text("User-agent: *\nDisallow: /\n\nUser-agent: GPTBot\nAllow: /\n")
    local = geoaudit_cli("robots", str(robots), "--format", "json")
    assert local.code == 1 and "OAI-SearchBot" in local.stderr  # '*' disallows it everything
    bots = bots_by_token(json.loads(local.stdout))
    assert bots["GPTBot"]["allowed"] is True and bots["OAI-SearchBot"]["allowed"] is False
    assert all(b["server_status"] is None for b in bots.values())
    missing = geoaudit_cli("robots", str(tmp_path / "nope.txt"))
    assert missing.code == 2 and "cannot read" in missing.stderr


def test_robots_shows_which_paths_a_named_group_opens_up(geoaudit_cli, tmp_path):
    robots = tmp_path / "robots.txt"
    robots.write_text("User-agent: *\nDisallow: /private/\nDisallow: /cart/\n\n"
                      "User-agent: ClaudeBot\nDisallow: /cart/\n")
    result = geoaudit_cli("robots", str(robots))
    assert result.code == 0, result.stderr
    assert ("ClaudeBot's own group ignores the '*' group, so it may fetch: /private/ (line 2)"
            in result.stdout)
    as_json = geoaudit_cli("robots", str(robots), "--format", "json")
    escapes = json.loads(as_json.stdout)["star_escapes"]
    assert escapes == [{"token": "ClaudeBot", "own_group_lines": [5],
                        "paths": [{"pattern": "/private/", "line": 2}]}]
