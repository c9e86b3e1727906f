"""What several formats show alike: a page's entry (report.json, the HTML page table) and the
issue rows ranked by impact (report.html, report.md)."""

from __future__ import annotations

import functools
from typing import Any

from geoaudit.categories import title as category_title
from geoaudit.extract.structured import walk
from geoaudit.models import SEVERITIES, Finding, PageModel, to_dict
from geoaudit.rules import Rule, load_rules
from geoaudit.scoring.weights import RULE_WEIGHTS, SEVERITY_IMPACT
from geoaudit.store import Store


@functools.cache
def rule_tiers() -> dict[str, str]:
    """The tier each structured-data rule reports in, for the per-entity view of the report."""
    return {r.id: r.tier for r in load_rules().values() if r.tier}


def structured_entries(page: PageModel, findings: list[Finding]) -> list[dict[str, Any]]:
    """The page's top-level entities with their properties and the structured-data issues about
    them or the entities nested in them."""
    entries = []
    tiers = rule_tiers()
    issues = [f for f in findings if f.rule in tiers]
    for entity in page.structured.entities:
        if entity.get("nested"):
            continue
        label = "/".join(entity["types"]) or "untyped entity"
        labels = {"/".join(e["types"]) for e in walk([entity])}
        entries.append(
            {
                "type": label,
                "syntax": entity["syntax"],
                "properties": sorted(entity["props"]),
                "issues": [
                    {
                        "tier": tiers[f.rule],
                        "severity": f.severity,
                        "property": f.property,
                        "message": f.message,
                    }
                    for f in issues
                    if f.type in labels
                ],
            }
        )
    return entries


def page_entry(
    page: PageModel, findings: list[Finding], content: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A page as report.json and the HTML page table show it."""
    fetch = page.fetch
    return {
        "url": page.url,
        "requested_url": fetch.requested_url,
        "status": fetch.status,
        "error": fetch.error,
        "depth": fetch.depth,
        "found_via": fetch.found_via,
        "content_type": fetch.content_type,
        "size": fetch.size,
        "fetch_ms": fetch.fetch_ms,
        "redirects": [to_dict(r) for r in fetch.redirects],
        "title": page.title,
        "meta_description": page.meta_description,
        "canonical": page.canonical,
        "lang": page.lang,
        "word_count": page.word_count,
        "structured_data_types": page.structured.types,
        "findings": len(findings),
        "structured_data": structured_entries(page, findings),
        "content": content,
    }


def issue_rows(store: Store, rules: dict[str, Rule]) -> list[dict[str, Any]]:
    """One row per rule and severity with findings, worst severity first, then by impact: the
    severity's factor times the rule's scoring weight times the pages affected (a site-level
    finding affects every page). docs/scoring.md gives the formula."""
    site_pages = max(store.page_count(), 1)
    issues: list[dict[str, Any]] = []
    for rule_id, severity, findings, pages in store.rule_summary():
        rule = rules.get(rule_id)
        impact = SEVERITY_IMPACT[severity] * RULE_WEIGHTS.get(rule_id, 1) * (pages or site_pages)
        issues.append(
            {
                "rule": rule_id,
                "title": rule.title if rule else "Internal error in a rule",
                "docs": rule.docs if rule else "A rule crashed on this page; please report it.",
                "severity": severity,
                "category_title": category_title(rule.category) if rule else "",
                "findings": findings,
                "pages": pages,
                "impact": round(impact, 1),
            }
        )
    issues.sort(key=lambda i: (SEVERITIES.index(i["severity"]), -i["impact"], i["rule"]))
    return issues


def plural(n: int, word: str) -> str:
    """"1 page", "2,000 pages": a count and its noun, as the reports and the summary say it."""
    return f"{n:,} {word}" + ("" if n == 1 else "s")
