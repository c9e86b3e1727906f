"""Rules as data: every case in fixtures/rules/*.toml, plus the registry's own contract."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from geoaudit.extract import build_page
from geoaudit.facts.access import build_access
from geoaudit.facts.identity import SiteIdentity
from geoaudit.facts.llms_txt import link_facts
from geoaudit.facts.structured_data import schema_facts
from geoaudit.models import FetchRecord, PageModel, Probe, Redirect, SiteFile
from geoaudit.rules import INTERNAL_ERROR, Checker, Site, load_rules
from geoaudit.sitefiles.llms_txt import lighthouse_verdict, parse_llms
from geoaudit.sitefiles.robots import RobotsPolicy
from geoaudit.vocab.agents import agents

CASES_DIR = Path(__file__).parent / "fixtures" / "rules"
AUDIT_DATE = "2026-11-21T12:00:00+00:00"
ORIGIN = "https://www.example.com"
URL = f"{ORIGIN}/page"


def load_cases() -> list[dict[str, Any]]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        for case in tomllib.loads(path.read_text(encoding="utf-8"))["case"]:
            cases.append({**case, "file": path.name})
    return cases


CASES = load_cases()


def make_page(case: dict[str, Any], url: str = URL) -> PageModel:
    status = case.get("status", 200)
    fetch = FetchRecord(
        url=url, requested_url=url, status=status or None,
        content_type=case.get("content_type", "text/html"),
        headers=dict(case.get("headers", {})), error=case.get("error"),
    )
    return build_page(fetch, case.get("html", "<title>t</title>").encode(), "utf-8")


def make_site(case: dict[str, Any]) -> Site:
    """A site from a case: `sitefiles` statuses, `robots` text (served 200, or with
    `robots_status`), `key_paths` (pages listed in llms.txt or sitemaps) and `probes`
    (what the server answered each bot's User-Agent; the normal home page is 10,000 bytes)."""
    files = []
    statuses = dict(case.get("sitefiles", {}))
    if "robots" in case:
        statuses["robots.txt"] = case.get("robots_status", 200)
    for name, status in statuses.items():
        url = f"{ORIGIN}/{name}"
        fetch = FetchRecord(url=url, requested_url=url, status=status or None,
                            error=None if status else "ConnectionRefusedError")
        text = case.get("robots", "") if name == "robots.txt" else ""
        files.append(SiteFile(name=name, fetch=fetch, text=text))
    for path, error in case.get("sitemaps", {}).items():
        url = ORIGIN + path
        fetch = FetchRecord(url=url, requested_url=url, status=200, content_type="text/xml")
        files.append(SiteFile(name="sitemap", fetch=fetch, parse_error=error or None))
    robots = next((f for f in files if f.name == "robots.txt"), None)
    home = FetchRecord(url=f"{ORIGIN}/", requested_url=f"{ORIGIN}/", status=200,
                       content_type="text/html", size=10_000)
    probes = [Probe(url=f"{ORIGIN}/", **p) for p in case.get("probes", [])]
    access = build_access(
        policy=RobotsPolicy.from_sitefile(robots) if robots else RobotsPolicy.from_text(""),
        agents=agents(),
        pages=[PageModel(fetch=home)],
        start_url=f"{ORIGIN}/",
        key_urls=[f"{ORIGIN}/", *(ORIGIN + p for p in case.get("key_paths", []))],
        probes=probes,
        robots_file=robots,
    )
    site = Site(start_url=f"{ORIGIN}/", site_url=ORIGIN, audit_date=AUDIT_DATE,
                sitefiles=files, access=access, pages_crawled=1,
                identity=SiteIdentity(name=case.get("site_name"),
                                      contacts=case.get("contacts", []),
                                      contact_pages=case.get("contact_pages", [])))
    add_llms_facts(site, case)
    if "pages_html" in case:
        pages = [make_page({"html": html}, f"{ORIGIN}/p{n}")
                 for n, html in enumerate(case["pages_html"])]
        site.schema = schema_facts(pages, pages[0])
    return site


def add_llms_facts(site: Site, case: dict[str, Any]) -> None:
    """llms.txt facts from a case: `llms` text (with `llms_status`, `llms_content_type`),
    `linked` pages [{url, status, final_url, noindex}], `md_twins` [found, checked],
    `llm_redirect` (status of /llm.txt's redirect to /llms.txt), `llms_full` text."""
    def sitefile(name: str, status: int | None, text: str = "", **fetch: Any) -> SiteFile:
        url = fetch.pop("url", f"{ORIGIN}/{name}")
        return SiteFile(name=name, text=text, fetch=FetchRecord(
            url=url, requested_url=f"{ORIGIN}/{name}", status=status, **fetch))

    if "llm_redirect" in case:
        site.sitefiles.append(sitefile("llm.txt", 200, url=f"{ORIGIN}/llms.txt", redirects=[
            Redirect(f"{ORIGIN}/llm.txt", case["llm_redirect"])]))
    if "llms_full" in case:
        site.sitefiles.append(sitefile("llms-full.txt", 200, case["llms_full"]))
    if "md_twins" in case:
        site.md_twins = tuple(case["md_twins"])
    if "llms" not in case:
        return
    llms = sitefile("llms.txt", case.get("llms_status", 200), case["llms"],
                    content_type=case.get("llms_content_type", "text/plain"))
    site.sitefiles.append(llms)
    site.llms, site.llms_url = parse_llms(llms.text), llms.fetch.url
    site.lighthouse = lighthouse_verdict(llms.fetch.status, llms.text)
    pages = {}
    for linked in case.get("linked", []):
        fetch = FetchRecord(url=linked.get("final_url", linked["url"]),
                            requested_url=linked["url"], status=linked.get("status", 200),
                            content_type="text/html")
        page = PageModel(fetch=fetch, robots={"*": ["noindex"]} if linked.get("noindex") else {})
        pages[linked["url"]] = page
    site.llms_links = link_facts(site.llms, llms.fetch.url, pages.get, site.access, ORIGIN)


def outcome(rule_id: str, case: dict[str, Any]) -> tuple[str, list]:
    checker = Checker()
    site = make_site(case)
    rule = load_rules()[rule_id]
    if rule.scope == "page":
        findings = list(checker.check_page(make_page(case), site))
    else:
        findings = list(checker.check_site(site))
    findings = [f for f in findings if f.rule in (rule_id, INTERNAL_ERROR)]
    result = checker.results[rule_id]
    if any(f.rule == INTERNAL_ERROR for f in findings):
        return "crash", findings
    if result.applicable == 0:
        return "na", findings
    return ("fail" if result.failed else "pass"), findings


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['rule']}-{c['name']}")
def test_rule_case(case):
    got, findings = outcome(case["rule"], case)
    assert got == case["expect"], [f.message for f in findings]
    for finding in findings:
        assert finding.message and finding.category == load_rules()[case["rule"]].category


