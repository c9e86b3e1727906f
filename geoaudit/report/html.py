"""report.html: one self-contained file (inline CSS and SVG, no external request), rendered with
Jinja2 autoescaping so nothing taken from the crawled site can inject markup."""

from __future__ import annotations

import base64
import difflib
import hashlib
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup, escape

import geoaudit
from geoaudit.categories import title as category_title
from geoaudit.facts.access import REFUSALS
from geoaudit.models import SEVERITIES, to_dict
from geoaudit.report import charts
from geoaudit.report.context import ReportContext
from geoaudit.report.rows import issue_rows, plural
from geoaudit.rules import Rule, doc_sections
from geoaudit.scoring.content import DIMENSIONS, page_content_score
from geoaudit.store import Store
from geoaudit.terminal import grade

# Findings each rule shows without the script (print, no JavaScript); the script pages them all.
MAX_FINDINGS_PER_RULE = 50
MAX_FINDINGS_PER_PAGE = 20
# Findings the report's script carries in all; report.json lists every one.
MAX_FINDINGS_IN_HTML = 20_000
MAX_LINKING_PAGES = 5
MAX_DATE_ROWS = 200
TOP_ISSUES = 5
PAGE_COLUMNS = (
    "url",
    "status",
    "depth",
    "title",
    "words",
    "content",
    "errors",
    "findings",
    "description",
    "types",
    "scores",
    "issues",
)

_PACKAGE = Path(geoaudit.__file__).parent
# Installed wheels carry the templates inside the package; a source checkout has them at the top.
TEMPLATE_DIRS = [_PACKAGE / "templates", _PACKAGE.parent / "templates"]


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in TEMPLATE_DIRS if d.is_dir()]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["grade"] = grade
    env.filters["href"] = safe_href
    env.filters["code_spans"] = code_spans
    return env


def page_table(store: Store, dated: list[dict[str, Any]]) -> dict[str, Any]:
    """Every page as one compact row for the report's script: the table sorts, filters and
    pages in the browser, and a row opens its drill-down. Messages are stored once and referred
    to by index (most repeat across pages); a page lists its first findings, worst first.
    `dated` receives each HTML page's freshness (its best date, source and age)
    on the same pass, for freshness_view."""
    messages: dict[str, int] = {}
    rows = []
    for page in store.iter_pages(bulk=False):
        findings = sorted(store.iter_findings(page.url), key=lambda f: SEVERITIES.index(f.severity))
        content = store.page_content(page.url)
        if content and "freshness" in content:
            dated.append({"url": page.url, **content["freshness"]})
        fetch = page.fetch
        rows.append(
            [
                page.url,
                fetch.status if fetch.status is not None else (fetch.error or "failed"),
                fetch.depth,
                page.title,
                page.word_count,
                page_content_score(content),
                sum(f.severity == "error" for f in findings),
                len(findings),
                page.meta_description,
                page.structured.types,
                [content[d]["score"] for d in DIMENSIONS] if content else [],
                [
                    [
                        f.rule,
                        SEVERITIES.index(f.severity),
                        messages.setdefault(f.message, len(messages)),
                    ]
                    for f in findings[:MAX_FINDINGS_PER_PAGE]
                ],
            ]
        )
    return {
        "columns": PAGE_COLUMNS,
        "rows": rows,
        "messages": list(messages),
        "severities": SEVERITIES,
        "dimensions": DIMENSIONS,
    }


def script_json(value: Any) -> Markup:
    """JSON for a `<script type="application/json">` block. The block's text is not
    HTML-decoded, so escaping is JSON's: `<`, `>` and `&` as \\u escapes, which no site text
    can turn into `</script>`."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def report_script(env: jinja2.Environment) -> tuple[Markup, str]:
    """The report's script and its CSP source: a sha256 hash, so no other script can run."""
    assert env.loader is not None
    source = env.loader.get_source(env, "report.js")[0]
    digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
    return Markup(source), Markup(f"'sha256-{digest}'")


def safe_href(url: str | None) -> str | None:
    """A page URL fit for an `href`: http(s) only, so no site can plant a `javascript:` link."""
    if url and urlsplit(url).scheme in ("http", "https"):
        return url
    return None


CODE_SPAN = re.compile(r"`([^`]+)`")


def code_spans(text: str) -> Markup:
    """Rule documentation as HTML: escaped, with its `code spans` set as code."""
    return Markup(CODE_SPAN.sub(r"<code>\1</code>", str(escape(text))))


def rule_docs(rule: Rule | None) -> dict[str, str]:
    if rule is None:
        return {"what": "A rule crashed on this page; please report it.", "fix": ""}
    return doc_sections(rule.docs)


