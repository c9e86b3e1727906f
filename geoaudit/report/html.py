"""report.html: one self-contained file (inline CSS and SVG, no external request), rendered with
Jinja2 autoescaping so nothing taken from the crawled site can inject markup."""

from __future__ import annotations

import base64
import difflib
import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

import geoaudit
from geoaudit.categories import title as category_title
from geoaudit.models import SEVERITIES
from geoaudit.report.context import ReportContext
from geoaudit.report.rows import issue_rows
from geoaudit.rules import Rule
from geoaudit.scoring.content import DIMENSIONS, page_content_score
from geoaudit.store import Store

MAX_FINDINGS_PER_RULE = 50
MAX_FINDINGS_PER_PAGE = 20
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
    return env


def grade(score: int | None) -> str:
    if score is None:
        return "na"
    return "good" if score >= 90 else "fair" if score >= 50 else "poor"


def _findings_by_rule(store: Store) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for finding in store.iter_findings():
        bucket = grouped.setdefault(finding.rule, [])
        if len(bucket) < MAX_FINDINGS_PER_RULE:
            bucket.append(finding)
    return grouped


def page_table(store: Store) -> dict[str, Any]:
    """Every page as one compact row for the report's script: the table sorts, filters and
    pages in the browser, and a row opens its drill-down. Messages are stored once and referred
    to by index (most repeat across pages); a page lists its first findings, worst first."""
    messages: dict[str, int] = {}
    rows = []
    for page in store.iter_pages(bulk=False):
        findings = sorted(store.iter_findings(page.url), key=lambda f: SEVERITIES.index(f.severity))
        content = store.page_content(page.url)
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


def html_context(header: dict[str, Any], store: Store, rules: dict[str, Rule]) -> dict[str, Any]:
    """The template's context: the report header plus issue rows, score cards and the live
    llms.txt next to the generated one."""
    issues = issue_rows(store, rules)
    categories_list = [{"title": "Overall", "score": header["score"]}] + [
        {"title": category_title(c), "score": s} for c, s in header["categories"].items()
    ]
    live = next((f for f in store.sitefiles() if f.name == "llms.txt" and f.present), None)
    return {
        **header,
        "issues": issues,
        "categories_list": categories_list,
        "llms_live": live.text if live else None,
    }


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
    values = {
        **header,
        "findings_by_rule": _findings_by_rule(store),
        "page_data": script_json(page_table(store)),
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
