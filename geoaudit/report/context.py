"""What every reporter is handed: the store, the report header, the rules and the generated
llms.txt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from geoaudit.rules import Rule
from geoaudit.store import Store


@dataclass
class ReportContext:
    store: Store
    header: dict[str, Any]
    rules: dict[str, Rule]
    llms_txt: str = ""
    duration_s: float = 0.0
    # Adds keys to each finding of report.json (its baseline status).
    annotate: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    # The folder of the site's built files in the user's repository (--source-root).
    source_root: str | None = None
