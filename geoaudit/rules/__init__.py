"""The rule registry and the check runner.

A rule is a small pure function of models with a stable id. Page rules take `(page, site)`, site
rules take `(site)`; both yield `Problem`s (or plain message strings). The runner turns problems
into `Finding`s with the rule's id, category and severity (config may override the severity, the
rule never knows its weight), counts where each rule applied and failed for scoring, and turns an
exception in one rule on one page into an internal-error finding so the audit goes on.

The rule function's docstring is its user documentation: what it checks, why it matters for AI
search, how to fix it. `geoaudit rules` prints it.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from geoaudit.categories import CATEGORIES
from geoaudit.errors import describe_exception
from geoaudit.facts.access import AccessFacts
from geoaudit.facts.identity import SiteIdentity
from geoaudit.facts.llms_txt import LinkFacts
from geoaudit.facts.structured_data import SchemaFacts
from geoaudit.models import SEVERITIES, Finding, PageModel, Severity, SiteFile
from geoaudit.sitefiles.llms_txt import LlmsFile
from geoaudit.store import Store

RULE_MODULES = ("access", "llms", "schema", "content", "freshness")
INTERNAL_ERROR = "GA000"


@dataclass
class Problem:
    message: str
    line: int | None = None
    url: str | None = None
    type: str | None = None
    property: str | None = None


@dataclass
class Site:
    """Site-level facts every rule may read: the target, the site files, crawl totals."""

    start_url: str
    site_url: str
    audit_date: str
    home_url: str = ""
    sitemap_lastmod: dict[str, str] = field(default_factory=dict)
    sitefiles: list[SiteFile] = field(default_factory=list)
    pages_crawled: int = 0
    sitemap_urls: int = 0
    access: AccessFacts | None = None
    identity: SiteIdentity | None = None
    llms: LlmsFile | None = None
    llms_url: str | None = None
    llms_links: list[LinkFacts] | None = None
    md_twins: tuple[int, int] | None = None
    lighthouse: tuple[str, str] | None = None
    schema: SchemaFacts | None = None

    def file(self, name: str) -> SiteFile | None:
        return next((f for f in self.sitefiles if f.name == name), None)


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    title: str
    severity: Severity
    category: str
    scope: Literal["page", "site"]
    check: Callable[..., Iterable[Problem | str]]
    applies: Callable[[Any], bool]

    @property
    def docs(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "title": self.title,
            "severity": self.severity,
            "category": self.category,
            "scope": self.scope,
            "docs": self.docs,
        }


REGISTRY: dict[str, Rule] = {}


def _register(
    scope: Literal["page", "site"],
    rule_id: str,
    name: str,
    title: str,
    severity: Severity,
    category: str,
    applies: Callable[[Any], bool],
) -> Callable:
    if severity not in SEVERITIES:
        raise ValueError(f"{rule_id}: unknown severity {severity!r}")
    if category not in CATEGORIES:
        raise ValueError(f"{rule_id}: unknown category {category!r}")

    def decorate(fn: Callable[..., Iterable[Problem | str]]) -> Callable:
        if rule_id in REGISTRY or any(r.name == name for r in REGISTRY.values()):
            raise ValueError(f"rule {rule_id} ({name}) is registered twice")
        REGISTRY[rule_id] = Rule(rule_id, name, title, severity, category, scope, fn, applies)
        return fn

    return decorate


def html_page(page: PageModel) -> bool:
    return page.is_html_ok


def page_rule(
    rule_id: str,
    name: str,
    title: str,
    severity: Severity,
    category: str,
    applies: Callable[[PageModel], bool] = html_page,
) -> Callable:
    """Register a page rule. `applies` says on which pages it counts; others are not applicable."""
    return _register("page", rule_id, name, title, severity, category, applies)


def site_rule(
    rule_id: str,
    name: str,
    title: str,
    severity: Severity,
    category: str,
    applies: Callable[[Site], bool] = lambda site: True,
) -> Callable:
    return _register("site", rule_id, name, title, severity, category, applies)


def load_rules() -> dict[str, Rule]:
    """The registry with every rule module imported, ordered by rule id."""
    for module in RULE_MODULES:
        importlib.import_module(f"geoaudit.rules.{module}")
    return dict(sorted(REGISTRY.items()))


@dataclass
class RuleResult:
    """Where a rule applied and where it failed: the input of scoring."""

    applicable: int = 0
    failed: int = 0


@dataclass
class CheckSettings:
    disabled: set[str] = field(default_factory=set)
    severity: dict[str, Severity] = field(default_factory=dict)


class Checker:
    def __init__(self, settings: CheckSettings | None = None):
        self.settings = settings or CheckSettings()
        self.rules = [r for r in load_rules().values() if r.id not in self.settings.disabled]
        self.results = {r.id: RuleResult() for r in self.rules}
        self.internal_errors = 0

    def _findings(
        self, rule: Rule, problems: Iterable[Problem | str], url: str | None
    ) -> list[Finding]:
        severity = self.settings.severity.get(rule.id, rule.severity)
        out = []
        for p in problems:
            problem = Problem(p) if isinstance(p, str) else p
            out.append(
                Finding(
                    rule.id,
                    severity,
                    rule.category,
                    problem.message,
                    problem.url or url,
                    problem.line,
                    problem.type,
                    problem.property,
                )
            )
        return out

    def _run(self, rule: Rule, subject: Any, args: tuple, url: str | None) -> list[Finding]:
        try:
            if not rule.applies(subject):
                return []
            findings = self._findings(rule, list(rule.check(*args)), url)
        except Exception as exc:
            self.internal_errors += 1
            return [
                Finding(
                    INTERNAL_ERROR,
                    "error",
                    rule.category,
                    f"rule {rule.id} crashed: {describe_exception(exc)}",
                    url,
                )
            ]
        result = self.results[rule.id]
        result.applicable += 1
        result.failed += bool(findings)
        return findings

    def check_page(self, page: PageModel, site: Site) -> Iterator[Finding]:
        for rule in self.rules:
            if rule.scope == "page":
                yield from self._run(rule, page, (page, site), page.url)

    def check_site(self, site: Site) -> Iterator[Finding]:
        for rule in self.rules:
            if rule.scope == "site":
                yield from self._run(rule, site, (site,), None)

    def run(
        self, store: Store, site: Site, each_page: Callable[[PageModel], None] | None = None
    ) -> dict[str, RuleResult]:
        """Run every rule over the stored pages and the site, streaming findings to the store;
        `each_page` sees every page on the same pass (page scores are computed there)."""
        store.clear_findings()
        for page in store.iter_pages():
            store.add_findings(self.check_page(page, site))
            if each_page is not None:
                each_page(page)
        store.add_findings(self.check_site(site))
        return self.results
