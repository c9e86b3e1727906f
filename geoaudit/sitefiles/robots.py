"""robots.txt per RFC 9309: groups, rules, lint, Content-Signal, and who may fetch what.

Grouping follows RFC 9309 as Google's reference parser implements it, because protego departs
from it in two ways that matter for AI bots:

- protego picks a group whose name is a *prefix* of the crawler's token at a word boundary, so a
  `User-agent: Claude` group would capture Claude-SearchBot. RFC 9309 matches the product token
  exactly (case-insensitively); a crawler with no group of its own falls back to `*`.
- protego ends a group's `User-agent` run at any unknown line; only an Allow or Disallow rule
  ends it (Sitemap, Content-Signal, Crawl-delay and unknown lines do not).

Token-less User-agent values, `*` prefixes, partial BOMs, key spellings, long lines and the
matched path follow Google too; docs/robots.md lists each, and the three places where geoaudit
keeps RFC 9309 instead (percent-encoding normalisation, `/robots.txt` always allowed).

Path matching (wildcards, `$`, percent-encoding, longest match wins, Allow wins ties) is
protego's: each crawler's merged group is handed to protego as a single `*` group.

HTTP semantics (RFC 9309 §2.3.1): 2xx means the rules apply; 4xx, or more than five redirects,
means everything is allowed; 5xx or no response means everything is disallowed. Only the first
500 KiB are read, as RFC 9309 allows and Google does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from protego import Protego

from geoaudit.models import SiteFile

MAX_BYTES = 500 * 1024
MAX_LINE_CHARS = 2000
MAX_REDIRECTS = 5
USER_AGENT_KEYS = {"user-agent", "useragent", "user agent"}
DISALLOW_TYPOS = {"dissallow", "dissalow", "disalow", "diasllow", "disallaw", "dis-allow"}
SITEMAP_KEYS = {"sitemap", "site-map"}
# Google keeps the first 2083 * 8 - 1 bytes of a line and reads the rest as cut off.
MAX_LINE_BYTES = 2083 * 8 - 1
NON_STANDARD = {
    "crawl-delay": "Crawl-delay is not part of RFC 9309; Google ignores it",
    "host": "Host is a Yandex extension; other crawlers ignore it",
    "clean-param": "Clean-param is a Yandex extension; other crawlers ignore it",
    "request-rate": "Request-rate is not part of RFC 9309; major crawlers ignore it",
    "visit-time": "Visit-time is not part of RFC 9309; major crawlers ignore it",
    "noindex": "noindex in robots.txt has not been supported since 2019; use a robots meta tag "
    "or X-Robots-Tag",
    "nofollow": "nofollow in robots.txt is not supported; use a robots meta tag",
}
AI_LINES = re.compile(r"^(llms?(-full)?(-txt)?|llms?\.txt|ai-.*|gpt.*|training|ai)$")
_PRODUCT_TOKEN = re.compile(r"^[A-Za-z_-]+")
# Characters a URL cannot hold as written: a crawler percent-encodes them ('"' becomes %22), so
# a Sitemap URL carrying one (a stray quote, a space) names a file that is not there. (`|`, `^`
# and `{}` are left alone: a server decodes them in a query string to what was meant.)
_NOT_IN_URL = re.compile(r'[\s"<>`]')
_CONTENT_SIGNAL = re.compile(r"^\s*([a-z][a-z0-9_-]*)\s*=\s*([a-z]+)\s*$", re.IGNORECASE)

Mode = Literal["rules", "allow_all", "disallow_all"]


@dataclass
class RobotsRule:
    allow: bool
    pattern: str
    line: int


@dataclass
class RobotsGroup:
    # Product tokens as Google's parser reads them; `whole`: the names with digits it cuts
    # (`ai2bot`, read `ai`), which the crawlers documenting them match (groups_for).
    agents: list[str]
    line: int
    rules: list[RobotsRule] = field(default_factory=list)
    whole: list[str] = field(default_factory=list)


@dataclass
class Lint:
    line: int
    severity: Literal["error", "warning", "notice"]
    message: str


@dataclass
class ContentSignal:
    line: int
    agents: list[str]
    signals: dict[str, str]


@dataclass
class RobotsFile:
    groups: list[RobotsGroup] = field(default_factory=list)
    sitemaps: list[tuple[str, int]] = field(default_factory=list)
    content_signals: list[ContentSignal] = field(default_factory=list)
    lint: list[Lint] = field(default_factory=list)
    looks_like_html: bool = False
    truncated: bool = False

    def groups_for(self, token: str, whole: bool = False) -> list[RobotsGroup]:
        """The groups that apply to a crawler: those naming its token, else the `*` groups.
        `whole`: the crawler documents a token with digits (`AI2Bot`) and reads its own name
        whole, where Google's parser, stopping at the digit, gives it no group of its own."""
        key = token.lower()
        own = [g for g in self.groups if key in (g.whole if whole else g.agents)]
        return own or [g for g in self.groups if "*" in g.agents]


