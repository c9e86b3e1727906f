"""report.html: one self-contained file (inline CSS and SVG, no external request), rendered with
Jinja2 autoescaping so nothing taken from the crawled site can inject markup."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import jinja2

import geoaudit
from geoaudit.report import page_entry
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
    per_url = store.finding_counts_by_url()
    for page in islice(store.iter_pages(), MAX_PAGE_ROWS):
        yield page_entry(page, per_url.get(page.url, 0))


def write_html(store: Store, header: dict[str, Any], llms_txt: str, path: Path) -> None:
    template = environment().get_template("report.html.j2")
    context = {
        **header,
        "findings_by_rule": _findings_by_rule(store),
        "pages": _pages(store),
        "page_rows_cap": MAX_PAGE_ROWS,
        "findings_cap": MAX_FINDINGS_PER_RULE,
        "llms_txt_generated": llms_txt,
    }
    with open(path, "w", encoding="utf-8") as out:
        for chunk in template.generate(**context):
            out.write(chunk)
