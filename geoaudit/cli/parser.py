"""The command line's parser: subcommands, options, and their turning into AuditOptions."""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geoaudit
from geoaudit.cli.argtypes import (
    credentials,
    formats,
    header,
    http_url,
    origin_url,
    output_file,
    output_folder,
    positive_int,
    purposes,
    regex,
    split_userinfo,
    threshold,
    whole_number,
)
from geoaudit.cli.config_file import CONFIG_FILE, Config
from geoaudit.options import (
    DEFAULT_MAX_PAGES,
    DEFAULT_OUTPUT,
    DEFAULT_TIMEOUT,
    AuditOptions,
    GateSettings,
)
from geoaudit.report.formats import FORMATS
from geoaudit.rules import DEFAULT_PROFILE, PROFILES

# Which requests get --auth and --header (crawl/middlewares.Credentials).
CREDENTIALS = (
    "sent only to the start URL's own origin (scheme, host, port): never to another host, "
    "port or subdomain, never through a redirect elsewhere, never over http when the start "
    "URL is https"
)


class AppendReplacing(argparse.Action):
    """`action="append"` whose first use replaces the default list (the config file's) rather
    than adding to it: flags override the config file."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        current = getattr(namespace, self.dest, None)
        items = [] if current is None or current is self.default else list(current)
        setattr(namespace, self.dest, [*items, values])


def add_config_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="geoaudit.toml or pyproject.toml to read (default: the nearest one found "
        "from the working directory up)",
    )


def add_crawl_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("crawl")
    g.add_argument(
        "--max-pages",
        type=positive_int,
        default=DEFAULT_MAX_PAGES,
        metavar="N",
        help=f"stop after N pages (default {DEFAULT_MAX_PAGES})",
    )
    g.add_argument(
        "--max-depth",
        type=whole_number,
        metavar="N",
        help="follow links at most N clicks from the start URL (sitemaps are then "
        "read but not crawled)",
    )
    g.add_argument(
        "--include",
        type=regex,
        action=AppendReplacing,
        default=[],
        metavar="REGEX",
        help="crawl only URLs matching REGEX (repeatable)",
    )
    g.add_argument(
        "--exclude",
        type=regex,
        action=AppendReplacing,
        default=[],
        metavar="REGEX",
        help="skip URLs matching REGEX (repeatable)",
    )
    g.add_argument(
        "--include-subdomains",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="treat subdomains of the site (default ports) as the same site; they get no "
        "--auth or --header",
    )
    g.add_argument(
        "--timeout",
        type=positive_int,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up on a response after SECONDS (default {DEFAULT_TIMEOUT})",
    )
    g.add_argument(
        "--concurrency",
        type=positive_int,
        metavar="N",
        help="N parallel requests, no adaptive throttling (for staging servers)",
    )
    g.add_argument(
        "--ignore-robots",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="fetch URLs that robots.txt disallows for geoaudit",
    )
    g.add_argument(
        "--probe",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="fetch key pages with AI bots' User-Agents to see what the server answers them "
        "(default on)",
    )
    s = p.add_argument_group("staging")
    s.add_argument(
        "--site-url",
        type=origin_url,
        metavar="ORIGIN",
        help="production origin: links to it are fetched from the start URL's origin "
        "and reported under ORIGIN",
    )
    add_credential_options(s)


def add_credential_options(p: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    p.add_argument(
        "--auth", type=credentials, metavar="USER:PASS", help=f"HTTP basic auth, {CREDENTIALS}"
    )
    p.add_argument(
        "--header",
        type=header,
        action=AppendReplacing,
        default=[],
        metavar="'NAME: VALUE'",
        help=f"extra request header (repeatable), {CREDENTIALS}",
    )


def build_parser(config: Config | None = None) -> argparse.ArgumentParser:
    """The command line; `config` (a geoaudit.toml) supplies the defaults that flags override."""
    config = config or Config()
    parser = argparse.ArgumentParser(
        prog="geoaudit",
        description="Audit a website for generative engine optimization: AI-crawler access, "
        "llms.txt, structured data and answer-ready content.",
    )
    parser.add_argument("--version", action="version", version=f"geoaudit {geoaudit.__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    audit = sub.add_parser("audit", help="crawl a site and write the report")
    audit.add_argument("url", type=http_url, help="start URL, e.g. https://www.example.com/")
    add_output_options(audit)
    add_crawl_options(audit)
    add_config_option(audit)
    audit.add_argument(
        "--resume",
        action="store_true",
        help="continue the interrupted audit in the output folder (same URL and options)",
    )
    add_judging_options(audit)

    audit.set_defaults(
        **{
            "disabled_rules": set(),
            "severities": {},
            "extra_agents": (),
            **config.for_command("audit"),
        }
    )

    report = sub.add_parser(
        "report",
        help="judge the crawl stored in the output folder again and write its reports, "
        "without crawling",
    )
    add_output_options(report)
    add_judging_options(report)
    report.set_defaults(
        **{"disabled_rules": set(), "severities": {}, **config.for_command("audit")}
    )

    demo = sub.add_parser("demo", help="audit the bundled demo site, served on 127.0.0.1")
    add_output_options(demo)
    add_judging_options(demo)

    robots = sub.add_parser("robots", help="print what robots.txt and the server allow each AI bot")
    robots.add_argument("target", help="a site URL, or a robots.txt file on disk")
    robots.add_argument("--format", choices=("text", "json"), default="text")
    add_credential_options(robots)
    robots.add_argument(
        "--probe",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="fetch the site with AI bots' User-Agents (default on)",
    )
    robots.add_argument(
        "--fail-on-blocked",
        type=purposes,
        default=("search",),
        metavar="PURPOSES",
        help="exit 1 when a live AI bot of these purposes (comma-separated: search, user, "
        "training; 'none' never) is blocked from the site by robots.txt or by the server "
        "(default: search)",
    )
    robots.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    add_config_option(robots)
    robots.set_defaults(**{"extra_agents": (), **config.for_command("robots")})

    llms = sub.add_parser("llms", help="validate or generate llms.txt")
    llms_sub = llms.add_subparsers(dest="llms_command", required=True, metavar="ACTION")
    validate = llms_sub.add_parser("validate", help="validate an llms.txt file or URL")
    validate.add_argument("target", help="an llms.txt file, its URL, or a site URL")
    validate.add_argument("--profile", choices=PROFILES, default=DEFAULT_PROFILE)
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.add_argument(
        "--auth", type=credentials, metavar="USER:PASS", help="HTTP basic auth, sent to the "
        "URL's origin only, never through a redirect to another one"
    )
    validate.add_argument(
        "--header", type=header, action="append", default=[], metavar="'NAME: VALUE'",
        help="extra request header (repeatable), sent like --auth",
    )
    validate.add_argument(
        "--timeout", type=positive_int, default=DEFAULT_TIMEOUT, metavar="SECONDS",
        help=f"give up on the whole answer after SECONDS (default {DEFAULT_TIMEOUT})",
    )
    generate = llms_sub.add_parser("generate", help="crawl a site and write its llms.txt")
    generate.add_argument("url", type=http_url, help="start URL of the site")
    generate.add_argument(
        "-o",
        "--output",
        type=output_file,
        metavar="FILE",
        help="write llms.txt here (default: standard output)",
    )
    generate.add_argument(
        "--full", type=output_file, metavar="FILE", help="also write llms-full.txt"
    )
    generate.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    generate.add_argument("-v", "--verbose", action="store_true", help="Scrapy's crawl log")
    add_crawl_options(generate)
    add_config_option(generate)
    generate.set_defaults(**{"extra_agents": (), **config.for_command("generate")})

    compare = sub.add_parser("diff", help="compare two report.json files")
    compare.add_argument("old", type=Path, help="the earlier report.json")
    compare.add_argument("new", type=Path, help="the later report.json")
    compare.add_argument("--format", choices=("text", "json"), default="text")

    init = sub.add_parser("init", help="write a commented starter geoaudit.toml")
    init.add_argument("path", nargs="?", type=Path, default=Path(CONFIG_FILE))
    init.add_argument("--force", action="store_true", help="overwrite an existing file")

    rules = sub.add_parser("rules", help="list the rules with their documentation")
    rules.add_argument("rule", nargs="?", metavar="RULE", help="just this rule, e.g. LT001")
    rules.add_argument(
        "--format",
        choices=("text", "json", "md"),
        default="text",
        help="md: the Markdown page docs/rules.md is generated from",
    )
    return parser


def add_judging_options(p: argparse.ArgumentParser) -> None:
    """The options that judge a crawl: `audit`, `report` and `demo` share them."""
    p.add_argument(
        "--llms-profile",
        choices=PROFILES,
        default=DEFAULT_PROFILE,
        help="llms.txt profile: 1.1.1 (default) or llmstxt",
    )
    gate = p.add_argument_group("CI gate")
    gate.add_argument(
        "--fail-under",
        type=threshold,
        action=AppendReplacing,
        default=[],
        metavar="[CATEGORY=]SCORE",
        help="exit 1 when the overall score (or CATEGORY's) is below SCORE; repeatable",
    )
    gate.add_argument(
        "--baseline",
        type=Path,
        metavar="REPORT.json",
        help="mark findings new, unchanged or fixed against an earlier report",
    )
    gate.add_argument(
        "--fail-on-new",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="with --baseline: fail only on new findings (of --fail-on severity)",
    )
    gate.add_argument(
        "--fail-on",
        choices=("error", "warning"),
        help="exit 1 on any finding of this severity or worse",
    )


def add_output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "-o",
        "--output",
        type=output_folder,
        default=DEFAULT_OUTPUT,
        metavar="DIR",
        help=f"output folder (default ./{DEFAULT_OUTPUT})",
    )
    p.add_argument(
        "--format",
        dest="formats",
        type=formats,
        default=("html", "json"),
        metavar="LIST",
        help=f"report formats, comma-separated: {', '.join(FORMATS)} (default html,json)",
    )
    p.add_argument(
        "--source-root",
        metavar="DIR",
        help="the folder of the site's built files in your repository, relative to its root "
        "(public/, _site/): SARIF results then point at the files (/blog/x/ -> "
        "DIR/blog/x/index.html) that GitHub code scanning shows",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="show Scrapy's crawl log on stderr (for debugging a crawl)",
    )


def gate_settings(args: argparse.Namespace) -> GateSettings:
    return GateSettings(
        fail_under=list(getattr(args, "fail_under", [])),
        fail_on=getattr(args, "fail_on", None),
        fail_on_new=getattr(args, "fail_on_new", False),
    )


def baseline_options(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    from geoaudit.baseline import load_report

    return {"baseline": load_report(path), "baseline_file": str(path)}


def crawl_options(args: argparse.Namespace, url: str) -> AuditOptions:
    """The audit options of a command line. `user:password@` in the URL is taken off it and
    used as --auth (an explicit --auth wins), so it never appears in a report."""
    url, url_auth = split_userinfo(url)
    return AuditOptions(
        start_url=url,
        out_dir=args.output,
        site_url=args.site_url,
        include_subdomains=args.include_subdomains,
        max_pages=args.max_pages,
        max_depth=args.max_depth,
        include=args.include,
        exclude=args.exclude,
        concurrency=args.concurrency,
        timeout=args.timeout,
        ignore_robots=args.ignore_robots,
        probe=args.probe,
        llms_profile=getattr(args, "llms_profile", DEFAULT_PROFILE),
        formats=getattr(args, "formats", ("html", "json")),
        source_root=getattr(args, "source_root", None),
        gate=gate_settings(args),
        **baseline_options(getattr(args, "baseline", None)),
        auth=args.auth or url_auth,
        headers=dict(args.header),
        extra_agents=args.extra_agents,
        resume=getattr(args, "resume", False),
        quiet=args.quiet,
        verbose=args.verbose,
    )


def check_names(parser: argparse.ArgumentParser, argv: Sequence[str]) -> None:
    """Refuse an unknown command or option with a suggestion, before argparse reads the line:
    argparse took `--fromat md URL` as the URL 'md' ("not an http(s) URL") and named no
    command close to a mistyped one."""
    current = parser
    for token in argv:
        if token == "--":
            return
        commands = _subcommands(current)
        if token.startswith("--"):
            name = token.split("=", 1)[0]
            known = list(current._option_string_actions)
            if name not in known and not any(k.startswith(name) for k in known):
                current.error(f"unknown option {name}{_did_you_mean(name, known)}")
        elif commands and not token.startswith("-"):
            if token not in commands:
                names = list(commands)
                hint = _did_you_mean(token, names) or f" (choose from {', '.join(names)})"
                current.error(f"unknown command {token!r}{hint}")
            current = commands[token]


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _did_you_mean(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""
