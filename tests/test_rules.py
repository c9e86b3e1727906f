"""Rules as data: every case in fixtures/rules/*.toml, plus the registry's own contract."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from geoaudit.extract import build_page
from geoaudit.facts import Site, build_site
from geoaudit.models import FetchRecord, PageModel, Probe, Redirect, SiteFile
from geoaudit.rules import INTERNAL_ERROR, Checker, load_rules
from geoaudit.sitefiles.llms_txt import MD_TWIN_NAME
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
        out_of_scope=case.get("out_of_scope"),
    )
    return build_page(fetch, expand(case.get("html", "<title>t</title>")).encode(), "utf-8")


def expand(html: str) -> str:
    """`LINKS_N` in a case's HTML stands for N links to distinct pages, `BYTES_N` for N
    letters."""
    html = re.sub(r"LINKS_(\d+)",
                  lambda m: "".join(f'<a href="/p{i}">p</a> ' for i in range(int(m[1]))), html)
    return re.sub(r"BYTES_(\d+)", lambda m: "a" * int(m[1]), html)


def sitefile(name: str, status: int | None, text: str = "", **fetch: Any) -> SiteFile:
    url = fetch.pop("url", f"{ORIGIN}/{name}")
    requested = fetch.pop("requested_url", f"{ORIGIN}/{name}")
    error = None if status else "ConnectionRefusedError"
    return SiteFile(name=name, text=text, fetch=FetchRecord(
        url=url, requested_url=requested, status=status, error=error, **fetch))


def case_sitefiles(case: dict[str, Any]) -> list[SiteFile]:
    """Site files of a case: `sitefiles` statuses, `robots` text (served 200, or with
    `robots_status`), `sitemaps` {path: parse error}, `llms` text (with `llms_status`,
    `llms_content_type`), `llms_full` text, `llm_redirect` (status of /llm.txt's redirect to
    /llms.txt), `md_twins` [found, checked] (the Markdown versions the crawl looked for)."""
    statuses = dict(case.get("sitefiles", {}))
    if "robots" in case:
        statuses["robots.txt"] = case.get("robots_status", 200)
    files = [sitefile(name, status or None, case.get("robots", "") if name == "robots.txt" else "")
             for name, status in statuses.items()]
    for path, error in case.get("sitemaps", {}).items():
        files.append(SiteFile(name="sitemap", parse_error=error or None, fetch=FetchRecord(
            url=ORIGIN + path, requested_url=ORIGIN + path, status=200, content_type="text/xml")))
    if "llm_redirect" in case:
        files.append(sitefile("llm.txt", 200, url=f"{ORIGIN}/llms.txt", redirects=[
            Redirect(f"{ORIGIN}/llm.txt", case["llm_redirect"])]))
    if "llms_full" in case:
        files.append(sitefile("llms-full.txt", 200, case["llms_full"]))
    found, checked = case.get("md_twins", (0, 0))
    for n in range(checked):
        files.append(sitefile(MD_TWIN_NAME, 200 if n < found else 404,
                              url=f"{ORIGIN}/t{n}.md", requested_url=f"{ORIGIN}/t{n}.md"))
    if "llms" in case:
        files.append(sitefile("llms.txt", case.get("llms_status", 200), case["llms"],
                              content_type=case.get("llms_content_type", "text/plain")))
    return files


def case_pages(case: dict[str, Any]) -> tuple[PageModel, list[PageModel]]:
    """The home page (`home_html`; its normal size is 10,000 bytes, for the probes) and the
    other pages: `pages` {path: html} and the pages llms.txt links to, `linked`
    [{url, status, final_url, noindex}]."""
    home = make_page({"html": case.get("home_html", "<p>home</p>")}, f"{ORIGIN}/")
    home.fetch.size = 10_000
    pages = [make_page({"html": html}, ORIGIN + path)
             for path, html in case.get("pages", {}).items()]
    for linked in case.get("linked", []):
        fetch = FetchRecord(url=linked.get("final_url", linked["url"]),
                            requested_url=linked["url"], status=linked.get("status", 200),
                            content_type="text/html")
        pages.append(PageModel(fetch=fetch,
                               robots={"*": ["noindex"]} if linked.get("noindex") else {}))
    return home, [home, *pages]


def make_site(case: dict[str, Any]) -> Site:
    """A case's site, built the way the audit builds it (`key_paths` are sitemap URLs, `probes`
    what the server answered each bot's User-Agent on the home page)."""
    home, pages = case_pages(case)
    return build_site(
        start_url=f"{ORIGIN}/", site_url=ORIGIN, audit_date=AUDIT_DATE, home=home, pages=pages,
        sitefiles=case_sitefiles(case), agents=agents(),
        probes=[Probe(url=f"{ORIGIN}/", **p) for p in case.get("probes", [])],
        sitemap_urls=[ORIGIN + p for p in case.get("key_paths", [])],
    )


def outcome(rule_id: str, case: dict[str, Any]) -> tuple[str, list]:
    checker = Checker()
    site = make_site(case)
    rule = load_rules()[rule_id]
    if rule.scope == "page":
        page = make_page(case, ORIGIN + case["path"]) if "path" in case else make_page(case)
        findings = list(checker.check_page(page, site))
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
    if "message" in case:
        assert case["message"] in [f.message for f in findings]
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