def product_token(value: str) -> str:
    """The product token a User-agent value names, as Google's parser reads it: `GPTBot/1.1`
    names `gptbot`; `*`, alone or before a space, is the global group; a value that does not
    start with a letter, `-` or `_` (`360Spider`, `*OrkashBot*`) names no token ("")."""
    value = value.strip()
    if value == "*" or (value.startswith("*") and value[1].isspace()):
        return "*"
    match = _PRODUCT_TOKEN.match(value)
    return match.group(0).lower() if match else ""


_WHOLE_TOKEN = re.compile(r"^[A-Za-z0-9_-]+")


def whole_token(value: str) -> str:
    """The value's leading run of letters, digits, `-` and `_`: the name a crawler whose
    documented token holds digits (`AI2Bot`, `360Spider`) matches, where Google's parser stops
    at the first digit. "" when the run is a Google token already or there is none."""
    match = _WHOLE_TOKEN.match(value.strip())
    whole = match.group(0).lower() if match else ""
    return whole if any(c.isdigit() for c in whole) else ""


def path_of(url: str) -> str:
    """The path, params and query of `url` that rules match, as Google's parser takes them
    (`GetPathParamsQuery`): `/` when there is none, a URL without a scheme read as host then
    path, the fragment dropped."""
    start = 2 if url.startswith("//") else 0
    early = _first_of(url, "/?;", start)
    scheme_end = url.find("://", start)
    no_scheme = scheme_end == -1 or (early != -1 and early < scheme_end)
    after = start if no_scheme else scheme_end + 3
    path_start = _first_of(url, "/?;", after)
    if path_start == -1:
        return "/"
    fragment = url.find("#", start)
    if fragment != -1 and fragment < path_start:
        return "/"
    path = url[path_start : fragment if fragment != -1 else len(url)]
    return path if path.startswith("/") else "/" + path


def _first_of(text: str, chars: str, start: int) -> int:
    found = [i for i in (text.find(c, start) for c in chars) if i != -1]
    return min(found) if found else -1


def _split_line(line: str) -> tuple[str, str, bool] | None:
    """(key, value, had_colon) of a non-empty line without its comment."""
    key, sep, value = line.partition(":")
    if sep:
        return key.strip().lower(), value.strip(), True
    parts = line.split(None, 1)
    if len(parts) == 2:
        return parts[0].lower(), parts[1].strip(), False
    return None


