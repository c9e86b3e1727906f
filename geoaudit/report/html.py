"""report.html: one self-contained file (inline CSS and SVG, no external request), rendered with
Jinja2 autoescaping so nothing taken from the crawled site can inject markup."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

import geoaudit
from geoaudit.checks import Rule
from geoaudit.report import issue_rows, page_entry
from geoaudit.scoring import CATEGORY_TITLES
from geoaudit.store import Store

MAX_PAGE_ROWS = 2000
MAX_FINDINGS_PER_RULE = 50

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


def _pages(store: Store) -> Iterator[dict[str, Any]]:
    for page in islice(store.iter_pages(), MAX_PAGE_ROWS):
        yield page_entry(page, list(store.iter_findings(page.url)))


def html_context(header: dict[str, Any], store: Store, rules: dict[str, Rule]) -> dict[str, Any]:
    """The template's context: the report header plus issue rows, score cards and the live
    llms.txt next to the generated one."""
    issues = issue_rows(store, rules)
    categories_list = [{"title": "Overall", "score": header["score"]}] + [
        {"title": CATEGORY_TITLES[c], "score": s} for c, s in header["categories"].items()
    ]
    live = next((f for f in store.sitefiles() if f.name == "llms.txt" and f.present), None)
    return {
        **header,
        "issues": issues,
        "categories_list": categories_list,
        "llms_live": live.text if live else None,
    }


def llms_diff(live: str | None, generated: str) -> str:
    """A unified diff from the live llms.txt to the generated one ("" without a live file)."""
    if live is None:
        return ""
    lines = difflib.unified_diff(
        live.splitlines(),
        generated.splitlines(),
        "live /llms.txt",
        "generated llms.txt",
        lineterm="",
    )
    return "\n".join(lines)


def download_href(text: str) -> str:
    """A data: URL that downloads `text`: no script needed, so the CSP can forbid all scripts."""
    return "data:text/plain;charset=utf-8," + quote(text)


def write_html(store: Store, header: dict[str, Any], llms_txt: str, path: Path) -> None:
    template = environment().get_template("report.html.j2")
    context = {
        **header,
        "findings_by_rule": _findings_by_rule(store),
        "pages": _pages(store),
        "page_rows_cap": MAX_PAGE_ROWS,
        "findings_cap": MAX_FINDINGS_PER_RULE,
        "llms_txt_generated": llms_txt,
        "llms_txt_download": download_href(llms_txt),
        "llms_txt_diff": llms_diff(header.get("llms_live"), llms_txt),
    }
    with open(path, "w", encoding="utf-8") as out:
        for chunk in template.generate(**context):
            out.write(chunk)
