"""The rule registry and the check runner.

A rule is a small pure function of models with a stable id and a scope: page rules take
`(page, site)`, site rules `(site)`, file rules the parsed llms.txt alone; all yield `Problem`s
(or plain message strings). The runner turns problems
into `Finding`s with the rule's id, category and severity (config may override the severity, the
rule never knows its weight), counts where each rule applied and failed for scoring, and turns an
exception in one rule on one page into an internal-error finding so the audit goes on.

The rule function's docstring is its user documentation: what it checks, why it matters for AI
search, how to fix it. `geoaudit rules` prints it.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from geoaudit.categories import CATEGORIES
from geoaudit.errors import describe_exception
from geoaudit.facts import Site
from geoaudit.facts.pages import duplicate_of
from geoaudit.models import SEVERITIES, Finding, PageModel, Severity, template_message

RULE_MODULES = (
    "access.pages",
    "access.site",
    "access.canonical",
    "llms_txt.file",
    "llms_txt.file_text",
    "llms_txt.links",
    "llms_txt.site",
    "structured_data.page",
    "structured_data.vocabulary",
    "structured_data.site",
    "content",
    "snippets",
    "freshness",
)
INTERNAL_ERROR = "GA000"
# Findings one rule lists for one subject (a page, the site, a file); the rest are counted in
# one more finding. A 4.9 MB llms.txt once gave 150,000 findings and 34-79 MB reports.
MAX_FINDINGS_PER_SUBJECT = 100


@dataclass
class Problem:
    message: str
    line: int | None = None
    url: str | None = None
    type: str | None = None
    property: str | None = None
    # The pages a site-level problem is about (pages that share a title).
    pages: list[str] | None = None


# The labelled parts of a rule's docstring, in order; the text before the first is what the rule
# checks.
DOC_LABELS = ("Why it matters:", "How to fix:", "Pass:", "Fail:")
DOC_SECTIONS = dict(zip(DOC_LABELS, ("why", "fix", "pass", "fail"), strict=True))
# A code span or a label: code spans are matched to be skipped, labels inside them are not labels.
CODE_OR_LABEL = re.compile(
    "`[^`]*`|(?<!\\S)(?:" + "|".join(re.escape(label) for label in DOC_LABELS) + ")"
)


def doc_sections(docs: str) -> dict[str, str]:
    """A rule's docstring cut at its labels: `what`, then `why`, `fix`, `pass`, `fail` for the
    labels it has (keys of DOC_SECTIONS), each with its text."""
    sections: dict[str, str] = {}
    key, start = "what", 0
    for match in CODE_OR_LABEL.finditer(docs):
        if match[0][0] == "`":
            continue
        sections[key] = docs[start : match.start()].strip()
        key, start = DOC_SECTIONS[match[0]], match.end()
    sections[key] = docs[start:].strip()
    return {k: v for k, v in sections.items() if v}


Scope = Literal["page", "site", "file"]
# The llms.txt profiles: `1.1.1` (AI Visibility business identity, ADF-001, the default) and
# `llmstxt` (llmstxt.org as written).
PROFILES = ("1.1.1", "llmstxt")
DEFAULT_PROFILE = "1.1.1"


@dataclass(frozen=True)
class Rule:
    """A registered rule. `needs` names the Site facts it reads: where one is missing the rule
    is not applicable. `profiles` gives a file rule's severity per llms.txt profile (None: the
    profile does not ask for it); `tier` labels a structured-data rule's source of truth."""

    id: str
    name: str
    title: str
    severity: Severity
    category: str
    scope: Scope
    check: Callable[..., Iterable[Problem | str]]
    applies: Callable[[Any], bool]
    needs: tuple[str, ...] = ()
    tier: str | None = None
    profiles: dict[str, Severity | None] = field(default_factory=dict)
    source: str | None = None
    template: bool = False

    @property
    def docs(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    def applicable(self, subject: Any, site: Site) -> bool:
        if (
            self.scope == "page"
            and self.category in JUDGED_ON_THE_CANONICAL
            and duplicate_of(subject, site.html_pages)
        ):
            return False
        return all(getattr(site, fact) is not None for fact in self.needs) and self.applies(
            subject
        )

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
# A page whose canonical names another crawled page is a copy of it: these rules judge the
# canonical page only (one news index, copied under 34 ?p= URLs, had each finding 35 times).
JUDGED_ON_THE_CANONICAL = frozenset({"content", "freshness", "structured_data"})


def html_page(page: PageModel) -> bool:
    return page.is_html_ok


def _always(subject: Any) -> bool:
    return True


def rule(
    rule_id: str,
    *,
    scope: Scope,
    name: str,
    title: str,
    category: str,
    severity: Severity | None = None,
    applies: Callable[[Any], bool] | None = None,
    needs: tuple[str, ...] = (),
    tier: str | None = None,
    profiles: dict[str, Severity | None] | None = None,
    source: str | None = None,
    template: bool | None = None,
) -> Callable:
    """Register a rule. Page rules take `(page, site)`, site rules `(site)`, file rules the
    parsed llms.txt (`llms validate` runs them alone; the audit on the live file). A file rule's
    default severity is its first profile's. `template`: a finding of this page rule alike on
    several pages is one template's defect, reported once (`template_finding`); by default,
    the structured-data rules'."""
    profiles = profiles or {}
    if scope == "file":
        if set(profiles) != set(PROFILES):
            raise ValueError(f"{rule_id}: a file rule gives a severity for each of {PROFILES}")
        severity = severity or next((s for s in profiles.values() if s), "notice")
        needs = needs or ("llms",)
    if severity not in SEVERITIES or any(s not in (*SEVERITIES, None) for s in profiles.values()):
        raise ValueError(f"{rule_id}: unknown severity {severity!r}")
    if category not in CATEGORIES:
        raise ValueError(f"{rule_id}: unknown category {category!r}")
    chosen = applies or (html_page if scope == "page" else _always)
    folded = (category == "structured_data") if template is None else template

    def decorate(fn: Callable[..., Iterable[Problem | str]]) -> Callable:
        if rule_id in REGISTRY or any(r.name == name for r in REGISTRY.values()):
            raise ValueError(f"rule {rule_id} ({name}) is registered twice")
        REGISTRY[rule_id] = Rule(
            rule_id, name, title, severity, category, scope, fn, chosen, needs, tier,
            profiles, source, folded and scope == "page",
        )
        return fn

    return decorate


def page_rule(rule_id: str, **meta: Any) -> Callable:
    """Register a page rule: `applies(page)` says on which pages it counts (2xx HTML pages by
    default); on the others it is not applicable."""
    return rule(rule_id, scope="page", **meta)


def site_rule(rule_id: str, **meta: Any) -> Callable:
    return rule(rule_id, scope="site", **meta)


def file_rule(rule_id: str, **meta: Any) -> Callable:
    return rule(rule_id, scope="file", category="llms_txt", **meta)


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


def profile_settings(profile: str, checks: CheckSettings | None = None) -> CheckSettings:
    """The check settings with the llms.txt profile's severities and rules applied under them:
    a file rule the profile does not ask for is disabled."""
    severity: dict[str, Severity] = {}
    disabled: set[str] = set()
    for r in load_rules().values():
        if r.scope == "file":
            chosen = r.profiles[profile]
            if chosen is None:
                disabled.add(r.id)
            else:
                severity[r.id] = chosen
    base = checks or CheckSettings()
    return CheckSettings(disabled=disabled | base.disabled, severity={**severity, **base.severity})


@dataclass
class ValidationFinding:
    rule: str
    severity: Severity
    line: int | None
    message: str
    source: str


def _identity(p: Problem) -> tuple[Any, ...]:
    return (p.message, p.line, p.url, p.type, p.property, tuple(p.pages or ()))


def merged(raised: Iterable[Problem | str]) -> list[Problem]:
    """The problems with each repeat folded into its first, which counts them: three ListItems
    lacking `position` on one page are one finding "(3 times)", not three alike (61 exact
    duplicates on one real site)."""
    seen: dict[tuple[Any, ...], int] = {}
    problems: list[Problem] = []
    for raw in raised:
        p = Problem(raw) if isinstance(raw, str) else raw
        key = _identity(p)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 1:
            problems.append(p)
    return [
        replace(p, message=f"{p.message} ({times:,} times)") if times > 1 else p
        for p in problems
        for times in (seen[_identity(p)],)
    ]


def capped(raised: Iterable[Problem | str]) -> list[Problem]:
    """The first MAX_FINDINGS_PER_SUBJECT problems, each repeat folded into its first, and one
    that counts the rest (the first left out gives it its line)."""
    kept: list[Problem] = []
    more, first_left = 0, None
    for p in merged(raised):
        if len(kept) < MAX_FINDINGS_PER_SUBJECT:
            kept.append(p)
        else:
            more += 1
            first_left = first_left or p
    if first_left is not None:
        kept.append(
            Problem(
                f"and {more:,} more like these, not listed (a rule lists "
                f"{MAX_FINDINGS_PER_SUBJECT} per page, site or file)",
                url=first_left.url,
                line=first_left.line,
            )
        )
    return kept


# Structured data, head tags and canonicals come from page templates: a finding of such a rule
# (`template=True`) alike on this many pages is one defect of a template, reported once with
# every page it is on (one Organization nested on every page of a site gave 271 warnings for one
# fix). Content and freshness findings stay per page: each page's text is its own fix.
MIN_TEMPLATE_PAGES = 3


def template_rules() -> list[str]:
    return [r.id for r in load_rules().values() if r.template]


def template_finding(finding: Finding, urls: list[str]) -> Finding:
    """The site-level finding standing for `finding` on each page of `urls`. Its message
    counts them (a baseline blanks numbers, so one page more is the same finding); `pages`
    names them, which report.json lists and report.html shows."""
    return replace(
        finding,
        url=None,
        pages=urls,
        message=template_message(finding.message, len(urls)),
    )


def validate(llms: Any, profile: str = DEFAULT_PROFILE) -> list[ValidationFinding]:
    """Every file rule of `profile` on a parsed llms.txt, ordered by line then rule."""
    found = []
    for r in load_rules().values():
        severity = r.profiles.get(profile) if r.scope == "file" else None
        if severity is None:
            continue
        for problem in capped(r.check(llms)):
            found.append(
                ValidationFinding(r.id, severity, problem.line, problem.message, r.source or "")
            )
    return sorted(found, key=lambda f: (f.line or 0, f.rule))


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
        for problem in capped(problems):
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
                    problem.pages,
                )
            )
        return out

    def _run(
        self, rule: Rule, site: Site, subject: Any, args: tuple, url: str | None
    ) -> list[Finding]:
        try:
            if not rule.applicable(subject, site):
                return []
            findings = self._findings(rule, rule.check(*args), url)
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
                yield from self._run(rule, site, page, (page, site), page.url)

    def check_site(self, site: Site) -> Iterator[Finding]:
        """Site rules, and file rules on the live llms.txt, in rule-id order."""
        for rule in self.rules:
            if rule.scope == "site":
                yield from self._run(rule, site, site, (site,), None)
            elif rule.scope == "file":
                yield from self._run(rule, site, site, (site.llms,), site.llms_url)
