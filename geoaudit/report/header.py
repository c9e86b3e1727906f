"""report.json's header: everything about the audit but the per-page and per-finding lines.

Every format reads it. report.json is this header (indented, keys sorted) followed by two
streamed arrays, one compact line per item:

- `schema_version`, `tool` {name, version}
- `target` {url, site_url, started_at, finished_at, partial, finish_reason}
- `score` (0–100 or null), `categories` {category: score or null}, in the order of
  geoaudit/categories.py
- `rules` {rule id: {applicable, failed, score}}: the input and output of scoring
- `stats` {pages_crawled, errors, duration_s, cpu_s {stage: seconds}, status_counts,
  sitemap_urls, blocked_by_robots, trap_skipped, not_followed_max_pages, findings
  {severity: count}, internal_errors}
- `ai_access`: per bot, what robots.txt, page controls and the server allow (facts/access.py)
- `structured_data`: site-wide schema.org facts (facts/structured_data.py)
- `content`: per measure, the site's averages, distribution and the weakest important pages
- `llms_txt` {url, status, present, valid, profile, findings, lighthouse, generated,
  generated_notes}: the live file as validated, the generated one and what it left out
- `sitefiles`: each fetched site file with its status, size, redirects and parse error
- `notes`: sentences on what the audit could not see (stops, limits, robots.txt)
- `baseline` (with --baseline only): counts of new, fixed and unchanged findings
- `pages`: one entry per page (report/rows.py `page_entry`)
- `findings`: one entry per finding (models.Finding), with `baseline` status when compared
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geoaudit
from geoaudit.crawl import settings as crawl_defaults
from geoaudit.crawl.runner import CrawlResult
from geoaudit.crawl.scope import MAX_URL_LENGTH
from geoaudit.crawl.spider import SITEMAP_ENTRIES_PER_PAGE
from geoaudit.facts import Site
from geoaudit.generate.llms_txt import Generated
from geoaudit.options import AuditOptions
from geoaudit.rules import RuleResult
from geoaudit.scoring import Scores
from geoaudit.scoring.content import ContentTotals
from geoaudit.store import Store
from geoaudit.timing import breakdown

SCHEMA_VERSION = "1.0"


@dataclass
class AuditRun:
    """The audit's outcome as the header shows it."""

    options: AuditOptions
    crawl: CrawlResult
    started_at: str
    finished_at: str
    duration_s: float
    site: Site
    results: dict[str, RuleResult]
    scores: Scores
    totals: ContentTotals
    internal_errors: int
    problem: str | None
    llms: Generated
    llms_rules: frozenset[str]


def crawl_notes(run: AuditRun) -> list[str]:
    """What the audit could not see, one sentence each."""
    crawl, options = run.crawl, run.options
    notes = [run.problem] if run.problem else []
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
    if crawl.count("sitemaps_skipped"):
        notes.append(
            f"{crawl.count('sitemaps_skipped')} sitemaps listed in sitemap indexes were not "
            f"read: an audit of --max-pages {options.max_pages} reads at most "
            f"{crawl.count('sitemap_budget')} sitemap files."
        )
    if crawl.count("sitemap_entries_not_kept"):
        notes.append(
            f"{crawl.count('sitemap_entries_not_kept')} sitemap entries beyond "
            f"{SITEMAP_ENTRIES_PER_PAGE * options.max_pages:,} ({SITEMAP_ENTRIES_PER_PAGE} per "
            "page of --max-pages) were counted, not kept."
        )
    if crawl.count("blocked_by_robots"):
        notes.append(
            f"{crawl.count('blocked_by_robots')} URLs were not fetched because "
            "robots.txt disallows them for geoaudit (--ignore-robots fetches them)."
        )
    return notes


def llms_report(store: Store, run: AuditRun) -> dict[str, Any]:
    """The live llms.txt as validated: its findings, Lighthouse's verdict, the generated file."""
    site = run.site
    llms_file = site.file("llms.txt")
    findings = [
        {"rule": f.rule, "severity": f.severity, "line": f.line, "message": f.message}
        for f in store.iter_findings()
        if f.rule in run.llms_rules
    ]
    verdict, reason = site.lighthouse or ("not_applicable", "llms.txt was not fetched")
    return {
        "url": llms_file.fetch.url if llms_file else f"{site.site_url}/llms.txt",
        "status": llms_file.fetch.status if llms_file else None,
        "present": site.llms is not None,
        "valid": site.llms is not None and not any(f["severity"] == "error" for f in findings),
        "profile": run.options.llms_profile,
        "findings": findings,
        "lighthouse": {"verdict": verdict, "reason": reason},
        "generated": run.llms.llms_txt,
        "generated_notes": run.llms.notes,
    }


def report_header(store: Store, run: AuditRun) -> dict[str, Any]:
    """The header of report.json (see the module docstring for its layout)."""
    site, crawl, scores = run.site, run.crawl, run.scores
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "geoaudit", "version": geoaudit.__version__},
        "target": {
            "url": run.options.start_url,
            "site_url": site.site_url,
            "started_at": run.started_at,
            "finished_at": run.finished_at,
            "partial": crawl.interrupted,
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
            for rule_id, r in sorted(run.results.items())
        },
        "stats": {
            "pages_crawled": site.pages_crawled,
            "errors": store.status_counts().get("failed", 0),
            "duration_s": round(run.duration_s, 1),
            "cpu_s": breakdown(),
            "status_counts": store.status_counts(),
            "sitemap_urls": site.sitemap_urls,
            "blocked_by_robots": crawl.count("blocked_by_robots"),
            "trap_skipped": crawl.count("trap_skipped"),
            "not_followed_max_pages": crawl.count("over_max_pages"),
            "findings": store.finding_counts(),
            "internal_errors": run.internal_errors,
        },
        "ai_access": site.access.report(),
        "structured_data": site.structured_data.report(),
        "content": run.totals.report(),
        "llms_txt": llms_report(store, run),
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
        "notes": crawl_notes(run),
    }
