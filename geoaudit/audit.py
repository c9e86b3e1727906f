"""The audit pipeline after the crawl, one call per stage: site facts -> checks -> scores ->
llms.txt -> header -> reports. Wires the stages, owns no logic of theirs."""

from __future__ import annotations

import dataclasses
import functools
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from geoaudit.baseline import Comparison
from geoaudit.crawl.runner import CRAWL_STATE, CrawlResult, run_crawl
from geoaudit.crawl.scope import UrlScope
from geoaudit.errors import GeoauditError
from geoaudit.facts import Site, build_site
from geoaudit.facts.access import AccessBuilder, AccessFacts
from geoaudit.generate.llms_txt import Generated, generate_both
from geoaudit.models import PageModel, to_dict
from geoaudit.options import AuditOptions
from geoaudit.output import claim_outputs, output_lock, write_atomically
from geoaudit.report.context import ReportContext
from geoaudit.report.formats import FORMATS, reporter
from geoaudit.report.header import AuditRun, report_header
from geoaudit.report.rows import issue_rows
from geoaudit.rules import (
    MIN_TEMPLATE_PAGES,
    Checker,
    CheckSettings,
    RuleResult,
    load_rules,
    profile_settings,
    template_finding,
    template_rules,
)
from geoaudit.scoring import score
from geoaudit.scoring.content import ContentTotals, page_content
from geoaudit.sitefiles.robots import RobotsPolicy
from geoaudit.store import STORE_NAME, Store
from geoaudit.terminal import StatusLine
from geoaudit.timing import stage
from geoaudit.vocab.agents import Agent, agents

# What an audit writes besides its reports (SQLite's -wal and -shm live while the store is open).
OWN_FILES = (
    "llms.txt", "llms-full.txt", STORE_NAME, f"{STORE_NAME}-wal", f"{STORE_NAME}-shm", CRAWL_STATE
)


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
    # The issue rows the closing summary names (report/rows.py issue_rows), worst first.
    top_issues: list[dict[str, Any]] = field(default_factory=list)


# Issues the closing summary names.
TOP_ISSUES = 3


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class OpenSite:
    """A crawled site's store, its scope and its start page as fetched (None if it was not)."""

    store: Store
    scope: UrlScope
    start: PageModel | None

    @property
    def home_url(self) -> str:
        return self.start.url if self.start is not None else self.scope.start_url


@contextmanager
def open_site(options: AuditOptions) -> Iterator[OpenSite]:
    """The stored crawl of `options`, closed after use."""
    scope = UrlScope(options.start_url, options.site_url)
    store = Store.in_dir(options.out_dir)
    try:
        yield OpenSite(store, scope, store.find_page(scope.start_url))
    finally:
        store.close()


def start_problem(opened: OpenSite, crawl: CrawlResult) -> str | None:
    """Why the audit could not see the site, in one line, or None when the start page loaded."""
    page, start_url = opened.start, opened.scope.start_url
    if page is None:
        if crawl.count("blocked_by_robots"):
            return (
                f"robots.txt disallows geoaudit from fetching {start_url} "
                "(use --ignore-robots to audit anyway)"
            )
        if crawl.interrupted:
            return f"interrupted before {start_url} was fetched"
        return f"{start_url} was not fetched"
    if page.fetch.status is None:
        return f"cannot reach {start_url}: {page.fetch.error}"
    if not page.fetch.ok:
        hint = " (use --auth user:pass)" if page.fetch.status in (401, 403) else ""
        return f"{start_url} answered HTTP {page.fetch.status}{hint}"
    if crawl.interrupted:
        pages = opened.store.page_count()
        return f"interrupted: the report covers the {pages} pages crawled so far"
    return None


def site_facts(opened: OpenSite, options: AuditOptions, audit_date: str) -> Site:
    """Click depths, then the site's facts from one pass over the stored pages."""
    store = opened.store
    store.compute_depths(opened.home_url)
    return build_site(
        start_url=opened.scope.start_url,
        site_url=opened.scope.site_origin,
        audit_date=audit_date,
        home=opened.start,
        pages=store.iter_pages(bulk=False),
        sitefiles=store.sitefiles(),
        agents=agents(options.extra_agents),
        probes=store.probes(),
        sitemap_urls=store.sitemap_urls(),
        sitemap_lastmod=store.sitemap_lastmods(),
    )


