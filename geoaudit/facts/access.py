"""AI-crawler access facts: per bot, what robots.txt, page-level controls and the server allow.

Computed once after the crawl (a site-level fact, like click depth) on the one pass over the
pages, then judged by the access rules and rendered by the reports. Nothing here fetches or
scores.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from geoaudit.models import PageModel, Probe, SiteFile
from geoaudit.sitefiles.robots import RobotsPolicy
from geoaudit.vocab.agents import PURPOSES, Agent

MAX_LISTED = 20
SNIPPET_BLOCKERS = {"nosnippet", "max-snippet:0"}
INDEX_BLOCKERS = {"noindex", "none"}
# A body this much smaller than the normal page, answered to a bot, is not the page.
SHRUNK_RATIO = 0.3

PURPOSE_NAMES = {"search": "AI search", "user": "user-triggered", "training": "AI training"}


# The verdicts of `_probe_verdict` that mean the server turned the bot away.
REFUSALS = ("blocked", "challenge")


@dataclass
class BotAccess:
    token: str
    operator: str
    purpose: str
    honours_robots: bool
    retired: bool
    allowed: bool
    rule: str
    blocked_urls: int = 0
    blocked_examples: list[str] = field(default_factory=list)
    blocked_key_pages: list[str] = field(default_factory=list)
    noindex_pages: int = 0
    noindex_examples: list[str] = field(default_factory=list)
    nosnippet_pages: int = 0
    nosnippet_examples: list[str] = field(default_factory=list)
    server_status: int | None = None
    server_verdict: str | None = None
    server_detail: str | None = None

    def report(self) -> dict[str, Any]:
        return {
            "token": self.token,
            "operator": self.operator,
            "purpose": self.purpose,
            "honours_robots": self.honours_robots,
            "retired": self.retired,
            "allowed": self.allowed,
            "rule": self.rule,
            "blocked_urls": self.blocked_urls,
            "blocked_examples": self.blocked_examples,
            "blocked_key_pages": self.blocked_key_pages,
            "noindex_pages": self.noindex_pages,
            "nosnippet_pages": self.nosnippet_pages,
            "server_status": self.server_status,
            "server_verdict": self.server_verdict,
            "server_detail": self.server_detail,
        }


@dataclass
class AccessFacts:
    policy: RobotsPolicy
    bots: list[BotAccess]
    start_url: str
    robots_url: str | None = None
    robots_status: int | None = None
    robots_size: int = 0

    def _honouring_readers(self) -> list[BotAccess]:
        """The live AI search and user bots that honour robots.txt."""
        return [
            b
            for b in self.bots
            if b.purpose in ("search", "user") and b.honours_robots and not b.retired
        ]

    def closed_to(self, url: str) -> list[str]:
        """The live AI search and user bots that honour robots.txt and may not fetch `url`."""
        return [b.token for b in self._honouring_readers() if not self.policy.allowed(b.token, url)]

    def closed_to_every(self, url: str) -> bool:
        """Whether robots.txt closes `url` to every one of those bots (the bots without a group
        of their own follow `*`)."""
        readers = self._honouring_readers()
        return bool(readers) and not any(self.policy.allowed(b.token, url) for b in readers)

    def blocked(self, purposes: tuple[str, ...]) -> list[str]:
        """The live bots of `purposes` that honour robots.txt and may not fetch the start page,
        or that the server turned away when probed."""
        return [
            b.token
            for b in self.bots
            if b.purpose in purposes
            and not b.retired
            and ((b.honours_robots and not b.allowed) or b.server_verdict in REFUSALS)
        ]

    def star_escapes(self) -> list[StarEscape]:
        """The live bots whose own group lets them fetch paths the `*` group disallows: a bot
        with a group of its own ignores `*` entirely (RFC 9309), so `User-agent: GPTBot` /
        `Allow: /` opens /private/ to GPTBot though `*` disallows it."""
        if self.policy.mode != "rules":
            return []
        groups = self.policy.file.groups
        disallows = [
            (rule.pattern, rule.line)
            for group in groups
            if "*" in group.agents
            for rule in group.rules
            if not rule.allow and rule.pattern.startswith(("/", "*"))
        ]
        escapes = []
        for bot in self.bots:
            own = [g.line for g in groups if bot.token.lower() in g.agents]
            if not own or bot.retired or not disallows:
                continue
            opened = [
                (pattern, line)
                for pattern, line in disallows
                if self.policy.allowed(bot.token, f"http://robots.invalid{_path_for(pattern)}")
            ]
            if opened:
                escapes.append(StarEscape(bot.token, own, opened))
        return escapes

    def bot(self, token: str) -> BotAccess | None:
        return next((b for b in self.bots if b.token.lower() == token.lower()), None)

    def summary(self) -> dict[str, str]:
        return {purpose: summarise(self.bots, purpose) for purpose in PURPOSES}

    def report(self) -> dict[str, Any]:
        robots = self.policy.file
        return {
            "robots": {
                "url": self.robots_url,
                "status": self.robots_status,
                "size": self.robots_size,
                "mode": self.policy.mode,
                "reason": self.policy.reason,
                "sitemaps": [url for url, _ in robots.sitemaps],
                "content_signals": [
                    {"line": s.line, "agents": s.agents, "signals": s.signals}
                    for s in robots.content_signals
                ],
                "groups": len(robots.groups),
                "truncated": robots.truncated,
            },
            "bots": [b.report() for b in self.bots],
            "star_escapes": [
                {
                    "token": e.token,
                    "own_group_lines": e.own_lines,
                    "paths": [{"pattern": p, "line": line} for p, line in e.paths],
                }
                for e in self.star_escapes()
            ],
            "summary": self.summary(),
        }


@dataclass
class StarEscape:
    """A bot whose own group opens paths that `User-agent: *` disallows."""

    token: str
    own_lines: list[int]
    paths: list[tuple[str, int]]  # the `*` group's Disallow patterns, with their lines


def _path_for(pattern: str) -> str:
    """A path a Disallow pattern matches: its wildcards as `x`, its end anchor dropped."""
    return pattern.replace("*", "x").removesuffix("$") or "/"


def summarise(bots: list[BotAccess], purpose: str) -> str:
    """One sentence on what the site allows the live bots of one purpose."""
    live = [b for b in bots if b.purpose == purpose and not b.retired]
    name = PURPOSE_NAMES[purpose]
    label = name[0].upper() + name[1:]
    if not live:
        return f"{label}: no bots tracked."
    blocked = [b.token for b in live if not b.allowed]
    refused = [b.token for b in live if b.allowed and b.server_verdict in REFUSALS]
    if not blocked and not refused:
        return f"{label}: all {len(live)} bots may fetch the site."
    parts = []
    if blocked:
        parts.append(f"robots.txt blocks {len(blocked)} of {len(live)} bots ({', '.join(blocked)})")
    if refused:
        parts.append(f"the server refuses {', '.join(refused)} although robots.txt allows them")
    return f"{label}: {'; '.join(parts)}."


def _probe_verdict(
    probes: list[Probe], normal: dict[str, PageModel]
) -> tuple[int | None, str | None, str | None]:
    """(status, verdict, detail) of a bot's probes: the worst page wins."""
    if not probes:
        return None, None, None
    worst: tuple[int, int | None, str, str] = (-1, None, "ok", "")
    for probe in probes:
        page = normal.get(probe.url)
        normal_size = page.fetch.size if page is not None else 0
        if probe.status is None:
            rank, verdict, detail = 3, "blocked", f"no response: {probe.error}"
        elif probe.status >= 400 and (page is None or page.fetch.ok):
            rank, verdict, detail = 3, "blocked", f"answered {probe.status} to {probe.url}"
        elif probe.markers:
            rank, verdict = 2, "challenge"
            detail = f"{probe.url} answered a bot challenge ({', '.join(probe.markers)})"
        elif normal_size and probe.size < SHRUNK_RATIO * normal_size:
            rank, verdict = 1, "challenge"
            detail = (
                f"{probe.url} answered {probe.size} bytes instead of {normal_size}: "
                "probably not the page"
            )
        else:
            rank, verdict, detail = 0, "ok", ""
        if rank > worst[0]:
            worst = (rank, probe.status, verdict, detail)
    return worst[1], worst[2], worst[3] or None