def findings_data(
    store: Store, annotate: Any | None
) -> tuple[dict[str, Any], dict[str, list[list[Any]]]]:
    """Every finding per rule for the report's script (which pages, sorts and exports them),
    and the first MAX_FINDINGS_PER_RULE of each for the server-rendered table that print and a
    browser without JavaScript show. A finding about a page that did not answer 2xx carries
    the pages linking to it; a template's finding, the pages it is on."""
    linked = store.linking_pages(MAX_LINKING_PAGES)
    messages: dict[str, int] = {}
    rules: dict[str, list[list[Any]]] = {}
    shown: dict[str, list[list[Any]]] = {}
    total = 0
    for finding in store.iter_findings():
        new = annotate is not None and annotate(to_dict(finding))["baseline"] == "new"
        if finding.pages:
            label, sources, count = "On", finding.pages[:MAX_LINKING_PAGES], len(finding.pages)
        else:
            label = "Linked from"
            sources, count = linked.get(finding.url or "", ([], 0))
        if total < MAX_FINDINGS_IN_HTML:
            message = messages.setdefault(finding.message, len(messages))
            row = [finding.url, finding.line, message, int(new), sources, count, label]
            rules.setdefault(finding.rule, []).append(row)
            total += 1
        first = shown.setdefault(finding.rule, [])
        if len(first) < MAX_FINDINGS_PER_RULE:
            first.append([finding.url, finding.line, finding.message, new, sources, count, label])
    data = {"messages": list(messages), "rules": rules, "complete": total < MAX_FINDINGS_IN_HTML}
    return data, shown


FRESHNESS_BINS = (
    (90, "≤ 90 days", "good"),
    (180, "91–180 days", "good"),
    (365, "181–365 days", "fair"),
    (730, "1–2 years", "poor"),
    (None, "over 2 years", "poor"),
)