def run_checks(
    store: Store, site: Site, checker: Checker, checked: Callable[[int], None] | None = None
) -> tuple[dict[str, RuleResult], ContentTotals]:
    """Every rule over the stored pages and the site, findings streamed to the store; page
    measures computed on the same pass; template findings alike on several pages folded into
    one (rules.template_finding). `checked` hears how many pages are done."""
    totals = ContentTotals(in_links=store.in_link_counts())
    store.clear_findings()
    for n, page in enumerate(store.iter_pages(), 1):
        if checked is not None:
            checked(n)
        store.add_findings(checker.check_page(page, site))
        if page.is_html_ok:
            content = page_content(page, site)
            store.add_page_content(page.url, content)
            totals.add(page, content)
    store.fold_alike(template_rules(), MIN_TEMPLATE_PAGES, template_finding)
    store.add_findings(checker.check_site(site))
    return checker.results, totals


def write_reports(context: ReportContext, formats: tuple[str, ...], out: Path) -> list[Path]:
    """Write the chosen report formats, in the registry's order; returns the files written."""
    files = []
    for name in FORMATS:
        if name in formats:
            module = reporter(name)
            write_atomically(out / module.FILENAME, functools.partial(module.write, context))
            files.append(out / module.FILENAME)
    return files


def robots_text_access(text: str, extra_agents: tuple[Agent, ...] = ()) -> AccessFacts:
    """Access facts for `geoaudit robots FILE`: from robots.txt text alone."""
    policy = RobotsPolicy.from_text(text)
    return AccessBuilder(policy, agents(extra_agents), "http://localhost/").finish()


def robots_access(options: AuditOptions) -> AccessFacts:
    """Access facts for `geoaudit robots URL`: from a one-page crawl (robots.txt, sitemaps, the
    start page and the User-Agent probes)."""
    crawl = run_crawl(options)
    with open_site(options) as opened:
        robots = next((f for f in opened.store.sitefiles() if f.name == "robots.txt"), None)
        unanswered = opened.start is None or opened.start.fetch.status is None
        if robots is None or (robots.fetch.status is None and unanswered):
            # Neither robots.txt nor the start page answered: the host cannot be reached, which
            # is not a robots.txt that blocks every bot.
            raise GeoauditError(start_problem(opened, crawl) or "robots.txt was not fetched")
        return site_facts(opened, options, now_iso()).access


def generate_llms(options: AuditOptions) -> Generated:
    """Crawl a site and return its generated llms.txt and llms-full.txt, with notes."""
    crawl = run_crawl(options)
    with open_site(options) as opened:
        if opened.start is None or not opened.start.fetch.ok:
            raise GeoauditError(start_problem(opened, crawl) or "the site was not fetched")
        return generate_both(opened.store, site_facts(opened, options, now_iso()))


def _claim(options: AuditOptions) -> None:
    claim_outputs(
        options.out_dir,
        [*(reporter(f).FILENAME for f in FORMATS if f in options.formats), *OWN_FILES],
        made_by_geoaudit=Store.exists_in(options.out_dir),
    )


def run_audit(options: AuditOptions, checks: CheckSettings | None = None) -> AuditResult:
    with output_lock(options.out_dir):
        _claim(options)
        started_at, clock = now_iso(), time.monotonic()
        crawl = run_crawl(options)
        return analyse(options, crawl, started_at, now_iso(), time.monotonic() - clock, checks)


# What `geoaudit report` needs to judge a stored crawl again: its target and scope, its
# clock and the crawl's counters. Kept in the store's meta table under "audit".
_RECORDED = ("start_url", "site_url", "include_subdomains", "include", "exclude", "max_pages",
             "max_depth", "ignore_robots", "probe")