def _example(examples: list[str], url: str) -> None:
    if len(examples) < MAX_LISTED:
        examples.append(url)


class AccessBuilder:
    """Per-bot access from the robots policy, every page fed to `add`, and the UA probes.

    `start_url` decides `allowed`; `key_urls` are the pages whose blocking is listed per bot.
    """

    def __init__(
        self,
        policy: RobotsPolicy,
        agents: Iterable[Agent],
        start_url: str,
        key_urls: Iterable[str] = (),
        probes: Iterable[Probe] = (),
        robots_file: SiteFile | None = None,
    ):
        agents = list(agents)
        policy = policy.reading_whole(a.token for a in agents)
        self.policy, self.start_url, self.robots_file = policy, start_url, robots_file
        self.keys = set(key_urls)
        self.keys_left = set(self.keys)  # key URLs not crawled, judged after the pages
        self.bots = [
            BotAccess(
                token=a.token,
                operator=a.operator,
                purpose=a.purpose,
                honours_robots=a.robots,
                retired=a.retired,
                allowed=policy.allowed(a.token, start_url),
                rule=policy.explain(a.token),
            )
            for a in agents
        ]
        self.normal: dict[str, PageModel] = {}
        self.probes = list(probes)
        self.probe_urls = {p.url for p in self.probes}
        self.blocked_keys: dict[str, set[str]] = {b.token: set() for b in self.bots}
        self.tokens = [b.token for b in self.bots]

    def add(self, page: PageModel) -> None:
        if page.url in self.probe_urls:
            self.normal[page.url] = page
        allowed = self.policy.allowed_for(self.tokens, page.url)
        self.keys_left.discard(page.url)
        for bot in self.bots:
            if not allowed[bot.token]:
                bot.blocked_urls += 1
                _example(bot.blocked_examples, page.url)
                if page.url in self.keys:
                    self.blocked_keys[bot.token].add(page.url)
            if not page.is_html_ok:
                continue
            directives = page.directives(bot.token)
            if directives & INDEX_BLOCKERS:
                bot.noindex_pages += 1
                _example(bot.noindex_examples, page.url)
            if directives & SNIPPET_BLOCKERS:
                bot.nosnippet_pages += 1
                _example(bot.nosnippet_examples, page.url)

    def finish(self) -> AccessFacts:
        for key in self.keys_left:
            allowed = self.policy.allowed_for(self.tokens, key)
            for bot in self.bots:
                if not allowed[bot.token]:
                    self.blocked_keys[bot.token].add(key)
        for bot in self.bots:
            bot.blocked_key_pages = sorted(self.blocked_keys[bot.token])[:MAX_LISTED]
            mine = [p for p in self.probes if p.agent.lower() == bot.token.lower()]
            bot.server_status, bot.server_verdict, bot.server_detail = _probe_verdict(
                mine, self.normal
            )
        robots = self.robots_file
        return AccessFacts(
            policy=self.policy,
            bots=self.bots,
            start_url=self.start_url,
            robots_url=robots.fetch.url if robots else None,
            robots_status=robots.fetch.status if robots else None,
            robots_size=robots.fetch.size if robots else 0,
        )