@pytest.mark.parametrize("rule", load_rules().values(), ids=lambda r: r.id)
def test_every_rule_is_documented_and_has_pass_and_fail_cases(rule):
    for section in ("Why it matters:", "How to fix:", "Pass:", "Fail:"):
        assert section in rule.docs, f"{rule.id} docs lack {section!r}"
    expects = {c["expect"] for c in CASES if c["rule"] == rule.id}
    assert {"pass", "fail"} <= expects, f"{rule.id} needs a pass case and a fail case"


def test_rule_ids_and_names_are_unique_and_stable_shaped():
    rules = load_rules()
    assert len({r.name for r in rules.values()}) == len(rules)
    for rule_id, rule in rules.items():
        assert rule_id == rule.id and len(rule_id) == 5 and rule_id[:2].isalpha()


def test_severity_override_and_disabled_rules():
    from geoaudit.rules import CheckSettings

    page = make_page({"html": "<p>no title</p>"})
    site = make_site({})
    checker = Checker(CheckSettings(severity={"CT001": "notice"}, disabled={"CT002"}))
    findings = list(checker.check_page(page, site))
    assert [f.severity for f in findings if f.rule == "CT001"] == ["notice"]
    assert not [f for f in findings if f.rule == "CT002"]


def test_a_crashing_rule_becomes_an_internal_error_finding(monkeypatch):
    from geoaudit.rules import REGISTRY, Rule

    def boom(page, site):
        raise RuntimeError("kaboom\nsecond line")

    original = REGISTRY["CT001"]
    monkeypatch.setitem(REGISTRY, "CT001", Rule(**{**original.__dict__, "check": boom}))
    checker = Checker()
    findings = list(checker.check_page(make_page({}), make_site({})))
    crash = [f for f in findings if f.rule == INTERNAL_ERROR]
    assert len(crash) == 1
    assert crash[0].message == "rule CT001 crashed: RuntimeError: kaboom"
    assert crash[0].url == URL
    assert checker.internal_errors == 1
    # The other rules still ran on the page.
    assert any(f.rule == "SD001" for f in findings)