def rerun_audit(options: AuditOptions, checks: CheckSettings | None = None) -> AuditResult:
    """Judge, score and write the reports of the crawl stored in `options.out_dir` again,
    without crawling: other formats, another profile, a baseline, rules changed since. Only
    `out_dir`, `formats`, `llms_profile` and the baseline of `options` are read; the rest comes
    from the stored audit."""
    if not Store.exists_in(options.out_dir):
        raise GeoauditError(
            f"no audit to report in {options.out_dir}: run geoaudit audit -o {options.out_dir} "
            "first"
        )
    with output_lock(options.out_dir):
        recorded = _recorded_audit(options.out_dir)
        if recorded is None:
            raise GeoauditError(
                f"the audit in {options.out_dir} was made by a geoaudit that kept no record "
                "for reports: audit again"
            )
        _claim(options)
        target = {k: recorded[k] for k in _RECORDED if k in recorded}
        again = dataclasses.replace(options, **target)
        return analyse(
            again, CrawlResult(recorded["stats"]), recorded["started_at"],
            recorded["finished_at"], recorded["duration_s"], checks,
        )


def _recorded_audit(out_dir: Path) -> dict[str, Any] | None:
    store = Store.in_dir(out_dir)
    try:
        value = store.get_meta("audit")
    finally:
        store.close()
    return value if isinstance(value, dict) else None


def analyse(
    options: AuditOptions,
    crawl: CrawlResult,
    started_at: str,
    finished_at: str,
    duration_s: float,
    checks: CheckSettings | None = None,
) -> AuditResult:
    """Judge, score and report a stored crawl."""
    with open_site(options) as opened:
        store = opened.store
        store.set_meta(
            "audit",
            {
                **{k: getattr(options, k) for k in _RECORDED},
                "stats": {k: v for k, v in crawl.stats.items() if isinstance(v, int | float | str)},
                "started_at": started_at,
                "finished_at": finished_at,
                "duration_s": duration_s,
            },
        )
        status = StatusLine(sys.stderr, enabled=not (options.quiet or options.verbose))
        pages = store.page_count()
        status.show("analysis", f"site facts of {pages} pages", force=True)
        with stage("site facts"):
            problem = start_problem(opened, crawl)
            site = site_facts(opened, options, finished_at)
        checker = Checker(profile_settings(options.llms_profile, checks))
        with stage("checks"):
            results, totals = run_checks(
                store, site, checker, lambda n: status.show("analysis", f"checks {n}/{pages} pages")
            )
        rules = load_rules()
        scores = score(results, {r: rules[r].category for r in results}, totals.means())
        status.show("analysis", "llms.txt and llms-full.txt", force=True)
        with stage("llms.txt"):
            generated = generate_both(store, site)
        run = AuditRun(
            options, crawl, started_at, finished_at, duration_s, site, results, scores, totals,
            checker.internal_errors, problem, generated,
            frozenset(r.id for r in rules.values() if r.scope == "file"),
        )
        header = report_header(store, run)
        context = ReportContext(
            store, header, rules, generated.llms_txt, duration_s, source_root=options.source_root
        )
        if options.baseline is not None:
            header["baseline"] = baseline_summary(store, options, context)
        if options.gate.set:
            failures = options.gate.failures(
                scores.overall,
                scores.categories,
                store.finding_counts(),
                header["baseline"]["new_by_severity"] if "baseline" in header else None,
            )
            header["gate"] = {"passed": not failures, "failures": failures}
        out = Path(options.out_dir)
        status.show("reports", ", ".join(options.formats), force=True)
        files = write_reports(context, options.formats, out)
        status.done()
        drafts = (("llms.txt", generated.llms_txt), ("llms-full.txt", generated.llms_full))
        for name, text in drafts:
            save = functools.partial(Path.write_text, data=text, encoding="utf-8")
            write_atomically(out / name, save)
            files.append(out / name)
        return AuditResult(
            out,
            scores.overall,
            scores.categories,
            store.finding_counts(),
            site.pages_crawled,
            crawl.interrupted,
            problem,
            files,
            header["baseline"]["new_by_severity"] if "baseline" in header else None,
            issue_rows(store, rules)[:TOP_ISSUES],
        )


def baseline_summary(
    store: Store, options: AuditOptions, context: ReportContext
) -> dict[str, Any]:
    """The comparison with --baseline; report.json's findings get their status through
    `context.annotate`."""
    assert options.baseline is not None
    comparison = Comparison(options.baseline)
    context.annotate = comparison.annotate
    return comparison.summary(
        (to_dict(f) for f in store.iter_findings()), options.baseline_file or "baseline"
    )