def parse_robots(text: str) -> RobotsFile:
    """Parse robots.txt text. Never raises; problems become lint entries with line numbers."""
    robots = RobotsFile()
    encoded = text.encode("utf-8", errors="replace")
    if len(encoded) > MAX_BYTES:
        robots.truncated = True
        text = encoded[:MAX_BYTES].decode("utf-8", errors="ignore")
        robots.lint.append(
            Lint(
                0,
                "warning",
                f"the file is over {MAX_BYTES // 1024} KiB: crawlers read only the first 500 KiB",
            )
        )
    # A whole BOM, or the first one or two of its bytes (decoded as U+FFFD), as Google skips.
    text = text.removeprefix("\ufeff")
    if text.startswith("\ufffd") and not text.startswith("\ufffd" * 3):
        text = text.lstrip("\ufffd")
    head = text.lstrip()[:200].lower()
    if head.startswith("<") and ("<html" in head or "<!doctype" in head or "<head" in head):
        robots.looks_like_html = True
        robots.lint.append(
            Lint(
                1, "error", "the file is an HTML page, not robots.txt: crawlers find no rules in it"
            )
        )
        return robots
    if "\x00" in text:
        robots.lint.append(Lint(0, "error", "the file contains NUL bytes: it is binary, not text"))
    if "\ufffd" in text:
        robots.lint.append(Lint(0, "warning", "the file is not valid UTF-8"))

    group: RobotsGroup | None = None
    in_rules = False
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if len(raw) > MAX_LINE_CHARS:
            robots.lint.append(Lint(number, "notice", f"line is {len(raw)} characters long"))
        if len(raw) > MAX_LINE_BYTES // 4 and len(raw.encode("utf-8")) > MAX_LINE_BYTES:
            raw = raw.encode("utf-8")[:MAX_LINE_BYTES].decode("utf-8", errors="ignore")
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parsed = _split_line(line)
        if parsed is None:
            robots.lint.append(Lint(number, "warning", f"not a directive: {line[:80]!r}"))
            continue
        key, value, had_colon = parsed
        if not had_colon:
            robots.lint.append(Lint(number, "warning", f"missing ':' after {key!r}"))
        if key in DISALLOW_TYPOS:
            robots.lint.append(Lint(number, "warning", f"{key!r} is a misspelling of Disallow"))
            key = "disallow"

        if key in USER_AGENT_KEYS:
            if key != "user-agent":
                robots.lint.append(Lint(number, "notice", f"write 'User-agent', not {key!r}"))
            token = product_token(value)
            if not token:
                # Still a User-agent line: it starts a group (whose rules bind no crawler)
                # instead of adding its rules to the group before it. Skipping it once gave
                # the rules under `User-agent: 360Spider` to Googlebot's group.
                robots.lint.append(
                    Lint(
                        number,
                        "warning",
                        f"User-agent {value!r} names no product token: its rules bind no crawler",
                    )
                )
            # `AI2Bot`: Google's parser reads `ai`, which names no crawler, and the crawler
            # that documents `AI2Bot` as its token reads its own name whole: the group binds
            # both names, and saying it "is read as 'ai'" would mislead.
            whole = whole_token(value)
            if token and not whole and value != "*" and value.lower() != token:
                robots.lint.append(
                    Lint(number, "notice", f"User-agent {value!r} is read as {token!r}")
                )
            if group is None or in_rules:
                group = RobotsGroup(agents=[], line=number)
                robots.groups.append(group)
                in_rules = False
            if token not in group.agents:
                group.agents.append(token)
            if whole and whole not in group.whole:
                group.whole.append(whole)
        elif key in ("allow", "disallow"):
            if group is None:
                robots.lint.append(
                    Lint(
                        number,
                        "warning",
                        f"{key.capitalize()} before any User-agent line applies to no crawler",
                    )
                )
                continue
            in_rules = True
            if value and not value.startswith(("/", "*")):
                robots.lint.append(
                    Lint(
                        number,
                        "warning",
                        f"pattern {value!r} does not start with '/' or '*': it matches no URL path",
                    )
                )
            group.rules.append(RobotsRule(allow=key == "allow", pattern=value, line=number))
        elif key in SITEMAP_KEYS:
            if key != "sitemap":
                robots.lint.append(Lint(number, "notice", f"write 'Sitemap', not {key!r}"))
            robots.sitemaps.append((value, number))
            if not value.lower().startswith(("http://", "https://")):
                robots.lint.append(Lint(number, "warning", "Sitemap must be an absolute URL"))
            stray = _NOT_IN_URL.search(value)
            if stray:
                robots.lint.append(
                    Lint(
                        number,
                        "warning",
                        f"Sitemap URL holds {stray.group()!r}, which crawlers send "
                        "percent-encoded: they request another URL than the sitemap's",
                    )
                )
        elif key == "content-signal":
            signals = _content_signals(value)
            if signals is None:
                robots.lint.append(Lint(number, "warning", f"malformed Content-Signal {value!r}"))
            else:
                agents = list(group.agents) if group is not None else ["*"]
                robots.content_signals.append(ContentSignal(number, agents, signals))
        elif key in NON_STANDARD:
            robots.lint.append(Lint(number, "notice", NON_STANDARD[key]))
        elif AI_LINES.match(key):
            robots.lint.append(
                Lint(
                    number,
                    "warning",
                    f"{key!r} is not a robots.txt directive: no "
                    "crawler reads it (AI agents look for /llms.txt at the site "
                    "root by themselves)",
                )
            )
        else:
            robots.lint.append(Lint(number, "warning", f"unknown directive {key!r}"))
    return robots


def _content_signals(value: str) -> dict[str, str] | None:
    signals = {}
    for part in value.split(","):
        match = _CONTENT_SIGNAL.match(part)
        if not match:
            return None
        signals[match.group(1).lower()] = match.group(2).lower()
    return signals


def sitemap_urls(robots_text: str) -> list[str]:
    """`Sitemap:` URLs in file order, without duplicates."""
    return list(dict.fromkeys(url for url, _ in parse_robots(robots_text).sitemaps))