def test_copies_of_a_crawled_page_are_judged_on_their_canonical_only():
    """One news index, copied under 34 `?p=N` URLs that name it as canonical, had each of its
    content and structured-data findings 35 times. A canonical naming a page the crawl did
    not read (every page naming the home page, a typo) leaves the page judged."""
    from geoaudit.facts.pages import page_identity
    from geoaudit.rules import load_rules

    rules = load_rules()
    copy = make_page({"html": f'<link rel="canonical" href="{ORIGIN}/news/"><h1>News</h1>'},
                     f"{ORIGIN}/news/?p=3")
    crawled = Site(start_url=ORIGIN + "/", site_url=ORIGIN, audit_date="2026-12-02",
                   html_pages=frozenset({page_identity(f"{ORIGIN}/news/index.html")}))
    not_crawled = Site(start_url=ORIGIN + "/", site_url=ORIGIN, audit_date="2026-12-02")
    for rule_id in ("CT001", "CT002", "SD001"):
        assert not rules[rule_id].applicable(copy, crawled), rule_id
        assert rules[rule_id].applicable(copy, not_crawled), rule_id
    assert rules["AC001"].applicable(copy, crawled)  # access rules judge every URL


def test_the_same_problem_twice_on_one_page_is_one_finding_that_counts_them():
    """Three ListItems lacking `position` on one page were three alike findings (61 exact
    duplicates on one real site): now one, "(3 times)"."""
    items = ",".join(f'{{"@type": "ListItem", "name": "Step {i}"}}' for i in range(3))
    page = make_page({"html": '<script type="application/ld+json">{"@context": '
                      '"https://schema.org", "@type": "BreadcrumbList", '
                      f'"itemListElement": [{items}]}}</script><h1>Steps</h1>'})
    findings = [f for f in Checker().check_page(page, make_site({})) if f.rule == "SD003"]
    keys = [(f.message, f.line, f.type, f.property) for f in findings]
    assert len(keys) == len(set(keys))
    assert "ListItem: 'position' is missing (Google-required) (3 times)" in [
        f.message for f in findings]


def test_a_structured_data_finding_alike_on_several_pages_is_reported_once(tmp_path):
    """One Organization nested on every page of a site gave 271 warnings for one fix: a
    structured-data finding alike on 3 pages or more is one site-level finding listing them;
    content findings stay per page."""
    from geoaudit.rules import MIN_TEMPLATE_PAGES, template_finding, template_rules
    from geoaudit.store import Store

    org = ('<script type="application/ld+json">{"@context": "https://schema.org", '
           '"@type": "Organization", "name": "Acme", "url": "https://www.example.com/"}'
           "</script><title>Acme</title>")
    pages = {f"/p{i}": org for i in range(4)}
    site = make_site({"pages": pages})
    checker = Checker()
    store = Store(tmp_path / "s.sqlite")
    for path in pages:
        store.add_findings(checker.check_page(make_page({"html": org}, ORIGIN + path), site))
    per_page = [f for f in store.iter_findings() if f.rule == "SD005"]
    assert len(per_page) >= 4 and all(f.url for f in per_page)
    store.fold_alike(template_rules(), MIN_TEMPLATE_PAGES, template_finding)
    folded = [f for f in store.iter_findings() if f.rule == "SD005"]
    assert folded and all(f.url is None for f in folded)
    assert len(folded) == len({f.message for f in per_page})
    logo = next(f for f in folded if f.property == "logo")
    assert logo.message == (
        "Organization: 'logo' is missing (GEO best practice): alike on 4 pages, one template")
    assert logo.pages == [f"{ORIGIN}/p{i}" for i in range(4)]
    # CT002 (no meta description) is a content finding: each page's own.
    assert len([f for f in store.iter_findings() if f.rule == "CT002"]) == 4
    # Each page still has it: in its own findings, and in the pages the rule affects.
    assert (logo.rule, logo.message) in [
        (f.rule, f.message) for f in store.iter_findings(f"{ORIGIN}/p2")]
    assert next(r for r in store.rule_summary() if r[0] == "SD005")[3] == 4
    store.close()


def test_a_baseline_compares_a_template_finding_page_by_page():
    """A finding crossing the fold's threshold is not new; one more page with it is; a
    template's finding is fixed when it is on none of its pages."""
    from geoaudit.baseline import Comparison, diff

    def one(url):
        return {"rule": "SD005", "url": url, "line": None, "type": "Organization",
                "property": "logo", "message": "Organization: 'logo' is missing"}

    def folded(urls):
        return {**one(None), "pages": urls, "message": "Organization: 'logo' is missing: "
                f"alike on {len(urls)} pages, one template"}

    old = {"findings": [one("/a"), one("/b")]}
    assert Comparison(old).status(folded(["/a", "/b"])) == "unchanged"
    assert Comparison(old).status(folded(["/a", "/b", "/c"])) == "new"
    summary = Comparison({"findings": [folded(["/a", "/b", "/c"])]}).summary([one("/a")], "")
    assert summary["fixed"] == [] and summary["unchanged"] == 1
    changes = diff({"findings": [folded(["/a", "/b", "/c"])]}, {"findings": []})
    assert len(changes["fixed"]) == 1
