"""The geoaudit command line: parse options, wire the stages, map outcomes to exit codes.

Exit codes: 0 done; 1 a gate failed (--fail-under, --fail-on); 2 usage error, or the site could
not be audited (unreachable, start page not 2xx), with a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import geoaudit
from geoaudit.argtypes import (
    credentials,
    formats,
    header,
    http_url,
    origin_url,
    positive_int,
    regex,
    threshold,
)
from geoaudit.checks import CheckSettings, load_rules
from geoaudit.checks.llms import DEFAULT_PROFILE, PROFILES
from geoaudit.config import (
    DEFAULT_MAX_PAGES,
    DEFAULT_OUTPUT,
    DEFAULT_TIMEOUT,
    FORMATS,
    AuditOptions,
)
from geoaudit.configfile import CONFIG_FILE, Config, load_config, write_starter
from geoaudit.errors import (
    EXIT_GATE_FAILED,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE_OR_FETCH,
    GeoauditError,
    describe_exception,
)
from geoaudit.scoring import CATEGORY_TITLES

SEVERITY_ORDER = ("error", "warning", "notice")
# The demo site plays a production site at a reserved domain, served from 127.0.0.1: the same
# set-up as auditing a staging copy with --site-url.
DEMO_SITE_URL = "https://www.harborroast.example"


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
        type=positive_int,
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
        help="treat subdomains of the site as the same site",
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
    s.add_argument("--auth", type=credentials, metavar="USER:PASS", help="HTTP basic auth")
    s.add_argument(
        "--header",
        type=header,
        action=AppendReplacing,
        default=[],
        metavar="'NAME: VALUE'",
        help="extra request header (repeatable)",
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
    audit.add_argument(
        "--llms-profile",
        choices=PROFILES,
        default=DEFAULT_PROFILE,
        help="llms.txt profile: 1.1.1 (default) or llmstxt",
    )
    gate = audit.add_argument_group("CI gate")
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

    audit.set_defaults(
        **{
            "disabled_rules": set(),
            "severities": {},
            "extra_agents": (),
            **config.for_command("audit"),
        }
    )

    demo = sub.add_parser("demo", help="audit the bundled demo site, served on 127.0.0.1")
    add_output_options(demo)
    demo.set_defaults(fail_under=[], fail_on=None, fail_on_new=False)

    robots = sub.add_parser("robots", help="print what robots.txt and the server allow each AI bot")
    robots.add_argument("target", help="a site URL, or a robots.txt file on disk")
    robots.add_argument("--format", choices=("text", "json"), default="text")
    robots.add_argument("--auth", type=credentials, metavar="USER:PASS", help="HTTP basic auth")
    robots.add_argument(
        "--header", type=header, action=AppendReplacing, default=[], metavar="'NAME: VALUE'"
    )
    robots.add_argument(
        "--probe",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="fetch the site with AI bots' User-Agents (default on)",
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
    validate.add_argument("--auth", type=credentials, metavar="USER:PASS")
    validate.add_argument(
        "--header", type=header, action="append", default=[], metavar="'NAME: VALUE'"
    )
    generate = llms_sub.add_parser("generate", help="crawl a site and write its llms.txt")
    generate.add_argument("url", type=http_url, help="start URL of the site")
    generate.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write llms.txt here (default: standard output)",
    )
    generate.add_argument("--full", type=Path, metavar="FILE", help="also write llms-full.txt")
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
    rules.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def add_output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "-o",
        "--output",
        type=Path,
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
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="show Scrapy's crawl log on stderr (for debugging a crawl)",
    )


def baseline_options(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    from geoaudit.baseline import load_report

    return {"baseline": load_report(path), "baseline_file": str(path)}


def crawl_options(args: argparse.Namespace, url: str) -> AuditOptions:
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
        **baseline_options(getattr(args, "baseline", None)),
        auth=args.auth,
        headers=dict(args.header),
        extra_agents=args.extra_agents,
        resume=getattr(args, "resume", False),
        quiet=args.quiet,
        verbose=args.verbose,
    )


def print_summary(result: object) -> None:
    from geoaudit.audit import AuditResult

    assert isinstance(result, AuditResult)
    cats = ", ".join(
        f"{CATEGORY_TITLES[c]} {'–' if s is None else s}" for c, s in result.categories.items()
    )
    overall = "–" if result.score is None else result.score
    counts = ", ".join(f"{result.finding_counts.get(s, 0)} {s}s" for s in SEVERITY_ORDER)
    partial = " (partial: interrupted)" if result.partial else ""
    print(f"geoaudit: score {overall}/100{partial} · {cats}")
    print(f"  {result.pages} pages · {counts}")
    for path in result.files:
        print(f"  wrote {path}")


def gate(result: object, args: argparse.Namespace) -> list[str]:
    from geoaudit.audit import AuditResult

    assert isinstance(result, AuditResult)
    failures = []
    for name, minimum in args.fail_under:
        value = result.score if name == "overall" else result.categories.get(name)
        if value is not None and value < minimum:
            failures.append(f"{name} score {value} is below --fail-under {name}={minimum}")
    worst = SEVERITY_ORDER[: SEVERITY_ORDER.index(args.fail_on) + 1] if args.fail_on else None
    if args.fail_on_new and result.new_findings is not None:
        counted = worst or SEVERITY_ORDER
        n = sum(result.new_findings.get(s, 0) for s in counted)
        if n:
            failures.append(f"{n} new findings since the baseline (--fail-on-new)")
    elif worst:
        n = sum(result.finding_counts.get(s, 0) for s in worst)
        if n:
            failures.append(f"{n} findings of severity {args.fail_on} or worse (--fail-on)")
    return failures


def audit_and_report(options: AuditOptions, args: argparse.Namespace) -> int:
    from geoaudit.audit import run_audit

    result = run_audit(
        options,
        CheckSettings(
            disabled=getattr(args, "disabled_rules", set()),
            severity=getattr(args, "severities", {}),
        ),
    )
    print_summary(result)
    if result.problem:
        raise GeoauditError(result.problem)
    failures = gate(result, args)
    for failure in failures:
        print(f"geoaudit: gate failed: {failure}", file=sys.stderr)
    return EXIT_GATE_FAILED if failures else EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from geoaudit.devserver import serve_directory

    site = resources.files("geoaudit") / "data" / "demo_site"
    with resources.as_file(site) as root, serve_directory(root) as base:
        print(f"geoaudit: serving the demo site at {base}/", file=sys.stderr)
        options = AuditOptions(
            start_url=f"{base}/",
            site_url=DEMO_SITE_URL,
            out_dir=args.output,
            quiet=args.quiet,
            verbose=args.verbose,
            formats=args.formats,
        )
        code = audit_and_report(options, args)
    print(f"geoaudit: open {args.output / 'report.html'} in a browser")
    return code


def cmd_robots(args: argparse.Namespace) -> int:
    from geoaudit.audit import robots_access

    path = Path(args.target)
    if path.is_file() or not urlsplit(args.target).scheme:
        try:
            text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError as exc:
            raise GeoauditError(f"cannot read {args.target}: {exc.strerror}") from None
        facts = robots_access(text=text, extra_agents=args.extra_agents)
    else:
        url = http_url(args.target)
        with tempfile.TemporaryDirectory(prefix="geoaudit-robots-") as tmp:
            options = AuditOptions(
                start_url=url,
                out_dir=Path(tmp),
                max_pages=1,
                auth=args.auth,
                headers=dict(args.header),
                probe=args.probe,
                extra_agents=args.extra_agents,
                quiet=args.quiet,
            )
            facts = robots_access(options=options)
    report = facts.report()
    if args.format == "json":
        print(json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True))
    else:
        print(access_text(report))
    return EXIT_OK


def access_text(report: dict) -> str:
    robots = report["robots"]
    where = robots["url"] or "robots.txt"
    status = "" if robots["status"] is None else f" ({robots['status']}, {robots['size']} bytes)"
    lines = [f"{where}{status}: {robots['reason']}"]
    lines += [f"Sitemap: {url}" for url in robots["sitemaps"]]
    for signal in robots["content_signals"]:
        pairs = ", ".join(f"{k}={v}" for k, v in signal["signals"].items())
        lines.append(
            f"Content-Signal (line {signal['line']}, {', '.join(signal['agents'])}): {pairs}"
        )
    lines += ["", *report["summary"].values(), ""]
    rows = [("bot", "operator", "purpose", "robots.txt", "server", "governed by")]
    for bot in report["bots"]:
        if bot["retired"]:
            continue
        rows.append(
            (
                bot["token"],
                bot["operator"],
                bot["purpose"],
                "allowed" if bot["allowed"] else "BLOCKED",
                "-"
                if bot["server_status"] is None
                else f"{bot['server_status']} {bot['server_verdict']}",
                bot["rule"],
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [c.ljust(w) for c, w in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]))
    return "\n".join(lines)


def cmd_llms_validate(args: argparse.Namespace) -> int:
    from geoaudit.checks.llms import validate
    from geoaudit.crawl.fetch import fetch_one
    from geoaudit.sitefiles.llmstxt import lighthouse_verdict, parse_llms

    target = args.target
    if urlsplit(target).scheme in ("http", "https"):
        url = http_url(target)
        if not urlsplit(url).path.endswith(".txt"):
            url = url.rstrip("/") + "/llms.txt"
        record, body = fetch_one(url, dict(args.header), args.auth)
        if not record.ok:
            answer = record.error or f"HTTP {record.status}"
            raise GeoauditError(f"cannot read {url}: {answer}")
        status = record.status
    else:
        url = target
        try:
            body = Path(target).read_bytes()
        except OSError as exc:
            raise GeoauditError(f"cannot read {target}: {exc.strerror}") from None
        status = 200
    text = body.decode("utf-8", errors="replace")
    findings = validate(parse_llms(text), args.profile)
    verdict, reason = lighthouse_verdict(status, text)
    valid = not any(f.severity == "error" for f in findings)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "valid": valid,
                    "profile": args.profile,
                    "findings": [
                        {
                            "rule": f.rule,
                            "severity": f.severity,
                            "line": f.line,
                            "message": f.message,
                            "source": f.source,
                        }
                        for f in findings
                    ],
                    "lighthouse": {"verdict": verdict, "reason": reason},
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        counts = ", ".join(f"{sum(f.severity == s for f in findings)} {s}s" for s in SEVERITY_ORDER)
        print(f"{url}: {'valid' if valid else 'invalid'} under profile {args.profile} ({counts})")
        for f in findings:
            where = f"line {f.line}" if f.line else "file"
            print(f"  {where:>9}  {f.severity:<7}  {f.rule}  {f.message}  [{f.source}]")
        print(f"Lighthouse llms-txt audit: {verdict} ({reason})")
    return EXIT_OK if valid else EXIT_GATE_FAILED


def cmd_llms_generate(args: argparse.Namespace) -> int:
    from geoaudit.audit import generate_llms

    with tempfile.TemporaryDirectory(prefix="geoaudit-llms-") as tmp:
        options = crawl_options(args, args.url)
        options.out_dir = Path(tmp)
        llms_txt, llms_full = generate_llms(options)
    if args.output:
        args.output.write_text(llms_txt, encoding="utf-8")
        print(f"geoaudit: wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(llms_txt)
    if args.full:
        args.full.write_text(llms_full, encoding="utf-8")
        print(f"geoaudit: wrote {args.full}", file=sys.stderr)
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from geoaudit.baseline import diff, load_report

    changes = diff(load_report(args.old), load_report(args.new))
    if args.format == "json":
        print(json.dumps(changes, indent=2, ensure_ascii=False, sort_keys=True))
        return EXIT_OK
    old, new = changes["score"]["old"], changes["score"]["new"]
    print(f"score: {old} -> {new}")
    for name, values in changes["categories"].items():
        if values["old"] != values["new"]:
            print(f"  {CATEGORY_TITLES.get(name, name)}: {values['old']} -> {values['new']}")
    print(
        f"{len(changes['new'])} new, {len(changes['fixed'])} fixed, "
        f"{changes['unchanged']} unchanged findings"
    )
    for label, findings in (("new", changes["new"]), ("fixed", changes["fixed"])):
        for f in findings[:20]:
            print(
                f"  {label:5}  {f['rule']}  {f['severity']:<7}  {f.get('url') or 'site'}  "
                f"{f['message']}"
            )
        if len(findings) > 20:
            print(f"  … and {len(findings) - 20} more {label}")
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    rules = [r.describe() for r in load_rules().values()]
    if args.format == "json":
        print(json.dumps({"rules": rules}, indent=2, ensure_ascii=False))
        return EXIT_OK
    for r in rules:
        print(f"{r['id']}  {r['name']}  [{r['severity']}, {r['category']}, {r['scope']}]")
        print(f"    {r['title']}")
        for line in r["docs"].splitlines():
            print(f"    {line}" if line else "")
        print()
    return EXIT_OK


def config_for(argv: Sequence[str] | None) -> Config:
    """The config file for this command line: `--config FILE`, else the nearest one. `demo`,
    `init`, `diff`, `rules` and `llms validate` read none."""
    words = list(sys.argv[1:] if argv is None else argv)
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("command", nargs="?")
    pre.add_argument("--config", type=Path)
    known, _ = pre.parse_known_args(words)
    if known.command not in ("audit", "robots", "llms") or "validate" in words[:2]:
        return Config()
    return load_config(known.config, Path.cwd())


def main(argv: Sequence[str] | None = None) -> int:
    try:
        config = config_for(argv)
    except GeoauditError as exc:
        print(f"geoaudit: error: {exc}", file=sys.stderr)
        return exc.exit_code
    args = build_parser(config).parse_args(argv)
    try:
        if args.command == "init":
            write_starter(args.path, args.force)
            print(f"geoaudit: wrote {args.path}")
            return EXIT_OK
        if args.command == "audit":
            return audit_and_report(crawl_options(args, args.url), args)
        if args.command == "demo":
            return cmd_demo(args)
        if args.command == "robots":
            return cmd_robots(args)
        if args.command == "diff":
            return cmd_diff(args)
        if args.command == "llms":
            if args.llms_command == "validate":
                return cmd_llms_validate(args)
            return cmd_llms_generate(args)
        return cmd_rules(args)
    except GeoauditError as exc:
        print(f"geoaudit: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        print(f"geoaudit: error: {exc}", file=sys.stderr)
        return EXIT_USAGE_OR_FETCH
    except KeyboardInterrupt:
        print("geoaudit: interrupted", file=sys.stderr)
        return EXIT_USAGE_OR_FETCH
    except Exception as exc:  # a bug: one line for the user, the traceback with --verbose
        if getattr(args, "verbose", False):
            raise
        print(
            f"geoaudit: internal error: {describe_exception(exc)} (rerun with --verbose for "
            "details and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
