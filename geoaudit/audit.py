"""The audit pipeline after the crawl: depths, checks, scores, reports. Wires stages, owns no logic
of theirs."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geoaudit
from geoaudit.baseline import Comparison
from geoaudit.crawl import settings as crawl_defaults
from geoaudit.crawl.runner import CrawlResult, run_crawl
from geoaudit.crawl.scope import MAX_URL_LENGTH, UrlScope
from geoaudit.errors import GeoauditError
from geoaudit.facts.access import AccessFacts, build_access, llms_links
from geoaudit.facts.identity import identity
from geoaudit.facts.llms_txt import link_facts, md_twin_coverage
from geoaudit.facts.structured_data import schema_facts
from geoaudit.generate.llms_txt import generate_both
from geoaudit.models import PageModel, SiteFile, to_dict
from geoaudit.options import FORMATS, AuditOptions
from geoaudit.report import SCHEMA_VERSION, issue_rows
from geoaudit.report.csv import write_csv
from geoaudit.report.html import html_context, write_html
from geoaudit.report.json import write_json
from geoaudit.report.junit import write_junit
from geoaudit.report.md import write_md
from geoaudit.report.sarif import write_sarif
from geoaudit.rules import Checker, CheckSettings, Rule, Site, load_rules
from geoaudit.rules.llms import FILE_RULES, profile_overrides
from geoaudit.scoring import score
from geoaudit.scoring.content import ContentTotals, page_content
from geoaudit.sitefiles.llms_txt import lighthouse_verdict, parse_llms
from geoaudit.sitefiles.robots import RobotsPolicy
from geoaudit.store import Store
from geoaudit.timing import breakdown, stage
from geoaudit.vocab.agents import Agent, agents


@dataclass
class AuditResult:
    out_dir: Path
    score: int | None
    categories: dict[str, int | None]
    finding_counts: dict[str, int]
    pages: int
    partial: bool
    problem: str | None = None
    files: list[Path] = field(default_factory=list)
    new_findings: dict[str, int] | None = None


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def start_problem(store: Store, scope: UrlScope, crawl: CrawlResult) -> str | None:
    """Why the audit could not see the site, in one line, or None when the start page loaded."""
    page = store.find_page(scope.start_url)
    if page is None:
        if crawl.count("blocked_by_robots"):
            return (
                f"robots.txt disallows geoaudit from fetching {scope.start_url} "
                "(use --ignore-robots to audit anyway)"
            )
        if crawl.interrupted:
            return f"interrupted before {scope.start_url} was fetched"
        return f"{scope.start_url} was not fetched"
    if page.fetch.status is None:
        return f"cannot reach {scope.start_url}: {page.fetch.error}"
    if not page.fetch.ok:
        hint = " (use --auth user:pass)" if page.fetch.status in (401, 403) else ""
        return f"{scope.start_url} answered HTTP {page.fetch.status}{hint}"
    if crawl.interrupted:
        return f"interrupted: the report covers the {store.page_count()} pages crawled so far"
    return None


def write_reports(
    store: Store,
    header: dict[str, Any],
    rules: dict[str, Rule],
    formats: tuple[str, ...],
    out: Path,
    llms_txt: str,
    duration_s: float,
    annotate: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> list[Path]:
    """Write the chosen report formats; returns the files written. `annotate` adds keys to
    each finding of report.json (its baseline status)."""
    writers = {
        "json": ("report.json", lambda p: write_json(store, header, p, annotate)),
        "html": (
            "report.html",
            lambda p: write_html(store, html_context(header, store, rules), llms_txt, p),
        ),
        "csv": ("report.csv", lambda p: write_csv(store, p)),
        "sarif": (
            "report.sarif",
            lambda p: write_sarif(store, rules, header["target"]["site_url"], p),
        ),
        "junit": ("report.junit.xml", lambda p: write_junit(store, rules, duration_s, p)),
        "md": ("report.md", lambda p: write_md(header, issue_rows(store, rules), p)),
    }
    files = []
    for name in FORMATS:
        if name in formats:
            filename, write = writers[name]
            write(out / filename)
            files.append(out / filename)
    return files


def profile_settings(profile: str, checks: CheckSettings | None) -> CheckSettings:
    """The check settings with the llms.txt profile's severities and rules applied under them."""
    severity, disabled = profile_overrides(profile)
    base = checks or CheckSettings()
    return CheckSettings(disabled=disabled | base.disabled, severity={**severity, **base.severity})


def closed_to_ai_search(access: AccessFacts) -> Callable[[PageModel], bool]:
    """Pages robots.txt closes to an AI search or user bot that honours it: left out of the
    generated llms.txt, which must not recommend what those bots may not fetch."""
    bots = [
        b.token
        for b in access.bots
        if b.purpose in ("search", "user") and b.honours_robots and not b.retired
    ]
    return lambda page: any(not access.policy.allowed(token, page.url) for token in bots)


