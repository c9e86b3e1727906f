"""Extraction: turn one fetched response into one `PageModel`. Extractors gather facts only."""

from geoaudit.extract.page import build_page

__all__ = ["build_page"]