def freshness_view(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Each HTML page's best date, its source and age (scoring/content.py page_freshness, as
    page_table gathers them), as a histogram of ages and a table of the oldest pages first."""
    counts = [0] * (len(FRESHNESS_BINS) + 1)
    for row in rows:
        age = row["age_days"]
        if age is None:
            counts[-1] += 1
            continue
        counts[
            next(
                i for i, (limit, _, _) in enumerate(FRESHNESS_BINS) if limit is None or age <= limit
            )
        ] += 1
    bins = [(name, n, cls) for (_, name, cls), n in zip(FRESHNESS_BINS, counts, strict=False)]
    bins.append(("undated", counts[-1], "na"))
    rows.sort(key=lambda r: (r["age_days"] is None, -(r["age_days"] or 0), r["url"]))
    return {
        "pages": len(rows),
        "chart": charts.columns(
            bins,
            "Pages by the age of their best date: "
            + ", ".join(f"{name} {n}" for name, n, _ in bins),
        ),
        "rows": rows[:MAX_DATE_ROWS],
    }


BUCKET_CLASSES = ("poor", "poor", "fair", "fair", "good")


def content_charts(content: dict[str, Any] | None) -> dict[str, Markup]:
    """Per content measure, how many pages score in each band."""
    if not content:
        return {}
    buckets = content["distribution_buckets"]
    return {
        name: charts.columns(
            list(zip(buckets, d["distribution"], BUCKET_CLASSES, strict=True)),
            f"{name.replace('_', ' ')} scores: "
            + ", ".join(f"{n} pages {b}" for b, n in zip(buckets, d["distribution"], strict=True)),
            width=300,
        )
        for name, d in content["dimensions"].items()
    }


BOT_COLUMNS = ("robots.txt", "server", "URLs blocked", "noindex")


def bot_grid(access: dict[str, Any]) -> Markup:
    """The bot access matrix as a grid: each bot's verdict from robots.txt, the server's answer
    to its User-Agent, the crawled URLs robots.txt blocks for it and the pages noindex for it.
    Red is a closed door for a search or user bot, amber for a training bot (a choice)."""
    rows = []
    for bot in access["bots"]:
        if bot["retired"]:
            continue
        closed = "info" if bot["purpose"] == "training" else "bad"
        refused = bot["server_verdict"] in REFUSALS
        rows.append(
            (
                f"{bot['token']} ({bot['purpose']})",
                [
                    ("ok", "allowed") if bot["allowed"] else (closed, "blocked"),
                    ("na", "–")
                    if bot["server_verdict"] is None
                    else (closed if refused else "ok", str(bot["server_verdict"])),
                    (closed if bot["blocked_urls"] else "ok", str(bot["blocked_urls"])),
                    (closed if bot["noindex_pages"] else "ok", str(bot["noindex_pages"])),
                ],
            )
        )
    return charts.grid(
        rows,
        BOT_COLUMNS,
        f"Access of {len(rows)} AI bots: "
        + "; ".join(f"{name} {cells[0][1]}" for name, cells in rows),
    )


def html_context(header: dict[str, Any], store: Store, rules: dict[str, Rule]) -> dict[str, Any]:
    """The template's context: the report header, the verdict, the top issues with what to do,
    each category with its issues and passed checks, and the charts."""
    issues = issue_rows(store, rules)
    for issue in issues:
        issue["sections"] = rule_docs(rules.get(issue["rule"]))
        issue["category"] = rules[issue["rule"]].category if issue["rule"] in rules else ""
    categories = []
    for category, score in header["categories"].items():
        judged = {
            rule_id: result
            for rule_id, result in header["rules"].items()
            if rule_id in rules and rules[rule_id].category == category
        }
        categories.append(
            {
                "id": category,
                "title": category_title(category),
                "score": score,
                "issues": [i for i in issues if i["category"] == category],
                "passed": [
                    rules[r]
                    for r, result in judged.items()
                    if result["applicable"] and not result["failed"]
                ],
                "not_applicable": sum(not result["applicable"] for result in judged.values()),
            }
        )
    counts = header["stats"]["findings"]
    by_category = [
        (
            c["title"],
            [
                (
                    f"sev-{severity}",
                    sum(i["findings"] for i in c["issues"] if i["severity"] == severity),
                )
                for severity in SEVERITIES
            ],
        )
        for c in categories
    ]
    live = next((f for f in store.sitefiles() if f.name == "llms.txt" and f.present), None)
    return {
        **header,
        "issues": issues,
        "top_issues": issues[:TOP_ISSUES],
        "category_sections": categories,
        "categories_list": [{"title": "Overall", "score": header["score"]}]
        + [{"title": c["title"], "score": c["score"]} for c in categories],
        "findings_chart": charts.stacked_bars(
            by_category,
            "Findings by category: "
            + "; ".join(f"{name} {sum(n for _, n in parts)}" for name, parts in by_category),
        ),
        "verdict": verdict(header, counts),
        "llms_live": live.text if live else None,
    }


def verdict(header: dict[str, Any], counts: dict[str, int]) -> dict[str, str]:
    """The report's first line: the gate's verdict when a gate was set, else what to fix."""
    gate = header.get("gate")
    if gate:
        if gate["passed"]:
            return {"class": "good", "text": "Gate passed."}
        return {"class": "poor", "text": "Gate failed: " + "; ".join(gate["failures"]) + "."}
    errors, warnings = counts.get("error", 0), counts.get("warning", 0)
    if errors:
        return {
            "class": "poor",
            "text": f"{plural(errors, 'error')} to fix first, then {plural(warnings, 'warning')}.",
        }
    if warnings:
        return {"class": "fair", "text": f"No errors; {plural(warnings, 'warning')} to review."}
    return {"class": "good", "text": "No errors or warnings."}




# Lines of the live-to-generated llms.txt diff the report shows: a 4.9 MB live file once made
# a 5.4 MB report.
MAX_DIFF_LINES = 2000


def llms_diff(live: str | None, generated: str) -> str:
    """A unified diff from the live llms.txt to the generated one ("" without a live file),
    cut after MAX_DIFF_LINES lines with a count of the rest."""
    if live is None:
        return ""
    lines = list(
        difflib.unified_diff(
            live.splitlines(),
            generated.splitlines(),
            "live /llms.txt",
            "generated llms.txt",
            lineterm="",
        )
    )
    if len(lines) > MAX_DIFF_LINES:
        more = len(lines) - MAX_DIFF_LINES
        lines = [*lines[:MAX_DIFF_LINES], f"… {more:,} more lines of difference, not shown"]
    return "\n".join(lines)


def download_href(text: str) -> str:
    """A data: URL that downloads `text`: no script needed, so the CSP can forbid all scripts."""
    return "data:text/plain;charset=utf-8," + quote(text)


FILENAME = "report.html"


def write(context: ReportContext, path: Path) -> None:
    store, llms_txt = context.store, context.llms_txt
    header = html_context(context.header, store, context.rules)
    env = environment()
    template = env.get_template("report.html.j2")
    script, script_hash = report_script(env)
    finding_data, shown = findings_data(store, context.annotate)
    dated: list[dict[str, Any]] = []
    page_data = script_json(page_table(store, dated))  # before freshness_view: it fills `dated`
    values = {
        **header,
        "findings_by_rule": shown,
        "finding_data": script_json(finding_data),
        "freshness": freshness_view(dated),
        "content_charts": content_charts(header.get("content")),
        "bot_grid": bot_grid(header["ai_access"]) if header.get("ai_access") else None,
        "page_data": page_data,
        "script": script,
        "script_hash": script_hash,
        "findings_cap": MAX_FINDINGS_PER_RULE,
        "llms_txt_generated": llms_txt,
        "llms_txt_download": download_href(llms_txt),
        "llms_txt_diff": llms_diff(header.get("llms_live"), llms_txt),
    }
    with open(path, "w", encoding="utf-8") as out:
        for chunk in template.generate(**values):
            out.write(chunk)