def llms_report(
    store: Store, site: Site, llms_file: SiteFile | None, profile: str, generated: str
) -> dict[str, Any]:
    findings = [
        {"rule": f.rule, "severity": f.severity, "line": f.line, "message": f.message}
        for f in store.iter_findings()
        if f.rule in FILE_RULES
    ]
    verdict, reason = site.lighthouse or ("not_applicable", "llms.txt was not fetched")
    return {
        "url": llms_file.fetch.url if llms_file else f"{site.site_url}/llms.txt",
        "status": llms_file.fetch.status if llms_file else None,
        "present": site.llms is not None,
        "valid": site.llms is not None and not any(f["severity"] == "error" for f in findings),
        "profile": profile,
        "findings": findings,
        "lighthouse": {"verdict": verdict, "reason": reason},
        "generated": generated,
    }


def access_facts(
    store: Store, sitefiles: list[SiteFile], home: str, extra_agents: tuple[Agent, ...] = ()
) -> AccessFacts:
    robots = next((f for f in sitefiles if f.name == "robots.txt"), None)
    llms = next((f for f in sitefiles if f.name == "llms.txt"), None)
    return build_access(
        policy=RobotsPolicy.from_sitefile(robots),
        agents=agents(extra_agents),
        pages=store.iter_pages(bulk=False),
        start_url=home,
        key_urls=[home, *llms_links(llms), *store.sitemap_urls()],
        probes=store.probes(),
        robots_file=robots,
    )


def robots_access(
    text: str | None = None,
    options: AuditOptions | None = None,
    extra_agents: tuple[Agent, ...] = (),
) -> AccessFacts:
    """Access facts for `geoaudit robots`: from robots.txt text alone, or from a one-page crawl
    (robots.txt, sitemaps, the start page and the User-Agent probes)."""
    if text is not None:
        return build_access(
            RobotsPolicy.from_text(text), agents(extra_agents), [], "http://localhost/"
        )
    assert options is not None
    crawl = run_crawl(options)
    scope = UrlScope(options.start_url, options.site_url)
    store = Store.in_dir(options.out_dir)
    try:
        start = store.find_page(scope.start_url)
        sitefiles = store.sitefiles()
        robots = next((f for f in sitefiles if f.name == "robots.txt"), None)
        if robots is None or (robots.fetch.status is None and start is None):
            problem = start_problem(store, scope, crawl) or "robots.txt was not fetched"
            raise GeoauditError(problem)
        home = start.url if start else scope.start_url
        return access_facts(store, sitefiles, home, options.extra_agents)
    finally:
        store.close()


def generate_llms(options: AuditOptions) -> tuple[str, str]:
    """Crawl a site and return its generated (llms.txt, llms-full.txt)."""
    crawl = run_crawl(options)
    scope = UrlScope(options.start_url, options.site_url)
    store = Store.in_dir(options.out_dir)
    try:
        start = store.find_page(scope.start_url)
        if start is None or not start.fetch.ok:
            raise GeoauditError(start_problem(store, scope, crawl) or "the site was not fetched")
        store.compute_depths(start.url)
        access = access_facts(store, store.sitefiles(), start.url, options.extra_agents)
        closed = closed_to_ai_search(access)
        return generate_both(store, start.url, closed)
    finally:
        store.close()


def run_audit(options: AuditOptions, checks: CheckSettings | None = None) -> AuditResult:
    started_at, clock = now_iso(), time.monotonic()
    crawl = run_crawl(options)
    return analyse(options, crawl, started_at, now_iso(), time.monotonic() - clock, checks)


def analyse(
    options: AuditOptions,
    crawl: CrawlResult,
    started_at: str,
    finished_at: str,
    duration_s: float,
    checks: CheckSettings | None = None,
) -> AuditResult:
    scope = UrlScope(options.start_url, options.site_url)
    store = Store.in_dir(options.out_dir)
    try:
        return _analyse(store, options, scope, crawl, started_at, finished_at, duration_s, checks)
    finally:
        store.close()