@dataclass
class RobotsPolicy:
    """What robots.txt lets each crawler fetch, HTTP status semantics included."""

    mode: Mode
    reason: str
    file: RobotsFile = field(default_factory=RobotsFile)
    _matchers: dict[tuple[int, ...], Protego] = field(
        default_factory=dict, repr=False, compare=False
    )
    _groups_of: dict[str, list[RobotsGroup]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # Crawlers (lower-case tokens with digits) read by their whole documented name.
    documented: frozenset[str] = frozenset()

    def reading_whole(self, tokens: Iterable[str]) -> RobotsPolicy:
        """This policy, with the crawlers of `tokens` whose documented token holds a digit
        (`AI2Bot`) matched by their whole name (`groups_for`); others as Google reads them."""
        whole = frozenset(t.lower() for t in tokens if any(c.isdigit() for c in t))
        return RobotsPolicy(self.mode, self.reason, self.file, documented=whole)

    @classmethod
    def from_sitefile(cls, sitefile: SiteFile | None) -> RobotsPolicy:
        if sitefile is None:
            return cls("allow_all", "robots.txt was not fetched")
        status = sitefile.fetch.status
        if status is None:
            if "redirections" in (sitefile.fetch.error or ""):
                return cls(
                    "allow_all",
                    f"robots.txt redirects more than {MAX_REDIRECTS} times: "
                    "it counts as unavailable, so everything is allowed (RFC 9309)",
                )
            return cls(
                "disallow_all",
                f"robots.txt is unreachable ({sitefile.fetch.error}): "
                "crawlers must assume everything is disallowed (RFC 9309)",
            )
        if status >= 500:
            return cls(
                "disallow_all",
                f"robots.txt answered {status}: crawlers must assume "
                "everything is disallowed (RFC 9309)",
            )
        if status >= 400:
            return cls("allow_all", f"robots.txt answered {status}: everything is allowed")
        if len(sitefile.fetch.redirects) > MAX_REDIRECTS:
            return cls("allow_all", f"robots.txt redirects more than {MAX_REDIRECTS} times")
        return cls.from_text(sitefile.text)

    @classmethod
    def from_text(cls, text: str) -> RobotsPolicy:
        return cls("rules", "its groups apply", parse_robots(text))

    def _matcher(self, groups: list[RobotsGroup]) -> Protego:
        key = tuple(g.line for g in groups)
        if key not in self._matchers:
            lines = ["User-agent: *"]
            for group in groups:
                for rule in group.rules:
                    if rule.pattern and not rule.pattern.startswith(("/", "*")):
                        continue  # matches no path (Google); protego read it as a path
                    lines.append(f"{'Allow' if rule.allow else 'Disallow'}: {rule.pattern}")
            self._matchers[key] = Protego.parse("\n".join(lines))
        return self._matchers[key]

    def allowed(self, token: str, url: str) -> bool:
        if self.mode != "rules":
            return self.mode == "allow_all"
        groups = self._groups(token)
        matcher = self._matcher(groups) if groups else None
        return matcher is None or matcher.can_fetch(f"http://robots.invalid{path_of(url)}", "*")

    def allowed_for(self, tokens: Iterable[str], url: str) -> dict[str, bool]:
        """`allowed` for several crawlers at once: one match per distinct set of groups that
        govern them (most crawlers share the `*` groups), not one per crawler."""
        verdicts: dict[str, bool] = {}
        by_groups: dict[tuple[int, ...], bool] = {}
        for token in tokens:
            key = tuple(g.line for g in self._groups(token))
            if key not in by_groups:
                by_groups[key] = self.allowed(token, url)
            verdicts[token] = by_groups[key]
        return verdicts

    def _groups(self, token: str) -> list[RobotsGroup]:
        """The groups that govern a crawler, looked up once per crawler."""
        if token not in self._groups_of:
            whole = token.lower() in self.documented
            self._groups_of[token] = self.file.groups_for(token, whole)
        return self._groups_of[token]

    def explain(self, token: str) -> str:
        """Which part of robots.txt governs a crawler, for messages."""
        if self.mode != "rules":
            return self.reason
        key = token.lower()
        groups = self._groups(token)
        if not groups:
            return "no group applies to it and there is no '*' group"
        lines = ", ".join(str(g.line) for g in groups)
        own = key in groups[0].agents or key in groups[0].whole
        which = "its own group" if own else "the '*' group"
        plural = "s" if len(groups) > 1 else ""
        return f"{which} (line{plural} {lines})"
