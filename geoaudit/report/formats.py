"""The report formats, like Scrapy's FEED_EXPORTERS: name -> module. Each module defines
`FILENAME` and `write(context, path)`; `--format`, the config file and the audit read the keys.
The order is the order reports are written and listed."""

from __future__ import annotations

import importlib
from types import ModuleType

REPORTERS: dict[str, str] = {
    "html": "geoaudit.report.html",
    "json": "geoaudit.report.json",
    "csv": "geoaudit.report.csv",
    "sarif": "geoaudit.report.sarif",
    "junit": "geoaudit.report.junit",
    "md": "geoaudit.report.md",
}
FORMATS = tuple(REPORTERS)


def reporter(name: str) -> ModuleType:
    """The module that writes format `name`."""
    return importlib.import_module(REPORTERS[name])
