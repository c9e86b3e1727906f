"""report.json: the machine-readable report, streamed page by page from the store.

The header is indented; each page and each finding is one line of compact JSON: diff-friendly,
and written by json's C encoder (indentation makes json fall back to its Python encoder, which
took most of the time of writing the report)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from geoaudit.models import to_dict
from geoaudit.report.context import ReportContext
from geoaudit.report.rows import page_entry


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)


def _write_array(out: Any, items: Iterable[dict[str, Any]]) -> None:
    out.write("[")
    first = True
    for item in items:
        out.write("\n    " if first else ",\n    ")
        out.write(json.dumps(item, ensure_ascii=False, sort_keys=True, separators=(", ", ": ")))
        first = False
    out.write("\n  ]" if not first else "]")


FILENAME = "report.json"


def write(context: ReportContext, path: Path) -> None:
    """Write the header plus `pages` and `findings` streamed from the store, keys sorted;
    `context.annotate` may add keys to each finding (the baseline status)."""
    store, header, annotate = context.store, context.header, context.annotate
    streams = {
        "pages": (
            page_entry(p, list(store.iter_findings(p.url)), store.page_content(p.url))
            for p in store.iter_pages(bulk=False)
        ),
        "findings": (
            annotate(to_dict(f)) if annotate else to_dict(f) for f in store.iter_findings()
        ),
    }
    with open(path, "w", encoding="utf-8") as out:
        out.write("{")
        for n, key in enumerate(sorted([*header, *streams])):
            out.write(",\n  " if n else "\n  ")
            out.write(f"{json.dumps(key)}: ")
            if key in streams:
                _write_array(out, streams[key])
            else:
                out.write(_dump(header[key]).replace("\n", "\n  "))
        out.write("\n}\n")