def _analyse(
    store: Store,
    options: AuditOptions,
    scope: UrlScope,
    crawl: CrawlResult,
    started_at: str,
    finished_at: str,
    duration_s: float,
    checks: CheckSettings | None,
) -> AuditResult:
    with stage("site facts"):
        problem = start_problem(store, scope, crawl)
        start = store.find_page(scope.start_url)
        home = start.url if start is not None else scope.start_url
        store.compute_depths(home)
        sitefiles = store.sitefiles()
        access = access_facts(store, sitefiles, home, options.extra_agents)
        llms_file = next((f for f in sitefiles if f.name == "llms.txt"), None)
        llms = parse_llms(llms_file.text) if llms_file is not None and llms_file.present else None
        found, checked = md_twin_coverage(sitefiles)
        site = Site(
            start_url=scope.start_url,
            site_url=scope.site_origin,
            audit_date=finished_at,
            home_url=home,
            sitemap_lastmod=store.sitemap_lastmods(),
            sitefiles=sitefiles,
            pages_crawled=store.page_count(),
            sitemap_urls=store.sitemap_url_count(),
            access=access,
            identity=identity(store.find_page(home), store.iter_pages(bulk=False)),
            llms=llms,
            llms_url=llms_file.fetch.url if llms_file is not None else None,
            llms_links=(
                link_facts(llms, llms_file.fetch.url, store.find_page, access, scope.site_origin)
                if llms and llms_file
                else None
            ),
            md_twins=(found, checked) if checked else None,
            schema=schema_facts(store.iter_pages(bulk=False), store.find_page(home)),
            lighthouse=(
                lighthouse_verdict(llms_file.fetch.status, llms_file.text)
                if llms_file is not None
                else None
            ),
        )
    checker = Checker(profile_settings(options.llms_profile, checks))
    totals = ContentTotals(in_links=store.in_link_counts())

    def score_page(page: PageModel) -> None:
        if page.is_html_ok:
            content = page_content(page, site)
            store.add_page_content(page.url, content)
            totals.add(page, content)

    with stage("checks"):
        results = checker.run(store, site, score_page)
    rules = load_rules()
    categories = {rule_id: rules[rule_id].category for rule_id in results}
    scores = score(results, categories, totals.means())
    closed = closed_to_ai_search(access)
    with stage("llms.txt"):
        llms_txt, llms_full = generate_both(store, home, closed, site.identity)

    notes = [problem] if problem else []
    if crawl.count("over_max_pages"):
        notes.append(
            f"The crawl stopped at --max-pages {options.max_pages}; "
            f"{crawl.count('over_max_pages')} more links were not followed."
        )
    if crawl.count("trap_skipped"):
        notes.append(
            f"{crawl.count('trap_skipped')} links were not followed as likely crawl traps: "
            f"more than {crawl_defaults.GEOAUDIT_MAX_QUERY_VARIANTS} query-string variants of "
            "one path (calendars, filters, growing queries), URLs over "
            f"{MAX_URL_LENGTH:,} characters, or repeating paths."
        )
    if crawl.count("blocked_by_robots"):
        notes.append(
            f"{crawl.count('blocked_by_robots')} URLs were not fetched because "
            "robots.txt disallows them for geoaudit (--ignore-robots fetches them)."
        )
    partial = crawl.interrupted
    header: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "geoaudit", "version": geoaudit.__version__},
        "target": {
            "url": options.start_url,
            "site_url": scope.site_origin,
            "started_at": started_at,
            "finished_at": finished_at,
            "partial": partial,
            "finish_reason": crawl.finish_reason,
        },
        "score": scores.overall,
        "categories": scores.categories,
        "rules": {
            rule_id: {
                "applicable": r.applicable,
                "failed": r.failed,
                "score": scores.rules[rule_id],
            }
            for rule_id, r in sorted(results.items())
        },
        "stats": {
            "pages_crawled": site.pages_crawled,
            "errors": store.status_counts().get("failed", 0),
            "duration_s": round(duration_s, 1),
            "cpu_s": breakdown(),
            "status_counts": store.status_counts(),
            "sitemap_urls": site.sitemap_urls,
            "blocked_by_robots": crawl.count("blocked_by_robots"),
            "trap_skipped": crawl.count("trap_skipped"),
            "not_followed_max_pages": crawl.count("over_max_pages"),
            "findings": store.finding_counts(),
            "internal_errors": checker.internal_errors,
        },
        "ai_access": site.access.report() if site.access else None,
        "structured_data": site.schema.report() if site.schema else None,
        "content": totals.report(),
        "llms_txt": llms_report(store, site, llms_file, options.llms_profile, llms_txt),
        "sitefiles": [
            {
                "name": f.name,
                "url": f.fetch.url,
                "requested_url": f.fetch.requested_url,
                "status": f.fetch.status,
                "error": f.fetch.error,
                "size": f.fetch.size,
                "content_type": f.fetch.content_type,
                "parse_error": f.parse_error,
                "redirects": [{"url": r.url, "status": r.status} for r in f.fetch.redirects],
            }
            for f in site.sitefiles
        ],
        "notes": notes,
    }
    out = Path(options.out_dir)
    annotate = None
    if options.baseline is not None:
        comparison = Comparison(options.baseline)
        header["baseline"] = comparison.summary(
            (to_dict(f) for f in store.iter_findings()), options.baseline_file or "baseline"
        )
        annotate = comparison.annotate
    files = write_reports(
        store, header, rules, options.formats, out, llms_txt, duration_s, annotate
    )
    for name, text in (("llms.txt", llms_txt), ("llms-full.txt", llms_full)):
        (out / name).write_text(text, encoding="utf-8")
        files.append(out / name)
    return AuditResult(
        out,
        scores.overall,
        scores.categories,
        store.finding_counts(),
        site.pages_crawled,
        partial,
        problem,
        files,
        header["baseline"]["new_by_severity"] if "baseline" in header else None,
    )
