"""report.csv: one row per page with its status, findings by severity and content scores. Cells
from site text never start as a formula (geoaudit.escape.csv_cell)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from geoaudit.escape import csv_cell
from geoaudit.report.context import ReportContext
from geoaudit.scoring.content import DIMENSIONS

COLUMNS = (
    "url",
    "status",
    "depth",
    "content_type",
    "title",
    "word_count",
    "errors",
    "warnings",
    "notices",
    *DIMENSIONS,
    "structured_data_types",
    "error",
)


FILENAME = "report.csv"


def write(context: ReportContext, path: Path) -> None:
    store = context.store
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for page in store.iter_pages(bulk=False):
            severities = Counter(f.severity for f in store.iter_findings(page.url))
            content = store.page_content(page.url) or {}
            row = [
                page.url,
                page.fetch.status,
                page.fetch.depth,
                page.fetch.content_type,
                page.title or "",
                page.word_count,
                severities["error"],
                severities["warning"],
                severities["notice"],
                *(content.get(d, {}).get("score") for d in DIMENSIONS),
                " ".join(page.structured.types),
                page.fetch.error or "",
            ]
            writer.writerow([csv_cell(value) for value in row])
