"""The subcommands: each wires the stages for one command and maps its outcome to an exit code."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from geoaudit.categories import title as category_title
from geoaudit.cli import rules_doc
from geoaudit.cli.argtypes import (
    http_url,
    split_userinfo,
)
from geoaudit.cli.config_file import write_starter
from geoaudit.cli.parser import baseline_options, crawl_options, gate_settings
from geoaudit.errors import (
    EXIT_GATE_FAILED,
    EXIT_OK,
    GeoauditError,
)
from geoaudit.escape import clipped, terminal_json, terminal_text
from geoaudit.models import SEVERITIES as SEVERITY_ORDER
from geoaudit.options import (
    AuditOptions,
)
from geoaudit.report.rows import plural
from geoaudit.rules import CheckSettings, load_rules
from geoaudit.terminal import grade, paint

# The demo site plays a production site at a reserved domain, served from 127.0.0.1: the same
# set-up as auditing a staging copy with --site-url.
DEMO_SITE_URL = "https://www.harborroast.example"


def say(text: str = "", *, file: TextIO | None = None) -> None:
    """Print a line that may hold site text, with anything that could drive a terminal shown
    as an escape."""
    print(terminal_text(text), file=file or sys.stdout)


def say_json(value: Any, *, sort_keys: bool = False) -> None:
    print(terminal_json(json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys)))


def print_summary(result: object) -> None:
    from geoaudit.audit import AuditResult

    assert isinstance(result, AuditResult)
    out = sys.stdout
    cats = ", ".join(
        f"{category_title(c)} {paint('–' if s is None else str(s), grade(s), out)}"
        for c, s in result.categories.items()
    )
    score = "–" if result.score is None else result.score
    overall = paint(f"{score}/100", grade(result.score), out)
    counts = ", ".join(
        paint(f"{result.finding_counts.get(s, 0)} {s}s", s, out) if result.finding_counts.get(s)
        else f"0 {s}s"
        for s in SEVERITY_ORDER
    )
    partial = " (partial: interrupted)" if result.partial else ""
    print(f"geoaudit: score {overall}{partial} · {cats}")
    print(f"  {result.pages} pages · {counts}")
    if result.top_issues:
        print("  top issues:")
    for n, issue in enumerate(result.top_issues, 1):
        pages = issue["pages"]
        where = plural(pages, "page") if pages else "whole site"
        severity = paint(issue["severity"], issue["severity"], out)
        print(f"    {n}. {issue['rule']} {issue['title']} ({severity}, {where})")
    for path in result.files:
        print(f"  wrote {path}")


def audit_and_report(
    options: AuditOptions, args: argparse.Namespace, *, crawl: bool = True
) -> int:
    from geoaudit.audit import rerun_audit, run_audit
    from geoaudit.cli.gate import report_gate

    result = (run_audit if crawl else rerun_audit)(
        options,
        CheckSettings(
            disabled=getattr(args, "disabled_rules", set()),
            severity=getattr(args, "severities", {}),
        ),
    )
    print_summary(result)
    if result.problem:
        raise GeoauditError(result.problem)
    return EXIT_GATE_FAILED if report_gate(result, options) else EXIT_OK


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
            source_root=args.source_root,
            llms_profile=args.llms_profile,
            gate=gate_settings(args),
            **baseline_options(args.baseline),
        )
        code = audit_and_report(options, args)
    print(f"geoaudit: open {args.output / 'report.html'} in a browser")
    return code


def cmd_robots(args: argparse.Namespace) -> int:
    from geoaudit.audit import robots_access, robots_text_access

    path = Path(args.target)
    if path.is_file() or not urlsplit(args.target).scheme:
        try:
            text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError as exc:
            raise GeoauditError(f"cannot read {args.target}: {exc.strerror}") from None
        facts = robots_text_access(text, args.extra_agents)
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
            facts = robots_access(options)
    report = facts.report()
    if args.format == "json":
        say_json(report, sort_keys=True)
    else:
        say(access_text(report))
    blocked = facts.blocked(args.fail_on_blocked)
    if blocked:
        print(
            terminal_text(f"geoaudit: blocked: {', '.join(blocked)} (--fail-on-blocked)"),
            file=sys.stderr,
        )
        return EXIT_GATE_FAILED
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
    for escape in report["star_escapes"]:
        paths = ", ".join(f"{p['pattern']} (line {p['line']})" for p in escape["paths"][:5])
        lines.append(
            f"{escape['token']}'s own group ignores the '*' group, so it may fetch: {paths}"
        )
    if report["star_escapes"]:
        lines.append("")
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
    from geoaudit.crawl.fetch import fetch_one
    from geoaudit.rules import validate
    from geoaudit.sitefiles.llms_txt import lighthouse_verdict, parse_llms

    target = args.target
    if urlsplit(target).scheme in ("http", "https"):
        url, url_auth = split_userinfo(http_url(target))
        if not urlsplit(url).path.endswith(".txt"):
            url = url.rstrip("/") + "/llms.txt"
        auth = args.auth or url_auth
        record, body = fetch_one(url, dict(args.header), auth, timeout=args.timeout)
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
        say_json(
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
            }
        )
    else:
        counts = ", ".join(f"{sum(f.severity == s for f in findings)} {s}s" for s in SEVERITY_ORDER)
        say(f"{url}: {'valid' if valid else 'invalid'} under profile {args.profile} ({counts})")
        for f in findings:
            where = f"line {f.line}" if f.line else "file"
            say(f"  {where:>9}  {f.severity:<7}  {f.rule}  {f.message}  [{f.source}]")
        say(f"Lighthouse llms-txt audit: {verdict} ({reason})")
    return EXIT_OK if valid else EXIT_GATE_FAILED


def cmd_llms_generate(args: argparse.Namespace) -> int:
    from geoaudit.audit import generate_llms

    with tempfile.TemporaryDirectory(prefix="geoaudit-llms-") as tmp:
        options = crawl_options(args, args.url)
        options.out_dir = Path(tmp)
        generated = generate_llms(options)
    if args.output:
        args.output.write_text(generated.llms_txt, encoding="utf-8")
        print(f"geoaudit: wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(terminal_text(generated.llms_txt))
    if args.full:
        args.full.write_text(generated.llms_full, encoding="utf-8")
        print(f"geoaudit: wrote {args.full}", file=sys.stderr)
    for note in generated.notes:
        print(f"geoaudit: note: {terminal_text(clipped(note))}", file=sys.stderr)
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from geoaudit.baseline import diff, load_report

    changes = diff(load_report(args.old), load_report(args.new))
    if args.format == "json":
        say_json(changes, sort_keys=True)
        return EXIT_OK
    old, new = changes["score"]["old"], changes["score"]["new"]
    say(f"score: {old} -> {new}")
    for name, values in changes["categories"].items():
        if values["old"] != values["new"]:
            say(f"  {category_title(name)}: {values['old']} -> {values['new']}")
    say(
        f"{len(changes['new'])} new, {len(changes['fixed'])} fixed, "
        f"{changes['unchanged']} unchanged findings"
    )
    for label, findings in (("new", changes["new"]), ("fixed", changes["fixed"])):
        for f in findings[:20]:
            say(
                f"  {label:5}  {f['rule']}  {f['severity']:<7}  {f.get('url') or 'site'}  "
                f"{f['message']}"
            )
        if len(findings) > 20:
            say(f"  … and {len(findings) - 20} more {label}")
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    registry = load_rules()
    if args.rule is None:
        rules = [r.describe() for r in registry.values()]
    elif args.rule.upper() in registry:
        rules = [registry[args.rule.upper()].describe()]
    else:
        raise GeoauditError(f"unknown rule {args.rule!r}")
    if args.format == "json":
        print(json.dumps({"rules": rules}, indent=2, ensure_ascii=False))
        return EXIT_OK
    if args.format == "md":
        page = rules_doc.markdown(rules) if args.rule is None else rules_doc.rule_section(rules[0])
        print(page, end="")
        return EXIT_OK
    for r in rules:
        print(f"{r['id']}  {r['name']}  [{r['severity']}, {r['category']}, {r['scope']}]")
        print(f"    {r['title']}")
        for line in r["docs"].splitlines():
            print(f"    {line}" if line else "")
        print()
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Run the parsed command line's subcommand; its exit code."""
    if args.command == "init":
        write_starter(args.path, args.force)
        print(f"geoaudit: wrote {args.path}")
        return EXIT_OK
    if args.command == "audit":
        return audit_and_report(crawl_options(args, args.url), args)
    if args.command == "report":
        options = AuditOptions(
            start_url="",
            out_dir=args.output,
            quiet=args.quiet,
            verbose=args.verbose,
            llms_profile=args.llms_profile,
            formats=args.formats,
            source_root=args.source_root,
            gate=gate_settings(args),
            **baseline_options(args.baseline),
        )
        return audit_and_report(options, args, crawl=False)
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
